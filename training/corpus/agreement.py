"""Inter-annotator agreement: span-level F1 between two independent annotations.

    python -m training.corpus.agreement --first annotations/batches --second annotations/iaa \
        [--diff]

Pairs every document of the second annotation with the document of the same id in the
first, and reports exact-match span F1 per label and micro-averaged (F1 is symmetric, so
neither side is "gold"). ``--diff`` lists every disagreement for adjudication.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from training.metrics import error_breakdown, span_scores
from inference.records import Document, read_documents
from inference.scheme import LABELS


def load_dir(path: Path) -> dict[str, Document]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return {d.id: d for f in files for d in read_documents(f)}


def agreement(first: dict[str, Document], second: dict[str, Document]) -> tuple[dict, list[str], list[dict]]:
    ids = sorted(i for i in second if i in first)
    a = [set(first[i].spans) for i in ids]
    b = [set(second[i].spans) for i in ids]
    for i in ids:
        if first[i].text != second[i].text:
            raise ValueError(f"{i}: the two annotations are of different texts")
    scores = span_scores(a, b, LABELS)
    _, cases = error_breakdown(a, b)
    diffs = []
    for c in cases:
        text = first[ids[c["doc"]]].text
        show = lambda s: None if s is None else f"{s.label} {text[s.start:s.end]!r} @{s.start}"  # noqa: E731
        diffs.append({"id": ids[c["doc"]], "kind": c["kind"], "first": show(c["gold"]), "second": show(c["pred"])})
    return scores, ids, diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--first", type=Path, default=Path("annotations/batches"))
    ap.add_argument("--second", type=Path, default=Path("annotations/iaa"))
    ap.add_argument("--diff", action="store_true")
    ap.add_argument("--json", type=Path, help="write the scores here")
    args = ap.parse_args(argv)
    scores, ids, diffs = agreement(load_dir(args.first), load_dir(args.second))
    if not ids:
        print("no document is annotated twice", file=sys.stderr)
        return 1
    print(f"{len(ids)} documents annotated twice")
    print(f"{'':>6} {'F1':>7} {'support(first)':>15}")
    for lab in LABELS:
        r = scores["per_label"][lab]
        print(f"{lab:>6} {r['f1']:7.4f} {r['support']:15d}")
    print(f"{'micro':>6} {scores['micro']['f1']:7.4f} {scores['micro']['support']:15d}")
    if args.diff:
        for d in diffs:
            print(json.dumps(d, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps({"documents": ids, "scores": scores}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
