"""Turn an annotator's ordered mention list into character-offset spans.

Annotators (people or tools) are bad at counting characters and good at copying strings.
So an annotation work file lists mentions in reading order, one per line::

    PER<TAB>Nguyễn Xuân Phúc
    TITLE<TAB>Thủ tướng Chính phủ
    SKIP<TAB>Trung ương        # passes over an occurrence that is *not* an entity
    DOC~<TAB>18-NQ/TW          # "~": may touch a neighbouring word (source text glued)

and each mention is found at its next whole-word occurrence after the previous one. A
mention that cannot be found is an error naming the file and line, never a silent drop.

    python -m training.corpus.mentions --source RAW.jsonl --ann-dir DIR --out OUT.jsonl \
        --annotator NAME [--review]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from training.records import DataError, Document, Span, write_documents

LABELS = ("PER", "TITLE", "ORG", "DOC")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_whole(text: str, needle: str, start: int) -> int:
    """Index of the next occurrence of needle at or after start on word boundaries, or -1."""
    pos = text.find(needle, start)
    while pos != -1:
        before_ok = pos == 0 or not (_is_word_char(text[pos - 1]) and _is_word_char(needle[0]))
        after = pos + len(needle)
        after_ok = after == len(text) or not (
            _is_word_char(text[after]) and _is_word_char(needle[-1])
        )
        if before_ok and after_ok:
            return pos
        pos = text.find(needle, pos + 1)
    return -1


def align_mentions(text: str, lines: list[str], where: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for line_no, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            raise DataError(f"{where}:{line_no}: expected LABEL<TAB>mention, got {line!r}")
        label, mention = line.split("\t", 1)
        label = label.strip()
        glued = label.endswith("~")
        label = label.rstrip("~")
        if label not in LABELS and label != "SKIP":
            raise DataError(f"{where}:{line_no}: unknown label {label!r}")
        if mention != mention.strip() or not mention:
            raise DataError(f"{where}:{line_no}: mention {mention!r} has surrounding spaces")
        pos = text.find(mention, cursor) if glued else find_whole(text, mention, cursor)
        if pos == -1:
            context = text[cursor : cursor + 80].replace("\n", " ")
            raise DataError(
                f"{where}:{line_no}: {label} {mention!r} not found after offset {cursor} "
                f"(text there: {context!r}...)"
            )
        cursor = pos + len(mention)
        if label != "SKIP":
            spans.append(Span(pos, cursor, label))
    return spans


def document_text(raw: dict) -> str:
    """The record text of a raw article: its title on the first line, then the body."""
    return f"{raw['title'].strip()}\n{raw['text']}"


def build(source: Path, ann_dir: Path, annotator: str) -> list[Document]:
    raws = {}
    with open(source, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                raws[obj["id"]] = obj
    docs = []
    for ann in sorted(ann_dir.glob("*.ann")):
        doc_id = ann.stem
        if doc_id not in raws:
            raise DataError(f"{ann}: no article with id {doc_id!r} in {source}")
        raw = raws[doc_id]
        text = document_text(raw)
        spans = align_mentions(text, ann.read_text(encoding="utf-8").splitlines(), str(ann))
        meta = {
            "source_id": raw["id"],
            "source_site": raw.get("source_site"),
            "url": raw.get("url"),
            "date": raw.get("date"),
            "source_repo": raw.get("source_repo"),
            "source_commit": raw.get("source_commit"),
            "source_path": raw.get("source_path"),
            "annotator": annotator,
        }
        docs.append(Document(doc_id, text, spans, meta))
    return docs


def review(doc: Document, width: int = 25) -> str:
    out = [f"== {doc.id} ({len(doc.spans)} spans)"]
    for s in doc.spans:
        left = doc.text[max(0, s.start - width) : s.start].replace("\n", "⏎")
        right = doc.text[s.end : s.end + width].replace("\n", "⏎")
        out.append(f"{s.label:5} {left:>{width}}[{doc.text[s.start:s.end]}]{right}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="raw articles JSONL")
    ap.add_argument("--ann-dir", type=Path, required=True, help="folder of <id>.ann files")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--annotator", required=True)
    ap.add_argument("--review", action="store_true", help="print every span in context")
    args = ap.parse_args(argv)
    try:
        docs = build(args.source, args.ann_dir, args.annotator)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_documents(docs, args.out)
    if args.review:
        for d in docs:
            print(review(d))
    print(f"wrote {len(docs)} documents, {sum(len(d.spans) for d in docs)} spans to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
