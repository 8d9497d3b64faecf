"""Baselines beside the models, on the same splits, scored by the same evaluation code.

    python -m benchmarks.baselines [--model NAME=DIR ...] [--train-missing [NAME=]CONFIG ...] \
        [--phoner-dir ../shared/data/phoner_covid19] [--phoner-model NAME=DIR ...]

writes ``benchmarks/results/baselines.{md,json}``: one table per corpus split (project dev,
project test, the v1 articles of project test, the challenge set with a table per phenomenon,
PhoNER_COVID19 test), one row per system,
micro P/R/F1 (seqeval strict IOB2), span exact-match micro F1 and per-label F1, with the
machine, date and command.

Systems, all behind the tagger contract (``inference.base``), all scored by
``training.evaluate.evaluate_file`` on the original text exactly as a model is:

- a feature-based CRF (``training.baselines.crf``) trained on each corpus's train split;
- underthesea's ``ner()`` (``training.baselines.underthesea``; PER/ORG/LOC only, so scored on
  PER and ORG, the other gold labels ignored through ``label_map``);
- the corpus pre-annotator's rules (``training.baselines.rules``; project corpus only);
- every trained polner model given as ``--model NAME=DIR`` (default ``tiny=runs/tiny``),
  without and with the document-code grammar (``doc_rules`` off, repair, union); a missing
  model directory is trained first only when ``--train-missing`` names its config;
- on PhoNER_COVID19, the models given as ``--phoner-model NAME=DIR`` (default
  ``tiny=runs/phoner-covid19-word``), trained by ``benchmarks.phoner_covid19`` (run as its
  own command) when missing and ``--phoner-train-missing`` names a config.

Published PhoBERT scores appear as reference rows, marked as reported by their authors and
not reproduced here. Results hold scores only: no text from either corpus.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as a script: python benchmarks/baselines.py

from inference.cli import error  # noqa: E402
from inference.scheme import LABELS  # noqa: E402
from benchmarks.common import (  # noqa: E402
    ROOT,
    ENV_VAR,
    PHONER_LABELS,
    RESULTS,
    BenchmarkError,
    check_data_dir,
    command_line,
    default_data_dir,
    describe_model,
    has_weights,
    machine_info,
    model_provenance,
    package_versions,
    parse_models,
    parse_train_missing,
    public_path,
    scores_only,
    split_files,
    train_model,
    weights_older_than,
    write_results,
)

PHONER_SHORT = {"PATIENT_ID": "PAT_ID", "LOCATION": "LOC", "ORGANIZATION": "ORG",
                "SYMPTOM_AND_DISEASE": "SYMPT", "TRANSPORTATION": "TRANSP"}
DEFAULT_MODELS = ["tiny=runs/tiny"]
DEFAULT_PHONER_MODELS = ["tiny=runs/phoner-covid19-word"]
SKIPPABLE = ["crf", "underthesea", "rules", "models", "tiny", "project", "phoner"]  # tiny: older name of models
V1 = {"corpus": "v1"}
BOOTSTRAP = 1000  # draws for the 95% interval of span micro F1 (documents, or sentences, resampled)
MODE_NAMES = {"off": "{name}", "repair": "{name} + document-code grammar (repair)",
              "union": "{name} + document-code grammar (union)"}
CRF_NAME, UTS_NAME, RULES_NAME = "CRF (sklearn-crfsuite, word features)", "underthesea ner() †", "pre-annotator rules"

REFERENCES = {
    "project": [
        {"system": "PhoBERT-base on VLSP-2016 NER", "f1": 93.6,
         "note": "reported by Nguyen & Nguyen (Findings of EMNLP 2020), not reproduced here; "
                 "a different corpus (PER/ORG/LOC/MISC news), shown for scale only"},
        {"system": "PhoBERT-large on VLSP-2016 NER", "f1": 94.7,
         "note": "reported by Nguyen & Nguyen (Findings of EMNLP 2020), not reproduced here; "
                 "a different corpus (PER/ORG/LOC/MISC news), shown for scale only"},
    ],
    "phoner": [
        {"system": "PhoBERT (word level) on PhoNER_COVID19 test", "f1": 94.5,
         "note": "micro-F1 reported by Truong et al. (NAACL 2021), not reproduced here"},
    ],
}


# --- rows -------------------------------------------------------------------------------------
def ignore_others(corpus_labels: Sequence[str], tagger) -> dict[str, None]:
    """``label_map`` that ignores the gold labels a system does not know (underthesea)."""
    return {lab: None for lab in corpus_labels if lab not in tagger.settings.labels}


def row(name: str, note: str = "", report: dict | None = None, status: str = "ok", **extra) -> dict:
    r = {"system": name, "status": status, "note": note, **extra}
    if report is not None:
        r["report"] = scores_only(report)
    return r


def attempt(name: str, note: str, fn: Callable[[], dict], **extra) -> dict:
    """Run one system; a failure becomes a row that says so, with the error, not a crash."""
    t0 = time.perf_counter()
    try:
        report = fn()
    except Exception as exc:  # noqa: BLE001 - the table must say why a baseline is missing
        msg = f"{type(exc).__name__}: {exc}".strip()
        print(f"  {name}: not available: {msg}", flush=True)
        traceback.print_exc(limit=2, file=sys.stderr)
        return row(name, note, status=f"not available: {msg}", **extra)
    seconds = time.perf_counter() - t0
    s = report["seqeval"]["micro"]
    print(f"  {name}: seqeval P/R/F1 {100 * s['precision']:.1f}/{100 * s['recall']:.1f}/{100 * s['f1']:.1f}, "
          f"span F1 {100 * report['spans']['micro']['f1']:.1f} ({seconds:.0f} s)", flush=True)
    return row(name, note, report, seconds=round(seconds, 1), **extra)


def word_level_seqeval(tagger, path: Path, labels: Sequence[str]) -> dict:
    """seqeval over the words the system trains on (its own preprocessing; gold entity edges
    kept as word breaks), as ``training.data.load_examples`` builds them."""
    from training.data import load_examples
    from training.metrics import seqeval_scores

    examples = load_examples(path, "jsonl", labels, tagger.preprocessor)
    pred = tagger.predict_words([e.forms for e in examples])
    return seqeval_scores([e.tags for e in examples], pred, labels)


# --- models -------------------------------------------------------------------------------------
def ensure_models(models: dict[str, Path], configs: dict[str, Path], corpus: dict[str, Path], retrain: bool) -> dict:
    """Provenance of each model; a missing one (or with --retrain) is trained from its config,
    on the --corpus-dir splits; a missing one without a config is reported as missing."""
    out = {}
    for name, model_dir in models.items():
        missing = not has_weights(model_dir)
        if name in configs and (missing or retrain):
            print(f"training {name} from {public_path(configs[name])} into {public_path(model_dir)} "
                  f"({'--retrain' if not missing else 'missing'}) ...", flush=True)
            train_model(configs[name], model_dir, [f"data.{s}={corpus[s]}" for s in ("train", "dev", "test")])
            info = model_provenance(model_dir, f"trained by this run from `{public_path(configs[name])}`")
        elif missing:
            info = {"dir": public_path(model_dir), "how": "missing", "missing": True}
        else:
            info = model_provenance(model_dir)
            info["stale"] = weights_older_than(model_dir, list(corpus.values()))
        out[name] = info
    return out


def load_mode_taggers(model_dir: Path) -> dict:
    """One tagger per doc_rules mode (only ``off`` for a model without DOC)."""
    from inference.doc_rules import MODES
    from inference.tagger import load_tagger

    off = load_tagger(model_dir, doc_rules="off")
    if "DOC" not in off.settings.labels:
        return {"off": off}
    return {"off": off, **{m: off.with_doc_rules(m) for m in MODES if m != "off"}}


# --- the project corpus -----------------------------------------------------------------------
def project_tables(corpus: dict[str, Path], models: dict[str, Path], infos: dict[str, dict], crf_iterations: int,
                   skip: set[str], challenge: Path | None = None) -> dict:
    from inference.preprocess import Preprocessor
    from inference.records import read_documents
    from training.baselines.crf import CRFTagger
    from training.data import load_examples
    from training.evaluate import evaluate_file, select_documents

    labels = LABELS
    has_v1 = bool(select_documents(read_documents(corpus["test"]), V1))
    splits = {"dev": (corpus["dev"], None), "test": (corpus["test"], None)}
    if has_v1:
        splits["test_v1"] = (corpus["test"], V1)
    if challenge is not None:  # scored per meta.phenomenon too (evaluate_file finds the field)
        splits["challenge"] = (challenge, None)
    tables = {key: {"data": public_path(path), "select": sel or {}, "rows": [], "word_level": []}
              for key, (path, sel) in splits.items()}

    crf = crf_note = None
    if "crf" not in skip:
        print("project corpus: training the CRF", flush=True)
        t0 = time.perf_counter()
        train_ex = load_examples(corpus["train"], "jsonl", labels, Preprocessor("pyvi"))
        crf = CRFTagger.train([e.forms for e in train_ex], [e.tags for e in train_ex], labels,
                              max_iterations=crf_iterations)
        crf_note = f"trained on train ({time.perf_counter() - t0:.0f} s with pyvi segmentation), c1/c2 fixed"
    uts = None
    if "underthesea" not in skip:
        try:
            from training.baselines.underthesea import PROJECT_LABELS as UTS_PROJECT, UndertheseaTagger

            uts = UndertheseaTagger(UTS_PROJECT)
        except Exception as exc:  # noqa: BLE001 - an optional dependency
            uts = exc
    rules = None
    if "rules" not in skip:
        try:
            from training.baselines.rules import RulesTagger

            rules = RulesTagger(labels)
        except Exception as exc:  # noqa: BLE001
            rules = exc
    taggers = {}
    if "models" not in skip:
        for name, model_dir in models.items():
            if not infos[name].get("missing"):
                taggers[name] = load_mode_taggers(model_dir)

    uts_note = "† PER and ORG only (its LOC ignored; TITLE/DOC not scored): its micro averages are over PER+ORG"
    for key, (path, sel) in splits.items():
        rows = tables[key]["rows"]
        print(f"project {key}:", flush=True)

        def score(tagger, label_map=None, path=path, sel=sel):
            return evaluate_file(tagger, path, "jsonl", label_map=label_map, bootstrap=BOOTSTRAP, select=sel)

        if crf is not None:
            rows.append(attempt(CRF_NAME, crf_note, lambda: score(crf)))
        else:
            rows.append(row(CRF_NAME, status="not run (--skip crf)"))
        if uts is None:
            rows.append(row(UTS_NAME, uts_note, status="not run (--skip underthesea)"))
        elif isinstance(uts, Exception):
            rows.append(row(UTS_NAME, uts_note, status=f"not available: {type(uts).__name__}: {uts}"))
        else:
            before = (uts.tokens, uts.unaligned)
            r = attempt(UTS_NAME, uts_note, lambda: score(uts, ignore_others(labels, uts)))
            r["unaligned_tokens"] = f"{uts.unaligned - before[1]} of {uts.tokens - before[0]}"
            rows.append(r)
        if rules is None:
            rows.append(row(RULES_NAME, status="not run (--skip rules)"))
        elif isinstance(rules, Exception):
            rows.append(row(RULES_NAME, status=f"not available: {type(rules).__name__}: {rules}"))
        else:
            rows.append(attempt(RULES_NAME, "training.corpus.preannotate (no training)", lambda: score(rules)))
        for name in models:
            if "models" in skip:
                rows.append(row(name, status="not run (--skip models)", model=name))
            elif infos[name].get("missing"):
                rows.append(row(name, status=f"not run: no model in `{infos[name]['dir']}` (pass --train-missing "
                                             f"{name}=CONFIG to train it)", model=name))
            else:
                for mode, tagger in taggers[name].items():
                    rows.append(attempt(MODE_NAMES[mode].format(name=name), f"doc_rules={mode}",
                                        lambda t=tagger: score(t), model=name, doc_rules=mode))

        if sel is None and key != "challenge":  # seqeval over the words each tagger trains on (whole splits)
            wl = tables[key]["word_level"]
            if crf is not None:
                wl.append({"system": "CRF", "seqeval": word_level_seqeval(crf, path, labels)})
            for name, modes in taggers.items():
                try:
                    wl.append({"system": name, "seqeval": word_level_seqeval(modes["off"], path, labels)})
                except Exception as exc:  # noqa: BLE001 - e.g. a model with other labels
                    print(f"  {name}: no word-level score: {type(exc).__name__}: {exc}", flush=True)
    return {"tables": tables, "v1": "scored" if has_v1 else
            f"no record of `{public_path(corpus['test'])}` has meta.corpus == \"v1\": no v1 table"}


# --- PhoNER_COVID19 ---------------------------------------------------------------------------
def model_level(model_dir: Path) -> str:
    """The PhoNER level a model was trained at: ``presegmented`` words or syllables."""
    from inference.settings import TaggerSettings

    return "word" if TaggerSettings.load(model_dir).segmenter == "presegmented" else "syllable"


def ensure_phoner_models(models: dict[str, Path], configs: dict[str, Path], data_dir: Path, retrain: bool,
                         max_minutes: float, results_dir: Path) -> dict:
    """Provenance of each PhoNER model; a missing one (or with --retrain) named in
    --phoner-train-missing is trained by ``python -m benchmarks.phoner_covid19``."""
    out = {}
    for name, model_dir in models.items():
        missing = not has_weights(model_dir)
        if name in configs and (missing or retrain):
            cmd = [sys.executable, "-m", "benchmarks.phoner_covid19", "--data-dir", str(data_dir), "--config",
                   str(configs[name]), "--output-dir", str(model_dir), "--max-minutes", f"{max_minutes:g}",
                   "--results-dir", str(Path(results_dir).resolve())]
            print(f"training PhoNER model {name} ({max_minutes:g}-minute budget): {' '.join(cmd[1:])}", flush=True)
            rc = subprocess.run(cmd, cwd=ROOT).returncode
            if rc != 0 or not has_weights(model_dir):
                out[name] = {"dir": public_path(model_dir), "how": f"training failed (exit code {rc})", "missing": True}
                continue
            out[name] = model_provenance(model_dir, f"trained by benchmarks.phoner_covid19 within a "
                                                    f"{max_minutes:g}-minute budget")
        elif missing:
            out[name] = {"dir": public_path(model_dir), "how": "missing", "missing": True}
        else:
            out[name] = model_provenance(model_dir)
    return out


def phoner_table(data_dir: Path, models: dict[str, Path], infos: dict[str, dict], crf_iterations: int,
                 skip: set[str]) -> dict:
    from inference.preprocess import Preprocessor
    from inference.tagger import load_tagger
    from training.baselines.crf import CRFTagger
    from training.data import load_examples
    from training.evaluate import evaluate_file

    files = {level: split_files(data_dir, level) for level in ("word", "syllable")}
    test = files["word"]["test"]
    rows: list[dict] = []
    print("PhoNER_COVID19 test:", flush=True)

    def crf_report() -> dict:
        ex = load_examples(files["word"]["train"], "words-jsonl", PHONER_LABELS, Preprocessor("presegmented"))
        crf = CRFTagger.train([e.forms for e in ex], [e.tags for e in ex], PHONER_LABELS, segmenter="presegmented",
                              max_iterations=crf_iterations)
        return evaluate_file(crf, test, "words-jsonl", bootstrap=BOOTSTRAP)

    if "crf" not in skip:
        rows.append(attempt(CRF_NAME, "trained on train_word (given words), c1/c2 fixed", crf_report))
    else:
        rows.append(row(CRF_NAME, status="not run (--skip crf)"))
    uts_note = "† NAME and ORGANIZATION only (its PER→NAME, ORG→ORGANIZATION; LOC ignored)"
    if "underthesea" not in skip:
        def uts_report() -> dict:
            from training.baselines.underthesea import PHONER_LABELS as UTS_PHONER, UndertheseaTagger

            uts = UndertheseaTagger(UTS_PHONER)
            return evaluate_file(uts, test, "words-jsonl", label_map=ignore_others(PHONER_LABELS, uts), bootstrap=BOOTSTRAP)

        rows.append(attempt(UTS_NAME, uts_note, uts_report))
    else:
        rows.append(row(UTS_NAME, uts_note, status="not run (--skip underthesea)"))
    rows.append(row(RULES_NAME, status="not applicable (project labels only)"))
    for name, model_dir in models.items():
        if "models" in skip:
            rows.append(row(name, status="not run (--skip models)", model=name))
            continue
        if infos[name].get("missing"):
            rows.append(row(name, status=f"not run: no model in `{infos[name]['dir']}` ({infos[name]['how']}; "
                                         f"pass --phoner-train-missing {name}=CONFIG to train it)", model=name))
            continue
        try:
            level = model_level(model_dir)
        except Exception as exc:  # noqa: BLE001 - an unreadable polner.json
            rows.append(row(name, status=f"not available: {type(exc).__name__}: {exc}", model=name))
            continue
        path = files[level]["test"]
        rows.append(attempt(name, f"{level} level (`{public_path(path)}`)",
                            lambda p=path, d=model_dir: evaluate_file(load_tagger(d, doc_rules="off"), p, "words-jsonl",
                                                                      bootstrap=BOOTSTRAP),
                            model=name, level=level))
    return {"tables": {"test": {"data": public_path(test), "rows": rows}}}


# --- output -----------------------------------------------------------------------------------
def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def format_table(rows: list[dict], labels: Sequence[str], references: list[dict],
                 short: dict[str, str] | None = None) -> list[str]:
    short = short or {}
    head = ["system", "P", "R", "F1", "span F1"] + [short.get(lab, lab) for lab in labels] + ["notes"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 2) + "---|"]
    for r in rows:
        if "report" not in r:
            out.append(f"| {r['system']} | " + " | ".join(["—"] * (len(head) - 2)) + f" | {r['status']} |")
            continue
        rep = r["report"]
        s, sp = rep["seqeval"]["micro"], rep["spans"]["micro"]
        per_label = rep["seqeval"]["per_label"]
        per = [_pct(per_label[lab]["f1"]) if lab in per_label and not per_label[lab].get("zero_support") else "—"
               for lab in labels]  # "—": not scored, or no gold span of the label here
        note = r["note"] + (f"; unaligned underthesea tokens: {r['unaligned_tokens']}" if r.get("unaligned_tokens") else "")
        ci = rep.get("micro_f1_interval")
        span = _pct(sp["f1"]) + (f" ({_pct(ci['low'])}–{_pct(ci['high'])})" if ci else "")
        out.append(f"| {r['system']} | {_pct(s['precision'])} | {_pct(s['recall'])} | **{_pct(s['f1'])}** | "
                   f"{span} | " + " | ".join(per) + f" | {note} |")
    for ref in references:
        out.append(f"| *{ref['system']}* (reference) | — | — | *{ref['f1']:.1f}* | — | "
                   + " | ".join(["—"] * len(labels)) + f" | *{ref['note']}* |")
    return out


def _model_lines(infos: dict[str, dict], what: str) -> list[str]:
    if not infos:
        return []
    return [f"{what}:", ""] + [f"- {name}: {describe_model(info)}" for name, info in infos.items()] + [""]


TABLE_TITLES = {"dev": "Project corpus, dev", "test": "Project corpus, test",
                "test_v1": "Project corpus, test, v1 articles only (`meta.corpus == \"v1\"`)",
                "challenge": "Challenge set"}


def format_phenomena(rows: list[dict]) -> list[str]:
    """Span micro F1 per challenge-set phenomenon (rows) and system (columns)."""
    scored = [r for r in rows if "report" in r and r["report"].get("groups")]
    if not scored:
        return []
    groups = scored[0]["report"]["groups"]["scores"]
    out = ["Span micro F1 per phenomenon (`meta.phenomenon`), in %:", "",
           "| phenomenon | passages | " + " | ".join(r["system"] for r in scored) + " |",
           "|---|---:|" + "---:|" * len(scored)]
    for name, g in groups.items():
        out.append(f"| {name} | {g['documents']} | " + " | ".join(
            _pct(r["report"]["groups"]["scores"][name]["micro"]["f1"]) for r in scored) + " |")
    return out + [""]


def format_markdown(result: dict) -> str:
    lines = [
        "# Baselines",
        "",
        "Generated by `benchmarks/baselines.py`; do not edit by hand. P, R, F1: micro averages of seqeval "
        "(strict IOB2), in %; span F1: micro exact-match F1 of character spans on the original text "
        "(`training.metrics.span_scores`), with its bootstrap 95% interval (documents resampled; sentences on "
        "PhoNER_COVID19); per-label columns: seqeval F1 (— where the system does not tag the label or no gold span has it). Every system is scored by the same "
        "`training.evaluate.evaluate_file` code as the model. Rows in *italics* are published numbers, **reported "
        "by their authors and not reproduced here**.",
        "",
    ]
    if result.get("partial"):
        lines += [f"**Partial run:** {result['partial']}", ""]
    project = result.get("project")
    if project:
        for key, t in project["tables"].items():
            lines += [f"## {TABLE_TITLES[key]} (`{t['data']}`)", ""]
            lines += format_table(t["rows"], LABELS, REFERENCES["project"] if key == "test" else [])
            if key == "challenge":
                lines += [""] + format_phenomena(t["rows"])
            if t["word_level"]:
                lines += ["", "seqeval over the words each system trains on (its own segmentation, gold entity edges "
                          "kept as word breaks): micro F1 " + ", ".join(
                              f"{w['system']} {_pct(w['seqeval']['micro']['f1'])}" for w in t["word_level"]) + "."]
            lines.append("")
        if project["v1"] != "scored":
            lines += [f"v1 articles: {project['v1']}.", ""]
        lines += _model_lines(result.get("models", {}), "Models")
    else:
        lines += [f"Project corpus: {result.get('project_status', 'not run')}.", ""]
    phoner = result.get("phoner")
    lines += ["## PhoNER_COVID19, test", ""]
    if phoner is None:
        lines += [f"Not run: {result.get('phoner_status', 'no data directory given')}.", ""]
    else:
        lines += format_table(phoner["tables"]["test"]["rows"], PHONER_LABELS, REFERENCES["phoner"], PHONER_SHORT)
        lines += ["", "CRF and underthesea are scored on the word-level test file, each model on the test file of the "
                  "level it was trained at (the same sentences and entities)."]
        lines.append("")
        lines += _model_lines(result.get("phoner_models", {}), "PhoNER models (their training time is in the "
                              "`phoner_covid19*.md` result each training run wrote)")
    return "\n".join(lines)


def absolute(paths: dict[str, Path], given: bool) -> dict[str, Path]:
    """Paths given on the command line are relative to the working directory, defaults to
    the repository (the PhoNER training runs from the repository root)."""
    base = Path.cwd() if given else ROOT
    return {k: (p if p.is_absolute() else base / p) for k, p in paths.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.baselines", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-dir", type=Path, default=ROOT / "annotations" / "data",
                    help="project corpus with train/dev/test.jsonl (default annotations/data)")
    ap.add_argument("--model", action="append", default=[], metavar="NAME=DIR",
                    help=f"a trained polner model to score (repeatable; default {DEFAULT_MODELS[0]})")
    ap.add_argument("--tiny-model", type=Path, help="the same as --model tiny=DIR (kept for older commands)")
    ap.add_argument("--train-missing", action="append", default=[], metavar="[NAME=]CONFIG",
                    help="train model NAME from CONFIG (on --corpus-dir) if its directory is missing; NAME may be "
                         "left out when one model is given")
    ap.add_argument("--phoner-dir", type=Path, help=f"PhoNER_COVID19 directory (default ${ENV_VAR}; omitted: no PhoNER table)")
    ap.add_argument("--phoner-model", action="append", default=[], metavar="NAME=DIR",
                    help=f"a model trained on PhoNER_COVID19 (repeatable; default {DEFAULT_PHONER_MODELS[0]})")
    ap.add_argument("--phoner-train-missing", action="append", default=[], metavar="[NAME=]CONFIG",
                    help="train PhoNER model NAME with python -m benchmarks.phoner_covid19 --config CONFIG if missing")
    ap.add_argument("--phoner-max-minutes", type=float, default=30.0, help="budget of each PhoNER training (default 30)")
    ap.add_argument("--retrain", action="store_true",
                    help="retrain the models named by --train-missing / --phoner-train-missing even if they exist")
    ap.add_argument("--crf-iterations", type=int, default=None, help="L-BFGS iterations (default training.baselines.crf)")
    ap.add_argument("--skip", action="append", default=[], choices=SKIPPABLE,
                    help="leave a system or corpus out (development runs; marks the results partial)")
    ap.add_argument("--challenge", type=Path, default=ROOT / "annotations" / "challenge.jsonl",
                    help="challenge set scored per phenomenon (default annotations/challenge.jsonl; 'none': skip)")
    ap.add_argument("--results-dir", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    command = command_line("benchmarks.baselines", argv)

    from training.baselines.crf import MAX_ITERATIONS

    started = time.perf_counter()
    skip = {"models" if s == "tiny" else s for s in args.skip}
    iterations = args.crf_iterations or MAX_ITERATIONS
    partial = []
    if skip:
        partial.append(f"skipped: {', '.join(sorted(skip))}")
    if args.crf_iterations and args.crf_iterations != MAX_ITERATIONS:
        partial.append(f"CRF trained for {iterations} iterations instead of {MAX_ITERATIONS}")
    machine = machine_info()
    result: dict = {"versions": package_versions(["sklearn-crfsuite", "python-crfsuite", "underthesea", "pyvi", "seqeval"]),
                    "references": REFERENCES}
    corpus = {s: (args.corpus_dir / f"{s}.jsonl").resolve() for s in ("train", "dev", "test")}
    try:
        specs = args.model + ([f"tiny={args.tiny_model}"] if args.tiny_model else [])
        models = absolute(parse_models(specs) if specs else parse_models(DEFAULT_MODELS), bool(specs))
        configs = absolute(parse_train_missing(args.train_missing, models), True)
        phoner_models = absolute(parse_models(args.phoner_model, "--phoner-model") if args.phoner_model
                                 else parse_models(DEFAULT_PHONER_MODELS), bool(args.phoner_model))
        phoner_configs = absolute(parse_train_missing(args.phoner_train_missing, phoner_models,
                                                      "--phoner-train-missing"), True)
        if "project" not in skip:
            for p in corpus.values():
                if not p.is_file():
                    raise BenchmarkError(f"project corpus file not found: {p}")
            infos = ensure_models(models, configs, corpus, args.retrain) if "models" not in skip else {}
            result["models"] = infos
            missing = [n for n, i in infos.items() if i.get("missing")]
            if missing:
                partial.append(f"model(s) not found: {', '.join(missing)}")
            challenge = None if str(args.challenge) == "none" else args.challenge.resolve()
            if challenge is not None and not challenge.is_file():
                raise BenchmarkError(f"challenge set not found: {challenge} (pass --challenge none to skip it)")
            result["project"] = project_tables(corpus, models, infos, iterations, skip, challenge)
        else:
            result["project_status"] = "skipped (--skip project)"
        data_dir = default_data_dir(args.phoner_dir)
        if "phoner" in skip:
            result["phoner_status"] = "skipped (--skip phoner)"
        elif data_dir is None:
            result["phoner_status"] = f"no data directory (pass --phoner-dir or set {ENV_VAR})"
            partial.append("no PhoNER_COVID19 table")
        else:
            data_dir = check_data_dir(data_dir, "word")  # a syllable-level model needs syllable/ too
            os.environ[ENV_VAR] = str(data_dir)
            infos = (ensure_phoner_models(phoner_models, phoner_configs, data_dir, args.retrain,
                                          args.phoner_max_minutes, args.results_dir) if "models" not in skip else {})
            result["phoner_models"] = infos
            result["phoner"] = phoner_table(data_dir, phoner_models, infos, iterations, skip)
    except BenchmarkError as exc:
        return error("benchmarks.baselines", exc)
    result["partial"] = "; ".join(partial)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    md, js = write_results(args.results_dir, "baselines", format_markdown(result), result, command=command,
                           machine=machine, footer_lines=[f"- total wall time: {result['wall_seconds'] / 60:.1f} min",
                                                          "- versions: " + ", ".join(f"{k} {v}" for k, v in
                                                                                     result["versions"].items())])
    print(f"\nwrote {md} and {js.name} ({result['wall_seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
