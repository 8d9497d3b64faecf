"""The CRF baseline (benchmarks/crf.py) and the adapters of benchmarks/baselines.py.

Real sklearn-crfsuite, real preprocessing, real evaluation code; the sentences are synthetic
(tests/fixtures and the invented ones in test_phoner_config). sklearn-crfsuite is in the
``dev`` extra, so these tests run in CI; underthesea is in ``bench`` only, and its one test is
skipped without it.
"""

from __future__ import annotations

import unicodedata

import pytest

from benchmarks.crf import CRFTagger, sentence_features, train_crf, word_entities, word_shape
from inference.preprocess import Preprocessor
from tests.conftest import FIXTURES
from tests.test_phoner_config import LABELS as PHONER_LABELS, WORD_SENTENCES
from training.data import load_examples, read_words_jsonl
from training.records import read_documents

PROJECT_LABELS = ["PER", "TITLE", "ORG", "DOC"]


def test_word_shape():
    assert word_shape("Nguyễn_Văn_A") == "Xx_Xx_X"
    assert word_shape("BN91") == "Xd"
    assert word_shape("18-NQ/TW") == "d-X/X"
    assert word_shape("covid") == "x"


def test_sentence_features():
    f = sentence_features(["Ông", "Nguyễn_Văn_A", "ở", "Hà_Nội", "."])
    assert f[0]["BOS"] and "EOS" not in f[0] and f[-1]["EOS"] and "BOS" not in f[-1]
    w = f[1]
    assert w["lower"] == "nguyễn_văn_a" and w["syllables"] == "3" and w["istitle"] and not w["isupper"]
    assert w["first_syl"] == "nguyễn" and w["last_syl"] == "a" and w["pre2"] == "ng" and w["suf3"] == "n_a"
    assert w["-1:lower"] == "ông" and w["-1:istitle"] and w["+1:lower"] == "ở" and w["+1:syllables"] == "1"
    assert w["+2:lower"] == "hà_nội" and w["+2:istitle"] and "+2:shape" not in w and "+2:syllables" not in w
    assert "-2:lower" not in w and f[0]["+2:lower"] == "ở"
    assert w["-1:0:lower"] == "ông|nguyễn_văn_a" and w["0:+1:lower"] == "nguyễn_văn_a|ở"
    assert f[4]["ispunct"] and not f[3]["ispunct"] and f[3]["syllables"] == "2"


def test_crf_predicts_its_training_sentences_back():
    rows = [(w, t) for w, t, _ in read_words_jsonl(FIXTURES / "words.jsonl")] + WORD_SENTENCES
    words, tags = [r[0] for r in rows], [r[1] for r in rows]
    tagger = CRFTagger(train_crf(words, tags), PHONER_LABELS, segmenter="presegmented")
    assert tagger.predict_words(words) == tags
    assert tagger.predict_words([[]]) == [[]]


def test_word_predictions_map_exactly_to_original_offsets():
    # NFD input, new-style tone placement, a no-break space: normalised offsets differ from these.
    text = unicodedata.normalize("NFD", "Chủ tịch UBND tỉnh Thanh Hóa\u00a0Đỗ Minh Tuấn ký Quyết định 24-CT/TU.")
    doc = Preprocessor("none").prepare(text)
    (words,) = doc.sentences
    forms = [w.form for w in words]
    assert forms[:6] == ["Chủ", "tịch", "UBND", "tỉnh", "Thanh", "Hoá"]  # canonical, old-style tone
    tags = (["B-TITLE"] + ["I-TITLE"] * 5 + ["B-PER", "I-PER", "I-PER"] + ["O"] * 3
            + ["B-DOC"] + ["I-DOC"] * 4 + ["I-DOC"])  # the final "." is trimmed by decoding
    assert len(tags) == len(words)
    all_tags = ["O"] + [f"{p}-{lab}" for lab in PROJECT_LABELS for p in ("B", "I")]
    ents = word_entities(text, doc, words, tags, all_tags)
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    expected = [
        (nfd("Chủ tịch UBND tỉnh Thanh Hóa"), "TITLE"),
        (nfd("Đỗ Minh Tuấn"), "PER"),
        ("24-CT/TU", "DOC"),
    ]
    assert [(e.text, e.label) for e in ents] == expected
    for e, (surface, _) in zip(ents, expected):
        assert text[e.start:e.end] == e.text
        assert e.start == text.index(surface) and e.end == e.start + len(surface)


@pytest.fixture(scope="module")
def corpus_crf() -> CRFTagger:
    """The CRF trained on the fixture corpus's train split, as benchmarks/baselines.py does."""
    ex = load_examples(FIXTURES / "corpus_train.jsonl", "jsonl", PROJECT_LABELS, "pyvi")
    return CRFTagger.train([e.forms for e in ex], [e.tags for e in ex], PROJECT_LABELS)


def test_crf_tags_documents_on_the_original_text(corpus_crf):
    from training.evaluate import evaluate_file

    tagger, train = corpus_crf, FIXTURES / "corpus_train.jsonl"
    docs = read_documents(train)
    for doc, ents in zip(docs, tagger.tag_batch([d.text for d in docs])):
        assert all(doc.text[e.start:e.end] == e.text for e in ents)
    report = evaluate_file(tagger, train)  # the same code that scores the model
    assert report["documents"] == len(docs) and report["doc_rules"] == "off"
    assert report["spans"]["micro"]["f1"] > 0.9  # it has seen these documents
    assert report["spans"]["micro"]["support"] == sum(len(d.spans) for d in docs)


def test_restricted_scoring_and_results_hold_no_text(corpus_crf):
    from benchmarks.baselines import _strip, restrict_rows, score_documents

    tagger, dev = corpus_crf, FIXTURES / "corpus_dev.jsonl"
    full = score_documents(tagger, dev)
    part = score_documents(tagger, dev, ["PER", "ORG"])
    assert part["labels"] == ["PER", "ORG"]
    gold = [s for d in read_documents(dev) for s in d.spans]
    assert part["spans"]["micro"]["support"] == sum(s.label in ("PER", "ORG") for s in gold)
    assert part["spans"]["per_label"]["PER"] == full["spans"]["per_label"]["PER"]
    assert "error_examples" in full and "error_examples" not in _strip(full)
    rows = restrict_rows([(["a", "b", "c"], ["B-NAME", "B-AGE", "I-AGE"], "x:1")], {"NAME"})
    assert rows[0][1] == ["B-NAME", "O", "O"]


def test_underthesea_spans_land_on_the_original_text():
    pytest.importorskip("underthesea")
    from benchmarks.baselines import UTS_PHONER, UTS_PROJECT, UndertheseaTagger

    tagger = UndertheseaTagger(UTS_PROJECT)
    # underthesea rewrites "hoà" as "hòa": its tokens must still be found in our text
    text = unicodedata.normalize("NFD", "Hai bên hoà giải.  Ông Nguyễn Văn Bình phát biểu tại Hà Nội.")
    ents = tagger.tag_batch([text])[0]
    assert tagger.unaligned == 0 and tagger.tokens > 0
    assert all(text[e.start:e.end] == e.text and e.label in ("PER", "ORG") for e in ents)
    assert unicodedata.normalize("NFD", "Nguyễn Văn Bình") in [e.text for e in ents]
    words = ["Ông", "Nguyễn_Văn_Bình", "phát_biểu", "tại", "Hà_Nội", "."]
    (tags,) = UndertheseaTagger(UTS_PHONER).predict_words([words])
    assert len(tags) == len(words) and tags[1] == "B-NAME" and set(tags) <= {"O", "B-NAME", "I-NAME", "B-ORGANIZATION", "I-ORGANIZATION"}
