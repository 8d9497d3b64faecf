"""Make docs/view.png: the HTML view of a short invented passage, tagged by a model.

    python docs/make_view_png.py --model runs/tiny [--out docs/view.png] [--html FILE]

The passage below was written for this picture (the people in it are invented); the
screenshot is taken with headless Chromium (Debian's ``chromium`` package) at 1200x620.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSAGE = (
    "Sáng 14/3, Chủ tịch UBND tỉnh Hòa Bình Nguyễn Minh Tuấn đã ký Quyết định số 512/QĐ-UBND "
    "về việc thành lập Ban Chỉ đạo phát triển du lịch của tỉnh.\n"
    "Theo quyết định, bà Lê Thị Hồng Nhung, Phó Chủ tịch UBND tỉnh, được giao làm Trưởng ban.\n"
    "Giám đốc Sở Văn hóa, Thể thao và Du lịch Trần Quốc Việt cho biết Sở sẽ phối hợp với "
    "Bộ Văn hóa, Thể thao và Du lịch triển khai Nghị quyết số 08-NQ/TW của Bộ Chính trị."
)

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="model directory written by polner-train")
    ap.add_argument("--out", default=str(ROOT / "docs" / "view.png"))
    ap.add_argument("--html", help="also keep the HTML page here")
    ap.add_argument("--size", default="1200,620", help="window size WIDTH,HEIGHT (the page is cut there)")
    args = ap.parse_args(argv)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("make_view_png: chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return 2

    from inference import load_tagger
    from inference.holders import find_holders
    from inference.view import render_html

    tagger = load_tagger(args.model)
    ents = tagger.tag(PASSAGE)
    holders = find_holders(PASSAGE, ents)
    page = render_html([(f"Invented example, tagged by {Path(args.model).name}", PASSAGE, ents, holders)])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "view.html"
        html_path.write_text(page, encoding="utf-8")
        if args.html:
            Path(args.html).write_text(page, encoding="utf-8")
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--screenshot={out.resolve()}",
               f"--window-size={args.size}", html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=180)
        if proc.returncode != 0 or not out.is_file():
            print(proc.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
            return 1
    print(f"{out}: {out.stat().st_size:,} bytes; {len(ents)} entities, {len(holders)} office holders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
