"""Merge annotation batches and split them by article into train/dev/test.

    python -m training.corpus.split --batches annotations/batches --out annotations/data \
        [--seed 13] [--ratios 0.7,0.15,0.15]

Whole articles go to one split (sentences of one article never leak across splits). The
split is stratified on the rarest label: articles are ordered by how many spans of that
label they hold (ties broken by a seeded shuffle) and dealt out in a 70/15/15 pattern, so
each split gets its share of it. The assignment and the seed are written to
``split.json``; rerunning with the same batches and seed reproduces it exactly.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from training.corpus.validate import validate_files
from training.records import Document, read_documents, write_documents

SPLITS = ("train", "dev", "test")


def deal(docs: list[Document], seed: int, ratios: tuple[float, float, float]) -> dict[str, list[Document]]:
    counts = Counter(s.label for d in docs for s in d.spans)
    rarest = min(counts, key=counts.get) if counts else None
    rng = random.Random(seed)
    order = sorted(docs, key=lambda d: d.id)
    rng.shuffle(order)
    order.sort(key=lambda d: -sum(s.label == rarest for s in d.spans))
    out: dict[str, list[Document]] = {s: [] for s in SPLITS}
    for i, doc in enumerate(order, 1):
        # give the document to the split furthest below its target share so far
        deficit = {s: ratios[k] * i - len(out[s]) for k, s in enumerate(SPLITS)}
        out[max(SPLITS, key=lambda s: deficit[s])].append(doc)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batches", type=Path, default=Path("annotations/batches"))
    ap.add_argument("--out", type=Path, default=Path("annotations/data"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--ratios", default="0.7,0.15,0.15")
    args = ap.parse_args(argv)
    files = sorted(args.batches.glob("*.jsonl"))
    problems = validate_files(files)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problem(s); fix them before splitting", file=sys.stderr)
        return 1
    docs = [d for f in files for d in read_documents(f)]
    ratios = tuple(float(x) for x in args.ratios.split(","))
    parts = deal(docs, args.seed, ratios)  # type: ignore[arg-type]
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {"seed": args.seed, "ratios": ratios, "batches": [f.name for f in files], "splits": {}}
    for name, part in parts.items():
        part.sort(key=lambda d: d.id)
        write_documents(part, args.out / f"{name}.jsonl")
        labels = Counter(s.label for d in part for s in d.spans)
        summary["splits"][name] = {"ids": [d.id for d in part], "spans": dict(sorted(labels.items()))}
        missing = {"PER", "TITLE", "ORG", "DOC"} - set(labels)
        print(f"{name}: {len(part)} articles, {sum(labels.values())} spans {dict(sorted(labels.items()))}"
              + (f"  MISSING {sorted(missing)}" if missing else ""))
    (args.out / "split.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
