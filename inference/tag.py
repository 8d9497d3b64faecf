"""Tag documents from files, directories or stdin and print JSONL.

    polner-tag --model DIR [FILE|DIR ...|-] [--doc-rules off|repair|union] [--quantize int8]
               [--batch-docs 64] [--jsonl-field text]

Each input document gives one output line: ``{"source", "id", "entities": [...]}``.
A ``.txt`` file is one document; a ``.jsonl`` file gives one document per line (its
``text`` field, and its ``id`` if present); a directory is read recursively for both.
A file that cannot be read or parsed is reported on stderr with its name and the rest
are still processed; the exit status is then 1. A progress bar goes to stderr when it is
a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator


class InputError(ValueError):
    pass


def iter_documents(sources: list[str], field: str) -> Iterator[tuple[str, str, str | InputError]]:
    """Yield (source name, document id, text or the error that stopped this source)."""
    for src in sources or ["-"]:
        if src == "-":
            yield "<stdin>", "stdin", sys.stdin.read()
            continue
        path = Path(src)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".txt", ".jsonl"))
            if not files:
                yield str(path), "", InputError(f"{path}: no .txt or .jsonl files in this directory")
            for f in files:
                yield from _read_file(f, field)
        else:
            yield from _read_file(path, field)


def _read_file(path: Path, field: str) -> Iterator[tuple[str, str, str | InputError]]:
    try:
        raw = path.read_text(encoding="utf-8")
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
            text = obj[field]
            if not isinstance(text, str):
                raise TypeError(f"field {field!r} is not a string")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            yield f"{path}:{line_no}", "", InputError(f"{path}:{line_no}: {type(exc).__name__}: {exc}")
            continue
        yield f"{path}:{line_no}", str(obj.get("id", f"{path.stem}:{line_no}")), text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-tag", description="Tag PER, TITLE, ORG and DOC entities.")
    ap.add_argument("--model", required=True, help="model directory written by polner-train")
    ap.add_argument("inputs", nargs="*", help="files or directories (.txt, .jsonl); - or nothing for stdin")
    ap.add_argument("--doc-rules", choices=["off", "repair", "union"], help="override the model's setting")
    ap.add_argument("--quantize", choices=["int8"], help="int8 dynamic quantisation (CPU)")
    ap.add_argument("--batch-docs", type=int, default=64, help="documents per tag_batch call")
    ap.add_argument("--batch-tokens", type=int, default=8192, help="padded tokens per forward pass")
    ap.add_argument("--jsonl-field", default="text", help="field holding the text in .jsonl inputs")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)

    from inference.settings import ModelDirError
    from inference.tagger import load_tagger
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # stderr is for our progress bar and errors

    try:
        tagger = load_tagger(args.model, quantize=args.quantize, doc_rules=args.doc_rules, batch_tokens=args.batch_tokens)
    except (ModelDirError, ValueError, RuntimeError) as exc:
        print(f"polner-tag: error: {exc}", file=sys.stderr)
        return 2

    bar = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="tok", unit_scale=True, file=sys.stderr, desc="tagging")
    failures = 0
    pending: list[tuple[str, str, str]] = []

    def flush() -> None:
        if not pending:
            return
        results = tagger.tag_batch([t for _, _, t in pending], progress=bar.update if bar else None)
        for (source, doc_id, _), ents in zip(pending, results):
            out = {"source": source, "id": doc_id, "entities": [e.to_json() for e in ents]}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        pending.clear()

    for source, doc_id, text in iter_documents(args.inputs, args.jsonl_field):
        if isinstance(text, InputError):
            failures += 1
            print(f"polner-tag: error: {text}", file=sys.stderr)
            continue
        pending.append((source, doc_id, text))
        if len(pending) >= args.batch_docs:
            flush()
    flush()
    if bar:
        bar.close()
    if failures:
        print(f"polner-tag: {failures} input(s) failed; the others were tagged", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
