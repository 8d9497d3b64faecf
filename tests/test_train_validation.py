"""polner-train checks everything a run needs before any work starts (issue 12, part 1).

Each rule gets a test: the config's cross-field constraints, the machine, the model's
positions, and every data split read and checked as the corpus validator checks it. A
problem is exit status 2 and ONE line on stderr naming the key, or the file, line and id;
nothing is written (no checkpoints directory, no model).
"""

from __future__ import annotations

import json
import shutil

import pytest
import torch
import yaml

from training.config import ConfigError, check_machine, load_config
from training.train import main
from tests.conftest import FIXTURES, TOKENIZER_DIR, tiny_config


def run(tmp_path, capsys, *extra, cfg=None, **overrides):
    cfg = cfg or tiny_config(tmp_path, **overrides)
    code = main(["--config", str(cfg), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    return code, err


def one_error(tmp_path, capsys, *extra, **overrides) -> str:
    code, err = run(tmp_path, capsys, *extra, **overrides)
    assert code == 2, err
    assert len(err) == 1, err
    assert err[0].startswith("polner-train: error: ")
    # nothing was started: no checkpoints, no model, no work directory
    assert not (tmp_path / "model").exists() and not (tmp_path / "model.checkpoints").exists()
    assert not (tmp_path / ".model.partial").exists()
    return err[0]


# --- the config: cross-field constraints ------------------------------------------------------
@pytest.mark.parametrize("overrides, message", [
    ({"preprocessing.window_overlap": 128}, "preprocessing.window_overlap: expected 0 to 30"),
    ({"preprocessing.window_overlap": 31}, "preprocessing.window_overlap: expected 0 to 30"),
    ({"preprocessing.window_overlap": -1}, "preprocessing.window_overlap: expected 0 to 30"),
    ({"training.num_epochs": 0}, "training.num_epochs: expected at least 1"),
    ({"training.num_epochs": 0.5}, "training.num_epochs: expected at least 1"),
    ({"training.max_steps": 0}, "training.max_steps: expected -1"),
    ({"training.warmup_ratio": 1.0}, "training.warmup_ratio: expected a number in [0, 1)"),
    ({"training.warmup_ratio": -0.1}, "training.warmup_ratio: expected a number in [0, 1)"),
    ({"training.batch_size": 0}, "training.batch_size: must be positive"),
    ({"training.eval_batch_size": 0}, "training.eval_batch_size: must be positive"),
    ({"training.lr_scheduler": "cosinus"}, "training.lr_scheduler: expected one of"),
    ({"training.early_stopping_patience": 0}, "training.early_stopping_patience: expected at least 1"),
    ({"training.logging_steps": 0}, "training.logging_steps: expected at least 1"),
])
def test_config_constraint_is_one_line_before_any_work(tmp_path, capsys, overrides, message):
    assert message in one_error(tmp_path, capsys, **overrides)


def test_the_issue_overlap_override_fails_at_once(tmp_path, capsys):
    # the issue: --set preprocessing.window_overlap=128 trained, then failed in the final evaluation
    code, err = run(tmp_path, capsys, "--set", "preprocessing.window_overlap=128")
    assert code == 2 and len(err) == 1 and "preprocessing.window_overlap" in err[0]


def test_max_steps_stands_in_for_epochs(tmp_path):
    cfg = load_config(tiny_config(tmp_path), ["training.num_epochs=0", "training.max_steps=3"])
    assert cfg.training.max_steps == 3


# --- the machine ------------------------------------------------------------------------------
@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_requested_without_cuda(tmp_path, capsys):
    line = one_error(tmp_path, capsys, **{"training.device": "cuda"})
    assert "training.device: cuda, but torch" in line and "finds no CUDA device" in line


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
@pytest.mark.parametrize("device", ["cpu", "auto"])
def test_fp16_needs_cuda(tmp_path, capsys, device):
    line = one_error(tmp_path, capsys, **{"training.device": device, "training.fp16": True})
    assert "training.fp16: fp16 needs a CUDA device" in line


def test_check_machine_on_cpu(tmp_path):
    cfg = load_config(tiny_config(tmp_path))
    assert check_machine(cfg) is True  # device: cpu
    if not torch.cuda.is_available():
        cfg.training.fp16 = True
        with pytest.raises(ConfigError, match="fp16"):
            check_machine(cfg)


# --- the model's positions (a pre-trained model: from its config.json, before the data) -------
def test_max_length_beyond_a_pretrained_models_positions(tmp_path, capsys):
    from transformers import RobertaConfig

    model = tmp_path / "small-positions"
    shutil.copytree(TOKENIZER_DIR, model)
    RobertaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                  max_position_embeddings=66, tokenizer_class="PhobertTokenizer").save_pretrained(model)
    cfg = yaml.safe_load(tiny_config(tmp_path).read_text(encoding="utf-8"))
    cfg["model"] = {"name_or_path": str(model)}
    cfg["preprocessing"]["max_length"] = 128
    path = tmp_path / "pretrained.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    code, err = run(tmp_path, capsys, cfg=path)
    assert code == 2 and len(err) == 1, err
    assert "preprocessing.max_length: 128 exceeds the 64 subwords" in err[0]


def test_a_base_model_that_names_custom_code_is_refused_before_training(tmp_path, capsys):
    """A known model_type plus an auto_map: transformers would ignore the map with
    trust_remote_code=False, but the directory is refused up front, not after training."""
    from transformers import RobertaConfig

    model = tmp_path / "custom-code"
    shutil.copytree(TOKENIZER_DIR, model)
    RobertaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
                  max_position_embeddings=258, tokenizer_class="PhobertTokenizer").save_pretrained(model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {"AutoModelForTokenClassification": "modeling_evil.Model"}
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    cfg = yaml.safe_load(tiny_config(tmp_path).read_text(encoding="utf-8"))
    cfg["model"] = {"name_or_path": str(model)}
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    code, err = run(tmp_path, capsys, cfg=path)
    assert code == 2 and len(err) == 1, err
    assert "names custom code (auto_map)" in err[0] and "config.json" in err[0]
    assert not list(tmp_path.glob("*.checkpoints")) and not list(tmp_path.glob(".*.partial"))


# --- the data: every split, as the corpus validator checks it ----------------------------------
def good_docs():
    return [json.loads(line) for line in (FIXTURES / "corpus_test.jsonl").read_text(encoding="utf-8").splitlines()]


def write_split(tmp_path, docs=None, raw: bytes | None = None, name="bad.jsonl"):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def with_doc(doc_id, text, spans):
    return good_docs()[:2] + [{"id": doc_id, "text": text, "spans": spans, "meta": {}}]


TEXT = "Bí thư Nguyễn Văn A phát biểu."  # TITLE 0:6 "Bí thư", PER 7:19 "Nguyễn Văn A"


@pytest.mark.parametrize("doc, message", [
    (("x-overlap", TEXT, [{"start": 0, "end": 6, "label": "TITLE"}, {"start": 3, "end": 19, "label": "PER"}]),
     "overlaps span 0:6 TITLE"),
    (("x-nested", TEXT, [{"start": 0, "end": 19, "label": "TITLE"}, {"start": 7, "end": 19, "label": "PER"}]),
     "is nested in span 0:19 TITLE"),
    (("x-edge", TEXT, [{"start": 9, "end": 19, "label": "PER"}]), "starts inside a word"),
    (("x-range", TEXT, [{"start": 0, "end": 500, "label": "PER"}]), "offsets out of range for text of length 30"),
    (("x-empty", "   ", []), "empty text"),
    (("x-label", TEXT, [{"start": 7, "end": 19, "label": "LOC"}]), "label not in"),
])
def test_bad_span_in_the_test_split_fails_before_training(tmp_path, capsys, doc, message):
    bad = write_split(tmp_path, with_doc(*doc))
    line = one_error(tmp_path, capsys, **{"data.test": str(bad)})
    assert f"{bad}:3 (id={doc[0]}): " in line and message in line


def test_end_true_is_not_an_offset(tmp_path, capsys):
    bad = write_split(tmp_path, with_doc("x-bool", TEXT, [{"start": 7, "end": True, "label": "PER"}]))
    line = one_error(tmp_path, capsys, **{"data.dev": str(bad)})
    assert f"{bad}:3 (id=x-bool): spans[0].end must be an integer, got True" in line


def test_duplicate_ids_within_and_across_splits(tmp_path, capsys):
    docs = good_docs()
    bad = write_split(tmp_path, docs[:3] + [dict(docs[0])])
    line = one_error(tmp_path, capsys, **{"data.test": str(bad)})
    assert f"{bad}:4 (id={docs[0]['id']}): duplicate id, first seen at {bad}:1" in line
    # a test document that is also in dev: the same id in two splits
    dev = FIXTURES / "corpus_dev.jsonl"
    leak = write_split(tmp_path, [json.loads(dev.read_text(encoding="utf-8").splitlines()[0])], name="leak.jsonl")
    line = one_error(tmp_path, capsys, **{"data.test": str(leak)})
    assert "duplicate id, first seen at" in line and str(dev) in line


def test_non_utf8_names_the_line(tmp_path, capsys):
    docs = good_docs()[:2]
    raw = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8") + b'{"id": "x", "text": "caf\xe9"}\n'
    bad = write_split(tmp_path, raw=raw)
    line = one_error(tmp_path, capsys, **{"data.train": str(bad)})
    assert f"{bad}:3: not UTF-8" in line


def test_invalid_json_names_the_line(tmp_path, capsys):
    raw = (FIXTURES / "corpus_test.jsonl").read_bytes() + b'{"id": "x", "text": \n'
    bad = write_split(tmp_path, raw=raw)
    line = one_error(tmp_path, capsys, **{"data.test": str(bad)})
    assert f"{bad}:9: invalid JSON" in line


def test_many_problems_are_still_one_line(tmp_path, capsys):
    docs = with_doc("x-many", TEXT, [{"start": 0, "end": 500, "label": "PER"}, {"start": 9, "end": 19, "label": "LOC"}])
    bad = write_split(tmp_path, docs)
    line = one_error(tmp_path, capsys, **{"data.test": str(bad)})
    assert "more; python -m training.corpus.validate lists them all" in line


def test_pretokenised_split_with_an_unknown_label(tmp_path, capsys):
    bad = tmp_path / "bad.conll"
    bad.write_text("Ông O\nNam B-PER\n\nở O\nHà B-LOC\nNội I-LOC\n", encoding="utf-8")
    line = one_error(tmp_path, capsys, **{"data.test": str(bad)})
    assert f"{bad}:4: word 1: label 'LOC' is not among data.labels" in line


def test_pretokenised_split_with_a_broken_tag(tmp_path, capsys):
    bad = tmp_path / "bad.conll"
    bad.write_text("Ông O\nNam X-PER\n", encoding="utf-8")
    line = one_error(tmp_path, capsys, **{"data.dev": str(bad)})
    assert f"{bad}:1: word 1: 'X-PER' is not an IOB2 tag" in line


@pytest.mark.parametrize("where, message", [
    ("file/model", "training.output_dir: cannot create"),
    ("file", "training.output_dir: {tmp}/file exists and is not a directory"),
])
def test_an_output_dir_that_cannot_be_written_fails_before_training(tmp_path, capsys, where, message):
    """An output path under a file (a typo, /dev/null/x) is one line before the data loads,
    not a NotADirectoryError after it."""
    (tmp_path / "file").write_text("x")
    code, err = run(tmp_path, capsys, "--output-dir", str(tmp_path / where))
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith("polner-train: error: ") and message.format(tmp=tmp_path) in err[0]
    assert (tmp_path / "file").read_text() == "x"  # the file in the way is left as it was
