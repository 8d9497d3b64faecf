"""Tag documents from files, directories or stdin, in any output format.

    polner-tag --model DIR [FILE|DIR ...|-] [--format jsonl|conll|words-jsonl|doccano|label-studio|holders-csv|html]
               [--doc-rules off|repair|union] [--quantize int8] [--threads N] [--max-bytes N]

A ``.txt`` file is one document; a ``.jsonl`` file gives one document per line (its
``text`` field, and its ``id`` if present); a directory is read recursively for both. With
no input (or ``-``) the text comes from stdin. The default output is one JSON line per
document: ``{"source", "id", "entities": [...]}``; ``html`` writes one self-contained page for
all inputs, ``holders-csv`` one row per office holder (``inference.holders``).

Inputs are bounded: FIFOs, devices and files above ``--max-bytes`` are refused with one line
each (a FIFO could block forever, ``/dev/zero`` never ends); inside a directory, what is
skipped (other extensions, links that lead nowhere or in a loop, special files) is named on
stderr. A file that cannot be read or parsed is reported with its name and the others are
still tagged; the exit status is then 1. A progress bar goes to stderr when it is a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Iterator

from inference.cli import error
from inference.doc_rules import MODES as DOC_RULE_MODES
from inference.formats import WRITABLE

DEFAULT_MAX_BYTES = 50_000_000
SUFFIXES = (".txt", ".jsonl")


class InputError(ValueError):
    pass


def check_regular_file(path: Path, max_bytes: int) -> None:
    """Refuse what is not a regular file of bounded size, naming it."""
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISFIFO(st.st_mode):
        raise InputError(f"{path}: is a FIFO (named pipe); pipe it to stdin instead (polner-tag ... - < {path})")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is not a regular file (a device or socket); refusing to read it")
    if st.st_size > max_bytes:
        raise InputError(f"{path}: {st.st_size:,} bytes is above the limit of {max_bytes:,} (--max-bytes)")


def _walk(directory: Path, skipped: list[str]) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(directory, followlinks=False):
        for name in sorted(dirs):
            p = Path(root) / name
            if p.is_symlink():
                skipped.append(f"{p}: a link to a directory (not followed)")
        for name in sorted(names):
            p = Path(root) / name
            if p.suffix not in SUFFIXES:
                skipped.append(f"{p}: not .txt or .jsonl")
                continue
            try:
                mode = p.stat().st_mode  # follows links: a dangling or looping link fails here
            except OSError as exc:
                skipped.append(f"{p}: {'a link that leads nowhere' if p.is_symlink() else exc.strerror}")
                continue
            if not stat.S_ISREG(mode):
                skipped.append(f"{p}: not a regular file")
                continue
            files.append(p)
    return sorted(files)


def read_stdin(max_bytes: int) -> str:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"<stdin>: more than {max_bytes:,} bytes (--max-bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"<stdin>: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def iter_documents(sources: list[str], field: str, max_bytes: int = DEFAULT_MAX_BYTES,
                   skipped: list[str] | None = None) -> Iterator[tuple[str, str, str | InputError]]:
    """Yield (source name, document id, text or the error that stopped this source)."""
    skipped = [] if skipped is None else skipped
    for src in sources or ["-"]:
        if src == "-":
            try:
                yield "<stdin>", "stdin", read_stdin(max_bytes)
            except InputError as exc:
                yield "<stdin>", "", exc
            continue
        path = Path(src)
        if path.is_dir():
            files = _walk(path, skipped)
            if not files:
                yield str(path), "", InputError(f"{path}: no .txt or .jsonl files in this directory")
            for f in files:
                yield from _read_file(f, field, max_bytes)
        else:
            yield from _read_file(path, field, max_bytes)


def _read_file(path: Path, field: str, max_bytes: int) -> Iterator[tuple[str, str, str | InputError]]:
    try:
        check_regular_file(path, max_bytes)
        raw = path.read_text(encoding="utf-8")
    except InputError as exc:
        yield str(path), "", exc
        return
    except (OSError, UnicodeDecodeError) as exc:
        yield str(path), "", InputError(f"{path}: cannot read: {exc}")
        return
    if path.suffix != ".jsonl":
        yield str(path), path.stem, raw
        return
    for line_no, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise TypeError("the line is not a JSON object")
            text = obj[field]
            if not isinstance(text, str):
                raise TypeError(f"field {field!r} is not a string")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            yield f"{path}:{line_no}", "", InputError(f"{path}:{line_no}: {type(exc).__name__}: {exc}")
            continue
        yield f"{path}:{line_no}", str(obj.get("id", f"{path.stem}:{line_no}")), text


def _positive_int(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {n}")
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-tag", description="Tag PER, TITLE, ORG and DOC entities.")
    ap.add_argument("--model", required=True, help="model directory written by polner-train")
    ap.add_argument("inputs", nargs="*", help="files or directories (.txt, .jsonl); - or nothing for stdin")
    ap.add_argument("--format", default="jsonl", choices=WRITABLE, help="output format (default: jsonl)")
    ap.add_argument("--doc-rules", choices=DOC_RULE_MODES, help="override the model's setting")
    ap.add_argument("--quantize", choices=["int8"], help="int8 dynamic quantisation (CPU)")
    ap.add_argument("--threads", type=_positive_int, help="CPU threads for the model (default: what this machine can give)")
    ap.add_argument("--batch-docs", type=int, default=64, help="documents per tag_batch call")
    ap.add_argument("--batch-tokens", type=int, default=8192, help="padded tokens per forward pass")
    ap.add_argument("--jsonl-field", default="text", help="field holding the text in .jsonl inputs")
    ap.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest input file or stdin accepted")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)

    from inference import formats
    from inference.formats import OutputDoc
    from inference.settings import ModelDirError
    from inference.tagger import load_tagger

    fmt = formats.get(args.format)
    try:
        tagger = load_tagger(args.model, quantize=args.quantize, doc_rules=args.doc_rules, batch_tokens=args.batch_tokens,
                             threads=args.threads or "auto")
    except (ModelDirError, ValueError, RuntimeError) as exc:
        return error("polner-tag", exc)

    bar = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="tok", unit_scale=True, file=sys.stderr, desc="tagging")
    failures = 0
    pending: list[tuple[str, str, str]] = []
    held: list[OutputDoc] = []  # formats that need every document at once (one page)
    first = True

    def flush() -> None:
        nonlocal first
        if not pending:
            return
        tagged = tagger.tag_documents([t for _, _, t in pending], progress=bar.update if bar else None)
        outs = []
        for (source, doc_id, text), doc in zip(pending, tagged):
            out = OutputDoc(doc_id, text, doc.entities, source=source)
            if "sentences" in fmt.needs:
                out.sentences = [[(w.form, w.tag) for w in s] for s in doc.sentences]
            if "holders" in fmt.needs:
                from inference.holders import find_holders

                out.holders = find_holders(text, doc.entities)
            outs.append(out)
        if fmt.streaming:
            sys.stdout.write(fmt.write(outs, first))
            sys.stdout.flush()
            first = False
        else:
            held.extend(outs)
        pending.clear()

    skipped: list[str] = []
    for source, doc_id, text in iter_documents(args.inputs, args.jsonl_field, args.max_bytes, skipped):
        for line in skipped:
            print(f"polner-tag: skipped {line}", file=sys.stderr)
        skipped.clear()
        if isinstance(text, InputError):
            failures += 1
            print(f"polner-tag: error: {text}", file=sys.stderr)
            continue
        pending.append((source, doc_id, text))
        if len(pending) >= args.batch_docs:
            flush()
    for line in skipped:
        print(f"polner-tag: skipped {line}", file=sys.stderr)
    flush()
    if held:
        sys.stdout.write(fmt.write(held, True))
    if bar:
        bar.close()
    if failures:
        print(f"polner-tag: {failures} input(s) failed; the others were tagged", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
