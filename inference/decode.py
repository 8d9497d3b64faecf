"""Per-word tag probabilities -> entity spans over word indices.

The tag sequence is the most probable *valid* IOB2 sequence (Viterbi over the per-word
probabilities, with ``I-X`` allowed only after ``B-X`` or ``I-X``), not the per-word argmax:
an argmax over independent softmaxes happily produces ``B-ORG I-TITLE I-ORG``, which reads as
three fragments where there is one entity. Constraining the path costs nothing at training
time and makes boundaries whole. Punctuation-only words at an entity's edges are trimmed:
no entity of any label begins or ends with punctuation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from inference import iob
from inference.edges import is_punct
from inference.spans import Span


def allowed_transitions(tags: Sequence[str]) -> np.ndarray:
    """(n_tags + 1, n_tags) boolean matrix: row t allows the tags that may follow tag t;
    the last row is the sentence start (where no ``I-`` may appear)."""
    n = len(tags)
    parsed = [iob.parse(t) for t in tags]
    ok = np.ones((n + 1, n), dtype=bool)
    for j, (prefix, label) in enumerate(parsed):
        if prefix == "I":
            for i, (_, prev_label) in enumerate(parsed):
                ok[i, j] = prev_label == label
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


def tags_from_probs(probs: np.ndarray, tags: Sequence[str]) -> list[str]:
    return [tags[i] for i in best_path(probs, tags)]


def decode(probs: np.ndarray, tags: Sequence[str], forms: Sequence[str]) -> list[tuple[Span, float]]:
    """Entities over word indices (end exclusive) with their mean confidence, from a
    (n_words, n_tags) probability matrix; punctuation words at an entity's edges are trimmed."""
    best = best_path(probs, tags)
    conf = probs[np.arange(len(best)), best]
    out: list[tuple[Span, float]] = []
    for span in iob.spans_from_tags([tags[t] for t in best]):
        first, last = span.start, span.end - 1
        while first <= last and is_punct(forms[first]):
            first += 1
        while last >= first and is_punct(forms[last]):
            last -= 1
        if first <= last:
            out.append((Span(first, last + 1, span.label), float(conf[first:last + 1].mean())))
    return out
