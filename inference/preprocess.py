"""The one preprocessing path: text -> normalise -> sentences -> words.

Training and serving both call ``Preprocessor.prepare``; training only adds the gold
entity offsets, so that no sentence break and no word falls across an entity boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from inference.hooks import Phase, no_timing
from inference.normalize import TONE_STYLES, NormalizedText, normalize, normalize_word
from inference.segment import Segmenter, Word, split_sentences


@dataclass(frozen=True)
class PreparedDoc:
    norm: NormalizedText
    sentences: list[list[Word]]  # word offsets index norm.text


class Preprocessor:
    """Normalisation (with the model's tone placement) and segmentation, as one object."""

    def __init__(self, segmenter: str = "pyvi", tone: str = "old", phase: Phase = no_timing) -> None:
        if tone not in TONE_STYLES:
            raise ValueError(f"tone must be one of {TONE_STYLES}, got {tone!r}")
        self.segmenter = Segmenter(segmenter)
        self.tone = tone
        self.phase = phase  # timing hook (inference.hooks)

    def normalize(self, text: str) -> NormalizedText:
        return normalize(text, self.tone)

    def normalize_word(self, word: str) -> str:
        """A pre-tokenised word as the model sees it (empty words are kept as given)."""
        return normalize_word(word, self.tone) or word

    def prepare(
        self, text: str, protected: Sequence[tuple[int, int]] = (), norm: NormalizedText | None = None
    ) -> PreparedDoc:
        """``protected`` spans are in normalised offsets; their edges become word breaks."""
        if norm is None:
            with self.phase("normalise"):
                norm = normalize(text, self.tone)
        boundaries = {b for span in protected for b in span}
        with self.phase("split"):
            spans = split_sentences(norm.text, protected)
        sentences = []
        with self.phase("segment"):
            for s, e in spans:
                words = self.segmenter.words(norm.text, s, e, boundaries)
                if words:
                    sentences.append(words)
        return PreparedDoc(norm, sentences)
