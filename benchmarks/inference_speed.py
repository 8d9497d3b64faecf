"""Inference speed on CPU: the tagger against the model's own ceiling and a naive loop.

    python benchmarks/inference_speed.py [--model NAME=DIR ...] [--model phobert-base-shaped]
        [--raw-news PATH] [--articles 40] [--repeats 2] [--extra] [--threads T]
        [--batch-tokens 8192] [--out benchmarks/results/inference_speed.md]

One process, one go, one machine, the same documents for every model and variant. Models:

- any directory written by ``polner-train``, as ``--model NAME=DIR`` (repeatable; e.g.
  ``--model tiny=runs/tiny --model e5-small=runs/e5-small``);
- ``phobert-base-shaped``, built in: PhoBERT-base's architecture (12 layers, hidden 768,
  vocabulary 64,001) randomly initialised with a fixed seed, since the real weights cannot
  be downloaded here. Speed does not depend on the values of the weights, so this measures
  what a user of the real model would see. It is saved with the real PhoBERT tokenizer
  and a ``polner.json`` and loaded through ``load_tagger``, the path users take.

Without ``--model`` the models are ``phobert-base-shaped`` and ``tiny=runs/tiny``.

Variants, for every model, each warmed up once on the first two articles and then timed
(wall clock, ``time.perf_counter``) on all of them, ``--repeats`` times, keeping the fastest:

- ``ceiling``: the model's forward pass alone over exactly the batches the tagger builds
  (``sentence_windows``, ``plan_batches``, ``collate``; already collated): what this hardware
  can do with this model and these inputs.
- ``naive``: what a user would write: the tagger's own preprocessing (so both do the same
  work), then one sentence at a time through the model's tokenizer, the model and argmax,
  no batching (truncated at the model's max_length).
- ``tagger fp32`` / ``tagger int8``: ``tag_batch`` over chunks of 64 documents, as
  ``polner-tag`` calls it. Its time is split into phases by the tagger's own timing hooks
  (``inference.hooks``; ``benchmarks.common.PhaseTimer``). int8 is
  ``load_tagger(..., quantize="int8")``; its word-tag agreement with fp32 is measured for
  every model with trained weights (not for the random one, whose outputs are near-uniform).

``--extra`` adds the forward pass over the tagger's previous batch plan (batches filled up to
the budget) and an operator-level profile of the forward pass.

Peak memory is the process's RSS high-water mark (VmHWM) during each variant, reset
before it by writing 5 to /proc/self/clear_refs (Linux). Article text is never written
anywhere: the report holds numbers only.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import random
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as a script: python benchmarks/inference_speed.py

import numpy as np  # noqa: E402
import torch  # noqa: E402

from inference.cli import error  # noqa: E402
from inference.tagger import iter_chunks  # noqa: E402  (polner-tag's chunking)
from benchmarks.common import (  # noqa: E402
    ROOT,
    BenchmarkError,
    PhaseTimer,
    command_line,
    cpu_usage,
    describe_model,
    format_load,
    load_average,
    machine_info,
    model_provenance,
    parse_models,
    public_path,
    write_results,
)

DEFAULT_RAW_NEWS = ROOT.parent / "shared" / "data" / "raw_news" / "political_news.jsonl"
FALLBACK_TEXTS = ROOT / "annotations" / "data" / "test.jsonl"
TOKENIZER_DIR = ROOT / "assets" / "phobert-tokenizer"
BASE_SHAPED = "phobert-base-shaped"
DEFAULT_MODELS = [BASE_SHAPED, "tiny=runs/tiny"]
TAGS = ["O", "B-PER", "I-PER", "B-TITLE", "I-TITLE", "B-ORG", "I-ORG", "B-DOC", "I-DOC"]
DOCS_PER_CALL = 64  # polner-tag's --batch-docs default
WARMUP_DOCS = 2
SEED = 0
TARGETS = {"tagger/ceiling": 0.85, "tagger/naive": 3.0, "int8/fp32": 1.7, "agreement": 0.99}
PHASE_NAMES = {"normalise": "normalise", "split": "split sentences", "segment": "segment", "encode": "encode + windows",
               "forward": "model forward", "gather": "collate + gather + softmax", "decode": "decode",
               "doc_rules": "document-code rules", "other": "other"}
CEILING, NAIVE = "ceiling (forward only)", "naive loop (1 sentence at a time)"
CEILING_PREVIOUS, CEILING8 = "ceiling, previous plan (batches filled to the budget)", "ceiling int8 (forward only)"


# -- inputs ------------------------------------------------------------------------------
def load_articles(raw_news: Path, n: int) -> tuple[list[str], str]:
    """N non-reserved articles (a seeded sample, in file order), else the shipped test texts."""
    from training.corpus.validate import load_reserved

    if raw_news.is_file():
        reserved = load_reserved(raw_news.parent / "RESERVED.txt")
        pool = []
        with raw_news.open(encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BenchmarkError(f"{raw_news}:{line_no}: not JSON: {exc}")
                if rec.get("id") in reserved or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                    continue
                pool.append(rec["text"])
        if n > len(pool):
            raise BenchmarkError(f"{raw_news}: only {len(pool)} non-reserved articles, asked for {n}")
        picked = sorted(random.Random(SEED).sample(range(len(pool)), n))
        return [pool[i] for i in picked], (
            f"{n} non-reserved articles of `{raw_news.name}` (seeded sample, seed {SEED}; "
            f"{len(reserved)} reserved ids excluded)")
    texts = []
    with FALLBACK_TEXTS.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if line.strip():
                try:
                    texts.append(json.loads(line)["text"])
                except (json.JSONDecodeError, KeyError) as exc:
                    raise BenchmarkError(f"{FALLBACK_TEXTS}:{line_no}: {type(exc).__name__}: {exc}")
    texts = texts[:n]
    return texts, f"{len(texts)} texts of `{public_path(FALLBACK_TEXTS)}` ({public_path(raw_news)} not found)"


def make_base_shaped_model(directory: Path) -> Path:
    """PhoBERT-base's shape, random weights (fixed seed), laid out like a polner-train output."""
    from transformers import RobertaConfig, RobertaForTokenClassification

    from inference.settings import TaggerSettings, check_model_dir

    config = RobertaConfig(
        vocab_size=64001, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=258, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, type_vocab_size=1, num_labels=len(TAGS),
    )
    torch.manual_seed(SEED)
    model = RobertaForTokenClassification(config)
    model.save_pretrained(directory)
    for f in TOKENIZER_DIR.iterdir():
        if f.is_file() and f.suffix in (".txt", ".codes", ".json") and not f.name.startswith(("LICENSE", "NOTICE")):
            shutil.copy(f, directory / f.name)
    TaggerSettings(tags=TAGS).save(directory)
    del model
    gc.collect()
    return check_model_dir(directory)


# -- measurement helpers -------------------------------------------------------------------
def _proc_status_mb(name: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


@dataclass
class Run:
    model: str
    variant: str
    articles: int
    tokens: int  # real (non-padding) subword ids fed to the model, specials included
    padded: int  # ids including padding
    seconds: float
    rss_start: float | None
    rss_peak: float | None
    cpu: float = 0.0  # process CPU seconds (all threads) during the run
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def tok_s(self) -> float:
        return self.tokens / self.seconds

    @property
    def art_s(self) -> float:
        return self.articles / self.seconds

    def to_json(self) -> dict:
        return {**asdict(self), "tokens_per_second": round(self.tok_s, 1), "articles_per_second": round(self.art_s, 4),
                "cores_busy": round(self.cpu / self.seconds, 2)}


@contextlib.contextmanager
def measured(out: dict):
    """Wall time, CPU time and RSS high-water mark of the block (memory reset first)."""
    gc.collect()
    out["reset"] = reset_peak_rss()
    out["rss_start"] = _proc_status_mb("VmRSS")
    with cpu_usage() as usage:
        yield
    out["seconds"], out["cpu"] = usage.wall, usage.cpu
    out["rss_peak"] = _proc_status_mb("VmHWM")


# -- the variants --------------------------------------------------------------------------
def fill_to_budget(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """The tagger's previous plan, for comparison: sorted by length, each batch filled up to
    the budget (so a batch of short windows is padded to the longest one that still fits)."""
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if cur and (len(cur) + 1) * lengths[i] > budget:
            batches.append(cur)
            cur = []
        cur.append(i)
    return batches + [cur] if cur else batches


def tagger_batches(tagger, texts: Sequence[str], previous_plan: bool = False
                   ) -> tuple[list[tuple[torch.Tensor, torch.Tensor]], int, int]:
    """The collated batches tag_batch would run for these texts (same chunks of documents)."""
    batches, real, padded = [], 0, 0
    for chunk in iter_chunks(texts, DOCS_PER_CALL):
        forms = [[w.form for w in s] for t in chunk for s in tagger.preprocessor.prepare(t).sentences]
        windows, _ = tagger.sentence_windows(forms)
        plan = (fill_to_budget([len(w.input_ids) for w in windows], tagger.batch_tokens) if previous_plan
                else tagger.plan_batches(windows))
        for batch in plan:
            ids, mask = tagger.collate([windows[i] for i in batch])
            batches.append((ids, mask))
            real += int(mask.sum())
            padded += mask.numel()
    return batches, real, padded


def run_ceiling(name: str, tagger, texts: Sequence[str], label: str = CEILING, previous_plan: bool = False) -> Run:
    batches, real, padded = tagger_batches(tagger, texts, previous_plan)
    model = tagger.model
    with torch.inference_mode():
        model(input_ids=batches[0][0], attention_mask=batches[0][1])  # warm-up
        m: dict = {}
        with measured(m):
            for ids, mask in batches:
                model(input_ids=ids, attention_mask=mask)
    return Run(name, label, len(texts), real, padded, m["seconds"], m["rss_start"], m["rss_peak"], m["cpu"])


def run_naive(name: str, tagger, model_dir: Path, texts: Sequence[str]) -> Run:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))  # the model's tokenizer, as a user loads it
    pre = tagger.preprocessor
    max_length = tagger.settings.max_length
    model = tagger.model
    phases: dict[str, float] = defaultdict(float)

    def one(text: str) -> int:
        n = 0
        t0 = time.perf_counter()
        doc = pre.prepare(text)
        t1 = time.perf_counter()
        phases["preprocess"] += t1 - t0
        for words in doc.sentences:
            t1 = time.perf_counter()
            enc = tok(" ".join(w.form for w in words), return_tensors="pt", truncation=True, max_length=max_length)
            t2 = time.perf_counter()
            with torch.inference_mode():
                model(**enc).logits.argmax(-1)
            t3 = time.perf_counter()
            phases["tokenise"] += t2 - t1
            phases["model forward + argmax"] += t3 - t2
            n += enc["input_ids"].shape[1]
        return n

    for t in texts[:WARMUP_DOCS]:
        one(t)
    phases.clear()
    m: dict = {}
    with measured(m):
        tokens = sum(one(t) for t in texts)
    return Run(name, NAIVE, len(texts), tokens, tokens, m["seconds"], m["rss_start"], m["rss_peak"], m["cpu"],
               dict(phases))


def run_tagger(name: str, tagger, timer: PhaseTimer, texts: Sequence[str], label: str) -> tuple[Run, list]:
    for chunk in iter_chunks(texts[:WARMUP_DOCS], DOCS_PER_CALL):
        tagger.tag_batch(chunk)
    tokens = [0]

    def progress(n: int) -> None:
        tokens[0] += n

    results: list = []
    m: dict = {}
    timer.reset()
    with measured(m):
        for chunk in iter_chunks(texts, DOCS_PER_CALL):
            results.extend(tagger.tag_batch(chunk, progress=progress))
    phases = timer.snapshot(total=m["seconds"])
    _, _, padded = tagger_batches(tagger, texts)  # outside the timing
    run = Run(name, label, len(texts), tokens[0], padded, m["seconds"], m["rss_start"], m["rss_peak"], m["cpu"],
              {PHASE_NAMES.get(k, k): v for k, v in phases.items()})
    return run, results


def op_profile(tagger, texts: Sequence[str], top: int = 6) -> list[tuple[str, float, float]]:
    """(operator, self CPU seconds, share) of one forward pass over the tagger's batches."""
    from torch.profiler import ProfilerActivity, profile

    batches, _, _ = tagger_batches(tagger, texts)
    with torch.inference_mode(), profile(activities=[ProfilerActivity.CPU]) as prof:
        for ids, mask in batches:
            tagger.model(input_ids=ids, attention_mask=mask)
    events = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
    total = sum(e.self_cpu_time_total for e in events)
    return [(e.key, e.self_cpu_time_total / 1e6, e.self_cpu_time_total / total) for e in events[:top]]


def fastest(repeats: int, measure: Callable):
    """The fastest of ``repeats`` runs: on a shared machine the slower ones measure the neighbours."""
    results = [measure() for _ in range(repeats)]
    return min(results, key=lambda r: (r[0] if isinstance(r, tuple) else r).seconds)


def word_tags(tagger, texts: Sequence[str]) -> np.ndarray:
    forms = [[w.form for w in s] for t in texts for s in tagger.preprocessor.prepare(t).sentences]
    probs = tagger.sentence_probs(forms)
    return np.concatenate([p.argmax(-1) for p in probs if len(p)])


def entity_f1(reference: list, other: list) -> float:
    ref = {(i, e.start, e.end, e.label) for i, ents in enumerate(reference) for e in ents}
    oth = {(i, e.start, e.end, e.label) for i, ents in enumerate(other) for e in ents}
    if not ref and not oth:
        return 1.0
    return 2 * len(ref & oth) / (len(ref) + len(oth))


def cprofile_tagger(tagger, texts: Sequence[str], top: int = 14) -> list[tuple[str, float, float]]:
    """(function, self seconds, cumulative seconds) of one tag_batch run, by self time."""
    prof = cProfile.Profile()
    prof.enable()
    for chunk in iter_chunks(texts, DOCS_PER_CALL):
        tagger.tag_batch(chunk)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (filename, line, func), (_, _, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename
        for prefix in (str(ROOT) + os.sep, "site-packages" + os.sep):
            if prefix in where:
                where = where.split(prefix, 1)[1]
        rows.append((f"{where}:{line}({func})" if line else func, tottime, cumtime))
    rows.sort(key=lambda r: -r[1])
    return rows[:top]


def bench_model(name: str, model_dir: Path, texts: Sequence[str], batch_tokens: int, agreement: bool,
                profile: bool, log: Callable[[str], None], extra: bool = False, repeats: int = 1) -> dict:
    from inference.tagger import load_tagger

    out: dict = {"runs": []}
    timer = PhaseTimer()
    log(f"[{name}] loading fp32 tagger from {public_path(model_dir)}")
    tagger = load_tagger(model_dir, batch_tokens=batch_tokens, threads=None, phase=timer)
    out["params"] = sum(p.numel() for p in tagger.model.parameters())
    log(f"[{name}] ceiling ...")
    out["runs"].append(fastest(repeats, lambda: run_ceiling(name, tagger, texts)))
    if extra:
        log(f"[{name}] ceiling with the previous batch plan, and an operator profile ...")
        out["runs"].append(fastest(repeats, lambda: run_ceiling(name, tagger, texts, CEILING_PREVIOUS,
                                                                previous_plan=True)))
        out["ops"] = {"fp32": op_profile(tagger, texts)}
    log(f"[{name}] naive loop ...")
    out["runs"].append(fastest(repeats, lambda: run_naive(name, tagger, model_dir, texts)))
    log(f"[{name}] tagger fp32 ...")
    fp32, ents32 = fastest(repeats, lambda: run_tagger(name, tagger, timer, texts, "tagger fp32"))
    out["runs"].append(fp32)
    if profile:
        log(f"[{name}] cProfile of tagger fp32 ...")
        out["cprofile"] = cprofile_tagger(tagger, texts)
    tags32 = word_tags(tagger, texts) if agreement else None
    tagger = None  # free the fp32 weights before the int8 copy is built
    gc.collect()

    log(f"[{name}] loading int8 tagger")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            qtagger = load_tagger(model_dir, quantize="int8", batch_tokens=batch_tokens, threads=None, phase=timer)
        except RuntimeError as exc:
            out["int8_error"] = str(exc)
            return out
    out["int8_warnings"] = sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0][:90]}" for w in caught})
    kinds: dict[str, int] = {}
    for module in qtagger.model.modules():  # what load_tagger(..., quantize="int8") put in place of Linear
        kind = f"{type(module).__module__}.{type(module).__name__}"
        if "int8" in kind.lower() or ".quantized" in kind:
            kinds[kind] = kinds.get(kind, 0) + 1
    out["int8_layers"] = kinds
    log(f"[{name}] ceiling int8 ...")
    out["runs"].append(fastest(repeats, lambda: run_ceiling(name, qtagger, texts, CEILING8)))
    if extra:
        out["ops"]["int8"] = op_profile(qtagger, texts)
    log(f"[{name}] tagger int8 ...")
    int8, ents8 = fastest(repeats, lambda: run_tagger(name, qtagger, timer, texts, "tagger int8"))
    out["runs"].append(int8)
    if agreement:
        tags8 = word_tags(qtagger, texts)
        out["agreement"] = float((tags8 == tags32).mean())
        out["agreement_words"] = int(tags32.size)
        out["entity_f1"] = entity_f1(ents32, ents8)
    qtagger = None
    gc.collect()
    return out


# -- report --------------------------------------------------------------------------------
def _mb(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


def _ratio(x: float | None, target: float, fmt: str = "{:.2f}") -> str:
    if x is None:
        return "n/a"
    return f"{fmt.format(x)} ({'met' if x >= target else 'missed'}: target >= {fmt.format(target)})"


def ratios(r: dict) -> dict:
    """tagger/ceiling, tagger/naive, int8/fp32, int8 tagger/int8 ceiling (None where not run)."""
    runs = {run.variant: run for run in r["runs"]}
    ceil, naive, fp32 = runs.get(CEILING), runs.get(NAIVE), runs.get("tagger fp32")
    int8, ceil8 = runs.get("tagger int8"), runs.get(CEILING8)
    return {
        "tagger/ceiling": ceil.seconds / fp32.seconds if ceil and fp32 else None,
        "tagger/naive": naive.seconds / fp32.seconds if naive and fp32 else None,
        "int8/fp32": fp32.seconds / int8.seconds if fp32 and int8 else None,
        "int8 tagger/int8 ceiling": ceil8.seconds / int8.seconds if ceil8 and int8 else None,
    }


def report(results: dict[str, dict], info: dict, inputs: str, models: dict[str, str], seconds: float,
           batch_tokens: int, end_load: str, repeats: int = 1) -> str:
    threads = info["torch_threads"]
    out = ["# Inference speed on CPU", "",
           f"Machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
           f"torch {info['torch']} ({threads} threads), transformers {info['transformers']}, "
           f"Python {info['python']}, {info['platform']}. Date: {info['date_utc']}. "
           f"Load average (1/5/15 min) at start: {format_load(info['load_average'])}; at end: {end_load}.", "",
           f"Inputs: {inputs}. Token budget per batch: {batch_tokens} padded subwords; "
           f"{DOCS_PER_CALL} documents per `tag_batch` call. Each variant timed {repeats} time(s), the fastest "
           f"kept. Whole benchmark: {seconds / 60:.1f} min.", "",
           "Models:", ""]
    out += [f"- {name}: {desc}" for name, desc in models.items()]
    out += ["",
            "Tokens are the subword ids fed to the model (specials and window overlaps included, "
            "padding excluded); tokens/s divides them by the variant's wall time. Peak RSS is the "
            "process's high-water mark during the variant; Δ is its rise over the RSS at the start. "
            f"CPU is the process's CPU time over wall time (cores kept busy): well below {threads} for "
            "a model-bound row means other processes took the cores and the row is not to be trusted.", "",
            "| model | variant | subword tokens | padded | wall s | tokens/s | articles/s | CPU | peak RSS MB (Δ) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        for run in r["runs"]:
            delta = "" if run.rss_peak is None or run.rss_start is None else f" ({run.rss_peak - run.rss_start:+,.0f})"
            out.append(f"| {name} | {run.variant} | {run.tokens:,} | {run.padded:,} | {run.seconds:.2f} | "
                       f"{run.tok_s:,.0f} | {run.art_s:.3f} | {run.cpu / run.seconds:.2f} | {_mb(run.rss_peak)}{delta} |")
    busy = [f"{name} {run.variant} ({run.cpu / run.seconds:.2f})" for name, r in results.items() for run in r["runs"]
            if run.variant.startswith("ceiling") and run.cpu < 0.75 * threads * run.seconds]
    if busy:
        out += ["", f"**Warning: the machine was busy.** These forward-only rows kept fewer than "
                f"{0.75 * threads:.1f} of {threads} cores busy: {', '.join(busy)}. "
                "Other processes were competing for the cores; rerun on an idle machine."]
    out += ["", "Ratios (wall time on the same articles; higher is better):", "",
            "| model | tagger fp32 / ceiling | tagger fp32 / naive | tagger int8 / fp32 | tagger int8 / int8 ceiling "
            "| int8 word-tag agreement with fp32 | int8 entity F1 vs fp32 |",
            "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        q = ratios(r)
        agree = r.get("agreement")
        agree_s = ("n/a (random weights)" if r.get("random_weights") else "n/a" if agree is None
                   else f"{_ratio(agree, TARGETS['agreement'], '{:.2%}')} of {r['agreement_words']:,} words")
        int8_ceil_s = "n/a" if q["int8 tagger/int8 ceiling"] is None else f"{q['int8 tagger/int8 ceiling']:.2f}"
        f1_s = "n/a" if r.get("entity_f1") is None else f"{r['entity_f1']:.3f}"
        out.append(f"| {name} | {_ratio(q['tagger/ceiling'], TARGETS['tagger/ceiling'])} "
                   f"| {_ratio(q['tagger/naive'], TARGETS['tagger/naive'])} "
                   f"| {_ratio(q['int8/fp32'], TARGETS['int8/fp32'])} | {int8_ceil_s} | {agree_s} | {f1_s} |")
    for name, r in results.items():
        runs = {run.variant: run for run in r["runs"]}
        prev, cur = runs.get(CEILING_PREVIOUS), runs.get(CEILING)
        if prev and cur:
            out += ["", f"Batch plan, {name}: filling batches to the budget (the previous plan) pads "
                    f"{prev.padded / prev.tokens - 1:.1%} and its forward passes take {prev.seconds:.2f} s; the "
                    f"current plan pads {cur.padded / cur.tokens - 1:.1%} and takes {cur.seconds:.2f} s "
                    f"({prev.seconds / cur.seconds:.2f}x faster)."]
    out += ["", "Where the time goes (seconds of the timed run, share of its wall time; the tagger's phases "
            "come from its timing hooks, `other` is what no phase accounts for):", ""]
    for name, r in results.items():
        for run in r["runs"]:
            if not run.phases:
                continue
            parts = ", ".join(f"{k} {v:.2f} s ({v / run.seconds:.0%})" for k, v in run.phases.items())
            out.append(f"- {name}, {run.variant} ({run.seconds:.2f} s): {parts}")
    for name, r in results.items():
        if r.get("cprofile"):
            out += ["", f"cProfile of one `tag_batch` pass, {name} fp32 (top functions by self time; "
                    "profiling inflates Python-heavy code):", "",
                    "| function | self s | cumulative s |", "|---|---:|---:|"]
            out += [f"| `{f}` | {s:.3f} | {c:.3f} |" for f, s, c in r["cprofile"]]
    for name, r in results.items():
        for precision, ops in r.get("ops", {}).items():
            total = sum(sec for _, sec, _ in ops) / max(sum(share for _, _, share in ops), 1e-9)
            out += ["", f"Operator profile of one forward pass over the tagger's batches, {name} {precision} "
                    f"(torch.profiler self time, {total:.2f} s in all; the profiler adds some overhead):", "",
                    "| operator | self CPU s | share |", "|---|---:|---:|"]
            out += [f"| `{op}` | {sec:.2f} | {share:.1%} |" for op, sec, share in ops]
    out += ["", "int8:"]
    for name, r in results.items():
        if "int8_error" in r:
            out.append(f"- {name}: int8 unavailable: {r['int8_error']}")
        else:
            layers = ", ".join(f"{n} × `{k}`" for k, n in r["int8_layers"].items()) or "no quantised layer found"
            out.append(f"- {name}: `load_tagger(..., quantize=\"int8\")`: {layers}; {r['params']:,} parameters "
                       "in fp32. Warnings at load: " + ("; ".join(r["int8_warnings"]) or "none"))
    return "\n".join(out) + "\n"


def to_json(results: dict[str, dict]) -> dict:
    out = {}
    for name, r in results.items():
        out[name] = {**{k: v for k, v in r.items() if k != "runs"}, "runs": [run.to_json() for run in r["runs"]],
                     "ratios": ratios(r)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", default=[], metavar="NAME=DIR",
                    help=f"a polner-train output directory (repeatable), or {BASE_SHAPED} for the built-in "
                         f"random PhoBERT-base-shaped model (default: {' and '.join(DEFAULT_MODELS)})")
    ap.add_argument("--tiny-model", type=Path, help="the same as --model tiny=DIR (kept for older commands)")
    ap.add_argument("--raw-news", type=Path, default=DEFAULT_RAW_NEWS,
                    help="political_news.jsonl (RESERVED.txt beside it is honoured); absent: shipped test texts")
    ap.add_argument("--articles", type=int, default=40,
                    help="articles per variant (default 40: about 8 minutes on 2 idle cores with 2 repeats "
                         "for the default models)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "inference_speed.md",
                    help="the Markdown result; the JSON goes beside it")
    ap.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    ap.add_argument("--batch-tokens", type=int, default=8192, help="the tagger's token budget per batch")
    ap.add_argument("--repeats", type=int, default=2,
                    help="time each variant this many times and keep the fastest (default 2)")
    ap.add_argument("--extra", action="store_true",
                    help="also time the previous batch plan and profile the forward pass by operator "
                         "(about 2.5 more forward passes per model)")
    args = ap.parse_args(argv)
    if args.articles < 1 or args.repeats < 1:
        ap.error("--articles and --repeats must be at least 1")
    specs = list(args.model) + ([f"tiny={args.tiny_model}"] if args.tiny_model else [])
    specs = specs or list(DEFAULT_MODELS)
    try:
        models = parse_models([s for s in specs if s != BASE_SHAPED])
        if BASE_SHAPED in models:
            raise BenchmarkError(f"--model: {BASE_SHAPED} is the built-in model's name; give it without =DIR")
        for name, path in models.items():
            if not path.is_dir():
                raise BenchmarkError(f"--model {name}: model directory {path} does not exist (train it with "
                                     "polner-train --config configs/<name>.yaml)")
    except BenchmarkError as exc:
        return error("inference_speed", exc)
    if args.threads:
        torch.set_num_threads(args.threads)
    # a killed run still removes the ~0.5 GB of temporary weights (the `with` below cleans up)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    command = command_line("benchmarks.inference_speed", argv)
    t_start = time.perf_counter()
    info = machine_info()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.0f}s] {msg}", file=sys.stderr, flush=True)

    try:
        texts, inputs = load_articles(args.raw_news, args.articles)
    except BenchmarkError as exc:
        return error("inference_speed", exc)
    log(f"inputs: {inputs}; {sum(map(len, texts)):,} characters; N = {len(texts)}")
    results: dict[str, dict] = {}
    described: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="polner-base-shaped-") as tmp:
        order = [s if s == BASE_SHAPED else s.partition("=")[0].strip() for s in specs]
        for name in order:
            if name == BASE_SHAPED:
                log(f"building the {BASE_SHAPED} model (random weights, seed {SEED})")
                model_dir = make_base_shaped_model(Path(tmp))
                described[name] = ("PhoBERT-base's architecture (12 layers, hidden 768, vocabulary 64,001), random "
                                   f"weights (seed {SEED}), PhoBERT's tokenizer and pyvi segmentation")
                trained = False
            else:
                model_dir = models[name]
                described[name] = describe_model(model_provenance(model_dir))
                trained = True
            results[name] = bench_model(name, model_dir, texts, args.batch_tokens, agreement=trained,
                                        profile=trained, log=log, extra=args.extra, repeats=args.repeats)
            results[name]["random_weights"] = not trained
    end_load = format_load(load_average())
    seconds = time.perf_counter() - t_start
    md = report(results, info, inputs, described, seconds, args.batch_tokens, end_load, args.repeats)
    print(md)
    out = args.out.with_suffix("")
    md_path, json_path = write_results(
        out.parent, out.name, md,
        {"inputs": inputs, "models": described, "batch_tokens": args.batch_tokens, "repeats": args.repeats,
         "seconds": round(seconds, 1), "load_average_end": load_average(), "targets": TARGETS,
         "results": to_json(results)},
        command=command, machine=info)
    log(f"written {md_path} and {json_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
