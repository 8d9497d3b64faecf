"""Scores: seqeval (strict IOB2), span-level exact match, and a breakdown of errors.

seqeval is the number papers report; span-level exact match on the original text is what a
user of ``tag()`` sees; the error breakdown says *why* F1 is what it is (a model that
finds every entity but cuts codes short needs different work from one that misses them).
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Iterable, Sequence

import numpy as np
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from inference.spans import Span

ERROR_KINDS = ("correct", "wrong_label", "wrong_boundary", "wrong_label_and_boundary", "missed", "spurious")


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


def span_scores(golds: Sequence[Iterable[Span]], preds: Sequence[Iterable[Span]], labels: Sequence[str]) -> dict:
    """Exact-match precision/recall/F1 per label, micro and macro, over many documents."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(golds, preds):
        g, p = set(g), set(p)
        for s in g & p:
            tp[s.label] += 1
        for s in p - g:
            fp[s.label] += 1
        for s in g - p:
            fn[s.label] += 1
    per = {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"per_label": mark_zero_support(per), "micro": micro, "macro": macro_average(per)}


def mark_zero_support(per: dict[str, dict]) -> dict[str, dict]:
    """A label with no gold span has no recall: it is shown as such, not as 0 or 1."""
    for r in per.values():
        if r["support"] == 0:
            r["zero_support"] = True
    return per


def macro_average(per: dict[str, dict]) -> dict:
    """Mean over the labels that have gold spans, the same rule for every table (seqeval's
    own macro average counts a label predicted but absent from gold; this one does not)."""
    present = [r for r in per.values() if r["support"] > 0]
    macro = {k: (sum(r[k] for r in present) / len(present) if present else 0.0) for k in ("precision", "recall", "f1")}
    macro["support"] = sum(r["support"] for r in present)
    macro["labels"] = len(present)
    return macro


def error_breakdown(golds: Sequence[Iterable[Span]], preds: Sequence[Iterable[Span]]) -> tuple[Counter, list[dict]]:
    """Classify every gold and predicted span; return counts and the error cases."""
    counts: Counter = Counter({k: 0 for k in ERROR_KINDS})
    cases: list[dict] = []
    for doc_i, (g_all, p_all) in enumerate(zip(golds, preds)):
        g_all, p_all = set(g_all), set(p_all)
        exact = g_all & p_all
        counts["correct"] += len(exact)
        g_left = sorted(g_all - exact, key=lambda s: (s.start, s.end))
        for p in sorted(p_all - exact, key=lambda s: (s.start, s.end)):
            hits = [g for g in g_left if g.overlaps(p)]
            same_bounds = [g for g in hits if (g.start, g.end) == (p.start, p.end)]
            same_label = [g for g in hits if g.label == p.label]
            if same_bounds:
                kind, g = "wrong_label", same_bounds[0]
            elif same_label:
                kind, g = "wrong_boundary", same_label[0]
            elif hits:
                kind, g = "wrong_label_and_boundary", hits[0]
            else:
                kind, g = "spurious", None
            if g is not None:
                g_left.remove(g)
            counts[kind] += 1
            cases.append({"doc": doc_i, "kind": kind, "pred": p, "gold": g})
        for g in g_left:
            counts["missed"] += 1
            cases.append({"doc": doc_i, "kind": "missed", "pred": None, "gold": g})
    return counts, cases


def seqeval_scores(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]], labels: Sequence[str]) -> dict:
    # With no entity in gold or prediction (a file whose labels are all mapped away), seqeval's
    # averages are means of nothing: numpy would print RuntimeWarnings to the user; the zeros
    # it returns are marked as zero support below.
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        rep = classification_report(
            [list(t) for t in gold_tags],
            [list(t) for t in pred_tags],
            mode="strict",
            scheme=IOB2,
            output_dict=True,
            zero_division=0,
        )
    def row(name: str) -> dict:
        r = rep.get(name, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
        return {"precision": r["precision"], "recall": r["recall"], "f1": r["f1-score"], "support": int(r["support"])}

    per = {lab: row(lab) for lab in labels}
    return {"per_label": mark_zero_support(per), "micro": row("micro avg"), "macro": macro_average(per)}
