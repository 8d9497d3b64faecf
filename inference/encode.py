"""Words -> PhoBERT subword ids, and sentences -> windows that fit the model.

PhoBERT has no fast tokenizer, so ``word_ids()`` is unavailable: we tokenise word by word
(which also lets us cache: news text repeats the same few thousand words) and record where
each word's first subword lands. Only that first subword is labelled or read.

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


class WordEncoder:
    """Cached word -> subword-id lookup around a (slow) PhoBERT tokenizer."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.cls_token_id
        self.eos = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else tokenizer.sep_token_id
        self.pad = tokenizer.pad_token_id
        self.unk = tokenizer.unk_token_id
        self._cache: dict[str, list[int]] = {}

    def encode(self, form: str) -> list[int]:
        ids = self._cache.get(form)
        if ids is None:
            pieces = self.tokenizer.tokenize(form)
            ids = self.tokenizer.convert_tokens_to_ids(pieces) if pieces else [self.unk]
            ids = ids[:MAX_PIECES_PER_WORD]
            self._cache[form] = ids
        return ids


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
