"""Fuzzing the offset contract on the fixture tagger (issue 12, part 8).

Generated Vietnamese-like text mixes NFC and NFD syllables, stray combining marks,
zero-width characters, a BOM, ``\\r\\n``, ``\\u2028``, emoji, very long tokens, and whitespace-
or punctuation-only input. For every text: ``text[e.start:e.end] == e.text`` for every
entity, entities lie inside the text in order without overlapping, and ``tag_batch`` gives
what ``tag`` gives one text at a time (scores within 1e-6). Bounded by the conftest
hypothesis profile (60 examples, derandomised).
"""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

SYLLABLES = ["Nguyễn", "Văn", "Bí", "thư", "Thành", "ủy", "uỷ", "Hà", "Nội", "Quyết", "định", "số", "Thủ", "tướng",
             "Chính", "phủ", "UBND", "tỉnh", "Quảng", "Nam", "Bộ", "trưởng", "Đảng", "hoà", "hòa", "Phó", "Chủ", "tịch"]
CODES = ["18-NQ/TW", "15/2020/NĐ-CP", "123/QĐ-UBND", "24-CT/TU"]
ODD = ["\u0301", "\u0323", "\u0309", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\r\n", "\r", "\u2028",
       "\u2029", "\u00a0", "\u3000", "\t", "😀", "👍🏽", "🇻🇳", "👨‍👩‍👧", "…", "“", "”", "«", "»", "(", ")", ".", ",", ";",
       "-", "/", "_", "a" * 250, "Đ" * 120 + "ồ" * 90, "1.000.000", "12/6/2024"]
PUNCT = list(".,;:!?…-–—/()[]{}\"'“”«»*&%$#@")
SPACE = [" ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\u200b", "\ufeff"]


def piece() -> st.SearchStrategy[str]:
    syllable = st.sampled_from(SYLLABLES).flatmap(
        lambda s: st.sampled_from([s, unicodedata.normalize("NFD", s), s.upper(), s.lower()]))
    return st.one_of(syllable, syllable, syllable, st.sampled_from(CODES), st.sampled_from(ODD),
                     st.text(min_size=1, max_size=3))


def join(parts: list[tuple[str, str]]) -> str:
    return "".join(p + sep for p, sep in parts)


running = st.lists(st.tuples(piece(), st.sampled_from([" ", " ", " ", "", ". ", ", ", "\n", "\r\n", "\u2028"])),
                   min_size=8, max_size=40).map(join)
texts = st.one_of(
    running, running, running, running,
    st.lists(st.sampled_from(SPACE), max_size=10).map("".join),  # whitespace only
    st.lists(st.sampled_from(PUNCT), min_size=1, max_size=20).map("".join),  # punctuation only
)


def check_offsets(text: str, ents) -> None:
    prev_end = 0
    for e in ents:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start:e.end] == e.text
        assert e.start >= prev_end  # in order, no overlap
        prev_end = e.end


def same(a, b) -> bool:
    return (len(a) == len(b) and all(
        (x.text, x.label, x.start, x.end, x.source) == (y.text, y.label, y.start, y.end, y.source)
        and abs(x.score - y.score) <= 1e-6 for x, y in zip(a, b)))


@given(running, st.lists(texts, max_size=2))
@example("\ufeffBí thư Thành ủy Hà Nội\r\nÔng Nguye\u0302\u0303n Văn A ký Nghị quyết 18-NQ/TW\u2028.", [])
@example("Thủ tướng 😀 Nguyễn\u200bVăn\u200dA " + "a" * 250, ["   \t\n", "…!?", ""])
def test_offsets_and_batch_equal_single(tagger, first, others):
    batch = [first, *others]
    singles = [tagger.tag(t) for t in batch]
    for t, ents in zip(batch, singles):
        check_offsets(t, ents)
    together = tagger.tag_batch(batch)
    assert all(same(a, b) for a, b in zip(singles, together)), (singles, together)
