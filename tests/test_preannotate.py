"""The rule-based pre-annotator: what it proposes, where, and how it is scored."""

import json
import unicodedata

import pytest

from inference.doc_codes import find_doc_codes
from training.corpus.preannotate import main, preannotate, score_files
from training.corpus.validate import validate_files
from inference.spans import Span
from inference.records import Document, read_documents, write_documents
from tests.conftest import ROOT, thorough


def found(text):
    return [(s.label, text[s.start : s.end]) for s in preannotate(text)]


def test_party_code_is_exactly_what_the_doc_code_grammar_finds():
    text = "Ban Thường vụ Tỉnh ủy quán triệt Nghị quyết số 18-NQ/TW và Quyết định 123/QĐ-UBND ngày 12/6/2017."
    docs = [s for s in preannotate(text) if s.label == "DOC"]
    assert [(s.start, s.end) for s in docs] == [(c.start, c.end) for c in find_doc_codes(text)]
    assert [text[s.start : s.end] for s in docs] == ["18-NQ/TW", "123/QĐ-UBND"]


def test_title_takes_its_body_and_the_name_after_it_is_a_person():
    text = "Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý phát biểu tại buổi làm việc."
    assert found(text) == [("TITLE", "Bí thư Tỉnh ủy Nghệ An"), ("PER", "Thái Thanh Quý")]


def test_org_with_its_locality():
    text = "Sáng 5/3, UBND tỉnh Quảng Nam đã làm việc với Công an TP Đà Nẵng."
    assert found(text) == [("ORG", "UBND tỉnh Quảng Nam"), ("ORG", "Công an TP Đà Nẵng")]


def test_name_after_an_honorific_without_the_honorific():
    text = "Theo ông Hiển, đồng chí Vương Đình Huệ đã đến thăm."
    assert found(text) == [("PER", "Hiển"), ("PER", "Vương Đình Huệ")]


def test_outer_title_wins_over_the_org_inside_it():
    text = "Chủ tịch UBND tỉnh Trà Vinh Lê Văn Hẳn ký văn bản gửi UBND tỉnh Trà Vinh."
    assert found(text) == [
        ("TITLE", "Chủ tịch UBND tỉnh Trà Vinh"), ("PER", "Lê Văn Hẳn"), ("ORG", "UBND tỉnh Trà Vinh")]


def test_guideline_cases_nguyen_out_and_coordinated_titles_split():
    text = "Ông Trần Văn Bình, nguyên Bộ trưởng Bộ Y tế, và ông Lý, Bí thư, Chủ tịch UBND tỉnh."
    assert found(text) == [
        ("PER", "Trần Văn Bình"), ("TITLE", "Bộ trưởng Bộ Y tế"), ("PER", "Lý"),
        ("TITLE", "Bí thư"), ("TITLE", "Chủ tịch UBND tỉnh")]


def test_spans_are_trimmed_sorted_and_never_overlap():
    text = ("Ủy ban nhân dân (UBND) tỉnh Nghệ An và Ngân hàng Nhà nước (NHNN) ký kết. NHNN cho biết, "
            "Phó Thủ tướng Thường trực Chính phủ Phạm Bình Minh đã chỉ đạo (Ảnh: Tiến Tuấn).")
    spans = preannotate(text)
    assert spans == sorted(spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    for s in spans:
        surface = text[s.start : s.end]
        assert surface == surface.strip(" ,.;:()") or surface.endswith(")") and "(" in surface
    assert found(text) == [
        ("ORG", "Ủy ban nhân dân (UBND) tỉnh Nghệ An"), ("ORG", "Ngân hàng Nhà nước"), ("ORG", "NHNN"),
        ("ORG", "NHNN"), ("TITLE", "Phó Thủ tướng Thường trực Chính phủ"), ("PER", "Phạm Bình Minh"),
        ("PER", "Tiến Tuấn")]


def test_places_named_after_people_are_not_persons():
    text = "Nước ngập đường Võ Văn Kiệt và quận Hai Bà Trưng."
    assert found(text) == []


@pytest.mark.parametrize("form", ["NFD", "tone"])
def test_nfd_and_tone_placement_give_the_same_spans_on_the_caller_s_string(form):
    text = "Phó Chủ tịch Thường trực UBND tỉnh Thanh Hóa Nguyễn Văn Thi làm việc với Thành ủy Hà Nội."
    variant = unicodedata.normalize("NFD", text) if form == "NFD" else text.replace("Hóa", "Hoá").replace("ủy", "uỷ")
    assert len(variant) != len(text) or variant != text
    spans = preannotate(variant)
    surfaces = [(s.label, unicodedata.normalize("NFC", variant[s.start : s.end])) for s in spans]
    expected = [(lab, s.replace("Hóa", "Hoá").replace("ủy", "uỷ") if form == "tone" else s) for lab, s in found(text)]
    assert surfaces == expected
    assert [lab for lab, _ in surfaces] == ["TITLE", "PER", "ORG"]


def test_proposals_on_the_shipped_dev_split_pass_the_validator(tmp_path):
    docs = read_documents(ROOT / "annotations" / "data" / "dev.jsonl")[::1 if thorough() else 4]
    out = tmp_path / "proposals.jsonl"
    write_documents([Document(d.id, d.text, preannotate(d.text), d.meta) for d in docs], out)
    assert validate_files([out]) == []


def gold_file(tmp_path, docs):
    path = tmp_path / "gold.jsonl"
    write_documents(docs, path)
    return path


def test_score_files_counts_exact_matches_per_label(tmp_path):
    text = "Bí thư Tỉnh ủy Nghệ An Thái Thanh Quý ký Nghị quyết số 18-NQ/TW."
    pred = preannotate(text)
    perfect = gold_file(tmp_path, [Document("a", text, pred)])
    assert score_files([perfect])[str(perfect)]["micro"]["f1"] == 1.0
    # gold with a longer PER and an extra ORG: one PER is wrong, one ORG is missed
    per = next(s for s in pred if s.label == "PER")
    gold = [s for s in pred if s.label != "PER"] + [Span(per.start, per.end + 4, "PER"), Span(0, 2, "ORG")]
    path = tmp_path / "gold2.jsonl"
    write_documents([Document("a", text, gold)], path)
    r = score_files([path])[str(path)]
    assert r["documents"] == 1
    assert r["per_label"]["PER"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1})
    assert r["per_label"]["ORG"]["recall"] == 0.0 and r["per_label"]["ORG"]["support"] == 1
    assert r["per_label"]["TITLE"]["f1"] == 1.0 and r["per_label"]["DOC"]["f1"] == 1.0


def test_cli_scores_and_writes_proposals(tmp_path, capsys):
    text = "Ông Nguyễn Văn Hùng, Giám đốc Sở Y tế Hà Nội, ký Công văn số 15/UBND-VP."
    gold = gold_file(tmp_path, [Document("a", text, preannotate(text))])
    assert main(["--score", str(gold)]) == 0
    table = capsys.readouterr().out
    assert "gold.jsonl (1 documents)" in table and all(lab in table for lab in ("PER", "TITLE", "ORG", "DOC"))

    raw = tmp_path / "raw.jsonl"
    raw.write_text(json.dumps({"id": 7, "body": text, "url": "u"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "proposals.jsonl"
    assert main(["--in", str(raw), "--out", str(out), "--text-field", "body"]) == 0
    (doc,) = read_documents(out)
    assert doc.id == "7" and doc.text == text and doc.meta["url"] == "u"
    assert doc.spans == preannotate(text) and validate_files([out]) == []
    assert main(["--in", str(raw), "--out", str(out)]) == 2  # no "text" field: an error naming the record
    assert "id=7" in capsys.readouterr().err
