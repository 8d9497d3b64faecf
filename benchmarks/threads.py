"""The speed cliff: sequential tag() calls with one core kept busy by other work.

    python -m benchmarks.threads [--model DIR] [--calls 44] [--repeats 3]
        [--out benchmarks/results/threads.md]

On a 2-core machine with one core busy elsewhere, torch's default of one thread per core
makes every operation wait for the thread that shares its core with the other work: the
issue measured 44 sequential ``tag()`` calls at 10-45 s with 2 threads against 1.4 s with
1 thread. ``load_tagger`` (``threads="auto"``, its default) and so the CLIs now ask for
``inference.tagger.set_threads()``'s default, ``available_cores()`` (the cores this process
may use, less the 1-minute load average).

This measures, in one process, ``--calls`` sequential ``tag()`` calls over the articles of
``annotations/data/test.jsonl`` (cycled), each configuration warmed up once and timed
``--repeats`` times:

- with one core kept busy by a spinning subprocess (started here, stopped at the end): torch
  with 2 threads (its default on a 2-core machine, the "before"), 1 thread, and the new
  default as ``set_threads()`` picks it at that moment (the "after");
- on the otherwise idle machine, the same three, to show what the default costs when no
  other work is running.

The model is ``--model DIR`` (a directory written by polner-train), or by default a
tiny-shaped model: ``configs/tiny.yaml``'s architecture with random weights (seed 0) and the
real PhoBERT tokenizer, saved and loaded through ``load_tagger``; speed does not depend on
the weights' values, so no training is needed. Article text is never written anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, RESULTS, command_line, load_average, machine_info, public_path, write_results

DATA = ROOT / "annotations" / "data" / "test.jsonl"


def tiny_shaped(directory: Path) -> Path:
    """configs/tiny.yaml's model with random weights, built and saved by polner-train's own steps."""
    import torch

    from inference.iob import bio_tags
    from training.config import load_config
    from training.train import build_model, load_tokenizer, tagger_settings

    cfg = load_config(ROOT / "configs" / "tiny.yaml")
    tags = bio_tags(cfg.data.labels)
    tokenizer = load_tokenizer(cfg)
    torch.manual_seed(0)
    build_model(cfg, tags, tokenizer).save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    tagger_settings(cfg, tags, tokenizer).save(directory)
    return directory


def articles(calls: int) -> list[str]:
    from inference.records import read_documents

    texts = [d.text for d in read_documents(DATA)]
    return [texts[i % len(texts)] for i in range(calls)]


def time_calls(tagger, texts: list[str], threads: int, repeats: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    tagger.tag(texts[0])  # warm-up at this thread count
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for t in texts:
            tagger.tag(t)
        runs.append(time.perf_counter() - start)
    return {"threads": threads, "seconds": [round(x, 3) for x in runs], "median": round(statistics.median(runs), 3)}


def spinner() -> subprocess.Popen:
    """One core kept busy: a subprocess that spins until it is stopped."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def measure(tagger, texts: list[str], repeats: int, torch_default: int) -> dict:
    import torch

    from inference.tagger import set_threads

    out = {}
    for name, n in (("torch default", torch_default), ("1 thread", 1)):
        out[name] = time_calls(tagger, texts, n, repeats)
    load = load_average()
    torch.set_num_threads(torch_default)
    chosen = set_threads()  # the rule load_tagger's default applies
    out["new default"] = {**time_calls(tagger, texts, chosen, repeats), "load_average": load}
    return out


def markdown(results: dict, calls: int, model: str) -> str:
    lines = [
        "# The speed cliff: sequential tag() calls with one core busy",
        "",
        f"{calls} sequential `tag()` calls over the articles of `annotations/data/test.jsonl` (cycled); model: "
        f"{model}. Median of {results['repeats']} timed runs after one warm-up call, seconds (all runs in the JSON).",
        "",
        "| machine state | torch default ({} threads) | 1 thread | new default (`set_threads()`) |".format(
            results["torch_default_threads"]),
        "|---|---:|---:|---:|",
    ]
    for state, key in (("one core busy (a spinning process)", "busy"), ("idle", "idle")):
        r = results[key]
        d = r["new default"]
        lines.append(f"| {state} | {r['torch default']['median']:.2f} | {r['1 thread']['median']:.2f} | "
                     f"{d['median']:.2f} ({d['threads']} thread{'s' if d['threads'] > 1 else ''}; "
                     f"1-min load {d['load_average'][0]:.2f}) |")
    busy, idle = results["busy"], results["idle"]
    lines += [
        "",
        f"With a core busy, {results['torch_default_threads']} threads are "
        f"{busy['torch default']['median'] / busy['1 thread']['median']:.1f}x slower than 1 thread; the new default "
        f"picked {busy['new default']['threads']} thread(s). On the idle machine 1 thread is "
        f"{idle['1 thread']['median'] / idle['torch default']['median']:.2f}x the time of "
        f"{results['torch_default_threads']} threads, and the default picked {idle['new default']['threads']}.",
        "",
        "`available_cores()` subtracts the 1-minute load average (rounded down) from the usable cores. The load "
        "average lags: it needs about a minute to see work that just started, and it counts this process's own "
        "recent work too.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, help="a directory written by polner-train (default: tiny-shaped, random)")
    ap.add_argument("--calls", type=int, default=44)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS / "threads.md")
    args = ap.parse_args(argv)

    import torch

    from inference.tagger import load_tagger

    torch_default = torch.get_num_threads()
    machine = machine_info()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model or tiny_shaped(Path(tmp) / "tiny-shaped")
        model = f"`{public_path(args.model)}`" if args.model else "tiny-shaped (configs/tiny.yaml, random weights)"
        tagger = load_tagger(model_dir, threads=None)  # each run sets its own count
        texts = articles(args.calls)
        results = {"calls": args.calls, "repeats": args.repeats, "model": model, "torch_default_threads": torch_default}
        results["idle"] = measure(tagger, texts, args.repeats, torch_default)
        spin = spinner()
        try:
            time.sleep(2)
            results["busy"] = measure(tagger, texts, args.repeats, torch_default)
        finally:
            spin.terminate()
            spin.wait()
    torch.set_num_threads(torch_default)
    md, js = write_results(args.out.parent, args.out.stem, markdown(results, args.calls, model), results,
                           command=command_line("benchmarks.threads", argv), machine=machine)
    print(markdown(results, args.calls, model))
    print(f"\nwrote {public_path(md)} and {public_path(js)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
