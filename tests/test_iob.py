"""inference.iob.tags_from_spans: the bisection keeps the plain definition (every token that
lies inside a span gets its tag, the first one B-), on token lists in any order."""

from hypothesis import given, strategies as st

from inference.iob import tags_from_spans
from inference.spans import Span


def by_definition(token_spans, spans):
    tags = ["O"] * len(token_spans)
    for s in spans:
        inside = [i for i, (a, b) in enumerate(token_spans) if a >= s.start and b <= s.end]
        for k, i in enumerate(inside):
            tags[i] = f"{'B' if k == 0 else 'I'}-{s.label}"
    return tags


@st.composite
def tokenised(draw):
    pos, toks = 0, []
    for gap, width in draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4)), max_size=15)):
        start = pos + gap
        toks.append((start, start + width))
        pos = start + width
    if draw(st.booleans()):
        toks = draw(st.permutations(toks))
    spans = [Span(a, a + w, lab) for a, w, lab in draw(st.lists(
        st.tuples(st.integers(0, pos + 2), st.integers(0, 8), st.sampled_from(["PER", "ORG"])), max_size=4))]
    return toks, spans


@given(tokenised())
def test_tags_match_the_definition(case):
    toks, spans = case
    assert tags_from_spans(toks, spans) == by_definition(toks, spans)


def test_a_name_over_three_tokens():
    assert tags_from_spans([(0, 3), (4, 7), (8, 12), (13, 15)], [Span(4, 12, "PER")]) == ["O", "B-PER", "I-PER", "O"]
