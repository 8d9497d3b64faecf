"""underthesea's ``ner()`` (its bundled CRF) as a tagger, its PER/ORG mapped onto ours.

underthesea re-tokenises and re-normalises what it is given (``hoà`` comes back as
``hòa``), so its tokens are found again in our normalised text after our own
normalisation of each token; a token that cannot be found is counted and left untagged.
underthesea is an optional dependency (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

from inference import iob
from inference.base import TextTagger, one_hot
from inference.decode import decode
from inference.segment import split_sentences
from inference.spans import Span

# underthesea's labels -> the project's and PhoNER_COVID19's (LOC and MISC have no counterpart)
PROJECT_LABELS = {"PER": "PER", "ORG": "ORG"}
PHONER_LABELS = {"PER": "NAME", "ORG": "ORGANIZATION"}


class UndertheseaTagger(TextTagger):
    source = "underthesea"

    def __init__(self, label_map: dict[str, str]) -> None:
        from underthesea import ner  # ImportError: not installed

        super().__init__(list(dict.fromkeys(label_map.values())), segmenter="none")
        self._ner = ner
        self.label_map = dict(label_map)
        self.tokens = 0
        self.unaligned = 0

    def find(self, text: str) -> list[Span]:
        norm = self.preprocessor.normalize(text)
        out = []
        for s, e in split_sentences(norm.text):
            for a, b, label in self._sentence_spans(norm.text, s, e):
                oa, ob = norm.to_original(a, b)
                out.append(Span(oa, ob, label))
        return out

    def _sentence_spans(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, label) in ``text`` for one sentence ``text[start:end]``."""
        pos, forms, offsets, tags = start, [], [], []
        for tok in self._ner(text[start:end]):
            word, tag = tok[0], tok[-1]
            self.tokens += 1
            first = last = None
            p = pos
            for piece in word.split():
                piece = self.preprocessor.normalize(piece).text
                k = text.find(piece, p, end)
                if k < 0:
                    first = None
                    break
                first = k if first is None else first
                p = last = k + len(piece)
            if first is None:
                self.unaligned += 1
                continue
            pos = last
            prefix, theirs = iob.parse(tag)
            label = self.label_map.get(theirs) if theirs else None
            forms.append(text[first:last])
            offsets.append((first, last))
            tags.append(f"{prefix}-{label}" if label else iob.OUTSIDE)
        if not forms:
            return []
        spans = decode(one_hot(tags, self.settings.tags), self.settings.tags, forms)
        return [(offsets[s.start][0], offsets[s.end - 1][1], s.label) for s, _ in spans]
