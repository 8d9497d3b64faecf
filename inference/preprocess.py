"""The one preprocessing path: text -> normalise -> sentences -> words.

Training and serving both call ``Preprocessor.prepare``; training only adds the gold
entity offsets, so that no sentence break and no word falls across an entity boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from inference.normalize import NormalizedText, normalize
from inference.segment import Segmenter, Word, split_sentences


@dataclass(frozen=True)
class PreparedDoc:
    norm: NormalizedText
    sentences: list[list[Word]]  # word offsets index norm.text


class Preprocessor:
    def __init__(self, segmenter: str = "pyvi") -> None:
        self.segmenter = Segmenter(segmenter)

    def prepare(
        self, text: str, protected: Sequence[tuple[int, int]] = (), norm: NormalizedText | None = None
    ) -> PreparedDoc:
        """``protected`` spans are in normalised offsets; their edges become word breaks."""
        norm = norm or normalize(text)
        boundaries = {b for span in protected for b in span}
        sentences = []
        for s, e in split_sentences(norm.text, protected):
            words = self.segmenter.words(norm.text, s, e, boundaries)
            if words:
                sentences.append(words)
        return PreparedDoc(norm, sentences)
