"""Inference speed on CPU: the tagger against the model's own ceiling and a naive loop.

    python benchmarks/inference_speed.py [--raw-news PATH] [--articles 40] [--tiny-model DIR]
        [--out benchmarks/results/inference_speed.md] [--repeats 2] [--extra] [--threads T]
        [--batch-tokens 8192]

One process, one go, one machine, the same documents and the same weights for every
variant, for two models:

- ``phobert-base-shaped``: PhoBERT-base's architecture (12 layers, hidden 768, vocabulary
  64,001) randomly initialised with a fixed seed, since the real weights cannot be
  downloaded here. Speed does not depend on the values of the weights, so this measures
  what a user of the real model would see. It is saved with the real PhoBERT tokenizer
  and a ``polner.json`` and loaded through ``load_tagger``, the path users take.
- ``tiny``: a model trained by ``polner-train --config configs/tiny.yaml`` (``runs/tiny``
  by default, trained first if it is missing or older than the corpus, as
  ``benchmarks.baselines`` does). Its predictions mean something, so the int8
  agreement with fp32 is measured on it.

Variants, each warmed up once on the first two articles and then timed (wall clock,
``time.perf_counter``) on all of them, ``--repeats`` times, keeping the fastest:

- ``ceiling``: the model's forward pass alone over exactly the batches the tagger builds
  (already collated): what this hardware can do with this model and these inputs.
- ``naive``: what a user would write: normalise + pyvi-segment (the tagger's own
  preprocessing, so both do the same work), then one sentence at a time
  PhobertTokenizer -> model -> argmax, no batching (truncated at 256 subwords).
- ``tagger fp32`` / ``tagger int8``: ``Tagger.tag_batch`` over chunks of 64 documents,
  as ``polner-tag`` calls it, with the time split into phases by light wrappers around
  the tagger's own functions (a few ``perf_counter`` calls per sentence).

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
import datetime
import gc
import io
import json
import os
import platform
import pstats
import random
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import inference.preprocess as preprocess_module  # noqa: E402
from benchmarks.baselines import ensure_tiny_model  # noqa: E402
from benchmarks.machine import cpu_model, usable_cores  # noqa: E402
from training.corpus.validate import load_reserved  # noqa: E402
from inference.preprocess import Preprocessor  # noqa: E402
from inference.settings import TaggerSettings, check_model_dir  # noqa: E402
from inference.tagger import Tagger, iter_chunks, load_tagger  # noqa: E402

DEFAULT_RAW_NEWS = ROOT.parent / "shared" / "data" / "raw_news" / "political_news.jsonl"
FALLBACK_TEXTS = ROOT / "annotations" / "data" / "test.jsonl"
TOKENIZER_DIR = ROOT / "assets" / "phobert-tokenizer"
TAGS = ["O", "B-PER", "I-PER", "B-TITLE", "I-TITLE", "B-ORG", "I-ORG", "B-DOC", "I-DOC"]
DOCS_PER_CALL = 64  # polner-tag's --batch-docs default
WARMUP_DOCS = 2
SEED = 0
TARGETS = {"tagger/ceiling": 0.85, "tagger/naive": 3.0, "int8/fp32": 1.7, "agreement": 0.99}


# -- inputs ------------------------------------------------------------------------------
def load_articles(raw_news: Path, n: int) -> tuple[list[str], str]:
    """N non-reserved articles (a seeded sample, in file order), else the shipped test texts."""
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
                    raise SystemExit(f"{raw_news}:{line_no}: not JSON: {exc}")
                if rec.get("id") in reserved or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                    continue
                pool.append(rec["text"])
        if n > len(pool):
            raise SystemExit(f"{raw_news}: only {len(pool)} non-reserved articles, asked for {n}")
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
                    raise SystemExit(f"{FALLBACK_TEXTS}:{line_no}: {type(exc).__name__}: {exc}")
    texts = texts[:n]
    return texts, f"{len(texts)} texts of `{FALLBACK_TEXTS.relative_to(ROOT)}` ({raw_news} not found)"


def make_base_shaped_model(directory: Path) -> Path:
    """PhoBERT-base's shape, random weights (fixed seed), laid out like a polner-train output."""
    from transformers import RobertaConfig, RobertaForTokenClassification

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


@contextlib.contextmanager
def measured(out: dict):
    """Wall time and RSS high-water mark of the block (memory reset first)."""
    gc.collect()
    out["reset"] = reset_peak_rss()
    out["rss_start"] = _proc_status_mb("VmRSS")
    c0 = os.times()
    t0 = time.perf_counter()
    yield
    out["seconds"] = time.perf_counter() - t0
    c1 = os.times()
    out["cpu"] = (c1.user + c1.system) - (c0.user + c0.system)
    out["rss_peak"] = _proc_status_mb("VmHWM")


class PhaseClock:
    """Accumulates time spent inside wrapped callables, by phase name."""

    def __init__(self) -> None:
        self.t: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.t[name] += time.perf_counter() - t0

        return timed


@contextlib.contextmanager
def instrumented(tagger: Tagger, clock: PhaseClock):
    """Time the tagger's phases by wrapping its own functions; everything is restored after."""
    pre = tagger.preprocessor
    saved_mod = (preprocess_module.normalize, preprocess_module.split_sentences)
    preprocess_module.normalize = clock.wrap("normalise", saved_mod[0])
    preprocess_module.split_sentences = clock.wrap("split sentences", saved_mod[1])
    pre.prepare = clock.wrap("preprocess", pre.prepare)
    pre.segmenter.words = clock.wrap("segment", pre.segmenter.words)
    tagger.sentence_probs = clock.wrap("sentence_probs", tagger.sentence_probs)
    tagger.forward_windows = clock.wrap("forward_windows", tagger.forward_windows)
    starts: list[float] = []
    h1 = tagger.model.register_forward_pre_hook(lambda *_: starts.append(time.perf_counter()))
    h2 = tagger.model.register_forward_hook(
        lambda *_: clock.t.__setitem__("model", clock.t["model"] + time.perf_counter() - starts.pop()))
    try:
        yield
    finally:
        h1.remove()
        h2.remove()
        for obj, name in ((pre, "prepare"), (pre.segmenter, "words"), (tagger, "sentence_probs"),
                          (tagger, "forward_windows")):
            delattr(obj, name)  # the instance attribute shadowed the method
        preprocess_module.normalize, preprocess_module.split_sentences = saved_mod


def phases_of(clock: PhaseClock, total: float) -> dict[str, float]:
    t = clock.t
    return {
        "normalise": t["normalise"],
        "split sentences": t["split sentences"],
        "segment (pyvi)": t["segment"],
        "other preprocessing": t["preprocess"] - t["normalise"] - t["split sentences"] - t["segment"],
        "encode + windows": t["sentence_probs"] - t["forward_windows"],
        "model forward": t["model"],
        "collate + gather + softmax": t["forward_windows"] - t["model"],
        "decode + rules": total - t["preprocess"] - t["sentence_probs"],
    }


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


def tagger_batches(tagger: Tagger, texts: Sequence[str], previous_plan: bool = False
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


def run_ceiling(name: str, tagger: Tagger, texts: Sequence[str], label: str = "ceiling (forward only)",
                previous_plan: bool = False) -> Run:
    batches, real, padded = tagger_batches(tagger, texts, previous_plan)
    model = tagger.model
    with torch.inference_mode():
        model(input_ids=batches[0][0], attention_mask=batches[0][1])  # warm-up
        m: dict = {}
        with measured(m):
            for ids, mask in batches:
                model(input_ids=ids, attention_mask=mask)
    return Run(name, label, len(texts), real, padded, m["seconds"], m["rss_start"], m["rss_peak"], m["cpu"])


def run_naive(name: str, tagger: Tagger, model_dir: Path, texts: Sequence[str]) -> Run:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))  # PhobertTokenizer, as a user loads it
    pre = Preprocessor(tagger.settings.segmenter)
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
            enc = tok(" ".join(w.form for w in words), return_tensors="pt", truncation=True, max_length=256)
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
    return Run(name, "naive loop (1 sentence at a time)", len(texts), tokens, tokens, m["seconds"],
               m["rss_start"], m["rss_peak"], m["cpu"], dict(phases))


def run_tagger(name: str, tagger: Tagger, texts: Sequence[str], label: str) -> tuple[Run, list]:
    for chunk in iter_chunks(texts[:WARMUP_DOCS], DOCS_PER_CALL):
        tagger.tag_batch(chunk)
    tokens = [0, 0]

    def progress(n: int) -> None:
        tokens[0] += n

    clock = PhaseClock()
    results: list = []
    m: dict = {}
    with instrumented(tagger, clock), measured(m):
        for chunk in iter_chunks(texts, DOCS_PER_CALL):
            results.extend(tagger.tag_batch(chunk, progress=progress))
    _, _, padded = tagger_batches(tagger, texts)  # outside the timing
    run = Run(name, label, len(texts), tokens[0], padded, m["seconds"], m["rss_start"], m["rss_peak"], m["cpu"],
              phases_of(clock, m["seconds"]))
    return run, results


def op_profile(tagger: Tagger, texts: Sequence[str], top: int = 6) -> list[tuple[str, float, float]]:
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


def word_tags(tagger: Tagger, texts: Sequence[str]) -> np.ndarray:
    forms = [[w.form for w in s] for t in texts for s in tagger.preprocessor.prepare(t).sentences]
    probs = tagger.sentence_probs(forms)
    return np.concatenate([p.argmax(-1) for p in probs if len(p)])


def entity_f1(reference: list, other: list) -> float:
    ref = {(i, e.start, e.end, e.label) for i, ents in enumerate(reference) for e in ents}
    oth = {(i, e.start, e.end, e.label) for i, ents in enumerate(other) for e in ents}
    if not ref and not oth:
        return 1.0
    return 2 * len(ref & oth) / (len(ref) + len(oth))


def cprofile_tagger(tagger: Tagger, texts: Sequence[str], top: int = 14) -> list[tuple[str, float, float]]:
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
    out: dict = {"runs": []}
    log(f"[{name}] loading fp32 tagger from {model_dir}")
    tagger = load_tagger(model_dir, batch_tokens=batch_tokens)
    out["params"] = sum(p.numel() for p in tagger.model.parameters())
    log(f"[{name}] ceiling ...")
    out["runs"].append(fastest(repeats, lambda: run_ceiling(name, tagger, texts)))
    if extra:
        log(f"[{name}] ceiling with the previous batch plan, and an operator profile ...")
        out["runs"].append(fastest(repeats, lambda: run_ceiling(
            name, tagger, texts, "ceiling, previous plan (batches filled to the budget)", previous_plan=True)))
        out["ops"] = {"fp32": op_profile(tagger, texts)}
    log(f"[{name}] naive loop ...")
    out["runs"].append(fastest(repeats, lambda: run_naive(name, tagger, model_dir, texts)))
    log(f"[{name}] tagger fp32 ...")
    fp32, ents32 = fastest(repeats, lambda: run_tagger(name, tagger, texts, "tagger fp32"))
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
            qtagger = load_tagger(model_dir, quantize="int8", batch_tokens=batch_tokens)
        except RuntimeError as exc:
            out["int8_error"] = str(exc)
            return out
    out["int8_warnings"] = sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0][:90]}" for w in caught})
    out["int8_engine"] = torch.backends.quantized.engine
    log(f"[{name}] ceiling int8 ...")
    out["runs"].append(fastest(repeats, lambda: run_ceiling(name, qtagger, texts, "ceiling int8 (forward only)")))
    if extra:
        out["ops"]["int8"] = op_profile(qtagger, texts)
    log(f"[{name}] tagger int8 ...")
    int8, ents8 = fastest(repeats, lambda: run_tagger(name, qtagger, texts, "tagger int8"))
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
def machine() -> dict:
    import transformers

    return {
        "cpu": cpu_model(), "cores": os.cpu_count(), "usable cores": usable_cores(), "torch": torch.__version__,
        "transformers": transformers.__version__, "threads": torch.get_num_threads(),
        "python": platform.python_version(), "os": platform.platform(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a",
    }


def _mb(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


def _ratio(x: float | None, target: float, fmt: str = "{:.2f}") -> str:
    if x is None:
        return "n/a"
    return f"{fmt.format(x)} ({'met' if x >= target else 'missed'}: target >= {fmt.format(target)})"


def report(results: dict[str, dict], info: dict, inputs: str, command: str, seconds: float,
           batch_tokens: int, end_load: str, repeats: int = 1) -> str:
    out = ["# Inference speed on CPU", "",
           f"Machine: {info['cpu']}, {info['cores']} cores ({info['usable cores']} usable), "
           f"torch {info['torch']} ({info['threads']} threads), transformers {info['transformers']}, "
           f"Python {info['python']}, {info['os']}. Date: {info['date']}. "
           f"Load average (1/5/15 min) at start: {info['load']}; at end: {end_load}.", "",
           f"Inputs: {inputs}. Token budget per batch: {batch_tokens} padded subwords; "
           f"{DOCS_PER_CALL} documents per `tag_batch` call. Each variant timed {repeats} time(s), the fastest "
           f"kept. Whole benchmark: {seconds / 60:.1f} min.", "",
           "Tokens are the subword ids fed to the model (specials and window overlaps included, "
           "padding excluded); tokens/s divides them by the variant's wall time. Peak RSS is the "
           "process's high-water mark during the variant; Δ is its rise over the RSS at the start. "
           f"CPU is the process's CPU time over wall time (cores kept busy): well below {info['threads']} for "
           "a model-bound row means other processes took the cores and the row is not to be trusted.", "",
           "| model | variant | subword tokens | padded | wall s | tokens/s | articles/s | CPU | peak RSS MB (Δ) |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        for run in r["runs"]:
            delta = "" if run.rss_peak is None or run.rss_start is None else f" ({run.rss_peak - run.rss_start:+,.0f})"
            out.append(f"| {name} | {run.variant} | {run.tokens:,} | {run.padded:,} | {run.seconds:.2f} | "
                       f"{run.tok_s:,.0f} | {run.art_s:.3f} | {run.cpu / run.seconds:.2f} | {_mb(run.rss_peak)}{delta} |")
    busy = [f"{name} {run.variant} ({run.cpu / run.seconds:.2f})" for name, r in results.items() for run in r["runs"]
            if run.variant.startswith("ceiling") and run.cpu < 0.75 * info["threads"] * run.seconds]
    if busy:
        out += ["", f"**Warning: the machine was busy.** These forward-only rows kept fewer than "
                f"{0.75 * info['threads']:.1f} of {info['threads']} cores busy: {', '.join(busy)}. "
                "Other processes were competing for the cores; rerun on an idle machine."]
    out += ["", "Ratios (wall time on the same articles; higher is better):", "",
            "| model | tagger fp32 / ceiling | tagger fp32 / naive | tagger int8 / fp32 | tagger int8 / int8 ceiling "
            "| int8 word-tag agreement with fp32 | int8 entity F1 vs fp32 |",
            "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        runs = {run.variant: run for run in r["runs"]}
        ceil, naive, fp32 = runs.get("ceiling (forward only)"), runs.get("naive loop (1 sentence at a time)"), runs.get("tagger fp32")
        int8, ceil8 = runs.get("tagger int8"), runs.get("ceiling int8 (forward only)")
        agree = r.get("agreement")
        agree_s = ("n/a (random weights)" if agree is None
                   else f"{_ratio(agree, TARGETS['agreement'], '{:.2%}')} of {r['agreement_words']:,} words")
        int8_s = _ratio(fp32.seconds / int8.seconds, TARGETS["int8/fp32"]) if int8 else "n/a"
        int8_ceil_s = f"{ceil8.seconds / int8.seconds:.2f}" if int8 and ceil8 else "n/a"
        f1_s = "n/a" if r.get("entity_f1") is None else f"{r['entity_f1']:.3f}"
        out.append(f"| {name} | {_ratio(ceil.seconds / fp32.seconds, TARGETS['tagger/ceiling'])} "
                   f"| {_ratio(naive.seconds / fp32.seconds, TARGETS['tagger/naive'])} "
                   f"| {int8_s} | {int8_ceil_s} | {agree_s} | {f1_s} |")
    for name, r in results.items():
        runs = {run.variant: run for run in r["runs"]}
        prev, cur = runs.get("ceiling, previous plan (batches filled to the budget)"), runs.get("ceiling (forward only)")
        if prev and cur:
            out += ["", f"Batch plan, {name}: filling batches to the budget (the previous plan) pads "
                    f"{prev.padded / prev.tokens - 1:.1%} and its forward passes take {prev.seconds:.2f} s; the "
                    f"current plan pads {cur.padded / cur.tokens - 1:.1%} and takes {cur.seconds:.2f} s "
                    f"({prev.seconds / cur.seconds:.2f}x faster)."]
    out += ["", "Where the tagger's time goes (seconds of the timed run, share of its wall time):", ""]
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
            out.append(f"- {name}: `torch.ao.quantization.quantize_dynamic` on the Linear layers, engine "
                       f"`{r['int8_engine']}`; {r['params']:,} parameters. Warnings at load: "
                       + ("; ".join(r["int8_warnings"]) or "none"))
    out += ["", f"Command: `{command}`", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw-news", type=Path, default=DEFAULT_RAW_NEWS,
                    help="political_news.jsonl (RESERVED.txt beside it is honoured); absent: shipped test texts")
    ap.add_argument("--articles", type=int, default=40,
                    help="articles per variant (default 40: about 8 minutes on 2 idle cores with 2 repeats)")
    ap.add_argument("--tiny-model", type=Path, default=ROOT / "runs" / "tiny",
                    help="a polner-train output of configs/tiny.yaml (default runs/tiny; trained if missing)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "inference_speed.md")
    ap.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    ap.add_argument("--batch-tokens", type=int, default=8192, help="the tagger's token budget per batch")
    ap.add_argument("--models", default="base,tiny", help="comma list of base, tiny")
    ap.add_argument("--repeats", type=int, default=2,
                    help="time each variant this many times and keep the fastest (default 2)")
    ap.add_argument("--extra", action="store_true",
                    help="also time the previous batch plan and profile the forward pass by operator "
                         "(about 2.5 more forward passes per model)")
    args = ap.parse_args(argv)
    if args.articles < 1 or args.repeats < 1:
        ap.error("--articles and --repeats must be at least 1")
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not models or set(models) - {"base", "tiny"}:
        ap.error("--models takes base and/or tiny")
    if args.threads:
        torch.set_num_threads(args.threads)
    # a killed run still removes the ~0.5 GB of temporary weights (the `with` below cleans up)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    t_start = time.perf_counter()
    info = machine()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.0f}s] {msg}", file=sys.stderr, flush=True)

    texts, inputs = load_articles(args.raw_news, args.articles)
    log(f"inputs: {inputs}; {sum(map(len, texts)):,} characters; N = {len(texts)}")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="polner-base-shaped-") as tmp:
        if "tiny" in models:
            corpus = {split: ROOT / "annotations" / "data" / f"{split}.jsonl" for split in ("train", "dev", "test")}
            tiny_dir, tiny_desc = args.tiny_model, ensure_tiny_model(args.tiny_model, corpus, retrain=False)
            inputs += f"; tiny model {tiny_desc}"
            results["tiny"] = bench_model("tiny", tiny_dir, texts, args.batch_tokens, agreement=True,
                                          profile=True, log=log, extra=args.extra, repeats=args.repeats)
        if "base" in models:
            log("building the PhoBERT-base-shaped model (random weights, seed 0)")
            base_dir = make_base_shaped_model(Path(tmp))
            results["phobert-base-shaped"] = bench_model("phobert-base-shaped", base_dir, texts, args.batch_tokens,
                                                         agreement=False, profile=False, log=log,
                                                         extra=args.extra, repeats=args.repeats)
    end_load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    command = "python benchmarks/inference_speed.py " + " ".join(argv if argv is not None else sys.argv[1:])
    md = report(results, info, inputs, command.strip(), time.perf_counter() - t_start, args.batch_tokens, end_load,
                args.repeats)
    print(md)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, encoding="utf-8")
    log(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
