"""The office-holder linker (inference.holders) on made-up sentences, pattern by pattern."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass

import pytest

from inference.holders import _EVIDENCE, _PERSON_TITLE, _TITLE_PERSON, find_holders, split_office


@dataclass(frozen=True)
class Ent:
    text: str
    label: str
    start: int
    end: int
    score: float | None = None


_MARK = re.compile(r"\[(PER|TITLE|ORG|DOC) ([^\]]+)\]")


def doc(marked: str) -> tuple[str, list[Ent]]:
    """``"[TITLE Bí thư] [PER Nguyễn Văn A] ..."`` -> plain text and its entities."""
    text, ents, pos = "", [], 0
    for m in _MARK.finditer(marked):
        text += marked[pos : m.start()]
        ents.append(Ent(m.group(2), m.group(1), len(text), len(text) + len(m.group(2))))
        text += m.group(2)
        pos = m.end()
    text += marked[pos:]
    return text, ents


def brief(h):
    return (h.person, h.title, h.office, h.body, h.body_source, h.modifier)


def links(marked: str, **kw):
    text, ents = doc(marked)
    return [brief(h) for h in find_holders(text, ents, **kw)]


# --- title before the name ---------------------------------------------------------------


def test_title_before_name_exact_record():
    text, ents = doc("[TITLE Bí thư Thành ủy Hà Nội] [PER Bùi Thị Minh Hoài] phát biểu tại hội nghị.")
    (h,) = find_holders(text, ents)
    assert h.to_json() == {
        "person": "Bùi Thị Minh Hoài",
        "person_span": [23, 40],
        "title": "Bí thư Thành ủy Hà Nội",
        "office": "Bí thư",
        "body": "Thành ủy Hà Nội",
        "title_span": [0, 22],
        "office_span": [0, 6],
        "body_span": [7, 22],
        "body_source": "title",
        "modifier": None,
        "sentence_span": [0, len(text)],
        "documents": [],
        "document_spans": [],
        "evidence": "title before name",
        "resolved_from": None,
        "resolved_span": None,
        "score": None,
    }
    json.dumps(h.to_json(), ensure_ascii=False)  # serialisable


@pytest.mark.parametrize("between", ["đồng chí ", "ông ", "PGS.TS ", "Thượng tướng ", "GS. TS. "])
def test_title_before_name_with_an_honorific_between(between):
    text, ents = doc(f"[TITLE Tổng Bí thư] {between}[PER Nguyễn Phú Trọng] chủ trì.")
    (h,) = find_holders(text, ents)
    assert brief(h) == ("Nguyễn Phú Trọng", "Tổng Bí thư", "Tổng Bí thư", None, None, None)
    assert h.evidence == "title before name (honorific between)"


def test_title_comma_honorific_name():
    assert links("Sáng nay, [TITLE Chủ tịch UBND tỉnh], ông [PER Nguyễn Văn A] cho biết.") == [
        ("Nguyễn Văn A", "Chủ tịch UBND tỉnh", "Chủ tịch", "UBND tỉnh", "title", None)
    ]


def test_a_comma_alone_does_not_join_a_title_to_the_next_name():
    assert links("Gặp [TITLE Bộ trưởng], [PER Nguyễn Văn A] nói.") == []


# --- name then title ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "marked,evidence",
    [
        ("Ông [PER Nguyễn Văn A], [TITLE Chủ tịch UBND tỉnh Bắc Ninh] cho biết.", "name, title"),
        ("Ông [PER Nguyễn Văn A] - [TITLE Chủ tịch UBND tỉnh Bắc Ninh] cho biết.", "name - title"),
        ("Ông [PER Nguyễn Văn A] ([TITLE Chủ tịch UBND tỉnh Bắc Ninh]) cho biết.", "name (title)"),
        ("Ông [PER Nguyễn Văn A] (Sinh năm 1970), [TITLE Chủ tịch UBND tỉnh Bắc Ninh].", "name, title"),
        ("Ông [PER Nguyễn Văn A] là [TITLE Chủ tịch UBND tỉnh Bắc Ninh].", "name + verb"),
        ("Ông [PER Nguyễn Văn A], người hiện là [TITLE Chủ tịch UBND tỉnh Bắc Ninh].", "name + verb"),
        ("Ông [PER Nguyễn Văn A] được bổ nhiệm làm [TITLE Chủ tịch UBND tỉnh Bắc Ninh].", "name + verb"),
        ("HĐND bầu ông [PER Nguyễn Văn A] giữ chức [TITLE Chủ tịch UBND tỉnh Bắc Ninh].", "name + verb"),
        ("Ông [PER Nguyễn Văn A] được giao [TITLE Chủ tịch UBND tỉnh Bắc Ninh].", "name + verb"),
    ],
)
def test_name_then_title(marked, evidence):
    text, ents = doc(marked)
    (h,) = find_holders(text, ents)
    assert brief(h) == ("Nguyễn Văn A", "Chủ tịch UBND tỉnh Bắc Ninh", "Chủ tịch", "UBND tỉnh Bắc Ninh", "title", None)
    assert h.evidence.startswith(evidence)
    assert text[h.person_span[0] : h.person_span[1]] == "Nguyễn Văn A"


def test_every_kind_of_join_reports_its_evidence():
    """A kind added to a gap table without a line in _EVIDENCE would fail in find_holders at
    the first link of that kind, not at import."""
    kinds = set(_TITLE_PERSON) | set(_PERSON_TITLE) | {"dash"}  # "sep" with a dash is "dash"
    assert kinds <= set(_EVIDENCE), kinds - set(_EVIDENCE)


def test_name_dash_two_titles_gives_two_records():
    assert links("[PER Nguyễn Văn A] - [TITLE Ủy viên Bộ Chính trị], [TITLE Bí thư Thành ủy] dự họp.") == [
        ("Nguyễn Văn A", "Ủy viên Bộ Chính trị", "Ủy viên", "Bộ Chính trị", "title", None),
        ("Nguyễn Văn A", "Bí thư Thành ủy", "Bí thư", "Thành ủy", "title", None),
    ]


def test_active_giao_is_not_a_link():
    # the Deputy PM assigns the minister: the minister is not Vũ Đức Đam
    assert links("[TITLE Phó Thủ tướng] [PER Vũ Đức Đam] giao [TITLE Bộ trưởng Bộ Nội vụ] trả lời.") == [
        ("Vũ Đức Đam", "Phó Thủ tướng", "Phó Thủ tướng", None, None, None)
    ]


def test_holder_named_before_the_electing_body():
    assert links("Ông [PER Nguyễn Văn A] được [ORG Quốc hội] bầu làm [TITLE Chủ tịch nước].") == [
        ("Nguyễn Văn A", "Chủ tịch nước", "Chủ tịch nước", None, None, None)
    ]


def test_coordinated_holders_before_a_verb():
    out = links("Ông [PER Nguyễn Văn A] và ông [PER Trần Văn B] với vai trò là [TITLE Phó Giám đốc Sở Y tế].")
    assert [o[0] for o in out] == ["Trần Văn B", "Nguyễn Văn A"]


def test_a_comma_alone_does_not_coordinate_holders():
    out = links("Theo ông [PER Nguyễn Văn A], ông [PER Trần Văn B] là [TITLE Phó Giám đốc Sở Y tế].")
    assert [o[0] for o in out] == ["Trần Văn B"]


def test_listed_holders_after_a_plural_title():
    out = links("Miễn nhiệm 3 [TITLE thành viên HĐQT] (2015-2020) gồm: ông [PER Lê Văn A], bà [PER Trần Thị B] và ông [PER Ngô C].")
    assert [o[0] for o in out] == ["Lê Văn A", "Trần Thị B", "Ngô C"]


# --- coordinated titles ------------------------------------------------------------------


def test_coordinated_titles_before_the_name():
    assert links("[TITLE Bí thư Tỉnh ủy], [TITLE Chủ tịch HĐND tỉnh] [PER Nguyễn Văn A] phát biểu.") == [
        ("Nguyễn Văn A", "Bí thư Tỉnh ủy", "Bí thư", "Tỉnh ủy", "title", None),
        ("Nguyễn Văn A", "Chủ tịch HĐND tỉnh", "Chủ tịch", "HĐND tỉnh", "title", None),
    ]


def test_the_proposers_title_is_not_coordinated_with_the_signers():
    assert names("Theo đề nghị của [TITLE Bộ trưởng Bộ Nội vụ], [TITLE Chủ tịch nước] [PER Mạc Đĩnh Chi] ký sắc lệnh.") == [
        ("Mạc Đĩnh Chi", "Chủ tịch nước")
    ]


def test_va_before_a_name_joins_two_people_not_two_titles():
    # "the Chairman and the Vice-Chairman A": only the Vice-Chairman is A
    assert links("[TITLE Chủ tịch] và [TITLE Phó Chủ tịch UBND tỉnh] [PER Nguyễn Văn A] dự.") == [
        ("Nguyễn Văn A", "Phó Chủ tịch UBND tỉnh", "Phó Chủ tịch", "UBND tỉnh", "title", None)
    ]


def test_kiem_ranks_brackets_and_an_attached_org_keep_the_chain():
    out = links(
        "Ông [PER Nguyễn Văn A], [TITLE Bí thư Đảng ủy] kiêm [TITLE Chủ tịch Hội đồng trường], Đại tá, "
        "[TITLE Phó Chủ tịch Hội đồng dân tộc] của [ORG Quốc hội], [TITLE Chủ tịch nhóm nghị sĩ hữu nghị] "
        "(nguyên [TITLE Bí thư Tỉnh ủy Ninh Bình]); ông [PER Trần Văn B], [TITLE Bộ trưởng Bộ Y tế]."
    )
    assert [(o[0], o[2], o[5]) for o in out] == [
        ("Nguyễn Văn A", "Bí thư", None),
        ("Nguyễn Văn A", "Chủ tịch", None),
        ("Nguyễn Văn A", "Phó Chủ tịch", None),
        ("Nguyễn Văn A", "Chủ tịch", None),
        ("Nguyễn Văn A", "Bí thư", "nguyên"),
        ("Trần Văn B", "Bộ trưởng", None),
    ]


def test_a_title_juxtaposed_to_another_qualifies_it():
    # the secretary *of* the former vice-chair: the vice-chair is someone else
    out = links(
        "Ông [PER Cao Văn A] (Sinh năm 1982), [TITLE Thư ký] nguyên [TITLE Phó Chủ tịch Quốc hội], "
        "[TITLE Phó Chủ tịch Công đoàn Văn phòng Quốc hội]."
    )
    assert [(o[0], o[1]) for o in out] == [
        ("Cao Văn A", "Thư ký"),
        ("Cao Văn A", "Phó Chủ tịch Công đoàn Văn phòng Quốc hội"),
    ]


def test_alias_in_brackets_goes_to_the_first_name():
    text, ents = doc("Ông [PER Lương Văn Cường] ([PER Lương Cường] - Sinh năm 1957), [TITLE Ủy viên Bộ Chính trị].")
    (h,) = find_holders(text, ents)
    assert h.person == "Lương Văn Cường" and h.person_span == (4, 19)
    assert "alias 'Lương Cường'" in h.evidence


# --- modifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marked,modifier",
    [
        ("Ông [PER Nguyễn Văn A], nguyên [TITLE Bộ trưởng Bộ Y tế] phát biểu.", "nguyên"),
        ("Ông [PER Nguyễn Văn A] nguyên [TITLE Bộ trưởng Bộ Y tế] phát biểu.", "nguyên"),
        ("Tân [TITLE Bộ trưởng Bộ Y tế] [PER Nguyễn Văn A] phát biểu.", "tân"),
        ("Cựu [TITLE Bộ trưởng Bộ Y tế] [PER Nguyễn Văn A] phát biểu.", "cựu"),
        ("Ông [PER Nguyễn Văn A] (nguyên [TITLE Bộ trưởng Bộ Y tế]) phát biểu.", "nguyên"),
        ("Ông [PER Nguyễn Văn A], [TITLE Bộ trưởng Bộ Y tế] phát biểu.", None),
    ],
)
def test_modifier_before_the_title(marked, modifier):
    assert links(marked) == [("Nguyễn Văn A", "Bộ trưởng Bộ Y tế", "Bộ trưởng", "Bộ Y tế", "title", modifier)]


# --- short references --------------------------------------------------------------------


def test_short_reference_resolves_to_the_earlier_full_name():
    text, ents = doc(
        "Ông [PER Lê Minh Hiển] dự họp. Phát biểu tại hội nghị, [TITLE Chủ tịch UBND huyện], ông [PER Hiển] cho biết."
    )
    (h,) = find_holders(text, ents)
    assert h.person == "Lê Minh Hiển"
    assert text[h.person_span[0] : h.person_span[1]] == "Hiển"  # the mention in this sentence
    assert h.resolved_from == "Hiển"
    assert h.resolved_span == (4, 16)
    assert "short reference 'Hiển' resolved to 'Lê Minh Hiển'" in h.evidence


def test_short_reference_prefers_the_nearest_earlier_name_and_falls_back_to_a_later_one():
    text, ents = doc(
        "[TITLE Tổng thống] [PER Biden] phát biểu.\nÔng [PER Trần Văn Dũng] và ông [PER Joe Biden] gặp nhau. "
        "Sau đó ông [PER Lê Tiến Dũng] đến. [TITLE Giám đốc Sở Y tế] [PER Dũng] nói."
    )
    out = find_holders(text, ents)
    assert [(h.person, h.resolved_from) for h in out] == [("Joe Biden", "Biden"), ("Lê Tiến Dũng", "Dũng")]


def test_a_full_name_is_not_resolved():
    (h,) = find_holders(*doc("Ông [PER Lê Minh Hiển]. [TITLE Bí thư] [PER Minh Hiển Lê] nói."))
    assert h.person == "Minh Hiển Lê" and h.resolved_from is None


# --- lists, title-first appositions, handovers, far holders --------------------------------


def names(marked: str):
    return [(o[0], o[1]) for o in links(marked)]


def test_title_colon_name():
    text, ents = doc("[TITLE Cục trưởng]: [PER Trần Văn Bình]")
    (h,) = find_holders(text, ents)
    assert (h.person, h.title, h.evidence) == ("Trần Văn Bình", "Cục trưởng", "title: name")


def test_title_colon_list_of_names():
    assert names("Các [TITLE Phó Cục trưởng]: [PER Lê Thị Hoa], [PER Ngô Văn Tâm] và ông [PER Đỗ Khải].") == [
        ("Lê Thị Hoa", "Phó Cục trưởng"), ("Ngô Văn Tâm", "Phó Cục trưởng"), ("Đỗ Khải", "Phó Cục trưởng")
    ]
    # dates after each name do not end the list
    assert names("[TITLE Tư lệnh]: [PER Hà Văn Lực] (1950), [PER Tạ Quang Minh] (1950 - 1954).") == [
        ("Hà Văn Lực", "Tư lệnh"), ("Tạ Quang Minh", "Tư lệnh")
    ]


def test_a_list_run_together_pairs_each_name_with_the_title_before_it():
    # "Title: name" items whose line breaks were lost: the name after the colon is the holder
    out = names(
        "Ban lãnh đạo:[TITLE Chủ tịch danh dự]: [PER Lâm Văn An]:[TITLE Chủ tịch]: [PER Vũ Thị Bích]:"
        "[TITLE Phó Chủ tịch] kiêm [TITLE Tổng Thư ký]: [PER Đặng Quốc Cường]"
    )
    assert out == [
        ("Lâm Văn An", "Chủ tịch danh dự"), ("Vũ Thị Bích", "Chủ tịch"),
        ("Đặng Quốc Cường", "Phó Chủ tịch"), ("Đặng Quốc Cường", "Tổng Thư ký"),
    ]
    assert names("[TITLE Bí thư Đảng đoàn Hội] hiện là [PER Lâm Văn An], [TITLE phó bí thư]: [PER Vũ Thị Bích]") == [
        ("Lâm Văn An", "Bí thư Đảng đoàn Hội"), ("Vũ Thị Bích", "phó bí thư")
    ]


def test_a_negated_title_links_nothing():
    assert links("Hai người sau không phải là [TITLE Ủy viên Ban Thường vụ]: [PER Lâm Văn An], [PER Vũ Thị Bích].") == []


@pytest.mark.parametrize("between", [" là ", " hiện là ông ", ", hiện nay là ", " hiện tại là bà "])
def test_title_is_name(between):
    assert names(f"[TITLE Giám đốc Sở Xây dựng]{between}[PER Phan Văn Lộc].") == [("Phan Văn Lộc", "Giám đốc Sở Xây dựng")]


def test_title_is_name_goes_to_that_name_not_to_the_one_before():
    text, ents = doc("Đổi tên thành [ORG Ban Điều phối], [TITLE trưởng ban] là [PER Phan Văn Lộc], [TITLE phó ban] là [PER Hồ Thị Yến].")
    out = find_holders(text, ents)
    assert [(h.person, h.title, h.body) for h in out] == [
        ("Phan Văn Lộc", "trưởng ban", "Ban Điều phối"), ("Hồ Thị Yến", "phó ban", "Ban Điều phối")
    ]


def test_a_relatives_title_is_not_his():
    assert links("Con trai [TITLE Chủ tịch Tập đoàn Sao Mai] là [PER Phan Văn Lộc].") == []
    assert links("Vợ ông [TITLE Giám đốc Sở]: [PER Hồ Thị Yến].") == []
    assert links("Con gái [TITLE Chủ tịch Hội đồng quản trị] kiêm [TITLE Tổng Giám đốc] là [PER Hồ Thị Yến].") == []


@pytest.mark.parametrize("between", [" - bà ", " - ", " – ông "])
def test_title_dash_name(between):
    text, ents = doc(f"[TITLE Giám đốc Sở Tài chính]{between}[PER Hồ Thị Yến] cho biết ngân sách đã đủ.")
    (h,) = find_holders(text, ents)
    assert (h.person, h.evidence) == ("Hồ Thị Yến", "title - name")


def test_title_comma_name_without_an_honorific():
    text, ents = doc("[TITLE Chủ tịch câu lạc bộ Sao Vàng], [PER Minh Khoa] tuyên bố sẽ bán sân.")
    (h,) = find_holders(text, ents)
    assert (h.person, h.evidence) == ("Minh Khoa", "title with its body, name")
    # a bare office, a title that is a verb's object, or a name with its own title: nothing
    assert links("Gặp [TITLE Chủ tịch], [PER Minh Khoa] nói.") == []
    assert links("Sau khi gặp [TITLE Chủ tịch câu lạc bộ Sao Vàng], [PER Minh Khoa] nói.") == []
    assert links("Theo [TITLE Chủ tịch câu lạc bộ Sao Vàng], [PER Minh Khoa] đã sai.") == []
    # a title inside a clause: its name must close the clause (an apposition)
    assert links("Trả lời [TITLE Chủ tịch câu lạc bộ Sao Vàng], [PER Minh Khoa] cho biết.") == []
    assert names("Ông chỉ trích [TITLE Chủ tịch câu lạc bộ Sao Vàng], [PER Minh Khoa].") == [
        ("Minh Khoa", "Chủ tịch câu lạc bộ Sao Vàng")
    ]
    assert names("Hội đồng do [PER Lâm Văn An] làm [TITLE Chủ tịch Hội đồng], [PER Vũ Thị Bích] làm [TITLE Phó Chủ tịch].") == [
        ("Lâm Văn An", "Chủ tịch Hội đồng"), ("Vũ Thị Bích", "Phó Chủ tịch")
    ]
    assert names("Dự họp có [TITLE Chủ tịch UBND huyện], [PER Lâm Văn An], [TITLE Giám đốc Sở Y tế].") == [
        ("Lâm Văn An", "Giám đốc Sở Y tế")
    ]


def test_title_bracket_name():
    text, ents = doc("[TITLE Thứ trưởng Bộ Nông nghiệp và Phát triển nông thôn] (NN&PTNT) [PER Lê Quý Đôn] dự họp.")
    (h,) = find_holders(text, ents)
    assert (h.person, h.evidence) == ("Lê Quý Đôn", "title (abbreviation) name")
    text, ents = doc("[TITLE Tổng Thư ký Liên minh Cờ vua Đông Á] ([ORG EACF]) [PER Kim Min-jae] phát biểu.")
    (h,) = find_holders(text, ents)
    assert (h.person, h.body, h.body_source, h.evidence) == (
        "Kim Min-jae", "Liên minh Cờ vua Đông Á", "title", "title (ORG) name"
    )
    text, ents = doc("[TITLE Chủ tịch] ([ORG EACF]) [PER Kim Min-jae] phát biểu.")
    (h,) = find_holders(text, ents)
    assert (h.person, h.body, h.body_source) == ("Kim Min-jae", "EACF", "following_org")


def test_late_holder_between_dashes():
    assert links("Từ khi ông [PER Park Ji-ho] - cố [TITLE Chủ tịch Tập đoàn Hanseo] - lâm bệnh, cổ phiếu giảm.") == [
        ("Park Ji-ho", "Chủ tịch Tập đoàn Hanseo", "Chủ tịch", "Tập đoàn Hanseo", "title", "cố")
    ]


def test_two_titles_joined_by_a_dash_before_the_name():
    assert names("[TITLE Phó Chủ tịch UBND tỉnh] - [TITLE Trưởng Ban chỉ đạo phòng chống thiên tai tỉnh] [PER Lê Quý Đôn] chỉ đạo.") == [
        ("Lê Quý Đôn", "Phó Chủ tịch UBND tỉnh"), ("Lê Quý Đôn", "Trưởng Ban chỉ đạo phòng chống thiên tai tỉnh")
    ]


def test_name_colon_titles_with_dates():
    assert names("[PER Lê Quý Đôn]: [TITLE Thứ trưởng Bộ Công Thương] (1995), [TITLE Bộ trưởng Bộ Công Thương] (1995–2001).") == [
        ("Lê Quý Đôn", "Thứ trưởng Bộ Công Thương"), ("Lê Quý Đôn", "Bộ trưởng Bộ Công Thương")
    ]


def test_a_plural_title_before_several_names():
    assert names("Quốc hội bầu 2 [TITLE Phó Chủ tịch nước] [PER Lê Quý Đôn] và [PER Hồ Thị Yến], [TITLE Thủ tướng] [PER Mạc Đĩnh Chi].") == [
        ("Lê Quý Đôn", "Phó Chủ tịch nước"), ("Hồ Thị Yến", "Phó Chủ tịch nước"), ("Mạc Đĩnh Chi", "Thủ tướng")
    ]
    # without a plural the second name is someone else
    assert names("[TITLE Phó Chủ tịch nước] [PER Lê Quý Đôn] và [PER Hồ Thị Yến] dự lễ.") == [("Lê Quý Đôn", "Phó Chủ tịch nước")]


@pytest.mark.parametrize(
    "verb",
    [
        "thôi chức", "thôi giữ chức vụ", "từ chức", "đã nhậm chức", "nhận nhiệm vụ", "được bổ nhiệm vào vị trí",
        "nghỉ hưu với chức vụ", "bị cách chức", "giữ vị trí", "được miễn nhiệm",
    ],
)
def test_taking_and_leaving_office(verb):
    assert names(f"Ông [PER Lê Quý Đôn] {verb} [TITLE Giám đốc Sở Tư pháp] từ tháng 5.") == [("Lê Quý Đôn", "Giám đốc Sở Tư pháp")]


def test_active_dismissal_is_not_a_link():
    assert links("Ông [PER Lê Quý Đôn] miễn nhiệm [TITLE Giám đốc Sở Tư pháp] vì sai phạm.") == []
    assert links("Ông [PER Lê Quý Đôn] cách chức [TITLE Giám đốc Sở Tư pháp].") == []


def test_a_passive_agent_is_no_clause_of_its_own():
    assert links("Ông [PER Lê Quý Đôn] được nhiều người biết đến khi bầu làm [TITLE Chủ tịch Hội Nông dân].") == []
    assert links("Ông [PER Lê Quý Đôn] được nhiều người khen vì bầu [TITLE Chủ tịch Hội Nông dân].") == []


def test_a_passive_whose_agent_is_written_in_words():
    assert names("Ông [PER Lê Quý Đôn] đã được Đảng, Nhà nước giao nhiệm vụ là [TITLE Bộ trưởng Bộ Xây dựng].") == [
        ("Lê Quý Đôn", "Bộ trưởng Bộ Xây dựng")
    ]
    out = names(
        "Bà [PER Hồ Thị Yến], [TITLE Trưởng khoa Luật], [TITLE thành viên Hội đồng trường] được 95% thành viên "
        "có mặt bầu giữ chức danh [TITLE Chủ tịch Hội đồng trường]."
    )
    assert out == [
        ("Hồ Thị Yến", "Trưởng khoa Luật"), ("Hồ Thị Yến", "thành viên Hội đồng trường"),
        ("Hồ Thị Yến", "Chủ tịch Hội đồng trường"),
    ]


def test_a_handover_names_both_sides():
    assert names("Ông [PER Lê Quý Đôn] chuyển giao nhiệm vụ [TITLE Giám đốc Công ty Hải Hà] cho ông [PER Mạc Đĩnh Chi].") == [
        ("Mạc Đĩnh Chi", "Giám đốc Công ty Hải Hà")
    ]
    out = names(
        "Nguyên [TITLE Giám đốc] [PER Lê Quý Đôn] và tân [TITLE Giám đốc] [PER Mạc Đĩnh Chi] đã cùng ký biên bản "
        "chuyển giao nhiệm vụ [TITLE Giám đốc Sở Xây dựng]."
    )
    assert out == [
        ("Lê Quý Đôn", "Giám đốc"), ("Mạc Đĩnh Chi", "Giám đốc"),
        ("Mạc Đĩnh Chi", "Giám đốc Sở Xây dựng"), ("Lê Quý Đôn", "Giám đốc Sở Xây dựng"),
    ]


def test_the_subject_of_a_role_phrase_far_from_the_title():
    text, ents = doc(
        "Ông [PER Mạc Đĩnh Chi] có 20 năm công tác tại [ORG Tổng công ty Hải Hà] với các vị trí "
        "[TITLE Phó Tổng giám đốc], [TITLE Giám đốc Công ty Hải Hà Bắc Ninh]."
    )
    out = find_holders(text, ents)
    assert [(h.person, h.title) for h in out] == [
        ("Mạc Đĩnh Chi", "Phó Tổng giám đốc"), ("Mạc Đĩnh Chi", "Giám đốc Công ty Hải Hà Bắc Ninh")
    ]
    assert out[0].evidence.startswith("subject name ... role phrase")
    assert names("[PER Mạc Đĩnh Chi], sau khi nghỉ hưu hai năm với chức vụ [TITLE Bộ trưởng Bộ Tài chính], mở công ty.") == [
        ("Mạc Đĩnh Chi", "Bộ trưởng Bộ Tài chính")
    ]
    assert names("Ông [PER Mạc Đĩnh Chi] trực tiếp điều hành và giữ chức vụ [TITLE Giám đốc Công ty Hải Hà].") == [
        ("Mạc Đĩnh Chi", "Giám đốc Công ty Hải Hà")
    ]


@pytest.mark.parametrize(
    "marked",
    [
        # someone else is the holder
        "Ông [PER Mạc Đĩnh Chi] đề nghị bổ nhiệm người với chức vụ [TITLE Giám đốc Sở Tài chính].",
        "Ông [PER Mạc Đĩnh Chi] cho rằng cán bộ với chức vụ [TITLE Giám đốc Sở] phải gương mẫu.",
        "Ông [PER Mạc Đĩnh Chi] nhấn mạnh cán bộ với chức vụ [TITLE Giám đốc Sở] phải gương mẫu.",
        # the name is an object, not the clause's subject
        "Bộ trưởng gặp ông [PER Mạc Đĩnh Chi] trong ngày nhận nhiệm vụ [TITLE Giám đốc Sở Tài chính].",
        # another title stands between
        "[PER Mạc Đĩnh Chi] thôi phụ trách theo quyết định của [TITLE Thủ tướng] để nhận nhiệm vụ [TITLE Bí thư Tỉnh ủy].",
    ],
)
def test_no_subject_link_when_the_clause_says_otherwise(marked):
    assert all(o[1] not in ("Giám đốc Sở Tài chính", "Giám đốc Sở", "Bí thư Tỉnh ủy") for o in links(marked))


def test_a_caption_position_note_after_the_name():
    assert names("PGS.TS [PER Mạc Đĩnh Chi] (bên phải), [TITLE Hiệu trưởng Trường Đại học Hải Hà].") == [
        ("Mạc Đĩnh Chi", "Hiệu trưởng Trường Đại học Hải Hà")
    ]


def test_the_body_before_do_name_lam_title():
    text, ents = doc("[ORG Hội đồng tư vấn] do ông [PER Lê Quý Đôn] làm [TITLE Chủ tịch], [ORG Ban kiểm tra] do bà [PER Hồ Thị Yến] làm [TITLE Trưởng ban].")
    out = find_holders(text, ents)
    assert [(h.person, h.title, h.body, h.body_source) for h in out] == [
        ("Lê Quý Đôn", "Chủ tịch", "Hội đồng tư vấn", "following_org"),
        ("Hồ Thị Yến", "Trưởng ban", "Ban kiểm tra", "following_org"),
    ]


# --- office and body ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,office,body",
    [
        ("Bí thư Thành ủy Hà Nội", "Bí thư", "Thành ủy Hà Nội"),
        ("Chủ tịch UBND tỉnh Trà Vinh", "Chủ tịch", "UBND tỉnh Trà Vinh"),
        ("Bộ trưởng Bộ Y tế", "Bộ trưởng", "Bộ Y tế"),
        ("Phó Chủ tịch Thường trực UBND thành phố", "Phó Chủ tịch Thường trực", "UBND thành phố"),
        ("Ủy viên Bộ Chính trị", "Ủy viên", "Bộ Chính trị"),
        ("Uỷ viên Bộ Chính trị", "Uỷ viên", "Bộ Chính trị"),
        ("Thủ tướng", "Thủ tướng", None),
        ("Tổng Bí thư", "Tổng Bí thư", None),
        ("Chủ tịch nước", "Chủ tịch nước", None),
        ("Thủ tướng Chính phủ", "Thủ tướng", "Chính phủ"),
        ("Phó Thủ tướng thường trực", "Phó Thủ tướng thường trực", None),
        ("Quyền Chủ tịch UBND tỉnh", "Quyền Chủ tịch", "UBND tỉnh"),
        ("Trưởng Ban Tổ chức Thành ủy", "Trưởng", "Ban Tổ chức Thành ủy"),
        ("Trưởng phòng Phòng, chống tệ nạn xã hội", "Trưởng phòng", "Phòng, chống tệ nạn xã hội"),
        ("Phó trưởng Phòng GD&ĐT quận Hai Bà Trưng", "Phó trưởng", "Phòng GD&ĐT quận Hai Bà Trưng"),
        ("đại biểu Quốc hội khóa XIV", "đại biểu", "Quốc hội khóa XIV"),
        ("Bộ trưởng GD-ĐT", "Bộ trưởng", "GD-ĐT"),
        ("Thủ tướng Anh", "Thủ tướng", "Anh"),
        ("Chủ tịch HĐQT Eximbank", "Chủ tịch", "HĐQT Eximbank"),
        ("Đảng ủy viên", "Đảng ủy viên", None),
        ("Chủ tịch danh dự", "Chủ tịch danh dự", None),
    ],
)
def test_split_office(title, office, body):
    s = split_office(title)
    assert (s.office, s.body) == (office, body)
    assert title[s.office_span[0] : s.office_span[1]] == office
    if body is not None:
        assert title[s.body_span[0] : s.body_span[1]] == body


def test_unknown_office_is_cut_before_its_body():
    s = split_office("Chủ tọa Hội đồng thi")
    assert (s.office, s.body, s.office_key) == ("Chủ tọa", "Hội đồng thi", None)


@pytest.mark.parametrize("link", [" của ", ", ", " ("])
def test_body_from_a_following_org(link):
    text, ents = doc(f"Ông [PER Nguyễn Văn A], [TITLE Chủ tịch]{link}[ORG Tập đoàn X] cho biết.")
    (h,) = find_holders(text, ents)
    assert (h.body, h.body_source) == ("Tập đoàn X", "following_org")
    assert text[h.body_span[0] : h.body_span[1]] == "Tập đoàn X"


def test_title_org_name():
    text, ents = doc("[TITLE Thượng nghị sĩ] [ORG Đảng Lao động] [PER Kimberley Kitching] nhận định.")
    (h,) = find_holders(text, ents)
    assert (h.person, h.body, h.body_source, h.evidence) == (
        "Kimberley Kitching", "Đảng Lao động", "following_org", "title ORG name"
    )


def test_body_from_the_documents_dominant_body():
    text, ents = doc(
        "[ORG Bộ GTVT] họp. [ORG Chính phủ] họp. [ORG Chính phủ] họp. [ORG Bộ GTVT] báo cáo. [ORG Bộ Y tế] dự.\n"
        "[TITLE Bộ trưởng] [PER Nguyễn Văn Thể] trình bày. [TITLE Thủ tướng] [PER Phạm Minh Chính] kết luận."
    )
    minister, pm = find_holders(text, ents)
    assert (minister.body, minister.body_source, minister.body_span) == ("Bộ GTVT", "document", (0, 7))
    assert (pm.body, pm.body_source) == (None, None)  # Thủ tướng never takes a document body
    off = find_holders(text, ents, document_bodies=False)
    assert off[0].body is None


def test_no_document_body_when_two_bodies_tie():
    text, ents = doc("[ORG Bộ GTVT] và [ORG Bộ Y tế] họp.\n[TITLE Bộ trưởng] [PER Nguyễn Văn Thể] phát biểu.")
    (h,) = find_holders(text, ents)
    assert h.body is None


# --- sentences, documents, unlinked titles, scores, offsets ------------------------------


def test_documents_cited_in_the_same_sentence():
    text, ents = doc(
        "[TITLE Bí thư Thành ủy Hà Nội] [PER Đinh Tiến Dũng] ký Nghị quyết số [DOC 18-NQ/TW] và [DOC 24-CT/TU]. "
        "Quyết định [DOC 15/QĐ-UBND] ban hành sau."
    )
    (h,) = find_holders(text, ents)
    assert h.documents == ["18-NQ/TW", "24-CT/TU"]
    assert [text[s:e] for s, e in h.document_spans] == h.documents


def test_no_pair_across_sentences():
    assert links("Hội nghị có [TITLE Bí thư Tỉnh ủy]. [PER Nguyễn Văn A] cho biết thêm.") == []
    assert links("Ông [PER Nguyễn Văn A]\n[TITLE Chủ tịch UBND tỉnh] cho biết.") == []


def test_role_noun_title_before_the_holder():
    assert links("HĐQT miễn nhiệm chức danh [TITLE Chủ tịch HĐQT] đối với ông [PER Yasuhiro Saitoh].")[0][0] == "Yasuhiro Saitoh"
    assert links("Thứ trưởng trao Quyết định công nhận [TITLE Hiệu trưởng] tới PGS.TS [PER Nguyễn Thị B].")[0][0] == "Nguyễn Thị B"
    # without the role noun, "của ông" does not link
    assert links("Theo ý kiến của [TITLE Chủ tịch] của ông [PER Nguyễn Văn A].") == []


def test_title_without_holder():
    marked = "[TITLE Bí thư Thành ủy] yêu cầu các sở báo cáo."
    assert links(marked) == []
    text, ents = doc(marked)
    (h,) = find_holders(text, ents, include_unlinked=True)
    assert (h.person, h.person_span, h.office, h.body) == (None, None, "Bí thư", "Thành ủy")
    assert h.evidence == "no holder in the sentence"


def test_scores_and_other_labels():
    text = "Thủ tướng Phạm Minh Chính tại Hà Nội."
    ents = [
        Ent("Thủ tướng", "TITLE", 0, 9, 0.9),
        Ent("Phạm Minh Chính", "PER", 10, 25, 0.7),
        Ent("Hà Nội", "LOC", 30, 36, 0.99),
    ]
    (h,) = find_holders(text, ents)
    assert h.score == pytest.approx(0.7)


def test_offsets_index_the_callers_text_whatever_its_form():
    nfc = "Ông Nguyễn Văn A,\u00a0Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh Khánh Hòa cho biết."
    text = unicodedata.normalize("NFD", nfc)
    per = "Nguyễn Văn A"
    title = "Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh Khánh Hòa"
    p0 = text.index(unicodedata.normalize("NFD", per))
    t0 = text.index(unicodedata.normalize("NFD", title))
    p1 = p0 + len(unicodedata.normalize("NFD", per))
    t1 = t0 + len(unicodedata.normalize("NFD", title))
    (h,) = find_holders(text, [Ent(text[p0:p1], "PER", p0, p1), Ent(text[t0:t1], "TITLE", t0, t1)])
    assert h.person_span == (p0, p1) and h.title_span == (t0, t1)
    assert unicodedata.normalize("NFC", text[h.office_span[0] : h.office_span[1]]) == "Phó Chủ tịch Thường trực"
    assert unicodedata.normalize("NFC", text[h.body_span[0] : h.body_span[1]]) == "Ủy ban nhân dân tỉnh Khánh Hòa"


def test_entities_outside_the_text_are_an_error():
    with pytest.raises(ValueError):
        find_holders("ngắn", [Ent("x", "PER", 2, 10)])


def test_imports_neither_torch_nor_training():
    code = (
        "import sys, inference.holders, inference.offices; "
        "bad = [m for m in ('torch', 'transformers', 'training') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
