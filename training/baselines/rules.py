"""The corpus pre-annotator's rules (``training.corpus.preannotate``) as a tagger."""

from __future__ import annotations

from typing import Sequence

from inference.base import TextTagger
from inference.scheme import LABELS
from inference.spans import Span


class RulesTagger(TextTagger):
    source = "rules"

    def __init__(self, labels: Sequence[str] = LABELS) -> None:
        from training.corpus.preannotate import preannotate

        super().__init__(labels, segmenter="none")
        self._preannotate = preannotate
        self._keep = set(labels) & set(LABELS)

    def find(self, text: str) -> list[Span]:
        return [s for s in self._preannotate(text) if s.label in self._keep]
