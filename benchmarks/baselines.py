"""Baselines beside the model, on the same splits, scored by the same evaluation code.

    python -m benchmarks.baselines --phoner-dir ../shared/data/phoner_covid19

writes ``benchmarks/results/baselines.{md,json}``: one table per corpus (project dev,
project test, PhoNER_COVID19 test), one row per system, micro P/R/F1 (seqeval strict IOB2),
span exact-match micro F1 and per-label F1, with the machine, date and command.

Systems:
- a feature-based CRF (``benchmarks.crf``) trained on each corpus's train split;
- underthesea's ``ner()`` (its bundled CRF; PER/ORG/LOC only, so scored on PER and ORG);
- the corpus pre-annotator's rules (``training.corpus.preannotate``; project corpus only);
- the tiny model, without and with the document-code grammar (``doc_rules`` repair/union),
  and the tiny model trained on PhoNER_COVID19 by ``benchmarks.phoner_covid19``.
Every system is wrapped in the tagger interface ``training.evaluate`` uses (``tag_batch``,
``predict_words``, ``settings``, ``doc_rules``), so documents are scored on the original
text exactly as the model is. Missing models are trained first (tiny: ``configs/tiny.yaml``;
PhoNER: the 30-minute budgeted run). Published PhoBERT scores appear as reference rows,
marked as reported by their authors and not reproduced here. Results hold scores only: no
text from either corpus.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shlex
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python benchmarks/baselines.py
    sys.path.insert(0, str(ROOT))

from benchmarks.phoner_covid19 import (  # noqa: E402
    ENV_VAR,
    BenchmarkError,
    check_data_dir,
    default_data_dir,
    machine_info,
    split_files,
)

RESULTS = ROOT / "benchmarks" / "results"
PROJECT_LABELS = ["PER", "TITLE", "ORG", "DOC"]
PHONER_LABELS = ["PATIENT_ID", "NAME", "AGE", "GENDER", "JOB", "LOCATION", "ORGANIZATION",
                 "SYMPTOM_AND_DISEASE", "TRANSPORTATION", "DATE"]
PHONER_SHORT = {"PATIENT_ID": "PAT_ID", "LOCATION": "LOC", "ORGANIZATION": "ORG",
                "SYMPTOM_AND_DISEASE": "SYMPT", "TRANSPORTATION": "TRANSP"}
# underthesea knows PER, ORG, LOC (and MISC); LOC and MISC are ignored.
UTS_PROJECT = {"PER": "PER", "ORG": "ORG"}
UTS_PHONER = {"PER": "NAME", "ORG": "ORGANIZATION"}

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


# --- systems behind the tagger interface -----------------------------------------------------
class UndertheseaTagger:
    """underthesea's ``ner()`` (bundled CRF), its PER/ORG mapped onto the corpus's labels.

    underthesea re-tokenises and re-normalises what it is given (``hoà`` comes back as
    ``hòa``), so its tokens are found again in our normalised text after our own
    normalisation of each token; a token that cannot be found is counted and left untagged.
    """

    def __init__(self, label_map: dict[str, str]) -> None:
        from underthesea import ner  # noqa: F401  (ImportError: not installed)

        from inference.preprocess import Preprocessor
        from inference.settings import TaggerSettings

        self._ner = ner
        self.label_map = dict(label_map)
        tags = ["O"] + [f"{p}-{lab}" for lab in self.label_map.values() for p in ("B", "I")]
        self.settings = TaggerSettings(tags, segmenter="none", doc_rules="off")
        self.doc_rules = "off"
        self.preprocessor = Preprocessor("none")  # only for normalisation and sentence splits
        self.tokens = 0
        self.unaligned = 0

    def _spans(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, label) in ``text`` for one sentence ``text[start:end]``."""
        from inference.decode import decode, one_hot
        from inference.normalize import normalize

        pos, forms, offsets, tags = start, [], [], []
        for tok in self._ner(text[start:end]):
            word, tag = tok[0], tok[-1]
            self.tokens += 1
            first = last = None
            p = pos
            for piece in word.split():
                piece = normalize(piece).text
                k = text.find(piece, p, end)
                if k < 0:
                    first = None
                    break
                first = k if first is None else first
                p = last = k + len(piece)
            if first is None:
                self.unaligned += 1
                continue
            pos = last
            label = self.label_map.get(tag[2:]) if tag != "O" else None
            forms.append(text[first:last])
            offsets.append((first, last))
            tags.append(f"{tag[:2]}{label}" if label else "O")
        if not forms:
            return []
        spans = decode(one_hot(tags, self.settings.tags), self.settings.tags, forms)
        return [(offsets[s.first][0], offsets[s.last][1], s.label) for s in spans]

    def tag_batch(self, texts: Sequence[str]):
        from inference.segment import split_sentences
        from inference.tagger import Entity

        out = []
        for text in texts:
            norm = self.preprocessor.prepare(text).norm
            ents = []
            for s, e in split_sentences(norm.text):
                for a, b, label in self._spans(norm.text, s, e):
                    oa, ob = norm.to_original(a, b)
                    ents.append(Entity(text[oa:ob], label, oa, ob, 1.0, "underthesea"))
            out.append(ents)
        return out

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags for given words: the words joined as running text, entities mapped back."""
        from inference.normalize import normalize_word
        from training.metrics import SpanT, spans_to_tags

        out = []
        for words in sentences:
            parts, offsets, pos = [], [], 0
            for w in words:
                form = (normalize_word(w) or w).replace("_", " ")
                offsets.append((pos, pos + len(form)))
                parts.append(form)
                pos += len(form) + 1
            text = " ".join(parts)
            spans = [SpanT(a, b, lab) for a, b, lab in self._spans(text, 0, len(text))] if text else []
            out.append(spans_to_tags(offsets, spans))
        return out


class RulesTagger:
    """The corpus pre-annotator's rules (``training.corpus.preannotate.preannotate``)."""

    def __init__(self, labels: Sequence[str]) -> None:
        from training.corpus.preannotate import preannotate  # ImportError: not written yet

        from inference.settings import TaggerSettings

        self._preannotate = preannotate
        tags = ["O"] + [f"{p}-{lab}" for lab in labels for p in ("B", "I")]
        self.settings = TaggerSettings(tags, segmenter="pyvi", doc_rules="off")
        self.doc_rules = "off"

    def tag_batch(self, texts: Sequence[str]):
        from inference.tagger import Entity

        return [[Entity(t[s.start:s.end], s.label, s.start, s.end, 1.0, "rules") for s in self._preannotate(t)]
                for t in texts]


# --- evaluation -------------------------------------------------------------------------------
def _strip(report: dict) -> dict:
    """Scores only: drop the error examples, which quote corpus text."""
    return {k: v for k, v in report.items() if k not in ("error_examples",)}


def restrict_documents(docs, labels: set[str]):
    from training.records import Document

    return [Document(d.id, d.text, [s for s in d.spans if s.label in labels], d.meta) for d in docs]


def restrict_rows(rows, labels: set[str]):
    return [(w, [t if t == "O" or t[2:] in labels else "O" for t in tags], where) for w, tags, where in rows]


def score_documents(tagger, path: Path, labels: Sequence[str] | None = None) -> dict:
    """``evaluate_file`` on a document file; with ``labels``, gold is restricted to them."""
    from training.evaluate import evaluate_documents, evaluate_file
    from training.records import read_documents

    if labels is None:
        return evaluate_file(tagger, path, "jsonl")
    docs = restrict_documents(read_documents(path), set(labels))
    rep = evaluate_documents(tagger, docs, list(labels))
    rep.update({"data": str(path), "format": "jsonl", "doc_rules": tagger.doc_rules, "labels": list(labels)})
    return rep


def score_sentences(tagger, path: Path, labels: Sequence[str] | None = None) -> dict:
    """``evaluate_file`` on a words/tags file; with ``labels``, gold is restricted to them."""
    from training.data import read_words_jsonl
    from training.evaluate import evaluate_file, evaluate_sentences

    if labels is None:
        return evaluate_file(tagger, path, "words-jsonl")
    rows = restrict_rows(read_words_jsonl(path), set(labels))
    rep = evaluate_sentences(tagger, rows, list(labels))
    rep.update({"data": str(path), "format": "words-jsonl", "doc_rules": "off", "labels": list(labels)})
    return rep


def word_level_seqeval(tagger, examples) -> dict:
    """seqeval over the words training sees (pyvi words, gold edges kept as word breaks)."""
    from training.metrics import seqeval_scores

    pred = tagger.predict_words([e.forms for e in examples])
    return seqeval_scores([e.tags for e in examples], pred, tagger.settings.labels)


def row(name: str, note: str = "", report: dict | None = None, status: str = "ok", **extra) -> dict:
    r = {"system": name, "status": status, "note": note, **extra}
    if report is not None:
        r["report"] = _strip(report)
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


# --- models that may need training first -------------------------------------------------------
def model_is_stale(model_dir: Path, data: Sequence[Path]) -> bool:
    weights = [model_dir / n for n in ("model.safetensors", "pytorch_model.bin") if (model_dir / n).is_file()]
    if not weights:
        return True
    built = min(w.stat().st_mtime for w in weights)
    return any(p.is_file() and p.stat().st_mtime > built for p in data)


def _rel(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def provenance(model_dir: Path, how: str) -> str:
    """Where a model came from: its directory, when and on what it was trained, for how long."""
    import yaml

    parts = [f"`{_rel(model_dir)}` ({how}"]
    try:
        weights = next(model_dir / n for n in ("model.safetensors", "pytorch_model.bin") if (model_dir / n).is_file())
        when = _dt.datetime.fromtimestamp(weights.stat().st_mtime).astimezone().isoformat(timespec="minutes")
        summary = json.loads((model_dir / "train_log.json").read_text(encoding="utf-8"))["summary"]
        train = str(yaml.safe_load((model_dir / "config.yaml").read_text(encoding="utf-8"))["data"]["train"])
        env = os.environ.get(ENV_VAR)
        if env and train.startswith(str(Path(env).resolve())):  # no local paths in the results
            train = f"${ENV_VAR}" + train[len(str(Path(env).resolve())):]
        elif Path(train).is_absolute():
            train = _rel(Path(train))
        parts.append(f", trained {when} on `{train}` for "
                     f"{float(summary['epochs_run']):.1f} epochs in {summary['train_seconds'] / 60:.0f} min")
    except (OSError, StopIteration, KeyError, ValueError, TypeError):
        parts.append(", no training log")
    return "".join(parts) + ")"


def ensure_tiny_model(model_dir: Path, corpus: dict[str, Path], retrain: bool) -> str:
    """Train configs/tiny.yaml into model_dir if it is missing, older than the corpus, or asked."""
    from training.train import main as train_main

    reason = ("--retrain" if retrain else "missing" if not model_dir.exists()
              else "older than the corpus" if model_is_stale(model_dir, list(corpus.values())) else "")
    if not reason:
        return provenance(model_dir, "existing")
    print(f"training the tiny model into {model_dir} ({reason}) ...", flush=True)
    rc = train_main(["--config", str(ROOT / "configs" / "tiny.yaml"), "--output-dir", str(model_dir),
                     "--overwrite", "--set", f"data.train={corpus['train']}", "--set", f"data.dev={corpus['dev']}",
                     "--set", f"data.test={corpus['test']}"])
    if rc != 0:
        raise RuntimeError(f"polner-train exited with {rc}")
    return provenance(model_dir, "trained by this run")


def ensure_phoner_model(model_dir: Path, data_dir: Path, retrain: bool, max_minutes: float, command: str,
                        results_dir: Path) -> str:
    from benchmarks.phoner_covid19 import run

    if model_dir.exists() and not retrain and not model_is_stale(model_dir, []):
        return provenance(model_dir, "existing")
    print(f"training the tiny model on PhoNER_COVID19 into {model_dir} ({max_minutes:.0f}-minute budget) ...", flush=True)
    run(data_dir, "word", model_dir, max_minutes, command=command + "  (PhoNER step)", results_dir=results_dir)
    return provenance(model_dir, f"trained by this run within a {max_minutes:.0f}-minute budget")


# --- the corpora ------------------------------------------------------------------------------
def project_tables(corpus: dict[str, Path], tiny_dir: Path, retrain: bool, crf_iterations: int,
                   skip: set[str]) -> dict:
    from benchmarks.crf import CRFTagger
    from inference.tagger import load_tagger
    from training.data import load_examples

    tables = {split: {"data": _rel(corpus[split]),
                      "rows": [], "word_level": []} for split in ("dev", "test")}
    labels = PROJECT_LABELS

    print("project corpus: CRF", flush=True)
    crf = None
    if "crf" not in skip:
        t0 = time.perf_counter()
        train_ex = load_examples(corpus["train"], "jsonl", labels, "pyvi")
        crf = CRFTagger.train([e.forms for e in train_ex], [e.tags for e in train_ex], labels,
                              max_iterations=crf_iterations)
        crf_train_s = round(time.perf_counter() - t0, 1)
    uts = None
    if "underthesea" not in skip:
        try:
            uts = UndertheseaTagger(UTS_PROJECT)
        except Exception as exc:  # noqa: BLE001
            uts = exc
    try:
        rules = RulesTagger(labels)
    except ImportError as exc:
        rules = exc
    tiny_note, tiny = "", {}
    if "tiny" not in skip:
        tiny_note = ensure_tiny_model(tiny_dir, corpus, retrain)
        tiny = {mode: load_tagger(tiny_dir, doc_rules=mode) for mode in ("off", "repair", "union")}

    for split in ("dev", "test"):
        path, rows = corpus[split], tables[split]["rows"]
        print(f"project {split}:", flush=True)
        if crf is not None:
            rows.append(attempt("CRF (sklearn-crfsuite, word features)",
                                f"trained on train ({crf_train_s:.0f} s with pyvi segmentation), c1/c2 fixed",
                                lambda: score_documents(crf, path)))
        else:
            rows.append(row("CRF (sklearn-crfsuite, word features)", status="not run (--skip crf)"))
        uts_note = "† PER and ORG only (its LOC ignored; TITLE/DOC not scored): its micro averages are over PER+ORG"
        if isinstance(uts, UndertheseaTagger):
            rows.append(attempt("underthesea ner() †", uts_note, lambda: score_documents(uts, path, ["PER", "ORG"])))
        else:
            status = "not run (--skip underthesea)" if uts is None else f"not available: {type(uts).__name__}: {uts}"
            rows.append(row("underthesea ner() †", uts_note, status=status))
        if isinstance(rules, RulesTagger):
            rows.append(attempt("pre-annotator rules", "training.corpus.preannotate (no training)",
                                lambda: score_documents(rules, path)))
        else:
            rows.append(row("pre-annotator rules", status=f"not available: {rules}"))
        if "tiny" in skip:
            rows.append(row("tiny model", status="not run (--skip tiny)"))
        else:
            for mode, name in (("off", "tiny model"), ("repair", "tiny model + document-code grammar (repair)"),
                               ("union", "tiny model + document-code grammar (union)")):
                rows.append(attempt(name, f"configs/tiny.yaml, doc_rules={mode}",
                                    lambda m=mode: score_documents(tiny[m], path)))

        # seqeval over the words training sees, for the systems that tag words
        examples = load_examples(path, "jsonl", labels, "pyvi")
        wl = tables[split]["word_level"]
        if crf is not None:
            wl.append({"system": "CRF", "seqeval": word_level_seqeval(crf, examples)})
        if "tiny" not in skip:
            wl.append({"system": "tiny model", "seqeval": word_level_seqeval(tiny["off"], examples)})
    for split in ("dev", "test"):  # no local paths in the results
        for r in tables[split]["rows"]:
            if "report" in r:
                r["report"]["data"] = tables[split]["data"]
    if isinstance(uts, UndertheseaTagger):
        for split in ("dev", "test"):
            for r in tables[split]["rows"]:
                if r["system"].startswith("underthesea"):
                    r["unaligned_tokens"] = f"{uts.unaligned} of {uts.tokens} (both splits)"
    return {"tables": tables, "tiny_model": tiny_note}


def phoner_table(data_dir: Path, model_dir: Path, retrain: bool, max_minutes: float, crf_iterations: int,
                 skip: set[str], command: str, results_dir: Path) -> dict:
    from benchmarks.crf import CRFTagger
    from inference.tagger import load_tagger
    from training.data import load_examples

    files = split_files(data_dir, "word")
    rows: list[dict] = []
    print("PhoNER_COVID19 test:", flush=True)

    def crf_report() -> dict:
        ex = load_examples(files["train"], "words-jsonl", PHONER_LABELS, "presegmented")
        crf = CRFTagger.train([e.forms for e in ex], [e.tags for e in ex], PHONER_LABELS, segmenter="presegmented",
                              max_iterations=crf_iterations)
        return score_sentences(crf, files["test"])

    if "crf" not in skip:
        rows.append(attempt("CRF (sklearn-crfsuite, word features)", "trained on train_word (given words), c1/c2 fixed",
                            crf_report))
    uts_note = "† NAME and ORGANIZATION only (its PER→NAME, ORG→ORGANIZATION; LOC ignored)"
    if "underthesea" not in skip:
        rows.append(attempt("underthesea ner() †", uts_note,
                            lambda: score_sentences(UndertheseaTagger(UTS_PHONER), files["test"], ["NAME", "ORGANIZATION"])))
    rows.append(row("pre-annotator rules", status="not applicable (project labels only)"))
    note = ""
    if "tiny" not in skip:
        note = ensure_phoner_model(model_dir, data_dir, retrain, max_minutes, command, results_dir)
        rows.append(attempt("tiny model", "configs/phoner-covid19.yaml, word level, trained by benchmarks.phoner_covid19",
                            lambda: score_sentences(load_tagger(model_dir, doc_rules="off"), files["test"])))
    for r in rows:  # no local paths in the results
        if "report" in r:
            r["report"]["data"] = f"${ENV_VAR}/word/test_word.json"
    return {"tables": {"test": {"data": f"${ENV_VAR}/word/test_word.json", "rows": rows}}, "phoner_model": note}


# --- output -----------------------------------------------------------------------------------
def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def format_table(rows: list[dict], labels: Sequence[str], references: list[dict], short: dict[str, str] | None = None) -> list[str]:
    short = short or {}
    head = ["system", "P", "R", "F1", "span F1"] + [short.get(lab, lab) for lab in labels] + ["notes"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 2) + "---|"]
    for r in rows:
        if "report" not in r:
            out.append(f"| {r['system']} | " + " | ".join(["—"] * (len(head) - 2)) + f" | {r['status']} |")
            continue
        rep = r["report"]
        s, sp = rep["seqeval"]["micro"], rep["spans"]["micro"]
        per = [_pct(rep["seqeval"]["per_label"][lab]["f1"]) if lab in rep["labels"] else "—" for lab in labels]
        note = r["note"] + (f"; unaligned underthesea tokens: {r['unaligned_tokens']}" if r.get("unaligned_tokens") else "")
        out.append(f"| {r['system']} | {_pct(s['precision'])} | {_pct(s['recall'])} | **{_pct(s['f1'])}** | "
                   f"{_pct(sp['f1'])} | " + " | ".join(per) + f" | {note} |")
    for ref in references:
        out.append(f"| *{ref['system']}* (reference) | — | — | *{ref['f1']:.1f}* | — | "
                   + " | ".join(["—"] * len(labels)) + f" | *{ref['note']}* |")
    return out


def format_markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        "# Baselines",
        "",
        "Generated by `benchmarks/baselines.py`; do not edit by hand. P, R, F1: micro averages of seqeval "
        "(strict IOB2), in %; span F1: micro exact-match F1 of character spans on the original text "
        "(`training.metrics.span_scores`); per-label columns: seqeval F1. Every system is scored by the same "
        "`training.evaluate` code as the model. Rows in *italics* are published numbers, **reported by their "
        "authors and not reproduced here**.",
        "",
    ]
    if result.get("partial"):
        lines += [f"**Partial run:** {result['partial']}", ""]
    project = result.get("project")
    for split in ("dev", "test"):
        if not project:
            break
        t = project["tables"][split]
        lines += [f"## Project corpus, {split} (`{t['data']}`)", ""]
        lines += format_table(t["rows"], PROJECT_LABELS, REFERENCES["project"] if split == "test" else [])
        if t["word_level"]:
            lines += ["", "seqeval over the words the model trains on (pyvi segmentation, gold entity edges kept as "
                      "word breaks): micro F1 " + ", ".join(
                          f"{w['system']} {_pct(w['seqeval']['micro']['f1'])}" for w in t["word_level"]) + "."]
        lines.append("")
    if project and project["tiny_model"]:
        lines += [f"Tiny model: {project['tiny_model']}.", ""]
    phoner = result.get("phoner")
    lines += ["## PhoNER_COVID19, test (word level)", ""]
    if phoner is None or "tables" not in phoner:
        lines += [f"Not run: {result.get('phoner_status', 'no data directory given')}.", ""]
    else:
        lines += format_table(phoner["tables"]["test"]["rows"], PHONER_LABELS, REFERENCES["phoner"], PHONER_SHORT)
        if phoner["phoner_model"]:
            lines += ["", f"Tiny model: {phoner['phoner_model']}; its training time is in "
                      "[phoner_covid19.md](phoner_covid19.md)."]
        lines.append("")
    lines += [
        "---",
        "",
        f"- machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable, {m['torch_threads']} torch threads); "
        f"Python {m['python']}, torch {m['torch']}",
        f"- date: {result['date']}; total wall time {result['wall_seconds'] / 60:.1f} min",
        f"- versions: {', '.join(f'{k} {v}' for k, v in result['versions'].items())}",
        f"- command: `{result['command']}`",
        "",
    ]
    return "\n".join(lines)


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("sklearn-crfsuite", "python-crfsuite", "underthesea", "pyvi", "seqeval"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.baselines", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-dir", type=Path, default=ROOT / "annotations" / "data",
                    help="project corpus with train/dev/test.jsonl (default annotations/data)")
    ap.add_argument("--tiny-model", type=Path, default=ROOT / "runs" / "tiny",
                    help="tiny model dir; trained with configs/tiny.yaml if missing or older than the corpus")
    ap.add_argument("--phoner-dir", type=Path, help=f"PhoNER_COVID19 directory (default ${ENV_VAR}; omitted: no PhoNER table)")
    ap.add_argument("--phoner-model", type=Path, default=ROOT / "runs" / "phoner-covid19-word",
                    help="tiny PhoNER model dir; trained by benchmarks.phoner_covid19 if missing")
    ap.add_argument("--phoner-max-minutes", type=float, default=30.0, help="budget if the PhoNER model is trained")
    ap.add_argument("--retrain", action="store_true", help="retrain both tiny models even if they exist")
    ap.add_argument("--crf-iterations", type=int, default=None, help="L-BFGS iterations (default benchmarks.crf)")
    ap.add_argument("--skip", action="append", default=[], choices=["crf", "underthesea", "tiny", "project", "phoner"],
                    help="leave a system or corpus out (development runs; marks the results partial)")
    ap.add_argument("--results-dir", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    command = "python -m benchmarks.baselines " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))

    from benchmarks.crf import MAX_ITERATIONS

    started = time.perf_counter()
    skip = set(args.skip)
    iterations = args.crf_iterations or MAX_ITERATIONS
    partial = []
    if skip:
        partial.append(f"skipped: {', '.join(sorted(skip))}")
    if args.crf_iterations and args.crf_iterations != MAX_ITERATIONS:
        partial.append(f"CRF trained for {iterations} iterations instead of {MAX_ITERATIONS}")
    result: dict = {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"), "command": command,
                    "machine": machine_info(), "versions": versions(), "references": REFERENCES}
    corpus = {s: (args.corpus_dir / f"{s}.jsonl").resolve() for s in ("train", "dev", "test")}
    try:
        if "project" not in skip:
            for p in corpus.values():
                if not p.is_file():
                    raise BenchmarkError(f"project corpus file not found: {p}")
            result["project"] = project_tables(corpus, args.tiny_model, args.retrain, iterations, skip)
        data_dir = default_data_dir(args.phoner_dir)
        if "phoner" in skip:
            result["phoner_status"] = "skipped (--skip phoner)"
        elif data_dir is None:
            result["phoner_status"] = f"no data directory (pass --phoner-dir or set {ENV_VAR})"
            partial.append("no PhoNER_COVID19 table")
        else:
            data_dir = check_data_dir(data_dir, "word")
            os.environ[ENV_VAR] = str(data_dir)
            result["phoner"] = phoner_table(data_dir, args.phoner_model, args.retrain, args.phoner_max_minutes,
                                            iterations, skip, command, args.results_dir)
    except BenchmarkError as exc:
        print(f"benchmarks.baselines: error: {exc}", file=sys.stderr)
        return 2
    result["partial"] = "; ".join(partial)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    (args.results_dir / "baselines.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.results_dir / "baselines.md").write_text(format_markdown(result), encoding="utf-8")
    print(f"\nwrote {args.results_dir / 'baselines.md'} and baselines.json ({result['wall_seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
