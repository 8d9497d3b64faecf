"""Per-word tag probabilities -> entity spans over word indices.

Decoding is lenient about BIO: an ``I-X`` that does not continue an ``X`` starts a new
entity instead of being dropped, because a model that gets the type right but the prefix
wrong has still found the entity. Punctuation-only words at an entity's edges are trimmed:
no entity of any label begins or ends with punctuation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class WordSpan:
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    label: str
    score: float


def _is_punct(form: str) -> bool:
    return not any(ch.isalnum() for ch in form)


def tags_from_probs(probs: np.ndarray, tags: Sequence[str]) -> list[str]:
    return [tags[i] for i in probs.argmax(axis=-1)]


def decode(probs: np.ndarray, tags: Sequence[str], forms: Sequence[str]) -> list[WordSpan]:
    """Entities from a (n_words, n_tags) probability matrix."""
    best = probs.argmax(axis=-1)
    conf = probs[np.arange(len(best)), best]
    spans: list[WordSpan] = []
    cur: list[int] = []
    cur_label: str | None = None

    def close() -> None:
        if cur_label is None:
            return
        words = list(cur)
        while words and _is_punct(forms[words[0]]):
            words.pop(0)
        while words and _is_punct(forms[words[-1]]):
            words.pop()
        if words:
            spans.append(WordSpan(words[0], words[-1], cur_label, float(conf[words].mean())))

    for i, t in enumerate(best):
        tag = tags[t]
        if tag == "O":
            close()
            cur, cur_label = [], None
            continue
        prefix, label = tag[:1], tag[2:]
        if prefix == "I" and cur_label == label:
            cur.append(i)
        else:
            close()
            cur, cur_label = [i], label
    close()
    return spans
