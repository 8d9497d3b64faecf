"""Every tagger keeps the same contract (inference/base.py), whatever it is inside: the
transformer, the feature CRF, the pre-annotator's rules and underthesea (when installed).
In the style of flair's shared model tests: one test body, every implementation."""

from __future__ import annotations

import unicodedata

import pytest

from inference.base import Tagger
from tests.conftest import LABELS

TEXT = ("Sáng 12/6, Bí thư Thành ủy Trần Văn Khải chủ trì họp Ban Thường vụ Thành ủy về Nghị quyết số 18-NQ/TW.\r\n"
        "Ông Vũ Hải Nam, Chủ tịch UBND tỉnh Nghệ An, dự họp.")
VARIANTS = {
    "plain": TEXT,
    "nfd": unicodedata.normalize("NFD", TEXT),
    "zero-width": TEXT.replace(" ", " \u200b").replace("Ủy", "\ufeffỦy"),
    "crlf+nbsp": TEXT.replace("\r\n", "\r\n\r\n").replace(" ", "\u00a0", 3),
}


@pytest.fixture(params=[pytest.param("transformer", marks=pytest.mark.model), "crf", "rules",
                        pytest.param("underthesea", marks=pytest.mark.slow)])  # its import takes about 3 s
def any_tagger(request, crf_tagger):
    if request.param == "transformer":
        return request.getfixturevalue("tagger")
    if request.param == "crf":
        return crf_tagger
    if request.param == "rules":
        from training.baselines.rules import RulesTagger

        return RulesTagger(LABELS)
    pytest.importorskip("underthesea")
    from training.baselines.underthesea import PROJECT_LABELS, UndertheseaTagger

    return UndertheseaTagger(PROJECT_LABELS)


def test_implements_the_protocol(any_tagger):
    assert isinstance(any_tagger, Tagger)
    assert any_tagger.doc_rules in ("off", "repair", "union")
    assert any_tagger.settings.tags[0] == "O"


def test_tag_batch_equals_tag_one_by_one(any_tagger):
    texts = [TEXT, "", VARIANTS["nfd"], "Quốc hội họp.", TEXT[:60]]
    batch = any_tagger.tag_batch(texts)
    one = [any_tagger.tag(t) for t in texts]
    assert [[(e.start, e.end, e.label) for e in d] for d in batch] == [[(e.start, e.end, e.label) for e in d] for d in one]
    for d1, d2 in zip(batch, one):
        assert all(abs(a.score - b.score) < 1e-5 for a, b in zip(d1, d2))


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_offsets_index_the_callers_string(any_tagger, variant):
    text = VARIANTS[variant]
    ents = any_tagger.tag(text)
    for e in ents:
        assert text[e.start:e.end] == e.text and e.text.strip() == e.text and e.text
        assert 0 < e.score <= 1 and e.label in any_tagger.settings.labels


def test_the_same_entities_whatever_the_unicode_form(any_tagger):
    plain = [(e.text, e.label) for e in any_tagger.tag(TEXT)]
    nfd = [(unicodedata.normalize("NFC", e.text), e.label) for e in any_tagger.tag(VARIANTS["nfd"])]
    assert nfd == plain


def test_empty_and_blank_give_nothing(any_tagger):
    assert any_tagger.tag("") == []
    assert any_tagger.tag(" \n\t ") == []
    assert any_tagger.tag_batch([]) == []


@pytest.mark.parametrize("bad", [None, 3, b"bytes", ["a list"]])
def test_non_text_is_a_type_error_naming_the_call(any_tagger, bad):
    with pytest.raises(TypeError, match=r"tag\(\) expects a str"):
        any_tagger.tag(bad)


def test_a_bare_string_is_not_a_batch(any_tagger):
    with pytest.raises(TypeError, match=r"tag_batch\(\) expects a list of texts, got a single str"):
        any_tagger.tag_batch("abc")


def test_predict_words_keeps_lengths(any_tagger):
    sentences = [["Bí_thư", "Thành_ủy", "Trần_Văn_Khải", "phát_biểu", "."], [], ["Quốc_hội"]]
    tags = any_tagger.predict_words(sentences)
    assert [len(t) for t in tags] == [len(s) for s in sentences]
    assert all(t in any_tagger.settings.tags for s in tags for t in s)


def test_holders_come_from_the_same_entities(any_tagger):
    text = "Bí thư Thành ủy Hà Nội Bùi Thị Minh Hoài phát biểu."
    ents = {(e.start, e.end) for e in any_tagger.tag(text)}
    for h in any_tagger.tag_holders(text):
        assert tuple(h.person_span) in ents and tuple(h.title_span) in ents


def test_tag_documents_gives_the_entities_of_tag_batch_and_the_words_they_lie_on(any_tagger):
    from inference import iob

    texts = [TEXT, "", VARIANTS["zero-width"]]
    docs = any_tagger.tag_documents(texts)
    assert [d.entities for d in docs] == any_tagger.tag_batch(texts)
    assert docs[0].sentences and docs[1].sentences == []
    for text, doc in zip(texts, docs):
        words = [w for s in doc.sentences for w in s]
        assert all(text[w.start:w.end].strip() and w.tag in any_tagger.settings.tags for w in words)
        for sentence in doc.sentences:
            assert iob.repair([w.tag for w in sentence]) == [w.tag for w in sentence]  # valid IOB2
        tagged = {(w.start, w.end) for w in words if w.tag != "O"}
        assert tagged == {(w.start, w.end) for w in words for e in doc.entities if e.start <= w.start and w.end <= e.end}
