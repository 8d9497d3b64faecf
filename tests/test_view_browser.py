"""The HTML view in a real browser: headless Chromium (Debian's ``chromium`` package) parses
the page, runs its script, and the rendered DOM must hold exactly the tagger's entities; a
screenshot is saved beside the test's files (desktop and phone widths).

Skipped, with the reason, when ``chromium`` is not installed (``apt-get install -y chromium``).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from inference.holders import find_holders
from inference.view import render_html
from tests.test_end_to_end import ARTICLE
from tests.test_view import TEXT as HOSTILE_TEXT, parse

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not found (/usr/bin/chromium): "
                                                "install Debian's package with `apt-get install -y chromium`"),
]


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp / 'chromium-profile'}", "--enable-logging=stderr", "--v=0", *args]
    proc = subprocess.run(cmd, capture_output=True, timeout=180)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    return proc


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def page(tagger, tmp_path_factory):
    """The view of two documents tagged by the trained model, written to a file."""
    texts = [ARTICLE, HOSTILE_TEXT]
    docs = []
    for i, text in enumerate(texts):
        ents = tagger.tag(text)
        docs.append((f"doc-{i}", text, ents, find_holders(text, ents)))
    assert sum(len(d[2]) for d in docs) > 0, "the fixture model should find some entities"
    tmp = tmp_path_factory.mktemp("view")
    path = tmp / "view.html"
    path.write_text(render_html(docs), encoding="utf-8")
    return path, docs


def test_rendered_dom_highlights_exactly_the_entities(page):
    path, docs = page
    proc = chromium(path.parent, "--dump-dom", path.as_uri())
    dom = proc.stdout.decode("utf-8")
    p = parse(dom)
    # the document texts survive parsing intact (CR, blank lines, "<script>" in the text)
    assert p.doc_texts == [text for _, text, _, _ in docs]
    assert p.scripts == 1
    expected = [(e.label, e.start, e.end, e.text) for _, _, ents, _ in docs for e in sorted(ents, key=lambda e: e.start)]
    got = [(m["data-label"], int(m["data-start"]), int(m["data-end"]), m["_text"]) for m in p.marks]
    assert got == expected
    for m in p.marks:  # the marks of each document index that document's text
        doc = next(d for d in docs if m["id"].startswith(f"d{docs.index(d)}-"))
        assert doc[1][int(m["data-start"]):int(m["data-end"])] == m["_text"]
    assert all(u[1:] in p.ids for u in p.links if u.startswith("#"))
    stderr = proc.stderr.decode(errors="replace")
    assert "Uncaught" not in stderr, stderr  # the inline script ran without an error


@pytest.mark.parametrize("name,width,height", [("view.png", 1200, 900), ("view-phone.png", 390, 844)])
def test_screenshot(page, name, width, height):
    path, _ = page
    shot = path.parent / name
    chromium(path.parent, f"--screenshot={shot}", f"--window-size={width},{height}", path.as_uri())
    assert shot.is_file() and shot.stat().st_size > 5_000  # a page with content, not a blank image
    assert png_size(shot) == (width, height)
