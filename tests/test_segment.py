import pytest

from inference.normalize import normalize
from inference.segment import Segmenter, split_sentences, syllabify


def sentences(text, protected=()):
    return [text[s:e] for s, e in split_sentences(text, protected)]


def test_sentences_split_on_final_punctuation_and_newlines():
    text = "Hội nghị bế mạc. Ông Hải phát biểu!\nSau đó, đoàn đi thăm."
    assert sentences(text) == ["Hội nghị bế mạc.", "Ông Hải phát biểu!", "Sau đó, đoàn đi thăm."]


@pytest.mark.parametrize("text", ["Lãnh đạo TP. Hồ Chí Minh họp.", "GS. Nguyễn Văn An phát biểu.",
                                  "Ông Nguyễn Văn T. cho biết như vậy."])
def test_no_split_after_abbreviations_and_initials(text):
    assert sentences(text) == [text]


def test_protected_span_is_never_split():
    text = "Theo Quyết định số 15. Trần Văn An ký."
    assert len(sentences(text)) == 2
    start = text.index("15. Trần")
    assert sentences(text, [(start, start + len("15. Trần"))]) == [text]


def test_syllabify_separates_punctuation_and_cuts_at_boundaries():
    text = "Nghị quyết 18-NQ/TW, ngày 12,5%."
    toks = [text[s:e] for s, e in syllabify(text)]
    assert toks == ["Nghị", "quyết", "18", "-", "NQ", "/", "TW", ",", "ngày", "12,5", "%", "."]
    cut = text.index("quyết") + 3
    assert [text[s:e] for s, e in syllabify(text, 0, 11, {cut})] == ["Nghị", "quy", "ết"]


def test_pyvi_words_join_syllables_and_keep_offsets():
    text = normalize("Bí thư Thành ủy Hà Nội chủ trì hội nghị.").text
    words = Segmenter("pyvi").words(text, 0, len(text))
    forms = [w.form for w in words]
    assert "Bí_thư" in forms and "Thành_uỷ" in forms and "Hà_Nội" in forms
    for w in words:
        assert text[w.start:w.end].replace(" ", "_") == w.form


def test_forced_boundary_splits_a_pyvi_word():
    text = "Thanh tra tỉnh thành lập đoàn."
    cut = text.index("tỉnh") + len("tỉnh")
    words = Segmenter("pyvi").words(text, 0, len(text), {cut})
    assert not any(w.start < cut < w.end for w in words)
    assert any(w.end == cut for w in words)


def test_presegmented_and_none_modes():
    text = "Quốc_hội thông_qua luật ."
    assert [w.form for w in Segmenter("presegmented").words(text, 0, len(text))] == ["Quốc_hội", "thông_qua", "luật", "."]
    assert [w.form for w in Segmenter("none").words("Quốc hội", 0, 8)] == ["Quốc", "hội"]


def test_unknown_segmenter_is_an_error():
    with pytest.raises(ValueError, match="unknown segmenter"):
        Segmenter("vncorenlp")
