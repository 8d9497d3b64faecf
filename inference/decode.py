"""Per-word tag probabilities -> entity spans over word indices.

The tag sequence is the most probable *valid* IOB2 sequence (Viterbi over the per-word
probabilities, with ``I-X`` allowed only after ``B-X`` or ``I-X``), not the per-word argmax:
an argmax over independent softmaxes happily produces ``B-ORG I-TITLE I-ORG``, which reads as
three fragments where there is one entity. Constraining the path costs nothing at training
time and makes boundaries whole. Punctuation-only words at an entity's edges are trimmed:
no entity of any label begins or ends with punctuation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


def allowed_transitions(tags: Sequence[str]) -> np.ndarray:
    """(n_tags + 1, n_tags) boolean matrix: row t allows the tags that may follow tag t;
    the last row is the sentence start (where no ``I-`` may appear)."""
    n = len(tags)
    ok = np.ones((n + 1, n), dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            label = tag[2:]
            for i, prev in enumerate(tags):
                ok[i, j] = prev in (f"B-{label}", f"I-{label}")
            ok[n, j] = False
    return ok


@lru_cache(maxsize=32)
def _allowed(tags: tuple[str, ...]) -> np.ndarray:
    return allowed_transitions(tags)


def best_path(probs: np.ndarray, tags: Sequence[str]) -> np.ndarray:
    """Tag indices of the most probable valid IOB2 sequence (Viterbi in log space)."""
    n_words = len(probs)
    if n_words == 0:
        return np.zeros(0, dtype=np.int64)
    ok = _allowed(tuple(tags))
    greedy = probs.argmax(axis=-1)
    if ok[-1, greedy[0]] and ok[greedy[:-1], greedy[1:]].all():
        # each word's best tag, and the sequence is valid: nothing can beat it (most sentences)
        return greedy
    penalty = np.where(ok, 0.0, -np.inf)
    logp = np.log(np.clip(probs.astype(np.float64), 1e-30, None))
    score = logp[0] + penalty[-1]
    back = np.zeros((n_words, len(tags)), dtype=np.int64)
    for w in range(1, n_words):
        cand = score[:, None] + penalty[:-1]  # (from, to)
        back[w] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[w]
    path = np.empty(n_words, dtype=np.int64)
    path[-1] = int(score.argmax())
    for w in range(n_words - 1, 0, -1):
        path[w - 1] = back[w, path[w]]
    return path


def one_hot(tag_seq: Sequence[str], tags: Sequence[str]) -> np.ndarray:
    """Tags another system has chosen (a CRF, a toolkit) as a probability matrix, so they
    are decoded into spans by exactly the rules used for the model's output."""
    index = {t: k for k, t in enumerate(tags)}
    probs = np.zeros((len(tag_seq), len(tags)), dtype=np.float32)
    for i, t in enumerate(tag_seq):
        probs[i, index.get(t, 0)] = 1.0
    return probs


def tags_from_probs(probs: np.ndarray, tags: Sequence[str]) -> list[str]:
    return [tags[i] for i in best_path(probs, tags)]


def decode(probs: np.ndarray, tags: Sequence[str], forms: Sequence[str]) -> list[WordSpan]:
    """Entities from a (n_words, n_tags) probability matrix."""
    best = best_path(probs, tags)
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
