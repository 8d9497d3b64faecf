"""Who holds which office: pair persons (PER) with their positions (TITLE).

``tag()`` returns a flat list of entities; the analyst's question is *who holds which
position in which body, citing which resolution*. ``find_holders(text, entities)`` answers
it from any entities with ``text, label, start, end`` (and optionally ``score``) whose
offsets index ``text``: the tagger's output, gold spans, or anything else. It needs no
model and never imports torch or ``training``.

Each record (``Holder``) pairs one TITLE with one PER the text says holds it, within one
sentence (``inference.segment.split_sentences``, never cutting an entity; a title listed
with several holders gives one record each), and adds:

- ``office`` and ``body``: the TITLE split into the office and the body written inside it
  (``Bí thư`` + ``Thành ủy Hà Nội``, ``Phó Chủ tịch Thường trực`` + ``UBND thành phố``,
  ``Bộ trưởng`` + ``Bộ Y tế``, ``Ủy viên`` + ``Bộ Chính trị``); an office written alone
  (``Thủ tướng``, ``Bí thư``) takes its body from an ORG right after it
  (``Chủ tịch của Tập đoàn X``, ``Giám đốc, Công ty X``: ``body_source="following_org"``) or
  else, for offices that belong to a kind of body (a minister to a ``Bộ``, a principal to a
  school: ``offices.DOCUMENT_BODY_HEADS``), from the document's dominant body of that kind
  (the compatible ORG mentioned most often, at least twice, strictly more often than any
  other: ``body_source="document"``). ``Thủ tướng``, ``Tổng Bí thư``, ``Chủ tịch nước`` and
  foreign offices never take a document body.
- ``modifier``: ``nguyên`` / ``tân`` / ``cựu`` / ``cố`` written right before the TITLE.
- ``documents``: the DOC codes cited in the same sentence.
- ``person``: the name as written, or, for a short reference (``ông Hiển``, PER ``Hiển``),
  the full name mentioned in the document whose last one or two syllables it is (the
  nearest earlier mention, else the first later one); ``resolved_from`` then holds the
  short form and ``resolved_span`` the full mention. ``person_span`` is always the mention
  in this sentence.
- ``evidence``: which pattern fired.

Patterns (Vietnamese political writing), with X a PER and T a TITLE:

- title before name: ``T X`` (``Bí thư Thành ủy Hà Nội Bùi Thị Minh Hoài``), with honorifics,
  degrees or ranks between (``T đồng chí X``, ``T PGS.TS X``, ``T Thượng tướng X``), a short
  bracket (``T (LĐ-TB&XH) X``; ``T (ORG) X``, whose ORG is the body of a bare office), or a
  comma and an honorific (``Chủ tịch UBND tỉnh, ông Nguyễn Văn A``); a dash, with or without
  an honorific (``Chủ tịch Tập đoàn LG - ông X``); a comma alone only after a title written
  with its body, outside a fronted clause or prepositional phrase (``Theo T, X ...``,
  ``Sau khi gặp T, X ...``), not as a verb's object (``do A làm Chủ tịch, B ...``), when X
  has no title of its own after it, and, for a title inside a clause, when X closes the
  clause (``chỉ trích Chủ tịch Real Madrid, Florentino Perez.``, not ``Trả lời T, X cho
  biết``);
- a plural title before several names: ``2 Phó Chủ tịch nước A và B``, ``các Phó Thủ tướng
  A, B, C`` (one record per name; without the numeral or ``các``/``những`` only A);
- name then title: ``X, T``, ``X - T``, ``X (T)``, ``X (Sinh năm 1970), T``, ``X (bên trái),
  T`` (a caption), ``X: T``, ``X nguyên T``, ``X - cố T -``,
  and copular, appointment or leaving verbs: ``X là T``, ``X, người hiện là T``, ``X giữ chức
  T``, ``X giữ vị trí T``, ``X được bổ nhiệm làm T``, ``X được bổ nhiệm vào vị trí T``, ``X
  được giao T``, ``X trở thành T``, ``X nhậm chức T``, ``X nhận nhiệm vụ T``, ``X với chức vụ
  T``, ``X thôi chức T``, ``X từ chức T``, ``X bị cách chức T``, ``X được Quốc hội bầu làm
  T``, and a passive whose agent is written in words (``X được Đảng, Nhà nước giao nhiệm vụ
  là T``, ``X được 93% thành viên có mặt bầu giữ chức T``: at most 60 characters, no
  sentence or bracket punctuation); names coordinated before such a verb all hold the title
  (``ông A và ông B với vai trò là T``; a name's own title between is stepped over:
  ``nguyên Bộ trưởng A và tân Bộ trưởng B ký biên bản chuyển giao nhiệm vụ T`` links both);
  ``giao``, ``miễn nhiệm`` and ``cách chức`` without ``được``/``bị`` are active (``X giao Bộ
  trưởng ...``) and link nothing;
- the subject of a role phrase further away: ``Ông X có 18 năm kinh nghiệm tại O với các vị
  trí T1, T2``, ``X, sau khi nghỉ hưu với chức vụ T``, ``ông X trực tiếp điều hành và giữ
  chức vụ T``: the nearest PER before the title with only ORG/DOC entities between, which
  starts its clause (only honorifics after the sentence start or a comma, or its own title
  before it), at most 100 characters before the title, with no verb of appointing, meeting,
  succeeding or speaking and no noun for another person between (``Ông X đề nghị bổ nhiệm
  người với chức vụ T`` links nothing); it yields to every other pattern;
- a title named by a role noun: ``chức danh T đối với ông X``, ``chức vụ T của ông X``,
  ``Quyết định công nhận T tới PGS.TS X``, ``chuyển giao nhiệm vụ T cho ông X``;
- a listed office: ``3 thành viên HĐQT (2015-2020) gồm: ông A, bà B và ông C`` (one record
  per name); Wikipedia's ``T: X`` and ``Các T: A, B`` (also ``T: A (1961), B (1961-1962)``);
  ``T là ông A``, ``T hiện là A``, ``T, hiện nay là A``; ``O do X làm T`` and ``O, trưởng ban
  là A, phó ban là B`` give a bare office the ORG O as its body;
- coordinated titles share their holder: ``X - T1, T2`` and ``T1, T2 X`` and ``T1 - T2 X`` and
  ``X, T1 kiêm T2`` and ``X, T1 (nguyên T2)`` and ``X: T1 (1991), T2 (1991-2003)`` give one
  record per title (``và`` coordinates only after the name: ``Chủ tịch và Phó Chủ tịch X``
  are two people; nor does the comma that closes ``Theo đề nghị của T1, T2 X ký``); ranks
  between them (``T1, Đại tướng, T2``) are skipped, and so is an ORG attached to the
  previous title (``X, T1 của Quốc hội, T2``);
- ``T ORG X`` (``Thượng nghị sĩ Đảng Lao động X``): the ORG is the title's body;
- a TITLE written right after another TITLE with no comma qualifies it
  (``Thư ký nguyên Phó Chủ tịch Quốc hội``: the secretary *of* the vice-chair): it is not
  given the first title's holder;
- a PER in brackets right after another PER is an alias of it (``Lương Văn Cường (Lương
  Cường - Sinh năm 1957), T``): the record goes to the first name.

Not links: a negated title (``không phải là Ủy viên Bộ Chính trị: A, B``) gives no title-first
record, and a title that names someone's relative or aide (``con trai Chủ tịch X là Y``, ``vợ
ông Giám đốc: Y``) gives none through ``là``, a colon, a dash or a comma.

When several readings compete, ``T: X`` and ``T là X`` go to that X (so a list run together
on one line, ``Chủ tịch danh dự: A:Chủ tịch: B:Tổng Thư ký: C``, pairs each name with the
title before it, not the one after); a title directly followed by a name (no comma, or a
short bracket) goes to that name unless it is coordinated with an earlier title; otherwise a
name before it (through the patterns above) wins over one after it, and the far subject of
a role phrase comes last.

**A TITLE with no holder in its sentence** (``Bí thư Thành ủy yêu cầu…``, ``trình Thủ
tướng``) gives no record by default: the analyst asks *who* holds *what*, and a record
without a person answers neither; guessing the holder from elsewhere in the document
would be wrong whenever two people hold the same office in one article. With
``include_unlinked=True`` such titles come back as records with ``person=None`` (and
``evidence="no holder in the sentence"``), so that a caller can count them; scoring
(``training.links``) ignores records without a person, so the choice is measurable.
Links across sentences are never made (short-reference resolution aside).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Protocol, Sequence

from inference import offices as _lex
from inference.normalize import normalize
from inference.scheme import LABELS
from inference.segment import split_sentences

__all__ = ["EntityLike", "Holder", "OfficeSplit", "find_holders", "split_office"]


class EntityLike(Protocol):
    """What ``find_holders`` needs of an entity (``inference.Entity`` qualifies)."""

    @property
    def text(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


Span = tuple[int, int]


@dataclass
class Holder:
    """One person holding (or having held) one office. Spans index the caller's text."""

    person: str | None
    person_span: Span | None
    title: str
    office: str
    body: str | None
    title_span: Span
    body_source: str | None  # "title" | "following_org" | "document" | None
    modifier: str | None  # "nguyên" | "tân" | "cựu" | "cố" | None
    sentence_span: Span
    documents: list[str] = field(default_factory=list)
    evidence: str = ""
    office_span: Span | None = None
    body_span: Span | None = None  # inside the title, the following ORG, or the document's ORG mention
    resolved_from: str | None = None  # the short reference as written, when person was resolved
    resolved_span: Span | None = None  # the full-name mention it was resolved to
    document_spans: list[Span] = field(default_factory=list)
    score: float | None = None  # min of the PER and TITLE scores, when the entities carry one

    def to_json(self) -> dict:
        def span(s):
            return list(s) if s is not None else None

        return {
            "person": self.person,
            "person_span": span(self.person_span),
            "title": self.title,
            "office": self.office,
            "body": self.body,
            "title_span": span(self.title_span),
            "office_span": span(self.office_span),
            "body_span": span(self.body_span),
            "body_source": self.body_source,
            "modifier": self.modifier,
            "sentence_span": span(self.sentence_span),
            "documents": list(self.documents),
            "document_spans": [list(s) for s in self.document_spans],
            "evidence": self.evidence,
            "resolved_from": self.resolved_from,
            "resolved_span": span(self.resolved_span),
            "score": self.score,
        }


# --- canonical forms ---------------------------------------------------------------------


def _canon(s: str) -> str:
    """NFC, old-style tone placement, plain single spaces, lower case: for matching only."""
    return re.sub(r"\s+", " ", normalize(s).text).lower()


def _alt(words: Iterable[str]) -> str:
    forms = {re.escape(_canon(w)).replace(r"\ ", r"\s+") for w in words}
    return "|".join(sorted(forms, key=len, reverse=True))


_DASH = r"[-–—‒−]"
_MOD = rf"(?:{_alt(_lex.MODIFIERS)})"
_DEG = f"(?:{_alt(_lex.DEGREES)})"
_HONOR = (
    rf"(?:(?<!\w)(?:{_alt(_lex.HONORIFICS)})(?!\w)\.?"
    rf"|(?<!\w){_DEG}(?:\s*\.\s*{_DEG})*(?!\w)\.?)"
)
_HONORS = rf"(?:{_HONOR}\s*)+"
_BIRTH = rf"(?:\(?\s*(?:{_DASH}\s*)?(?:sinh năm|sinh|sn)\b[^(),]*\)?\s*)"
# a photo caption's position note after a name: "A (bên trái), T", "A (thứ hai từ phải), T"
_CAPTION = r"(?:\(\s*(?:bên\s+|ngoài cùng\s+|đứng\s+|ngồi\s+|thứ\s+\w+\s+từ\s+)*(?:trái|phải|giữa)[^()]{0,20}\)\s*)"
# a bracket of dates or a term after a title or a name: "T1 (1991), T2 (1991-2003)",
# "T (khóa XII), T2", "T: A (1961), B (1961-1962)"
_DATES = r"(?:\((?=[^()]*(?:\d|khoá))[^()]{0,40}\)\s*)"
_ADV = (
    "hiện nay|hiện đang|hiện|đang|vẫn|cũng|tiếp tục|tạm thời|trở lại|được|sẽ|đã|vừa|lại|"
    "từng|chính thức|tham gia|nay|sau đó|đồng thời|điều động|luân chuyển|phê chuẩn|tín nhiệm|"
    "cùng|bị|mới"
)
_VERB = (
    "với cương vị là|với cương vị|trên cương vị|với tư cách là|với tư cách|với vai trò là|"
    "với vai trò|với các chức vụ|với chức vụ|với chức danh|với các vị trí|với vị trí|"
    "bổ nhiệm giữ chức vụ|bổ nhiệm giữ chức danh|bổ nhiệm giữ chức|bổ nhiệm làm|"
    "bổ nhiệm vào vị trí|bổ nhiệm vào chức vụ|bổ nhiệm vào chức|bổ nhiệm lại|bổ nhiệm|"
    "bầu giữ chức vụ|bầu giữ chức danh|bầu giữ chức|bầu làm|bầu vào vị trí|bầu lại|tái đắc cử|"
    "đắc cử|phân công giữ chức|phân công làm|chỉ định giữ chức|chỉ định làm|cử giữ chức|cử làm|"
    "được giao giữ chức vụ|được giao giữ chức|được giao làm|được giao nhiệm vụ là|"
    "được giao nhiệm vụ|được giao|giữ chức vụ|giữ chức danh|giữ cương vị|giữ vị trí|giữ chức|"
    "giữ ghế|giữ|đảm nhiệm chức vụ|đảm nhiệm vị trí|đảm nhiệm|đảm nhận chức vụ|đảm nhận vị trí|"
    "đảm nhận|trở thành|kiêm nhiệm|kiêm|nhậm chức|nhận nhiệm vụ|nhận chức|"
    "thôi giữ chức vụ|thôi giữ chức|thôi chức vụ|thôi chức|thôi làm|từ chức|từ nhiệm|"
    "rời ghế|rời chức vụ|rời vị trí|bị miễn nhiệm chức vụ|bị miễn nhiệm|được miễn nhiệm chức vụ|"
    "được miễn nhiệm|bị cách chức|"
    "ký biên bản chuyển giao nhiệm vụ|ký biên bản bàn giao nhiệm vụ|là|làm"
)
# "giao" alone is active ("Phó Thủ tướng X giao Bộ trưởng ... trả lời"): only "được giao" links;
# so are "miễn nhiệm" and "cách chức" (only "bị/được miễn nhiệm", "bị cách chức")
_VERB_GAP = (
    rf"\s*(?:,|và|{_DASH})?\s*(?:người\s+)?(?:(?:{_ADV})\s*,?\s+){{0,4}}(?:{_VERB})\s+(?:{_MOD}\s+)?"
)
# a passive with its agent written out in words, not as an ORG: "X được Đảng, Nhà nước giao
# nhiệm vụ là T", "X được 93% đại biểu có mặt bầu giữ chức T" (at most 60 characters, no
# sentence or bracket punctuation between "được" and the verb)
_PASSIVE = (
    "bầu giữ chức vụ|bầu giữ chức danh|bầu giữ chức|bầu làm|bầu vào vị trí|bầu vào chức vụ|"
    "bổ nhiệm giữ chức vụ|bổ nhiệm giữ chức danh|bổ nhiệm giữ chức|bổ nhiệm làm|"
    "bổ nhiệm vào vị trí|bổ nhiệm vào chức vụ|giao nhiệm vụ là|giao nhiệm vụ làm|giao giữ chức vụ|"
    "giao giữ chức|giao làm|phân công giữ chức|phân công làm|chỉ định giữ chức|chỉ định làm|"
    "cử giữ chức|cử làm"
)
# the agent: no clause of its own ("X được biết đến khi bầu T" is no passive)
_AGENT = r"(?:(?!(?<!\w)(?:khi|rằng|nhưng|mà|để|nếu|vì|sau|trước|đã|từng)(?!\w))[^.;:!?()\"“”]){1,60}?"
_AGENT_GAP = (
    rf"\s*(?:,|và|{_DASH})?\s*(?:(?:{_ADV})\s+){{0,3}}được\s+{_AGENT}\s+"
    rf"(?:{_PASSIVE})\s+(?:{_MOD}\s+)?"
)

# title -> person: the text between a title and the PER after it, by kind, tried in this
# order (_tp_kind); "role" also needs a role noun before the title (_ROLE_NOUN_BEFORE), and
# the kinds of _NOT_OF_SOMEONE do not link a title that is someone's relation or aide
_TITLE_PERSON: dict[str, re.Pattern[str]] = {
    "direct": re.compile(r"^\s*$"),
    "honorific": re.compile(rf"^\s*{_HONORS}$"),
    "comma_honorific": re.compile(rf"^\s*,\s*{_HONORS}$"),
    # "T (EC) X", "T (LĐ-TB&XH) ông X": a short bracket (an abbreviation, a term) between
    "bracket": re.compile(rf"^\s*\(\s*[^()\s]+(?:\s+[^()\s]+){{0,3}}\s*\)\s*(?:{_HONOR}\s*)*$"),
    # "chức danh T đối với ông X", "Quyết định bổ nhiệm T cho bà X"
    "role": re.compile(rf"^\s*,?\s*(?:đối với|của|tới|cho|với)\s+(?:{_HONOR}\s*)*$"),
    # a plural or listed office followed by its holders ("5 thành viên HĐQT (2015-2020) gồm:
    # ông A, ông B")
    "list": re.compile(rf"^\s*(?:\([^()]*\)\s*)?,?\s*(?:gồm có|gồm|bao gồm)\s*:?\s*(?:các\s+)?(?:{_HONOR}\s*)*$"),
    # Wikipedia's lists "T: X", "Các T: A, B"
    "colon": re.compile(rf"^\s*:\s*(?:{_HONOR}\s*)*$"),
    # "T là X", "T, hiện là X"
    "is": re.compile(
        rf"^\s*(?:\([^()]*\)\s*)?,?\s*(?:(?:hiện nay|hiện tại|hiện đang|hiện|nay|vẫn)\s+)?là\s*:?\s*(?:{_HONOR}\s*)*$"
    ),
    # "T - ông X", "T - X"
    "dash_name": re.compile(rf"^\s*{_DASH}\s*(?:{_HONOR}\s*)*$"),
    # "T, X" with no honorific: only under the conditions of _Sentence.right
    "comma": re.compile(r"^\s*,\s*$"),
}
_NOT_OF_SOMEONE = ("colon", "is", "dash_name", "comma")
# a name's own title written right before it (direct or with honorifics)
_TITLE_OWN = re.compile(rf"^\s*(?:{_HONOR}\s*)*$")
_ROLE_NOUN_BEFORE = re.compile(
    rf"(?:chức danh|chức vụ|cương vị|ghế|vị trí|nhiệm vụ|quyết định(?:\s+(?:công nhận|bổ nhiệm))?)\s*(?:{_MOD}\s+)?$"
)
_PER_LIST = re.compile(rf"^\s*{_DATES}?(?:,|;|và|,\s*và)\s*(?:{_HONOR}\s*)*$")
# a negated title: "không phải là Ủy viên Bộ Chính trị: A, B" (A and B were not)
_NEGATED_BEFORE = re.compile(
    rf"(?:^|\s)(?:không|chưa|chẳng)(?:\s+(?:phải|từng|được|hề))*(?:\s+(?:là|làm))?\s*(?:{_MOD}\s+)?$"
)
# a plural title: "2 Phó Chủ tịch nước A và B", "các Phó Thủ tướng A, B và C"
_PLURAL_BEFORE = re.compile(r"(?:^|[\s(,;:])(?:[2-9]|hai|bốn|các|những)\s+(?:vị\s+)?$")
# a title inside a fronted clause or after a preposition ("Sau khi gặp T, X cho biết",
# "Theo T, X đã ..."): the comma does not make X its holder
_FRONTED = re.compile(
    r"(?:^|\s)(?:sau khi|trước khi|khi|theo|nếu|vì|để|trong khi|mặc dù|dù|với|cùng|tới|đến|cho|từ|của)(?:\s|$)"
)
# the legal formula "Theo đề nghị của Bộ trưởng ..., Thủ tướng X quyết định": the proposer's
# title is not coordinated with the title after the comma
_PROPOSED_BY = re.compile(r"(?:^|\s)(?:theo|xét)\s+(?:đề nghị|tờ trình|đề xuất|ý kiến|kiến nghị)\s+của\s*$")
# "T, X" where T is not at the start of its clause ("chỉ trích Chủ tịch Real Madrid, X"):
# X must close the clause (an apposition), not start the next one ("Trả lời T, X cho biết")
_CLAUSE_OPENING = re.compile(rf"^\s*(?:{_MOD}\s*)?$")
_CLAUSE_CLOSE = re.compile(r"^\s*(?:[.,:;!?\"“”)]|$)")
# the end of a gap that makes a bare title the object of a verb ("do X làm Chủ tịch, Y")
_VERB_BEFORE = re.compile(rf"(?:^|\s)(?:{_VERB})\s+(?:{_MOD}\s+)?$")

# person -> title: the text between a PER and the title after it, by kind, tried in this
# order (_pt_kind; "sep" is "dash" where its separator is a dash)
_PERSON_TITLE: dict[str, re.Pattern[str]] = {
    "sep": re.compile(
        rf"^\s*{_BIRTH}?{_CAPTION}?(?P<sep>[,:]|{_DASH})\s*(?:{_HONOR}\s*,\s*)*(?:{_MOD}\s+)?$"
    ),
    "paren": re.compile(rf"^\s*\(\s*(?:{_MOD}\s+)?$"),
    "mod": re.compile(rf"^\s+{_MOD}\s+$"),
    "verb": re.compile(rf"^(?:{_VERB_GAP}|{_AGENT_GAP})$"),
    "space": re.compile(r"^\s+$"),
}

# title -> title (coordination), walking left (after the holder's name)
_TT_LEFT = (
    re.compile(rf"^\s*{_DATES}?\)?\s*(?:,|;|{_DASH})\s*(?:{_HONOR}\s*,\s*)*\(?\s*(?:{_MOD}\s+)?$"),
    re.compile(rf"^\s*\(\s*(?:{_MOD}\s+)?$"),
    re.compile(rf"^\s+(?:kiêm nhiệm|kiêm|và|đồng thời là)\s+(?:{_MOD}\s+)?$"),
    re.compile(rf"^(?:{_VERB_GAP}|{_AGENT_GAP})$"),
)
# walking right (before the holder's name): only a comma, a dash or "kiêm"
_TT_RIGHT = (
    re.compile(rf"^\s*(?:,|{_DASH})\s*(?:{_MOD}\s+)?$"),
    re.compile(rf"^\s+kiêm\s+(?:{_MOD}\s+)?$"),
)
# a title written right after another with no separator qualifies it
_JUXTAPOSED = re.compile(rf"^\s*(?:{_MOD}\s+)?$")
# a title and the ORG that is its body
_BODY_LINK = re.compile(r"^\s*(?:của|thuộc|,|\(|" + _DASH + r")\s*$")
_ORG_LIST = re.compile(r"^\s*\)?\s*,\s*\(?\s*$|^\s*\(\s*$")
_ALIAS = re.compile(r"^\s*\(\s*$")
# a title named after a role phrase, its holder the clause's subject further left
# (_Sentence.subject): "ông X trực tiếp điều hành và giữ chức vụ T", "X, sau khi nghỉ hưu với
# chức vụ T", "ông X có 18 năm kinh nghiệm tại O với các vị trí T1, T2"
_ROLE_PHRASE_END = re.compile(
    rf"(?:^|\s)(?:(?:với|giữ|nhận|đảm nhận|đảm nhiệm|trên|ở)\s+(?:các\s+)?"
    rf"(?:chức vụ|chức danh|vị trí|cương vị|nhiệm vụ)(?:\s+là)?"
    rf"|nhậm chức|thôi chức|từ chức|thôi giữ chức(?:\s+vụ)?|giữ chức(?:\s+(?:vụ|danh))?)"
    rf"\s+(?:{_MOD}\s+)?$"
)
# the subject starts its clause: only honorifics after the sentence start or a comma
_CLAUSE_START = re.compile(rf"^(?:.*[,:;]\s*)?(?:{_HONOR}\s*)*$")
# between the subject and the title: nothing that makes someone else the holder (a verb of
# appointing, meeting, succeeding or speaking; a noun for another person; "của")
_SUBJECT_BREAK = re.compile(
    r"[;:\"“”()]|(?:^|\s)(?:rằng|cho biết|cho hay|nói|nhấn mạnh|khẳng định|nhận định|đánh giá|"
    r"chia sẻ|phát biểu|thông tin|thông báo|tuyên bố|bày tỏ|tin tưởng|mong muốn|kêu gọi|lưu ý|"
    r"yêu cầu|đề nghị|đề xuất|kiến nghị|chỉ đạo|giới thiệu|bổ nhiệm|bầu|trao|chúc mừng|gặp|"
    r"tiếp đón|tiếp kiến|mời|cử|phân công|chỉ định|giao|thay|thay thế|kế nhiệm|người|cán bộ|"
    r"ứng viên|ứng cử viên|nhân sự|ai|vị|đồng chí|những|của|cùng|và ông|và bà)(?:\s|$)"
)
# "O do X làm Chủ tịch": the ORG before "do" is the body of the bare title
_DO_BEFORE = re.compile(rf"^\s*do\s+(?:{_HONOR}\s*)*$")
# "X được Quốc hội bầu làm T": the agent ORG between the holder and the verb
_BY_AGENT = re.compile(r"^\s*(?:(?:đã|vừa|cũng|mới)\s+)?được\s*$")
# holders coordinated before a verb ("ông A và ông B với vai trò là T", "nguyên Bộ trưởng A
# và tân Bộ trưởng B ký ...")
_PER_CONJ = re.compile(rf"^\s*(?:,|và)\s*(?:{_HONOR}\s*)*(?:{_MOD}\s+)?$")
_MODIFIER_BEFORE = re.compile(rf"(?:^|[\s(,;:])({_MOD})\s*\(?\s*$")


# --- offices -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeSplit:
    """A TITLE split into office and body; spans are relative to the title string."""

    office: str
    body: str | None
    office_span: Span
    body_span: Span | None
    office_key: str | None  # the lexicon office matched (canonical, no Phó/Quyền), None if unknown


# a word (with the joiners of abbreviations: GD&ĐT, GD-ĐT, TP.HCM) or one punctuation mark
_WORD = re.compile(r"\w[\w&.'’-]*|[^\w\s]")


def _tokens(s: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_canon(s)))


@lru_cache(maxsize=1)
def _office_tables():
    offices = {_tokens(o): o for o in _lex.OFFICES}
    prefixes = {_tokens(p) for p in _lex.OFFICE_PREFIXES}
    qualifiers = {_tokens(q) for q in _lex.LINKER_QUALIFIERS}
    head_nouns = {_tokens(o): _tokens(n) for o, n in _lex.HEAD_NOUN_OFFICES.items()}
    body_heads = {}
    for office, heads in _lex.DOCUMENT_BODY_HEADS.items():
        body_heads[" ".join(_tokens(office))] = tuple(_canon(h) for h in heads)
    not_bodies = tuple(_canon(b) for b in _lex.NOT_DOCUMENT_BODIES)
    return offices, prefixes, qualifiers, head_nouns, body_heads, not_bodies


_FALLBACK_BODY_HEADS = {
    "bộ", "sở", "ban", "ubnd", "hđnd", "uỷ", "thành", "tỉnh", "quận", "huyện", "quốc",
    "chính", "tổng", "cục", "vụ", "viện", "trường", "đại", "đh", "bệnh", "trung", "công",
    "cty", "tập", "hội", "đảng", "chi", "ngân", "học", "văn", "phòng", "khoa", "toà",
    "quân", "báo", "bang", "liên", "mặt", "tand", "vksnd", "ub",
}


def _match_at(toks: Sequence[str], i: int, table) -> int:
    """Length of the longest entry of ``table`` (tuples of tokens) starting at toks[i]."""
    for n in range(min(6, len(toks) - i), 0, -1):
        if tuple(toks[i : i + n]) in table:
            return n
    return 0


def split_office(title: str) -> OfficeSplit:
    """Split a TITLE string into office and body (``Bí thư`` + ``Thành ủy Hà Nội``)."""
    norm = normalize(title)
    canon = norm.text
    words = [m.span() for m in _WORD.finditer(canon)]
    toks = [canon[s:e].lower() for s, e in words]
    if not toks:
        return OfficeSplit(title, None, (0, len(title)), None, None)
    offices, prefixes, qualifiers, head_nouns, _, _ = _office_tables()

    # the office: optional Phó/Quyền, then the longest lexicon office (or an office that
    # itself starts with Phó, such as "Phó Ban"), then qualifiers (Thường trực, ...)
    best = (0, 0, None)  # (end token, prefix length, matched office tokens)
    direct = _match_at(toks, 0, offices)
    if direct:
        best = (direct, 0, tuple(toks[:direct]))
    p = 0
    while p < len(toks) and _match_at(toks, p, prefixes):
        p += _match_at(toks, p, prefixes)
        n = _match_at(toks, p, offices)
        if n and p + n > best[0]:
            best = (p + n, p, tuple(toks[p : p + n]))
    end, pre, matched = best
    if matched is None:
        # unknown office: cut before the first word that starts a body, if any
        cut = next((i for i in range(1, len(toks)) if toks[i] in _FALLBACK_BODY_HEADS), len(toks))
        end, key = cut, None
    else:
        while end < len(toks) and _match_at(toks, end, qualifiers):
            end += _match_at(toks, end, qualifiers)
        key = " ".join(matched)
        noun = head_nouns.get(matched)
        if noun and end == pre + len(matched) and end < len(toks):
            if tuple(toks[end : end + len(noun)]) != noun:
                end -= len(noun)  # "Trưởng Ban Tổ chức ...": the noun starts the body
                key = " ".join(matched[: -len(noun)])

    o_start, o_end = norm.to_original(words[0][0], words[end - 1][1])
    office = title[o_start:o_end]
    if end < len(words):
        b_start, b_end = norm.to_original(words[end][0], words[-1][1])
        return OfficeSplit(office, title[b_start:b_end], (o_start, o_end), (b_start, b_end), key)
    return OfficeSplit(office, None, (o_start, o_end), None, key)


# --- linking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ent:
    i: int
    label: str
    start: int
    end: int
    text: str
    score: float | None


@dataclass(frozen=True)
class _Cand:
    per: int  # index into the sentence's entity list
    kind: str
    coordinated: bool
    body_org: int | None = None
    others: tuple[int, ...] = ()  # further holders: "A và B là T", "T gồm: A, B"


# a title directly followed by a name (no comma) goes to that name, unless the title is
# coordinated with an earlier one; "T: X" and "T là X" go to that name in every case
_STRONG_RIGHT = ("direct", "honorific", "title_org_name", "bracket", "bracket_org")
_STRONGEST_RIGHT = ("colon", "is")
_EVIDENCE = {
    "direct": "title before name",
    "honorific": "title before name (honorific between)",
    "comma_honorific": "title, honorific name",
    "bracket": "title (abbreviation) name",
    "bracket_org": "title (ORG) name",
    "colon": "title: name",
    "dash_name": "title - name",
    "comma": "title with its body, name",
    "role": "role noun: chức danh/chức vụ/nhiệm vụ/Quyết định title đối với/của/tới/cho name",
    "title_org_name": "title ORG name",
    "list": "title gồm + list of names",
    "is": "title (hiện) là name",
    "sep": "name, title",
    "dash": "name - title",
    "paren": "name (title)",
    "mod": "name nguyên/tân/cựu/cố title",
    "verb": "name + verb (là/giữ chức/được bổ nhiệm làm/thôi chức...) + title",
    "verb_by_agent": "name được ORG + verb (bầu/bổ nhiệm...) + title",
    "space": "name title (no separator)",
    "subject": "subject name ... role phrase (với chức vụ/giữ chức vụ/nhậm chức...) + title",
}
# kinds after which the further names of a list hold the title too ("T: A, B", "T gồm A và B")
_LISTING = ("list", "is", "colon")
# a title that is someone's relation or aide ("con trai Chủ tịch X là Y", "vợ của T, Y"):
# its "là"/colon/comma/dash name is not its holder
_OF_SOMEONE_BEFORE = re.compile(
    r"(?:^|\s)(?:của|con|con trai|con gái|vợ|chồng|cha|mẹ|bố|anh trai|em trai|chị gái|em gái|"
    rf"cháu|phu nhân|trợ lý|thư ký|người phát ngôn|đại diện|văn phòng|ông|bà)\s*(?:{_MOD}\s+)?$"
)


def _pt_kind(gap: str) -> str | None:
    """How a PER and the title after it are joined (``gap`` is the text between them)."""
    for kind, pattern in _PERSON_TITLE.items():
        m = pattern.match(gap)
        if m:
            return "dash" if kind == "sep" and m.group("sep") not in ",:" else kind
    return None


def _tp_kind(gap: str, before_title: str, first_before: str = "") -> str | None:
    """How a title and the PER after it are joined (``gap`` is the text between them,
    ``before_title`` the text before the title, ``first_before`` the text before the first
    of the titles coordinated with it)."""
    for kind, pattern in _TITLE_PERSON.items():
        if not pattern.match(gap) or (kind == "role" and not _ROLE_NOUN_BEFORE.search(before_title)):
            continue
        if kind in _NOT_OF_SOMEONE and (
            _OF_SOMEONE_BEFORE.search(before_title) or _OF_SOMEONE_BEFORE.search(first_before)
        ):
            return None
        return kind
    return None


class _Sentence:
    def __init__(self, text: str, span: Span, ents: list[_Ent]):
        self.text, self.span, self.ents = text, span, ents
        self._gaps: dict[int, str] = {}

    def gap(self, k: int) -> str:
        """Canonical text between ents[k-1] and ents[k] (k=0: from the sentence start)."""
        if k not in self._gaps:
            start = self.ents[k - 1].end if k > 0 else self.span[0]
            self._gaps[k] = _canon(self.text[start : self.ents[k].start])
        return self._gaps[k]

    def label(self, k: int) -> str | None:
        return self.ents[k].label if 0 <= k < len(self.ents) else None

    # -- candidates --

    def _list_after(self, k: int) -> tuple[int, ...]:
        """The PERs listed after ents[k] ("A, B và C")."""
        out = []
        while self.label(k + 1) == "PER" and _PER_LIST.match(self.gap(k + 1)):
            k += 1
            out.append(k)
        return tuple(out)

    def after(self, k: int) -> str:
        """Canonical text after ents[k], up to the next entity or the sentence end."""
        end = self.ents[k + 1].start if k + 1 < len(self.ents) else self.span[1]
        return _canon(self.text[self.ents[k].end : end])

    def _has_own_title(self, k: int) -> bool:
        """ents[k] (a PER) is followed by a title of its own ("X, T", "X (T)", "X - T")."""
        return self.label(k + 1) == "TITLE" and _pt_kind(self.gap(k + 1)) in ("sep", "dash", "paren")

    def _listed_body(self, i: int) -> int | None:
        """The ORG of "O, trưởng ban là A, phó ban là B" for the title ents[i]."""
        if self.label(i - 1) == "ORG" and _TITLE_PERSON["comma"].match(self.gap(i)):
            return i - 1
        if (
            self.label(i - 1) == "PER"
            and self.label(i - 2) == "TITLE"
            and _TITLE_PERSON["is"].match(self.gap(i - 1))
            and _TITLE_PERSON["comma"].match(self.gap(i))
        ):
            return self._listed_body(i - 2)
        return None

    def subject(self, j: int) -> int | None:
        """The clause's subject for a title after a role phrase far from the name.

        "Ông X có 18 năm ... tại O với các vị trí T1, T2", "X, sau khi nghỉ hưu với chức vụ
        T", "ông X trực tiếp điều hành và giữ chức vụ T": the nearest PER before ents[j],
        with only ORG/DOC entities between, that starts its clause (only honorifics after
        the sentence start or a comma), at most 100 characters before the title, with no
        verb between that makes someone else the title's holder.
        """
        if not _ROLE_PHRASE_END.search(self.gap(j)):
            return None
        k = j - 1
        while k >= 0 and self.ents[k].label in ("ORG", "DOC"):
            k -= 1
        if k < 0 or self.ents[k].label != "PER":
            return None
        if self.ents[j].start - self.ents[k].end > 100:
            return None
        head = k  # the subject with its own title written before it ("Phó Thủ tướng X ...")
        if head > 0 and self.ents[head - 1].label == "TITLE" and _TITLE_OWN.match(self.gap(head)):
            head -= 1
        if not _CLAUSE_START.match(self.gap(head)):
            return None
        between = _canon(self.text[self.ents[k].end : self.ents[j].start])
        if _SUBJECT_BREAK.search(between[: _ROLE_PHRASE_END.search(between).start()]):
            return None
        return k

    def _chain_start(self, i: int) -> int:
        """The first of the titles coordinated with ents[i] before it ("T1, T2", "T1 kiêm T2")."""
        while i > 0 and self.ents[i - 1].label == "TITLE" and any(r.match(self.gap(i)) for r in _TT_RIGHT):
            i -= 1
        return i

    def right(self, i: int) -> _Cand | None:
        first_before = self.gap(self._chain_start(i))
        if _NEGATED_BEFORE.search(first_before):
            return None
        j, coordinated = i, False
        while j + 1 < len(self.ents):
            nxt, g = self.ents[j + 1], self.gap(j + 1)
            if nxt.label == "TITLE" and any(r.match(g) for r in _TT_RIGHT):
                if _TT_RIGHT[0].match(g) and _PROPOSED_BY.search(first_before):
                    return None  # "Theo đề nghị của T1, T2 X ký": the comma ends the clause
                j, coordinated = j + 1, True
                continue
            if nxt.label == "PER":
                kind = _tp_kind(g, self.gap(j), first_before)
                if kind is None:
                    return None
                if kind == "comma":
                    # "Chủ tịch Real Madrid, Florentino Perez": only a title written with its
                    # body, not coordinated, not the object of a verb ("do A làm Chủ tịch, B
                    # giữ chức ..."), whose name has no title of its own after it
                    if (
                        coordinated
                        or split_office(self.ents[i].text).body is None
                        or _VERB_BEFORE.search(self.gap(i))
                        or _FRONTED.search(re.split(r"[,;:]", self.gap(i))[-1])
                        or self._has_own_title(j + 1)
                        or (not _CLAUSE_OPENING.match(re.split(r"[,;:]", self.gap(i))[-1])
                            and not _CLAUSE_CLOSE.match(self.after(j + 1)))
                    ):
                        return None
                body = self._listed_body(i) if kind == "is" else None
                others: tuple[int, ...] = ()
                if kind in _LISTING or (
                    kind in ("direct", "honorific") and _PLURAL_BEFORE.search(self.gap(i))
                ):
                    others = self._list_after(j + 1)
                return _Cand(j + 1, kind, coordinated, body_org=body, others=others)
            if (
                nxt.label == "ORG"
                and _TITLE_PERSON["direct"].match(g)
                and self.label(j + 2) == "PER"
                and _tp_kind(self.gap(j + 2), "") in ("direct", "honorific")
            ):
                return _Cand(j + 2, "title_org_name", coordinated, body_org=j + 1)
            if (
                nxt.label == "ORG"
                and re.match(r"^\s*\(\s*$", g)
                and self.label(j + 2) == "PER"
                and re.match(rf"^\s*\)\s*(?:{_HONOR}\s*)*$", self.gap(j + 2))
            ):
                # "Chủ tịch Ủy ban châu Âu (EC) Von der Leyen"
                return _Cand(j + 2, "bracket_org", coordinated, body_org=j + 1)
            return None
        return None

    def left(self, i: int) -> _Cand | None:
        if i > 0 and self.ents[i - 1].label == "TITLE" and _JUXTAPOSED.match(self.gap(i)):
            return None  # this title qualifies the one before it
        j, coordinated = i, False
        while j > 0:
            prev, g = self.ents[j - 1], self.gap(j)
            if prev.label == "TITLE":
                if any(r.match(g) for r in _TT_LEFT):
                    j, coordinated = j - 1, True
                    continue
                if j != i and _JUXTAPOSED.match(g):
                    j = j - 1  # skip a qualifying title ("Thư ký nguyên Phó Chủ tịch QH, T")
                    continue
                break
            if prev.label == "PER":
                kind = _pt_kind(g)
                if kind is None:
                    break
                if kind != "verb":
                    return _Cand(j - 1, kind, coordinated)
                body = None
                if self.label(j - 2) == "ORG" and _DO_BEFORE.match(self.gap(j - 1)):
                    body = j - 2  # "O do X làm Chủ tịch": O is the body
                return _Cand(j - 1, kind, coordinated, body_org=body, others=self._conjuncts(j - 1))
            if (
                prev.label == "ORG"
                and _PERSON_TITLE["verb"].match(g)
                and self.label(j - 2) == "PER"
                and _BY_AGENT.match(self.gap(j - 1))
            ):
                # "X được Quốc hội bầu làm T"
                return _Cand(j - 2, "verb_by_agent", coordinated, others=self._conjuncts(j - 2))
            if prev.label == "ORG" and any(r.match(g) for r in _TT_LEFT[:2]):
                # an ORG attached to the previous title ("T1 của Quốc hội, T2")
                k = j - 1
                while k > 0 and self.ents[k - 1].label == "ORG" and _ORG_LIST.match(self.gap(k)):
                    k -= 1
                if k > 0 and self.ents[k - 1].label == "TITLE" and _BODY_LINK.match(self.gap(k)):
                    j, coordinated = k - 1, True
                    continue
            break
        # the walk stopped at the chain head ents[j]: a role phrase far from the name
        k = self.subject(j)
        return _Cand(k, "subject", coordinated) if k is not None else None

    def _conjuncts(self, k: int) -> tuple[int, ...]:
        """PERs coordinated before ents[k] ("ông A, ông B và ông C là ..."), nearest first.

        Commas alone coordinate nothing ("Theo ông A, ông B là ..."): a "và" must join them.
        A title written right before a name is that name's own and is stepped over
        ("nguyên Bộ trưởng A và tân Bộ trưởng B ký ...").
        """
        out, joined = [], False
        while k > 0:
            m = k
            if self.ents[m - 1].label == "TITLE" and _TITLE_OWN.match(self.gap(m)):
                m -= 1
            if m > 0 and self.ents[m - 1].label == "PER" and _PER_CONJ.match(self.gap(m)):
                joined = joined or "và" in self.gap(m)
                k = m - 1
                out.append(k)
                continue
            break
        return tuple(out) if joined else ()

    def holder_of(self, i: int) -> _Cand | None:
        r, l = self.right(i), self.left(i)
        if r and (r.kind in _STRONGEST_RIGHT or (r.kind in _STRONG_RIGHT and not r.coordinated)):
            return r
        if l and l.kind not in ("space", "subject"):
            return l
        if r:
            return r
        return l

    def alias_root(self, k: int) -> int:
        """A PER in brackets right after another PER is its alias: return the first."""
        while k > 0 and self.ents[k - 1].label == "PER" and _ALIAS.match(self.gap(k)):
            k -= 1
        return k

    def following_org(self, i: int) -> int | None:
        if self.label(i + 1) == "ORG" and _BODY_LINK.match(self.gap(i + 1)):
            return i + 1
        return None

    def modifier(self, i: int) -> str | None:
        m = _MODIFIER_BEFORE.search(self.gap(i)[-12:])
        return m.group(1) if m else None


def _syllables(s: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", _canon(s)))


class _Names:
    """Resolves short references (``Hiển``) to full names (``Lê Minh Hiển``)."""

    def __init__(self, pers: list[_Ent]):
        self.pers = sorted(pers, key=lambda e: e.start)
        self.syl = {e.i: _syllables(e.text) for e in self.pers}

    def resolve(self, e: _Ent) -> _Ent | None:
        short = self.syl[e.i]
        if not short or len(short) > 2:
            return None
        k = len(short)
        full = [q for q in self.pers if len(self.syl[q.i]) > k and self.syl[q.i][-k:] == short]
        before = [q for q in full if q.start < e.start]
        if before:
            return before[-1]
        after = [q for q in full if q.start > e.start]
        return after[0] if after else None


def _document_body(office_key: str | None, orgs: list[_Ent], cache: dict) -> _Ent | None:
    if office_key is None:
        return None
    if office_key in cache:
        return cache[office_key]
    *_, body_heads, not_bodies = _office_tables()
    heads = body_heads.get(office_key)
    found = None
    if heads:
        counts: Counter[str] = Counter()
        first: dict[str, _Ent] = {}
        for o in orgs:
            c = _canon(o.text)
            if c.startswith(heads) and not c.startswith(not_bodies):
                counts[c] += 1
                first.setdefault(c, o)
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            found = first[ranked[0][0]]
    cache[office_key] = found
    return found


def _entities(text: str, entities: Iterable[EntityLike]) -> list[_Ent]:
    out: list[_Ent] = []
    raw = sorted(
        ((int(e.start), int(e.end), str(e.label), getattr(e, "score", None)) for e in entities),
        key=lambda t: (t[0], -t[1]),
    )
    last_end = -1
    for start, end, label, score in raw:
        if label not in LABELS:
            continue
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"entity {start}:{end} ({label}) is outside the text (length {len(text)})")
        if start < last_end:
            continue  # overlapping entities: the earlier (longer) one is kept
        out.append(_Ent(len(out), label, start, end, text[start:end], float(score) if score is not None else None))
        last_end = end
    return out


def find_holders(
    text: str,
    entities: Iterable[EntityLike],
    *,
    include_unlinked: bool = False,
    document_bodies: bool = True,
) -> list[Holder]:
    """Pair the TITLE entities of ``text`` with the PER entities holding them.

    ``entities`` are any objects with ``text, label, start, end`` (``score`` optional)
    whose offsets index ``text``; labels other than PER/TITLE/ORG/DOC are ignored and of
    overlapping entities the first (longest) is kept. Returns one ``Holder`` per linked
    TITLE in text order; with ``include_unlinked`` also one with ``person=None`` per TITLE
    without a holder in its sentence. ``document_bodies=False`` turns off filling a bare
    office's body from the document's dominant body.
    """
    ents = _entities(text, entities)
    sents = split_sentences(text, [(e.start, e.end) for e in ents])
    starts = [s for s, _ in sents]
    by_sent: dict[int, list[_Ent]] = {}
    for e in ents:
        by_sent.setdefault(bisect_right(starts, e.start) - 1, []).append(e)
    names = _Names([e for e in ents if e.label == "PER"])
    orgs = [e for e in ents if e.label == "ORG"]
    doc_cache: dict = {}

    holders: list[Holder] = []
    for si, sent_ents in sorted(by_sent.items()):
        sent = _Sentence(text, sents[si], sent_ents)
        docs = [e for e in sent_ents if e.label == "DOC"]
        for i, t in enumerate(sent_ents):
            if t.label != "TITLE":
                continue
            cand = sent.holder_of(i)
            if cand is None and not include_unlinked:
                continue
            split = split_office(t.text)
            office_span = (t.start + split.office_span[0], t.start + split.office_span[1])
            body, body_span, body_source = None, None, None
            if split.body is not None:
                body, body_source = split.body, "title"
                body_span = (t.start + split.body_span[0], t.start + split.body_span[1])
            else:
                org_i = cand.body_org if cand and cand.body_org is not None else sent.following_org(i)
                if org_i is not None:
                    o = sent_ents[org_i]
                    body, body_span, body_source = o.text, (o.start, o.end), "following_org"
                elif document_bodies:
                    o = _document_body(split.office_key, orgs, doc_cache)
                    if o is not None:
                        body, body_span, body_source = o.text, (o.start, o.end), "document"
            base = dict(
                title=t.text,
                office=split.office,
                body=body,
                title_span=(t.start, t.end),
                body_source=body_source,
                modifier=sent.modifier(i),
                sentence_span=sents[si],
                documents=[d.text for d in docs],
                office_span=office_span,
                body_span=body_span,
                document_spans=[(d.start, d.end) for d in docs],
            )
            unknown = ["office not in the lexicon"] if split.office_key is None else []
            if cand is None:
                evidence = "; ".join(["no holder in the sentence"] + unknown)
                holders.append(Holder(person=None, person_span=None, evidence=evidence, score=t.score, **base))
                continue
            for n, per in enumerate((cand.per,) + cand.others):
                k = sent.alias_root(per)
                p = sent_ents[k]
                person, resolved_from, resolved_span = p.text, None, None
                evidence = [_EVIDENCE[cand.kind]]
                if n:
                    evidence.append(f"listed or coordinated with {sent_ents[cand.per].text!r}")
                if cand.coordinated:
                    evidence.append("coordinated titles")
                if k != per:
                    evidence.append(f"alias {sent_ents[per].text!r} in brackets")
                full = names.resolve(p)
                if full is not None:
                    person, resolved_from, resolved_span = full.text, p.text, (full.start, full.end)
                    evidence.append(f"short reference {p.text!r} resolved to {full.text!r}")
                scores = [x for x in (t.score, p.score) if x is not None]
                holders.append(
                    Holder(
                        person=person,
                        person_span=(p.start, p.end),
                        evidence="; ".join(evidence + unknown),
                        resolved_from=resolved_from,
                        resolved_span=resolved_span,
                        score=min(scores) if scores else None,
                        **base,
                    )
                )
    return holders
