"""Offices, honorifics and body heads for pairing office-holders (``inference.holders``).

The ``inference`` package must not import ``training``, so the few word lists the linker
needs are kept here, torch-free. Most entries are copied from
``training/corpus/lexicons.py`` (the pre-annotator's lists); the comment above each table
says which list, and what was added or left out. Entries are written as in ordinary text
(``Ủy``, ``Hòa``); ``inference.holders`` canonicalises them (NFC, old-style tone placement,
lower case) before matching, so ``Uỷ``/``Ủy`` and NFC/NFD input match the same entry.
"""

from __future__ import annotations

# Offices (positions) named alone, as the pre-annotator and the linker both read them. The
# pre-annotator (training/corpus/lexicons.py) adds a few that include their body; the linker
# splits the body off instead.
CORE_OFFICES = (
    "Bí thư", "Tổng Bí thư", "Chủ tịch", "Thủ tướng", "Bộ trưởng", "Thứ trưởng",
    "Giám đốc", "Tổng Giám đốc", "GĐ", "TGĐ", "Trưởng ban", "Ủy viên", "Đảng ủy viên",
    "Chánh án", "Viện trưởng", "Chủ nhiệm", "Tổng cục trưởng", "Cục trưởng", "Vụ trưởng",
    "Hiệu trưởng", "Chánh Thanh tra", "Chánh Văn phòng", "Tổng Thư ký", "Trưởng phòng",
    "Trưởng khoa", "Tổng Biên tập", "Thống đốc", "Tổng thống", "Ngoại trưởng", "Đại sứ",
    "Người phát ngôn", "Phát ngôn viên", "Tư lệnh", "Chính ủy", "Tổng Kiểm toán",
    "Thẩm phán", "Quốc vương", "Thượng nghị sĩ", "Hạ nghị sĩ", "Nghị sĩ", "Tổng lãnh sự",
    "Kiểm sát viên", "Trưởng thôn", "Đồn trưởng", "Chủ tịch nước",
    "Quốc vụ khanh", "Trưởng bộ môn", "Cố vấn", "Tổng Tham mưu trưởng", "Trưởng đại diện",
    "Thường trực Ban Bí thư",
)
# Offices that are a TITLE only together with their body (``Trưởng`` alone is not a title).
OFFICES_WITH_BODY = ("Thành viên", "Phó Ban", "Tổ trưởng", "Trưởng đoàn", "Thư ký", "Trưởng", "Phó phòng")
# Offices matched case-insensitively at the start of a TITLE span (longest entry wins) by
# the linker: all of the above, plus "đại biểu" (the body of "đại biểu Quốc hội" is split
# off) and a few the linker met in the corpus.
OFFICES = CORE_OFFICES + OFFICES_WITH_BODY + ("đại biểu", "Tham mưu trưởng", "Thủ hiến", "UV", "UVTƯ", "UVTW")

# Offices that end in the head noun of their body ("Trưởng Ban Tổ chức Thành ủy" is
# "Trưởng" of "Ban Tổ chức Thành ủy"): when a body follows that does not repeat the noun,
# the noun goes to the body. ("Trưởng phòng Phòng, chống tệ nạn xã hội" keeps it.)
# Written for this module.
HEAD_NOUN_OFFICES = {
    "Trưởng ban": "ban", "Trưởng phòng": "phòng", "Trưởng khoa": "khoa", "Phó Ban": "ban",
    "Phó phòng": "phòng", "Trưởng bộ môn": "bộ môn", "Trưởng đoàn": "đoàn",
    "Chánh Văn phòng": "văn phòng", "Chánh Thanh tra": "thanh tra",
}

# Written before the office and part of it. Copied from lexicons.OFFICE_PREFIXES.
OFFICE_PREFIXES = ("Phó", "Quyền", "Quyền Phó")

# Written between the office and its body, and part of the office.
# Copied from lexicons.OFFICE_QUALIFIERS.
OFFICE_QUALIFIERS = ("Thường trực", "Thứ nhất", "chuyên trách", "phụ trách", "dự khuyết", "điều hành")
# The linker's qualifiers: the above plus "danh dự" (honorary: "Chủ tịch danh dự" has no body
# "danh dự"). Kept apart because the pre-annotator (training/corpus/lexicons.py) reads
# OFFICE_QUALIFIERS.
LINKER_QUALIFIERS = OFFICE_QUALIFIERS + ("danh dự",)

# Written right before a TITLE and kept outside it (GUIDELINES §2): the record's modifier
# ("cố", the late, added for the linker).
MODIFIERS = ("nguyên", "tân", "cựu", "cố")

# Honorifics, degrees, ranks and religious titles written between an office and a name
# ("Chủ tịch UBND tỉnh, ông Nguyễn Văn A", "Thứ trưởng ... PGS.TS Nguyễn Văn B").
# Copied from lexicons.HONORIFICS, minus its upper-case duplicates (matching here is
# case-insensitive), "Tổng thống" (an office), "bạn"/"em"/"cháu"/"SV" (never between an
# office and its holder) and the degree abbreviations, which DEGREES below matches in any
# dotted combination ("GS.TS", "TS.BS", "PGS. TS", "TS.").
HONORIFICS = (
    "ông", "bà", "anh", "chị", "cụ", "bác", "đồng chí", "ngài", "cô", "thầy",
    "cô giáo", "thầy giáo", "Giáo sư", "Phó Giáo sư", "Tiến sĩ", "Thạc sĩ", "Bác sĩ",
    "Luật sư", "nhà báo", "nhà giáo", "NSND", "NSƯT", "NGND", "NGƯT",
    "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá",
    "Trung tá", "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy", "Đô đốc",
    "Phó Đô đốc", "Chuẩn Đô đốc", "Hòa thượng", "Thượng tọa", "Đại đức", "Ni sư",
    "Mr", "Mrs", "Ms", "Dr", "nhà văn", "nhà thơ", "nghệ sĩ", "nhạc sĩ", "ca sĩ", "họa sĩ",
    # added here
    "Bác sĩ y khoa", "doanh nhân", "nữ doanh nhân",
)
# Degree abbreviations (lexicons.HONORIFICS: GS, PGS, TS, ThS, BS, BSCKI/II, NCS, KS, TSKH;
# CN and LS added here).
DEGREES = ("GS", "PGS", "TS", "ThS", "BS", "BSCKI", "BSCKII", "NCS", "KS", "TSKH", "CN", "LS")

# Heads of the bodies a bare office can take from the document's dominant body
# ("Bộ trưởng Nguyễn Văn Thể" in an article about "Bộ GTVT"). An office absent from this
# table (Thủ tướng, Tổng Bí thư, Chủ tịch nước, Tổng thống, ...) never takes one. Keys are
# offices without Phó/Quyền; values are how a compatible ORG starts (case-insensitive).
# Written for this module (derived from lexicons.PARTY_COMMITTEES, COUNCILS and
# INSTITUTION_HEADS, not copied).
DOCUMENT_BODY_HEADS = {
    "Bộ trưởng": ("Bộ ",),
    "Thứ trưởng": ("Bộ ",),
    "Bí thư": ("Thành ủy", "Tỉnh ủy", "Quận ủy", "Huyện ủy", "Thị ủy", "Đảng ủy", "Chi bộ",
               "Đảng bộ", "Đảng đoàn", "Ban cán sự"),
    "Chủ tịch": ("UBND", "HĐND", "Ủy ban nhân dân", "Hội đồng nhân dân", "HĐQT",
                 "Hội đồng", "Hội ", "Hiệp hội", "Tập đoàn", "Công ty", "Tổng công ty",
                 "Ngân hàng", "Liên đoàn"),
    "Giám đốc": ("Sở ", "Công ty", "Cty", "Tập đoàn", "Tổng công ty", "Bệnh viện", "Trung tâm",
                 "Ngân hàng", "Đại học", "Học viện", "Kho bạc", "Công an", "Ban Quản lý"),
    "GĐ": ("Sở ", "Công ty", "Cty", "Bệnh viện", "Trung tâm", "Ngân hàng"),
    "Tổng Giám đốc": ("Công ty", "Cty", "Tập đoàn", "Tổng công ty", "Ngân hàng"),
    "Hiệu trưởng": ("Trường", "Đại học", "ĐH", "Học viện"),
    "Viện trưởng": ("Viện",),
    "Cục trưởng": ("Cục",),
    "Tổng cục trưởng": ("Tổng cục",),
    "Vụ trưởng": ("Vụ ",),
    "Chánh án": ("Tòa án", "TAND"),
    "Tổng Biên tập": ("Báo ", "Tạp chí"),
    "Chủ nhiệm": ("Ủy ban", "UB ", "Văn phòng"),
    "Thành viên": ("HĐQT", "Hội đồng quản trị"),
}
# ORGs that start like a compatible body but are not one ("Bộ Chính trị" is no ministry).
NOT_DOCUMENT_BODIES = ("Bộ Chính trị", "Bộ Tư lệnh", "Bộ đội", "Bộ Chỉ huy", "Hội nghị")
