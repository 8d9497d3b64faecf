"""Evaluate a trained model on any labelled file and write a per-label report.

    polner-evaluate --model DIR --data FILE [--format F] [--report-dir DIR]
                    [--doc-rules off|repair|union] [--labels MAP] [--by FIELD]
                    [--holders LINKS.jsonl] [--bootstrap N] [--quantize int8]

Documents (the data contract, doccano, Label Studio) are tagged with the real
``tag_batch`` and scored on the original text, so the numbers are what a user of ``tag()``
gets; pre-tokenised files (``words-jsonl``, CoNLL) are scored on their own words. The format
comes from ``--format`` or the file's extension (``inference.formats``), never from its
content. Gold data is validated first, as the corpus validator does: an unknown label is an
error naming the line and label unless ``--labels`` maps it (``LOC=ignore,NAME=PER``).

The report gives seqeval (strict IOB2) and span exact-match scores per label (labels with no
gold span are shown as such and left out of both macro averages), a bootstrap 95% interval
for micro F1 (documents resampled), the error breakdown per label with examples in context,
scores per group when the records carry ``meta.<FIELD>`` (``--by phenomenon`` for the
challenge set; found automatically), and, with ``--holders``, office-holder pair scores on
gold and on predicted entities (``training.links``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from inference.cli import error
from inference import formats, iob
from inference.base import Tagger
from inference.doc_rules import MODES as DOC_RULE_MODES
from inference.formats import Sentence
from inference.records import DataError, Document
from inference.segment import syllabify
from inference.spans import Span
from training.metrics import ERROR_KINDS, error_breakdown, seqeval_scores, span_scores
from training.data import check_utf8
from training.paths import writable_directory

EXAMPLES_PER_KIND = 5
CONTEXT = 40


# --- gold data: read, map labels, validate --------------------------------------------------
def parse_label_map(spec: str | None) -> dict[str, str | None]:
    """``LOC=ignore,NAME=PER`` -> {"LOC": None, "NAME": "PER"}."""
    out: dict[str, str | None] = {}
    for item in filter(None, (spec or "").split(",")):
        if "=" not in item:
            raise DataError(f"--labels: expected SOURCE=TARGET or SOURCE=ignore, got {item!r}")
        src, dst = (x.strip() for x in item.split("=", 1))
        out[src] = None if dst.lower() == "ignore" else dst
    return out


def map_documents(docs: Sequence[Document], mapping: dict[str, str | None]) -> list[Document]:
    if not mapping:
        return list(docs)
    out = []
    for d in docs:
        spans = [Span(s.start, s.end, mapping.get(s.label, s.label)) for s in d.spans if mapping.get(s.label, s.label)]
        out.append(Document(d.id, d.text, spans, d.meta))
    return out


def map_sentences(rows: Sequence[Sentence], mapping: dict[str, str | None]) -> list[Sentence]:
    if not mapping:
        return list(rows)

    def one(tag: str) -> str:
        prefix, label = iob.parse(tag)
        if label is None:
            return tag
        target = mapping.get(label, label)
        return f"{prefix}-{target}" if target else iob.OUTSIDE

    return [Sentence(r.words, iob.repair([one(t) for t in r.tags]), r.where) for r in rows]


def check_documents(docs: Sequence[Document], labels: Sequence[str], path: Path) -> None:
    from training.corpus.validate import validate_documents

    problems = validate_documents([(str(path), i, d) for i, d in enumerate(docs, 1)], labels)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        hint = "; use --labels to map or ignore a label" if "label not in" in problems[0].message else ""
        raise DataError(f"{problems[0]}{more}{hint}")


def check_sentences(rows: Sequence[Sentence], labels: Sequence[str]) -> None:
    allowed = set(labels)
    for r in rows:
        for i, tag in enumerate(r.tags):
            try:
                _, label = iob.parse(tag)
            except iob.TagError as exc:
                raise DataError(f"{r.where}: word {i}: {exc}") from None
            if label is not None and label not in allowed:
                raise DataError(f"{r.where}: word {i}: label {label!r} is not among the model's labels "
                                f"{list(labels)}; use --labels to map or ignore it")


# --- scoring --------------------------------------------------------------------------------
def _gold_pred_tags(docs: Sequence[Document], gold: Sequence[set], pred: Sequence[set]):
    gold_tags, pred_tags = [], []
    for d, g, p in zip(docs, gold, pred):
        edges = {x for s in g | p for x in (s.start, s.end)}
        tokens = syllabify(d.text, boundaries=edges)
        gold_tags.append(iob.tags_from_spans(tokens, g))
        pred_tags.append(iob.tags_from_spans(tokens, p))
    return gold_tags, pred_tags


def bootstrap_micro_f1(gold: Sequence[set], pred: Sequence[set], samples: int, seed: int = 13) -> dict | None:
    """95% interval of span micro F1 with documents resampled with replacement."""
    if samples <= 0 or len(gold) < 2:
        return None
    per_doc = np.array([(len(g & p), len(p - g), len(g - p)) for g, p in zip(gold, pred)], dtype=np.int64)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(per_doc), size=(samples, len(per_doc)))
    tp, fp, fn = (per_doc[draws].sum(axis=1)[:, k] for k in range(3))
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return {"low": float(lo), "high": float(hi), "samples": samples, "seed": seed, "unit": "document"}


def error_report(docs: Sequence[Document], gold: Sequence[set], pred: Sequence[set], labels: Sequence[str]) -> dict:
    """Counts per error kind and label, and a few examples per kind with context."""
    counts, cases = error_breakdown(gold, pred)
    per_label: dict[str, Counter] = {lab: Counter({k: 0 for k in ERROR_KINDS}) for lab in labels}
    for d, g, p in zip(docs, gold, pred):
        for s in g & p:
            per_label.setdefault(s.label, Counter())["correct"] += 1
    examples: dict[str, list] = defaultdict(list)
    for c in cases:
        span = c["gold"] or c["pred"]
        per_label.setdefault(span.label, Counter())[c["kind"]] += 1
        if len(examples[c["kind"]]) < EXAMPLES_PER_KIND:
            text = docs[c["doc"]].text
            lo, hi = max(0, span.start - CONTEXT), min(len(text), span.end + CONTEXT)

            def show(s):
                return None if s is None else {"text": text[s.start:s.end], "label": s.label, "start": s.start, "end": s.end}

            examples[c["kind"]].append({
                "id": docs[c["doc"]].id, "gold": show(c["gold"]), "pred": show(c["pred"]),
                "context": text[lo:hi].replace("\n", " "), "context_start": lo,
            })
    return {"counts": dict(counts), "per_label": {k: dict(v) for k, v in per_label.items()}, "examples": dict(examples),
            "total_errors": sum(v for k, v in counts.items() if k != "correct")}


def score_documents(docs: Sequence[Document], predicted: Sequence[Sequence], labels: Sequence[str], bootstrap: int) -> dict:
    gold = [set(d.spans) for d in docs]
    pred = [{Span(e.start, e.end, e.label) for e in p} for p in predicted]
    gold_tags, pred_tags = _gold_pred_tags(docs, gold, pred)
    return {
        "seqeval": seqeval_scores(gold_tags, pred_tags, labels),
        "spans": span_scores(gold, pred, labels),
        "micro_f1_interval": bootstrap_micro_f1(gold, pred, bootstrap),
        "errors": error_report(docs, gold, pred, labels),
    }


def group_scores(docs: Sequence[Document], predicted: Sequence[Sequence], labels: Sequence[str], field: str) -> dict:
    """Span scores per value of ``meta[field]`` (e.g. the challenge set's phenomena)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        if field in d.meta:
            groups[str(d.meta[field])].append(i)
    out = {}
    for name, idx in sorted(groups.items()):
        gold = [set(docs[i].spans) for i in idx]
        pred = [{Span(e.start, e.end, e.label) for e in predicted[i]} for i in idx]
        s = span_scores(gold, pred, labels)
        out[name] = {"documents": len(idx), "micro": s["micro"], "per_label": s["per_label"]}
    return out


def evaluate_documents(tagger: Tagger, docs: Sequence[Document], labels: Sequence[str], *,
                       bootstrap: int = 1000, group_by: str | None = None, links: Path | None = None) -> dict:
    tagged = tagger.tag_documents([d.text for d in docs])  # one pass: the entities and the sentences
    predicted, sentences = [d.entities for d in tagged], sum(len(d.sentences) for d in tagged)
    report = {
        "documents": len(docs),
        "sentences": sentences,
        "gold_spans": sum(len(d.spans) for d in docs),
        "predicted_spans": sum(len(p) for p in predicted),
        **score_documents(docs, predicted, labels, bootstrap),
    }
    field = group_by or ("phenomenon" if any("phenomenon" in d.meta for d in docs) else None)
    if field:
        report["groups"] = {"field": field, "scores": group_scores(docs, predicted, labels, field)}
    if links is not None:
        from training.links import read_links, score_gold_entities, score_predicted_entities

        gold_links = read_links(links)
        report["holders"] = {
            "links": str(links),
            "gold_entities": score_gold_entities(docs, gold_links),
            "predicted_entities": score_predicted_entities(docs, {d.id: p for d, p in zip(docs, predicted)}, gold_links),
        }
    return report


def _as_text(rows: Sequence[Sentence], *span_sets: Sequence[set]) -> tuple[list[Document], ...]:
    """Pre-tokenised sentences as documents (words joined by spaces), and each set of
    word-index spans moved to character offsets, so errors get the same per-label table and
    examples in context as documents do. The mapping is one to one: the counts do not change."""
    docs, moved = [], [[] for _ in span_sets]
    for i, r in enumerate(rows):
        starts, pos = [], 0
        for w in r.words:
            starts.append(pos)
            pos += len(w) + 1
        docs.append(Document(id=r.where, text=" ".join(r.words)))
        for out, spans in zip(moved, span_sets):
            out.append({Span(starts[s.start], starts[s.end - 1] + len(r.words[s.end - 1]), s.label) for s in spans[i]})
    return (docs, *moved)


def evaluate_sentences(tagger: Tagger, rows: Sequence[Sentence], labels: Sequence[str], bootstrap: int = 1000) -> dict:
    pred_tags = tagger.predict_words([r.words for r in rows])
    gold_tags = [r.tags for r in rows]
    gold = [set(iob.spans_from_tags(t)) for t in gold_tags]
    pred = [set(iob.spans_from_tags(t)) for t in pred_tags]
    docs, gold_chars, pred_chars = _as_text(rows, gold, pred)
    return {
        "sentences": len(rows),
        "gold_spans": sum(len(g) for g in gold),
        "predicted_spans": sum(len(p) for p in pred),
        "seqeval": seqeval_scores(gold_tags, pred_tags, labels),
        "spans": span_scores(gold, pred, labels),
        "micro_f1_interval": bootstrap_micro_f1(gold, pred, bootstrap),  # sentences resampled
        "errors": error_report(docs, gold_chars, pred_chars, labels),
    }


def select_documents(docs: Sequence[Document], select: dict[str, str] | None) -> list[Document]:
    """The records whose ``meta`` has every given value (``{"corpus": "v1"}``)."""
    if not select:
        return list(docs)
    return [d for d in docs if all(str(d.meta.get(k)) == v for k, v in select.items())]


def parse_select(spec: str | None) -> dict[str, str]:
    out = {}
    for item in filter(None, (spec or "").split(",")):
        if "=" not in item:
            raise DataError(f"--select: expected FIELD=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@dataclass
class Gold:
    """A labelled file, read and checked against a label set (with ``label_map`` applied and
    ``select`` kept): documents, or pre-tokenised sentences."""

    path: Path
    format: str
    labels: list[str]
    label_map: dict[str, str | None]
    select: dict[str, str]
    documents: list[Document] | None = None
    sentences: list[Sentence] | None = None


def read_gold(path: Path, fmt: str | None, labels: Sequence[str], *, label_map: dict | None = None,
              select: dict[str, str] | None = None) -> Gold:
    """Read and check a labelled file for a model with ``labels``: every problem is a
    ``DataError`` naming the file and line, raised before any model work."""
    f = formats.for_path(path, fmt)
    check_utf8(Path(path))  # a decoding error that names the file and line, not a byte position
    labels, label_map = list(labels), label_map or {}
    gold = Gold(Path(path), f.name, labels, label_map, select or {})
    if f.unit == "documents":
        gold.documents = select_documents(map_documents(f.read(Path(path)), label_map), select)
        if not gold.documents:
            raise DataError(f"{path}: no record matches --select {select}")
        check_documents(gold.documents, labels, path)
    else:
        gold.sentences = map_sentences(f.read(Path(path)), label_map)
        check_sentences(gold.sentences, labels)
    return gold


def evaluate_gold(tagger: Tagger, gold: Gold, *, bootstrap: int = 1000, group_by: str | None = None,
                  links: Path | None = None) -> dict:
    """Score ``tagger`` on gold read for its labels; returns the report dict."""
    if list(tagger.settings.labels) != gold.labels:
        raise ValueError(f"{gold.path} was checked for labels {gold.labels}, the tagger has {tagger.settings.labels}")
    if gold.documents is not None:
        report = evaluate_documents(tagger, gold.documents, gold.labels, bootstrap=bootstrap, group_by=group_by,
                                    links=links)
    else:
        report = evaluate_sentences(tagger, gold.sentences, gold.labels, bootstrap)
        if report["micro_f1_interval"]:
            report["micro_f1_interval"]["unit"] = "sentence"
    report.update({"data": str(gold.path), "format": gold.format, "doc_rules": tagger.doc_rules,
                   "labels": gold.labels, "label_map": {k: v or "ignore" for k, v in gold.label_map.items()},
                   "select": gold.select})
    return report


def evaluate_file(tagger: Tagger, path: Path, fmt: str | None = None, *, label_map: dict | None = None,
                  bootstrap: int = 1000, group_by: str | None = None, links: Path | None = None,
                  select: dict[str, str] | None = None) -> dict:
    """Score ``tagger`` on a labelled file (validated first); returns the report dict.
    ``select`` keeps the records whose meta has the given values (documents only)."""
    gold = read_gold(path, fmt, tagger.settings.labels, label_map=label_map, select=select)
    return evaluate_gold(tagger, gold, bootstrap=bootstrap, group_by=group_by, links=links)


# --- presentation ---------------------------------------------------------------------------
def _rows(section: dict, labels: Sequence[str]) -> list[tuple[str, dict]]:
    return [(lab, section["per_label"][lab]) for lab in labels] + [
        ("micro avg", section["micro"]),
        ("macro avg", section["macro"]),
    ]


def _seqeval_repeats_spans(report: dict) -> bool:
    """On documents tokens are cut at every span edge, so seqeval's table often equals the
    span table: then it is said once instead of printed twice (``report.json`` keeps both)."""
    return "documents" in report and report["seqeval"] == report["spans"]


def format_table(report: dict) -> str:
    labels = report["labels"]
    unit = "documents" if "documents" in report else "sentences"
    sel = "".join(f", {k}={v}" for k, v in report.get("select", {}).items())
    lines = [f"data: {report['data']}  ({report[unit]} {unit}{sel}, doc_rules={report['doc_rules']})"]
    tables = [("seqeval, strict IOB2", "seqeval"), ("span exact match on the original text", "spans")]
    if _seqeval_repeats_spans(report):
        tables = tables[1:]
        lines.append("(seqeval, strict IOB2, gives the same figures: tokens are cut at every span edge)")
    for title, key in tables:
        lines.append(f"\n{title}")
        lines.append(f"{'':>10} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}")
        for name, r in _rows(report[key], labels):
            if r.get("zero_support"):
                lines.append(f"{name:>10} {'no gold span':>29} {r['support']:8d}")
                continue
            lines.append(f"{name:>10} {r['precision']:9.4f} {r['recall']:9.4f} {r['f1']:9.4f} {r['support']:8d}")
    ci = report.get("micro_f1_interval")
    if ci:
        lines.append(f"\nmicro F1 95% interval ({ci['unit']}s resampled, {ci['samples']} draws): "
                     f"{ci['low']:.4f} – {ci['high']:.4f}")
    counts = report["errors"]["counts"]
    lines.append("\nerrors: " + ", ".join(f"{k}={counts.get(k, 0)}" for k in ERROR_KINDS))
    if "groups" in report:
        lines.append(f"\nspan micro F1 by {report['groups']['field']}:")
        for name, g in report["groups"]["scores"].items():
            lines.append(f"  {name:<28} {g['micro']['f1']:.4f}  ({g['documents']} documents, {g['micro']['support']} spans)")
    if "holders" in report:
        for mode in ("gold_entities", "predicted_entities"):
            h = report["holders"][mode]
            lines.append(f"\noffice-holder pairs on {mode.replace('_', ' ')}: P {h['precision']:.4f}  "
                         f"R {h['recall']:.4f}  F1 {h['f1']:.4f}  ({h['gold']} gold pairs)")
    return "\n".join(lines)


def model_info(model_dir: Path, shown_as: Path | None = None) -> dict:
    """Where the scored model lives and what it was trained on (its ``config.yaml``).
    ``shown_as`` is the path to print when the files are read from elsewhere (polner-train
    reports from the model being assembled, before it is moved to its published path)."""
    info: dict = {"dir": str(shown_as or model_dir)}
    cfg = Path(model_dir) / "config.yaml"
    if cfg.is_file():
        import yaml

        data = (yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}).get("data", {})
        info.update({k: data.get(k) for k in ("train", "dev") if data.get(k)})
    return info


def _model_lines(model: dict | None) -> list[str]:
    if not model:
        return []
    out = [f"- model: `{model['dir']}`"]
    if model.get("train"):
        out.append(f"- trained on: `{model['train']}` (dev `{model.get('dev')}`)")
    return out


def format_markdown(report: dict) -> str:
    labels = report["labels"]
    unit = "documents" if "documents" in report else "sentences"
    sel = "".join(f", only `{k}={v}`" for k, v in report.get("select", {}).items())
    out = ["# Evaluation report", "", f"- data: `{report['data']}` ({report['format']}{sel})", *_model_lines(report.get("model")),
           f"- {unit}: {report[unit]}" + (f", sentences: {report['sentences']}" if unit == "documents" and report.get("sentences") else ""),
           f"- gold spans: {report['gold_spans']}, predicted spans: {report['predicted_spans']}",
           f"- doc_rules: `{report['doc_rules']}`"]
    if report.get("label_map"):
        out.append("- labels mapped: " + ", ".join(f"`{k}` → `{v}`" for k, v in report["label_map"].items()))
    ci = report.get("micro_f1_interval")
    if ci:
        out.append(f"- span micro F1 {report['spans']['micro']['f1']:.4f}, 95% interval {ci['low']:.4f}–{ci['high']:.4f} "
                   f"({ci['unit']}s resampled, {ci['samples']} bootstrap draws)")
    tables = [("seqeval (strict, IOB2)", "seqeval"), ("Span exact match on the original text", "spans")]
    if _seqeval_repeats_spans(report):
        tables = tables[1:]
        out.append("- seqeval (strict IOB2) gives the same figures as the span table below: on documents the "
                   "tokens are cut at every gold and predicted span edge, so a tag sequence matches exactly "
                   "when the span does (`report.json` keeps both)")
    for title, key in tables:
        out += [f"\n## {title}\n", "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        for name, r in _rows(report[key], labels):
            if r.get("zero_support"):
                out.append(f"| {name} | — | — | — | 0 (no gold span; left out of the macro average) |")
            else:
                out.append(f"| {name} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['support']} |")
    errors = report["errors"]
    out += ["\n## Errors\n", "| label | " + " | ".join(ERROR_KINDS) + " |", "|---|" + "---:|" * len(ERROR_KINDS)]
    for label, c in errors.get("per_label", {}).items():
        out.append(f"| {label} | " + " | ".join(str(c.get(k, 0)) for k in ERROR_KINDS) + " |")
    out.append("| all | " + " | ".join(str(errors["counts"].get(k, 0)) for k in ERROR_KINDS) + " |")
    for kind, examples in errors.get("examples", {}).items():
        out += [f"\n### {kind.replace('_', ' ')} (first {len(examples)} of {errors['counts'].get(kind, 0)})\n"]
        for e in examples:
            g = f"gold {e['gold']['label']} `{e['gold']['text']}`" if e["gold"] else "no gold span"
            p = f"predicted {e['pred']['label']} `{e['pred']['text']}`" if e["pred"] else "nothing predicted"
            out.append(f"- `{e['id']}`: {g}; {p} — …{e['context']}…")
    if "groups" in report:
        out += [f"\n## By {report['groups']['field']}\n", "| group | documents | spans | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
        for name, g in report["groups"]["scores"].items():
            m = g["micro"]
            out.append(f"| {name} | {g['documents']} | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    if "holders" in report:
        out += ["\n## Office holders (person–title pairs)\n", "| entities | gold pairs | P | R | F1 |", "|---|---:|---:|---:|---:|"]
        for mode in ("gold_entities", "predicted_entities"):
            h = report["holders"][mode]
            out.append(f"| {mode.split('_')[0]} | {h['gold']} | {h['precision']:.3f} | {h['recall']:.3f} | {h['f1']:.3f} |")
    return "\n".join(out) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write under a temporary name in the same directory, then rename: a reader (or a run
    killed half-way) never sees half a file, and the file is 0644 whatever mkstemp chose."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_report(report: dict, directory: Path) -> None:
    """report.json and report.md, each written under a temporary name and renamed. The old
    report.json goes first, so a run interrupted between the two renames leaves the new page
    alone, never beside the previous run's JSON; temporary files an earlier kill left behind
    are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    for stray in directory.glob(".report.*"):
        stray.unlink(missing_ok=True)
    (directory / "report.json").unlink(missing_ok=True)
    write_atomic(directory / "report.md", format_markdown(report))
    write_atomic(directory / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-evaluate", description="Score a trained model on a labelled file.")
    ap.add_argument("--model", required=True, type=Path, help="model directory written by polner-train")
    ap.add_argument("--data", required=True, type=Path, help="labelled file (see --format)")
    ap.add_argument("--format", choices=formats.READABLE, help="default: from the file's extension")
    ap.add_argument("--report-dir", type=Path, help="write report.json and report.md here")
    ap.add_argument("--doc-rules", choices=DOC_RULE_MODES, help="override the model's setting")
    ap.add_argument("--labels", help="map or ignore gold labels, e.g. LOC=ignore,NAME=PER")
    ap.add_argument("--select", help="score only the records whose meta has these values, e.g. corpus=v1")
    ap.add_argument("--by", dest="group_by", help="also score per value of this meta field (default: phenomenon, if present)")
    ap.add_argument("--holders", type=Path, metavar="LINKS", help="gold office-holder links (annotations/links/<split>.jsonl)")
    ap.add_argument("--bootstrap", type=int, default=1000, help="bootstrap draws for the micro-F1 interval (0: none)")
    ap.add_argument("--quantize", choices=["int8"], help="evaluate the int8-quantised model")
    args = ap.parse_args(argv)
    from inference.settings import ModelDirError, TaggerSettings, check_model_dir
    from inference.tagger import load_tagger

    try:
        if not args.data.is_file():
            raise DataError(f"data file not found: {args.data}")
        if args.holders is not None and not args.holders.is_file():
            raise DataError(f"--holders: links file not found: {args.holders}")
        if args.report_dir:
            writable_directory(args.report_dir, "--report-dir", DataError)
        # the gold is read and checked against the model's labels (polner.json) before the
        # weights load: a bad line is reported at once, not after the model is in memory
        labels = TaggerSettings.load(check_model_dir(args.model)).labels
        gold = read_gold(args.data, args.format, labels, label_map=parse_label_map(args.labels),
                         select=parse_select(args.select))
        tagger = load_tagger(args.model, doc_rules=args.doc_rules, quantize=args.quantize)
        report = evaluate_gold(tagger, gold, bootstrap=args.bootstrap, group_by=args.group_by, links=args.holders)
        report["model"] = model_info(args.model)
        print(format_table(report))
        if args.report_dir:
            write_report(report, args.report_dir)
            print(f"\nwrote {args.report_dir / 'report.json'} and report.md")
    except (DataError, ModelDirError, ValueError, OSError, UnicodeDecodeError) as exc:
        return error("polner-evaluate", exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
