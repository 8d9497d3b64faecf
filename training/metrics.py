"""Scores: seqeval (strict IOB2), span-level exact match, and a breakdown of errors.

seqeval is the number papers report; span-level exact match on the original text is what a
user of ``tag()`` sees; the error breakdown says *why* F1 is what it is (a model that
finds every entity but cuts codes short needs different work from one that misses them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

ERROR_KINDS = ("correct", "wrong_label", "wrong_boundary", "wrong_label_and_boundary", "missed", "spurious")


@dataclass(frozen=True)
class SpanT:
    start: int
    end: int
    label: str


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


def span_scores(golds: Sequence[Iterable[SpanT]], preds: Sequence[Iterable[SpanT]], labels: Sequence[str]) -> dict:
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
    macro = {k: sum(per[lab][k] for lab in labels) / len(labels) for k in ("precision", "recall", "f1")}
    macro["support"] = micro["support"]
    return {"per_label": per, "micro": micro, "macro": macro}


def _overlap(a: SpanT, b: SpanT) -> bool:
    return a.start < b.end and b.start < a.end


def error_breakdown(golds: Sequence[Iterable[SpanT]], preds: Sequence[Iterable[SpanT]]) -> tuple[Counter, list[dict]]:
    """Classify every gold and predicted span; return counts and the error cases."""
    counts: Counter = Counter({k: 0 for k in ERROR_KINDS})
    cases: list[dict] = []
    for doc_i, (g_all, p_all) in enumerate(zip(golds, preds)):
        g_all, p_all = set(g_all), set(p_all)
        exact = g_all & p_all
        counts["correct"] += len(exact)
        g_left = sorted(g_all - exact, key=lambda s: (s.start, s.end))
        for p in sorted(p_all - exact, key=lambda s: (s.start, s.end)):
            hits = [g for g in g_left if _overlap(g, p)]
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
    rep = classification_report(
        [list(t) for t in gold_tags],
        [list(t) for t in pred_tags],
        mode="strict",
        scheme=IOB2,
        output_dict=True,
        zero_division=0,
    )
    per = {}
    for lab in labels:
        r = rep.get(lab, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
        per[lab] = {"precision": r["precision"], "recall": r["recall"], "f1": r["f1-score"], "support": int(r["support"])}

    def avg(name: str) -> dict:
        r = rep.get(name, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
        return {"precision": r["precision"], "recall": r["recall"], "f1": r["f1-score"], "support": int(r["support"])}

    return {"per_label": per, "micro": avg("micro avg"), "macro": avg("macro avg")}


def spans_to_tags(token_spans: Sequence[tuple[int, int]], spans: Iterable[SpanT]) -> list[str]:
    """IOB2 tags of tokens given character spans that start and end on token edges."""
    tags = ["O"] * len(token_spans)
    for s in spans:
        inside = [i for i, (a, b) in enumerate(token_spans) if a >= s.start and b <= s.end]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + s.label
    return tags


def tags_to_spans(tags: Sequence[str]) -> list[SpanT]:
    """Strict IOB2 entity spans over token indices (end exclusive); stray I- starts none."""
    out, start, label = [], None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t.startswith("I-") and label == t[2:]:
            continue
        if label is not None:
            out.append(SpanT(start, i, label))
        start, label = (i, t[2:]) if t.startswith("B-") else (None, None)
    return out
