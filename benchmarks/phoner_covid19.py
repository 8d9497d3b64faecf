"""External benchmark: train and test the tiny model on PhoNER_COVID19 within a CPU budget.

    python -m benchmarks.phoner_covid19 --data-dir ../shared/data/phoner_covid19 \
        [--level word|syllable] [--max-minutes 30] [--output-dir runs/phoner-covid19-word]

PhoNER_COVID19 (VinAI, research use only, no redistribution) is never copied into this
repository: the data directory is an argument (or ``PHONER_COVID19_DIR``), and only scores
are written, to ``benchmarks/results/phoner_covid19[_syllable].{md,json}``.

Training goes through the normal pipeline (``configs/phoner-covid19.yaml``,
``training.train.train``). To respect the time budget on whatever CPU this runs on, the
script first times a few real optimiser steps of the same model on the same data, then
chooses the number of epochs (or, if even one epoch does not fit, a step count) so that
training, the per-epoch dev evaluations and the final test evaluation fit in the budget.
It prints the budget, the estimate and the wall/CPU time actually used.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import random
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python benchmarks/phoner_covid19.py
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_model, usable_cores  # noqa: E402

CONFIG = ROOT / "configs" / "phoner-covid19.yaml"
RESULTS = ROOT / "benchmarks" / "results"
ENV_VAR = "PHONER_COVID19_DIR"
LEVELS = ("word", "syllable")

# Reported by the authors, not reproduced here (Truong et al., NAACL 2021, word level).
PHOBERT_REPORTED = {"system": "PhoBERT, word level (Truong et al., NAACL 2021)", "micro_f1": 0.945}


class BenchmarkError(Exception):
    """Missing data or a bad argument; the message names the path or the value."""


def split_files(data_dir: Path, level: str) -> dict[str, Path]:
    return {split: data_dir / level / f"{split}_{level}.json" for split in ("train", "dev", "test")}


def check_data_dir(data_dir: Path | None, level: str) -> Path:
    """The PhoNER directory as VinAI ships it, or an error that names what is missing."""
    if data_dir is None:
        raise BenchmarkError(f"no PhoNER_COVID19 directory: pass --data-dir DIR or set {ENV_VAR}")
    if not data_dir.is_dir():
        raise BenchmarkError(f"PhoNER_COVID19 directory not found: {data_dir}")
    for path in split_files(data_dir, level).values():
        if not path.is_file():
            raise BenchmarkError(f"PhoNER_COVID19 file not found: {path} (expected {level}/<split>_{level}.json)")
    return data_dir.resolve()


def level_overrides(level: str) -> list[str]:
    """``--set`` overrides for the syllable level (the config is written for words)."""
    if level == "word":
        return []
    return [
        f"data.{split}=${{{ENV_VAR}}}/syllable/{split}_syllable.json" for split in ("train", "dev", "test")
    ] + ["preprocessing.segmenter=none", "training.output_dir=runs/phoner-covid19-syllable"]


def machine_info() -> dict:
    """CPU model, cores and threads, for the footer of every benchmark table."""
    import torch

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "platform": platform.platform(),
    }


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def subset_file(src: Path, n: int, directory: Path) -> Path:
    """The first n sentences of src in a temporary file (for quick development runs)."""
    out = directory / src.name
    with open(src, encoding="utf-8") as fh, open(out, "w", encoding="utf-8") as dst:
        for k, line in enumerate(fh):
            if k >= n:
                break
            dst.write(line)
    return out


def calibrate(cfg, steps: int = 12, warmup: int = 3, seed: int = 0) -> dict:
    """Seconds per optimiser step and per evaluated window, measured on this machine now.

    Real model, real features, the configured batch size, batches of similar length as
    the Trainer makes them (``group_by_length``).
    """
    import torch
    from transformers import DataCollatorForTokenClassification

    from inference.encode import WordEncoder
    from training.data import bio_tags
    from training.train import _load_split, build_features, build_model_and_tokenizer

    tags = bio_tags(cfg.data.labels)
    train_ex, _ = _load_split(cfg, "train", cfg.data.labels)
    dev_ex, _ = _load_split(cfg, "dev", cfg.data.labels)
    test_ex, _ = _load_split(cfg, "test", cfg.data.labels) if cfg.data.test else ([], None)
    model, tokenizer = build_model_and_tokenizer(cfg, tags)
    encoder = WordEncoder(tokenizer)
    rng = random.Random(seed)
    bs, ml = cfg.training.batch_size, cfg.preprocessing.max_length
    sample = rng.sample(train_ex, min(len(train_ex), bs * (steps + warmup)))
    feats = build_features(sample, encoder, tags, ml)
    # like the Trainer's group_by_length: batches of similar length, in random order
    feats.sort(key=lambda f: f["length"])
    batches = [feats[k:k + bs] for k in range(0, len(feats), bs)]
    rng.shuffle(batches)
    collate = DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.training.learning_rate)
    model.train()
    timed = 0.0
    for k in range(steps + warmup):
        batch = collate([{key: f[key] for key in ("input_ids", "attention_mask", "labels")}
                         for f in batches[k % len(batches)]])
        t0 = time.perf_counter()
        loss = model(**batch).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        if k >= warmup:
            timed += time.perf_counter() - t0
    model.eval()
    ebs = cfg.training.eval_batch_size
    eval_feats = feats[: ebs * 2]
    t0 = time.perf_counter()
    with torch.inference_mode():
        for k in range(0, len(eval_feats), ebs):
            batch = collate([{key: f[key] for key in ("input_ids", "attention_mask")} for f in eval_feats[k:k + ebs]])
            model(**batch)
    per_window = (time.perf_counter() - t0) / max(1, len(eval_feats))
    return {
        "seconds_per_step": timed / steps,
        "seconds_per_eval_window": per_window,
        "train_sentences": len(train_ex),
        "dev_sentences": len(dev_ex),
        "test_sentences": len(test_ex),
    }


def plan_training(cal: dict, cfg, budget_s: float, spent_s: float) -> dict:
    """Epochs (or steps) so that training, dev evals and the final evals fit the budget.

    Sentences are far shorter than max_length, so one sentence is one window.
    """
    steps_per_epoch = math.ceil(cal["train_sentences"] / cfg.training.batch_size)
    epoch_train = steps_per_epoch * cal["seconds_per_step"]
    epoch_eval = cal["dev_sentences"] * cal["seconds_per_eval_window"] + 2.0  # + checkpoint save
    # after training: train() evaluates dev and test with the tagger, then this script test again
    final = (cal["dev_sentences"] + 2 * cal["test_sentences"]) * cal["seconds_per_eval_window"] * 1.5 + 15
    available = (budget_s - spent_s - final) * 0.9  # 10% margin for a shared, noisy CPU
    per_epoch = epoch_train + epoch_eval
    epochs = int(available // per_epoch)
    plan = {
        "budget_seconds": round(budget_s),
        "steps_per_epoch": steps_per_epoch,
        "estimated_epoch_seconds": round(per_epoch, 1),
        "estimated_final_eval_seconds": round(final, 1),
        "config_epochs": cfg.training.num_epochs,
    }
    if epochs >= 1:
        plan.update(num_epochs=min(epochs, int(cfg.training.num_epochs)), max_steps=-1)
    else:
        steps = int((available - epoch_eval) // cal["seconds_per_step"])
        if steps < 10:
            raise BenchmarkError(
                f"a budget of {budget_s / 60:.1f} min leaves time for only {max(steps, 0)} training steps "
                f"on this machine ({cal['seconds_per_step']:.2f} s/step): raise --max-minutes"
            )
        plan.update(num_epochs=1, max_steps=steps)
    plan["estimated_total_seconds"] = round(
        spent_s + (plan["num_epochs"] * per_epoch if plan["max_steps"] < 0
                   else plan["max_steps"] * cal["seconds_per_step"] + epoch_eval) + final
    )
    return plan


def _load(result: dict, key: str) -> str:
    return f"{result[key]:.1f}" if result.get(key) is not None else "not recorded"


def format_markdown(result: dict) -> str:
    r, rep = result, result["test_report"]
    m = r["machine"]
    lines = [
        f"# PhoNER_COVID19 ({r['level']} level): tiny model, test split",
        "",
        f"The tiny model (configs/phoner-covid19.yaml: {r['parameters'] / 1e6:.1f}M parameters, from scratch, no "
        "pre-training) trained on the PhoNER_COVID19 train split within a CPU budget (the epoch with the best dev "
        "F1 is kept), scored on test with `training.evaluate.evaluate_file`. It shows that the pipeline reads and learns the "
        "corpus, not PhoBERT's accuracy.",
        "",
    ]
    if r.get("partial"):
        lines += [f"**Partial run:** {r['partial']}", ""]
    lines += ["| label | precision | recall | F1 (seqeval strict) | span F1 (exact) | support |",
              "|---|---:|---:|---:|---:|---:|"]
    for lab in rep["labels"] + ["micro", "macro"]:
        s = rep["seqeval"]["micro" if lab == "micro" else "macro" if lab == "macro" else "per_label"]
        p = rep["spans"]["micro" if lab == "micro" else "macro" if lab == "macro" else "per_label"]
        if lab not in ("micro", "macro"):
            s, p = s[lab], p[lab]
        name = f"**{lab} avg**" if lab in ("micro", "macro") else lab
        lines.append(f"| {name} | {100 * s['precision']:.1f} | {100 * s['recall']:.1f} | {100 * s['f1']:.1f} | "
                     f"{100 * p['f1']:.1f} | {s['support']} |")
    lines += [
        "",
        f"Reference, **reported by its authors and not reproduced here**: {PHOBERT_REPORTED['system']}: "
        f"micro-F1 {100 * PHOBERT_REPORTED['micro_f1']:.1f}.",
        "",
        "## Time",
        "",
        f"- budget: {r['plan']['budget_seconds'] / 60:.0f} min; estimated {r['plan']['estimated_total_seconds'] / 60:.1f} min "
        f"({r['calibration']['seconds_per_step']:.2f} s per step measured before training)",
        f"- chosen: {r['plan']['num_epochs']} epoch(s)"
        + (" (the config's maximum)" if r['plan']['num_epochs'] == r['plan']['config_epochs'] else " (what the budget allows)")
        + (f", max_steps {r['plan']['max_steps']}" if r['plan']['max_steps'] > 0 else "")
        + f"; ran {r['epochs_run']:.2f} epoch(s), {r['global_step']} steps",
        f"- wall time: {r['wall_seconds'] / 60:.1f} min in all "
        f"(**{'within' if r['wall_seconds'] <= r['plan']['budget_seconds'] else 'over'} the budget**), "
        f"training {r['train_seconds'] / 60:.1f} min; process CPU time {r['cpu_seconds'] / 60:.1f} min",
        f"- machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable, {m['torch_threads']} torch threads), "
        f"Python {m['python']}, torch {m['torch']}",
        f"- load average (1 min) at start / end: {_load(r, 'load_average_start')} / {_load(r, 'load_average_end')} "
        f"(a load above {m['usable_cores']} means other jobs shared the cores, so the budget bought fewer steps)",
        f"- date: {r['date']}",
        f"- command: `{r['command']}`",
        "",
    ]
    return "\n".join(lines)


def run(data_dir: Path, level: str, output_dir: Path, max_minutes: float, *,
        train_limit: int | None = None, results_dir: Path | None = RESULTS, command: str = "") -> dict:
    """Train, evaluate and (if results_dir) write the report; returns the result dict."""
    started, cpu0, load0 = time.perf_counter(), cpu_seconds(), os.getloadavg()[0]
    budget = max_minutes * 60
    data_dir = check_data_dir(data_dir, level)  # before the heavy imports: fail fast

    from inference.tagger import load_tagger
    from training.config import load_config
    from training.evaluate import evaluate_file
    from training.train import train

    os.environ[ENV_VAR] = str(data_dir)
    overrides = level_overrides(level)
    tmp = tempfile.TemporaryDirectory(prefix="phoner-subset-")
    partial = None
    if train_limit:
        sub = subset_file(split_files(data_dir, level)["train"], train_limit, Path(tmp.name))
        overrides.append(f"data.train={sub}")
        partial = f"trained on the first {train_limit} training sentences only (development run)"
    cfg = load_config(CONFIG, overrides)
    cfg.training.output_dir = str(output_dir)
    m = machine_info()
    print(f"PhoNER_COVID19 {level} level; budget {max_minutes:.0f} min of wall time on "
          f"{m['cpu']} ({m['usable_cores']} usable cores, {m['torch_threads']} torch threads)", flush=True)

    cal = calibrate(cfg)
    plan = plan_training(cal, cfg, budget, time.perf_counter() - started)
    cfg.training.num_epochs = float(plan["num_epochs"])
    cfg.training.max_steps = plan["max_steps"]
    print(f"measured {cal['seconds_per_step']:.2f} s/step, {plan['steps_per_epoch']} steps/epoch, "
          f"~{plan['estimated_epoch_seconds'] / 60:.1f} min/epoch with dev eval -> "
          f"{plan['num_epochs']} epoch(s)" + (f", {plan['max_steps']} steps" if plan["max_steps"] > 0 else "")
          + f"; estimated total {plan['estimated_total_seconds'] / 60:.1f} min", flush=True)

    out = train(cfg, output_dir, overwrite=True)
    tmp.cleanup()
    tagger = load_tagger(output_dir, doc_rules="off")
    report = evaluate_file(tagger, Path(cfg.data.test), cfg.data.format)
    report["data"] = f"${ENV_VAR}/{level}/test_{level}.json"  # no local paths in the results
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu0
    s = out["summary"]
    result = {
        "level": level,
        "partial": partial,
        "command": command,
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": m,
        "calibration": cal,
        "plan": plan,
        "epochs_run": float(s["epochs_run"]),
        "global_step": s["global_step"],
        "train_seconds": s["train_seconds"],
        "parameters": s["parameters"],
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "within_budget": wall <= budget,
        "load_average_start": round(load0, 2),
        "load_average_end": round(os.getloadavg()[0], 2),
        "test_report": report,
        "reference": PHOBERT_REPORTED,
    }
    print(f"\ntest micro F1 (seqeval strict): {100 * report['seqeval']['micro']['f1']:.1f}; "
          f"span exact-match micro F1: {100 * report['spans']['micro']['f1']:.1f}")
    print(f"wall time {wall / 60:.1f} min (budget {max_minutes:.0f} min, "
          f"{'within' if wall <= budget else 'OVER'} budget); training {s['train_seconds'] / 60:.1f} min; "
          f"process CPU time {cpu / 60:.1f} min on {m['usable_cores']} cores")
    if results_dir is not None:
        results_dir.mkdir(parents=True, exist_ok=True)
        stem = "phoner_covid19" if level == "word" else "phoner_covid19_syllable"
        (results_dir / f"{stem}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (results_dir / f"{stem}.md").write_text(format_markdown(result), encoding="utf-8")
        print(f"wrote {results_dir / stem}.md and .json")
    return result


def default_data_dir(arg: Path | None) -> Path | None:
    if arg is not None:
        return arg
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.phoner_covid19", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, help=f"PhoNER_COVID19 directory with word/ and syllable/ (default: ${ENV_VAR})")
    ap.add_argument("--level", choices=LEVELS, default="word")
    ap.add_argument("--output-dir", type=Path, help="model directory (default runs/phoner-covid19-<level>; replaced)")
    ap.add_argument("--max-minutes", type=float, default=30.0, help="wall-time budget for the whole run (default 30)")
    ap.add_argument("--results-dir", type=Path, default=RESULTS, help="where the .md/.json report goes")
    ap.add_argument("--train-limit", type=int, help="train on the first N sentences only (marks the report partial)")
    args = ap.parse_args(argv)
    command = "python -m benchmarks.phoner_covid19 " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    from training.config import ConfigError
    from training.records import DataError

    output_dir = args.output_dir or ROOT / "runs" / f"phoner-covid19-{args.level}"
    try:
        run(default_data_dir(args.data_dir), args.level, output_dir, args.max_minutes,
            train_limit=args.train_limit, results_dir=args.results_dir, command=command)
    except (BenchmarkError, ConfigError, DataError) as exc:
        print(f"benchmarks.phoner_covid19: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
