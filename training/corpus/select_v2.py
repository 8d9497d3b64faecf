"""Select and package the records of corpus v2 (issue 11): open-licence text to annotate.

    python -m training.corpus.select_v2 --data ../shared/data [--out annotations/work/v2]

What is picked, and why
-----------------------
The analyst's question is *who holds which office in which body, citing which document*, so
records are picked for political content (personnel, Party and state bodies, meetings,
resolutions), never at random. Two measures rank every candidate:

- ``kw``: matches of political keywords (Party committees, state bodies, offices, personnel
  verbs such as ``bổ nhiệm``, document types, meetings), see ``KEYWORDS``;
- the rule pre-annotator's proposals (``training.corpus.preannotate``), counted per label.

``score = (2*kw + TITLE + ORG + 3*DOC + PER/2) / characters * 1000``: keywords and the
political labels weigh most, document codes (the rarest label) three times, persons half
(a page of footballers is dense in PER and of no use here).

Sources (all under ``--data``, i.e. ``../shared/data``; see its SOURCES.md):

- **Dân trí** (``open_text/dantri_unc.jsonl.gz``, GPL-3.0): articles that are not in the v1
  corpus (``annotations/data/split.json``), 800-10,000 characters, with >= 4 keyword matches;
  the best ``--n-dantri`` by score. Text as in the source (title on the first line).
- **Wikipedia** (``open_text/viwiki.jsonl.gz``, CC BY-SA 3.0, 2017 crawl): pages are cut at
  section boundaries (paragraph boundaries inside a long section) into records of
  1,500-5,000 characters; reference-like sections (``Tham khảo``, ``Liên kết ngoài``,
  ``Xem thêm``, ``Chú thích``, ...) are dropped, and a cut never spans a dropped section, so
  every cut is one contiguous slice of the page. A record's text is the page title
  (its capitalisation recovered from the page text) on the first line, then the slice as
  it is (section headings included). Only cuts about Viet Nam are kept (Vietnamese
  Party/state markers at least as frequent as foreign country names). First the best
  ``--n-wiki`` cuts of pages on Vietnamese officials (biographies) and bodies and offices
  (``Bộ ...``, ``Ban ...``, ``Quốc hội ...``, ``Thủ tướng ...``, lists of office holders),
  at most ``--max-cuts-per-page`` per page, officials' biographies first (up to
  ``--min-official`` cuts with score >= 20: the crawl holds few of them and bodies score
  higher); then up to ``--n-wiki-doc`` further cuts of any
  Vietnamese page with >= 3 proposed document codes in a history, administration or legal
  section (typically the ``Lịch sử`` of a province or ministry: the decrees that set up,
  split and rename bodies), at most 2 per page.
- **Laws** (``open_text/vlc_laws.jsonl.gz``, public legal text): excerpts of 1,000-4,000
  characters cut at paragraph boundaries around clusters of >= 3 document codes found by
  ``inference.doc_codes.find_doc_codes`` (preambles ``Căn cứ ...``, amending and
  transitional clauses), at most ``--max-excerpts-per-law`` per law. The text is the slice as
  it is. Law excerpts are capped at 20% of all shipped records (v1 + v2).
- **baomoi** (``raw_news/political_news.jsonl``, ids ``baomoi2017_*``; no licence, so these
  are annotated on a local copy and only stand-off offsets are shipped): articles neither
  reserved nor already in ``annotations/standoff``, 600-8,000 characters, picked in turn
  from two rankings, personnel news (``PERSONNEL`` keywords in title and text) and document
  codes, until ``--n-baomoi``. Text = title + newline + body, exactly as
  ``training.corpus.mentions.document_text`` builds it (so ``standoff`` can rebuild it).

Articles listed in ``raw_news/RESERVED.txt`` or ``annotations/RESERVED_IDS.sha256`` are
skipped wherever they occur and never written anywhere.

Outputs (under ``--out``, which is git-ignored)
-----------------------------------------------
- ``pool/{dantri,wiki,laws,baomoi}.jsonl``: the chosen records in the data contract with
  empty spans and full ``meta`` (licence and attribution per record), best score first;
- ``batches/bNN.jsonl`` (numbering continues after v1's batch6: b07, b08, ...): the shipped
  records except the anchoring set, ~``--batch-size`` per batch with sources interleaved
  (cuts of one Wikipedia page and excerpts of one law stay in one batch);
  ``batches/sbNN.jsonl``: the baomoi records, ~``--sbatch-size`` per batch; for each batch
  ``<name>.proposals.jsonl`` (the pre-annotator's proposals for the same records);
- ``batches/anc_blank.jsonl``, ``batches/anc_pre.jsonl`` + ``anc_pre.proposals.jsonl``: the
  anchoring set (``--n-anchor`` Dân trí/Wikipedia records, in no bNN batch);
- ``double.json``: records of the bNN batches for independent double annotation (>= 1 per
  batch, ``--n-double`` in all);
- ``split_plan.json``: every v2 record assigned to train/dev/test (70/15/15 by article,
  stratified by source, seeded); v1 records keep their split;
- ``selection.json``: counts, proposal counts per label and per batch, and the checks.

Everything is deterministic: the same inputs and options give byte-identical outputs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterable, Iterator

from inference.doc_codes import find_doc_codes
from training.corpus.mentions import document_text
from training.corpus.preannotate import preannotate, propose_file
from training.corpus.validate import ReservedIds, load_reserved
from inference.records import Document, write_documents
from inference.scheme import LABELS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("dantri", "wikipedia", "law", "baomoi")

DANTRI_REPO = ("undertheseanlp/resources", "cbdb3c3ac065d49bd047dc55ad173181f9e846e3")
WIKI_REPO = ("undertheseanlp/corpus.viwiki", "0b727cc0461e1de6435d4ec70c99dc86253e56d8")
LAW_LICENCE = "public legal text (Vietnamese IP law art. 15); repo GPL-3.0"

# --- Political keywords ----------------------------------------------------------------------
KEYWORDS = (
    r"Bí thư", r"[Tt]ỉnh [uủ][ỷy]", r"[Tt]hành [uủ][ỷy]", r"[Hh]uyện [uủ][ỷy]", r"[Qq]uận [uủ][ỷy]",
    r"Đảng [uủ][ỷy]", r"Đảng bộ", r"Quốc hội", r"Chính phủ", r"Thủ tướng", r"Bộ trưởng", r"Thứ trưởng",
    r"Chủ tịch", r"UBND", r"HĐND", r"[UỦ][ỷy] ban nhân dân", r"Hội đồng nhân dân", r"Ban Thường vụ",
    r"Bộ Chính trị", r"Ban Bí thư", r"Ban Chấp hành", r"Trung ương", r"Mặt trận Tổ quốc", r"Đảng Cộng sản",
    r"bổ nhiệm", r"miễn nhiệm", r"bãi nhiệm", r"điều động", r"luân chuyển", r"kỷ luật", r"bầu", r"tái cử",
    r"trúng cử", r"nhiệm kỳ", r"kh[oó]á [IVXL]+\b", r"Nghị quyết", r"Nghị định", r"Quyết định", r"Chỉ thị",
    r"Thông tư", r"Kết luận", r"Hiến pháp", r"[Ll]uật", r"kỳ họp", r"[Đđ]ại hội", r"[Hh]ội nghị",
    r"đại biểu", r"Giám đốc Sở", r"Sở [A-ZĐ]", r"Bộ [A-ZĐ]", r"Viện trưởng", r"Chánh án", r"T[òo]a án",
    r"Viện [Kk]iểm sát", r"Phó Bí thư", r"[UỦ][ỷy] viên", r"Tổng Bí thư", r"Thanh tra", r"Kiểm toán Nhà nước",
    r"cán bộ", r"đảng viên",
)
KEYWORDS_RE = re.compile("|".join(f"(?:{k})" for k in KEYWORDS))
PERSONNEL_RE = re.compile(
    r"bổ nhiệm|miễn nhiệm|bãi nhiệm|điều động|luân chuyển|giữ chức|thôi giữ chức|được bầu|bầu bổ sung|"
    r"bầu (?:làm|giữ)|tái bổ nhiệm|chuẩn y|chỉ định|nghỉ hưu|kỷ luật|cách chức|trao quyết định|phê chuẩn|"
    r"giới thiệu (?:để )?(?:bầu|giữ)|nhận nhiệm vụ|kiện toàn|nhân sự|tân (?:Bí thư|Chủ tịch|Giám đốc|Bộ trưởng)"
)
# Markers of Vietnamese Party and state text, and of foreign countries (Wikipedia filter):
# VN_STRICT_RE only matches Viet Nam's own names (a page must use them at least as often as
# foreign country names); VN_RE also counts bodies that China's Party has too.
VN_STRICT_RE = re.compile(
    r"Việt Nam|[Tt]ỉnh [uủ][ỷy]|[Tt]hành [uủ][ỷy]|[Hh]uyện [uủ][ỷy]|UBND|[UỦ][ỷy] ban [Nn]hân dân|HĐND|"
    r"Hội đồng [Nn]hân dân|Mặt trận Tổ quốc"
)
VN_RE = re.compile(
    r"Việt Nam|[Tt]ỉnh [uủ][ỷy]|[Tt]hành [uủ][ỷy]|[Hh]uyện [uủ][ỷy]|UBND|[UỦ][ỷy] ban [Nn]hân dân|HĐND|"
    r"Hội đồng [Nn]hân dân|Bộ Chính trị|Ban Bí thư|Mặt trận Tổ quốc|Ban Chấp hành Trung ương|Đảng bộ|"
    r"Chính phủ Việt Nam|Quốc hội Việt Nam|Đảng Cộng sản Việt Nam"
)
FOREIGN_RE = re.compile(
    r"(?<!\w)(?:Hoa Kỳ|Mỹ|Trung Quốc|Liên Xô|Pháp|Nhật Bản|Anh Quốc|Vương quốc Anh|Đức|Nga|Triều Tiên|"
    r"Hàn Quốc|Campuchia|Lào|Thái Lan|Ấn Độ|Đài Loan|Singapore|Úc|Canada|Ý|Tây Ban Nha|Liên Hiệp Quốc|"
    r"Anh|Liên hiệp Anh|Ireland|Scotland|Hà Lan|Bỉ|Ba Lan|Cuba|Litva|Latvia|Hungary|Bồ Đào Nha)(?!\w)"
)
# Wikipedia sections that are references, links or galleries, not running text.
DROPPED_SECTIONS = {
    "tham khảo", "chú thích", "liên kết ngoài", "xem thêm", "đọc thêm", "ghi chú", "hình ảnh",
    "liên kết", "thư mục", "nguồn", "nguồn tham khảo", "tài liệu tham khảo", "sách tham khảo",
    "thư viện ảnh", "chỉ dẫn", "chú giải", "ghi chú và tham khảo", "tham khảo và chú thích",
    "liên kết bên ngoài", "chú thích và tham khảo", "tài liệu", "đọc thêm và tham khảo",
}
# Titles of pages on bodies and offices (lower-case crawl titles start with one of these).
BODY_TITLE_RE = re.compile(
    r"^(?:bộ |ban |[uủ][ỷy] ban|quốc hội|chính phủ|t[òo]a án|viện |văn phòng|tổng cục|cục |hội đồng|"
    r"mặt trận|đảng |thường vụ|thủ tướng|chủ tịch|phó |tổng bí thư|bí thư|đại biểu|kiểm toán|thanh tra|"
    r"ngân hàng nhà nước|đoàn |trung ương|quân [uủ][ỷy]|công an|bộ đội|quân đội|hội liên hiệp|"
    r"tổng liên đoàn|đài |thông tấn|học viện|danh sách|chính trị|nhà nước|bầu cử|đại hội|chánh án|"
    r"viện trưởng|bộ trưởng|tổng tham mưu|tổng cục trưởng)"
)
OFFICE_RE = re.compile(
    r"Bí thư|Chủ tịch|Bộ trưởng|Thủ tướng|[UỦ][ỷy] viên|đại biểu Quốc hội|Đại biểu Quốc hội|Chánh án|"
    r"Viện trưởng|Tư lệnh|Trưởng ban|Giám đốc|Thứ trưởng|Tổng cục trưởng|chính khách|chính trị gia"
)
BIRTH_RE = re.compile(r"\(\s*(?:sinh|\d{1,2} tháng|\d{4}|[^()]{0,40}\d{4}\s*[–-])|\bsinh (?:ngày|năm)\b")


# --- Small helpers ---------------------------------------------------------------------------
def read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def slug(s: str, limit: int = 60) -> str:
    """ASCII slug: Vietnamese letters folded (đ -> d), anything else -> '-'."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:limit].rstrip("-") or "x"


def file_stem(record_id: str) -> str:
    """The annotation file name (without .txt) of a record: '/' -> '_', '#' -> '@'."""
    return record_id.replace("/", "_").replace("#", "@")


def proposal_counts(text: str) -> Counter:
    return Counter(s.label for s in preannotate(text))


def score(kw: int, props: Counter, length: int) -> float:
    w = 2 * kw + props["TITLE"] + props["ORG"] + 3 * props["DOC"] + 0.5 * props["PER"]
    return round(w / max(length, 1) * 1000, 4)


@dataclass
class Cand:
    source: str  # dantri | wikipedia | law | baomoi
    id: str
    text: str
    meta: dict
    group: str  # the article: split and batching keep a group together
    kw: int = 0
    props: Counter = field(default_factory=Counter)
    score: float = 0.0
    info: dict = field(default_factory=dict)

    def doc(self) -> Document:
        return Document(self.id, self.text, [], self.meta)


def rate(c: Cand) -> Cand:
    c.kw = len(KEYWORDS_RE.findall(c.text))
    c.props = proposal_counts(c.text)
    c.score = score(c.kw, c.props, len(c.text))
    return c


def by_score(cands: Iterable[Cand]) -> list[Cand]:
    return sorted(cands, key=lambda c: (-c.score, c.id))


# --- Exclusions ------------------------------------------------------------------------------
@dataclass
class Excluded:
    reserved: list[ReservedIds]
    v1_ids: set[str]
    standoff_ids: set[str]

    def is_reserved(self, rid: str) -> bool:
        return any(rid in r for r in self.reserved)


def read_v1_split(repo: Path) -> dict[str, list[str]]:
    """The record ids of corpus v1 by split. v1 keeps its split in v2; since v2 shipped, its
    split is ``split_v1.json`` (``split.json`` is v2's, which would exclude every v2 record)."""
    split = json.loads((repo / "annotations" / "data" / "split_v1.json").read_text(encoding="utf-8"))
    return {part: v["ids"] for part, v in split["splits"].items()}


def load_exclusions(data: Path, repo: Path) -> Excluded:
    reserved = [
        load_reserved(data / "raw_news" / "RESERVED.txt"),
        load_reserved(repo / "annotations" / "RESERVED_IDS.sha256"),
    ]
    v1 = {i for ids in read_v1_split(repo).values() for i in ids}
    standoff = set()
    for f in sorted((repo / "annotations" / "standoff").glob("*.jsonl")):
        standoff |= {r["id"] for r in read_jsonl(f)}
        standoff |= {r["meta"].get("source_id", r["id"]) for r in read_jsonl(f)}
    # v1's stand-off articles only: those that v2 itself shipped (split.json's stand-off
    # assignment) were picked by this selection, so a rerun must not exclude them
    v2_split = json.loads((repo / "annotations" / "data" / "split.json").read_text(encoding="utf-8"))
    standoff -= set(v2_split["standoff"]["assign"])
    return Excluded(reserved, v1, standoff)


# --- Dân trí ---------------------------------------------------------------------------------
def v1_meta_template(repo: Path) -> dict:
    with open(repo / "annotations" / "data" / "train.jsonl", encoding="utf-8") as fh:
        return json.loads(fh.readline())["meta"]


def select_dantri(data: Path, repo: Path, ex: Excluded, n: int) -> list[Cand]:
    tmpl = v1_meta_template(repo)
    cands = []
    for r in read_jsonl(data / "open_text" / "dantri_unc.jsonl.gz"):
        rid, text = r["id"], r["text"]
        if rid in ex.v1_ids or ex.is_reserved(rid) or not 800 <= len(text) <= 10_000:
            continue
        if len(KEYWORDS_RE.findall(text)) < 4:
            continue
        topic, num = rid.rsplit("_", 2)[-2:]
        meta = {
            "source_id": rid,
            "source_site": tmpl["source_site"],
            "url": r.get("url"),
            "date": r.get("date"),
            "source_repo": DANTRI_REPO[0],
            "source_commit": DANTRI_REPO[1],
            "source_path": f"resources/CP_Vietnamese-UNC/datasets/CP_Vietnamese-UNC/news_{topic}_{num}.txt",
            "licence": "GPL-3.0",
        }
        cands.append(rate(Cand("dantri", rid, text, meta, rid)))
    return by_score(cands)[:n]


# --- Wikipedia -------------------------------------------------------------------------------
_HEADER_RE = re.compile(r"^(={2,})[ \t]*(.+?)[ \t]*\1[ \t]*$", re.M)


def sections(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, level, name) of the lead and of every section; end = next header's start."""
    heads = list(_HEADER_RE.finditer(text))
    out = []
    first = heads[0].start() if heads else len(text)
    if text[:first].strip():
        out.append((0, first, 1, "(mở đầu)"))
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out.append((m.start(), end, len(m.group(1)), m.group(2).strip()))
    return out


def kept_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of consecutive sections that are not references/links (and not inside one)."""
    runs: list[list[tuple[int, int, str]]] = [[]]
    drop_level = None
    for s, e, level, name in sections(text):
        if drop_level is not None and level > drop_level:
            continue
        drop_level = None
        # some pages carry the edit link glued to the heading: "Tham khảoSửa đổi"
        if re.sub(r"\s*sửa đổi$", "", name.lower()).strip(" :") in DROPPED_SECTIONS:
            drop_level = level
            runs.append([])
            continue
        runs[-1].append((s, e, name))
    return [r for r in runs if r]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _split_long(text: str, s: int, e: int, hi: int) -> list[tuple[int, int]]:
    """Cut [s, e) at line ends (or, for a very long line, after '. ') into pieces <= hi."""
    out = []
    while e - s > hi:
        window = text[s : s + hi]
        cut = window.rfind("\n")
        if cut < hi // 3:
            cut = window.rfind(". ")
            cut = cut + 1 if cut >= hi // 3 else hi
        out.append((s, s + cut))
        s += cut
    out.append((s, e))
    return out


def pack_cuts(text: str, run: list[tuple[int, int, str]], lo: int, hi: int) -> list[tuple[int, int, list[str]]]:
    """Group consecutive sections of a run into slices of about lo..hi characters (trimmed).

    A slice is closed once it reaches the middle of the range or the next section would
    take it over hi; a last slice shorter than lo joins the one before when they fit in hi.
    """
    target = (lo + hi) // 2

    def length(s: int, e: int) -> int:
        a, b = _trim(text, s, e)
        return b - a

    pieces = [(ps, pe, name) for s, e, name in run for ps, pe in _split_long(text, s, e, hi)]
    cuts: list[list[tuple[int, int, str]]] = []
    for p in pieces:
        if cuts and length(cuts[-1][0][0], cuts[-1][-1][1]) < target and length(cuts[-1][0][0], p[1]) <= hi:
            cuts[-1].append(p)
        else:
            cuts.append([p])
    if len(cuts) > 1 and length(cuts[-1][0][0], cuts[-1][-1][1]) < lo and length(cuts[-2][0][0], cuts[-1][-1][1]) <= hi:
        cuts[-2].extend(cuts.pop())
    out = []
    for c in cuts:
        s, e = _trim(text, c[0][0], c[-1][1])
        names: list[str] = []
        for _, _, n in c:
            if n not in names:
                names.append(n)
        out.append((s, e, names))
    return out


def cased_title(title: str, text: str) -> tuple[str, str]:
    """The page title as capitalised in the page text (the crawl keeps lower-case titles)."""
    m = re.fullmatch(r"(.*?)(?:\s*\(([^()]*)\))?", title)
    base, inner = m.group(1), m.group(2)

    def best_form(phrase: str) -> str | None:
        forms = Counter(x.group(0) for x in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I))
        if not forms:
            return None
        return max(forms, key=lambda f: (forms[f], -text.find(f)))

    def per_word(phrase: str) -> str:
        return " ".join(best_form(w) or w if w else w for w in phrase.split(" "))

    how = "from_text"
    cased = best_form(base) if base else None
    if cased is None:
        cased, how = per_word(base), "guessed"
    cased = cased[:1].upper() + cased[1:]
    if inner is not None:
        cased += f" ({best_form(inner) or per_word(inner)})"
    return cased, how


def page_kind(title: str, cased: str, text: str) -> str:
    lead = text[:400]
    words = cased.split(" (")[0].split()
    looks_like_name = 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words)
    if looks_like_name and BIRTH_RE.search(lead) and OFFICE_RE.search(text[:3000]):
        return "official"
    if BODY_TITLE_RE.match(title) and VN_RE.search(title + " " + lead):
        return "body"
    return "other"


def wiki_candidates(data: Path, ex: Excluded, lo: int, hi: int) -> list[Cand]:
    cands = []
    for r in read_jsonl(data / "open_text" / "viwiki.jsonl.gz"):
        title, text = r["title"], r["text"]
        if "/" in title or ex.is_reserved(r["id"]):
            continue
        vn = len(VN_STRICT_RE.findall(text))
        if vn < 5 or vn < len(FOREIGN_RE.findall(text)):
            continue
        cased, how = cased_title(title, text)
        kind = page_kind(title, cased, text)
        page_slug = slug(title)
        k = 0
        for run in kept_runs(text):
            for s, e, names in pack_cuts(text, run, lo - len(cased) - 1, hi - len(cased) - 1):
                k += 1
                body = text[s:e]
                rec_text = f"{cased}\n{body}"
                if not lo <= len(rec_text) <= hi:
                    continue
                vn_cut, foreign_cut = len(VN_RE.findall(body)), len(FOREIGN_RE.findall(body))
                if vn_cut < 3 or vn_cut < foreign_cut or len(KEYWORDS_RE.findall(body)) < 5:
                    continue
                rid = f"viwiki_{page_slug}#{k}"
                meta = {
                    "source": "wikipedia",
                    "licence": "CC BY-SA 3.0",
                    "title": cased,
                    "url": "https://vi.wikipedia.org/wiki/" + cased.replace(" ", "_"),
                    "source_repo": WIKI_REPO[0],
                    "source_commit": WIKI_REPO[1],
                    "source_path": f"viwiki/{title}.txt",
                    "section": " + ".join(names),
                    "crawl": "2017",
                    "source_id": r["id"],
                    "char_start": s,
                    "char_end": e,
                    "title_case": how,
                    "page_kind": kind,
                }
                cands.append(rate(Cand("wikipedia", rid, rec_text, meta, f"viwiki_{page_slug}", info={"kind": kind})))
    return cands


# Sections of other pages that may hold the decrees that set up, split and rename bodies.
HISTORY_SECTION_RE = re.compile(
    r"[Ll]ịch sử|[Hh]ành chính|[Tt]ừ năm|[Tt]hời kỳ|[Gg]iai đoạn|[Cc]hính quyền|[Tt]ổ chức|[Vv]ăn bản|"
    r"[Pp]háp lý|[Tt]ên gọi|[Tt]hành lập|[Tt]ỉnh .+ (?:từ|giai đoạn)"
)


MIN_SCORE = 20  # an official's biography cut below this is mostly not about offices


def select_wiki(cands: list[Cand], n_main: int, n_doc: int, max_per_page: int, min_official: int) -> list[Cand]:
    """Officials' and bodies' cuts (officials' first, up to min_official), then DOC-rich cuts."""
    chosen: list[Cand] = []
    per_page: Counter = Counter()

    def take(pool: Iterable[Cand], limit: int, per_page_max: int) -> None:
        for c in pool:
            if len(chosen) >= limit:
                break
            if c.id not in {x.id for x in chosen} and per_page[c.group] < per_page_max:
                chosen.append(c)
                per_page[c.group] += 1

    officials = (x for x in cands if x.info["kind"] == "official" and x.score >= MIN_SCORE)
    take(by_score(officials), min_official, max_per_page)
    take(by_score(x for x in cands if x.info["kind"] in ("official", "body")), n_main, max_per_page)
    taken = {c.id for c in chosen}
    doc_rich = sorted(
        (
            x for x in cands
            if x.id not in taken and x.props["DOC"] >= 3
            and (x.info["kind"] != "other" or (HISTORY_SECTION_RE.search(x.meta["section"]) and x.score >= 15))
        ),
        key=lambda c: (-c.props["DOC"], -c.score, c.id),
    )
    extra = 0
    for c in doc_rich:
        if extra >= n_doc:
            break
        if per_page[c.group] < 2 or (c.info["kind"] != "other" and per_page[c.group] < max_per_page):
            chosen.append(c)
            per_page[c.group] += 1
            extra += 1
    return chosen


# --- Laws ------------------------------------------------------------------------------------
def law_title_and_code(text: str) -> tuple[str, str | None]:
    """The law's title as its header writes it (``LUẬT`` + the next line) and its own code."""
    m = re.search(r"^(?:BỘ LUẬT|LUẬT|HIẾN PHÁP)\b.*$", text[:3000], re.M)
    if not m:
        return "", None
    title, end = m.group(0).strip(), m.end()
    if title in ("BỘ LUẬT", "LUẬT", "HIẾN PHÁP"):
        nxt = re.compile(r"\S.*").search(text, end)
        if nxt:
            title, end = f"{title} {nxt.group(0).strip()}", nxt.end()
    codes = find_doc_codes(text[:end])
    return title, (codes[0].text if codes else None)


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        if text[pos : m.start()].strip():
            out.append(_trim(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append(_trim(text, pos, len(text)))
    return out


_HEADING_RE = re.compile(r"^(?:Điều \d+|Chương [IVXLC\d]+|CHƯƠNG|Mục \d+|Phần thứ)", re.I)


def law_excerpts(text: str, lo: int, hi: int, min_codes: int, max_per_law: int) -> list[tuple[int, int, int]]:
    """(start, end, number of codes) of excerpts around clusters of >= min_codes codes."""
    paras = paragraphs(text)
    codes = find_doc_codes(text)
    if len(codes) < min_codes or not paras:
        return []

    def para_of(pos: int) -> int:
        for i, (s, e) in enumerate(paras):
            if s <= pos < e or pos < s:
                return i
        return len(paras) - 1

    out: list[tuple[int, int, int]] = []
    i, prev_end = 0, 0
    while i < len(codes) and len(out) < max_per_law:
        p0 = para_of(codes[i].start)
        j = i
        while j + 1 < len(codes) and paras[para_of(codes[j + 1].start)][1] - paras[p0][0] <= hi:
            j += 1
        if j - i + 1 < min_codes:
            i += 1
            continue
        a, b = p0, para_of(codes[j].start)
        if paras[a][0] < 1500:  # the preamble: from the top of the document
            a = 0
        # add the heading (Điều N. / Chương) the excerpt belongs to, and pad to lo
        for back in range(a - 1, max(a - 4, -1), -1):
            if paras[back][0] < prev_end or paras[b][1] - paras[back][0] > hi:
                break
            if _HEADING_RE.match(text[paras[back][0] : paras[back][1]]):
                a = back
                break
        while paras[b][1] - paras[a][0] < lo:
            if b + 1 < len(paras) and paras[b + 1][1] - paras[a][0] <= hi:
                b += 1
            elif a > 0 and paras[a - 1][0] >= prev_end and paras[b][1] - paras[a - 1][0] <= hi:
                a -= 1
            else:
                break
        s, e = paras[a][0], paras[b][1]
        n_codes = sum(1 for c in codes if s <= c.start and c.end <= e)
        if lo <= e - s <= hi and n_codes >= min_codes and s >= prev_end:
            out.append((s, e, n_codes))
            prev_end = e
        k = j + 1
        while k < len(codes) and codes[k].start < prev_end:
            k += 1
        i = max(k, i + 1)
    return out


def select_laws(data: Path, lo: int, hi: int, min_codes: int, max_per_law: int) -> list[Cand]:
    out = []
    for r in read_jsonl(data / "open_text" / "vlc_laws.jsonl.gz"):
        text = r["text"]
        if not text.strip():
            continue
        title, code = law_title_and_code(text)
        law_slug = r["id"][len("vlc_"):]
        for k, (s, e, n_codes) in enumerate(law_excerpts(text, lo, hi, min_codes, max_per_law), 1):
            body = text[s:e]
            kind = "preamble" if s == 0 else (
                "amending/transitional"
                if re.search(r"sửa đổi, bổ sung|hiệu lực|chuyển tiếp|hết hiệu lực|bãi bỏ", body, re.I)
                else "body"
            )
            meta = {
                "source": "vlc_laws",
                "law_id": r["id"],
                "law_title": title,
                "code": code,
                "licence": LAW_LICENCE,
                "source_repo": DANTRI_REPO[0],
                "source_commit": DANTRI_REPO[1],
                "source_path": f"resources/CP_Vietnamese-VLC/corpus/{law_slug}.txt",
                "char_start": s,
                "char_end": e,
                "excerpt": kind,
                "grammar_codes": n_codes,
            }
            out.append(rate(Cand("law", f"vlc_{law_slug}#{k}", body, meta, r["id"])))
    return by_score(out)


# --- baomoi ----------------------------------------------------------------------------------
def select_baomoi(data: Path, ex: Excluded, n: int) -> list[Cand]:
    pers_rank, code_rank = [], []
    for r in read_jsonl(data / "raw_news" / "political_news.jsonl"):
        rid = r["id"]
        if not rid.startswith("baomoi2017_") or ex.is_reserved(rid) or rid in ex.standoff_ids or rid in ex.v1_ids:
            continue
        text = document_text(r)
        if not 600 <= len(text) <= 8000:
            continue
        pers = len(PERSONNEL_RE.findall(text)) + 3 * len(PERSONNEL_RE.findall(r["title"]))
        n_codes = len(find_doc_codes(text))
        if pers < 3 and n_codes < 1:
            continue
        meta = {
            "source_id": rid,
            "source_site": r.get("source_site"),
            "url": r.get("url"),
            "date": r.get("date"),
            "source_repo": r.get("source_repo"),
            "source_commit": r.get("source_commit"),
            "source_path": r.get("source_path"),
            "licence": "none granted (magizbox/scraper states none): annotate locally, ship stand-off only",
        }
        c = Cand("baomoi", rid, text, meta, rid, info={"personnel": pers, "codes": n_codes})
        c.kw = len(KEYWORDS_RE.findall(text))
        kwd = c.kw / len(text) * 1000
        pers_rank.append((-(min(pers, 20) + kwd), rid, c))
        code_rank.append((-(n_codes + min(pers, 20) / 10), rid, c))
    pers_rank.sort(key=lambda t: t[:2])
    code_rank.sort(key=lambda t: t[:2])
    chosen: dict[str, Cand] = {}
    ia = ib = 0
    while len(chosen) < n and (ia < len(pers_rank) or ib < len(code_rank)):
        for rank, idx in ((pers_rank, "a"), (code_rank, "b")):
            if len(chosen) >= n:
                break
            pos = ia if idx == "a" else ib
            while pos < len(rank) and rank[pos][1] in chosen:
                pos += 1
            if pos < len(rank):
                c = rank[pos][2]
                c.info["picked_for"] = "personnel" if idx == "a" else "codes"
                chosen[c.id] = c
                pos += 1
            if idx == "a":
                ia = pos
            else:
                ib = pos
    out = [rate(c) for c in chosen.values()]
    return sorted(out, key=lambda c: c.id)


# --- Packages --------------------------------------------------------------------------------
def interleave(groups_by_source: dict[str, list[list[Cand]]]) -> list[list[Cand]]:
    """Merge the sources' group lists so that each source is spread evenly over the order."""
    keyed = []
    for src, groups in groups_by_source.items():
        n = len(groups)
        for i, g in enumerate(groups):
            keyed.append(((i + 0.5) / n, SOURCES.index(src), i, g))
    keyed.sort(key=lambda t: t[:3])
    return [t[3] for t in keyed]


def group_list(cands: list[Cand], rng: random.Random) -> list[list[Cand]]:
    groups: dict[str, list[Cand]] = {}
    for c in sorted(cands, key=lambda c: c.id):
        groups.setdefault(c.group, []).append(c)
    out = [sorted(g, key=lambda c: c.meta.get("char_start", 0)) for _, g in sorted(groups.items())]
    rng.shuffle(out)
    return out


def make_batches(cands: list[Cand], size: int, rng: random.Random) -> list[list[Cand]]:
    by_src: dict[str, list[list[Cand]]] = {}
    for src in SOURCES:
        mine = [c for c in cands if c.source == src]
        if mine:
            by_src[src] = group_list(mine, rng)
    order = interleave(by_src)
    n_batches = max(1, round(len(cands) / size))
    targets = [len(cands) // n_batches + (1 if i < len(cands) % n_batches else 0) for i in range(n_batches)]
    batches: list[list[Cand]] = [[] for _ in range(n_batches)]
    b = 0
    for g in order:
        if len(batches[b]) >= targets[b] and b + 1 < n_batches:
            b += 1
        batches[b].extend(g)
    return batches


def pick_anchor(dantri: list[Cand], wiki: list[Cand], n: int, rng: random.Random) -> list[Cand]:
    """n/2 Dân trí articles and n/2 Wikipedia cuts (one per page), spread over the score range."""
    def spread(pool: list[Cand], k: int) -> list[Cand]:
        pool = by_score(pool)
        if k >= len(pool):
            return pool
        # one from each of k equal slices of the ranking, at a seeded position in the slice
        out = []
        for i in range(k):
            lo, hi = i * len(pool) // k, (i + 1) * len(pool) // k
            out.append(pool[lo + rng.randrange(hi - lo)])
        return out

    one_per_page: dict[str, Cand] = {}
    for c in by_score(wiki):
        one_per_page.setdefault(c.group, c)
    n_wiki = n // 2
    return spread(dantri, n - n_wiki) + spread(list(one_per_page.values()), n_wiki)


def pick_double(batches: dict[str, list[Cand]], n: int, rng: random.Random) -> dict[str, list[str]]:
    names = sorted(batches)
    per = {b: n // len(names) + (1 if i < n % len(names) else 0) for i, b in enumerate(names)}
    out = {}
    for b in names:
        recs = sorted(batches[b], key=lambda c: c.id)
        rng.shuffle(recs)
        picked: list[Cand] = []
        for c in recs:  # prefer records of different sources
            if len(picked) < per[b] and c.source not in {p.source for p in picked}:
                picked.append(c)
        for c in recs:
            if len(picked) < per[b] and c not in picked:
                picked.append(c)
        out[b] = sorted(c.id for c in picked)
    return out


def split_plan(cands: list[Cand], seed: int, ratios: tuple[float, float, float]) -> dict:
    rng = random.Random(seed)
    assign: dict[str, str] = {}
    per_source = {}
    for src in SOURCES:
        groups = group_list([c for c in cands if c.source == src], rng)
        counts = {"train": 0, "dev": 0, "test": 0}
        done = 0
        for g in groups:
            done += len(g)
            deficit = {s: ratios[k] * done - counts[s] for k, s in enumerate(("train", "dev", "test"))}
            part = max(("train", "dev", "test"), key=lambda s: deficit[s])
            counts[part] += len(g)
            for c in g:
                assign[c.id] = part
        per_source[src] = counts
    return {"assign": dict(sorted(assign.items())), "per_source": per_source}


def label_counts(cands: Iterable[Cand]) -> dict[str, int]:
    tot: Counter = Counter()
    for c in cands:
        tot.update(c.props)
    return {lab: tot[lab] for lab in LABELS} | {"total": sum(tot[lab] for lab in LABELS)}


def write_pool(path: Path, cands: list[Cand]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_documents([c.doc() for c in cands], path)


# --- Options -------------------------------------------------------------------------------
def _option(default: int, meaning: str):
    return field(default=default, metadata={"help": meaning})


@dataclass(frozen=True)
class Options:
    """How much v2 takes of each source, how it is batched, and the seed of its draws: every
    field is an integer option of the command (``n_dantri`` is ``--n-dantri``), and the
    defaults are the selection that made corpus v2."""

    seed: int = _option(11, "of the anchoring, batching, double-annotation and split draws")
    n_dantri: int = _option(160, "Dân trí articles, best score first")
    n_baomoi: int = _option(110, "baomoi articles (annotated locally, shipped stand-off)")
    n_wiki: int = _option(75, "Wikipedia cuts of pages on officials and bodies")
    n_wiki_doc: int = _option(20, "further DOC-rich Wikipedia cuts of other Vietnamese pages")
    min_official: int = _option(25, "cuts of officials' biographies taken first")
    max_cuts_per_page: int = _option(3, "cuts of one page on officials and bodies")
    wiki_min: int = _option(1500, "fewest characters of a Wikipedia cut")
    wiki_max: int = _option(5000, "most characters of a Wikipedia cut")
    law_min: int = _option(1000, "fewest characters of a law excerpt")
    law_max: int = _option(4000, "most characters of a law excerpt")
    law_min_codes: int = _option(3, "document codes in the cluster a law excerpt is cut around")
    max_excerpts_per_law: int = _option(3, "excerpts of one law (law excerpts: at most 20%% of v1 and v2)")
    n_anchor: int = _option(30, "records of the anchoring set (in no batch)")
    n_double: int = _option(30, "records annotated twice, independently")
    batch_size: int = _option(20, "records of a bNN batch")
    sbatch_size: int = _option(22, "records of an sbNN (baomoi) batch")
    first_batch: int = _option(7, "number of the first bNN batch (v1 ended at batch6)")


# --- Main ------------------------------------------------------------------------------------
def run(data: Path, repo: Path, out: Path, opts: Options = Options()) -> dict:
    """Select, write the work packages under ``out`` and return the selection report."""
    ex = load_exclusions(data, repo)
    dantri = select_dantri(data, repo, ex, opts.n_dantri)
    print(f"dantri: {len(dantri)} articles", file=sys.stderr)
    wiki_all = wiki_candidates(data, ex, opts.wiki_min, opts.wiki_max)
    wiki = select_wiki(wiki_all, opts.n_wiki, opts.n_wiki_doc, opts.max_cuts_per_page, opts.min_official)
    n_pages = len({c.group for c in wiki})
    print(f"wikipedia: {len(wiki)} cuts of {n_pages} pages (from {len(wiki_all)} candidate cuts)", file=sys.stderr)
    laws = select_laws(data, opts.law_min, opts.law_max, opts.law_min_codes, opts.max_excerpts_per_law)
    n_shipped_other = len(dantri) + len(wiki)
    n_v1 = len(ex.v1_ids)
    cap = int(0.2 * (n_v1 + n_shipped_other) / 0.8)  # law <= 20% of v1 + v2 shipped
    laws = laws[:cap]
    print(f"laws: {len(laws)} excerpts of {len({c.group for c in laws})} laws (cap {cap})", file=sys.stderr)
    baomoi = select_baomoi(data, ex, opts.n_baomoi)
    print(f"baomoi: {len(baomoi)} articles", file=sys.stderr)

    all_ids = [c.id for c in dantri + wiki + laws + baomoi]
    assert len(all_ids) == len(set(all_ids)), "duplicate record ids"
    everything = dantri + wiki + laws + baomoi
    assert not any(ex.is_reserved(c.meta.get("source_id", c.id)) or ex.is_reserved(c.id) for c in everything)

    write_pool(out / "pool" / "dantri.jsonl", dantri)
    write_pool(out / "pool" / "wiki.jsonl", wiki)
    write_pool(out / "pool" / "laws.jsonl", laws)
    write_pool(out / "pool" / "baomoi.jsonl", baomoi)

    rng = random.Random(opts.seed)
    anchor = pick_anchor(dantri, wiki, opts.n_anchor, rng)
    anchor_ids = {c.id for c in anchor}
    shipped = dantri + wiki + laws
    rest = [c for c in shipped if c.id not in anchor_ids]
    bdir = out / "batches"
    bdir.mkdir(parents=True, exist_ok=True)
    batches = {f"b{opts.first_batch + i:02d}": b for i, b in enumerate(make_batches(rest, opts.batch_size, rng))}
    sbatches = {f"sb{i + 1:02d}": b for i, b in enumerate(make_batches(baomoi, opts.sbatch_size, rng))}
    packages = {}
    for name, recs in list(batches.items()) + list(sbatches.items()):
        write_documents([c.doc() for c in recs], bdir / f"{name}.jsonl")
        propose_file(bdir / f"{name}.jsonl", bdir / f"{name}.proposals.jsonl")
        packages[name] = {
            "records": len(recs),
            "characters": sum(len(c.text) for c in recs),
            "sources": dict(sorted(Counter(c.source for c in recs).items())),
            "proposals": label_counts(recs),
        }
    anchor_sorted = sorted(anchor, key=lambda c: c.id)
    write_documents([c.doc() for c in anchor_sorted], bdir / "anc_blank.jsonl")
    write_documents([c.doc() for c in anchor_sorted], bdir / "anc_pre.jsonl")
    propose_file(bdir / "anc_pre.jsonl", bdir / "anc_pre.proposals.jsonl")
    packages["anc_blank"] = packages["anc_pre"] = {
        "records": len(anchor),
        "characters": sum(len(c.text) for c in anchor),
        "sources": dict(sorted(Counter(c.source for c in anchor).items())),
        "proposals": label_counts(anchor),
    }

    double = pick_double(batches, opts.n_double, rng)
    (out / "double.json").write_text(json.dumps(double, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    plan = split_plan(dantri + wiki + laws + baomoi, opts.seed, (0.7, 0.15, 0.15))
    plan_doc = {
        "seed": opts.seed,
        "ratios": [0.7, 0.15, 0.15],
        "method": "by article (Wikipedia page, law, news article), stratified by source; "
        "within a source, groups in a seeded order go to the split furthest below its share of records",
        "v1": read_v1_split(repo),
        "v1_standoff": "annotations/standoff/{train,dev,test}.jsonl keep their split",
        "per_source": plan["per_source"],
        "assign": plan["assign"],
    }
    (out / "split_plan.json").write_text(json.dumps(plan_doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    kinds = Counter(c.info.get("kind") for c in wiki)
    report = {
        "options": {k: str(v) for k, v in sorted({"data": data, **asdict(opts)}.items())},
        "records": {"dantri": len(dantri), "wikipedia": len(wiki), "law": len(laws), "baomoi": len(baomoi)},
        "wikipedia_pages": len({c.group for c in wiki}),
        "wikipedia_kinds": dict(sorted(kinds.items())),
        "laws": len({c.group for c in laws}),
        "law_share_of_shipped": round(len(laws) / (n_v1 + len(shipped)), 4),
        "characters": {s: sum(len(c.text) for c in shipped + baomoi if c.source == s) for s in SOURCES},
        "proposals_new_shipped": label_counts(shipped),
        "proposals_by_source": {s: label_counts(c for c in shipped + baomoi if c.source == s) for s in SOURCES},
        "grammar_codes_in_laws": sum(c.meta["grammar_codes"] for c in laws),
        "checks": {
            "new_shipped_spans>=7600": label_counts(shipped)["total"] >= 7600,
            "new_shipped_DOC>=190": label_counts(shipped)["DOC"] >= 190,
            "wikipedia_officials_and_bodies>=60": kinds["official"] + kinds["body"] >= 60,
            "shipped_records>=400": n_v1 + len(shipped) >= 400,
            "law_share<=0.2": len(laws) <= 0.2 * (n_v1 + len(shipped)),
            "anchor_not_in_batches": not (anchor_ids & {c.id for b in batches.values() for c in b}),
        },
        "packages": packages,
        "anchor": [c.id for c in anchor_sorted],
        "double": double,
    }
    (out / "selection.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.corpus.select_v2", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder (../shared/data)")
    ap.add_argument("--out", type=Path, default=ROOT / "annotations" / "work" / "v2")
    ap.add_argument("--repo", type=Path, default=ROOT, help="project root (v1 split, stand-off, reserved hashes)")
    for option in fields(Options):
        ap.add_argument("--" + option.name.replace("_", "-"), type=int, default=option.default, metavar="N",
                        help=option.metadata["help"])
    args = ap.parse_args(argv)
    if not (args.data / "open_text").is_dir():
        ap.error(f"{args.data}/open_text not found: give the shared data folder")
    opts = Options(**{option.name: getattr(args, option.name) for option in fields(Options)})
    report = run(args.data, args.repo, args.out, opts)
    summary = {k: report[k] for k in ("records", "proposals_new_shipped", "checks")}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0 if all(report["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
