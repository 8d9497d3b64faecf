import unicodedata

import pytest
from hypothesis import given, strategies as st

from inference.normalize import nfc_with_map, normalize, normalize_tone_placement


@pytest.mark.parametrize(
    "new, old",
    [("hòa", "hoà"), ("Ủy ban", "Uỷ ban"), ("Thành ủy", "Thành uỷ"), ("khỏe", "khoẻ"), ("thủy", "thuỷ"),
     ("tùy", "tuỳ"), ("Thanh Hóa", "Thanh Hoá"), ("họa", "hoạ")],
)
def test_tone_moves_to_phobert_convention(new, old):
    assert normalize(new).text == old


@pytest.mark.parametrize("word", ["quý", "hoàng", "toán", "thuý", "khoa", "Hòn", "thuyền", "Huy", "uy tín"])
def test_tone_placement_leaves_other_syllables_alone(word):
    assert normalize_tone_placement(word) == word


def test_nfd_input_maps_back_to_original_offsets():
    original = unicodedata.normalize("NFD", "Bí thư Thành ủy Hà Nội")
    n = normalize(original)
    assert n.text == "Bí thư Thành uỷ Hà Nội"
    start = n.text.index("Hà Nội")
    s, e = n.to_original(start, start + len("Hà Nội"))
    assert unicodedata.normalize("NFC", original[s:e]) == "Hà Nội"
    assert len(original) > len(n.text)  # decomposed input really is longer


def test_odd_whitespace_and_invisible_characters():
    original = "Chủ\u00a0tịch\r\nQuốc\u200bhội\ufeff nước\tta"
    n = normalize(original)
    assert n.text == "Chủ tịch\nQuốchội nước ta"
    i = n.text.index("Quốchội")
    s, e = n.to_original(i, i + len("Quốchội"))
    assert original[s:e] == "Quốc\u200bhội"
    assert n.orig_len == len(original)


def test_lone_carriage_return_is_a_newline():
    assert normalize("a\rb").text == "a\nb"


def test_non_string_raises_type_error():
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[arg-type]


_odd = st.sampled_from(["\u00a0", "\u200b", "\r\n", "\t", "\u0301", "\ufeff", " "])
_plain = st.text(alphabet="aăâbcdđeêoôơuưyABCĐhòaủy ,.", min_size=0, max_size=12)


@given(st.lists(st.tuples(_plain, _odd), max_size=8))
def test_every_canonical_character_maps_into_the_original(parts):
    original = "".join(a + b for a, b in parts)
    n = normalize(original)
    assert len(n.orig_start) == len(n.text) == len(n.orig_end)
    for i in range(len(n.text)):
        assert 0 <= n.orig_start[i] < n.orig_end[i] <= len(original)
        if i:
            assert n.orig_start[i - 1] <= n.orig_start[i]
    if n.text:
        s, e = n.to_original(0, len(n.text))
        assert 0 <= s < e <= len(original)


@given(_plain)
def test_canonical_text_takes_the_same_path_as_text_that_needs_work(plain):
    """Text already in canonical form skips the per-character loop; a zero-width space in
    front forces the loop. Both must give the same text and the same offsets (shifted by 1)."""
    plain = unicodedata.normalize("NFC", plain)
    fast, slow = normalize(plain), normalize("\u200b" + plain)
    assert fast.text == slow.text
    assert list(fast.orig_start) == [s - 1 for s in slow.orig_start]
    assert list(fast.orig_end) == [e - 1 for e in slow.orig_end]


@given(st.lists(st.tuples(_plain, _odd), max_size=8), st.integers(0, 200), st.integers(0, 200))
def test_from_original_is_the_smallest_covering_span(parts, a, b):
    original = "".join(x + y for x, y in parts)
    n = normalize(original)
    start, end = sorted((min(a, len(original)), min(b, len(original))))
    lo, hi = n.from_original(start, end)
    expected = [i for i in range(len(n.text)) if n.orig_end[i] > start and n.orig_start[i] < end]
    assert (lo, hi) == ((expected[0], expected[-1] + 1) if expected else (lo, lo))


def test_nfc_with_map_composes_and_maps_each_character_to_its_cluster():
    text = unicodedata.normalize("NFD", "Nghị định 15/2020/NĐ-CP\u00a0của Thủ tướng") + "\u200b."
    norm, starts, ends = nfc_with_map(text)
    assert norm == unicodedata.normalize("NFC", text)  # composed, nothing else changed
    assert len(starts) == len(ends) == len(norm)
    for k, ch in enumerate(norm):
        assert ch in unicodedata.normalize("NFC", text[starts[k]:ends[k]])
    i = norm.index("ị")
    assert text[starts[i]:ends[i]] == unicodedata.normalize("NFD", "ị")  # three code points, one character
