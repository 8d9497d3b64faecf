"""Training examples from any supported format, through the one preprocessing path.

Formats:
- ``jsonl``: the data contract (documents with character spans); preprocessed exactly as
  at inference, with gold spans protected so no word or sentence break crosses one.
- ``words-jsonl``: ``{"words": [...], "tags": [...]}`` per line (PhoNER_COVID19 and most
  public Vietnamese NER corpora).
- ``conll``: ``word tag`` per line, blank line between sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from inference import formats, iob
from inference.iob import bio_tags
from inference.preprocess import Preprocessor
from inference.records import DataError, Document, iter_jsonl, parse_document

@dataclass
class Example:
    """One sentence: word forms (what the tokenizer sees) and their BIO tags."""

    forms: list[str]
    tags: list[str]
    source: str  # "file:line" or "doc-id#sentence", for error messages


def check_utf8(path: Path) -> None:
    """The whole file decodes as UTF-8; if not, the error names the line and byte."""
    raw = Path(path).read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{path}:{line}: not UTF-8 ({exc.reason} at byte {exc.start} of the file)") from None


def _jsonl_records(path: Path) -> list[tuple[str, int, Document]]:
    """(file, line, record) of a data-contract file (``parse_document`` checks the JSON types:
    an offset must be an integer, ``true`` is not 1)."""
    out = []
    for line_no, obj in iter_jsonl(path):
        rid = obj.get("id") if isinstance(obj, dict) else None
        where = f"{path}:{line_no}" + (f" (id={rid})" if rid is not None else "")  # as the validator writes it
        out.append((str(path), line_no, parse_document(obj, where)))
    return out


def validate_files(paths: Sequence[Path], fmt: str | None, labels: Sequence[str]) -> None:
    """Read every file a run will use and check it as the corpus validator does
    (``training.corpus.validate``): UTF-8, JSON, integer offsets in range, no overlapping or
    nested spans, no span edge inside a word, non-empty texts, ids unique across all the
    files, labels among ``labels``; IOB2 tags of known labels for pre-tokenised formats.
    The first problem is raised as one line naming the file, line and id."""
    from training.corpus.validate import validate_documents

    records: list[tuple[str, int, Document]] = []
    for path in paths:
        path = Path(path)
        check_utf8(path)
        f = formats.for_path(path, fmt)
        if f.unit == "documents":
            if f.name == "jsonl":
                records.extend(_jsonl_records(path))
            else:  # doccano, Label Studio: numbered by record
                records.extend((str(path), i, d) for i, d in enumerate(f.read(path), 1))
            continue
        allowed = set(labels)
        for row in f.read(path):
            for i, (word, tag) in enumerate(zip(row.words, row.tags)):
                if not word.strip():
                    raise DataError(f"{row.where}: word {i} is empty")
                try:
                    _, label = iob.parse(tag)
                except iob.TagError as exc:
                    raise DataError(f"{row.where}: word {i}: {exc}") from None
                if label is not None and label not in allowed:
                    raise DataError(f"{row.where}: word {i}: label {label!r} is not among data.labels {list(labels)}")
    problems = validate_documents(records, labels)
    if problems:
        more = f" (and {len(problems) - 1} more; python -m training.corpus.validate lists them all)" if len(problems) > 1 else ""
        raise DataError(f"{problems[0]}{more}")


def check_tags(tags: Sequence[str], allowed: set[str], where: str) -> None:
    for i, t in enumerate(tags):
        if t not in allowed:
            raise DataError(f"{where}: tag {t!r} at word {i} is not in the label set {sorted(allowed)}")


def document_examples(
    doc: Document, pre: Preprocessor, allowed: set[str], where: str
) -> list[Example]:
    """Sentences of a document with BIO tags; every gold span lands on whole words."""
    norm = pre.normalize(doc.text)
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


def load_examples(path: Path, fmt: str | None, labels: Sequence[str], pre: Preprocessor) -> list[Example]:
    """Sentences of ``path`` (format named, or from the extension) preprocessed by ``pre``:
    the tagger's own preprocessing."""
    allowed = set(bio_tags(labels))
    f = formats.for_path(path, fmt)
    if f.unit == "documents":
        out = []
        for doc in f.read(Path(path)):
            out.extend(document_examples(doc, pre, allowed, f"{path} (id={doc.id!r})"))
        return out
    out = []
    for row in f.read(Path(path)):
        check_tags(row.tags, allowed, row.where)
        out.append(Example([pre.normalize_word(w) for w in row.words], row.tags, row.where))
    return out
