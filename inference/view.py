"""An HTML view of tagged documents, and the office holders as CSV.

    from inference.view import render_html, holders_csv
    page = render_html([(doc_id, text, entities, holders), ...])
    csv_text = holders_csv([(doc_id, holder), ...])

``render_html`` writes one self-contained page (inline CSS and a few lines of inline
JavaScript, no external resource: it works offline and can be mailed as a file). Each
document's text keeps its line breaks; every entity is a ``<mark>`` carrying
``data-label``, ``data-start``, ``data-end`` (offsets into the document's text, end
exclusive, as the tagger gives them) and ``data-score``, with a tooltip (``title``) giving
label, score and source; a tap or click on a mark shows the same in a bar, for touch
screens. Labels are told apart by colour *and* by a small label tag after each mark, so
the view does not rely on colour alone. Below each document, a table of office holders
(person, office, body, modifier, documents) whose cells link to the mentions in the text.

Entities and holders may be the library's objects (``inference.Entity``,
``inference.holders.Holder``) or their ``to_json()`` dicts. Overlapping entities cannot
be drawn as flat marks: of overlapping ones the first (longest) is drawn and the others
are counted in a note under the document. Nothing here imports torch.
"""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any, Iterable, Sequence

__all__ = ["render_html", "holders_csv", "LABEL_COLOURS"]

# Light tints (near-black text on them: contrast >= 14:1) with a dark underline and label tag
# of the same hue (>= 5.6:1 on the tint, WCAG AA for small text); hues after the Okabe-Ito
# colour-blind-safe palette. The label tag after each mark means colour is never the only cue.
LABEL_COLOURS = {
    "PER": ("#d6eaff", "#005a8c"),
    "TITLE": ("#ffe3b8", "#804c00"),
    "ORG": ("#d2f4e6", "#00664b"),
    "DOC": ("#f6dcef", "#8a3a6b"),
}
_OTHER_COLOUR = ("#e6e6e6", "#555555")
_LABEL_NAMES = {"PER": "person", "TITLE": "title / position", "ORG": "organisation", "DOC": "document code"}


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _span(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    s, e = value
    return int(s), int(e)


def _esc(s: Any) -> str:
    # a carriage return as a character reference: the HTML parser would turn a raw CR (and
    # CRLF) into LF, and the page's text would no longer match the offsets
    return html.escape("" if s is None else str(s), quote=True).replace("\r", "&#13;")


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", s).strip("-")[:40] or "doc"


def _css() -> str:
    rules = []
    for label, (bg, line) in LABEL_COLOURS.items():
        rules.append(
            f'mark[data-label="{label}"],.key[data-label="{label}"]{{background:{bg};border-bottom-color:{line}}}'
            f'mark[data-label="{label}"]::after{{color:{line}}}'
        )
    bg, line = _OTHER_COLOUR
    return (
        """
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;
color:#111;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.2rem 0 .6rem}
h2{font-size:1.1rem;margin:1.6rem 0 .4rem;overflow-wrap:anywhere}
h3{font-size:1rem;margin:1rem 0 .3rem}
.legend{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 1rem;padding:0;list-style:none}
.legend button{font:inherit;font-size:.9rem;color:#111;border:2px solid transparent;border-radius:4px;
padding:.15rem .5rem;cursor:pointer;border-bottom-width:3px}
.legend button[aria-pressed="false"]{background:#fff !important;text-decoration:line-through;color:#444}
.doc-text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #ccc;border-radius:6px;
padding:.8rem;background:#fcfcfc}
mark{color:#111;border-bottom:3px solid;border-radius:3px;padding:0 .1em;cursor:help;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark::after{content:attr(data-label);font-size:.62em;font-weight:700;vertical-align:super;margin-left:.15em;
letter-spacing:.02em}
mark:target,mark.focus{outline:3px solid #111;outline-offset:1px}
main.hide-PER mark[data-label="PER"],main.hide-TITLE mark[data-label="TITLE"],
main.hide-ORG mark[data-label="ORG"],main.hide-DOC mark[data-label="DOC"]{background:none;border-bottom-color:transparent}
main.hide-PER mark[data-label="PER"]::after,main.hide-TITLE mark[data-label="TITLE"]::after,
main.hide-ORG mark[data-label="ORG"]::after,main.hide-DOC mark[data-label="DOC"]::after{content:none}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
td a{color:#0b4f8a}
.note,.empty{color:#444;font-size:.9rem}
#detail{position:fixed;left:0;right:0;bottom:0;background:#111;color:#fff;padding:.5rem 1rem;font-size:.95rem;
display:none}
#detail.show{display:block}
form textarea{width:100%;min-height:10rem;font:inherit;padding:.5rem}
form button{font:inherit;padding:.3rem 1rem;margin-top:.4rem}
@media (max-width:600px){body{font-size:15px}main{padding:.6rem}th,td{padding:.25rem .3rem}}
"""
        + "\n".join(rules)
        + f"\nmark{{background:{bg};border-bottom-color:{line}}}"
    )


_JS = """
(function(){
  var bar=document.getElementById('detail');
  document.addEventListener('click',function(ev){
    var m=ev.target.closest?ev.target.closest('mark'):null;
    if(!m){return;}
    document.querySelectorAll('mark.focus').forEach(function(x){x.classList.remove('focus');});
    m.classList.add('focus');
    bar.textContent=m.getAttribute('title')+' \\u2014 \\u201c'+m.textContent+'\\u201d (characters '+
      m.dataset.start+'\\u2013'+m.dataset.end+')';
    bar.classList.add('show');
  });
  document.querySelectorAll('.legend button').forEach(function(b){
    b.addEventListener('click',function(){
      var on=b.getAttribute('aria-pressed')!=='true';
      b.setAttribute('aria-pressed',on?'true':'false');
      document.querySelector('main').classList.toggle('hide-'+b.dataset.label,!on);
    });
  });
})();
"""


def _marks(doc_key: str, text: str, entities: Sequence[Any]) -> tuple[str, list[tuple[int, int, str]], int]:
    """The text as HTML with marks; the (start, end, id) of each mark; how many were dropped."""
    ents = []
    for e in entities:
        start, end = int(_get(e, "start")), int(_get(e, "end"))
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"entity {start}:{end} is outside the text (length {len(text)})")
        ents.append((start, end, e))
    ents.sort(key=lambda t: (t[0], -t[1]))
    out: list[str] = []
    placed: list[tuple[int, int, str]] = []
    pos, dropped = 0, 0
    for start, end, e in ents:
        if start < pos:
            dropped += 1
            continue
        label = str(_get(e, "label"))
        score = _get(e, "score")
        source = _get(e, "source")
        mark_id = f"{doc_key}-e{len(placed)}"
        score_txt = f"{float(score):.4f}" if score is not None else ""
        tip = label + (f" \u00b7 score {float(score):.2f}" if score is not None else "")
        tip += f" \u00b7 {source}" if source else ""
        out.append(_esc(text[pos:start]))
        out.append(
            f'<mark id="{mark_id}" data-label="{_esc(label)}" data-start="{start}" data-end="{end}" '
            f'data-score="{score_txt}" title="{_esc(tip)}">{_esc(text[start:end])}</mark>'
        )
        placed.append((start, end, mark_id))
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out), placed, dropped


def _mark_for(span: tuple[int, int] | None, placed: list[tuple[int, int, str]]) -> str | None:
    """The id of the mark holding ``span`` (the exact mention, or the title it is part of)."""
    if span is None:
        return None
    for start, end, mark_id in placed:
        if start <= span[0] and span[1] <= end:
            return mark_id
    return None


def _cell(value: Any, span: tuple[int, int] | None, placed) -> str:
    if value is None or value == "":
        return '<td><span class="empty">—</span></td>'
    mark_id = _mark_for(span, placed)
    if mark_id is None:
        return f"<td>{_esc(value)}</td>"
    return f'<td><a href="#{mark_id}">{_esc(value)}</a></td>'


def _holder_table(holders: Sequence[Any], placed) -> str:
    if not holders:
        return '<p class="empty">No office holders found.</p>'
    rows = []
    for h in holders:
        person = _get(h, "person")
        resolved_from = _get(h, "resolved_from")
        person_cell = _cell(person, _span(_get(h, "person_span")), placed)
        if resolved_from:
            person_cell = person_cell[:-5] + f' <span class="note">(written “{_esc(resolved_from)}”)</span></td>'
        docs = list(_get(h, "documents") or [])
        doc_spans = [_span(s) for s in (_get(h, "document_spans") or [])]
        links = []
        for i, d in enumerate(docs):
            mark_id = _mark_for(doc_spans[i] if i < len(doc_spans) else None, placed)
            links.append(f'<a href="#{mark_id}">{_esc(d)}</a>' if mark_id else _esc(d))
        score = _get(h, "score")
        rows.append(
            "<tr>"
            + person_cell
            + _cell(_get(h, "office"), _span(_get(h, "office_span")) or _span(_get(h, "title_span")), placed)
            + _cell(_get(h, "body"), _span(_get(h, "body_span")), placed)
            + _cell(_get(h, "modifier"), None, placed)
            + (f"<td>{', '.join(links)}</td>" if links else '<td><span class="empty">—</span></td>')
            + f'<td title="{_esc(_get(h, "evidence") or "")}">'
            + (f"{float(score):.2f}" if score is not None else "—")
            + "</td></tr>"
        )
    return (
        '<div class="table-wrap"><table><thead><tr><th scope="col">person</th><th scope="col">office</th>'
        '<th scope="col">body</th><th scope="col">modifier</th><th scope="col">documents</th>'
        '<th scope="col">score</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>"
    )


def render_html(
    docs: Iterable[tuple[str, str, Sequence[Any], Sequence[Any]]],
    *,
    title: str = "polner: entities and office holders",
    prefix_html: str = "",
    empty_message: str = "No documents.",
) -> str:
    """One self-contained HTML page for ``docs``: (doc_id, text, entities, holders) tuples.

    ``prefix_html`` is trusted HTML placed under the heading (the server's input form);
    ``empty_message`` is shown when ``docs`` is empty.
    """
    docs = list(docs)
    labels = list(LABEL_COLOURS)
    for _, _, entities, _ in docs:
        for e in entities:
            label = str(_get(e, "label"))
            if label not in labels:
                labels.append(label)
    legend = "".join(
        f'<li><button type="button" class="key" data-label="{_esc(lab)}" aria-pressed="true" '
        f'title="show or hide {_esc(lab)}">{_esc(lab)} · {_esc(_LABEL_NAMES.get(lab, lab))}</button></li>'
        for lab in labels
    )
    parts = []
    used: set[str] = set()
    for n, (doc_id, text, entities, holders) in enumerate(docs):
        key = f"d{n}-{_slug(str(doc_id))}"
        while key in used:
            key += "_"
        used.add(key)
        body, placed, dropped = _marks(key, text, entities)
        note = f'<p class="note">{dropped} overlapping entit{"y" if dropped == 1 else "ies"} not drawn.</p>' if dropped else ""
        parts.append(
            f'<section class="doc" id="{key}" data-doc-id="{_esc(doc_id)}">'
            f"<h2>{_esc(doc_id)}</h2>"
            f'<div class="doc-text" lang="vi">{body}</div>{note}'
            f"<h3>Office holders ({len(holders)})</h3>{_holder_table(holders, placed)}</section>"
        )
    if not docs:
        parts.append(f'<p class="empty">{_esc(empty_message)}</p>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_css()}</style></head><body><main>"
        f"<h1>{_esc(title)}</h1>{prefix_html}"
        f'<ul class="legend" aria-label="labels (click to show or hide)">{legend}</ul>'
        + "".join(parts)
        + '</main><div id="detail" role="status" aria-live="polite"></div>'
        f"<script>{_JS}</script></body></html>\n"
    )


CSV_COLUMNS = [
    "doc_id", "person", "office", "body", "modifier", "title", "documents", "body_source",
    "resolved_from", "person_start", "person_end", "title_start", "title_end", "score", "evidence",
]


def holders_csv(rows: Iterable[tuple[str, Any]], header: bool = True) -> str:
    """CSV text (header row first unless ``header`` is false: a stream written in chunks
    has one) with one row per holder record.

    ``rows`` are ``(doc_id, holder)`` pairs; ``holder`` may also be a list of holders (all
    of that document). A record's documents are joined with ``"; "``.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(CSV_COLUMNS)
    for doc_id, item in rows:
        for h in item if isinstance(item, (list, tuple)) else [item]:
            ps = _span(_get(h, "person_span")) or (None, None)
            ts = _span(_get(h, "title_span")) or (None, None)
            score = _get(h, "score")
            w.writerow([
                doc_id, _get(h, "person"), _get(h, "office"), _get(h, "body"), _get(h, "modifier"),
                _get(h, "title"), "; ".join(_get(h, "documents") or []), _get(h, "body_source"),
                _get(h, "resolved_from"), ps[0], ps[1], ts[0], ts[1],
                "" if score is None else f"{float(score):.4f}", _get(h, "evidence"),
            ])
    return buf.getvalue()
