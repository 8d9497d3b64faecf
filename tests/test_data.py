import json

import pytest

from inference.preprocess import Preprocessor
from inference import formats
from inference.iob import bio_tags
from training.data import document_examples, load_examples
from inference.spans import Span
from inference.records import DataError, Document, read_documents
from tests.conftest import FIXTURES, LABELS

ALLOWED = set(bio_tags(LABELS))


def examples(text, spans, segmenter="pyvi"):
    doc = Document("d1", text, [Span(*s) for s in spans])
    return document_examples(doc, Preprocessor(segmenter), ALLOWED, "test")


def entities(exs):
    out = []
    for ex in exs:
        cur = None
        for form, tag in zip(ex.forms, ex.tags):
            if tag.startswith("B-"):
                cur = [tag[2:], [form]]
                out.append(cur)
            elif tag.startswith("I-"):
                cur[1].append(form)
    return [(lab, " ".join(forms)) for lab, forms in out]


def test_every_span_becomes_exactly_one_entity():
    text = "Bí thư Thành ủy Hà Nội Vương Đình Huệ ký Nghị quyết số 18-NQ/TW."
    doc = text.index("18-NQ/TW")
    spans = [(0, 22, "TITLE"), (23, 37, "PER"), (doc, doc + 8, "DOC")]
    assert entities(examples(text, spans)) == [
        ("TITLE", "Bí_thư Thành_uỷ Hà_Nội"), ("PER", "Vương_Đình Huệ"), ("DOC", "18 - NQ / TW")]


def test_segmented_word_straddling_an_entity_boundary_is_split():
    # pyvi joins "tỉnh thành" into one word; the ORG ends after "tỉnh"
    text = "Thanh tra tỉnh thành lập đoàn kiểm tra."
    exs = examples(text, [(0, 14, "ORG")])
    assert entities(exs) == [("ORG", "Thanh_tra tỉnh")]


def test_span_inside_a_token_is_cut_out_of_it():
    text = "Tổng Bí thưNguyễn Phú Trọng phát biểu."
    exs = examples(text, [(0, 11, "TITLE"), (11, 27, "PER")])
    assert [lab for lab, _ in entities(exs)] == ["TITLE", "PER"]


def test_nfd_document_aligns_like_nfc():
    import unicodedata

    text = "Chủ tịch UBND tỉnh Trà Vinh phát biểu."
    nfd = unicodedata.normalize("NFD", text)
    end = len(unicodedata.normalize("NFD", "Chủ tịch UBND tỉnh Trà Vinh"))
    assert entities(examples(nfd, [(0, end, "TITLE")])) == entities(examples(text, [(0, 27, "TITLE")]))


def test_entity_across_a_sentence_end_keeps_the_sentence_whole():
    text = "Ông làm việc tại Công ty A. Bình Minh từ năm 2010."
    start = text.index("Công ty A. Bình Minh")
    exs = examples(text, [(start, start + len("Công ty A. Bình Minh"), "ORG")])
    assert len(exs) == 1 and [lab for lab, _ in entities(exs)] == ["ORG"]


def test_unknown_label_names_the_record():
    with pytest.raises(DataError, match="test: span 0:3 has label 'LOC'"):
        examples("Hà Nội", [(0, 3, "LOC")])


def test_out_of_range_span_is_an_error():
    with pytest.raises(DataError, match="outside the text"):
        examples("Hà Nội", [(0, 30, "ORG")])


def test_pretokenised_jsonl_and_conll_agree():
    labels = ["PATIENT_ID", "NAME", "AGE", "GENDER", "JOB", "LOCATION", "ORGANIZATION", "DATE",
              "SYMPTOM_AND_DISEASE", "TRANSPORTATION"]
    a = load_examples(FIXTURES / "words.jsonl", "words-jsonl", labels, Preprocessor("pyvi"))
    b = load_examples(FIXTURES / "words.conll", "conll", labels, Preprocessor("pyvi"))
    assert [(e.forms, e.tags) for e in a] == [(e.forms, e.tags) for e in b]
    assert a[0].forms[0] == "Bệnh_nhân" and a[0].tags[1] == "B-PATIENT_ID"


def test_format_comes_from_the_name_or_the_extension_never_the_content(tmp_path):
    assert formats.for_path(FIXTURES / "words.conll").name == "conll"
    assert formats.for_path(FIXTURES / "corpus_dev.jsonl").name == "jsonl"
    assert formats.for_path(FIXTURES / "words.jsonl", "words-jsonl").name == "words-jsonl"
    article = tmp_path / "article.txt"
    article.write_text("Bí thư Thành ủy họp.\nHai cột ở đây\n", encoding="utf-8")
    with pytest.raises(DataError, match="cannot tell the format.*'.txt'.*pass --format"):
        formats.for_path(article)


def test_pretokenised_errors_name_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"words": ["a", "b"], "tags": ["O"]}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:1: 2 words but 1 tags"):
        load_examples(bad, "words-jsonl", ["PER"], Preprocessor("pyvi"))
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"words": ["a"], "tags": ["B-XYZ"]}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"wrong.jsonl:1: tag 'B-XYZ'"):
        load_examples(wrong, "words-jsonl", ["PER"], Preprocessor("pyvi"))


def test_malformed_document_line_is_named(tmp_path):
    f = tmp_path / "docs.jsonl"
    f.write_text('{"id": "a", "text": "x", "spans": []}\n{"id": "b", "text": 5}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"docs.jsonl:2 \(id='b'\): field 'text' must be a string"):
        read_documents(f)


@pytest.mark.parametrize("key", ["start", "end"])
def test_a_boolean_offset_is_refused_wherever_documents_are_read(key):
    """``"end": true`` is not offset 1: the reader behind polner-evaluate, the validator and
    training refuses it, naming the record and the field."""
    from inference.records import DataError, parse_document

    span = {"start": 0, "end": 3, "label": "PER", key: True}
    with pytest.raises(DataError, match=rf"^f.jsonl:2: spans\[0\]\.{key} must be an integer, got True$"):
        parse_document({"id": "x", "text": "Lan đi", "spans": [span]}, "f.jsonl:2")
