"""Hybrid decoding for document codes: the model finds them, the grammar gets them exact.

A learned tagger sees ``18-NQ/TW`` as five words and many BPE pieces and, with only
hundreds of training codes, often cuts a code short or splits it. The grammar in
``doc_codes`` knows the exact extent of a code but not whether a string is cited as one.

- ``repair``: each model DOC span that overlaps grammatical codes is replaced by those
  codes (extended or trimmed to their exact extent); one that overlaps none is kept as
  the model said *if it has the shape of a code* (a number and an upper-case abbreviation
  joined by a hyphen, dash or slash, e.g. the malformed ``29-NQ-TƯ``). A DOC span without
  those parts (``2018``, ``NQ``, a common word) cannot be a document code, and measured on
  the corpus such spans were wrong 60 times out of 65, so they are dropped, as is one glued
  to the preceding text (``2014/BXD`` in ``QCVN 16:2014/BXD``). Other
  entities overlapping a repaired code give way to it.
- ``union``: ``repair``, plus every grammatical code the model missed is added, unless an
  entity reaching outside the code overlaps it. An entity lying wholly inside a code is a
  fragment of it (the model tags the ``TB`` of ``333/TB-ĐTTH`` or the ``NQ-CP`` of
  ``21/NQ-CP`` as ORG) and gives way to the code.
"""

from __future__ import annotations

import re
from typing import Sequence

from inference.doc_codes import find_doc_codes, glued_to_preceding
from inference.spans import Entity

MODES = ("off", "repair", "union")

_CODE_SHAPE = re.compile(r"\d[\s\S]*?[-/–—][\s\S]*?[A-ZĐ]|[A-ZĐ][\s\S]*?[-/–—][\s\S]*?\d")


def has_code_shape(text: str) -> bool:
    """A number and an upper-case abbreviation joined by - or /: the least a code has."""
    return bool(_CODE_SHAPE.search(text))

def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"doc_rules must be one of {', '.join(MODES)}, got {mode!r}")
    return mode


def apply_doc_rules(text: str, entities: Sequence[Entity], mode: str) -> list[Entity]:
    """Return entities (sorted by start) after applying ``mode`` (off | repair | union)."""
    check_mode(mode)
    if mode == "off":
        return sorted(entities, key=lambda e: (e.start, e.end))
    codes = find_doc_codes(text)
    kept, repaired = [], {}
    for ent in entities:
        if ent.label != "DOC":
            kept.append(ent)
            continue
        hits = [c for c in codes if ent.overlaps(c)]
        if not hits and has_code_shape(ent.text) and not glued_to_preceding(text, ent.start):
            kept.append(ent)
        for c in hits:
            exact = (c.start, c.end) == (ent.start, ent.end)
            prev = repaired.get((c.start, c.end))
            score = max(ent.score, prev.score) if prev else ent.score
            source = "model" if exact and not prev else "model+grammar"
            repaired[(c.start, c.end)] = Entity(c.text, "DOC", c.start, c.end, score, source)
    fixed = list(repaired.values())
    out = [e for e in kept if not any(e.overlaps(r) for r in fixed)]
    out.extend(fixed)
    if mode == "union":
        for c in codes:
            touching = [e for e in out if e.overlaps(c)]
            if all(c.start <= e.start and e.end <= c.end and e.label != "DOC" for e in touching):
                out = [e for e in out if not any(e is t for t in touching)]
                out.append(Entity(c.text, "DOC", c.start, c.end, 1.0, "grammar"))
    return sorted(out, key=lambda e: (e.start, e.end))
