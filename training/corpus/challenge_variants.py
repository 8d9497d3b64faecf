"""Derive the ``nfd_old_tone`` passages of the challenge set from its written passages.

    python -m training.corpus.challenge_variants annotations/challenge.jsonl \
        [--out FILE] [--per-phenomenon 3]

The challenge set (``annotations/challenge.md``) holds short passages written for the
project, one phenomenon each. The ``nfd_old_tone`` phenomenon is not written by hand: it is
the same passages in other Unicode forms and tone placements, which a tagger must handle
with the same spans. This module reads the set, drops any ``nfd_old_tone`` records already
in it, derives them again from the written passages and writes the set back (written
records first, in their order, then the variants). It is deterministic: the same input
gives the same output, byte for byte.

Transforms (``TRANSFORMS``; each passage is NFC to start with):

- ``nfd``: the whole text in Unicode NFD (combining tone and vowel marks).
- ``nfd_spans``: only the characters inside the spans in NFD, the rest NFC (mixed forms).
- ``tone_on_second``: in open syllables ending in ``oa``, ``oe``, ``uy`` (not ``qu``+``y``)
  the tone mark moves to the second vowel: ``hòa`` -> ``hoà``, ``Ủy`` -> ``Uỷ``,
  ``Thành ủy`` -> ``Thành uỷ``. (``inference.normalize`` calls this the *old style*.)
- ``tone_on_first``: the reverse, ``hoà`` -> ``hòa``, ``Uỷ`` -> ``Ủy`` (the *new style* there).
- ``nfd_tone_on_second``: ``tone_on_second``, then the whole text in NFD.
- ``mixed_tone``: ``tone_on_second`` on every other eligible syllable only, so that both
  placements occur in one text.

The tone moves are implemented here, not taken from ``inference.normalize``, so that the
challenge set does not test the normaliser against itself.

Offsets: every transform replaces each character of the source by a piece of text (itself,
its NFD decomposition, or the vowel with the tone mark added or removed), so a source
offset ``i`` maps to the total length of the pieces before ``i``. Spans are moved with that
map; since NFD lengthens the text, an NFD passage has NFD offsets. ``check_variant``
verifies every span: its text, brought back to NFC with the source's tone placement, is
the source span's text.

Selection: for each written phenomenon in order of first appearance, ``--per-phenomenon``
passages are taken. The k-th variant overall uses transform ``TRANSFORMS[k % 6]`` and
scans that phenomenon's passages from position ``7k mod n``, taking the first unused
passage whose spans the transform changes (for ``nfd_tone_on_second``: whose spans the
tone move alone changes; for ``mixed_tone``: one that also keeps at least one eligible
syllable unchanged); when no passage qualifies, the next transform in the cycle is tried.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Callable, Sequence

from inference.cli import error
from inference.spans import Span
from inference.records import DataError, Document, read_documents, write_documents

PHENOMENON = "nfd_old_tone"
TRANSFORMS = ("nfd", "tone_on_second", "nfd_spans", "tone_on_first", "nfd_tone_on_second", "mixed_tone")
DESCRIPTIONS = {
    "nfd": "whole text in Unicode NFD",
    "nfd_spans": "only the characters inside spans in Unicode NFD, the rest NFC",
    "tone_on_second": "tone mark moved to the second vowel of open oa/oe/uy syllables (hoà, Uỷ)",
    "tone_on_first": "tone mark moved to the first vowel of open oa/oe/uy syllables (hòa, Ủy)",
    "nfd_tone_on_second": "tone mark moved to the second vowel (hoà, Uỷ), then the whole text in NFD",
    "mixed_tone": "tone mark moved to the second vowel in every other open oa/oe/uy syllable only",
}

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_LETTERS = re.compile(r"[^\W\d_]+")

Pieces = list[str]


def _tone_move(prefix: str, first: str, second: str, to_second: bool) -> tuple[str, str] | None:
    """The two final vowels of an open syllable with the tone moved, or None if not eligible."""
    d1, d2 = unicodedata.normalize("NFD", first), unicodedata.normalize("NFD", second)
    if to_second:
        if len(d1) != 2 or d1[1] not in _TONES or len(d2) != 1:
            return None
        base1, base2, tone = d1[0], d2, d1[1]
    else:
        if len(d1) != 1 or len(d2) != 2 or d2[1] not in _TONES:
            return None
        base1, base2, tone = d1, d2[0], d2[1]
    if (base1.lower(), base2.lower()) not in _PAIRS:
        return None
    if base1.lower() == "u" and prefix[-1:].lower() == "q":
        return None  # "qu" is a consonant: quý, Quỳ keep the tone on y
    if to_second:
        return base1, unicodedata.normalize("NFC", base2 + tone)
    return unicodedata.normalize("NFC", base1 + tone), base2


def _eligible(text: str, to_second: bool) -> list[tuple[int, tuple[str, str]]]:
    """(index of the first of the two vowels, replacement) for each eligible syllable."""
    out = []
    for m in _LETTERS.finditer(text):
        if m.end() - m.start() < 2:
            continue
        i = m.end() - 2
        moved = _tone_move(text[m.start() : i], text[i], text[i + 1], to_second)
        if moved is not None:
            out.append((i, moved))
    return out


def _tone(pieces: Pieces, text: str, to_second: bool, keep: Callable[[int], bool]) -> None:
    for k, (i, (a, b)) in enumerate(_eligible(text, to_second)):
        if keep(k):
            pieces[i], pieces[i + 1] = a, b


def _nfd(pieces: Pieces, positions: range | Sequence[int]) -> None:
    for i in positions:
        pieces[i] = unicodedata.normalize("NFD", pieces[i])


def transform_pieces(doc: Document, transform: str) -> Pieces:
    """One replacement piece per character of doc.text."""
    text = doc.text
    pieces = list(text)
    everything = range(len(text))
    if transform == "nfd":
        _nfd(pieces, everything)
    elif transform == "nfd_spans":
        _nfd(pieces, [i for s in doc.spans for i in range(s.start, s.end)])
    elif transform == "tone_on_second":
        _tone(pieces, text, True, lambda k: True)
    elif transform == "tone_on_first":
        _tone(pieces, text, False, lambda k: True)
    elif transform == "nfd_tone_on_second":
        _tone(pieces, text, True, lambda k: True)
        _nfd(pieces, everything)
    elif transform == "mixed_tone":
        _tone(pieces, text, True, lambda k: k % 2 == 0)
    else:
        raise ValueError(f"unknown transform {transform!r}")
    return pieces


def apply(doc: Document, transform: str) -> tuple[str, list[Span]]:
    """The transformed text and the spans moved onto it."""
    pieces = transform_pieces(doc, transform)
    offsets = [0]
    for p in pieces:
        offsets.append(offsets[-1] + len(p))
    spans = [Span(offsets[s.start], offsets[s.end], s.label) for s in sorted(doc.spans)]
    return "".join(pieces), spans


def _canonical(text: str, to_second: bool) -> str:
    """NFC with one tone placement, for comparing a variant with its source."""
    text = unicodedata.normalize("NFC", text)
    chars = list(text)
    for i, (a, b) in _eligible(text, to_second):
        chars[i], chars[i + 1] = a, b
    return "".join(chars)


def check_variant(source: Document, text: str, spans: Sequence[Span]) -> None:
    """Raise DataError unless every span of the variant is its source span, transformed."""
    src_spans = sorted(source.spans)
    if len(src_spans) != len(spans):
        raise DataError(f"{source.id}: span count changed")
    for placement in (True, False):
        if _canonical(text, placement) != _canonical(source.text, placement):
            raise DataError(f"{source.id}: variant text differs beyond form and tone placement")
        for a, b in zip(src_spans, spans):
            if a.label != b.label or _canonical(text[b.start : b.end], placement) != _canonical(
                source.text[a.start : a.end], placement
            ):
                raise DataError(f"{source.id}: span {a} does not map onto {b}")


def _qualifies(doc: Document, transform: str) -> bool:
    if not unicodedata.is_normalized("NFC", doc.text):
        return False
    if transform == "nfd_tone_on_second" and not _qualifies(doc, "tone_on_second"):
        return False  # NFD alone would change every span: require a tone move in one too
    text, spans = apply(doc, transform)
    changed = any(
        text[b.start : b.end] != doc.text[a.start : a.end] for a, b in zip(sorted(doc.spans), spans)
    )
    if transform == "mixed_tone":
        return changed and len(_eligible(doc.text, True)) >= 2
    return changed


def make_variants(docs: Sequence[Document], per_phenomenon: int = 3) -> list[Document]:
    written = [d for d in docs if d.meta.get("phenomenon") != PHENOMENON]
    by_phenomenon: dict[str, list[Document]] = {}
    for d in written:
        by_phenomenon.setdefault(d.meta.get("phenomenon", ""), []).append(d)
    used: set[str] = set()
    variants: list[Document] = []
    k = 0
    for phenomenon, cands in by_phenomenon.items():
        for _ in range(per_phenomenon):
            start = (7 * k) % len(cands)
            order = cands[start:] + cands[:start]
            picked = None
            for step in range(len(TRANSFORMS)):
                transform = TRANSFORMS[(k + step) % len(TRANSFORMS)]
                picked = next((d for d in order if d.id not in used and _qualifies(d, transform)), None)
                if picked is not None:
                    break
            k += 1
            if picked is None:
                continue
            used.add(picked.id)
            text, spans = apply(picked, transform)
            check_variant(picked, text, spans)
            meta = {
                "phenomenon": PHENOMENON,
                "source": picked.meta.get("source", "written for polner"),
                "licence": picked.meta.get("licence", "CC BY 4.0"),
                "note": f"{DESCRIPTIONS[transform]}; derived from {picked.id} ({phenomenon})",
                "variant_of": picked.id,
                "transform": transform,
            }
            vid = f"challenge_{PHENOMENON}_{len(variants) + 1:02d}"
            variants.append(Document(vid, text, spans, meta))
    return variants


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path, help="the challenge set (JSONL)")
    ap.add_argument("--out", type=Path, help="where to write (default: rewrite PATH)")
    ap.add_argument("--per-phenomenon", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        docs = read_documents(args.path)
        written = [d for d in docs if d.meta.get("phenomenon") != PHENOMENON]
        variants = make_variants(written, args.per_phenomenon)
    except DataError as exc:
        return error("challenge_variants", exc)
    write_documents(written + variants, args.out or args.path)
    counts: dict[str, int] = {}
    for v in variants:
        counts[v.meta["transform"]] = counts.get(v.meta["transform"], 0) + 1
    print(
        f"wrote {len(written)} written + {len(variants)} {PHENOMENON} records to {args.out or args.path}"
        f" ({', '.join(f'{t} {counts.get(t, 0)}' for t in TRANSFORMS)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
