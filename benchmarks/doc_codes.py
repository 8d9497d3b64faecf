"""DOC precision/recall/F1: the grammar alone, the model alone, and the two hybrid modes.

    python benchmarks/doc_codes.py --model runs/tiny [--data annotations/data/dev.jsonl \
        annotations/data/test.jsonl] [--out benchmarks/results/doc_codes.md]

All four systems are scored on the same documents with the same exact-match span scorer
(training.metrics.span_scores); the model rows use one trained model, loaded once per mode.
The misses and false alarms of the best system are listed so a reader can see *what* is
still wrong, not just how much.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_model  # noqa: E402
from inference.doc_codes import find_doc_codes  # noqa: E402
from inference.tagger import load_tagger  # noqa: E402
from training.metrics import SpanT, span_scores  # noqa: E402
from training.records import read_documents  # noqa: E402

SYSTEMS = ("grammar alone", "model alone (doc_rules=off)", "model + repair", "model + union")


def doc_spans_of(entities) -> set[SpanT]:
    return {SpanT(e.start, e.end, "DOC") for e in entities if e.label == "DOC"}


def run(model_dir: Path, paths: list[Path]) -> dict:
    taggers = {mode: load_tagger(model_dir, doc_rules=mode) for mode in ("off", "repair", "union")}
    results: dict = {}
    for path in paths:
        docs = read_documents(path)
        gold = [{SpanT(s.start, s.end, "DOC") for s in d.spans if s.label == "DOC"} for d in docs]
        preds = {"grammar alone": [{SpanT(c.start, c.end, "DOC") for c in find_doc_codes(d.text)} for d in docs]}
        for mode, name in (("off", SYSTEMS[1]), ("repair", SYSTEMS[2]), ("union", SYSTEMS[3])):
            ents = taggers[mode].tag_batch([d.text for d in docs])
            preds[name] = [doc_spans_of(e) for e in ents]
        rows = {}
        for name in SYSTEMS:
            s = span_scores(gold, preds[name], ["DOC"])["per_label"]["DOC"]
            errors = []
            for d, g, p in zip(docs, gold, preds[name]):
                errors += [f"missed {d.text[x.start:x.end]!r} ({d.id})" for x in sorted(g - p, key=lambda x: x.start)]
                errors += [f"false {d.text[x.start:x.end]!r} ({d.id})" for x in sorted(p - g, key=lambda x: x.start)]
            rows[name] = {**s, "errors": errors}
        results[str(path)] = {"documents": len(docs), "gold_codes": sum(map(len, gold)), "systems": rows}
    return results


def to_markdown(results: dict, model_dir: Path, command: str) -> str:
    out = ["# Document codes: grammar, model and hybrid decoding", ""]
    for path, r in results.items():
        out += [f"## `{path}` ({r['documents']} documents, {r['gold_codes']} gold codes)", "",
                "| system | precision | recall | F1 |", "|---|---:|---:|---:|"]
        for name in SYSTEMS:
            s = r["systems"][name]
            out.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
        out.append("")
        errs = r["systems"]["model + union"]["errors"]
        if errs:
            out += ["Remaining errors of `model + union`:", ""] + [f"- {e}" for e in errs] + [""]
    out += [f"Model: `{model_dir}`. Machine: {cpu_model()}, "
            f"{datetime.date.today().isoformat()}. Command: `{command}`", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=ROOT / "runs" / "tiny")
    ap.add_argument("--data", type=Path, nargs="+",
                    default=[ROOT / "annotations" / "data" / "dev.jsonl", ROOT / "annotations" / "data" / "test.jsonl"])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "doc_codes.md")
    args = ap.parse_args(argv)
    if not args.model.is_dir():
        print(f"error: no model at {args.model}; train one with: polner-train --config configs/tiny.yaml", file=sys.stderr)
        return 2
    results = run(args.model, args.data)
    command = "python benchmarks/doc_codes.py " + " ".join(sys.argv[1:])
    md = to_markdown(results, args.model, command.strip())
    print(md)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
