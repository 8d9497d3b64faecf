"""Model directories are checked on load and never run code (issue 12, part 3).

Every damaged, inconsistent or foreign directory gives ONE line naming the file and what is
wrong: a ``ModelDirError`` from ``load_tagger``, exit status 2 from polner-tag and
polner-evaluate. A directory naming custom code is refused before transformers sees it, so
nothing is ever asked on stdin (the issue: a piped document answered transformers' "run the
custom code? [y/N]" prompt and ran the directory's Python file).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from inference import load_tagger
from inference.settings import ModelDirError
from tests.conftest import FIXTURES

TEXT = "Bí thư Thành ủy Trần Văn Khải phát biểu."


@pytest.fixture
def model(tmp_path, trained_model_dir):
    """A private copy of the session's tiny model, to damage."""
    return shutil.copytree(trained_model_dir, tmp_path / "model")


def edit_json(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    data = change(data) or data
    path.write_text(json.dumps(data), encoding="utf-8")


def truncate(path, keep=0.5):
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * keep)])


def refused(model_dir, *fragments):
    with pytest.raises(ModelDirError) as info:
        load_tagger(model_dir)
    message = str(info.value)
    assert "\n" not in message
    for f in fragments:
        assert f in message, message
    return message


# --- damaged files ----------------------------------------------------------------------------
def test_truncated_weights(model):
    truncate(model / "model.safetensors")
    refused(model, f"{model / 'model.safetensors'}: truncated or damaged")


def test_empty_weights(model):
    (model / "model.safetensors").write_bytes(b"")
    refused(model, f"{model / 'model.safetensors'}: is empty (0 bytes)")


def test_weights_that_are_not_safetensors(model):
    (model / "model.safetensors").write_text("<html>404</html>", encoding="utf-8")
    refused(model, "model.safetensors: truncated or not a safetensors file")


def test_foreign_weights(model):
    import torch
    from safetensors.torch import save_file

    save_file({"encoder.weight": torch.zeros(4, 4)}, str(model / "model.safetensors"))
    refused(model, "model.safetensors: ", "weights are missing or misshapen", "belongs to another model")


def test_broken_config_json(model):
    truncate(model / "config.json")
    refused(model, f"{model / 'config.json'}: not valid JSON")


def test_broken_polner_json(model):
    truncate(model / "polner.json")
    refused(model, f"{model / 'polner.json'}: not valid JSON")


def test_polner_json_that_is_a_list(model):
    (model / "polner.json").write_text('["O", "B-PER"]', encoding="utf-8")
    refused(model, "polner.json: expected a JSON object, got a list")


@pytest.mark.parametrize("key", ["tags", "tone", "word_join", "segmenter"])
def test_incomplete_polner_json(model, key):
    """No default stands in for a missing preprocessing choice (a PhoBERT default would
    silently change an e5 model's input text)."""
    edit_json(model / "polner.json", lambda d: d.pop(key) and None)
    refused(model, f"polner.json: missing required key '{key}'")


def test_polner_json_with_a_wrong_type(model):
    edit_json(model / "polner.json", lambda d: d.update(max_length="64"))
    refused(model, "polner.json: max_length: expected an integer")


def test_empty_vocabulary(model):
    (model / "vocab.txt").write_text("", encoding="utf-8")
    refused(model, f"{model / 'vocab.txt'}: is empty (0 bytes)")


def test_truncated_vocabulary(model):
    """A vocab.txt cut to one line loads as a tokenizer, but nearly every word would be
    <unk>: refused, naming the file and both sizes."""
    (model / "vocab.txt").write_text("a 1\n", encoding="utf-8")
    refused(model, f"{model / 'vocab.txt'}: the tokenizer has", "but the model's embeddings have", "truncated, or from another model?")


def test_missing_file_is_named(model):
    (model / "bpe.codes").unlink()
    refused(model, "is incomplete: missing bpe.codes")


# --- polner.json against config.json ------------------------------------------------------------
def test_permuted_tags(model):
    def permute(d):
        d["tags"] = [d["tags"][0], *reversed(d["tags"][1:])]

    edit_json(model / "polner.json", permute)
    refused(model, "polner.json: tags", "differ from config.json's id2label")


@pytest.mark.parametrize("tags", [["O", "B-", "I-"], ["O", "PER", "ORG"], ["B-PER", "O", "I-PER"], ["O", "B-PER"]])
def test_garbage_tags(model, tags):
    edit_json(model / "polner.json", lambda d: d.update(tags=tags))
    refused(model, "polner.json: ")


def test_max_length_beyond_the_positions(model):
    edit_json(model / "polner.json", lambda d: d.update(max_length=1024))
    refused(model, "polner.json: max_length 1024 exceeds the 64 subwords", "max_position_embeddings 66")


def test_window_overlap_too_large_for_the_window(model):
    edit_json(model / "polner.json", lambda d: d.update(window_overlap=40))
    refused(model, "polner.json: window_overlap: expected 0 to 30")


# --- no code from a model directory ------------------------------------------------------------
def custom_code_dir(model, tmp_path, model_type="evil-net"):
    marker = tmp_path / "code-ran"
    (model / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    edit_json(model / "config.json", lambda d: d.update(
        model_type=model_type, auto_map={"AutoConfig": "evil.EvilConfig",
                                         "AutoModelForTokenClassification": "evil.EvilModel"}))
    return marker


@pytest.mark.slow  # the exploit, end to end: a polner-tag process with a piped "y" (imports torch)
def test_custom_code_is_refused_and_nothing_reads_stdin(model, tmp_path):
    marker = custom_code_dir(model, tmp_path)
    r = subprocess.run([sys.executable, "-m", "inference.tag", "--model", str(model)],
                       input="y\n" + TEXT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 2
    assert r.stdout == ""  # no prompt text in the output, and nothing tagged
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("polner-tag: error: ") and "config.json: names custom code (auto_map)" in line
    assert not marker.exists()


def test_auto_map_on_a_known_model_type_is_refused(model, tmp_path):
    marker = custom_code_dir(model, tmp_path, model_type="roberta")
    refused(model, "config.json: names custom code (auto_map)")
    assert not marker.exists()


def test_unknown_model_type_is_refused(model):
    edit_json(model / "config.json", lambda d: d.update(model_type="evil-net"))
    refused(model, "config.json: model_type 'evil-net' is not a model type transformers ships")


def test_custom_tokenizer_code_is_refused(model):
    edit_json(model / "tokenizer_config.json", lambda d: d.update(auto_map={"AutoTokenizer": ["evil.Tok", None]}))
    refused(model, "tokenizer_config.json: names custom code (auto_map)")


def test_loading_never_reads_stdin(model, tmp_path, monkeypatch):
    custom_code_dir(model, tmp_path)

    class NoStdin:
        def read(self, *a):
            raise AssertionError("stdin was read")

        readline = read

    monkeypatch.setattr(sys, "stdin", NoStdin())
    monkeypatch.setattr("builtins.input", NoStdin().read)
    refused(model, "auto_map")


# --- the CLIs: exit status 2 and one line --------------------------------------------------------
def test_tag_and_evaluate_clis_give_one_line(model, tmp_path, capsys):
    import torch

    from inference.tag import main as tag_main
    from training.evaluate import main as evaluate_main

    truncate(model / "model.safetensors")
    doc = tmp_path / "a.txt"
    doc.write_text(TEXT, encoding="utf-8")
    threads = torch.get_num_threads()  # polner-tag sets the process's threads
    try:
        assert tag_main(["--model", str(model), str(doc)]) == 2
    finally:
        torch.set_num_threads(threads)
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert out.out == "" and len(lines) == 1, lines
    assert lines[0].startswith(f"polner-tag: error: {model / 'model.safetensors'}: truncated or damaged")
    assert evaluate_main(["--model", str(model), "--data", str(FIXTURES / "corpus_dev.jsonl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("polner-evaluate: error: ") and "model.safetensors: truncated" in err[0]


# --- what polner-train writes ---------------------------------------------------------------------
def test_no_pickle_and_normal_permissions(trained_model_dir):
    assert not (trained_model_dir / "training_args.bin").exists()
    assert not list(trained_model_dir.rglob("*.bin")) and not list(trained_model_dir.rglob("*.pkl"))
    mask = os.umask(0)
    os.umask(mask)
    for p in trained_model_dir.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o777 if p.is_dir() else 0o666) & ~mask, (p, oct(mode))


def test_a_model_moved_aside_by_a_cut_short_overwrite_is_pointed_to(tmp_path):
    """polner-train --overwrite moves the old model to .DIR.old before renaming the new one in;
    killed in between, the loader says where the old model is instead of only 'does not exist'."""
    (tmp_path / ".model.old").mkdir()
    with pytest.raises(ModelDirError, match=r"does not exist; a polner-train run replacing it was cut short: "
                                            r"the previous model is at .*\.model\.old"):
        load_tagger(tmp_path / "model")
