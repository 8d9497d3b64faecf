"""A grammar for Vietnamese document codes (số ký hiệu văn bản) in running text.

Why a grammar and not the model: codes such as ``18-NQ/TW`` or ``15/2020/NĐ-CP`` have a
rigid shape defined by two formatting instructions, so a regular grammar finds them with
exact boundaries, while a subword model tends to cut them at hyphens and slashes. The
grammar is deliberately strict (the slot after the number must be a known type or an
upper-case issuer) so that dates, ratios, scores, phone and plate numbers never match.

Shapes recognised (``kind``):
- ``party``:       ``N-TYPE/ISSUER``               18-NQ/TW, 439-QĐNS/TW, 31-QĐ/ĐU-MTTW
- ``state``:       ``N/TYPE-ISSUER``               123/QĐ-UBND, 916/NQ-UBTVQH13
                   ``N/ISSUER-UNIT`` (công văn)     15/UBND-VP, 2214/TTg-KTN
                   ``N/ISSUER`` and the pre-1990s ``N-CP`` form: 60/CP, 100/TTg, 28-CP
- ``state_legal``: ``N/YYYY/TYPE-ISSUER``          15/2020/NĐ-CP, 04/2017/TTLT-BNV-BTC
                   ``N/YYYY/ISSUER``               100/2015/QH13, 528/2018/UBTVQH14
                   ``N-YYYY/TYPE-ISSUER``          19-2017/NQ-CP (an official variant)
Tolerated variants seen in real articles: one space around a separator (``18 - NQ/TW``,
``1096/NQ- UBTVQH13``), en/em dash or minus for the hyphen, ``D`` for ``Đ`` in the type
(``ND-CP``), a slash or (before an issuer of 3+ capitals) a space between type and issuer
(``25/BC/UBND``, ``1177/QĐ BGDĐT``), ``TƯ`` for ``TW``, a letter
suffix on the number (``09a/QĐ-UBND``), ``&`` inside an issuer (``BQLKKTNS&KCN``), and a
missing space on either side (``số187/2004/NĐ-CP``, ``...TT-BGDĐTvề``): the span never
includes the glued word.

Matching runs on an NFC copy of the input with an offset map back to the caller's string,
so NFD input (combining tone marks) gives the same codes with exact spans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from inference.normalize import nfc_with_map

# --- The one table of document-type abbreviations -----------------------------------------
# Kept as data (doc_types.tsv, beside this file, with its sources) so that whoever checks it
# against 36-HD/VPTW or Nghị định 30/2020/NĐ-CP edits a table, not code.
TYPES_FILE = Path(__file__).with_name("doc_types.tsv")


def read_doc_types(path: Path = TYPES_FILE) -> tuple[dict[str, str], dict[str, str]]:
    """The Party and the State abbreviation tables (abbreviation -> meaning) of ``path``.

    A malformed row is an error naming its line: a silently skipped row would make every code
    of that type invisible to the grammar."""
    party: dict[str, str] = {}
    state: dict[str, str] = {}
    rows = [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t") != ["abbr", "party", "state"]:
        raise ValueError(f"{path}: the first row after the comments must be the header 'abbr<TAB>party<TAB>state'")
    for n, line in rows[1:]:
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0] or not (fields[1] or fields[2]):
            raise ValueError(f"{path}:{n}: expected an abbreviation and its Party and/or State meaning "
                             f"(3 tab-separated fields, one of the meanings may be empty), got {line!r}")
        abbr, in_party, in_state = fields
        if abbr in party or abbr in state:
            raise ValueError(f"{path}:{n}: {abbr!r} has a row already")
        if in_party:
            party[abbr] = in_party
        if in_state:
            state[abbr] = in_state
    return party, state


PARTY_TYPES, STATE_TYPES = read_doc_types()
# Both tables feed the one type slot of every shape (Party texts also use state types).
DOC_TYPES: dict[str, str] = {
    abbr: " / ".join(dict.fromkeys(t[abbr] for t in (STATE_TYPES, PARTY_TYPES) if abbr in t))
    for abbr in {**STATE_TYPES, **PARTY_TYPES}
}

# Issuers that appear without a type in old codes (60/CP, 100/TTg, 28-CP, 217-HĐBT).
LEGACY_ISSUERS = ("HĐBT", "TTg", "CP")
# Capitalised words that follow "N/" in prose but are no issuer ("thứ 4/ASEAN", "23000/USD").
NOT_ISSUERS = ("ASEAN", "APEC", "WTO", "WHO", "NATO", "OECD", "USD", "EUR", "VND", "VNĐ",
               "GDP", "FDI", "ODA", "CPI")


def _type_variants() -> dict[str, str]:
    """Spelling seen in text -> canonical abbreviation (adds ASCII ``D`` for ``Đ``)."""
    variants = {abbr: abbr for abbr in DOC_TYPES}
    for abbr in DOC_TYPES:
        variants.setdefault(abbr.replace("Đ", "D"), abbr)  # never shadows a real type (HD, DA)
    return variants


_TYPE_OF = _type_variants()


def _alt(words) -> str:
    """Regex alternation, longest first so that QĐNS is preferred to QĐ."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- The grammar ----------------------------------------------------------------------------
_U = "A-ZĐƯ"  # upper-case letters of abbreviations (TƯ is a common spelling of TW)
# A short lower-case run inside an abbreviation (TTg, QĐi, HoREA, BKHĐT-Th), never the
# start of a lower-case word: it may not be followed by another lower-case letter.
_LOW = rf"[a-z]{{1,2}}(?![^\W\d_{_U}])"
# One issuer abbreviation of >= 2 chars, digits only at the end: CP, QH13, C46, BQLKKTNS&KCN.
_TOKEN = rf"[{_U}](?:(?:[{_U}]|&(?=[{_U}])|{_LOW})+\d*|\d+)"
_HY = "[-–—−]"                                  # hyphen, en dash, em dash, minus
_SP = "[ \u00a0]?"
_DASH = f"{_SP}{_HY}{_SP}"
_SLASH = f"{_SP}/{_SP}"
_CHAIN = f"{_TOKEN}(?:{_HY}{_TOKEN})*"          # BNV-BTC, BCA-BQP-BYT, ĐU-MTTW
_TYPES = _alt(_TYPE_OF)
_NUM = r"\d{1,5}[a-e]?"
_YEAR = r"(?:19|20)\d\d"
# A lone slot after "N/" (60/CP, 38/QH12, 15/SL, 8314/UBND): a type, a legacy issuer, a
# Quốc hội term or an abbreviation of >= 3 capitals that is not a known non-issuer.
_BARE = (
    rf"(?!(?:{_alt(NOT_ISSUERS)})(?![^\W_]))"
    rf"(?:{_alt(t for t in _TYPE_OF if len(t) > 1)}|{_alt(LEGACY_ISSUERS)}|QH\d\d"
    rf"|[{_U}]{{3}}(?:[{_U}]|{_LOW})*\d*)"
)

# A space where the hyphen between a state type and its issuer was dropped ("1177/QĐ BGDĐT"):
# only before an issuer of >= 3 capitals, so "15/QĐ Ban..." still ends at the type.
_SPACE_ISSUER = rf"[ \u00a0](?=[{_U}]{{3}})"

# A code never starts right after one of these (a word, number, separator): what follows
# them is part of a date (18/6/2017), standard (QCVN 16:2014/BXD), range or longer token.
_NOT_BEFORE = r"\w/.,:+\-–—−"
_GLUED_BEFORE = re.compile(f"[{_NOT_BEFORE}]")


def glued_to_preceding(text: str, start: int) -> bool:
    """True when ``text[start:]`` is glued to what precedes it, where no code can start."""
    return start > 0 and _GLUED_BEFORE.match(text, start - 1) is not None


_CODE_RE = re.compile(
    # not inside a number, word, date (18/6/2017), standard (QCVN 16:2014/BXD) or range
    rf"(?:(?<![{_NOT_BEFORE}])|(?<=[sS]ố))"  # ...but "số18-NQ/TW" (missing space) is fine
    rf"(?:(?P<legal>{_NUM}(?:{_SLASH}|{_HY}){_YEAR}{_SLASH}"
    rf"(?:(?P<legal_type>{_TYPES})(?:{_DASH}|/){_CHAIN}|{_CHAIN}))"
    rf"|(?P<party>{_NUM}{_DASH}(?P<party_type>{_TYPES}){_SLASH}{_CHAIN})"
    rf"|(?P<state>{_NUM}{_SLASH}(?:(?P<state_type>{_TYPES})(?:{_DASH}|/|{_SPACE_ISSUER}){_CHAIN}"
    rf"|{_TOKEN}{_DASH}{_CHAIN}|(?P<bare>{_BARE})))"
    rf"|(?P<legacy>{_NUM}{_HY}(?:{_alt(LEGACY_ISSUERS)})))"
    # end: no letter/digit and no further hyphenated part, or (after >= 2 capitals) a
    # lower-case word glued to the code by a missing space ("...NĐ-CPngày").
    rf"(?:(?![^\W_]|{_HY}[^\W_])|(?<=[{_U}]{{2}})(?=[^\W\d_{_U}]{{2}}))"
)


@dataclass(frozen=True)
class DocCode:
    start: int  # char offset into the input string
    end: int  # exclusive
    text: str  # == input[start:end]
    kind: str  # "party" | "state" | "state_legal"
    type_abbr: str | None  # canonical table key ("QĐ" also for "QD"); None when no type slot


def find_doc_codes(text: str) -> list[DocCode]:
    """All codes in text, sorted by start, non-overlapping, longest match."""
    if unicodedata.is_normalized("NFC", text):
        norm, starts, ends = text, None, None
    else:
        norm, starts, ends = nfc_with_map(text)
    found: list[DocCode] = []
    for m in _CODE_RE.finditer(norm):
        start, end = m.span()
        if starts is not None:
            start, end = starts[start], ends[end - 1]
        if m.group("legal"):
            kind, abbr = "state_legal", m.group("legal_type")
        elif m.group("party"):
            kind, abbr = "party", m.group("party_type")
        elif m.group("state"):
            kind, abbr = "state", m.group("state_type")
            bare = m.group("bare")
            if bare is not None and bare in _TYPE_OF:
                abbr = bare  # 15/SL, 431/TB: a type with the issuer omitted
        else:
            kind, abbr = "state", None
        canonical = _TYPE_OF[abbr] if abbr is not None else None
        found.append(DocCode(start, end, text[start:end], kind, canonical))
    return found


def is_doc_code(s: str) -> bool:
    """True when the whole string (stripped) is exactly one code."""
    s = s.strip()
    codes = find_doc_codes(s)
    return len(codes) == 1 and codes[0].start == 0 and codes[0].end == len(s)
