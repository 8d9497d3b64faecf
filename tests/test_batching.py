"""How the tagger batches: the plan (budget, coverage, order, optimality), putting results
back in document order, and reading each word from the right window and subword."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from inference.encode import best_window_for_words
from inference.tagger import BATCH_COST, TransformerTagger, plan_batches
from tests.conftest import examples
from tests.test_end_to_end import ARTICLE

LONG_SENTENCE = "Bí thư Thành ủy Trần Văn Khải và Chủ tịch UBND tỉnh Nghệ An Vũ Hải Nam dự họp với Quốc hội, " * 12


def padded(lengths, batches) -> int:
    return sum(len(b) * max(lengths[i] for i in b) for b in batches)


def optimal_cost(lengths, budget, batch_cost=BATCH_COST) -> float:
    """Brute force over every cut of the sorted list (O(n^2)): the reference optimum."""
    s = sorted(lengths)
    best = [0.0] + [float("inf")] * len(s)
    for j in range(1, len(s) + 1):
        for i in range(j):
            if (j - i) * s[j - 1] <= budget or j - i == 1:
                best[j] = min(best[j], best[i] + (j - i) * s[j - 1] + batch_cost)
    return best[-1]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.integers(1, 256), max_size=400), st.integers(256, 10_000))
def test_plan_keeps_the_budget_and_puts_every_window_in_one_batch_sorted(lengths, budget):
    batches = plan_batches(lengths, budget)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))  # each window exactly once
    assert all(batches)
    assert all(len(b) * max(lengths[i] for i in b) <= budget for b in batches)
    assert [lengths[i] for i in flat] == sorted(lengths)  # sorted within and across batches


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.integers(1, 40), max_size=60), st.integers(40, 400))
def test_plan_is_the_cheapest_cut_of_the_sorted_windows(lengths, budget):
    batches = plan_batches(lengths, budget)
    cost = padded(lengths, batches) + BATCH_COST * len(batches)
    assert cost == pytest.approx(optimal_cost(lengths, budget))


def test_a_long_window_does_not_pad_a_batch_of_short_ones():
    # filling the budget would pad twenty 5-token windows to 250 tokens each
    assert plan_batches([5] * 20 + [250], 8192) == [list(range(20)), [20]]
    # but a lone short window rides along rather than costing a forward pass of its own
    assert plan_batches([40] * 10 + [41], 8192) == [list(range(11))]


def test_budget_smaller_than_a_window_is_rejected(tagger):
    with pytest.raises(ValueError, match="batch_tokens"):
        TransformerTagger(tagger.model, tagger.encoder.tokenizer, tagger.settings, batch_tokens=tagger.settings.max_length - 1)


def same_entities(a, b) -> bool:
    """Equal spans and labels; scores equal up to float rounding (a window's logits can
    differ in the last bits with the padded width of the batch it lands in)."""
    if [[(e.text, e.label, e.start, e.end, e.source) for e in d] for d in a] != \
            [[(e.text, e.label, e.start, e.end, e.source) for e in d] for d in b]:
        return False
    return all(abs(x.score - y.score) < 1e-5 for da, db in zip(a, b) for x, y in zip(da, db))


@pytest.mark.parametrize("budget", [None, 128])  # 128 = two windows: documents straddle many batches
def test_tag_batch_returns_documents_in_order(tagger, budget):
    t = tagger if budget is None else TransformerTagger(tagger.model, tagger.encoder.tokenizer, tagger.settings,
                                              batch_tokens=budget)
    texts = [LONG_SENTENCE, "", "Quốc hội họp.", ARTICLE * 4, "  \n ", ARTICLE[:60], "Ông Nam", ARTICLE]
    one_by_one = [t.tag(x) for x in texts]
    assert any(one_by_one[0]) and any(one_by_one[3])
    assert same_entities(t.tag_batch(texts), one_by_one)
    order = list(range(len(texts)))
    random.Random(3).shuffle(order)
    assert same_entities(t.tag_batch([texts[i] for i in order]), [one_by_one[i] for i in order])


def test_progress_counts_every_real_token_once(tagger):
    texts = [ARTICLE, LONG_SENTENCE]
    forms = [[w.form for w in s] for x in texts for s in tagger.preprocessor.prepare(x).sentences]
    windows, _ = tagger.sentence_windows(forms)
    seen = []
    tagger.tag_batch(texts, progress=seen.append)
    assert sum(seen) == sum(len(w.input_ids) for w in windows)
    assert len(seen) == len(tagger.plan_batches(windows))


def test_each_word_is_read_from_its_most_central_window(tagger):
    forms = [w.form for s in tagger.preprocessor.prepare(LONG_SENTENCE).sentences for w in s]
    windows, owners = tagger.sentence_windows([forms, ["Quốc_hội", "họp", "."]])
    assert len(owners[0]) > 2  # the test model's windows are 64 subwords
    per_window = tagger.forward_windows(windows)
    probs = tagger.sentence_probs([forms, ["Quốc_hội", "họp", "."]])
    choice = best_window_for_words([windows[i] for i in owners[0]], len(forms))
    expected = np.stack([per_window[owners[0][wi]][k] for wi, k in choice])
    np.testing.assert_array_equal(probs[0], expected)
    np.testing.assert_array_equal(probs[1], per_window[owners[1][0]])


def test_gathered_first_subwords_match_the_model_run_on_each_window_alone(tagger):
    forms = [[w.form for w in s] for s in tagger.preprocessor.prepare(ARTICLE).sentences]
    windows, _ = tagger.sentence_windows(forms)
    batched = tagger.forward_windows(windows)
    for w, got in zip(windows, batched):
        with torch.inference_mode():
            logits = tagger.model(input_ids=torch.tensor([w.input_ids])).logits[0]
        want = torch.softmax(logits, dim=-1)[list(w.first_positions)].numpy()
        assert got.shape == (len(w.first_positions), len(tagger.settings.tags))
        np.testing.assert_allclose(got, want, atol=1e-5)
