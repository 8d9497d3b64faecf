"""Evaluate a trained model on any labelled file and write a per-label report.

    polner-evaluate --model DIR --data FILE [--report-dir DIR] [--doc-rules off|repair|union]

Documents (the data contract) are tagged with the real ``Tagger.tag_batch`` and scored on
the original text, so the numbers are what a user of ``tag()`` gets. Pre-tokenised files
(``words``/``tags`` JSONL or CoNLL) are scored on their own words.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from inference.segment import syllabify
from inference.tagger import Tagger, load_tagger
from training.data import detect_format, read_conll, read_words_jsonl
from training.metrics import (
    ERROR_KINDS,
    SpanT,
    error_breakdown,
    seqeval_scores,
    span_scores,
    spans_to_tags,
    tags_to_spans,
)
from training.records import DataError, Document, read_documents


def evaluate_documents(tagger: Tagger, docs: Sequence[Document], labels: Sequence[str]) -> dict:
    preds = tagger.tag_batch([d.text for d in docs])
    gold_sets = [{SpanT(s.start, s.end, s.label) for s in d.spans} for d in docs]
    pred_sets = [{SpanT(e.start, e.end, e.label) for e in p} for p in preds]
    gold_tags, pred_tags = [], []
    for d, g, p in zip(docs, gold_sets, pred_sets):
        edges = {x for s in g | p for x in (s.start, s.end)}
        tokens = syllabify(d.text, boundaries=edges)
        gold_tags.append(spans_to_tags(tokens, g))
        pred_tags.append(spans_to_tags(tokens, p))
    counts, cases = error_breakdown(gold_sets, pred_sets)
    examples = []
    for c in cases[:200]:
        text = docs[c["doc"]].text

        def show(s):
            return None if s is None else {"text": text[s.start : s.end], "label": s.label, "start": s.start, "end": s.end}

        examples.append({"id": docs[c["doc"]].id, "kind": c["kind"], "gold": show(c["gold"]), "pred": show(c["pred"])})
    return {
        "documents": len(docs),
        "seqeval": seqeval_scores(gold_tags, pred_tags, labels),
        "spans": span_scores(gold_sets, pred_sets, labels),
        "errors": dict(counts),
        "error_examples": examples,
    }


def evaluate_sentences(tagger: Tagger, rows: Sequence[tuple[list[str], list[str], str]], labels: Sequence[str]) -> dict:
    pred_tags = tagger.predict_words([w for w, _, _ in rows])
    gold_tags = [t for _, t, _ in rows]
    golds = [tags_to_spans(t) for t in gold_tags]
    preds = [tags_to_spans(t) for t in pred_tags]
    counts, _ = error_breakdown(golds, preds)
    return {
        "sentences": len(rows),
        "seqeval": seqeval_scores(gold_tags, pred_tags, labels),
        "spans": span_scores(golds, preds, labels),
        "errors": dict(counts),
    }


def evaluate_file(tagger: Tagger, path: Path, fmt: str = "auto") -> dict:
    fmt = detect_format(path) if fmt == "auto" else fmt
    labels = tagger.settings.labels
    if fmt == "jsonl":
        docs = read_documents(path)
        unknown = sorted({s.label for d in docs for s in d.spans} - set(labels))
        if unknown:
            raise DataError(f"{path}: labels {unknown} are not among the model's labels {labels}")
        report = evaluate_documents(tagger, docs, labels)
    else:
        rows = read_words_jsonl(path) if fmt == "words-jsonl" else read_conll(path)
        report = evaluate_sentences(tagger, rows, labels)
    report.update({"data": str(path), "format": fmt, "doc_rules": tagger.doc_rules, "labels": list(labels)})
    return report


def _rows(section: dict, labels: Sequence[str]) -> list[tuple[str, dict]]:
    return [(lab, section["per_label"][lab]) for lab in labels] + [
        ("micro avg", section["micro"]),
        ("macro avg", section["macro"]),
    ]


def format_table(report: dict) -> str:
    labels = report["labels"]
    lines = [f"data: {report['data']}  ({report.get('documents', report.get('sentences'))} "
             f"{'documents' if 'documents' in report else 'sentences'}, doc_rules={report['doc_rules']})"]
    for title, key in (("seqeval, strict IOB2", "seqeval"), ("span exact match on the original text", "spans")):
        lines.append(f"\n{title}")
        lines.append(f"{'':>10} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}")
        for name, r in _rows(report[key], labels):
            lines.append(f"{name:>10} {r['precision']:9.4f} {r['recall']:9.4f} {r['f1']:9.4f} {r['support']:8d}")
    lines.append("\nerrors: " + ", ".join(f"{k}={report['errors'].get(k, 0)}" for k in ERROR_KINDS))
    return "\n".join(lines)


def format_markdown(report: dict) -> str:
    labels = report["labels"]
    out = [f"# Evaluation report\n\n- data: `{report['data']}` ({report['format']})",
           f"- doc_rules: `{report['doc_rules']}`"]
    for title, key in (("seqeval (strict, IOB2)", "seqeval"), ("Span exact match on the original text", "spans")):
        out += [f"\n## {title}\n", "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        for name, r in _rows(report[key], labels):
            out.append(f"| {name} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['support']} |")
    out += ["\n## Errors\n", "| kind | count |", "|---|---:|"]
    out += [f"| {k} | {report['errors'].get(k, 0)} |" for k in ERROR_KINDS]
    return "\n".join(out) + "\n"


def write_report(report: dict, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (directory / "report.md").write_text(format_markdown(report), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-evaluate", description="Score a trained model on a labelled file.")
    ap.add_argument("--model", required=True, help="model directory written by polner-train")
    ap.add_argument("--data", required=True, type=Path, help="JSONL documents, words/tags JSONL or CoNLL")
    ap.add_argument("--format", default="auto", choices=["auto", "jsonl", "words-jsonl", "conll"])
    ap.add_argument("--report-dir", type=Path, help="write report.json and report.md here")
    ap.add_argument("--doc-rules", choices=["off", "repair", "union"], help="override the model's setting")
    ap.add_argument("--quantize", choices=["int8"], help="evaluate the int8-quantised model")
    args = ap.parse_args(argv)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        if not args.data.is_file():
            raise DataError(f"data file not found: {args.data}")
        tagger = load_tagger(args.model, doc_rules=args.doc_rules, quantize=args.quantize)
        report = evaluate_file(tagger, args.data, args.format)
    except (DataError, FileNotFoundError, ValueError) as exc:
        print(f"polner-evaluate: error: {exc}", file=sys.stderr)
        return 2
    print(format_table(report))
    if args.report_dir:
        write_report(report, args.report_dir)
        print(f"\nwrote {args.report_dir / 'report.json'} and report.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
