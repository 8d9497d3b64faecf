"""Merge annotation batches and split them by article into train/dev/test.

    # corpus v1 (150 articles): a fresh split
    python -m training.corpus.split --batches annotations/batches --out annotations/data --seed 13
    # corpus v2: v1 keeps its split, new articles are dealt by source
    python -m training.corpus.split --batches annotations/batches --out annotations/data \
        --keep annotations/data/split.json --seed 11 --version 2 \
        [--standoff-records annotations/work/v2/final/sb*.jsonl]

Whole articles go to one split (sentences of one article never leak across splits); the
cuts of one Wikipedia page or one law are one article (the id before ``#``).

- v1 (no ``--keep``): stratified on the rarest label: articles are ordered by how many spans
  of that label they hold (ties broken by a seeded shuffle) and dealt out 70/15/15.
- v2 (``--keep``): the articles of the kept split stay where they were, so old and new
  figures stay comparable; new articles are dealt per source (Dân trí, Wikipedia, law,
  baomoi), each source's articles in a seeded order, each to the split furthest below its
  share of that source's records. Stand-off records (``--standoff-records``, text that is not
  shipped) are dealt with them, and their assignment is recorded for
  ``training.corpus.standoff strip --split``.

Every record written gets ``meta.corpus`` (``v1`` or ``v2``): the split file of a version
holds the articles of the earlier one, and evaluation can select them (``--select corpus=v1``).
The assignment, seed and version go to ``split.json``; a rerun reproduces it exactly.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from inference.records import Document, read_documents, write_documents
from training.corpus.validate import validate_files

SPLITS = ("train", "dev", "test")
SOURCES = {"dantri": "dantri_", "wikipedia": "viwiki_", "law": "vlc_", "baomoi": "baomoi"}


def source_of(doc_id: str) -> str:
    for name, prefix in SOURCES.items():
        if doc_id.startswith(prefix):
            return name
    return "other"


def article_of(doc_id: str) -> str:
    """The article a record belongs to: cuts of one page or law share it."""
    return doc_id.split("#", 1)[0]


def deal(docs: list[Document], seed: int, ratios: tuple[float, float, float]) -> dict[str, list[Document]]:
    """v1: stratified on the rarest label (see module doc)."""
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


def deal_by_source(ids: list[str], seed: int, ratios: tuple[float, float, float]) -> dict[str, str]:
    """v2: record id -> split, by article, stratified by source (see module doc)."""
    rng = random.Random(seed)
    assign: dict[str, str] = {}
    for source in (*SOURCES, "other"):
        articles: dict[str, list[str]] = {}
        for i in sorted(i for i in ids if source_of(i) == source):
            articles.setdefault(article_of(i), []).append(i)
        groups = [g for _, g in sorted(articles.items())]
        rng.shuffle(groups)
        counts = dict.fromkeys(SPLITS, 0)
        done = 0
        for g in groups:
            done += len(g)
            deficit = {s: ratios[k] * done - counts[s] for k, s in enumerate(SPLITS)}
            part = max(SPLITS, key=lambda s: deficit[s])
            counts[part] += len(g)
            for i in g:
                assign[i] = part
    return assign


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batches", type=Path, default=Path("annotations/batches"))
    ap.add_argument("--out", type=Path, default=Path("annotations/data"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--ratios", default="0.7,0.15,0.15")
    ap.add_argument("--keep", type=Path, help="split.json of the previous version: its articles keep their split")
    ap.add_argument("--version", type=int, default=1, help="corpus version written to split.json and meta.corpus")
    ap.add_argument("--standoff-records", type=Path, nargs="*", default=[],
                    help="full stand-off records (not shipped) to deal with the new articles")
    args = ap.parse_args(argv)
    files = sorted(args.batches.glob("*.jsonl"))
    problems = validate_files(files + list(args.standoff_records))
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problem(s); fix them before splitting", file=sys.stderr)
        return 1
    docs = [d for f in files for d in read_documents(f)]
    ratios = tuple(float(x) for x in args.ratios.split(","))
    summary: dict = {"version": args.version, "seed": args.seed, "ratios": ratios, "batches": [f.name for f in files]}
    if args.keep:
        kept = json.loads(args.keep.read_text(encoding="utf-8"))
        previous = {i: part for part, v in kept["splits"].items() for i in v["ids"]}
        standoff_ids = [d.id for f in args.standoff_records for d in read_documents(f)]
        kept_standoff = kept.get("standoff", {}).get("assign", {})
        new = [d.id for d in docs if d.id not in previous] + [i for i in standoff_ids if i not in kept_standoff]
        assign = {**previous, **kept_standoff, **deal_by_source(new, args.seed, ratios)}  # type: ignore[arg-type]
        parts = {s: [d for d in docs if assign[d.id] == s] for s in SPLITS}
        earlier = f"v{kept.get('version', 1)}"
        summary["kept"] = {"from": str(args.keep), "version": kept.get("version", 1), "articles": len(previous)}
        summary["method"] = ("previous articles keep their split; new articles (cuts of one page or law together) "
                             "dealt per source in a seeded order, each to the split furthest below its share")
        if standoff_ids:
            summary["standoff"] = {"assign": {i: assign[i] for i in sorted(set(standoff_ids) | set(kept_standoff))}}
        for d in docs:
            d.meta["corpus"] = earlier if d.id in previous else f"v{args.version}"
    else:
        parts = deal(docs, args.seed, ratios)  # type: ignore[arg-type]
        for d in docs:
            d.meta["corpus"] = f"v{args.version}"
    args.out.mkdir(parents=True, exist_ok=True)
    summary["splits"] = {}
    for name, part in parts.items():
        part.sort(key=lambda d: d.id)
        write_documents(part, args.out / f"{name}.jsonl")
        labels = Counter(s.label for d in part for s in d.spans)
        by_corpus = Counter(d.meta["corpus"] for d in part)
        by_source = Counter(source_of(d.id) for d in part)
        summary["splits"][name] = {"ids": [d.id for d in part], "spans": dict(sorted(labels.items())),
                                   "corpus": dict(sorted(by_corpus.items())), "sources": dict(sorted(by_source.items()))}
        print(f"{name}: {len(part)} records {dict(by_source)}, {sum(labels.values())} spans {dict(sorted(labels.items()))}")
    (args.out / "split.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
