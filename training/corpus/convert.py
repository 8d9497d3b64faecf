"""Convert the corpus to and from the formats of common annotation tools.

    python -m training.corpus.convert to-conll        IN.jsonl OUT.conll
    python -m training.corpus.convert to-doccano      IN.jsonl OUT.jsonl
    python -m training.corpus.convert from-doccano    IN.jsonl OUT.jsonl
    python -m training.corpus.convert to-labelstudio  IN.jsonl OUT.json
    python -m training.corpus.convert from-labelstudio IN.json OUT.jsonl

The readers and writers are those of ``inference.formats`` (the same ones ``polner-tag``
and ``polner-evaluate`` use); this module adds what a corpus conversion needs:

- CoNLL (IOB2, ``word tag``, blank line between sentences, ``-DOCSTART-`` between
  documents) goes through the project's own preprocessing (``training.data.document_examples``
  with the pyvi segmenter), so its words are the segmented words PhoBERT sees
  (``Bí_thư``), not whitespace tokens. Export only: segmentation loses the original offsets.
- doccano and Label Studio keep our id (``doc_id``) and ``meta``, so a round trip is lossless.
- Every import is checked with ``training.corpus.validate`` before it is written: a bad
  record is an error naming the input file and the record, never a silently dropped span.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from inference.cli import error
from inference import formats
from inference.formats import OutputDoc
from inference.iob import bio_tags
from inference.records import DataError, Document, read_documents, write_documents
from inference.scheme import LABELS
from training.corpus.validate import validate_files
from training.data import document_examples

COMMANDS = {  # command -> (format, direction)
    "to-conll": ("conll", "out"),
    "to-doccano": ("doccano", "out"),
    "from-doccano": ("doccano", "in"),
    "to-labelstudio": ("label-studio", "out"),
    "from-labelstudio": ("label-studio", "in"),
}


def conll_sentences(doc: Document, labels: Sequence[str] = LABELS, segmenter: str = "pyvi"):
    """(word, tag) sentences of a gold document, through the model's preprocessing."""
    from inference.preprocess import Preprocessor  # pyvi loads its CRF: only when needed

    pre = Preprocessor(segmenter)
    return [list(zip(ex.forms, ex.tags)) for ex in document_examples(doc, pre, set(bio_tags(labels)), f"id={doc.id!r}")]


def to_format(docs: Sequence[Document], fmt: str, labels: Sequence[str] = LABELS) -> str:
    f = formats.get(fmt)
    outs = [OutputDoc.from_document(d, conll_sentences(d, labels) if "sentences" in f.needs else None) for d in docs]
    return f.write(outs, True)


def to_doccano(docs: Sequence[Document]) -> list[dict]:
    import json

    return [json.loads(line) for line in to_format(docs, "doccano").splitlines()]


def to_labelstudio(docs: Sequence[Document]) -> list[dict]:
    import json

    return json.loads(to_format(docs, "label-studio"))


from_doccano = formats.read_doccano
from_labelstudio = formats.read_labelstudio


def check_imported(docs: Sequence[Document], source: Path, labels: Sequence[str] = LABELS) -> None:
    """Run the corpus validator on imported records; errors name the input file and record."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_file = Path(tmp) / "imported.jsonl"
        write_documents(docs, tmp_file)
        problems = validate_files([tmp_file], labels)
    if problems:
        lines = [f"{source}: record {p.line} (id={p.id}): {p.message}" for p in problems]
        raise DataError(f"{len(problems)} problem(s) in imported records:\n" + "\n".join(lines))


def convert(command: str, src: Path, out: Path, labels: Sequence[str] = LABELS) -> str:
    """Run one conversion; returns a one-line summary."""
    fmt, direction = COMMANDS[command]
    if direction == "in":
        docs = formats.get(fmt).read(src)
        check_imported(docs, src, labels)
        write_documents(docs, out)
        return f"imported {len(docs)} documents ({sum(len(d.spans) for d in docs)} spans) to {out}"
    docs = read_documents(src)
    text = to_format(docs, fmt, labels)
    out.write_text(text, encoding="utf-8")
    if fmt == "conll":
        return f"wrote {len(docs)} documents, {text.count(chr(10) + chr(10)) - len(docs)} sentences to {out}"
    return f"wrote {len(docs)} documents to {out}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.corpus.convert", description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=list(COMMANDS))
    ap.add_argument("src", type=Path, metavar="IN")
    ap.add_argument("out", type=Path, metavar="OUT")
    ap.add_argument("--labels", default=",".join(LABELS), help="label set (default: PER,TITLE,ORG,DOC)")
    args = ap.parse_args(argv)
    try:
        print(convert(args.command, args.src, args.out, args.labels.split(",")))
    except (DataError, OSError) as exc:
        return error("convert", exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
