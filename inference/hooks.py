"""Timing hooks: a named context manager around each phase of tagging.

The tagger and its preprocessor call ``self.phase("normalise")`` etc. around their work;
by default that does nothing. A benchmark passes its own ``phase`` (``benchmarks.common``
has a timer) to learn where the time goes, with no patching of module globals.

Phases: ``normalise``, ``split``, ``segment`` (preprocessing), ``encode`` (subword ids and
windows), ``forward`` (the model), ``gather`` (collate, pick first subwords, softmax),
``decode`` (Viterbi and mapping to the text), ``doc_rules``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Callable

Phase = Callable[[str], AbstractContextManager]
PHASES = ("normalise", "split", "segment", "encode", "forward", "gather", "decode", "doc_rules")


def no_timing(name: str) -> AbstractContextManager:
    return nullcontext()
