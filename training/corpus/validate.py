"""Check annotated JSONL files against the data contract and the annotation rules.

    python -m training.corpus.validate FILE.jsonl [...] [--labels PER,TITLE,ORG,DOC]
                                       [--reserved annotations/RESERVED_IDS.sha256]

Reports every problem (not just the first) with file, line and id: offsets out of range,
spans with surrounding space or punctuation, overlapping spans, unknown labels, duplicate
ids (across all files given) and articles reserved for independent evaluation.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import unicodedata
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Container, Iterable, Sequence

from inference.edges import bad_edges
from inference.records import DataError, Document, iter_jsonl, parse_document
from inference.scheme import LABELS


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    id: str | None
    message: str

    def __str__(self) -> str:
        rid = f" (id={self.id})" if self.id is not None else ""
        return f"{self.file}:{self.line}{rid}: {self.message}"


@dataclass(frozen=True)
class ReservedIds:
    """Articles reserved for an independent evaluation, held as SHA-256 hashes of their ids.

    The project must not name those articles, so it ships only the hashes
    (``annotations/RESERVED_IDS.sha256``); ``id in reserved`` hashes the id and looks it up.
    """

    hashes: frozenset[str]

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and id_hash(article_id) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


def id_hash(article_id: str) -> str:
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()


_HEX64 = re.compile(r"[0-9a-f]{64}")


def load_reserved(path: Path | None) -> ReservedIds:
    """Reserved ids from a file of ids (like shared/data/raw_news/RESERVED.txt) or of their
    SHA-256 hashes, one per line (64 hex characters); ``#`` starts a comment line."""
    if path is None or not path.is_file():
        return ReservedIds(frozenset())
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    return ReservedIds(frozenset(
        ln if _HEX64.fullmatch(ln) else id_hash(ln) for ln in lines if ln and not ln.startswith("#")
    ))


def _word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.combining(ch) != 0


def check_document(doc: Document, labels: Container[str]) -> list[str]:
    """Problems of one record against the data contract and the annotation rules (§0):
    empty text, unknown labels, offsets out of range, space or punctuation at an edge, an
    edge inside a word (but DOC, which §5 lets end where a code is glued to the next word)
    or inside a character (before a combining mark), and overlapping or nested spans."""
    problems = []
    if not doc.text.strip():
        problems.append("empty text")
    prev = None
    for s in sorted(doc.spans):
        where = f"span {s.start}:{s.end} {s.label}"
        if s.label not in labels:
            problems.append(f"{where}: label not in {sorted(labels)}")
        if not (0 <= s.start < s.end <= len(doc.text)):
            problems.append(f"{where}: offsets out of range for text of length {len(doc.text)}")
            continue
        surface = doc.text[s.start:s.end]
        if bad_edges(surface):
            problems.append(f"{where} {surface!r}: starts or ends with space or punctuation")
        for edge, inner, outer in (("starts", s.start, s.start - 1), ("ends", s.end - 1, s.end)):
            if 0 <= outer < len(doc.text) and unicodedata.combining(doc.text[outer if edge == "ends" else inner]):
                problems.append(f"{where} {surface!r}: {edge} inside a character (next to a combining mark)")
            elif (0 <= outer < len(doc.text) and _word_char(doc.text[inner]) and _word_char(doc.text[outer])
                  and s.label != "DOC"):
                problems.append(f"{where} {surface!r}: {edge} inside a word")
        if prev is not None and s.start < prev.end:
            kind = "is nested in" if s.end <= prev.end else "overlaps"
            problems.append(f"{where} {kind} span {prev.start}:{prev.end} {prev.label}")
        if prev is None or s.end > prev.end:
            prev = s
    return problems


def validate_documents(docs: Sequence[tuple[str, int, Document]], labels: Iterable[str] = LABELS,
                       reserved: Container[str] = frozenset()) -> list[Problem]:
    """Check records given as (file, line, record): each on its own, and ids across all."""
    labels = set(labels)
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path, line_no, doc in docs:
        def bad(msg: str) -> None:
            problems.append(Problem(str(path), line_no, doc.id, msg))

        if doc.id in seen:
            bad(f"duplicate id, first seen at {seen[doc.id]}")
        seen.setdefault(doc.id, f"{path}:{line_no}")
        src = doc.meta.get("source_id", doc.id)
        if doc.id in reserved or src in reserved:
            bad("article is reserved for independent evaluation and must not be in the corpus")
        for message in check_document(doc, labels):
            bad(message)
    return problems


def validate_files(
    paths: Sequence[Path], labels: Iterable[str] = LABELS, reserved: Container[str] = frozenset()
) -> list[Problem]:
    problems: list[Problem] = []
    docs: list[tuple[str, int, Document]] = []
    for path in paths:
        try:
            rows = list(iter_jsonl(path))
        except (DataError, OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 0, None, str(exc)))
            continue
        for line_no, obj in rows:
            rid = obj.get("id") if isinstance(obj, dict) else None
            try:
                docs.append((str(path), line_no, parse_document(obj, f"{path}:{line_no}")))
            except DataError as exc:
                problems.append(Problem(str(path), line_no, rid, str(exc).split(": ", 1)[-1]))
    return problems + validate_documents(docs, labels, reserved)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Validate annotated JSONL files.")
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--labels", default=",".join(LABELS))
    ap.add_argument("--reserved", type=Path, help="file of reserved article ids or their SHA-256 hashes")
    args = ap.parse_args(argv)
    problems = validate_files(args.files, args.labels.split(","), load_reserved(args.reserved))
    for p in problems:
        print(p)
    n_docs = sum(1 for f in args.files for _ in iter_jsonl(f)) if not problems else None
    print(f"{len(problems)} problem(s)" + (f" in {len(args.files)} file(s), {n_docs} documents" if n_docs is not None else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
