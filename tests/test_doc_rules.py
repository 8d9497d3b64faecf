"""Hybrid decoding with the real grammar; model output is given as Entity lists."""

from inference.doc_rules import apply_doc_rules
from inference.spans import Entity

TEXT = "Theo Nghị quyết số 18-NQ/TW và Nghị định 15/2020/NĐ-CP, ông Tuấn giữ chức Bí thư."


def ent(text, label, score=0.8, source="model", frm=TEXT):
    start = frm.index(text)
    return Entity(text, label, start, start + len(text), score, source)


def test_off_keeps_the_model_output():
    ents = [ent("18-NQ", "DOC")]
    assert apply_doc_rules(TEXT, ents, "off") == ents


def test_repair_extends_a_truncated_code():
    (e,) = apply_doc_rules(TEXT, [ent("18-NQ", "DOC")], "repair")
    assert (e.text, e.label, e.source) == ("18-NQ/TW", "DOC", "model+grammar")
    assert TEXT[e.start:e.end] == e.text


def test_repair_trims_an_overlong_code_and_merges_pieces():
    pieces = [ent("15/2020", "DOC"), ent("NĐ-CP,", "DOC")]
    (e,) = apply_doc_rules(TEXT, pieces, "repair")
    assert e.text == "15/2020/NĐ-CP"


def test_repair_keeps_a_model_doc_the_grammar_does_not_know():
    text = "Văn bản KH-2024 đã được gửi."
    e = Entity("KH-2024", "DOC", text.index("KH"), text.index("KH") + 7, 0.6)
    assert apply_doc_rules(text, [e], "repair") == [e]


def test_exact_model_code_stays_model():
    (e,) = apply_doc_rules(TEXT, [ent("18-NQ/TW", "DOC")], "repair")
    assert e.source == "model"


def test_other_entities_give_way_to_a_repaired_code():
    ents = [ent("18-NQ", "DOC"), ent("TW", "ORG")]
    out = apply_doc_rules(TEXT, ents, "repair")
    assert [(e.text, e.label) for e in out] == [("18-NQ/TW", "DOC")]


def test_union_adds_missed_codes_but_not_over_other_entities():
    ents = [ent("18-NQ/TW", "DOC"), ent("Tuấn", "PER")]
    out = apply_doc_rules(TEXT, ents, "union")
    assert [(e.text, e.source) for e in out if e.label == "DOC"] == [("18-NQ/TW", "model"), ("15/2020/NĐ-CP", "grammar")]
    blocked = [ent("Nghị định 15/2020/NĐ-CP", "TITLE")]
    out = apply_doc_rules(TEXT, blocked, "union")
    assert [(e.text, e.label) for e in out] == [("18-NQ/TW", "DOC"), ("Nghị định 15/2020/NĐ-CP", "TITLE")]


def test_union_replaces_a_fragment_of_a_code_tagged_as_something_else():
    """The model tags the NĐ-CP of 15/2020/NĐ-CP as ORG: in union mode the code wins;
    repair mode leaves non-DOC entities alone."""
    ents = [ent("18-NQ/TW", "DOC"), ent("NĐ-CP", "ORG")]
    out = apply_doc_rules(TEXT, ents, "union")
    assert [(e.text, e.label, e.source) for e in out] == [("18-NQ/TW", "DOC", "model"), ("15/2020/NĐ-CP", "DOC", "grammar")]
    assert [(e.text, e.label) for e in apply_doc_rules(TEXT, ents, "repair")] == [("18-NQ/TW", "DOC"), ("NĐ-CP", "ORG")]


def test_repair_drops_a_model_doc_without_the_shape_of_a_code():
    text = "Năm 2018, tỉnh ban hành Nghị quyết 29-NQ-TƯ về quy hoạch."
    year = Entity("2018", "DOC", 4, 8, 0.9)
    start = text.index("29-NQ-TƯ")
    sloppy = Entity("29-NQ-TƯ", "DOC", start, start + 8, 0.7)
    assert apply_doc_rules(text, [year, sloppy], "repair") == [sloppy]


def test_repair_drops_a_model_doc_glued_to_the_preceding_text():
    text = "Bộ ban hành QCVN 16:2014/BXD và văn bản KH-2024 trong năm."
    glued = ent("2014/BXD", "DOC", frm=text)
    free = ent("KH-2024", "DOC", frm=text)
    assert apply_doc_rules(text, [glued, free], "repair") == [free]
