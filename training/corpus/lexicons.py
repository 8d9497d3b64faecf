"""Word lists of the rule-based pre-annotator (training.corpus.preannotate).

Kept apart from the grammar so that annotators can extend a list without reading regular
expressions. Entries are written as in ordinary text (new-style tone placement, ``Ủy``,
``Hòa``); the grammar normalises them with ``inference.normalize`` before matching, so
``Uỷ``/``Ủy`` and NFC/NFD input all match the same entry.

Lists that are matched case-insensitively are marked so; everything else is matched as
written. The lists were tuned on ``annotations/data/train.jsonl`` only: dev and test are
for reporting.
"""

from __future__ import annotations

from inference import offices as _offices

# --- PER ------------------------------------------------------------------------------------
# Common Vietnamese family names (the first syllable of most full names).
SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trương", "Lâm", "Mai",
    "Trịnh", "Đinh", "Lưu", "Hà", "Tô", "Tạ", "Cao", "Lương", "Thái", "Châu", "Quách",
    "Phùng", "Kiều", "Chu", "Tăng", "Triệu", "Lại", "Hứa", "Mạc", "La", "Khổng", "Từ",
    "Thân", "Giang", "Doãn", "Đàm", "Lò", "Nông", "Hầu", "Lục", "Ninh", "Tống", "Cù",
    "Lã", "Diệp", "Mẫn", "Thạch", "Phí", "Khúc", "Âu", "Nghiêm", "Viên",
    "Đồng", "Kim", "Tôn", "Thích", "Khuất",
)
# Words after which a capitalised name follows: honorifics, kinship words, academic
# degrees, military and police ranks, religious honorifics. They stay outside the PER span.
HONORIFICS = (
    "ông", "bà", "Ông", "Bà", "anh", "chị", "Anh", "Chị", "em", "cụ", "Cụ", "bác", "Bác",
    "đồng chí", "Đồng chí", "ngài", "Ngài", "cô", "thầy", "Thầy", "cô giáo", "thầy giáo",
    "GS", "PGS", "TS", "ThS", "BS", "BSCKII", "BSCKI", "NCS", "KS", "ThS.BS", "TS.BS",
    "GS.TS", "PGS.TS", "GS.TSKH", "PGS.TSKH", "TSKH", "GS. TS", "PGS. TS",
    "Giáo sư", "Phó Giáo sư", "Tiến sĩ", "Thạc sĩ", "Bác sĩ", "bác sĩ", "Luật sư", "luật sư",
    "nhà báo", "Nhà báo", "nhà giáo", "Nhà giáo", "NSND", "NSƯT", "NGND", "NGƯT",
    "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá",
    "Trung tá", "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy", "Đô đốc",
    "Phó Đô đốc", "Chuẩn Đô đốc", "đại tá", "thượng tá", "trung tá", "thiếu tá",
    "Hòa thượng", "hòa thượng", "Thượng tọa", "thượng tọa", "Đại đức", "Ni sư",
    "Mr", "Mrs", "Ms", "Dr", "bạn", "Bạn", "SV", "cháu", "Cháu", "nhà văn", "Nhà văn",
    "nhà thơ", "Nhà thơ", "nghệ sĩ", "Nghệ sĩ", "nhạc sĩ", "Nhạc sĩ", "thầy giáo", "Cô giáo",
    "Tổng thống", "ca sĩ", "Ca sĩ", "họa sĩ", "Họa sĩ", "cô", "Cô",
)
# Capitalised two-word phrases that start with a family name but are places or other
# things, not people.
NOT_PERSONS = (
    "Châu Âu", "Châu Á", "Châu Phi", "Châu Mỹ", "Châu Đại Dương", "Thái Lan", "Thái Bình Dương",
    "Hoàng Sa", "Trường Sa", "Hồ Gươm", "Hồ Tây", "Lâm Đồng", "Cao Bằng", "Hà Nội", "Hà Nam",
    "Hà Tĩnh", "Hà Giang", "Hà Đông", "Thái Nguyên", "Thái Bình", "Hồ Chí Minh", "Đồng Nai",
    "Đồng Tháp", "Đồng Hới", "Hà Lan", "Văn Miếu", "Quan Hoá", "Mai Châu", "Từ Liêm",
    "Châu Đốc", "Phan Thiết", "Thạch Thất", "Mai Dịch", "Bà Rịa", "Lê Chân", "Ngô Quyền",
)
# A capitalised name right after one of these words is a place (street, district, ...).
PLACE_WORDS = (
    "đường", "Đường", "phố", "Phố", "quận", "Quận", "huyện", "Huyện", "phường", "Phường",
    "xã", "Xã", "thị xã", "Thị xã", "thị trấn", "Thị trấn", "tỉnh", "Tỉnh", "thành phố",
    "Thành phố", "TP", "TP.", "Tp", "Tp.", "thôn", "ấp", "bản", "làng", "tượng đài",
    "cầu", "sân bay", "cảng", "chợ", "hồ", "sông", "núi", "đảo", "Đại lộ", "đại lộ",
    "tuyến", "nút giao", "ngõ", "ngách", "hẻm", "trường", "Trường", "THPT", "THCS",
    "khu", "Khu", "lăng", "Lăng", "tư tưởng", "Tư tưởng", "đền", "chùa", "quảng trường",
)

# --- TITLE ----------------------------------------------------------------------------------
# Offices, matched case-insensitively (lower-case offices are TITLE too). ``Phó``/``Quyền``
# prefixes and the qualifiers below are added by the grammar, not listed here.
OFFICES = _offices.CORE_OFFICES + (
    "Trưởng Công an", "đại biểu Quốc hội", "đại biểu QH", "đại biểu HĐND", "đại biểu Hội đồng nhân dân",
)
# Offices that are TITLE only together with their body (``đại biểu`` alone is not a title).
OFFICES_WITH_BODY = _offices.OFFICES_WITH_BODY
# Written between the office and its body, and part of the TITLE (case-insensitive).
OFFICE_QUALIFIERS = _offices.OFFICE_QUALIFIERS
# Written before the office and part of the TITLE (``nguyên``, ``cựu``, ``tân`` are not).
OFFICE_PREFIXES = _offices.OFFICE_PREFIXES

# Bodies that follow an office but are not an ORG on their own.
TITLE_ONLY_BODIES = (
    "nước", "Trung ương Đảng", "Trung ương", "UBND", "HĐND", "Ủy ban nhân dân",
    "Hội đồng nhân dân", "Hội đồng quản trị", "HĐQT", "Quốc hội", "QH", "Đảng ủy",
    "Hội đồng trường", "Hội đồng Trường", "Công đoàn", "Hội đồng Bộ trưởng", "Hội đồng Nhà nước",
    "Đại biểu Quốc hội", "đại biểu Quốc hội",
)

# --- ORG ------------------------------------------------------------------------------------
# Names of specific bodies, matched as written (plus the normalised tone placement).
FIXED_ORGS = (
    "Quốc hội", "Chính phủ", "Bộ Chính trị", "Ban Bí thư", "Ủy ban Thường vụ Quốc hội",
    "UB Thường vụ Quốc hội", "UBTVQH", "Thường vụ Quốc hội", "Văn phòng Chính phủ",
    "Văn phòng Quốc hội", "Văn phòng Trung ương Đảng", "Văn phòng Chủ tịch nước",
    "Thanh tra Chính phủ", "Kiểm toán Nhà nước", "Kiểm toán nhà nước", "Mặt trận Tổ quốc Việt Nam",
    "Mặt trận Tổ quốc", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "MTTQ Việt Nam", "MTTQ",
    "UB Trung ương MTTQ Việt Nam", "Ủy ban MTTQ Việt Nam", "Ngân hàng Nhà nước", "NHNN",
    "Ngân hàng Nhà nước Việt Nam", "Ngân hàng Thế giới", "Tổng Liên đoàn Lao động Việt Nam",
    "Đảng Cộng sản Việt Nam", "Quân ủy Trung ương", "Ban Chấp hành Trung ương Đảng",
    "Ban Chấp hành Trung ương", "BCH Trung ương Đảng", "BCH Trung ương", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam",
    "Hội đồng Bầu cử Quốc gia", "Hội đồng bầu cử quốc gia", "Hội đồng Dân tộc",
    "Tòa án nhân dân tối cao", "TAND tối cao", "Viện Kiểm sát nhân dân tối cao",
    "Viện KSND tối cao", "VKSND tối cao", "Liên Hợp Quốc", "Liên hợp quốc", "LHQ",
    "Hội đồng Bảo an", "Tổ chức Y tế Thế giới", "Tổ chức Y tế thế giới", "Quỹ Tiền tệ Quốc tế",
    "Quỹ Tiền tệ quốc tế", "Liên minh châu Âu", "Ủy ban Kiểm tra Trung ương",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Trung ương Đoàn", "Công an nhân dân",
    "Quân đội nhân dân", "Quân đội nhân dân Việt Nam", "Bộ đội Biên phòng", "Ủy ban Dân tộc",
    "Thông tấn xã Việt Nam", "Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam",
    "Nhà nước Cộng hòa Xã hội chủ nghĩa Việt Nam", "Hội đồng Quốc phòng và An ninh",
    "Ủy ban Pháp luật", "Ủy ban Tư pháp", "Ủy ban Kinh tế", "Ủy ban Tài chính - Ngân sách",
    "Ủy ban Quốc phòng và An ninh", "Ủy ban Văn hóa, Giáo dục", "Ủy ban Xã hội",
    "Ủy ban Khoa học, Công nghệ và Môi trường", "Ủy ban Đối ngoại", "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp",
    "Ủy ban Quản lý vốn Nhà nước tại doanh nghiệp", "Ban Công tác đại biểu",
    "Thường trực Chính phủ", "Ban Giám hiệu", "Ban giám hiệu", "BGH", "Hội đồng trường",
    "Hội đồng Trường", "Ban Giám đốc", "Ban giám đốc", "Ban Thường vụ", "Đảng ủy", "Thành ủy",
    "Tỉnh ủy", "Ban Chấp hành Trung ương Đảng khóa", "Ban chấp hành Trung ương Đảng",
    "Ban chấp hành Trung ương", "Ban chấp hành Trung ương Đảng Cộng sản Việt Nam",
    "Ban chấp hành Trung ương Đảng cộng sản Việt Nam", "Bộ Tư lệnh Thủ đô",
    "Cảnh sát nhân dân", "Bộ Công an", "Bộ Quốc phòng", "Ban Kiểm soát",
)
# Standalone names (agencies, media, companies, international bodies): matched as written,
# on word boundaries.
NAMED_ORGS = (
    "ASEAN", "WHO", "WTO", "IMF", "EU", "NATO", "APEC", "UNESCO", "UNICEF", "UNDP", "OECD",
    "TTXVN", "VGP", "VTV", "VOV", "Reuters", "AFP", "AP", "CNN", "BBC", "Bloomberg", "CNA",
    "Xinhua", "Tân Hoa xã", "Dân trí", "Facebook", "Google", "Apple", "YouTube", "Microsoft",
    "Amazon", "Samsung", "Viettel", "VNPT", "Mobifone", "MobiFone", "Vinaphone",
    "VinaPhone", "Vietcombank", "VietinBank", "Vietinbank", "BIDV", "Agribank",
    "Eximbank", "Techcombank", "Sacombank", "VPBank", "MB", "Vingroup", "Vinamilk", "EVN",
    "PVN", "Petrolimex", "Vietnam Airlines", "Vietjet", "Vietjet Air", "Bamboo Airways",
    "Pacific Airlines", "ACV", "VNR", "Habeco", "Sabeco", "FPT", "Qualcomm", "Pfizer",
    "AstraZeneca", "Moderna", "Covax", "HĐQT", "Bộ Chỉ huy Quân sự", "VCCI", "VKSND",
    "TAND", "CDC", "KBNN", "UBKT",
)
# Ministry (Bộ) and department (Sở) names, with their usual abbreviations; matched
# case-insensitively after ``Bộ``/``Sở``/``Phòng`` (or bare after a minister's office).
MINISTRIES = (
    "Y tế", "Tài chính", "Công an", "Quốc phòng", "Ngoại giao", "Nội vụ", "Tư pháp",
    "Xây dựng", "Công Thương", "Giáo dục và Đào tạo", "Giáo dục & Đào tạo", "Giáo dục - Đào tạo",
    "Giáo dục", "GD&ĐT", "GD-ĐT", "GDĐT", "GD và ĐT", "Kế hoạch và Đầu tư", "KH&ĐT", "KH-ĐT",
    "KHĐT", "Giao thông vận tải", "Giao thông - Vận tải", "GTVT", "GT-VT",
    "Lao động - Thương binh và Xã hội", "Lao động, Thương binh và Xã hội", "LĐ-TB&XH",
    "LĐTB&XH", "LĐTBXH", "Tài nguyên và Môi trường", "Tài nguyên - Môi trường", "TN&MT",
    "TN-MT", "TNMT", "Khoa học và Công nghệ", "Khoa học - Công nghệ", "Khoa học & Công nghệ",
    "KH&CN", "KHCN", "KH-CN", "Văn hóa, Thể thao và Du lịch", "Văn hóa - Thể thao và Du lịch",
    "VHTT&DL", "VH-TT&DL", "VHTTDL", "Thông tin và Truyền thông", "Thông tin - Truyền thông",
    "TT&TT", "TTTT", "Nông nghiệp và Phát triển nông thôn", "NN&PTNT", "NNPTNT",
    "Văn hóa và Thể thao", "VH&TT", "Du lịch", "Ngoại vụ", "Quy hoạch - Kiến trúc",
    "Kế hoạch - Đầu tư", "Công thương", "Giáo dục - đào tạo", "Giáo dục và đào tạo",
    "Tài nguyên và môi trường", "Giao thông Vận tải", "Nội Vụ",
)
# Central Party boards: ``Ban <name> Trung ương``.
CENTRAL_BOARDS = ("Tổ chức", "Tuyên giáo", "Kinh tế", "Nội chính", "Dân vận", "Đối ngoại")
# Party committees named by their level; a locality may follow.
PARTY_COMMITTEES = ("Thành ủy", "Tỉnh ủy", "Quận ủy", "Huyện ủy", "Thị ủy", "Đảng ủy", "Đảng bộ", "Tỉnh Đoàn", "Thành Đoàn")
# Bodies of a committee or council written before it (``Ban Thường vụ Tỉnh ủy``).
COMMITTEE_ORGANS = (
    "Ban Thường vụ", "Thường trực", "Thường vụ", "Ban Chấp hành", "BCH", "Ủy ban Kiểm tra",
    "UBKT", "Ban Tuyên giáo", "Ban Tổ chức", "Ban Dân vận", "Ban Nội chính",
)
# Local councils and the like: ``UBND tỉnh Nghệ An``.
COUNCILS = (
    "UBND", "HĐND", "Ủy ban nhân dân", "Hội đồng nhân dân", "UB MTTQ", "UBMTTQ",
    "Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc", "Ủy ban MTTQ Việt Nam", "UBMTTQVN",
    "Tòa án nhân dân", "TAND", "Viện Kiểm sát nhân dân", "VKSND",
    "Bộ Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng", "Kho bạc Nhà nước", "KBNN",
    "Thanh tra", "Đoàn đại biểu Quốc hội", "Trung tâm Y tế", "Trung tâm Kiểm soát bệnh tật",
    "Cục Thuế", "Cục Hải quan", "Hải quan", "Văn phòng Đăng ký đất đai", "Ban Chỉ đạo",
    "Ủy ban bầu cử", "Ủy ban Bầu cử", "Hội Khuyến học", "Hội Nông dân", "Hội Cựu chiến binh",
    "Hội Liên hiệp Phụ nữ", "Đảng ủy Quân sự", "Bộ CHQS", "Ban CHQS", "Ban Chỉ huy Quân sự",
)
# Heads of named institutions; the name that follows is capitalised (``Bệnh viện Bạch Mai``).
INSTITUTION_HEADS = (
    "Tập đoàn", "Tổng công ty", "Tổng Công ty", "Công ty", "Ngân hàng", "Học viện",
    "Đại học", "ĐH", "Trường", "trường", "Bệnh viện", "bệnh viện", "Viện", "Trung tâm",
    "Cục", "Tổng cục", "Vụ", "Hội", "Hiệp hội", "Liên đoàn", "Ủy ban", "UB", "Ban",
    "Văn phòng", "Phòng", "Hội đồng", "Báo", "Đài", "Nhà xuất bản", "Quỹ", "Tổ chức",
    "Đảng", "Bộ Tư lệnh", "Quân khu", "Quân đoàn", "Sư đoàn", "Đồn Biên phòng",
    "Cảng vụ", "Tiểu ban", "Đoàn", "Liên minh", "Câu lạc bộ", "Khoa", "Cơ quan",
    "Tập đoàn", "tập đoàn", "công ty", "ngân hàng", "học viện", "Đoàn Luật sư", "Đoàn luật sư",
    "đại học", "ĐHQG", "ĐH Quốc gia", "Đại học Quốc gia",
)
# Kinds of school or hospital written between the head and the name (case-insensitive).
INSTITUTION_KINDS = (
    "Đại học", "ĐH", "Cao đẳng", "CĐ", "THPT", "THCS", "TH&THCS", "THCS&THPT", "Tiểu học",
    "Mầm non", "Trung cấp", "Trung cấp nghề", "Cao đẳng nghề", "Trung học", "Trung học cơ sở",
    "Trung học phổ thông", "Phổ thông", "PTTH", "đa khoa", "Đa khoa", "đa khoa khu vực",
    "Hữu nghị đa khoa", "Nhi", "Phụ sản", "TMCP", "CP", "TNHH", "Cổ phần", "cổ phần",
    "Sư phạm", "Quốc tế", "Dân lập", "Chuyên",
)
# Lower-case words that never continue an institution's name (they start the predicate).
FUNCTION_WORDS = (
    "cho", "đã", "là", "của", "được", "có", "đang", "sẽ", "với", "tại", "về", "để", "trong",
    "này", "đó", "năm", "ngày", "tháng", "cũng", "vừa", "các", "những", "một",
    "khi", "sau", "trước", "theo", "từ", "đến", "ra", "vào", "lên", "nên", "thì", "mà", "do",
    "bị", "nhưng", "hay", "hoặc", "như", "người", "ông", "bà", "anh", "chị", "đây", "nay",
    "hôm", "sáng", "chiều", "tối", "trưa", "cùng", "vẫn", "đều", "chỉ", "rất", "nhằm",
    "vừa", "thuộc", "gồm", "phải", "cần", "kiêm", "và", "hoặc", "ở", "đi", "qua", "trên",
    "dưới", "giữa", "nhiều", "đầu", "cuối", "mới", "cũ", "lần", "khóa", "nhiệm", "kỳ",
    "biết", "làm", "xin", "nói", "họp", "nhận", "đề", "yêu", "vì", "dự", "xem", "tham",
    "kết", "tặng", "phối", "khoảng", "tới", "tạm", "diễn", "xác", "nhìn", "thẩm",
    "đàm", "cấp", "thông báo", "tổ chức", "triển", "ban", "quyết", "đánh", "chỉ đạo",
    "hướng", "tiến", "thu", "hỗ", "trao", "ký", "mở", "đưa", "đón", "gặp", "thăm", "tiễn",
)

# --- Places ---------------------------------------------------------------------------------
# The 63 provinces and centrally-run cities, and common alternative spellings.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu",
    "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Thừa Thiên - Huế", "Hồ Chí Minh", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Huế", "Sài Gòn",
    "Sài Gòn - Gia Định", "HCM", "TPHCM", "TP.HCM", "TP HCM", "TP. HCM", "TP.Hồ Chí Minh",
    "Thủ Đức", "Phú Quốc",
)
# Kinds of administrative unit written before a place name (``tỉnh Nghệ An``, ``TP Vinh``).
LOCALITY_KINDS = (
    "tỉnh", "Tỉnh", "thành phố", "Thành phố", "TP", "TP.", "Tp", "Tp.", "quận", "Quận",
    "huyện", "Huyện", "thị xã", "Thị xã", "xã", "Xã", "phường", "Phường", "thị trấn",
    "Thị trấn", "thôn", "bản",
)
# Countries: a foreign office takes its country (``Thủ tướng Singapore``).
COUNTRIES = (
    "Việt Nam", "Mỹ", "Hoa Kỳ", "Trung Quốc", "Nhật Bản", "Hàn Quốc", "Triều Tiên", "Nga",
    "Pháp", "Đức", "Anh", "Ấn Độ", "Singapore", "Lào", "Campuchia", "Thái Lan", "Úc",
    "Australia", "Cuba", "Canada", "Indonesia", "Malaysia", "Philippines", "Myanmar",
    "Brunei", "Italy", "Italia", "Tây Ban Nha", "Israel", "Iran", "Iraq", "Ukraine",
    "New Zealand", "Hà Lan", "Bỉ", "Thụy Điển", "Thụy Sĩ", "Na Uy", "Phần Lan", "Ba Lan",
    "Séc", "Hungary", "Brazil", "Argentina", "Mexico", "Chile", "Venezuela", "Ai Cập",
    "Nam Phi", "Thổ Nhĩ Kỳ", "Saudi Arabia", "Qatar", "Đài Loan", "Mông Cổ", "Belarus",
    "Kazakhstan", "Pakistan", "Bangladesh", "Sri Lanka", "Nepal", "Đông Timor", "Timor-Leste",
)

# --- Grammar details ------------------------------------------------------------------------
# Words that end an institution's name because they start another body ("Phòng GD&ĐT và
# UBND huyện", "Cơ quan Cảnh sát điều tra - Công an huyện").
NAME_BREAKERS = ("UBND", "HĐND", "Trường", "trường", "Sở", "Công an", "Ủy ban nhân dân", "Hội đồng nhân dân")
# Heads of bodies that are often named in lower case after an office.
LOWERCASE_BODY_HEADS = (
    "Hội đồng", "Ban", "Phòng", "Tổ", "Viện", "Khoa", "Học viện", "Bệnh viện", "Trung tâm",
    "Văn phòng", "Chi bộ", "Công ty", "Tập đoàn", "Trường", "Đại học", "Hội", "Bộ môn",
    "Cục", "Tổng cục", "Vụ", "Ngân hàng",
)
# A body named only by its head after an office ("Giám đốc Sở", "Phó Chánh Thanh tra Bộ").
BARE_BODY_HEADS = LOWERCASE_BODY_HEADS + ("Sở", "Bộ", "Đảng ủy")
# Bodies after an office that make no title: a position held by a country (GUIDELINES §5).
NOT_TITLE_BODIES = ("ASEAN", "APEC", "ASEM", "G20", "G7")
# Capitalised phrases the institution pattern would take for a body.
NOT_ORGS = (
    "Trường Sa", "Hội An", "Trường Chinh", "Khoa học", "Đoàn Thị", "Hội Nhập", "Ban Chỉ đạo",
    "Ban chỉ đạo", "Ban Tổ chức", "Ban tổ chức",
)
# Governing bodies of an institution, written directly before it: one ORG
# ("Ban Giám hiệu Trường Cao đẳng Thái Nguyên", "Hội đồng Trường ĐH Bách khoa Hà Nội").
GOVERNING_BODIES = (
    "Ban Giám hiệu", "Ban giám hiệu", "BGH", "Hội đồng trường", "Hội đồng Trường", "Ban Giám đốc",
    "Ban giám đốc", "Đảng ủy", "HĐQT", "Hội đồng quản trị", "Ban Kiểm soát", "Công đoàn",
)
# Capitalised words after a title that start no name.
NOT_NAME_STARTS = (
    "Bộ", "Sở", "Ban", "Hội", "Trường", "Viện", "Học", "Trung", "Đảng", "Nhà", "Ủy", "Văn",
    "Cục", "Vụ", "Tổng", "Công", "Thành", "Tỉnh", "Quận", "Huyện", "Phòng", "Ngân", "Tập",
    "Bệnh", "Đại", "Quốc", "Chính", "Thường", "Thứ", "Phó", "Chủ", "Bí", "Giám", "Tòa",
    "Đoàn", "Liên", "Mặt", "Kho", "Tài", "Y", "Giáo", "Khoa", "Nội", "Ngoại", "Tư", "Xây",
    "Kế", "Lao", "Giao", "Thông", "Nông", "Du", "Cảnh", "Kiểm", "Thanh", "Hiệp", "UB",
    "Trưởng", "Người", "Theo", "Tại", "Trong", "Sau", "Khi", "Với", "Về", "Các", "Những",
    "Tết", "Đêm", "Ngày", "Năm", "Thị", "Xin", "Cảm", "Hiện", "Đây", "Ông", "Bà",
)
# ``Trung ương`` after these words is a level, not the central leadership acting.
NOT_CENTRAL_BEFORE = ("từ", "cấp", "ở", "tuyến", "các cơ quan", "thuộc", "trực thuộc", "Ban Chấp hành", "BCH", "Ủy viên", "Bí thư", "đại biểu", "Hội nghị", "Ban chấp hành", "Quân ủy", "Ban", "Tuyên giáo", "Tổ chức", "Kinh tế", "Nội chính", "Dân vận", "Đối ngoại", "bệnh viện", "Bệnh viện", "Viện", "Hội đồng")
