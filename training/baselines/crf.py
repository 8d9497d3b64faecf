"""A feature-based CRF baseline that runs inside the model's own preprocessing.

Linear-chain CRFs over hand-made word features were the strong Vietnamese NER systems
before PhoBERT (VLSP 2016/2018), so they are the baseline a fine-tuned model has to beat.
The features are the classic ones: the word itself (lower-cased), its shape and
capitalisation, its number of syllables, character and syllable prefixes/suffixes, and the
same for the words around it.

``CRFTagger`` is a ``inference.base.WordTagger``: documents go through the model's own
``Preprocessor`` (normalise, split sentences, segment with pyvi), the CRF tags the words,
and its tags are decoded and mapped back to the caller's original string by exactly the
code that serves the model, so both are scored by the same ``training.evaluate``.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from inference.base import Progress, WordTagger, one_hot
from inference.iob import bio_tags
from inference.settings import TaggerSettings

# Fixed regularisation (not tuned on test; the usual values for NER with L-BFGS).
C1, C2, MAX_ITERATIONS = 0.1, 0.05, 150


def word_shape(word: str) -> str:
    """``Nguyễn_Văn`` -> ``Xx_Xx``: case/digit classes with runs collapsed."""
    classes = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not classes or classes[-1] != c:
            classes.append(c)
    return "".join(classes)


_PUNCT = re.compile(r"^\W+$", re.UNICODE)


def _describe(word: str, prefix: str, full: bool) -> dict[str, object]:
    syllables = word.split("_")
    f: dict[str, object] = {
        f"{prefix}lower": word.lower(),
        f"{prefix}shape": word_shape(word),
        f"{prefix}istitle": all(s[:1].isupper() for s in syllables if s),
        f"{prefix}isupper": word.isupper(),
    }
    if full:
        f.update({
            f"{prefix}isdigit": word.replace(".", "").replace(",", "").isdigit(),
            f"{prefix}hasdigit": any(ch.isdigit() for ch in word),
            f"{prefix}ispunct": bool(_PUNCT.match(word)),
            f"{prefix}syllables": str(min(len(syllables), 5)),
            f"{prefix}first_syl": syllables[0].lower(),
            f"{prefix}last_syl": syllables[-1].lower(),
            f"{prefix}pre2": word[:2].lower(),
            f"{prefix}pre3": word[:3].lower(),
            f"{prefix}suf2": word[-2:].lower(),
            f"{prefix}suf3": word[-3:].lower(),
        })
    return f


def sentence_features(words: Sequence[str]) -> list[dict[str, object]]:
    """One feature dict per word: itself in full, ±1 neighbours in part, ±2 in brief."""
    feats = []
    n = len(words)
    for i, w in enumerate(words):
        f: dict[str, object] = {"bias": 1.0}
        f.update(_describe(w, "", full=True))
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                d = _describe(words[j], f"{off:+d}:", full=abs(off) == 1)
                if abs(off) == 2:
                    d = {k: v for k, v in d.items() if k.endswith(("lower", "istitle"))}
                f.update(d)
        if i == 0:
            f["BOS"] = True
        else:
            f["-1:0:lower"] = words[i - 1].lower() + "|" + w.lower()
        if i == n - 1:
            f["EOS"] = True
        else:
            f["0:+1:lower"] = w.lower() + "|" + words[i + 1].lower()
        feats.append(f)
    return feats


def train_crf(
    sentences: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    *,
    c1: float = C1,
    c2: float = C2,
    max_iterations: int = MAX_ITERATIONS,
):
    """Fit an L-BFGS CRF on word sequences and their IOB2 tags."""
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(
        algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations, all_possible_transitions=True
    )
    crf.fit([sentence_features(s) for s in sentences], [list(t) for t in tags])
    return crf


class CRFTagger(WordTagger):
    """A trained CRF behind the tagger contract."""

    source = "crf"

    def __init__(self, crf, labels: Sequence[str], segmenter: str = "pyvi") -> None:
        super().__init__(TaggerSettings(bio_tags(labels), segmenter=segmenter, doc_rules="off"))
        self.crf = crf

    @classmethod
    def train(cls, sentences, tags, labels: Sequence[str], segmenter: str = "pyvi", **kw) -> "CRFTagger":
        return cls(train_crf(sentences, tags, **kw), labels, segmenter)

    def sentence_probs(self, sentences: Sequence[Sequence[str]], progress: Progress | None = None) -> list[np.ndarray]:
        """The CRF's best tag sequence of each sentence, as one-hot rows."""
        out = [np.zeros((0, len(self.settings.tags)), dtype=np.float32) for _ in sentences]
        nonempty = [i for i, f in enumerate(sentences) if f]
        if nonempty:
            preds = self.crf.predict([sentence_features(sentences[i]) for i in nonempty])
            for i, p in zip(nonempty, preds):
                out[i] = one_hot(list(p), self.settings.tags)
        return out
