"""DOC precision/recall/F1: the grammar alone, the model alone, and the two hybrid modes.

    python benchmarks/doc_codes.py --model runs/tiny [--data annotations/data/dev.jsonl \
        annotations/data/test.jsonl] [--out benchmarks/results/doc_codes.md]

All four systems are scored on the same documents with the same exact-match span scorer
(``training.metrics.span_scores``); the model rows use one trained model, loaded once per
mode. The misses and false alarms of each system are listed by article id and character
offsets in the results (which hold no corpus text: some articles may not be redistributed),
and with their text on the terminal only, so a reader can see *what* is still wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as a script: python benchmarks/doc_codes.py

from inference.cli import error  # noqa: E402
from benchmarks.common import ROOT, command_line, machine_info, model_provenance, describe_model, public_path, write_results  # noqa: E402,E501

SYSTEMS = ("grammar alone", "model alone (doc_rules=off)", "model + repair", "model + union")
MODE_OF = {"model alone (doc_rules=off)": "off", "model + repair": "repair", "model + union": "union"}


def doc_spans_of(entities) -> set:
    from inference.spans import Span

    return {Span(e.start, e.end, "DOC") for e in entities if e.label == "DOC"}


def run(model_dir: Path, paths: list[Path]) -> tuple[dict, list[str]]:
    """Scores per file and system (errors as id and offsets), and the errors with their text
    for the terminal."""
    from inference.doc_codes import find_doc_codes
    from inference.doc_rules import MODES
    from inference.records import read_documents
    from inference.spans import Span
    from inference.tagger import load_tagger
    from training.metrics import span_scores

    off = load_tagger(model_dir, doc_rules="off")
    taggers = {mode: off.with_doc_rules(mode) for mode in MODES}
    results: dict = {}
    shown: list[str] = []
    for path in paths:
        docs = read_documents(path)
        gold = [{Span(s.start, s.end, "DOC") for s in d.spans if s.label == "DOC"} for d in docs]
        preds = {"grammar alone": [{Span(c.start, c.end, "DOC") for c in find_doc_codes(d.text)} for d in docs]}
        for name, mode in MODE_OF.items():
            preds[name] = [doc_spans_of(e) for e in taggers[mode].tag_batch([d.text for d in docs])]
        rows = {}
        for name in SYSTEMS:
            s = span_scores(gold, preds[name], ["DOC"])["per_label"]["DOC"]
            errors = []
            for d, g, p in zip(docs, gold, preds[name]):
                for kind, spans in (("missed", g - p), ("false", p - g)):
                    for x in sorted(spans, key=lambda x: x.start):
                        errors.append({"kind": kind, "id": d.id, "start": x.start, "end": x.end})
                        if name == "model + union":
                            shown.append(f"{public_path(path)}: {kind} {d.text[x.start:x.end]!r} ({d.id} {x.start}:{x.end})")
            rows[name] = {**{k: v for k, v in s.items() if k != "zero_support"}, "errors": errors}
        results[public_path(path)] = {"documents": len(docs), "gold_codes": sum(map(len, gold)), "systems": rows}
    return results, shown


def to_markdown(results: dict, model: str) -> str:
    out = ["# Document codes: grammar, model and hybrid decoding", "",
           f"Model: {model}. Exact-match DOC spans (`training.metrics.span_scores`). Errors are listed by "
           "article id and character offsets (`start:end`); the results hold no corpus text.", ""]
    for path, r in results.items():
        out += [f"## `{path}` ({r['documents']} documents, {r['gold_codes']} gold codes)", "",
                "| system | precision | recall | F1 |", "|---|---:|---:|---:|"]
        for name in SYSTEMS:
            s = r["systems"][name]
            out.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
        out.append("")
        errs = r["systems"]["model + union"]["errors"]
        if errs:
            out += ["Remaining errors of `model + union`:", ""]
            out += [f"- {e['kind']} `{e['id']}` {e['start']}:{e['end']}" for e in errs] + [""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=ROOT / "runs" / "tiny")
    ap.add_argument("--data", type=Path, nargs="+",
                    default=[ROOT / "annotations" / "data" / "dev.jsonl", ROOT / "annotations" / "data" / "test.jsonl"])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "doc_codes.md",
                    help="the Markdown result; the JSON goes beside it")
    args = ap.parse_args(argv)
    if not args.model.is_dir():
        return error("doc_codes", f"no model at {args.model}; train one with: polner-train --config configs/tiny.yaml")
    for p in args.data:
        if not p.is_file():
            return error("doc_codes", f"data file not found: {p}")
    command = command_line("benchmarks.doc_codes", argv)
    machine = machine_info()
    provenance = model_provenance(args.model)
    results, shown = run(args.model, args.data)
    md = to_markdown(results, describe_model(provenance))
    print(md)
    if shown:
        print("Errors of `model + union` with their text (terminal only, not written to the results):")
        print("\n".join(f"  {line}" for line in shown))
    out = args.out.with_suffix("")
    md_path, json_path = write_results(out.parent, out.name, md, {"model": provenance, "files": results},
                                       command=command, machine=machine)
    print(f"\nwrote {md_path} and {json_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
