"""Turn an annotator's ordered mention list into character-offset spans.

Annotators (people or tools) are bad at counting characters and good at copying strings.
So an annotation work file lists mentions in reading order, one per line::

    PER<TAB>Nguyễn Xuân Phúc
    TITLE<TAB>Thủ tướng Chính phủ
    SKIP<TAB>Trung ương        # passes over an occurrence that is *not* an entity
    DOC~<TAB>18-NQ/TW          # "~": may touch a neighbouring word (source text glued)

and each mention is found at its next whole-word occurrence after the previous one. A
mention that cannot be found is an error naming the file and line, never a silent drop.

    python -m training.corpus.mentions --source RECORDS.jsonl --ann-dir DIR --out OUT.jsonl \
        --annotator NAME [--review] [--partial]
    python -m training.corpus.mentions --source RECORDS.jsonl --ann-dir DIR --annotator NAME \
        --prefill PROPOSALS.jsonl [--only ID ...]

One list per record, named after its id (``/`` -> ``_``, ``#`` -> ``@``; ``.txt`` or
``.ann``). Records in the data contract keep their ``meta`` (licence, attribution) and
gain ``annotator``. ``--prefill`` starts lists from the rule pre-annotator's proposals.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from inference.cli import error
from inference.spans import Span
from inference.records import DataError, Document, write_documents
from inference.scheme import LABELS


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
    """The record text: a record of the data contract as it is; a raw article (v1 sources,
    with a separate ``title``) as its title on the first line, then the body."""
    if "title" not in raw:
        return raw["text"]
    return f"{raw['title'].strip()}\n{raw['text']}"


def file_stem(record_id: str) -> str:
    """The mention-list file name of a record (ids may hold ``/`` and ``#``)."""
    return record_id.replace("/", "_").replace("#", "@")


def _meta(raw: dict, annotator: str) -> dict:
    if "title" not in raw:  # a data-contract record: its meta carries licence and attribution
        return {**raw.get("meta", {}), "annotator": annotator}
    keys = ("source_site", "url", "date", "source_repo", "source_commit", "source_path")
    return {"source_id": raw["id"], **{k: raw.get(k) for k in keys}, "annotator": annotator}


def read_sources(source: Path) -> dict[str, dict]:
    raws: dict[str, dict] = {}
    with open(source, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if line.strip():
                obj = json.loads(line)
                if obj["id"] in raws:
                    raise DataError(f"{source}:{line_no}: duplicate id {obj['id']!r}")
                raws[obj["id"]] = obj
    return raws


def build(source: Path, ann_dir: Path, annotator: str, partial: bool = False) -> list[Document]:
    """Records with spans from the mention lists in ``ann_dir`` (``<stem>.txt`` or ``.ann``
    per record, see ``file_stem``), in the order of ``source``. Unless ``partial``, every
    record of ``source`` must have a list."""
    raws = read_sources(source)
    by_stem = {file_stem(i): i for i in raws}
    if len(by_stem) != len(raws):
        raise DataError(f"{source}: two record ids map to the same file name")
    docs = {}
    for ann in sorted([*ann_dir.glob("*.ann"), *ann_dir.glob("*.txt")]):
        doc_id = by_stem.get(ann.stem)
        if doc_id is None:
            raise DataError(f"{ann}: no record of {source} has this file name (<id with / -> _ and # -> @>)")
        if doc_id in docs:
            raise DataError(f"{ann}: a second mention list for {doc_id!r}")
        raw = raws[doc_id]
        text = document_text(raw)
        spans = align_mentions(text, ann.read_text(encoding="utf-8").splitlines(), str(ann))
        docs[doc_id] = Document(doc_id, text, spans, _meta(raw, annotator))
    missing = [i for i in raws if i not in docs]
    if missing and not partial:
        raise DataError(f"{len(missing)} record(s) of {source} have no mention list in {ann_dir}: {', '.join(missing[:5])}")
    return [docs[i] for i in raws if i in docs]


def prefill_lines(doc: Document) -> list[str]:
    """A mention list that places exactly ``doc``'s spans (proposals to be corrected), with
    ``SKIP`` lines for earlier unlabelled occurrences; a span that cannot be placed becomes
    a comment line."""
    lines, cursor = [], 0
    for sp in sorted(doc.spans):
        mention = doc.text[sp.start : sp.end]
        while True:
            pos = find_whole(doc.text, mention, cursor)
            if pos == -1 or pos >= sp.start:
                break
            lines.append(f"SKIP\t{mention}")
            cursor = pos + len(mention)
        if pos != sp.start:
            if doc.text.find(mention, cursor) == sp.start:  # glued to a neighbouring word
                lines.append(f"{sp.label}~\t{mention}")
                cursor = sp.end
            else:
                lines.append(f"# PROPOSAL NOT PLACEABLE: {sp.label}\t{mention}")
            continue
        lines.append(f"{sp.label}\t{mention}")
        cursor = sp.end
    return lines


def prefill(proposals: Path, ann_dir: Path, only: set[str] | None = None) -> int:
    """Write a mention list per proposed record that has none yet; returns how many."""
    from inference.records import read_documents

    ann_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for doc in read_documents(proposals):
        target = ann_dir / f"{file_stem(doc.id)}.txt"
        if (only and doc.id not in only) or target.exists():
            continue
        target.write_text("\n".join(prefill_lines(doc)) + "\n", encoding="utf-8")
        written += 1
    return written


def review(doc: Document, width: int = 25) -> str:
    out = [f"== {doc.id} ({len(doc.spans)} spans)"]
    for s in doc.spans:
        left = doc.text[max(0, s.start - width) : s.start].replace("\n", "⏎")
        right = doc.text[s.end : s.end + width].replace("\n", "⏎")
        out.append(f"{s.label:5} {left:>{width}}[{doc.text[s.start:s.end]}]{right}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="records (data contract) or raw articles, JSONL")
    ap.add_argument("--ann-dir", type=Path, required=True, help="folder of mention lists, <id>.txt or <id>.ann")
    ap.add_argument("--out", type=Path, help="write the annotated records here")
    ap.add_argument("--annotator", required=True)
    ap.add_argument("--review", action="store_true", help="print every span in context")
    ap.add_argument("--partial", action="store_true", help="convert the lists present; do not require one per record")
    ap.add_argument("--prefill", type=Path, metavar="PROPOSALS",
                    help="instead: write missing mention lists from these proposed records")
    ap.add_argument("--only", nargs="+", help="with --prefill: only these record ids")
    args = ap.parse_args(argv)
    try:
        if args.prefill:
            n = prefill(args.prefill, args.ann_dir, set(args.only or ()))
            print(f"prefilled {n} mention list(s) in {args.ann_dir}")
            return 0
        if args.out is None:
            ap.error("--out is required unless --prefill is given")
        docs = build(args.source, args.ann_dir, args.annotator, args.partial)
    except DataError as exc:
        return error("mentions", exc)
    write_documents(docs, args.out)
    if args.review:
        for d in docs:
            print(review(d))
    print(f"wrote {len(docs)} documents, {sum(len(d.spans) for d in docs)} spans to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
