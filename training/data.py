"""Training examples from any supported format, through the one preprocessing path.

Formats:
- ``jsonl``: the data contract (documents with character spans); preprocessed exactly as
  at inference, with gold spans protected so no word or sentence break crosses one.
- ``words-jsonl``: ``{"words": [...], "tags": [...]}`` per line (PhoNER_COVID19 and most
  public Vietnamese NER corpora).
- ``conll``: ``word tag`` per line, blank line between sentences.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from inference.normalize import normalize, normalize_word
from inference.preprocess import Preprocessor
from training.records import DataError, Document, read_documents

FORMATS = ("jsonl", "words-jsonl", "conll")


@dataclass
class Example:
    """One sentence: word forms (what the tokenizer sees) and their BIO tags."""

    forms: list[str]
    tags: list[str]
    source: str  # "file:line" or "doc-id#sentence", for error messages


def bio_tags(labels: Sequence[str]) -> list[str]:
    tags = ["O"]
    for lab in labels:
        tags += [f"B-{lab}", f"I-{lab}"]
    return tags


def detect_format(path: Path) -> str:
    if path.suffix.lower() in (".conll", ".txt", ".iob", ".bio"):
        return "conll"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    return "conll"
                return "words-jsonl" if isinstance(obj, dict) and "words" in obj else "jsonl"
    return "jsonl"


def check_tags(tags: Sequence[str], allowed: set[str], where: str) -> None:
    for i, t in enumerate(tags):
        if t not in allowed:
            raise DataError(f"{where}: tag {t!r} at word {i} is not in the label set {sorted(allowed)}")


def read_words_jsonl(path: Path) -> list[tuple[list[str], list[str], str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: invalid JSON: {exc.msg}") from None
            words, tags = obj.get("words"), obj.get("tags")
            if not isinstance(words, list) or not isinstance(tags, list):
                raise DataError(f"{where}: expected lists 'words' and 'tags'")
            if len(words) != len(tags):
                raise DataError(f"{where}: {len(words)} words but {len(tags)} tags")
            out.append(([str(w) for w in words], [str(t) for t in tags], where))
    return out


def read_conll(path: Path) -> list[tuple[list[str], list[str], str]]:
    out, words, tags, first = [], [], [], 0
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                if words:
                    out.append((words, tags, f"{path}:{first}"))
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
        out.append((words, tags, f"{path}:{first}"))
    return out


def document_examples(
    doc: Document, pre: Preprocessor, allowed: set[str], where: str
) -> list[Example]:
    """Sentences of a document with BIO tags; every gold span lands on whole words."""
    norm = normalize(doc.text)
    spans = []
    for s in doc.spans:
        if f"B-{s.label}" not in allowed:
            raise DataError(f"{where}: span {s.start}:{s.end} has label {s.label!r}, not in the config's labels")
        if not (0 <= s.start < s.end <= len(doc.text)):
            raise DataError(f"{where}: span {s.start}:{s.end} is outside the text (length {len(doc.text)})")
        ns, ne = norm.from_original(s.start, s.end)
        spans.append((ns, ne, s.label))
    prepared = pre.prepare(doc.text, [(s, e) for s, e, _ in spans], norm=norm)
    starts = {s: (e, lab) for s, e, lab in spans}
    examples, covered = [], 0
    for k, words in enumerate(prepared.sentences):
        tags, open_end, open_label = [], -1, ""
        for w in words:
            if w.start in starts:
                open_end, open_label = starts[w.start]
                tags.append(f"B-{open_label}")
                covered += 1
            elif w.start < open_end:
                tags.append(f"I-{open_label}")
            else:
                tags.append("O")
            if w.end > open_end >= 0 and w.start < open_end:
                raise DataError(f"{where}: a word crosses the end of span ending at {open_end}")
        examples.append(Example([w.form for w in words], tags, f"{doc.id}#{k}"))
    if covered != len(spans):
        raise DataError(
            f"{where}: only {covered} of {len(spans)} spans start on a word (spans over whitespace only?)"
        )
    return examples


def load_examples(path: Path, fmt: str, labels: Sequence[str], segmenter: str) -> list[Example]:
    allowed = set(bio_tags(labels))
    if fmt == "jsonl":
        pre = Preprocessor(segmenter)
        out = []
        for i, doc in enumerate(read_documents(path), 1):
            out.extend(document_examples(doc, pre, allowed, f"{path} (id={doc.id!r})"))
        return out
    rows = read_words_jsonl(path) if fmt == "words-jsonl" else read_conll(path)
    out = []
    for words, tags, where in rows:
        check_tags(tags, allowed, where)
        out.append(Example([normalize_word(w) or w for w in words], tags, where))
    return out
