"""Sentence splitting, syllabification and word segmentation, all with offsets.

PhoBERT was pre-trained on word-segmented text (``Quốc_hội``, ``Bí_thư``), so words, not
syllables, are the unit the model sees. Every unit produced here carries its character
offsets into the (normalised) text, so nothing has to be re-found by string search later.

Segmenters are pluggable: ``pyvi`` (default, pyvi's CRF), ``none`` (each syllable is a
word) and ``presegmented`` (input already joins syllables with ``_``: each
whitespace/punctuation-delimited token is a word). ``boundaries`` forces a word break at
given offsets: training uses it so that a word never straddles an entity boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from inference.edges import is_punct

SEGMENTERS = ("pyvi", "none", "presegmented")


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    form: str  # what the tokenizer sees: syllables joined by "_"


# Numbers with thousands/decimal separators stay whole; any other non-space, non-word
# character is a token of its own, so punctuation never sticks to a name or a code.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+|[^\w\s]", re.UNICODE)

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "tp", "gs", "pgs", "ts", "ths", "bs", "ks", "th.s", "mr", "mrs", "ms", "dr", "st",
    "q", "p", "tt", "tx", "h", "no", "vs", "ltd", "co", "inc", "ncs", "cn", "kts", "ls",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")


def split_sentences(
    text: str, protected: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Split into sentence spans (trimmed, non-empty).

    Breaks at newlines and at sentence-final punctuation followed by whitespace and an
    upper-case letter, digit or quote; never after a known abbreviation or a single
    capital initial, and never inside a ``protected`` span (gold entities at training time).

    Linear in the length of the text: every look-around is anchored at a position (no
    slicing of the rest of the text), since archives hold articles of 100,000 characters.
    """
    cuts = {m.start() for m in re.finditer(r"\n", text)}
    for m in _SENTENCE_END.finditer(text):
        after = m.end()
        nxt = _NEXT_CHAR.match(text, after)
        if not nxt or not (nxt.group(1).isupper() or nxt.group(1).isdigit() or nxt.group(1) in "\"“'‘«(["):
            continue
        if m.group(0).startswith("."):
            word = _word_before(text, m.start())
            if word and (word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())):
                continue
        cuts.add(after)
    cuts = sorted(c for c in cuts if not _inside(c, protected))
    spans, prev = [], 0
    for cut in cuts + [len(text)]:
        seg = text[prev:cut]
        stripped = seg.strip()
        if stripped:
            lead = len(seg) - len(seg.lstrip())
            spans.append((prev + lead, prev + lead + len(stripped)))
        prev = cut
    return spans


_NEXT_CHAR = re.compile(r"\s+(\S)")
_WORD_BEFORE = re.compile(r"(\w+(?:\.\w+)*)\Z")
_LOOKBEHIND = 64  # longer than any abbreviation or initial that can block a sentence break


def _word_before(text: str, pos: int) -> str | None:
    """The dotted word (``Th.S``, ``TP``) that ends at ``pos``, or None.

    Only a bounded stretch before ``pos`` is searched; a word longer than that stretch is
    returned cut, which changes nothing, since no abbreviation or initial is that long.
    """
    m = _WORD_BEFORE.search(text, max(0, pos - _LOOKBEHIND), pos)
    return m.group(1) if m else None


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < offset < e for s, e in spans)


def syllabify(text: str, start: int = 0, end: int | None = None, boundaries: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token spans in text[start:end]; a token is also cut at every offset in boundaries."""
    end = len(text) if end is None else end
    cuts = sorted(b for b in set(boundaries) if start < b < end)
    spans = []
    for m in _TOKEN.finditer(text, start, end):
        s, e = m.span()
        for b in cuts:
            if s < b < e:
                spans.append((s, b))
                s = b
        spans.append((s, e))
    return spans


PYVI_CHUNK = 500
PYVI_MARGIN = 20


class _PyviJoiner:
    """pyvi's CRF decides, per syllable, whether it continues the previous word."""

    def __init__(self) -> None:
        from pyvi.ViTokenizer import ViTokenizer  # lazily: loading the CRF takes a moment

        self._vt = ViTokenizer

    def labels(self, tokens: list[str]) -> list[str]:
        """pyvi's B_W/I_W label per syllable. A very long sentence is labelled in chunks of
        PYVI_CHUNK syllables, each read with PYVI_MARGIN syllables of context on either side
        (pyvi's features look two syllables away): memory stays bounded (a 5 MB "sentence"
        made pyvi build feature dicts for a million syllables at once) and ordinary
        sentences are labelled in one call, exactly as before."""
        predict = self._vt.model.predict
        features = self._vt.sent2features
        n = len(tokens)
        if n <= PYVI_CHUNK + 2 * PYVI_MARGIN:
            return list(predict([features(tokens, False)])[0])
        out: list[str] = []
        for start in range(0, n, PYVI_CHUNK):
            lo, hi = max(0, start - PYVI_MARGIN), min(n, start + PYVI_CHUNK + PYVI_MARGIN)
            part = predict([features(tokens[lo:hi], False)])[0]
            out.extend(part[start - lo:start - lo + min(PYVI_CHUNK, n - start)])
        return out

    def joins(self, tokens: list[str]) -> list[bool]:
        labels = self.labels(tokens)
        out = [False]
        for i in range(1, len(tokens)):
            a, b = tokens[i - 1], tokens[i]
            out.append(
                labels[i] == "I_W"
                and not is_punct(a)
                and not is_punct(b)
                and not a[0].isdigit()
                and not b[0].isdigit()
                and not (b[0].istitle() and not a[0].istitle())
            )
        return out


class Segmenter:
    """Turns a sentence span of normalised text into words with offsets."""

    def __init__(self, mode: str = "pyvi") -> None:
        if mode not in SEGMENTERS:
            raise ValueError(f"unknown segmenter {mode!r}; choose one of {', '.join(SEGMENTERS)}")
        self.mode = mode
        self._joiner = _PyviJoiner() if mode == "pyvi" else None

    def words(self, text: str, start: int, end: int, boundaries: Iterable[int] = ()) -> list[Word]:
        bset = set(boundaries)
        toks = syllabify(text, start, end, bset)
        if not toks:
            return []
        strings = [text[s:e] for s, e in toks]
        if self._joiner is None:
            return [Word(s, e, t) for (s, e), t in zip(toks, strings)]
        joins = self._joiner.joins(strings)
        words: list[Word] = []
        for i, ((s, e), t) in enumerate(zip(toks, strings)):
            gap_start = toks[i - 1][1] if i > 0 else s
            adjacent = i > 0 and text[gap_start:s] == " "
            forced_break = any(gap_start <= b <= s for b in bset) if bset else False
            if joins[i] and adjacent and not forced_break and words:
                prev = words[-1]
                words[-1] = Word(prev.start, e, prev.form + "_" + t)
            else:
                words.append(Word(s, e, t))
        return words
