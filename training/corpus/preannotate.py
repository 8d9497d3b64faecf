"""Rule-based pre-annotation: proposed PER, TITLE, ORG and DOC spans for annotators to correct.

    python -m training.corpus.preannotate --score annotations/data/train.jsonl [...]
    python -m training.corpus.preannotate --in RAW.jsonl --out PROPOSALS.jsonl [--text-field text]

Why rules: correcting proposals is faster than marking every span from scratch, and the
same rules are the baseline a trained model has to beat (``score_files``). The rules follow
annotations/GUIDELINES.md:

- DOC: the document-code grammar ``inference.doc_codes.find_doc_codes``, unchanged.
- TITLE: an office from ``lexicons.OFFICES`` (with ``Phó``/``Quyền`` and qualifiers such as
  ``Thường trực``), extended by the body written right after it (an ORG, a locality, a
  country or a body that only occurs in titles such as ``nước``) and by a term
  (``khóa XIV``). ``nguyên``/``cựu``/``tân`` are never matched, coordinated titles come out
  separately because no rule crosses a comma.
- ORG: fixed names, Party committees and local councils with their locality, ministries
  and departments, central Party boards and named institutions (``Bệnh viện Bạch Mai``).
  An ORG inside a TITLE is dropped: the outer TITLE wins.
- PER: capitalised names that start with a common family name, and capitalised names right
  after an honorific (``ông``, ``đồng chí``, ranks, degrees) or right after a TITLE.

Matching runs on ``inference.normalize`` text (NFC, old-style tone placement), so NFD input
and both ``Ủy``/``Uỷ`` spellings match the same rules; spans are mapped back to the caller's
string with ``NormalizedText.to_original``. When candidates overlap, DOC beats TITLE beats
ORG beats PER, and within a label the longer candidate wins.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Iterable, Sequence

from inference.cli import error
from inference.doc_codes import find_doc_codes
from inference.edges import trim
from inference.normalize import normalize, normalize_word
from training.corpus import lexicons as lx
from inference.spans import Span
from inference.records import DataError, Document, iter_jsonl, read_documents, write_documents
from inference.scheme import LABELS


# --- Regular-expression building blocks -------------------------------------------------------
_LATIN = [chr(c) for r in ((0x41, 0x250), (0x1E00, 0x1F00)) for c in range(*r)]
_UP = "".join(c for c in _LATIN if c.isalpha() and c.isupper())
_LO = "".join(c for c in _LATIN if c.isalpha() and c.islower())
_B = r"(?<!\w)"  # a match starts a word
_E = r"(?!\w)"  # ...and ends one
_CAP = rf"[{_UP}][{_LO}]*"  # a capitalised syllable: Nguyễn, Hà, A
_ABBR = rf"[{_UP}](?:[{_UP}\d]|&(?=[{_UP}]))+"  # UBND, GD&ĐT, C03


def _rx(entry: str) -> str:
    """Regex for one lexicon entry: normalised, hyphens with optional spaces, dashes alike."""
    entry = re.sub(r"\s*-\s*", "-", normalize_word(entry))
    return "".join(" ?[-–] ?" if ch == "-" else " " if ch == " " else re.escape(ch) for ch in entry)


def _alt(entries: Iterable[str], ci: bool = False) -> str:
    """Alternation, longest entry first (regex alternation takes the first that matches)."""
    uniq = sorted({normalize_word(e) for e in entries}, key=lambda e: (-len(e), e))
    body = "|".join(_rx(e) for e in uniq)
    return f"(?i:{body})" if ci else f"(?:{body})"


_SURNAME = _alt(lx.SURNAMES)
_MAX_LOWER = 3  # lower-case syllables a capitalised word of a name may carry
# "Nguyễn Văn A" ahead: a person, not part of a place or a body ("Bạch Mai Nguyễn Quang Tuấn":
# the person starts at the last family name of the run).
_FULL_NAME_AHEAD = rf"{_SURNAME} (?!{_SURNAME} ){_CAP} {_CAP}{_E}"
_FW = rf"(?:{_alt(lx.FUNCTION_WORDS)}|(?<!Hàng )không)"
_PROVINCE = rf"{_alt(lx.PROVINCES)}{_E}"
_LOC_KIND = _alt(lx.LOCALITY_KINDS)
# After a kind word anything capitalised is the place (TP. Châu Đốc); a bare place is a
# province, or a capitalised run that does not start with a family name.
_PLACE_AFTER_KIND = (
    rf"(?:{_PROVINCE}|(?!{_FULL_NAME_AHEAD}){_CAP}(?: (?!{_FULL_NAME_AHEAD}){_CAP}){{0,2}}{_E}|\d{{1,2}}{_E})"
)
_BARE_PLACE = rf"(?:{_PROVINCE}|(?!{_SURNAME} {_CAP}{_E}){_CAP}(?: (?!{_FULL_NAME_AHEAD}){_CAP}){{0,2}}{_E})"
_LOC_NAMED = rf"{_LOC_KIND} ?{_PLACE_AFTER_KIND}"
_LOCALITY = rf"(?:{_LOC_NAMED}|{_LOC_KIND}{_E}|{_BARE_PLACE})"
_TERM = rf"(?:{_alt(['khóa', 'Khóa', 'nhiệm kỳ', 'Nhiệm kỳ'])} (?:[IVXLC]+|\d{{4}} ?[-–] ?\d{{4}}){_E})"
_PAREN_BEFORE_LOC = rf"(?: \([^()\n]{{1,15}}\)(?= {_LOCALITY}))?"
_TAIL = rf"{_PAREN_BEFORE_LOC}(?: {_LOCALITY})?(?: {_TERM})?"

# An institution's name is a sequence of units: a capitalised word with up to _MAX_LOWER
# lower-case syllables that are no function words (Báo chí, Quản lý đất đai), a run of
# capitalised syllables (Bạch Mai), an abbreviation or a number. A unit never starts another body, a locality or an office, and the name
# stops before a full personal name ("Bệnh viện Bạch Mai Nguyễn Quang Tuấn").
_OFFICE_WORDS = _alt(lx.OFFICES + lx.OFFICES_WITH_BODY + lx.OFFICE_PREFIXES)
_NOT_A_UNIT = rf"(?!(?:{_alt(lx.NAME_BREAKERS)}|{_LOC_KIND}|{_OFFICE_WORDS}){_E})"
_UNIT = (
    rf"{_NOT_A_UNIT}(?:{_CAP}(?: (?!{_FW}{_E})[{_LO}]+{_E}){{1,{_MAX_LOWER}}}"
    rf"|{_CAP}{_E}(?: (?!{_FULL_NAME_AHEAD}){_NOT_A_UNIT}{_CAP}{_E})*"
    rf"|{_ABBR}{_E}|\d+{_E})"
)
_NAME_JOIN = rf"(?: | ?[-–&] ?| và (?=[{_UP}][{_LO}]))"
_NAME = rf"{_UNIT}(?:{_NAME_JOIN}(?!{_FULL_NAME_AHEAD}){_UNIT}){{0,7}}"

_MINISTRY = _alt(lx.MINISTRIES)
_COMMITTEE = _alt(lx.PARTY_COMMITTEES)
_ORGAN = _alt(lx.COMMITTEE_ORGANS, ci=True)

# Specific patterns first; "institution" is the generic fallback, and loses to a specific
# pattern that starts at the same place.
_KIND = rf"{_alt(lx.INSTITUTION_KINDS, ci=True)}{_E}"
_INSTITUTION = (
    rf"{_alt(lx.INSTITUTION_HEADS)}(?: {_KIND}(?: {_KIND})?(?: {_NAME}| {_LOC_NAMED})| {_NAME}){_TAIL}"
)
_ORG_PATTERNS = {
    "fixed": rf"{_B}{_alt(lx.FIXED_ORGS)}(?: {_TERM})?{_E}",
    "named": rf"{_B}{_alt(lx.NAMED_ORGS)}{_E}(?: {_PROVINCE})?",
    "committee": rf"{_B}(?:{_ORGAN} )?(?:{_alt(lx.COUNCILS)} )?{_COMMITTEE}{_E}{_TAIL}",
    "committee_of": rf"{_B}(?:{_ORGAN} )?{_COMMITTEE} (?:(?i:bộ) {_MINISTRY}{_E}|{_NAME})(?: {_TERM})?",
    "council": rf"{_B}(?:{_ORGAN} )?{_alt(lx.COUNCILS)}{_PAREN_BEFORE_LOC} {_LOCALITY}(?: {_TERM})?",
    "police": rf"{_B}(?:Công an|CA) {_LOC_NAMED}",
    "ministry": rf"{_B}(?i:bộ) {_MINISTRY}{_E}",
    "department": rf"{_B}(?<!các )(?<!những )(?i:sở|phòng) {_MINISTRY}{_E}{_TAIL}",
    "central_board": (
        rf"{_B}(?i:ban) {_alt(lx.CENTRAL_BOARDS, ci=True)} "
        rf"(?:Trung ương|TW|TƯ|{_COMMITTEE}(?: {_LOCALITY})?)(?: Đảng)?{_E}"
    ),
    "hdqt": rf"{_B}(?:HĐQT|[Hh]ội đồng quản trị)(?: \(HĐQT\))? (?:{_CAP}|{_ABBR}){_E}(?: {_TERM})?",
    "institution": rf"{_B}{_INSTITUTION}",
    "governing": rf"{_B}{_alt(lx.GOVERNING_BODIES)} {_INSTITUTION}",
}
_ORG_RES = {kind: re.compile(p) for kind, p in _ORG_PATTERNS.items()}
_NOT_ORGS = {normalize_word(s) for s in lx.NOT_ORGS}

_OFFICE_PREFIX = rf"(?:{_alt(lx.OFFICE_PREFIXES, ci=True)} )?"
_OFFICE_QUALIFIER = rf"(?: {_alt(lx.OFFICE_QUALIFIERS, ci=True)}{_E})?"


def _office_re(entry: str) -> re.Pattern:
    """One regex per office, so that every office starting at a place is tried with its body
    (``Trưởng`` + ``Ban Tuyên giáo Trung ương`` as well as ``Trưởng ban``)."""
    return re.compile(rf"{_B}{_OFFICE_PREFIX}(?i:{_rx(entry)}){_E}{_OFFICE_QUALIFIER}")


_OFFICE_RES = [(_office_re(e), False) for e in lx.OFFICES] + [(_office_re(e), True) for e in lx.OFFICES_WITH_BODY]
_LOWER_WORD = rf"(?!{_FW}{_E})[{_LO}]+{_E}"
# What may follow an office as its body, besides any ORG.
_TITLE_BODY_RES = list(_ORG_RES.values()) + [
    re.compile(rf"{_alt(lx.TITLE_ONLY_BODIES)}{_E}{_TAIL}"),
    re.compile(rf"{_MINISTRY}{_E}(?: {_alt(lx.COUNTRIES)}{_E})?"),
    re.compile(rf"{_alt(lx.COUNTRIES)}{_E}"),
    re.compile(_PROVINCE),
    re.compile(_LOC_NAMED),
    re.compile(rf"(?i:xã|phường|tỉnh|huyện|quận|thôn){_E}"),
    # a body named in lower case: "Hội đồng chính sách", "phòng thí nghiệm", "chi bộ thôn"
    re.compile(rf"{_alt(lx.LOWERCASE_BODY_HEADS, ci=True)}(?: {_LOWER_WORD}){{1,5}}{_TAIL}"),
    re.compile(rf"{_alt(lx.LOWERCASE_BODY_HEADS, ci=True)} {_NAME}{_TAIL}"),
    re.compile(rf"{_alt(lx.BARE_BODY_HEADS)}{_E}"),  # "Giám đốc Học viện": the body named before
]
_BODY_TAIL_RE = re.compile(rf"(?: {_alt(lx.OFFICE_QUALIFIERS, ci=True)}{_E})?(?: {_TERM})?")
_NOT_TITLE_BODIES = {normalize_word(s) for s in lx.NOT_TITLE_BODIES}

_NAME_SYLLABLE = rf"{_CAP}(?:-{_CAP})?"
_PERSON_RE = re.compile(rf"{_B}{_SURNAME}(?: {_NAME_SYLLABLE}){{1,3}}{_E}")
_HONORIFIC_RE = re.compile(rf"{_B}{_alt(lx.HONORIFICS)}\.? ({_NAME_SYLLABLE}(?: {_NAME_SYLLABLE}){{0,3}}){_E}")
_NAME_AFTER_RE = re.compile(rf" ({_NAME_SYLLABLE}(?: {_NAME_SYLLABLE}){{0,3}}){_E}")
_BYLINE_NAME = rf"(?!{_alt(lx.HONORIFICS)} ){_CAP}(?: {_CAP}){{1,3}}"
_BYLINE_RE = re.compile(
    rf"^[ ]*({_BYLINE_NAME}(?: ?[-–,] ?{_BYLINE_NAME})*)(?: \([^()\n]{{1,20}}\))?\.?[ ]*$", re.M
)
_PHOTO_CREDIT_RE = re.compile(rf"{_B}(?:Ảnh|ảnh|Video|Clip|Đồ hoạ|Thực hiện)(?: [{_LO}]+){{0,2}} ?: ({_BYLINE_NAME}){_E}")
_PLACE_BEFORE_RE = re.compile(rf"(?:^|\W)(?:{_alt(lx.PLACE_WORDS)}) $")
_CAP_BEFORE_RE = re.compile(rf"{_B}{_CAP} $")
_NOT_PERSONS = {normalize_word(s) for s in lx.NOT_PERSONS + lx.PROVINCES + lx.COUNTRIES}
_NOT_PERSON_PREFIXES = {" ".join(p.split(" ")[:2]) for p in _NOT_PERSONS if " " in p}
# Capitalised words that start something other than a name after a title.
_NOT_NAME_STARTS = {normalize_word(s) for s in lx.NOT_NAME_STARTS} | {
    normalize_word(w[0].upper() + w[1:]) for w in lx.FUNCTION_WORDS if " " not in w
}
_NOT_GIVEN_NAMES = {normalize_word(w[0].upper() + w[1:]) for w in lx.FUNCTION_WORDS + ("tết", "đêm", "ngày", "năm")}
_CENTRAL_RE = re.compile(rf"{_B}Trung ương{_E}(?! (?:đến|và địa phương|tới){_E})")
_NOT_CENTRAL_BEFORE_RE = re.compile(rf"(?:^|\W)(?:{_alt(lx.NOT_CENTRAL_BEFORE, ci=True)}) $")

_Cand = tuple[int, int, str]  # normalised start, end, label


def _org_candidates(text: str) -> list[_Cand]:
    specific, generic = [], []
    for kind, rx in _ORG_RES.items():
        for m in rx.finditer(text):
            if m.group(0) in _NOT_ORGS:
                continue
            if kind == "institution":
                if _CAP_BEFORE_RE.search(text, max(0, m.start() - 15), m.start()):
                    continue  # "Nguyễn Thị Trường Giang": a capitalised head inside a name
                generic.append((m.start(), m.end(), "ORG"))
            else:
                specific.append((m.start(), m.end(), "ORG"))
    starts = {c[0] for c in specific}
    for m in _CENTRAL_RE.finditer(text):
        if not _NOT_CENTRAL_BEFORE_RE.search(text, max(0, m.start() - 25), m.start()):
            specific.append((m.start(), m.end(), "ORG"))
    return specific + [c for c in generic if c[0] not in starts]


def _longest_match(regexes: Sequence[re.Pattern], text: str, pos: int) -> int:
    return max((m.end() for rx in regexes if (m := rx.match(text, pos))), default=-1)


def _title_candidates(text: str, orgs: Sequence[_Cand]) -> list[_Cand]:
    out = []
    for rx, needs_body in _OFFICE_RES:
        for m in rx.finditer(text):
            end = m.end()
            if text.startswith(" ", end):
                body_end = _longest_match(_TITLE_BODY_RES, text, end + 1)
                if body_end > end + 1:
                    if text[end + 1 : body_end] in _NOT_TITLE_BODIES:
                        continue  # "Chủ tịch ASEAN": a position held by a country is no title
                    out.append((m.start(), _BODY_TAIL_RE.match(text, body_end).end(), "TITLE"))
            if not needs_body:
                out.append((m.start(), _BODY_TAIL_RE.match(text, end).end(), "TITLE"))
    # An office word inside a body's name is no title: "Ban Bí thư", "Đoàn Chủ tịch".
    return [t for t in out if not any(o[0] < t[0] < o[1] for o in orgs)]


def _follows_capitalised(text: str, start: int, taken: Sequence[_Cand]) -> bool:
    """A capitalised word (not the end of an accepted span) right before ``start``."""
    m = _CAP_BEFORE_RE.search(text, max(0, start - 15), start)
    return bool(m) and not any(t[1] == start - 1 for t in taken)


def _person_candidates(text: str, titles: Sequence[_Cand], taken: Sequence[_Cand]) -> list[_Cand]:
    out = []
    for m in _PERSON_RE.finditer(text):
        first_two = " ".join(m.group(0).split(" ")[:2])
        if m.group(0) in _NOT_PERSONS or first_two in _NOT_PERSON_PREFIXES:
            continue
        if _PLACE_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()) or _follows_capitalised(text, m.start(), taken):
            continue
        out.append((m.start(), m.end(), "PER"))
    for m in _HONORIFIC_RE.finditer(text):
        name, honorific = m.group(1), text[m.start() : m.start(1)].rstrip(". ")
        first = name.split(" ")[0]
        if name in _NOT_PERSONS or f"{honorific} {first}" in _NOT_PERSON_PREFIXES or len(name) < 2 or first in _NOT_GIVEN_NAMES:
            continue
        if honorific[0].isupper() and _follows_capitalised(text, m.start(), taken):
            continue  # "quận Hai Bà Trưng": a capitalised "Bà" inside a name is no honorific
        out.append((m.start(1), m.end(1), "PER"))
    for s, e, _ in titles:
        m = _NAME_AFTER_RE.match(text, e)
        if m and m.group(1).split(" ")[0] not in _NOT_NAME_STARTS and m.group(1) not in _NOT_PERSONS:
            out.append((m.start(1), m.end(1), "PER"))
    return out


def _byline_candidates(text: str) -> list[_Cand]:
    """Names on a line of their own (the author's byline) or after ``Ảnh:`` (photo credit)."""
    out = []
    for rx in (_BYLINE_RE, _PHOTO_CREDIT_RE):
        for m in rx.finditer(text):
            for n in re.finditer(_BYLINE_NAME, m.group(1)):
                if n.group(0) not in _NOT_PERSONS:
                    out.append((m.start(1) + n.start(), m.start(1) + n.end(), "PER"))
    return out


def _repeats(text: str, surfaces: set[str], label: str, tail: str = "") -> list[_Cand]:
    """Every whole-word occurrence of the given surfaces (a name recurs without its cue)."""
    if not surfaces:
        return []
    rx = re.compile(rf"{_B}{_alt(surfaces)}{_E}{tail}")
    return [(m.start(), m.end(), label) for m in rx.finditer(text)]


def _select(cands: Iterable[_Cand], taken: list[_Cand]) -> list[_Cand]:
    """Keep candidates longest first that overlap nothing already taken."""
    kept = []
    for c in sorted(set(cands), key=lambda c: (c[0] - c[1], c[0])):
        if all(c[1] <= t[0] or t[1] <= c[0] for t in taken):
            taken.append(c)
            kept.append(c)
    return kept


_PAREN_ABBR_RE = re.compile(rf" \(({_ABBR})\)")
_SECTOR_HEAD_RE = re.compile(r"(?i:bộ|sở|phòng) ")
_MINISTRY_LIST_RE = re.compile(rf"(?:, | và )({_MINISTRY}){_E}")


def _org_followers(text: str, orgs: Sequence[_Cand]) -> tuple[list[_Cand], set[str]]:
    """ORGs implied by accepted ORGs.

    ``Quỹ Tiền tệ quốc tế (IMF)``: the bracketed abbreviation of a named body is an ORG
    (and so is every later use of it); that of a ministry names a sector and is not
    (GUIDELINES §0). ``các Bộ Ngoại giao, Quốc phòng, Công an``: each bare conjunct is an ORG.
    """
    out, abbrs = [], set()
    for s, e, _ in orgs:
        sector = bool(_SECTOR_HEAD_RE.match(text, s))
        m = _PAREN_ABBR_RE.match(text, e)
        if m and not sector:
            out.append((m.start(1), m.end(1), "ORG"))
            abbrs.add(m.group(1))
        if not sector:  # "Văn phòng Đăng ký đất đai (VPĐKĐĐ) Thanh Hóa" defines VPĐKĐĐ too
            abbrs.update(m.group(1) for m in _PAREN_ABBR_RE.finditer(text, s, e))
        pos = e
        while sector and text[s].lower() == "b" and (m := _MINISTRY_LIST_RE.match(text, pos)):
            out.append((m.start(1), m.end(1), "ORG"))
            pos = m.end()
    return out, abbrs


def preannotate(text: str) -> list[Span]:
    """Proposed spans (sorted, non-overlapping, trimmed) with offsets into ``text``."""
    norm = normalize(text)
    t = norm.text
    taken: list[_Cand] = []
    docs = [(c.start, c.end) for c in find_doc_codes(text)]
    doc_cands = [(*norm.from_original(s, e), "DOC") for s, e in docs]
    _select(doc_cands, taken)
    bylines = _select(_byline_candidates(t), taken)
    org_cands = _org_candidates(t)
    titles = _select(_title_candidates(t, org_cands), taken)
    orgs = _select(org_cands, taken)
    followers, abbrs = _org_followers(t, orgs)
    _select(followers, taken)
    _select(_repeats(t, abbrs, "ORG", tail=rf"(?: {_PROVINCE})?"), taken)
    persons = bylines + _select(_person_candidates(t, titles, taken), taken)
    _select(_repeats(t, {t[s:e] for s, e, _ in persons if " " in t[s:e]}, "PER"), taken)
    spans = set()
    doc_exact = dict(zip(doc_cands, docs))
    for c in taken:
        if c in doc_exact:
            spans.add(Span(*doc_exact[c], "DOC"))
            continue
        s, e = trim(t, c[0], c[1])
        if s < e:
            spans.add(Span(*norm.to_original(s, e), c[2]))
    return sorted(spans)


# --- Scoring ----------------------------------------------------------------------------------
def score_documents(docs: Sequence[Document], labels: Sequence[str] = LABELS) -> dict:
    """Exact-span precision/recall/F1 of the rules against gold (training.metrics.span_scores)."""
    from training.metrics import span_scores  # seqeval loads slowly; proposals don't need it

    golds = [set(d.spans) for d in docs]
    preds = [set(preannotate(d.text)) for d in docs]
    return span_scores(golds, preds, labels)


def score_files(paths: Sequence[Path | str], labels: Sequence[str] = LABELS) -> dict:
    """``{path: {"documents": n, "per_label", "micro", "macro"}}`` for every file given."""
    results = {}
    for path in paths:
        docs = read_documents(path)
        results[str(path)] = {"documents": len(docs), **score_documents(docs, labels)}
    return results


def format_scores(results: dict, labels: Sequence[str] = LABELS) -> str:
    lines = []
    for path, r in results.items():
        lines.append(f"{path} ({r['documents']} documents), exact span match")
        lines.append(f"{'':>10} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}")
        rows = [(lab, r["per_label"][lab]) for lab in labels] + [("micro avg", r["micro"]), ("macro avg", r["macro"])]
        for name, v in rows:
            lines.append(f"{name:>10} {v['precision']:9.4f} {v['recall']:9.4f} {v['f1']:9.4f} {v['support']:8d}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- Proposals for annotators -----------------------------------------------------------------
def propose_file(src: Path, out: Path, text_field: str = "text") -> int:
    """Write data-contract records with proposed spans; every other field goes to ``meta``."""
    docs = []
    for line_no, obj in iter_jsonl(src):
        where = f"{src}:{line_no}"
        if not isinstance(obj, dict):
            raise DataError(f"{where}: expected a JSON object")
        rec_id = obj.get("id")
        if not isinstance(rec_id, (str, int)) or isinstance(rec_id, bool):
            raise DataError(f"{where}: missing or non-string field 'id'")
        text = obj.get(text_field)
        if not isinstance(text, str):
            raise DataError(f"{where} (id={rec_id!r}): missing or non-string field {text_field!r}")
        meta = dict(obj["meta"]) if isinstance(obj.get("meta"), dict) else {
            k: v for k, v in obj.items() if k not in ("id", text_field, "spans", "meta")
        }
        meta["preannotated"] = "training.corpus.preannotate"
        docs.append(Document(str(rec_id), text, preannotate(text), meta))
    write_documents(docs, out)
    return len(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.corpus.preannotate", description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--score", nargs="+", type=Path, metavar="GOLD.jsonl", help="score the rules on annotated files")
    mode.add_argument("--in", dest="src", type=Path, metavar="RAW.jsonl", help="raw records to pre-annotate")
    ap.add_argument("--out", type=Path, metavar="PROPOSALS.jsonl", help="where to write proposals (with --in)")
    ap.add_argument("--text-field", default="text", help="field of RAW.jsonl that holds the text (default: text)")
    args = ap.parse_args(argv)
    try:
        if args.score:
            print(format_scores(score_files(args.score)), end="")
            return 0
        if args.out is None:
            ap.error("--in needs --out")
        n = propose_file(args.src, args.out, args.text_field)
        print(f"wrote {n} documents with proposed spans to {args.out}")
        return 0
    except (DataError, OSError) as exc:
        return error("preannotate", exc)


if __name__ == "__main__":
    sys.exit(main())
