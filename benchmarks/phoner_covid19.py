"""External benchmark: train and test a model on PhoNER_COVID19 within a CPU budget.

    python -m benchmarks.phoner_covid19 --data-dir ../shared/data/phoner_covid19 \
        [--config configs/phoner-covid19.yaml] [--level word|syllable] [--max-minutes 30] \
        [--output-dir DIR] [--results-dir benchmarks/results]

PhoNER_COVID19 (VinAI, research use only, no redistribution) is never copied into this
repository: the data directory is an argument (or ``PHONER_COVID19_DIR``), and only scores
are written, to ``benchmarks/results/<name>.{md,json}``: ``phoner_covid19`` for the default
config, ``phoner_covid19_syllable`` for it at the syllable level, ``phoner_covid19_e5`` for
``configs/phoner-covid19-e5.yaml`` (the config's file name, plus the level when ``--level``
differs from the config's own).

The config chooses the model: ``configs/phoner-covid19.yaml`` is the tiny model (from
scratch, word level), ``configs/phoner-covid19-e5.yaml`` multilingual-e5-small (syllable
level). Training goes through the normal pipeline (``training.train.train``). To respect
the time budget on whatever CPU this runs on, the script first times a few real optimiser
steps of the same model on the same data (built by ``training.train``'s public functions),
then chooses the number of epochs (or, if even one epoch does not fit, a step count) so
that training, the per-epoch dev evaluations and the final evaluations fit in the budget.
It prints the budget, the estimate and the wall/CPU time actually used.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as a script: python benchmarks/phoner_covid19.py

from inference.cli import error  # noqa: E402
from benchmarks.common import (  # noqa: E402
    ROOT,
    ENV_VAR,
    PHONER_LEVELS as LEVELS,
    RESULTS,
    BenchmarkError,
    check_data_dir,
    command_line,
    cpu_seconds,
    default_data_dir,
    format_load,
    load_average,
    machine_info,
    public_path,
    scores_only,
    split_files,
    write_results,
)

CONFIG = ROOT / "configs" / "phoner-covid19.yaml"

# Reported by the authors, not reproduced here (Truong et al., NAACL 2021, word level).
PHOBERT_REPORTED = {"system": "PhoBERT, word level (Truong et al., NAACL 2021)", "micro_f1": 0.945}

__all__ = ["ENV_VAR", "LEVELS", "BenchmarkError", "check_data_dir", "config_level", "level_overrides",
           "plan_training", "calibrate", "run", "main"]


def config_level(config: Path) -> str:
    """``syllable`` when the config's train file is a ``*_syllable`` file, else ``word``.

    Read from the raw YAML, before ``${PHONER_COVID19_DIR}`` is expanded (the data
    directory is checked for this level before the config is loaded)."""
    import yaml

    try:
        raw = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
        train = str((raw.get("data") or {}).get("train", ""))
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return "word"
    return "syllable" if "syllable" in Path(train).name else "word"


def level_overrides(level: str, from_level: str = "word") -> list[str]:
    """``--set`` overrides that move a config written for ``from_level`` to ``level``."""
    if level == from_level:
        return []
    segmenter = "none" if level == "syllable" else "presegmented"
    return [f"data.{split}=${{{ENV_VAR}}}/{level}/{split}_{level}.json" for split in ("train", "dev", "test")] + [
        f"preprocessing.segmenter={segmenter}"
    ]


def results_name(config: Path, level: str, own_level: str) -> str:
    """``phoner_covid19`` (default config), ``phoner_covid19_syllable``, ``phoner_covid19_e5``."""
    name = Path(config).stem.replace("-", "_")
    return name if level == own_level else f"{name}_{level}"


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

    The model, tokenizer, features and optimiser are built by ``training.train``'s public
    functions, exactly as training builds them (frozen layers, layer-wise learning rates),
    with the configured batch size and batches of similar length, as the Trainer makes them
    (``group_by_length``).
    """
    import torch
    from transformers import DataCollatorForTokenClassification

    from inference.encode import WordEncoder
    from inference.iob import bio_tags
    from inference.preprocess import Preprocessor
    from training.data import load_examples
    from training.train import build_features, build_model, build_optimizer, load_tokenizer, tagger_settings

    tags = bio_tags(cfg.data.labels)
    tokenizer = load_tokenizer(cfg)
    settings = tagger_settings(cfg, tags, tokenizer)
    pre = Preprocessor(settings.segmenter, settings.tone)

    def examples(path):
        return load_examples(Path(path), cfg.data.format, cfg.data.labels, pre) if path else []

    train_ex, dev_ex, test_ex = examples(cfg.data.train), examples(cfg.data.dev), examples(cfg.data.test)
    model = build_model(cfg, tags, tokenizer)
    encoder = WordEncoder(tokenizer, settings.word_join)
    rng = random.Random(seed)
    t = cfg.training
    bs, ml = t.batch_size, settings.max_length
    sample = rng.sample(train_ex, min(len(train_ex), bs * (steps + warmup)))
    feats = build_features(sample, encoder, tags, ml)
    # like the Trainer's group_by_length: batches of similar length, in random order
    feats.sort(key=lambda f: f["length"])
    batches = [feats[k:k + bs] for k in range(0, len(feats), bs)]
    rng.shuffle(batches)
    collate = DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8)
    opt = build_optimizer(model, t.learning_rate, t.weight_decay, t.layer_decay)
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
    ebs = t.eval_batch_size
    eval_feats = feats[: ebs * 2]
    t0 = time.perf_counter()
    with torch.inference_mode():
        for k in range(0, len(eval_feats), ebs):
            batch = collate([{key: f[key] for key in ("input_ids", "attention_mask")} for f in eval_feats[k:k + ebs]])
            model(**batch)
    per_window = (time.perf_counter() - t0) / max(1, len(eval_feats))
    return {
        "seconds_per_step": timed / steps,  # one batch forward + backward + optimiser step
        "seconds_per_eval_window": per_window,
        "train_sentences": len(train_ex),
        "dev_sentences": len(dev_ex),
        "test_sentences": len(test_ex),
    }


def plan_training(cal: dict, cfg, budget_s: float, spent_s: float) -> dict:
    """Epochs (or steps) so that training, dev evals and the final evals fit the budget.

    Sentences are far shorter than max_length, so one sentence is one window. With
    gradient accumulation a step of the Trainer is ``gradient_accumulation_steps`` batches.
    """
    accumulation = max(1, int(getattr(cfg.training, "gradient_accumulation_steps", 1)))
    batches_per_epoch = math.ceil(cal["train_sentences"] / cfg.training.batch_size)
    steps_per_epoch = math.ceil(batches_per_epoch / accumulation)
    epoch_train = batches_per_epoch * cal["seconds_per_step"]
    epoch_eval = cal["dev_sentences"] * cal["seconds_per_eval_window"] + 2.0  # + checkpoint save
    # after training: train() evaluates dev and test with the tagger (its test report is used)
    final = (cal["dev_sentences"] + cal["test_sentences"]) * cal["seconds_per_eval_window"] * 1.5 + 15
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
        batches = int((available - epoch_eval) // cal["seconds_per_step"])
        steps = batches // accumulation
        if steps < 10:
            raise BenchmarkError(
                f"a budget of {budget_s / 60:.1f} min leaves time for only {max(steps, 0)} training steps "
                f"on this machine ({cal['seconds_per_step']:.2f} s/step): raise --max-minutes"
            )
        plan.update(num_epochs=1, max_steps=steps)
    plan["estimated_total_seconds"] = round(
        spent_s + (plan["num_epochs"] * per_epoch if plan["max_steps"] < 0
                   else plan["max_steps"] * accumulation * cal["seconds_per_step"] + epoch_eval) + final
    )
    return plan


def model_description(cfg, parameters: int) -> str:
    if cfg.model.scratch:
        return (f"the tiny model ({public_path(cfg.model.scratch.tokenizer)} tokenizer, {parameters / 1e6:.1f}M "
                "parameters, trained from scratch, no pre-training)")
    return f"`{cfg.model.name_or_path}` ({parameters / 1e6:.1f}M parameters, fine-tuned)"


def format_markdown(result: dict) -> str:
    r, rep = result, result["test_report"]
    lines = [
        f"# PhoNER_COVID19 ({r['level']} level): {r['model_short']}, test split",
        "",
        f"{r['model'][0].upper() + r['model'][1:]}, config `{r['config']}`, trained on the PhoNER_COVID19 train "
        "split within a CPU budget (the epoch with the best dev F1 is kept), scored on test with "
        "`training.evaluate.evaluate_file` (the report `training.train.train` writes)."
        + (" It shows that the pipeline reads and learns the corpus, not PhoBERT's accuracy." if r["scratch"] else ""),
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
    within = r["within_budget"]
    lines += [
        "",
        f"Reference, **reported by its authors and not reproduced here**: {PHOBERT_REPORTED['system']}: "
        f"micro-F1 {100 * PHOBERT_REPORTED['micro_f1']:.1f}.",
        "",
        "## Time",
        "",
        f"- budget: {r['plan']['budget_seconds'] / 60:g} min; estimated {r['plan']['estimated_total_seconds'] / 60:.1f} min "
        f"({r['calibration']['seconds_per_step']:.2f} s per batch measured before training)",
        f"- chosen: {r['plan']['num_epochs']} epoch(s)"
        + (" (the config's maximum)" if r['plan']['num_epochs'] == r['plan']['config_epochs'] else " (what the budget allows)")
        + (f", max_steps {r['plan']['max_steps']}" if r['plan']['max_steps'] > 0 else "")
        + f"; ran {r['epochs_run']:.2f} epoch(s), {r['global_step']} steps",
        f"- wall time: {r['wall_seconds'] / 60:.1f} min in all "
        f"(**{'within' if within else 'over'} the budget**), "
        f"training {r['train_seconds'] / 60:.1f} min; process CPU time {r['cpu_seconds'] / 60:.1f} min "
        f"({r['cpu_seconds'] / max(r['wall_seconds'], 1e-9):.2f} cores busy on average)",
        f"- load average (1 min) at start / end: {_load(r, 'load_average_start')} / {_load(r, 'load_average_end')} "
        f"(a load above {r['machine']['usable_cores']} means other jobs shared the cores, so the budget bought "
        "fewer steps)",
        f"- model directory: `{r['output_dir']}`",
    ]
    return "\n".join(lines) + "\n"


def _load(result: dict, key: str) -> str:
    return f"{result[key]:.2f}" if result.get(key) is not None else "not recorded"


def run(data_dir: Path | None, level: str | None, output_dir: Path | None, max_minutes: float, *,
        config: Path = CONFIG, train_limit: int | None = None, results_dir: Path | None = RESULTS,
        command: str = "") -> dict:
    """Train, evaluate and (if results_dir) write the report; returns the result dict."""
    started, cpu0 = time.perf_counter(), cpu_seconds()
    load0 = load_average()
    budget = max_minutes * 60
    config = Path(config)
    if not config.is_file():
        raise BenchmarkError(f"config file not found: {config}")
    own_level = config_level(config)
    level = level or own_level
    data_dir = check_data_dir(data_dir, level)  # before the heavy imports: fail fast

    from training.config import load_config
    from training.train import train

    os.environ[ENV_VAR] = str(data_dir)
    overrides = level_overrides(level, own_level)
    tmp = tempfile.TemporaryDirectory(prefix="phoner-subset-")
    partial = None
    if train_limit:
        sub = subset_file(split_files(data_dir, level)["train"], train_limit, Path(tmp.name))
        overrides.append(f"data.train={sub}")
        partial = f"trained on the first {train_limit} training sentences only (development run)"
    cfg = load_config(config, overrides)
    if output_dir is None:
        default = cfg.training.output_dir
        if level != own_level:
            default = f"{default.removesuffix('-word').removesuffix('-syllable')}-{level}"
        output_dir = Path(default) if Path(default).is_absolute() else ROOT / default
    output_dir = Path(output_dir)
    cfg.training.output_dir = str(output_dir)
    m = machine_info()
    print(f"PhoNER_COVID19 {level} level, {public_path(config)}; budget {max_minutes:g} min of wall time on "
          f"{m['cpu']} ({m['usable_cores']} usable cores, {m['torch_threads']} torch threads)", flush=True)

    cal = calibrate(cfg)
    plan = plan_training(cal, cfg, budget, time.perf_counter() - started)
    cfg.training.num_epochs = float(plan["num_epochs"])
    cfg.training.max_steps = plan["max_steps"]
    print(f"measured {cal['seconds_per_step']:.2f} s/batch, {plan['steps_per_epoch']} steps/epoch, "
          f"~{plan['estimated_epoch_seconds'] / 60:.1f} min/epoch with dev eval -> "
          f"{plan['num_epochs']} epoch(s)" + (f", {plan['max_steps']} steps" if plan["max_steps"] > 0 else "")
          + f"; estimated total {plan['estimated_total_seconds'] / 60:.1f} min", flush=True)

    out = train(cfg, output_dir, overwrite=True)
    tmp.cleanup()
    report = scores_only(out["reports"]["test"])
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu0
    s = out["summary"]
    result = {
        "level": level,
        "config": public_path(config),
        "model": model_description(cfg, s["parameters"]),
        "model_short": "tiny model" if cfg.model.scratch else f"`{cfg.model.name_or_path}`",
        "scratch": bool(cfg.model.scratch),
        "output_dir": public_path(output_dir),
        "partial": partial,
        "calibration": cal,
        "plan": plan,
        "epochs_run": float(s["epochs_run"]),
        "global_step": s["global_step"],
        "train_seconds": s["train_seconds"],
        "parameters": s["parameters"],
        "trained_parameters": s.get("trained_parameters"),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "within_budget": wall <= budget,
        "load_average_start": load0[0] if load0 else None,
        "load_average_end": (load_average() or [None])[0],
        "test_report": report,
        "reference": PHOBERT_REPORTED,
    }
    print(f"\ntest micro F1 (seqeval strict): {100 * report['seqeval']['micro']['f1']:.1f}; "
          f"span exact-match micro F1: {100 * report['spans']['micro']['f1']:.1f}")
    print(f"wall time {wall / 60:.1f} min (budget {max_minutes:g} min, "
          f"{'within' if wall <= budget else 'OVER'} budget); training {s['train_seconds'] / 60:.1f} min; "
          f"process CPU time {cpu / 60:.1f} min on {m['usable_cores']} cores; "
          f"load average at end {format_load(load_average())}")
    if results_dir is not None:
        name = results_name(config, level, own_level)
        md, _ = write_results(results_dir, name, format_markdown({**result, "machine": m}), result,
                              command=command, machine=m)
        print(f"wrote {md} and {md.with_suffix('.json').name}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.phoner_covid19", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, help=f"PhoNER_COVID19 directory with word/ and syllable/ (default: ${ENV_VAR})")
    ap.add_argument("--config", type=Path, default=CONFIG,
                    help="training config (default configs/phoner-covid19.yaml, the tiny model; "
                         "configs/phoner-covid19-e5.yaml: multilingual-e5-small)")
    ap.add_argument("--level", choices=LEVELS, help="word or syllable files (default: the config's own)")
    ap.add_argument("--output-dir", type=Path,
                    help="model directory (default: the config's training.output_dir, with -<level> when --level "
                         "changes it; replaced)")
    ap.add_argument("--max-minutes", type=float, default=30.0, help="wall-time budget for the whole run (default 30)")
    ap.add_argument("--results-dir", type=Path, default=RESULTS, help="where the .md/.json report goes")
    ap.add_argument("--train-limit", type=int, help="train on the first N sentences only (marks the report partial)")
    args = ap.parse_args(argv)
    command = command_line("benchmarks.phoner_covid19", argv)
    from inference.records import DataError
    from training.config import ConfigError

    try:
        run(default_data_dir(args.data_dir), args.level, args.output_dir, args.max_minutes, config=args.config,
            train_limit=args.train_limit, results_dir=args.results_dir, command=command)
    except (BenchmarkError, ConfigError, DataError) as exc:
        return error("benchmarks.phoner_covid19", exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
