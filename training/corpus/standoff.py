"""Stand-off annotations: ship offsets and labels, not the text they point into.

Some source articles may be annotated for research but not redistributed (the baomoi.com
articles of shared/data/raw_news carry no licence). Their annotations are stored without
text, with a SHA-256 of the text so that a user who has the source can rebuild the full
records and know they are byte-for-byte what was annotated.

    # annotator side: full records -> stand-off files, split by article
    python -m training.corpus.standoff strip FULL.jsonl [...] --out annotations/standoff [--seed 13]
    # corpus v2: the split recorded by training.corpus.split, added to the v1 stand-off files
    python -m training.corpus.standoff strip annotations/work/v2/final/sb*.jsonl --out annotations/standoff \
        --split annotations/data/split.json --append
    # user side: stand-off + own copy of the articles -> full records (+ the shipped corpus)
    python -m training.corpus.standoff materialise --raw-news PATH/political_news.jsonl \
        --standoff annotations/standoff --with annotations/data --out annotations/data-extended
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from inference.cli import error
from training.corpus.mentions import document_text
from training.corpus.split import SPLITS, deal
from training.corpus.validate import load_reserved, validate_files
from inference.spans import Span
from inference.records import DataError, Document, iter_jsonl, read_documents, write_documents


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_standoff(doc: Document) -> dict:
    return {
        "id": doc.id,
        "text_sha256": sha256(doc.text),
        "text_length": len(doc.text),
        "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in sorted(doc.spans)],
        "meta": {k: v for k, v in doc.meta.items() if k != "text"},
    }


def read_standoff(path: Path) -> list[dict]:
    out = []
    for line_no, obj in iter_jsonl(path):
        where = f"{path}:{line_no}"
        if not isinstance(obj, dict) or "text" in obj:
            raise DataError(f"{where}: a stand-off record must be an object without 'text'")
        for key in ("id", "text_sha256", "text_length", "spans", "meta"):
            if key not in obj:
                raise DataError(f"{where} (id={obj.get('id')!r}): missing {key!r}")
        prev_end = -1
        for s in sorted(obj["spans"], key=lambda s: (s["start"], s["end"])):
            if not (0 <= s["start"] < s["end"] <= obj["text_length"]) or s["start"] < prev_end:
                raise DataError(f"{where} (id={obj['id']!r}): bad or overlapping span {s}")
            prev_end = s["end"]
        out.append(obj)
    return out


def materialise(records: list[dict], raw_news: Path, where: str) -> list[Document]:
    """Rebuild full documents from stand-off records and the user's copy of the articles."""
    wanted = {r["meta"].get("source_id", r["id"]) for r in records}
    raws = {}
    for _, obj in iter_jsonl(raw_news):
        if isinstance(obj, dict) and obj.get("id") in wanted:
            raws[obj["id"]] = obj
    docs = []
    for r in records:
        src = r["meta"].get("source_id", r["id"])
        if src not in raws:
            raise DataError(f"{where} (id={r['id']!r}): article {src!r} is not in {raw_news}")
        text = document_text(raws[src])
        if len(text) != r["text_length"] or sha256(text) != r["text_sha256"]:
            raise DataError(
                f"{where} (id={r['id']!r}): the text of {src!r} in {raw_news} differs from the annotated one "
                f"(length {len(text)} vs {r['text_length']}); offsets would not fit"
            )
        docs.append(Document(r["id"], text, [Span(s["start"], s["end"], s["label"]) for s in r["spans"]], r["meta"]))
    return docs


def cmd_strip(args: argparse.Namespace) -> int:
    problems = validate_files(args.files, reserved=load_reserved(args.reserved))
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 1
    docs = [d for f in args.files for d in read_documents(f)]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.split:  # the assignment recorded by training.corpus.split (corpus v2 and later)
        assign = json.loads(args.split.read_text(encoding="utf-8")).get("standoff", {}).get("assign", {})
        missing = [d.id for d in docs if d.id not in assign]
        if missing:
            return error("standoff", f"{args.split} assigns no split to {', '.join(missing[:5])}")
        parts = {name: [d for d in docs if assign[d.id] == name] for name in SPLITS}
    else:
        parts = deal(docs, args.seed, (0.7, 0.15, 0.15))
    for name, part in parts.items():
        path = args.out / f"{name}.jsonl"
        old = read_standoff(path) if args.append and path.is_file() else []
        clash = {r["id"] for r in old} & {d.id for d in part}
        if clash:
            return error("standoff", f"{path} already holds {', '.join(sorted(clash)[:5])}")
        with open(path, "w", encoding="utf-8") as fh:
            for rec in old + [to_standoff(d) for d in sorted(part, key=lambda d: d.id)]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{name}: {len(old)} kept + {len(part)} new stand-off records")
    return 0


def cmd_materialise(args: argparse.Namespace) -> int:
    if not args.raw_news.is_file():
        return error("standoff", f"{args.raw_news} not found: give the path of your copy of political_news.jsonl")
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        for name in SPLITS:
            docs: list[Document] = []
            if args.with_dir is not None:
                docs += read_documents(args.with_dir / f"{name}.jsonl")
            path = args.standoff / f"{name}.jsonl"
            docs += materialise(read_standoff(path), args.raw_news, str(path))
            write_documents(docs, args.out / f"{name}.jsonl")
            print(f"{name}: {len(docs)} documents -> {args.out / (name + '.jsonl')}")
    except DataError as exc:
        return error("standoff", exc)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("strip", help="full records -> stand-off train/dev/test")
    s.add_argument("files", nargs="+", type=Path)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--seed", type=int, default=13)
    s.add_argument("--split", type=Path, help="take each record's split from this split.json (its 'standoff' part)")
    s.add_argument("--append", action="store_true", help="keep the records already in the output files")
    s.add_argument("--reserved", type=Path, default=Path("annotations/RESERVED_IDS.sha256"))
    s.set_defaults(func=cmd_strip)
    m = sub.add_parser("materialise", help="stand-off + your copy of the articles -> full records")
    m.add_argument("--raw-news", type=Path, required=True)
    m.add_argument("--standoff", type=Path, default=Path("annotations/standoff"))
    m.add_argument("--with", dest="with_dir", type=Path, help="prepend this corpus's splits (e.g. annotations/data)")
    m.add_argument("--out", type=Path, required=True)
    m.set_defaults(func=cmd_materialise)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
