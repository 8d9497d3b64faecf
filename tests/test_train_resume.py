"""Training is reproducible for a seed, and an interrupted run resumes from its checkpoint."""

import json

import pytest
from safetensors.torch import load_file

from training.train import main
from tests.conftest import tiny_config

pytestmark = pytest.mark.slow  # each test trains (1-2 steps, but the Trainer's import and setup)


def weights(model_dir):
    return load_file(str(model_dir / "model.safetensors"))


def test_same_seed_same_model(tmp_path):
    import torch

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    threads = torch.get_num_threads()
    for d in (a, b):
        assert main(["--config", str(tiny_config(d, **{"training.max_steps": 2}))]) == 0
        # the run leaves torch's threads alone: a second run with fewer threads would round
        # differently (and run slower)
        assert torch.get_num_threads() == threads
    wa, wb = weights(a / "model"), weights(b / "model")
    assert wa.keys() == wb.keys()
    assert all((wa[k] == wb[k]).all() for k in wa)


def test_resume_continues_where_the_checkpoints_stop(tmp_path):
    one = tiny_config(tmp_path, **{"training.max_steps": 2, "training.keep_checkpoints": True})
    assert main(["--config", str(one)]) == 0
    first_log = json.loads((tmp_path / "model" / "train_log.json").read_text())
    first = first_log["summary"]["global_step"]
    (epoch1,) = [h["eval_loss"] for h in first_log["log_history"] if "eval_loss" in h]
    assert any((tmp_path / "model.checkpoints").glob("checkpoint-*"))
    # a different seed: a run that restarted from scratch would reach another epoch-1 loss
    two = tiny_config(tmp_path, **{"training.max_steps": 4, "training.seed": 99})
    assert main(["--config", str(two), "--resume", "--overwrite"]) == 0
    log = json.loads((tmp_path / "model" / "train_log.json").read_text())
    assert log["summary"]["global_step"] == 2 * first
    evals = [h["eval_loss"] for h in log["log_history"] if "eval_loss" in h]
    assert len(evals) == 2 and evals[0] == epoch1
