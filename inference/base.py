"""The tagger contract, and what every tagger shares (no torch here).

``Tagger`` is the contract: ``tag``, ``tag_batch``, ``tag_documents`` (the entities with the
words they were found on), ``tag_holders``, ``predict_words``, ``settings`` and ``doc_rules``.
The transformer (``inference.tagger.TransformerTagger``), the feature CRF, the rule
pre-annotator and underthesea all implement it, so evaluation, output formats, the
office-holder linker and the service take any of them (``tests/test_tagger_contract.py``
holds every implementation to it).

Two bases carry the shared work:

- ``WordTagger``: systems that label *words*. A subclass gives per-word tag probabilities
  (``sentence_probs``); the base preprocesses (normalise, split, segment), decodes the most
  probable valid IOB2 path, maps words back to the caller's string and applies the
  document-code rules.
- ``TextTagger``: systems that find spans in running text themselves (``find``); the base
  checks input, answers ``predict_words`` by joining the words into text, and gives
  ``tag_documents`` the words of the project's own preprocessing, tagged from its spans.
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from inference import iob
from inference.decode import decode, tags_from_probs
from inference.doc_rules import apply_doc_rules, check_mode
from inference.hooks import Phase, no_timing
from inference.preprocess import PreparedDoc, Preprocessor
from inference.segment import Word
from inference.settings import TaggerSettings
from inference.spans import Entity, Span

Progress = Callable[[int], None]

# A word (a run of letters and digits with no space or punctuation) longer than this many
# characters is not language but a hash, a base64 blob or a key held down: it is tagged O,
# and the model reads a one-character stand-in for it, so that one such run never becomes
# one giant entity and is not fed through the subword tokenizer (tests/test_api_contract.py).
MAX_WORD_CHARS = 200
LONG_WORD_STAND_IN = "-"


@runtime_checkable
class Tagger(Protocol):
    settings: TaggerSettings
    doc_rules: str

    def tag(self, text: str) -> list[Entity]: ...

    def tag_batch(self, texts: Sequence[str], progress: Progress | None = None) -> list[list[Entity]]: ...

    def tag_documents(self, texts: Sequence[str], progress: Progress | None = None) -> list[TaggedDocument]: ...

    def tag_holders(self, text: str) -> list: ...

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]: ...


@dataclass(frozen=True)
class TaggedWord:
    start: int  # offsets into the caller's original string
    end: int
    form: str  # the word as the model saw it (normalised; syllables joined by "_")
    tag: str  # IOB2, consistent with the document's final entities


@dataclass(frozen=True)
class TaggedDocument:
    text: str
    entities: list[Entity]
    sentences: list[list[TaggedWord]]


def check_text(text: object, caller: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{caller} expects a str, got {type(text).__name__}")
    return text


def check_texts(texts: object, caller: str) -> list[str]:
    """A list of str; a bare string (which would be tagged character by character) is refused."""
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{caller} expects a list of texts, got a single {type(texts).__name__}; use tag() for one text")
    try:
        items = list(texts)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{caller} expects a list of texts, got {type(texts).__name__}") from None
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise TypeError(f"{caller}: texts[{i}] must be str, got {type(t).__name__}")
    return items


def model_forms(forms: Sequence[str]) -> list[str]:
    """Word forms as the model reads them: a word over MAX_WORD_CHARS becomes a stand-in."""
    return [f if len(f) <= MAX_WORD_CHARS else LONG_WORD_STAND_IN for f in forms]


def long_words_outside(probs: np.ndarray, forms: Sequence[str]) -> np.ndarray:
    """``probs`` with every word over MAX_WORD_CHARS set to certain ``O`` (tag 0)."""
    long = [i for i, f in enumerate(forms) if len(f) > MAX_WORD_CHARS]
    if not long:
        return probs
    probs = probs.copy()
    probs[long] = 0.0
    probs[long, 0] = 1.0
    return probs


def word_entities(
    text: str, doc: PreparedDoc, words: Sequence[Word], probs: np.ndarray, tags: Sequence[str], source: str = "model"
) -> list[Entity]:
    """Entities of one sentence, decoded from its per-word tag probabilities and mapped
    from normalised offsets back to the caller's ``text``."""
    ents = []
    for span, score in decode(probs, tags, [w.form for w in words]):
        start, end = doc.norm.to_original(words[span.start].start, words[span.end - 1].end)
        ents.append(Entity(text[start:end], span.label, start, end, score, source))
    return ents


def one_hot(tag_seq: Sequence[str], tags: Sequence[str]) -> np.ndarray:
    """Tags another system has chosen (a CRF, a toolkit) as a probability matrix, so they
    are decoded into spans by exactly the rules used for the model's output."""
    index = {t: k for k, t in enumerate(tags)}
    probs = np.zeros((len(tag_seq), len(tags)), dtype=np.float32)
    for i, t in enumerate(tag_seq):
        probs[i, index.get(t, 0)] = 1.0
    return probs


class TaggerBase:
    """What every tagger offers on top of ``tag_batch``."""

    def tag_batch(self, texts: Sequence[str], progress: Progress | None = None) -> list[list[Entity]]:
        raise NotImplementedError

    def tag(self, text: str) -> list[Entity]:
        return self.tag_batch([check_text(text, "tag()")])[0]

    def tag_holders(self, text: str):
        """Who holds which office in ``text``: ``inference.holders.Holder`` records built from
        this tagger's entities (person, office, body, modifier, cited documents, evidence)."""
        from inference.holders import find_holders

        return find_holders(text, self.tag(check_text(text, "tag_holders()")))


class WordTagger(TaggerBase):
    """Shared machinery of taggers that label words (see module doc)."""

    source = "model"

    def __init__(self, settings: TaggerSettings, doc_rules: str | None = None, phase: Phase = no_timing) -> None:
        self.settings = settings
        self.phase = phase  # timing hook (inference.hooks)
        self.preprocessor = Preprocessor(settings.segmenter, settings.tone, phase)
        self.doc_rules = check_mode(doc_rules or settings.doc_rules)
        if "DOC" not in settings.labels:
            self.doc_rules = "off"  # a model without DOC (e.g. PhoNER) gets no code rules

    def with_doc_rules(self, mode: str) -> "WordTagger":
        """The same tagger with another ``doc_rules`` mode: a shallow copy sharing the model,
        so comparing the modes costs no second load."""
        other = copy.copy(self)
        other.doc_rules = check_mode(mode) if "DOC" in self.settings.labels else "off"
        return other

    # -- what a subclass provides ---------------------------------------------------------
    def sentence_probs(self, sentences: Sequence[Sequence[str]], progress: Progress | None = None) -> list[np.ndarray]:
        """(n_words, n_tags) tag probabilities for each sentence of word forms."""
        raise NotImplementedError

    # -- the contract ---------------------------------------------------------------------
    def tag_batch(self, texts: Sequence[str], progress: Progress | None = None) -> list[list[Entity]]:
        return [d.entities for d in self.tag_documents(check_texts(texts, "tag_batch()"), progress)]

    def tag_documents(self, texts: Sequence[str], progress: Progress | None = None) -> list[TaggedDocument]:
        """Entities of each text, with the words the tagger used (for token-level formats)."""
        texts = check_texts(texts, "tag_documents()")
        docs = [self.preprocessor.prepare(t) for t in texts]
        forms = [[w.form for w in s] for d in docs for s in d.sentences]
        probs = self.sentence_probs([model_forms(f) for f in forms], progress)
        probs = [long_words_outside(p, f) for p, f in zip(probs, forms)]
        out: list[TaggedDocument] = []
        k = 0
        for text, doc in zip(texts, docs):
            ents: list[Entity] = []
            with self.phase("decode"):
                for words in doc.sentences:
                    ents.extend(word_entities(text, doc, words, probs[k], self.settings.tags, self.source))
                    k += 1
            with self.phase("doc_rules"):
                ents = apply_doc_rules(text, ents, self.doc_rules)
            with self.phase("decode"):
                out.append(TaggedDocument(text, ents, _tagged_words(text, doc, ents)))
        return out

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for pre-tokenised sentences (each word normalised like running text)."""
        forms = [[self.preprocessor.normalize_word(w) for w in s] for s in sentences]
        probs = self.sentence_probs([model_forms(f) for f in forms])
        probs = [long_words_outside(p, f) for p, f in zip(probs, forms)]
        return [tags_from_probs(p, self.settings.tags) if len(p) else [] for p in probs]


def _tagged_words(text: str, doc: PreparedDoc, entities: Sequence[Entity]) -> list[list[TaggedWord]]:
    """Each sentence's words with their IOB2 tags. Entities do not overlap and are sorted, so
    each sentence is given only the entities that reach into it (found by bisection): linear
    in words and entities, not their product, on long documents."""
    spans = [e.span for e in entities]
    starts, ends = [s.start for s in spans], [s.end for s in spans]
    out = []
    for words in doc.sentences:
        offsets = [doc.norm.to_original(w.start, w.end) for w in words]
        if not offsets:
            out.append([])
            continue
        near = spans[bisect.bisect_right(ends, offsets[0][0]):bisect.bisect_left(starts, offsets[-1][1])]
        tags = iob.tags_from_spans(offsets, near)
        out.append([TaggedWord(a, b, w.form, t) for (a, b), w, t in zip(offsets, words, tags)])
    return out


class TextTagger(TaggerBase):
    """Shared machinery of systems that find spans in running text (see module doc)."""

    source = "rules"

    def __init__(self, labels: Sequence[str], segmenter: str = "none") -> None:
        self.settings = TaggerSettings(iob.bio_tags(labels), segmenter=segmenter, doc_rules="off")
        self.doc_rules = "off"
        self.preprocessor = Preprocessor(segmenter)

    def find(self, text: str) -> list[Span]:
        """Spans in the caller's ``text`` (original offsets)."""
        raise NotImplementedError

    def tag_batch(self, texts: Sequence[str], progress: Progress | None = None) -> list[list[Entity]]:
        out = []
        for text in check_texts(texts, "tag_batch()"):
            spans = sorted(self.find(text))
            out.append([Entity(text[s.start:s.end], s.label, s.start, s.end, 1.0, self.source) for s in spans])
            if progress:
                progress(len(text))
        return out

    def tag_documents(self, texts: Sequence[str], progress: Progress | None = None) -> list[TaggedDocument]:
        """Entities of each text, and the words of the project's preprocessing with their tags
        (a span that does not end on a word edge tags the words wholly inside it)."""
        texts = check_texts(texts, "tag_documents()")
        return [TaggedDocument(text, ents, _tagged_words(text, self.preprocessor.prepare(text), ents))
                for text, ents in zip(texts, self.tag_batch(texts, progress))]

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags for given words: the words joined as running text, entities mapped back."""
        out = []
        for words in sentences:
            parts, offsets, pos = [], [], 0
            for w in words:
                form = self.preprocessor.normalize_word(w).replace("_", " ")
                offsets.append((pos, pos + len(form)))
                parts.append(form)
                pos += len(form) + 1
            text = " ".join(parts)
            out.append(iob.tags_from_spans(offsets, self.find(text) if text else []))
        return out
