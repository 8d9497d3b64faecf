"""Tests for the document-code grammar (inference/doc_codes.py).

All sentences are synthetic: written for these tests, not taken from any article.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inference.doc_codes import (
    PARTY_TYPES,
    STATE_TYPES,
    TYPES_FILE,
    DocCode,
    find_doc_codes,
    is_doc_code,
    read_doc_types,
)
from tests.conftest import examples

# (sentence, exact code text, kind, canonical type abbreviation)
POSITIVE = [
    # Party: N-TYPE/ISSUER
    ("Toàn Đảng tiếp tục thực hiện Nghị quyết 18-NQ/TW về tinh gọn bộ máy.", "18-NQ/TW", "party", "NQ"),
    ("Tỉnh ủy đã ban hành Chỉ thị 24-CT/TU về công tác tuyển quân.", "24-CT/TU", "party", "CT"),
    ("Bộ Chính trị ra Kết luận 35-KL/TW về danh mục chức danh.", "35-KL/TW", "party", "KL"),
    ("Ban Chấp hành đã có Quy định 05-QĐi/TW về kiểm soát quyền lực.", "05-QĐi/TW", "party", "QĐi"),
    ("Ban Bí thư ký Quyết định 439-QĐNS/TW chỉ định nhân sự mới.", "439-QĐNS/TW", "party", "QĐNS"),
    ("Ủy ban Kiểm tra Thành ủy gửi văn bản 24-BS/UBKTTU tới các đảng bộ.", "24-BS/UBKTTU", "party", "BS"),
    ("Văn phòng Trung ương ban hành Hướng dẫn 36-HD/VPTW về thể thức văn bản.", "36-HD/VPTW", "party", "HD"),
    ("Thành ủy quán triệt Chỉ thị 15-CT/TU tới từng chi bộ.", "15-CT/TU", "party", "CT"),
    ("Cán bộ vi phạm Quy định 181-QĐ/TW sẽ bị xử lý nghiêm.", "181-QĐ/TW", "party", "QĐ"),
    ("Hội thảo bàn về Nghị quyết 39-NQ/TW và tinh giản biên chế.", "39-NQ/TW", "party", "NQ"),
    ("Đảng ủy khối ra Quyết định 31-QĐ/ĐU-MTTW về kỷ luật.", "31-QĐ/ĐU-MTTW", "party", "QĐ"),
    # State administrative: N/TYPE-ISSUER and công văn N/ISSUER-UNIT
    ("UBND tỉnh ký Quyết định 123/QĐ-UBND phê duyệt dự án.", "123/QĐ-UBND", "state", "QĐ"),
    ("Chính phủ ban hành Nghị quyết 35/NQ-CP về hỗ trợ doanh nghiệp.", "35/NQ-CP", "state", "NQ"),
    ("Sở Nội vụ nhận Công văn 15/UBND-VP ngày hôm qua.", "15/UBND-VP", "state", None),
    ("Quốc hội đã có Nghị quyết 916/NQ-UBTVQH13 về kỳ họp.", "916/NQ-UBTVQH13", "state", "NQ"),
    ("Theo Thông báo 332/TB-VPCP, cuộc họp được lùi lại.", "332/TB-VPCP", "state", "TB"),
    ("Bộ Nội vụ có văn bản 1234/BNV-TCBC gửi các địa phương.", "1234/BNV-TCBC", "state", None),
    ("Huyện ra Quyết định 09a/QĐ-UBND bổ sung kinh phí.", "09a/QĐ-UBND", "state", "QĐ"),
    ("Bộ có Kết luận 5278/KL-BNN-PTNT về thanh tra.", "5278/KL-BNN-PTNT", "state", "KL"),
    ("Văn bản 2214/TTg-KTN đã chấp thuận đề xuất.", "2214/TTg-KTN", "state", None),
    ("Sắc lệnh 15/SL bổ nhiệm một bộ trưởng mới.", "15/SL", "state", "SL"),
    ("Nghị định 60/CP quy định về nhà ở đô thị.", "60/CP", "state", None),
    ("Nghị định 28-CP bàn về cổ phần hóa.", "28-CP", "state", None),
    # State legal: N/YYYY/TYPE-ISSUER and N/YYYY/ISSUER
    ("Nghị định 15/2020/NĐ-CP quy định xử phạt trong lĩnh vực viễn thông.", "15/2020/NĐ-CP", "state_legal", "NĐ"),
    ("Thông tư 01/2021/TT-BNV hướng dẫn công tác văn thư.", "01/2021/TT-BNV", "state_legal", "TT"),
    ("Quyết định 15/2020/QĐ-TTg về chính sách hỗ trợ người lao động.", "15/2020/QĐ-TTg", "state_legal", "QĐ"),
    ("Bộ luật Hình sự số 100/2015/QH13 có nhiều điểm mới.", "100/2015/QH13", "state_legal", None),
    ("Nghị quyết 528/2018/UBTVQH14 điều chỉnh địa giới.", "528/2018/UBTVQH14", "state_legal", None),
    ("Nghị định 67/2014/NĐ-CP hỗ trợ ngư dân đóng tàu.", "67/2014/NĐ-CP", "state_legal", "NĐ"),
    ("Thông tư 332/2016/TT-BTC sửa đổi quy định cũ.", "332/2016/TT-BTC", "state_legal", "TT"),
    ("Luật Đầu tư số 59/2020/QH14 có hiệu lực từ đầu năm.", "59/2020/QH14", "state_legal", None),
    ("Thông tư liên tịch 04/2017/TTLT-BNV-BTC hướng dẫn chế độ phụ cấp.", "04/2017/TTLT-BNV-BTC", "state_legal", "TTLT"),
    ("Nghị quyết 19-2017/NQ-CP đặt mục tiêu cải thiện môi trường kinh doanh.", "19-2017/NQ-CP", "state_legal", "NQ"),
    # Spacing and dash variants
    ("Ủy ban đã ban hành Nghị quyết 1096/NQ- UBTVQH13 vào cuối năm.", "1096/NQ- UBTVQH13", "state", "NQ"),
    ("Ban Bí thư công bố Quyết định 439 – QĐNS/TW tại hội nghị.", "439 – QĐNS/TW", "party", "QĐNS"),
    ("Đoàn kiểm tra theo Quyết định 470- QĐNS/TW làm việc với tỉnh.", "470- QĐNS/TW", "party", "QĐNS"),
    ("Các cấp ủy tổng kết Nghị quyết 18 - NQ/TW trong tháng này.", "18 - NQ/TW", "party", "NQ"),
    ("Chỉ thị 05—CT/TW được học tập rộng rãi.", "05—CT/TW", "party", "CT"),
    ("Quyết định 123/QĐ−UBND có dấu trừ thay cho gạch nối.", "123/QĐ−UBND", "state", "QĐ"),
    ("Nghị định 116/2020/NĐ - CP tác động tới sinh viên sư phạm.", "116/2020/NĐ - CP", "state_legal", "NĐ"),
    ("Thứ trưởng trao quyết định 1177/QĐ BGDĐT ngày 5/4/2021.", "1177/QĐ BGDĐT", "state", "QĐ"),
    ("Theo quyết định 1179/ QĐ BGDĐT, trường được công nhận.", "1179/ QĐ BGDĐT", "state", "QĐ"),
    # a space before a word that is no issuer ends the code at its type
    ("Quyết định 15/QĐ Ban Thường vụ ban hành.", "15/QĐ", "state", "QĐ"),
    # Đ/D and casing variants
    ("Nghị định 67/2014/ND-CP được nhiều địa phương áp dụng.", "67/2014/ND-CP", "state_legal", "NĐ"),
    ("Quyết định 15/2020/QD-TTg đã hết hiệu lực.", "15/2020/QD-TTg", "state_legal", "QĐ"),
    ("Quyết định 100/QĐ-TTG phê duyệt đề án.", "100/QĐ-TTG", "state", "QĐ"),
    ("Nghị quyết 08-NQ/TƯ về phát triển du lịch.", "08-NQ/TƯ", "party", "NQ"),
    # Trailing punctuation, parentheses, quotes
    ("Mọi việc làm theo Nghị quyết 18-NQ/TW.", "18-NQ/TW", "party", "NQ"),
    ("Căn cứ Nghị định 15/2020/NĐ-CP, Sở đã xử phạt.", "15/2020/NĐ-CP", "state_legal", "NĐ"),
    ("Thực hiện Chỉ thị 24-CT/TU; đồng thời tăng cường kiểm tra.", "24-CT/TU", "party", "CT"),
    ("Dự án được duyệt (Quyết định 123/QĐ-UBND) từ năm trước.", "123/QĐ-UBND", "state", "QĐ"),
    ("Điều này được nêu rõ tại Kết luận 35-KL/TW: cán bộ phải gương mẫu.", "35-KL/TW", "party", "KL"),
    ("Văn bản có tên “Nghị quyết 35/NQ-CP” được gửi đi.", "35/NQ-CP", "state", "NQ"),
    ('Ông nhắc đến "Thông tư 01/2021/TT-BNV" nhiều lần.', "01/2021/TT-BNV", "state_legal", "TT"),
    ("Mức phạt nêu trong (15/2020/NĐ-CP) khá cao.", "15/2020/NĐ-CP", "state_legal", "NĐ"),
    # Leading "số" is not part of the span, even when glued to the number
    ("Nghị quyết số 18-NQ/TW đã đi vào cuộc sống.", "18-NQ/TW", "party", "NQ"),
    ("Theo Nghị định số187/2004/NĐ-CP thì doanh nghiệp phải chuyển đổi.", "187/2004/NĐ-CP", "state_legal", "NĐ"),
    # A lower-case word glued to the code (missing space) is not part of it
    ("Theo Thông tư 11/2021/TT-BGDĐTvề bồi dưỡng giáo viên.", "11/2021/TT-BGDĐT", "state_legal", "TT"),
]


@pytest.mark.parametrize(("sentence", "code", "kind", "abbr"), POSITIVE, ids=[p[1] for p in POSITIVE])
def test_positive(sentence: str, code: str, kind: str, abbr: str | None) -> None:
    start = sentence.index(code)
    assert find_doc_codes(sentence) == [DocCode(start, start + len(code), code, kind, abbr)]


NEGATIVE = [
    "Sáng 12/6, đoàn đại biểu đến thăm tỉnh.",
    "Lễ hội diễn ra từ 7-8-2023 tại quảng trường.",
    "Hội nghị khai mạc ngày 18/6/2017 ở thủ đô.",
    "Vào ngày 24/2/2020, tỉnh họp bàn phòng dịch.",
    "Kế hoạch giai đoạn 2020-2025 đã được thông qua.",
    "Từ tháng 6/2017 huyện bắt đầu thí điểm.",
    "Nghị quyết được thông qua với 26/26 phiếu tán thành.",
    "Có 3/5 đại biểu đồng ý với phương án.",
    "Đội nhà thắng với tỷ số 2-1 trong hiệp hai.",
    "Xin liên hệ số 0243.123.4567 để được hỗ trợ.",
    "Gọi đường dây nóng 0912 345 678 khi cần.",
    "Tổng đài 024-3825-1234 hoạt động suốt ngày đêm.",
    "Tăng trưởng đạt 12,5% so với cùng kỳ.",
    "Tỷ lệ góp vốn là 50/50% giữa hai bên.",
    "Xe mang biển 29A-123.45 bị tạm giữ.",
    "Chiếc xe tải biển 51G-678.90 gây tai nạn.",
    "Biển số 30E-12345 được ghi nhận qua camera.",
    "Dự án mở rộng Quốc lộ 1A sắp hoàn thành.",
    "Sự cố xảy ra tại km 12+500 trên cao tốc.",
    "Buổi họp bắt đầu lúc 7h30 tại trụ sở.",
    "UBND tỉnh chỉ đạo các sở khẩn trương triển khai.",
    "Đề án đã được TW cho ý kiến.",
    "Tỉnh kiểm soát tốt dịch COVID-19 trong quý.",
    "Các trường hợp F0/F1 được cách ly tại nhà.",
    "Căn hộ nằm ở tòa CT1 - CT2 của khu đô thị.",
    "Sản phẩm đạt QCVN 16:2014/BXD về chất lượng.",
    "Tội danh quy định tại Điều 285-BLHS năm 1999.",
    "Người này cư trú tại quận 3 - TP HCM.",
    "Xe dùng xăng E5/E10 theo lộ trình mới.",
    "Việt Nam đứng thứ 4/ASEAN về chỉ số này.",
    "Tỷ giá niêm yết là 23000/USD trong phiên sáng.",
    "Điều 3\n1- Công dân có quyền khiếu nại.\n2- Cơ quan phải trả lời.",
    "Mã hồ sơ 20170606-AB12C34 được lưu trữ.",
]


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_negative(sentence: str) -> None:
    assert find_doc_codes(sentence) == []


def test_several_codes_sorted_and_disjoint() -> None:
    text = "Căn cứ 18-NQ/TW, 15/2020/NĐ-CP và 123/QĐ-UBND, tỉnh ban hành 45/KH-UBND."
    codes = find_doc_codes(text)
    assert [c.text for c in codes] == ["18-NQ/TW", "15/2020/NĐ-CP", "123/QĐ-UBND", "45/KH-UBND"]
    assert all(a.end <= b.start for a, b in zip(codes, codes[1:]))


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("18-NQ/TW", True),
        ("  15/2020/NĐ-CP \n", True),
        ("15/UBND-VP", True),
        ("số 18-NQ/TW", False),
        ("18-NQ/TW và 19-NQ/TW", False),
        ("18-NQ/TW.", False),
        ("UBND", False),
        ("18/6/2017", False),
        ("", False),
    ],
)
def test_is_doc_code(s: str, expected: bool) -> None:
    assert is_doc_code(s) is expected


def test_type_table() -> None:
    for abbr in ("NQ", "QĐ", "CT", "QC", "QyĐ", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB",
                 "TTr", "HĐ", "CĐ", "GUQ", "GM", "GGT", "PG", "PC", "PB", "GNP", "TT", "TTLT", "NĐ",
                 "L", "PL", "SL"):
        assert abbr in STATE_TYPES
    for abbr in ("NQ", "QĐ", "CT", "KL", "QC", "QĐi", "HD", "BC", "TB", "TTr", "CTr", "KH", "ĐA",
                 "BB", "QĐNS"):
        assert abbr in PARTY_TYPES
    # meanings differ where the two systems use one abbreviation for different documents
    assert PARTY_TYPES["TT"] == "Thông tri" and STATE_TYPES["TT"] == "Thông tư"
    assert "QyĐ" not in PARTY_TYPES and "QĐi" not in STATE_TYPES


def _types_file(tmp_path, *rows: str):
    path = tmp_path / "types.tsv"
    path.write_text("# a comment\nabbr\tparty\tstate\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_types_table_reads_both_systems_from_one_file(tmp_path) -> None:
    party, state = read_doc_types(_types_file(tmp_path, "NQ\tNghị quyết\tNghị quyết", "NĐ\t\tNghị định"))
    assert party == {"NQ": "Nghị quyết"}
    assert state == {"NQ": "Nghị quyết", "NĐ": "Nghị định"}
    assert read_doc_types() == read_doc_types(TYPES_FILE) == (PARTY_TYPES, STATE_TYPES)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("NQ\tNghị quyết", "3 tab-separated fields"),
        ("NQ\t\t", "3 tab-separated fields"),
        ("\tNghị quyết\tNghị quyết", "3 tab-separated fields"),
        ("CT\tChỉ thị\tChỉ thị", "'CT' has a row already"),
    ],
)
def test_a_bad_row_of_the_types_table_is_an_error_naming_its_line(tmp_path, row: str, problem: str) -> None:
    path = _types_file(tmp_path, "CT\tChỉ thị\tChỉ thị", row)
    with pytest.raises(ValueError, match=problem) as err:
        read_doc_types(path)
    assert f"{path}:4:" in str(err.value)


def test_a_types_table_without_its_header_is_refused(tmp_path) -> None:
    path = tmp_path / "types.tsv"
    path.write_text("NQ\tNghị quyết\tNghị quyết\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        read_doc_types(path)


NFC_TEXT = (
    "Thủ tướng yêu cầu thực hiện nghiêm Nghị quyết số 18-NQ/TW, Nghị định 15/2020/NĐ-CP "
    "và Quyết định 123/QĐ-UBND; Ủy ban Thường vụ Quốc hội đã có Nghị quyết 916/NQ-UBTVQH13 "
    "(về điều chỉnh đơn vị hành chính) và Luật số 59/2020/QH14 – đều được Đảng đoàn "
    "Quốc hội cho ý kiến theo Hướng dẫn 36-HD/VPTW."
)


def test_nfd_spans_match_nfc() -> None:
    nfd = unicodedata.normalize("NFD", NFC_TEXT)
    assert nfd != NFC_TEXT
    nfc_codes, nfd_codes = find_doc_codes(NFC_TEXT), find_doc_codes(nfd)
    assert len(nfc_codes) == 6
    assert len(nfd_codes) == len(nfc_codes)
    for a, b in zip(nfc_codes, nfd_codes):
        assert nfd[b.start:b.end] == b.text
        assert unicodedata.normalize("NFC", b.text) == a.text
        assert unicodedata.normalize("NFC", nfd[:b.start]) == NFC_TEXT[:a.start]
        assert (a.kind, a.type_abbr) == (b.kind, b.type_abbr)


def test_nfd_inside_code() -> None:
    """Combining marks next to a code must neither extend it nor break its boundaries."""
    text = unicodedata.normalize(
        "NFD", "Theo 15/2020/NĐ-CP về xử phạt, 05-QĐi/TW, Thông tư 11/2021/TT-BGDĐTsẽ áp dụng."
    )
    codes = find_doc_codes(text)
    assert [c.text for c in codes] == ["15/2020/NĐ-CP", "05-QĐi/TW", "11/2021/TT-BGDĐT"]
    assert all(text[c.start:c.end] == c.text for c in codes)


# --- Property-based tests ------------------------------------------------------------------

PREFIXES = ["Theo", "Căn cứ", "Thực hiện văn bản số", "Tỉnh ủy quán triệt", "Sở đã gửi", "Ủy ban nhắc lại"]
SUFFIXES = ["của cơ quan chức năng.", "đã được triển khai.", "ngày 5/6/2019 về đầu tư.", "Hội nghị kết thúc.", ""]


@st.composite
def date_like(draw: st.DrawFn) -> str:
    d, m = draw(st.integers(1, 31)), draw(st.integers(1, 12))
    y = draw(st.integers(1945, 2035))
    a, b = draw(st.integers(0, 99)), draw(st.integers(0, 99))
    return draw(st.sampled_from([f"{d}/{m}", f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}", f"{d}-{m}-{y}",
                                 f"{a}/{b}", f"{a}-{b}", f"{y}-{y + 5}", f"{m}/{y}"]))


@settings(max_examples=examples(200), deadline=None)
@given(date_like(), st.sampled_from(PREFIXES), st.sampled_from(SUFFIXES), st.sampled_from(["", ".", ",", ")"]))
def test_dates_and_ratios_never_match(value: str, prefix: str, suffix: str, punct: str) -> None:
    assert find_doc_codes(f"{prefix} {value}{punct} {suffix}") == []


PARTY_ISSUERS = ["TW", "TU", "HU", "ĐU", "VPTW", "BTCTW", "UBKTTU", "BCSĐ", "QUTW", "ĐU-MTTW"]
STATE_ISSUERS = ["CP", "TTg", "UBND", "BNV", "BTC", "BGDĐT", "BNN-PTNT", "VPCP", "NHNN", "HĐND", "BCA-BQP"]
TERM_ISSUERS = ["QH", "UBTVQH"]
UNITS = ["VP", "TCBC", "KGVX", "ĐMDN", "TH", "QLĐTh"]
ALL_TYPES = sorted(set(PARTY_TYPES) | set(STATE_TYPES))


@st.composite
def generated_code(draw: st.DrawFn) -> tuple[str, str, str | None]:
    """A code built from the grammar's own parts: (text, kind, canonical type)."""
    num = str(draw(st.integers(1, 99999)))
    if draw(st.integers(0, 9)) == 0:
        num += draw(st.sampled_from("abc"))
    dash = draw(st.sampled_from(["-", "–", "—", "−"]))
    sp = draw(st.sampled_from(["", " "])) if draw(st.booleans()) else ""
    sp2 = draw(st.sampled_from(["", " "]))
    typ = draw(st.sampled_from(ALL_TYPES))
    year = draw(st.integers(1945, 2035))
    term = str(draw(st.integers(9, 15)))
    form = draw(st.sampled_from(["party", "state", "cong_van", "legal_type", "legal_issuer"]))
    if form == "party":
        return f"{num}{sp}{dash}{sp2}{typ}/{draw(st.sampled_from(PARTY_ISSUERS))}", "party", typ
    if form == "state":
        issuer = draw(st.sampled_from(STATE_ISSUERS + [t + term for t in TERM_ISSUERS]))
        return f"{num}/{typ}{sp}{dash}{sp2}{issuer}", "state", typ
    if form == "cong_van":
        issuer = draw(st.sampled_from([i for i in STATE_ISSUERS if "-" not in i]))
        return f"{num}/{issuer}{sp}{dash}{sp2}{draw(st.sampled_from(UNITS))}", "state", None
    if form == "legal_type":
        issuers = draw(st.lists(st.sampled_from(STATE_ISSUERS), min_size=1, max_size=3))
        return f"{num}/{year}/{typ}{sp}{dash}{sp2}{'-'.join(issuers)}", "state_legal", typ
    issuer = draw(st.sampled_from(TERM_ISSUERS)) + draw(st.sampled_from(["", term]))
    return f"{num}/{year}/{issuer}", "state_legal", None


@settings(max_examples=examples(250), deadline=None)
@given(
    generated_code(),
    st.sampled_from(PREFIXES),
    st.sampled_from(["", " số", " (", " “"]),
    st.sampled_from(["", ".", ",", ";", ":", ")", "”", '"', "!", "?"]),
    st.sampled_from(SUFFIXES),
    st.sampled_from(["NFC", "NFD"]),
)
def test_generated_codes_found_exactly(code, prefix, opener, punct, suffix, form) -> None:
    text_code, kind, abbr = code
    head = f"{prefix}{opener} " if opener in ("", " số") else f"{prefix}{opener}"
    text = unicodedata.normalize(form, f"{head}{text_code}{punct} {suffix}")
    head = unicodedata.normalize(form, head)
    found = find_doc_codes(text)
    assert len(found) == 1, (text, found)
    (m,) = found
    assert text[m.start:m.end] == m.text
    assert m.start == len(head)
    assert unicodedata.normalize("NFC", m.text) == text_code
    assert (m.kind, m.type_abbr) == (kind, abbr)
