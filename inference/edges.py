"""The one rule for where a span may begin and end: never on space or punctuation.

An entity is a name, an office, a body or a code, never the comma, quote, bracket or full
stop around it (annotations/GUIDELINES.md §0). The validator checks gold spans with it, the
pre-annotator trims its proposals with it, decoding trims punctuation words off a
predicted entity with it, and segmentation keeps punctuation out of multi-syllable words.
One exception: a closing bracket may end a span that opens one (``Ủy ban nhân dân (UBND)``).
"""

from __future__ import annotations

EDGE_CHARS = frozenset(" \t\n\r\u00a0,.;:!?\"'“”‘’«»()[]{}–—-/")


def is_punct(token: str) -> bool:
    """A token with no letter or digit: punctuation, symbols, spaces."""
    return not any(ch.isalnum() for ch in token)


def bad_edges(surface: str) -> bool:
    """True when ``surface`` (a span's text) starts or ends with space or punctuation."""
    if not surface:
        return True
    if surface[0] in EDGE_CHARS:
        return True
    return surface[-1] in EDGE_CHARS and not (surface[-1] == ")" and "(" in surface)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The largest ``[start, end)`` inside the given one whose edges are allowed (may be empty)."""
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS and not (text[end - 1] == ")" and "(" in text[start:end]):
        end -= 1
    return start, end
