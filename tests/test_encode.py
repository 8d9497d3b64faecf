import pytest
from hypothesis import given, strategies as st

from inference.encode import WordEncoder, best_window_for_words, make_windows


def test_word_encoder_uses_phobert_vocabulary(tokenizer):
    enc = WordEncoder(tokenizer)
    assert enc.encode("Thành_uỷ") == tokenizer.convert_tokens_to_ids(["Thành_uỷ"])
    assert len(enc.encode("Thành_ủy")) > 1  # the new-style spelling splits: why we normalise
    assert enc.encode("18-NQ/TW") == tokenizer.convert_tokens_to_ids(tokenizer.tokenize("18-NQ/TW"))


def test_short_sentence_is_one_window(tokenizer):
    enc = WordEncoder(tokenizer)
    pieces = [enc.encode(w) for w in ["Tôi", "là", "sinh_viên"]]
    (w,) = make_windows(pieces, enc.bos, enc.eos, 256, 64)
    assert w.input_ids == (0, 218, 8, 649, 2)
    assert w.first_positions == (1, 2, 3)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=400), st.integers(40, 120), st.integers(0, 15))
def test_windows_cover_every_word_within_the_limit(sizes, max_length, overlap):
    pieces = [[7] * n for n in sizes]
    windows = make_windows(pieces, 0, 2, max_length, overlap)
    assert all(len(w.input_ids) <= max_length for w in windows)
    assert windows[0].word_start == 0 and windows[-1].word_end == len(sizes)
    for a, b in zip(windows, windows[1:]):
        assert b.word_start <= a.word_end and b.word_start > a.word_start  # contiguous, progressing
    chosen = best_window_for_words(windows, len(sizes))
    for word, (wi, k) in enumerate(chosen):
        assert windows[wi].word_start + k == word


def test_middle_of_the_next_window_beats_the_edge_of_the_previous():
    pieces = [[5]] * 100
    windows = make_windows(pieces, 0, 2, max_length=42, overlap=10)
    assert len(windows) > 2
    edge_word = windows[0].word_end - 1  # last word of window 0, also inside window 1
    wi, _ = best_window_for_words(windows, 100)[edge_word]
    assert wi == 1


def test_window_limits_are_checked():
    with pytest.raises(ValueError):
        make_windows([[1]], 0, 2, max_length=20)
    with pytest.raises(ValueError):
        make_windows([[1]], 0, 2, max_length=64, overlap=40)


def test_a_full_word_cache_is_cleared_without_losing_the_words_of_the_call(tokenizer):
    """The bounded cache is emptied when it would overflow; a call that mixes cached and new
    words still gets every word's ids (it once raised KeyError on the cached ones)."""
    enc = WordEncoder(tokenizer, cache_size=4)
    fresh = WordEncoder(tokenizer)
    first = ["Hà_Nội", "Chính_phủ", "."]
    assert enc.encode_words(first) == fresh.encode_words(first)
    mixed = [".", "Quốc_hội", "Hà_Nội", "Bộ", "Nội_vụ"]  # 3 new words: 3 + 3 > 4 clears the cache
    assert enc.encode_words(mixed) == fresh.encode_words(mixed)
    assert len(enc._cache) <= 4
    many = [f"từ{i}" for i in range(10)]  # more new words than the cache holds: none cached
    assert enc.encode_words(many) == fresh.encode_words(many) and len(enc._cache) <= 4
