"""Text normalisation that remembers where every character came from.

The model sees one canonical form of the text; the user sees offsets into *their* string.
So normalisation produces the canonical text together with, for each canonical character,
the span of original characters it came from. Everything downstream works on canonical
offsets and converts back once, at the end.

What is canonicalised, and why:
- Unicode NFC, because NFD input (common from macOS and some CMSs) would otherwise never
  match PhoBERT's vocabulary.
- Tone placement of open syllables ending in oa/oe/uy, to the style of the model's
  vocabulary (``tone``): PhoBERT's was built from text in the old style (``hoà``, ``khoẻ``,
  ``Uỷ``), and the new style (``hòa``, ``Ủy``) splits the domain's most frequent words
  (``Uỷ_ban``, ``Thành_uỷ``) into fragments; XLM-R's (multilingual-e5) is the other way
  round (``▁ủy`` is one piece, ``uỷ`` is ``▁u`` + ``ỷ``). ``old`` is the default.
- Exotic spaces (no-break, thin, ideographic, tabs) become a plain space, CR/CRLF become a
  newline and zero-width characters and soft hyphens disappear: they carry no meaning but
  break tokenisation.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Sequence

_SPACES = {"\t", "\u00a0", "\u1680", "\u202f", "\u205f", "\u3000", "\u000b", "\u000c"}
_SPACES.update(chr(c) for c in range(0x2000, 0x200B))
_DROPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# (first vowel, second vowel) pairs whose tone moves to the second vowel in the old style.
_OLD_STYLE_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
# The end of a syllable whose tone sits on the o of oa/oe or on the u of uy (not after q,
# where "qu" is the consonant): the only places the old style differs.
_TONE_TAIL = re.compile(r"(?:[òóõỏọÒÓÕỎỌ][aeAE]|(?<![qQ])[ùúũủụÙÚŨỦỤ][yY])(?![^\W\d_])")
# The end of a syllable written in the old style (tone on the a/e of oa/oe or the y of uy),
# for the way back to the new style.
_OLD_TONE_TAIL = re.compile(r"(?:[oO][àáãảạèéẽẻẹÀÁÃẢẠÈÉẼẺẸ]|(?<![qQ])[uU][ỳýỹỷỵỲÝỸỶỴ])(?![^\W\d_])")
TONE_STYLES = ("old", "new")
_BEYOND_LATIN = re.compile("[^\u0000-\u02ff\u1e00-\u1eff\u2000-\u206f]")
_SPECIAL = re.compile("[" + re.escape("".join(sorted(_SPACES | _DROPPED | {"\r"}))) + "]")


@dataclass(frozen=True)
class NormalizedText:
    """Canonical text plus, per canonical character, the original span it came from."""

    text: str
    orig_start: Sequence[int]  # original offset of the first source char of text[i]
    orig_end: Sequence[int]  # original offset just past the last source char of text[i]
    orig_len: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a canonical span [start, end) to the original string."""
        if start >= end:
            raise ValueError(f"empty span {start}:{end}")
        return self.orig_start[start], self.orig_end[end - 1]

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span to the smallest canonical span that covers it."""
        # both maps are non-decreasing: the first char that ends after start, and the
        # first char at or after lo that starts at or after end
        lo = bisect_right(self.orig_end, start)
        hi = max(lo, bisect_left(self.orig_start, end))
        return lo, hi


def _clusters(text: str):
    """Yield (start, end) of base characters with their combining marks."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        yield i, j
        i = j


def nfc_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """NFC copy of ``text`` (nothing else changed) and, per NFC character, the original
    start and end of its source cluster: each base character with its combining marks is
    composed on its own, so every character maps back to a whole cluster of the caller's
    string. For matchers that must see the text as written but composed (document codes)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for s, e in _clusters(text):
        piece = unicodedata.normalize("NFC", text[s:e])
        out.append(piece)
        starts.extend([s] * len(piece))
        ends.extend([e] * len(piece))
    return "".join(out), starts, ends


def _move_tone(syllable: str) -> str:
    """hòa -> hoà, Ủy -> Uỷ, khỏe -> khoẻ; anything else unchanged (length preserved)."""
    if len(syllable) < 2:
        return syllable
    first, second = syllable[-2], syllable[-1]
    d1, d2 = unicodedata.normalize("NFD", first), unicodedata.normalize("NFD", second)
    if len(d1) != 2 or d1[1] not in _TONE_MARKS or len(d2) != 1:
        return syllable
    if (d1[0].lower(), d2.lower()) not in _OLD_STYLE_PAIRS:
        return syllable
    if d1[0].lower() == "u" and syllable[:-2].lower().endswith("q"):
        return syllable  # "qu" is a consonant: quý already carries the tone on y
    moved = d1[0] + unicodedata.normalize("NFC", d2 + d1[1])
    return syllable[:-2] + moved


def _move_tone_back(syllable: str) -> str:
    """hoà -> hòa, Uỷ -> Ủy, khoẻ -> khỏe (the tail matched by _OLD_TONE_TAIL; length preserved)."""
    first, second = syllable[-2], syllable[-1]
    d2 = unicodedata.normalize("NFD", second)
    if len(d2) != 2 or d2[1] not in _TONE_MARKS:
        return syllable
    return syllable[:-2] + unicodedata.normalize("NFC", first + d2[1]) + d2[0]


def normalize_tone_placement(text: str, tone: str = "old") -> str:
    """Apply the ``old`` (hoà, Uỷ) or ``new`` (hòa, Ủy) tone placement to every open syllable
    ending in oa/oe/uy (length-preserving)."""
    if tone == "old":
        return _TONE_TAIL.sub(lambda m: _move_tone(m.group(0)), text)
    if tone == "new":
        return _OLD_TONE_TAIL.sub(lambda m: _move_tone_back(m.group(0)), text)
    raise ValueError(f"tone must be one of {TONE_STYLES}, got {tone!r}")


@cache
def _combining_chars() -> re.Pattern[str]:
    """A character class of every code point with a non-zero combining class (built once)."""
    ranges, start = [], None
    for c in range(sys.maxunicode + 2):
        on = c <= sys.maxunicode and unicodedata.combining(chr(c)) != 0
        if on and start is None:
            start = c
        elif not on and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(c - 1))}")
            start = None
    return re.compile("[" + "".join(ranges) + "]")


def _already_canonical(text: str) -> bool:
    """True when normalize() would map every character to itself (then, one char per char).

    Most input (scraped news, our corpus) is NFC with plain spaces; checking that in C is
    far cheaper than the per-character loop, which then only runs on text that needs it.
    """
    if not unicodedata.is_normalized("NFC", text) or _SPECIAL.search(text):
        return False
    # Latin, Vietnamese and punctuation hold no combining marks; only text with other
    # characters is checked against the (slower) full class
    return _BEYOND_LATIN.search(text) is None or _combining_chars().search(text) is None


def normalize(text: str, tone: str = "old") -> NormalizedText:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    if _already_canonical(text):
        canonical = normalize_tone_placement(text, tone)
        n = len(text)
        return NormalizedText(canonical, range(n), range(1, n + 1), n)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for s, e in _clusters(text):
        chunk = text[s:e]
        if chunk in _DROPPED:
            continue
        if chunk == "\r":
            if e < len(text) and text[e] == "\n":
                continue  # CRLF: the LF that follows stands for both
            chunk = "\n"
        elif chunk in _SPACES:
            chunk = " "
        else:
            chunk = unicodedata.normalize("NFC", chunk)
        for ch in chunk:
            out.append(ch)
            starts.append(s)
            ends.append(e)
    canonical = normalize_tone_placement("".join(out), tone)
    assert len(canonical) == len(out)
    return NormalizedText(canonical, tuple(starts), tuple(ends), len(text))


def normalize_word(word: str, tone: str = "old") -> str:
    """Canonical form of one pre-tokenised word (no offsets needed)."""
    return normalize(word, tone).text
