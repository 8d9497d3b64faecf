"""Records of the data contract, and reading/writing them as JSONL.

One JSON object per line: ``{"id", "text", "spans": [{"start", "end", "label"}], "meta"}``;
offsets are character offsets into ``text``, end exclusive. Reading is strict: a malformed
line is an error that names the file and line, because a silently skipped record is a
silently smaller corpus.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from inference.spans import Span


class DataError(ValueError):
    """Bad input data; the message names the file, line and record."""


@dataclass
class Document:
    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "spans": [asdict(s) for s in sorted(self.spans)],
            "meta": self.meta,
        }


def _where(path: Path | str, line_no: int, rec_id: object = None) -> str:
    where = f"{path}:{line_no}"
    return f"{where} (id={rec_id!r})" if rec_id is not None else where


def parse_document(obj: object, where: str) -> Document:
    """Build a Document from a decoded JSON object, checking types (not semantics)."""
    if not isinstance(obj, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for key, typ in (("id", str), ("text", str)):
        if key not in obj:
            raise DataError(f"{where}: missing field {key!r}")
        if not isinstance(obj[key], typ):
            raise DataError(f"{where}: field {key!r} must be a string")
    spans_raw = obj.get("spans", [])
    if not isinstance(spans_raw, list):
        raise DataError(f"{where}: field 'spans' must be a list")
    spans = []
    for i, s in enumerate(spans_raw):
        if not isinstance(s, dict) or not {"start", "end", "label"} <= s.keys():
            raise DataError(f"{where}: spans[{i}] must have start, end and label")
        for key in ("start", "end"):  # bool is an int subclass: "end": true is not offset 1
            if type(s[key]) is not int:
                raise DataError(f"{where}: spans[{i}].{key} must be an integer, got {s[key]!r}")
        if not isinstance(s["label"], str):
            raise DataError(f"{where}: spans[{i}] label must be a string")
        spans.append(Span(s["start"], s["end"], s["label"]))
    meta = obj.get("meta", {})
    if not isinstance(meta, dict):
        raise DataError(f"{where}: field 'meta' must be an object")
    return Document(obj["id"], obj["text"], spans, meta)


def iter_jsonl(path: Path | str) -> Iterator[tuple[int, object]]:
    """Yield (line number, decoded object) for every non-blank line."""
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield line_no, json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{_where(path, line_no)}: invalid JSON: {exc.msg}") from None


def read_documents(path: Path | str) -> list[Document]:
    docs = []
    for line_no, obj in iter_jsonl(path):
        rec_id = obj.get("id") if isinstance(obj, dict) else None
        docs.append(parse_document(obj, _where(path, line_no, rec_id)))
    return docs


def write_documents(docs: Iterable[Document], path: Path | str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
