"""The HTML view: self-contained, escaped, one mark per entity at the right offsets, holder
links that resolve; and the holders CSV. Real entities and the real ``find_holders``; no model."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

from inference.holders import find_holders
from inference import Entity
from inference.view import holders_csv, render_html

TEXT = (
    "Sáng 12/6, Bí thư Thành ủy Hà Nội Trần Văn Khải ký Nghị quyết số 18-NQ/TW.\r\n"
    "Theo Quyết định 123/QĐ-UBND, ông Vũ Hải Nam giữ chức Chủ tịch UBND tỉnh Nghệ An.\n\n"
    'Bà Đỗ Thị Lan, Giám đốc Sở Y tế, nói: "<script>alert(\'x\')</script> & <b>không</b>".'
)


def entity(text: str, mention: str, label: str, score: float = 0.9, nth: int = 0) -> Entity:
    start = -1
    for _ in range(nth + 1):
        start = text.index(mention, start + 1)
    return Entity(mention, label, start, start + len(mention), score, "model")


def entities(text: str = TEXT) -> list[Entity]:
    return [
        entity(text, "Bí thư Thành ủy Hà Nội", "TITLE", 0.93),
        entity(text, "Trần Văn Khải", "PER", 0.88),
        entity(text, "18-NQ/TW", "DOC", 1.0),
        entity(text, "123/QĐ-UBND", "DOC", 0.97),
        entity(text, "Vũ Hải Nam", "PER", 0.81),
        entity(text, "Chủ tịch UBND tỉnh Nghệ An", "TITLE", 0.77),
        entity(text, "Đỗ Thị Lan", "PER", 0.9),
        entity(text, "Giám đốc Sở Y tế", "TITLE", 0.66),
    ]


class PageParser(HTMLParser):
    """Collects marks (attributes, text), every id, every href/src, and each document's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.doc_texts: list[str] = []
        self.scripts = 0
        self._mark: dict | None = None
        self._in_doc = 0  # div depth inside a .doc-text

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        for k in ("href", "src"):
            if k in a:
                self.links.append(a[k])
        if tag == "script":
            self.scripts += 1
        if tag == "div" and "doc-text" in (a.get("class") or "").split():
            self._in_doc = 1
            self.doc_texts.append("")
        elif self._in_doc:
            assert tag == "mark", f"unexpected <{tag}> inside a document's text"
            self._mark = dict(a, _text="")

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        elif tag == "div" and self._in_doc:
            self._in_doc = 0

    def handle_data(self, data):
        if self._in_doc:
            self.doc_texts[-1] += data
            if self._mark is not None:
                self._mark["_text"] += data


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    p.close()
    return p


def test_page_is_self_contained():
    ents = entities()
    page = render_html([("a", TEXT, ents, find_holders(TEXT, ents))])
    p = parse(page)
    assert not [u for u in p.links if re.match(r"\s*(https?:)?//", u, re.I)]
    assert not re.search(r"<link\b|@import|url\(|<iframe|<img", page, re.I)
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)
    assert p.scripts == 1  # the view's own, inline
    assert '<meta name="viewport"' in page


def test_text_is_escaped_and_kept_exactly():
    doc_id = 'x"><script>alert(1)</script>'
    ents = entities()
    page = render_html([(doc_id, TEXT, ents, find_holders(TEXT, ents))])
    assert "<script>alert" not in page and "<b>không" not in page
    p = parse(page)
    assert p.scripts == 1
    # the page's text of the document is the original string, line breaks and CR included
    assert p.doc_texts == [TEXT]


def test_every_entity_is_a_mark_at_its_offsets():
    ents = entities()
    p = parse(render_html([("a", TEXT, ents, [])]))
    assert len(p.marks) == len(ents)
    for m, e in zip(p.marks, sorted(ents, key=lambda e: e.start)):
        start, end = int(m["data-start"]), int(m["data-end"])
        assert (start, end, m["data-label"]) == (e.start, e.end, e.label)
        assert TEXT[start:end] == m["_text"] == e.text
        assert float(m["data-score"]) == round(e.score, 4)
        assert e.label in m["title"] and f"{e.score:.2f}" in m["title"]  # the hover tooltip


def test_entity_dicts_render_like_entities():
    ents = entities()
    hs = find_holders(TEXT, ents)
    assert render_html([("a", TEXT, ents, hs)]) == render_html(
        [("a", TEXT, [e.to_json() for e in ents], [h.to_json() for h in hs])]
    )


def test_holder_table_links_resolve_to_the_mentions():
    ents = entities()
    hs = find_holders(TEXT, ents)
    assert {h.person for h in hs} == {"Trần Văn Khải", "Vũ Hải Nam", "Đỗ Thị Lan"}
    page = render_html([("a", TEXT, ents, hs)])
    p = parse(page)
    anchors = [u[1:] for u in p.links if u.startswith("#")]
    assert anchors and all(a in p.ids for a in anchors)
    marks = {m["id"]: m for m in p.marks}
    # each person cell links to the person's own mark, each documents cell to the DOC marks
    for h in hs:
        person_mark = [m for m in p.marks if (int(m["data-start"]), int(m["data-end"])) == h.person_span]
        assert len(person_mark) == 1 and f'href="#{person_mark[0]["id"]}"' in page
    khai = next(h for h in hs if h.person == "Trần Văn Khải")
    assert khai.documents == ["18-NQ/TW"]
    doc_mark = next(m for m in marks.values() if m["_text"] == "18-NQ/TW")
    assert f'href="#{doc_mark["id"]}">18-NQ/TW</a>' in page


def test_many_documents_get_distinct_ids_and_overlaps_are_counted():
    ents = entities()
    other = "Thủ tướng Phạm Minh Chính chủ trì."
    o_ents = [entity(other, "Thủ tướng", "TITLE"), entity(other, "Phạm Minh Chính", "PER"),
              entity(other, "Minh Chính", "PER")]  # overlaps the previous one
    page = render_html([("same", TEXT, ents, find_holders(TEXT, ents)),
                        ("same", other, o_ents, find_holders(other, o_ents))])
    p = parse(page)  # the parser asserts ids are unique
    assert p.doc_texts == [TEXT, other]
    assert len(p.marks) == len(ents) + 2
    assert "1 overlapping entity not drawn" in page
    assert all(u[1:] in p.ids for u in p.links if u.startswith("#"))


def test_empty_page_and_unknown_label():
    assert "No documents." in render_html([])
    text = "Hà Nội"
    p = parse(render_html([("x", text, [Entity("Hà Nội", "LOC", 0, 6, 0.5)], [])]))
    assert p.marks[0]["data-label"] == "LOC"


def test_holders_csv_has_a_header_and_one_row_per_record():
    ents = entities()
    hs = find_holders(TEXT, ents)
    out = holders_csv([("doc-1", hs), ("doc-2", hs[0].to_json())])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(hs) + 1
    assert {r["doc_id"] for r in rows} == {"doc-1", "doc-2"}
    first = rows[0]
    h = hs[0]
    assert (first["person"], first["office"], first["body"]) == (h.person, h.office, h.body or "")
    assert first["documents"] == "; ".join(h.documents)
    assert (int(first["person_start"]), int(first["person_end"])) == h.person_span
    assert out.splitlines()[0].startswith("doc_id,person,office,body,modifier")


def test_the_holders_csv_format_writes_its_header_once_across_chunks():
    """polner-tag writes in chunks: the first chunk carries the header, later ones do not
    (the writer used to pass a ``header`` argument holders_csv did not take: a TypeError)."""
    from inference import formats
    from inference.formats import OutputDoc
    from inference.holders import find_holders
    from inference.spans import Entity

    text = "Chủ tịch UBND tỉnh Hòa Bình Nguyễn Minh Tuấn ký."
    ents = [Entity("Chủ tịch UBND tỉnh Hòa Bình", "TITLE", 0, 27, 0.9, "model"),
            Entity("Nguyễn Minh Tuấn", "PER", 28, 44, 0.9, "model")]
    doc = OutputDoc("d1", text, ents, holders=find_holders(text, ents))
    assert doc.holders
    write = formats.get("holders-csv").write
    first, later = write([doc], True), write([doc], False)
    assert first.splitlines()[0].startswith("doc_id,") and first.splitlines()[1:] == later.splitlines()
    assert "Nguyễn Minh Tuấn" in later and not later.startswith("doc_id,")
