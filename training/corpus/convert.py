"""Convert the corpus to and from the formats of common annotation tools.

    python -m training.corpus.convert to-conll        IN.jsonl OUT.conll
    python -m training.corpus.convert to-doccano      IN.jsonl OUT.jsonl
    python -m training.corpus.convert from-doccano    IN.jsonl OUT.jsonl
    python -m training.corpus.convert to-labelstudio  IN.jsonl OUT.json
    python -m training.corpus.convert from-labelstudio IN.json OUT.jsonl

- CoNLL (IOB2, ``word tag``, blank line between sentences, ``-DOCSTART-`` between
  documents) goes through the project's own preprocessing (``training.data.document_examples``
  with the pyvi segmenter), so its words are the segmented words PhoBERT sees
  (``Bí_thư``), not whitespace tokens. Export only: segmentation loses the original offsets.
- doccano (sequence labelling, JSONL): ``{"id", "text", "label": [[start, end, "LABEL"]]}``;
  import also reads the newer ``"entities": [{"start_offset", "end_offset", "label"}]``.
  Our document id travels as ``doc_id`` (doccano replaces ``id`` by its own number) and
  ``meta`` as a field of its own, so a round trip is lossless.
- Label Studio (JSON list of tasks): ``data`` holds ``text``, ``doc_id`` and ``meta``; spans
  are ``labels`` results of the first annotation (or, failing that, of the first prediction).

Every import is checked with ``training.corpus.validate`` before it is written: a bad
record is an error naming the input file and the record, never a silently dropped span.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from training.corpus.validate import DEFAULT_LABELS, validate_files
from training.data import bio_tags, document_examples
from training.records import DataError, Document, Span, iter_jsonl, read_documents, write_documents

# --- CoNLL ------------------------------------------------------------------------------------


def to_conll(docs: Sequence[Document], out: Path, labels: Sequence[str] = DEFAULT_LABELS, segmenter: str = "pyvi") -> int:
    """Write IOB2 ``word tag`` lines; returns the number of sentences written."""
    from inference.preprocess import Preprocessor  # pyvi loads its CRF: only when needed

    pre = Preprocessor(segmenter)
    allowed = set(bio_tags(labels))
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write("-DOCSTART- O\n\n")
            for ex in document_examples(doc, pre, allowed, f"id={doc.id!r}"):
                fh.writelines(f"{w} {t}\n" for w, t in zip(ex.forms, ex.tags))
                fh.write("\n")
                n += 1
    return n


# --- doccano ----------------------------------------------------------------------------------


def to_doccano(docs: Sequence[Document]) -> list[dict]:
    return [
        {
            "id": i,
            "doc_id": d.id,
            "text": d.text,
            "label": [[s.start, s.end, s.label] for s in sorted(d.spans)],
            "meta": d.meta,
        }
        for i, d in enumerate(docs, 1)
    ]


def _doc_id(rec: dict, where: str) -> str:
    for key in ("doc_id", "id"):
        value = rec.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    raise DataError(f"{where}: record has neither 'doc_id' nor 'id'")


def _int(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise DataError(f"{where}: offset {value!r} is not an integer")
    return value


def from_doccano_record(rec: object, where: str) -> Document:
    if not isinstance(rec, dict):
        raise DataError(f"{where}: expected a JSON object")
    doc_id = _doc_id(rec, where)
    where = f"{where} (id={doc_id!r})"
    text = rec.get("text")
    if not isinstance(text, str):
        raise DataError(f"{where}: missing or non-string 'text'")
    spans = []
    if "entities" in rec:
        raw = rec["entities"]
        if not isinstance(raw, list):
            raise DataError(f"{where}: 'entities' must be a list")
        for i, e in enumerate(raw):
            if not isinstance(e, dict) or not {"start_offset", "end_offset", "label"} <= e.keys():
                raise DataError(f"{where}: entities[{i}] needs start_offset, end_offset and label")
            spans.append(Span(_int(e["start_offset"], where), _int(e["end_offset"], where), str(e["label"])))
    else:
        raw = rec.get("label", [])
        if not isinstance(raw, list):
            raise DataError(f"{where}: 'label' must be a list of [start, end, label]")
        for i, e in enumerate(raw):
            if not isinstance(e, (list, tuple)) or len(e) != 3:
                raise DataError(f"{where}: label[{i}] must be [start, end, label], got {e!r}")
            spans.append(Span(_int(e[0], where), _int(e[1], where), str(e[2])))
    meta = rec.get("meta")
    if meta is None:  # doccano exports extra columns at the top level
        skip = {"id", "doc_id", "text", "label", "entities", "relations", "Comments", "comments"}
        meta = {k: v for k, v in rec.items() if k not in skip}
    if not isinstance(meta, dict):
        raise DataError(f"{where}: 'meta' must be an object")
    return Document(doc_id, text, sorted(spans), meta)


def from_doccano(path: Path) -> list[Document]:
    return [from_doccano_record(obj, f"{path}:{line_no}") for line_no, obj in iter_jsonl(path)]


# --- Label Studio -----------------------------------------------------------------------------


def to_labelstudio(docs: Sequence[Document]) -> list[dict]:
    tasks = []
    for i, d in enumerate(docs, 1):
        result = [
            {
                "id": f"{i}-{k}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s.start, "end": s.end, "text": d.text[s.start : s.end], "labels": [s.label]},
            }
            for k, s in enumerate(sorted(d.spans), 1)
        ]
        tasks.append({"id": i, "data": {"text": d.text, "doc_id": d.id, "meta": d.meta}, "annotations": [{"result": result}]})
    return tasks


def from_labelstudio_task(task: object, where: str) -> Document:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise DataError(f"{where}: expected a task object with 'data'")
    data = task["data"]
    doc_id = _doc_id({"doc_id": data.get("doc_id"), "id": task.get("id")}, where)
    where = f"{where} (id={doc_id!r})"
    text = data.get("text")
    if not isinstance(text, str):
        raise DataError(f"{where}: data.text is missing or not a string")
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        raise DataError(f"{where}: data.meta must be an object")
    result: list = []
    for key in ("annotations", "predictions"):
        entries = task.get(key) or []
        if not isinstance(entries, list):
            raise DataError(f"{where}: '{key}' must be a list")
        if entries:
            if not isinstance(entries[0], dict) or not isinstance(entries[0].get("result", []), list):
                raise DataError(f"{where}: {key}[0].result must be a list")
            result = entries[0].get("result", [])
            break
    spans = []
    for i, r in enumerate(result):
        if not isinstance(r, dict) or r.get("type", "labels") != "labels":
            continue  # relations, choices, text areas: not spans
        v = r.get("value")
        if not isinstance(v, dict) or not isinstance(v.get("labels"), list) or len(v["labels"]) != 1:
            raise DataError(f"{where}: result[{i}] must have value.start, value.end and exactly one label")
        start, end = _int(v.get("start"), where), _int(v.get("end"), where)
        if "text" in v and 0 <= start < end <= len(text) and v["text"] != text[start:end]:
            raise DataError(f"{where}: result[{i}] text {v['text']!r} differs from text[{start}:{end}] {text[start:end]!r}")
        spans.append(Span(start, end, str(v["labels"][0])))
    return Document(doc_id, text, sorted(spans), meta)


def from_labelstudio(path: Path) -> list[Document]:
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(tasks, list):
        raise DataError(f"{path}: expected a JSON list of tasks")
    return [from_labelstudio_task(t, f"{path}: task #{i}") for i, t in enumerate(tasks, 1)]


# --- Validation and the command line ----------------------------------------------------------


def check_imported(docs: Sequence[Document], source: Path, labels: Sequence[str] = DEFAULT_LABELS) -> None:
    """Run the corpus validator on imported records; errors name the input file and record."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_file = Path(tmp) / "imported.jsonl"
        write_documents(docs, tmp_file)
        problems = validate_files([tmp_file], labels)
    if problems:
        lines = [f"{source}: record {p.line} (id={p.id}): {p.message}" for p in problems]
        raise DataError(f"{len(problems)} problem(s) in imported records:\n" + "\n".join(lines))


def _write_json(obj: object, out: Path, jsonl: bool) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        if jsonl:
            fh.writelines(json.dumps(o, ensure_ascii=False) + "\n" for o in obj)
        else:
            json.dump(obj, fh, ensure_ascii=False, indent=1)
            fh.write("\n")


def convert(command: str, src: Path, out: Path, labels: Sequence[str] = DEFAULT_LABELS) -> str:
    """Run one conversion; returns a one-line summary."""
    if command.startswith("from-"):
        docs = from_doccano(src) if command == "from-doccano" else from_labelstudio(src)
        check_imported(docs, src, labels)
        write_documents(docs, out)
        return f"imported {len(docs)} documents ({sum(len(d.spans) for d in docs)} spans) to {out}"
    docs = read_documents(src)
    if command == "to-conll":
        n = to_conll(docs, out, labels)
        return f"wrote {len(docs)} documents, {n} sentences to {out}"
    tasks = to_doccano(docs) if command == "to-doccano" else to_labelstudio(docs)
    _write_json(tasks, out, jsonl=command == "to-doccano")
    return f"wrote {len(docs)} documents to {out}"


COMMANDS = ("to-conll", "to-doccano", "from-doccano", "to-labelstudio", "from-labelstudio")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.corpus.convert", description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=COMMANDS)
    ap.add_argument("src", type=Path, metavar="IN")
    ap.add_argument("out", type=Path, metavar="OUT")
    ap.add_argument("--labels", default=",".join(DEFAULT_LABELS), help="label set (default: PER,TITLE,ORG,DOC)")
    args = ap.parse_args(argv)
    try:
        print(convert(args.command, args.src, args.out, args.labels.split(",")))
    except (DataError, OSError) as exc:
        print(f"convert: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
