"""Data formats, in one registry: what each reads, what each writes, and which file is which.

Serves ``polner-tag`` (writing), ``polner-evaluate`` and ``polner-train`` (reading labelled
data) and ``python -m training.corpus.convert``. A format is chosen by name (``--format``)
or by the file's extension, never guessed from content: a text file is not CoNLL because
it has two columns somewhere.

| name | reads | writes |
|---|---|---|
| ``jsonl`` | documents in the data contract (``{"id","text","spans","meta"}``) | one line per tagged document: ``{"source","id","entities"}`` |
| ``words-jsonl`` | sentences ``{"words": [...], "tags": [...]}`` | the same, from the tagger's words |
| ``conll`` | sentences, ``word tag`` per line, blank line between them | the same, ``-DOCSTART-`` between documents |
| ``doccano`` | doccano sequence-labelling JSONL | the same |
| ``label-studio`` | a Label Studio JSON list of tasks | the same |
| ``holders-csv`` | | one row per office holder (``inference.holders``) |
| ``html`` | | one self-contained page (``inference.view``) |

Readers are strict: a malformed record is a ``DataError`` naming the file, line and record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from inference.records import DataError, Document, iter_jsonl, read_documents
from inference.spans import Entity, Span


@dataclass(frozen=True)
class Sentence:
    """A pre-tokenised sentence with its IOB2 tags; ``where`` is ``file:line`` for errors."""

    words: list[str]
    tags: list[str]
    where: str


@dataclass
class OutputDoc:
    """What a writer receives: a document, its entities and, where the writer needs them,
    the words the tagger used (``(form, tag)`` per word) and the office holders."""

    id: str
    text: str
    entities: list[Entity]
    source: str = ""
    sentences: list[list[tuple[str, str]]] | None = None
    holders: list | None = None
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_document(cls, doc: Document, sentences=None) -> "OutputDoc":
        ents = [Entity(doc.text[s.start:s.end], s.label, s.start, s.end, 1.0, "gold") for s in sorted(doc.spans)]
        return cls(doc.id, doc.text, ents, sentences=sentences, meta=doc.meta)

    def spans(self) -> list[Span]:
        return [e.span for e in self.entities]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    unit: str  # what the reader returns: "documents", "sentences", or "" (write-only)
    read: Callable[[Path], list] | None
    write: Callable[[Sequence[OutputDoc], bool], str] | None  # (docs, first chunk) -> text
    streaming: bool = True  # False: all documents must reach write() at once (one page)
    needs: tuple[str, ...] = ()  # what write() uses: "sentences", "holders"


# --- sentence formats --------------------------------------------------------------------
def read_words_jsonl(path: Path) -> list[Sentence]:
    out = []
    for line_no, obj in iter_jsonl(path):
        where = f"{path}:{line_no}"
        if not isinstance(obj, dict):
            raise DataError(f"{where}: expected an object with 'words' and 'tags'")
        words, tags = obj.get("words"), obj.get("tags")
        if not isinstance(words, list) or not isinstance(tags, list):
            raise DataError(f"{where}: expected lists 'words' and 'tags'")
        if len(words) != len(tags):
            raise DataError(f"{where}: {len(words)} words but {len(tags)} tags")
        out.append(Sentence([str(w) for w in words], [str(t) for t in tags], where))
    return out


def read_conll(path: Path) -> list[Sentence]:
    out, words, tags, first = [], [], [], 0
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                if words:
                    out.append(Sentence(words, tags, f"{path}:{first}"))
                words, tags = [], []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise DataError(f"{path}:{line_no}: expected 'word tag', got {line!r}")
            if not words:
                first = line_no
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        out.append(Sentence(words, tags, f"{path}:{first}"))
    return out


def _need_sentences(doc: OutputDoc, fmt: str) -> list[list[tuple[str, str]]]:
    if doc.sentences is None:
        raise ValueError(f"format {fmt} needs the tagger's words; pass sentences for document {doc.id!r}")
    return doc.sentences


def write_conll(docs: Sequence[OutputDoc], first: bool = True) -> str:
    out = []
    for d in docs:
        out.append("-DOCSTART- O\n\n")
        for sentence in _need_sentences(d, "conll"):
            out.extend(f"{form} {tag}\n" for form, tag in sentence)
            out.append("\n")
    return "".join(out)


def write_words_jsonl(docs: Sequence[OutputDoc], first: bool = True) -> str:
    lines = []
    for d in docs:
        for sentence in _need_sentences(d, "words-jsonl"):
            lines.append(json.dumps({"words": [f for f, _ in sentence], "tags": [t for _, t in sentence]}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


# --- document formats --------------------------------------------------------------------
def write_entity_lines(docs: Sequence[OutputDoc], first: bool = True) -> str:
    return "".join(
        json.dumps({"source": d.source, "id": d.id, "entities": [e.to_json() for e in d.entities]}, ensure_ascii=False) + "\n"
        for d in docs
    )


def write_doccano(docs: Sequence[OutputDoc], first: bool = True) -> str:
    rows = [
        {"id": i, "doc_id": d.id, "text": d.text, "label": [[s.start, s.end, s.label] for s in sorted(d.spans())], "meta": d.meta}
        for i, d in enumerate(docs, 1)
    ]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


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


def read_doccano(path: Path) -> list[Document]:
    return [from_doccano_record(obj, f"{path}:{line_no}") for line_no, obj in iter_jsonl(path)]


def write_labelstudio(docs: Sequence[OutputDoc], first: bool = True) -> str:
    tasks = []
    for i, d in enumerate(docs, 1):
        result = [
            {
                "id": f"{i}-{k}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s.start, "end": s.end, "text": d.text[s.start:s.end], "labels": [s.label]},
            }
            for k, s in enumerate(sorted(d.spans()), 1)
        ]
        tasks.append({"id": i, "data": {"text": d.text, "doc_id": d.id, "meta": d.meta}, "annotations": [{"result": result}]})
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


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


def read_labelstudio(path: Path) -> list[Document]:
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(tasks, list):
        raise DataError(f"{path}: expected a JSON list of tasks")
    return [from_labelstudio_task(t, f"{path}: task #{i}") for i, t in enumerate(tasks, 1)]


# --- view formats (inference.view renders them; imported when used) -----------------------
def write_holders_csv(docs: Sequence[OutputDoc], first: bool = True) -> str:
    from inference.view import holders_csv

    rows = [(d.id, h) for d in docs for h in (d.holders or [])]
    return holders_csv(rows, header=first)


def write_html(docs: Sequence[OutputDoc], first: bool = True) -> str:
    from inference.view import render_html

    return render_html([(d.id, d.text, d.entities, d.holders or []) for d in docs])


# --- the registry ------------------------------------------------------------------------
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", (".jsonl",), "documents", read_documents, write_entity_lines),
        Format("words-jsonl", (), "sentences", read_words_jsonl, write_words_jsonl, needs=("sentences",)),
        Format("conll", (".conll", ".iob", ".bio"), "sentences", read_conll, write_conll, needs=("sentences",)),
        Format("doccano", (), "documents", read_doccano, write_doccano),
        Format("label-studio", (".json",), "documents", read_labelstudio, write_labelstudio, streaming=False),
        Format("holders-csv", (".csv",), "", None, write_holders_csv, needs=("holders",)),
        Format("html", (".html", ".htm"), "", None, write_html, streaming=False, needs=("holders",)),
    )
}
READABLE = tuple(n for n, f in FORMATS.items() if f.read)
WRITABLE = tuple(n for n, f in FORMATS.items() if f.write)


def get(name: str) -> Format:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[name]


def for_path(path: Path | str, name: str | None = None, *, reading: bool = True) -> Format:
    """The format named, or else the one the file's extension says; an error when neither."""
    if name and name != "auto":
        fmt = get(name)
    else:
        suffix = Path(path).suffix.lower()
        matches = [f for f in FORMATS.values() if suffix in f.extensions and (f.read if reading else f.write)]
        if not matches:
            choices = ", ".join(READABLE if reading else WRITABLE)
            raise DataError(f"{path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
                            f"pass --format ({choices})")
        fmt = matches[0]
    if reading and fmt.read is None:
        raise DataError(f"format {fmt.name} cannot be read, only written")
    return fmt
