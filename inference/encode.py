"""Words -> subword ids, and sentences -> windows that fit the model.

Two tokenizer families are served, and they differ in how a multi-syllable word is
written for them (``word_join``):
- ``"_"``: PhoBERT, pre-trained on word-segmented text, reads ``Bí_thư``; its tokenizer
  is a slow (Python) BPE with no ``word_ids()``;
- ``" "``: SentencePiece and WordPiece models (XLM-R, multilingual-e5, mBERT) were
  pre-trained on raw text and read ``Bí thư``; their fast tokenizers split on whitespace
  and prefix each word, so a word tokenised alone gives exactly the pieces it gets inside
  its sentence (the ``word_ids()`` grouping of the sentence; a test checks this).
Words reach the encoder with their syllables joined by ``_`` (pyvi's convention, used by
every segmenter), and the encoder rewrites that joint for the second family. A literal
``_`` inside a token is therefore read as a joint by both families.

We tokenise word by word, because news text repeats the same few thousand words and a
word's pieces can be cached, and record where each word's first subword lands. Only that
first subword is labelled or read.

PhoBERT's position embeddings stop at 256 subwords including ``<s>`` and ``</s>``. A longer
sentence is cut into windows at word boundaries; consecutive windows overlap by
``overlap`` subwords so that every word is seen with context on both sides in at least one
window. Nothing is truncated: every word is in some window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

# A "word" of more pieces than this is a URL or a run of digits; its first piece carries
# its label and the rest add nothing, so they are dropped to keep windows for real words.
MAX_PIECES_PER_WORD = 32


WORD_JOINS = ("_", " ")


def word_join_for(tokenizer) -> str:
    """How this tokenizer expects the syllables of one word to be joined (see module doc)."""
    return "_" if type(tokenizer).__name__.startswith("Phobert") else " "


class WordEncoder:
    """Cached word -> subword-id lookup around either tokenizer family (see module doc)."""

    def __init__(self, tokenizer, word_join: str | None = None, cache_size: int = 200_000) -> None:
        self.tokenizer = tokenizer
        self.word_join = word_join_for(tokenizer) if word_join is None else word_join
        if self.word_join not in WORD_JOINS:
            raise ValueError(f"word_join must be one of {WORD_JOINS}, got {self.word_join!r}")
        self.cache_size = cache_size
        self.bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.cls_token_id
        self.eos = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else tokenizer.sep_token_id
        self.pad = tokenizer.pad_token_id
        self.unk = tokenizer.unk_token_id
        self._cache: dict[str, list[int]] = {}

    def encode(self, form: str) -> list[int]:
        ids = self._cache.get(form)
        if ids is None:
            ids = self.encode_words([form])[0]
        return ids

    def encode_words(self, forms: Sequence[str]) -> list[list[int]]:
        """Subword ids of each word; words not cached yet are tokenised in one call."""
        cache = self._cache
        todo = list(dict.fromkeys(f for f in forms if f not in cache))
        if not todo:
            return [cache[f] for f in forms]
        new = {form: (ids or [self.unk])[:MAX_PIECES_PER_WORD] for form, ids in zip(todo, self._tokenize(todo))}
        out = [new[f] if f in new else cache[f] for f in forms]  # before any eviction below
        if len(cache) + len(new) > self.cache_size:
            cache.clear()  # bounded: a long-running server sees an unbounded vocabulary
        if len(new) <= self.cache_size:
            cache.update(new)
        return out

    def _tokenize(self, forms: list[str]) -> list[list[int]]:
        if self.word_join == "_":
            return [self.tokenizer.convert_tokens_to_ids(self.tokenizer.tokenize(f)) for f in forms]
        texts = [f.replace("_", " ") for f in forms]
        return self.tokenizer(texts, add_special_tokens=False)["input_ids"]


@dataclass(frozen=True)
class Window:
    """A model input covering words [word_start, word_end) of one sentence."""

    word_start: int
    word_end: int
    input_ids: tuple[int, ...]
    first_positions: tuple[int, ...]  # position in input_ids of each covered word's 1st piece


def _window(pieces: Sequence[Sequence[int]], ws: int, we: int, bos: int, eos: int) -> Window:
    ids, firsts = [bos], []
    for p in pieces[ws:we]:
        firsts.append(len(ids))
        ids.extend(p)
    ids.append(eos)
    return Window(ws, we, tuple(ids), tuple(firsts))


def make_windows(
    pieces: Sequence[Sequence[int]], bos: int, eos: int, max_length: int = 256, overlap: int = 64
) -> list[Window]:
    """Cover all words with windows of at most max_length ids (specials included)."""
    budget = max_length - 2
    if budget < MAX_PIECES_PER_WORD:
        raise ValueError(f"max_length {max_length} is too small (needs > {MAX_PIECES_PER_WORD + 2})")
    if overlap >= budget // 2:
        raise ValueError(f"overlap {overlap} must be below half the window ({budget // 2})")
    n = len(pieces)
    if n == 0:
        return []
    windows, ws = [], 0
    while True:
        we, used = ws, 0
        while we < n and used + len(pieces[we]) <= budget:
            used += len(pieces[we])
            we += 1
        windows.append(_window(pieces, ws, we, bos, eos))
        if we >= n:
            return windows
        # step back from the end so that the next window re-reads ~overlap pieces
        nxt, back = we, 0
        while nxt - 1 > ws + 1 and back + len(pieces[nxt - 1]) <= overlap:
            nxt -= 1
            back += len(pieces[nxt])
        ws = nxt


def best_window_for_words(windows: Sequence[Window], n_words: int) -> list[tuple[int, int]]:
    """For each word, (window index, index within window) where it is furthest from an edge.

    A token at a window edge is predicted with one-sided context; the same token in the
    middle of the next window is predicted better, so the middle wins.
    """
    inf = float("inf")
    best: list[tuple[float, int, int]] = [(-1.0, -1, -1)] * n_words
    for wi, w in enumerate(windows):
        size = w.word_end - w.word_start
        for k in range(size):
            # an edge that is the sentence's own edge is not a window edge
            left = k if w.word_start > 0 else inf
            right = size - 1 - k if w.word_end < n_words else inf
            margin = min(left, right)
            word = w.word_start + k
            if margin > best[word][0]:
                best[word] = (margin, wi, k)
    if any(b[1] < 0 for b in best):
        raise AssertionError("a word is covered by no window")
    return [(wi, k) for _, wi, k in best]
