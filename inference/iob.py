"""IOB2 tags: built, parsed, turned into spans and back, and repaired, in one place.

A tag is ``O``, ``B-LABEL`` (first token of an entity) or ``I-LABEL`` (a following
token). Strict IOB2, as seqeval's ``mode="strict"`` reads it: an entity starts only at
``B-``; an ``I-`` that does not continue an entity of its label starts none
(``spans_from_tags``) unless the sequence is first ``repair``-ed into ``B-``.
"""

from __future__ import annotations

import bisect

from typing import Iterable, Sequence

from inference.spans import Span

OUTSIDE = "O"
PREFIXES = ("B", "I")


class TagError(ValueError):
    """A string that is not an IOB2 tag."""


def bio_tags(labels: Sequence[str]) -> list[str]:
    """The model's output tags for ``labels``, in a fixed order: ``O, B-X, I-X, B-Y, ...``."""
    tags = [OUTSIDE]
    for label in labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


def parse(tag: str) -> tuple[str, str | None]:
    """``("O", None)``, ``("B", label)`` or ``("I", label)``; anything else is a TagError."""
    if tag == OUTSIDE:
        return OUTSIDE, None
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in PREFIXES or not label:
        raise TagError(f"{tag!r} is not an IOB2 tag (O, B-LABEL or I-LABEL)")
    return prefix, label


def label_of(tag: str) -> str | None:
    return parse(tag)[1]


def labels_of(tags: Iterable[str]) -> list[str]:
    """Entity labels in first-seen order."""
    return list(dict.fromkeys(label for t in tags if (label := label_of(t)) is not None))


def spans_from_tags(tags: Sequence[str]) -> list[Span]:
    """Strict IOB2 entities over token indices (end exclusive); a stray I- starts none."""
    out: list[Span] = []
    start, label = None, None
    for i, tag in enumerate([*tags, OUTSIDE]):
        prefix, lab = parse(tag)
        if prefix == "I" and lab == label:
            continue
        if label is not None:
            out.append(Span(start, i, label))
        start, label = (i, lab) if prefix == "B" else (None, None)
    return out


def tags_from_spans(token_spans: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[str]:
    """IOB2 tags of tokens given character spans that start and end on token edges."""
    tags = [OUTSIDE] * len(token_spans)
    # tokens ordered by start, found by bisection: linear in tokens + spans up to a log
    # factor (a 1 MB document has ~200k tokens and thousands of entities)
    order = sorted(range(len(token_spans)), key=lambda i: token_spans[i][0])
    starts = [token_spans[i][0] for i in order]
    for s in spans:
        inside = []
        j = bisect.bisect_left(starts, s.start)
        while j < len(order) and starts[j] <= s.end:
            if token_spans[order[j]][1] <= s.end:
                inside.append(order[j])
            j += 1
        inside.sort()
        for k, i in enumerate(inside):
            tags[i] = f"{'B' if k == 0 else 'I'}-{s.label}"
    return tags


def repair(tags: Sequence[str]) -> list[str]:
    """An I- that continues no entity of its label becomes B- (IOB1 habits, some toolkits)."""
    out, prev = [], None
    for tag in tags:
        prefix, label = parse(tag)
        if prefix == "I" and prev != label:
            tag = f"B-{label}"
        out.append(tag)
        prev = label
    return out


def is_valid(tags: Sequence[str]) -> bool:
    """True when every I- continues an entity of its own label."""
    return list(tags) == repair(tags)
