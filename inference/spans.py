"""Spans and entities: the vocabulary every layer of polner speaks (no torch here).

- ``Span``: a labelled half-open range ``[start, end)``. Over characters it is a record's
  annotation or an entity's place in a text; over token or word indices it is what IOB2
  tags encode (``inference.iob``). One type for both, so there is nothing to convert.
- ``Entity``: what a tagger returns: a span of the caller's original string together
  with its text, a confidence and where it came from. ``text[e.start:e.end] == e.text``.

Conversions happen only at the edges: reading files (``inference.records``), IOB2 tags for
seqeval (``inference.iob``) and JSON output (``Entity.to_json``).
"""

from __future__ import annotations

from dataclasses import dataclass

ENTITY_SOURCES = ("model", "model+grammar", "grammar", "rules", "crf", "underthesea")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int  # exclusive
    label: str

    def overlaps(self, other: "Span | Entity") -> bool:
        return self.start < other.end and other.start < self.end

    def inside(self, other: "Span | Entity") -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class Entity:
    """An entity in the caller's original string: ``text[start:end] == entity.text``.

    ``source`` says where it came from: ``model``, ``model+grammar`` (a model DOC span
    snapped to the document-code grammar), ``grammar`` (a code only the grammar found; its
    score is 1.0 because the match is deterministic, not a probability), or the name of a
    baseline system (``rules``, ``crf``, ``underthesea``).
    """

    text: str
    label: str
    start: int
    end: int
    score: float
    source: str = "model"

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.label)

    def overlaps(self, other: "Span | Entity") -> bool:
        return self.start < other.end and other.start < self.end

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "source": self.source,
        }
