"""Decoding per-word tag probabilities into entities (inference/decode.py)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from inference.decode import allowed_transitions, best_path, decode, tags_from_probs

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-TITLE", "I-TITLE"]


def one_hot_ish(rows: list[dict[str, float]]) -> np.ndarray:
    """Probability rows from {tag: p}; the rest of the mass spread evenly."""
    out = np.zeros((len(rows), len(TAGS)))
    for r, row in enumerate(rows):
        rest = (1 - sum(row.values())) / (len(TAGS) - len(row))
        for j, t in enumerate(TAGS):
            out[r, j] = row.get(t, rest)
    return out


def is_valid_iob2(seq: list[str]) -> bool:
    prev = "O"
    for t in seq:
        if t.startswith("I-") and prev[2:] != t[2:]:
            return False
        prev = t
    return True


def test_a_mislabelled_inside_word_does_not_split_the_entity():
    # argmax reads B-ORG I-TITLE I-ORG: three fragments; the best valid path is one ORG
    probs = one_hot_ish([{"B-ORG": 0.9}, {"I-TITLE": 0.45, "I-ORG": 0.4}, {"I-ORG": 0.9}, {"O": 0.95}])
    assert [TAGS[i] for i in probs.argmax(-1)] == ["B-ORG", "I-TITLE", "I-ORG", "O"]
    assert tags_from_probs(probs, TAGS) == ["B-ORG", "I-ORG", "I-ORG", "O"]
    spans = decode(probs, TAGS, ["Ban", "Tổ_chức", "Trung_ương", "họp"])
    assert [(s.start, s.end, s.label) for s, _ in spans] == [(0, 3, "ORG")]


def test_an_inside_tag_at_the_start_becomes_a_beginning():
    probs = one_hot_ish([{"I-PER": 0.6, "B-PER": 0.3}, {"I-PER": 0.9}])
    assert tags_from_probs(probs, TAGS) == ["B-PER", "I-PER"]


def test_confident_valid_argmax_is_kept():
    probs = one_hot_ish([{"B-TITLE": 0.9}, {"I-TITLE": 0.9}, {"B-PER": 0.9}, {"O": 0.9}])
    assert tags_from_probs(probs, TAGS) == ["B-TITLE", "I-TITLE", "B-PER", "O"]


def test_punctuation_is_trimmed_from_entity_edges():
    probs = one_hot_ish([{"B-ORG": 0.9}, {"I-ORG": 0.9}, {"I-ORG": 0.9}])
    ((span, _),) = decode(probs, TAGS, ["Quốc_hội", "khoá", ","])
    assert (span.start, span.end) == (0, 2)


def test_empty_sentence():
    assert tags_from_probs(np.zeros((0, len(TAGS))), TAGS) == []


def test_transitions():
    ok = allowed_transitions(TAGS)
    i = {t: k for k, t in enumerate(TAGS)}
    assert ok[i["B-PER"], i["I-PER"]] and ok[i["I-PER"], i["I-PER"]]
    assert not ok[i["B-ORG"], i["I-PER"]] and not ok[i["O"], i["I-ORG"]]
    assert not ok[len(TAGS), i["I-ORG"]] and ok[len(TAGS), i["B-ORG"]]


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.just(len(TAGS))), elements=st.floats(0.01, 1.0)))
def test_viterbi_is_the_best_valid_sequence(raw):
    """Against brute force over every tag sequence of a short sentence."""
    probs = raw / raw.sum(axis=1, keepdims=True)
    path = best_path(probs, TAGS)
    seq = [TAGS[k] for k in path]
    assert is_valid_iob2(seq)
    logp = np.log(probs)
    best = max(
        sum(logp[w, k] for w, k in enumerate(c))
        for c in itertools.product(range(len(TAGS)), repeat=len(probs))
        if is_valid_iob2([TAGS[k] for k in c])
    )
    assert sum(logp[w, k] for w, k in enumerate(path)) == pytest.approx(best)
