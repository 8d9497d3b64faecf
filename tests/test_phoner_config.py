"""configs/phoner-covid19.yaml and benchmarks/phoner_covid19.py, on synthetic PhoNER-format data.

PhoNER_COVID19 itself may not be redistributed, so these tests lay out a temporary
directory the way VinAI ships it (word/train_word.json, ..., syllable/...) with a handful of
invented sentences in the same {"words", "tags"} format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.phoner_covid19 import ENV_VAR, check_data_dir, level_overrides, main as bench_main, plan_training
from tests.conftest import ROOT
from training.config import ConfigError, load_config
from training.data import load_examples
from inference.preprocess import Preprocessor

CONFIG = ROOT / "configs" / "phoner-covid19.yaml"
LABELS = ["PATIENT_ID", "NAME", "AGE", "GENDER", "JOB", "LOCATION", "ORGANIZATION",
          "SYMPTOM_AND_DISEASE", "TRANSPORTATION", "DATE"]

# Invented sentences, written for these tests.
WORD_SENTENCES = [
    (["Bệnh_nhân", "BN17", "là", "kỹ_sư", ",", "nữ", ",", "29", "tuổi", "."],
     ["O", "B-PATIENT_ID", "O", "B-JOB", "O", "B-GENDER", "O", "B-AGE", "O", "O"]),
    (["Ông", "Trần_Văn_B", "sống", "tại", "quận", "Cầu_Giấy", ",", "Hà_Nội", "."],
     ["O", "B-NAME", "O", "O", "B-LOCATION", "I-LOCATION", "O", "B-LOCATION", "O"]),
    (["Ngày", "5/4", ",", "Sở", "Y_tế", "ghi_nhận", "ca", "sốt", "và", "ho", "."],
     ["O", "B-DATE", "O", "B-ORGANIZATION", "I-ORGANIZATION", "O", "O", "B-SYMPTOM_AND_DISEASE", "O",
      "B-SYMPTOM_AND_DISEASE", "O"]),
    (["Hành_khách", "đi", "chuyến", "bay", "VN123", "về", "Đà_Nẵng", "."],
     ["O", "O", "O", "O", "B-TRANSPORTATION", "O", "B-LOCATION", "O"]),
]


def syllable_level(words: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    out_w, out_t = [], []
    for w, t in zip(words, tags):
        for k, syl in enumerate(w.split("_")):
            out_w.append(syl)
            out_t.append(t if k == 0 or t == "O" else "I-" + t[2:])
    return out_w, out_t


def make_phoner_dir(root: Path) -> Path:
    for level in ("word", "syllable"):
        (root / level).mkdir(parents=True)
        rows = WORD_SENTENCES if level == "word" else [syllable_level(w, t) for w, t in WORD_SENTENCES]
        text = "".join(json.dumps({"words": w, "tags": t}, ensure_ascii=False) + "\n" for w, t in rows)
        for split in ("train", "dev", "test"):
            (root / level / f"{split}_{level}.json").write_text(text, encoding="utf-8")
    return root


def test_config_names_the_unset_variable(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(ConfigError, match=r"data.train uses \$\{PHONER_COVID19_DIR\}, which is not set"):
        load_config(CONFIG)


def test_config_loads_word_level_from_the_variable(tmp_path, monkeypatch):
    data = make_phoner_dir(tmp_path / "phoner")
    monkeypatch.setenv(ENV_VAR, str(data))
    cfg = load_config(CONFIG)
    assert Path(cfg.data.train) == data / "word" / "train_word.json"
    assert Path(cfg.data.test) == data / "word" / "test_word.json"
    assert cfg.data.format == "words-jsonl"
    assert cfg.data.labels == LABELS
    assert cfg.preprocessing.segmenter == "presegmented"
    assert cfg.preprocessing.doc_rules == "off"
    assert cfg.model.scratch is not None
    examples = load_examples(Path(cfg.data.train), cfg.data.format, cfg.data.labels, Preprocessor(cfg.preprocessing.segmenter))
    assert [e.forms for e in examples] == [w for w, _ in WORD_SENTENCES]
    assert [e.tags for e in examples] == [t for _, t in WORD_SENTENCES]


def test_config_names_a_missing_split_file(tmp_path, monkeypatch):
    data = make_phoner_dir(tmp_path / "phoner")
    (data / "word" / "dev_word.json").unlink()
    monkeypatch.setenv(ENV_VAR, str(data))
    with pytest.raises(ConfigError, match=r"data.dev: file not found: .*word/dev_word.json"):
        load_config(CONFIG)


def test_syllable_level_overrides(tmp_path, monkeypatch):
    data = make_phoner_dir(tmp_path / "phoner")
    monkeypatch.setenv(ENV_VAR, str(data))
    cfg = load_config(CONFIG, level_overrides("syllable"))
    assert Path(cfg.data.dev) == data / "syllable" / "dev_syllable.json"
    assert cfg.preprocessing.segmenter == "none"
    examples = load_examples(Path(cfg.data.train), cfg.data.format, cfg.data.labels, Preprocessor(cfg.preprocessing.segmenter))
    assert examples[1].forms[:4] == ["Ông", "Trần", "Văn", "B"]
    assert examples[1].tags[:4] == ["O", "B-NAME", "I-NAME", "I-NAME"]


def test_benchmark_exits_2_naming_a_missing_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    missing = tmp_path / "nowhere"
    assert bench_main(["--data-dir", str(missing)]) == 2
    assert f"PhoNER_COVID19 directory not found: {missing}" in capsys.readouterr().err
    assert bench_main([]) == 2
    assert ENV_VAR in capsys.readouterr().err


def test_benchmark_names_a_missing_file(tmp_path):
    data = make_phoner_dir(tmp_path / "phoner")
    (data / "syllable" / "test_syllable.json").unlink()
    check_data_dir(data, "word")
    with pytest.raises(Exception, match=r"file not found: .*syllable/test_syllable.json"):
        check_data_dir(data, "syllable")


def test_plan_fits_the_budget(tmp_path, monkeypatch):
    data = make_phoner_dir(tmp_path / "phoner")
    monkeypatch.setenv(ENV_VAR, str(data))
    cfg = load_config(CONFIG)
    cal = {"seconds_per_step": 0.5, "seconds_per_eval_window": 0.004,
           "train_sentences": 5000, "dev_sentences": 2000, "test_sentences": 3000}
    plan = plan_training(cal, cfg, budget_s=30 * 60, spent_s=60)
    assert 1 <= plan["num_epochs"] <= cfg.training.num_epochs and plan["max_steps"] == -1
    assert plan["estimated_total_seconds"] <= 30 * 60
    short = plan_training(cal, cfg, budget_s=4 * 60, spent_s=30)  # not even one epoch fits
    assert short["max_steps"] > 0 and short["estimated_total_seconds"] <= 4 * 60
    with pytest.raises(Exception, match="raise --max-minutes"):
        plan_training(cal, cfg, budget_s=60, spent_s=30)
