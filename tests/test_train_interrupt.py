"""polner-train never loses work (issue 12, part 2).

- Ctrl-C during training saves a checkpoint at the next step boundary, prints one line
  with the exact command that resumes, and exits 130; the resumed run ends exactly where an
  uninterrupted run with the same seed ends (identical dev F1): a real training subprocess,
  interrupted mid-epoch.
- A rerun that finds checkpoints stops and asks for --resume or --overwrite; it deletes
  nothing.
- --overwrite replaces a model only when the new one is complete, by renames, and a run
  killed between them is repaired by the next run.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.common import stop_process
from training.config import ConfigError
from training.train import StopRequest, _install, _restore, main, prepare_output, publish
from tests.conftest import ROOT, tiny_config

# two short epochs of the fixture corpus, small batches so that an epoch has enough steps
# for a signal to land inside one
SHORT = {"training.num_epochs": 2, "training.batch_size": 4, "training.logging_steps": 10}


def train_cmd(config: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "training.train", "--config", str(config), "--output-dir", str(out), *extra]


def env() -> dict:
    # one thread: the same arithmetic in every run, whatever else the machine is doing
    return {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def dev_f1(model: Path) -> tuple[float, float]:
    log = json.loads((model / "train_log.json").read_text(encoding="utf-8"))
    report = json.loads((model / "reports" / "dev" / "report.json").read_text(encoding="utf-8"))
    return log["summary"]["best_dev_f1_windows"], report["spans"]["micro"]["f1"]


@pytest.mark.slow
def test_ctrl_c_saves_a_checkpoint_and_resume_matches_an_uninterrupted_run(tmp_path):
    config = tiny_config(tmp_path, **SHORT)

    # the reference, the same run uninterrupted, beside the run to interrupt (a core each)
    ref = tmp_path / "reference"
    reference = subprocess.Popen(train_cmd(config, ref), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=env(), cwd=ROOT)

    try:
        # interrupted once the first epoch is over: the signal lands during the second epoch
        out = tmp_path / "model"
        proc = subprocess.Popen(train_cmd(config, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env(), cwd=ROOT)
        for line in proc.stdout:
            if line.startswith("epoch 1/2"):
                proc.send_signal(signal.SIGINT)
                break
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 130, stderr
        ref_out, ref_err = reference.communicate(timeout=600)
    finally:
        stop_process(reference)  # a failure above does not leave the reference training
    assert reference.returncode == 0, ref_err
    steps = json.loads((ref / "train_log.json").read_text())["summary"]["global_step"]
    assert "{'loss'" not in ref_out and "Writing model shards" not in ref_err + ref_out
    (last,) = stderr.strip().splitlines()  # one line, no traceback
    assert last.startswith("polner-train: interrupted; checkpoint ") and "resume with: polner-train " in last
    assert not out.exists()
    ckpts = sorted((tmp_path / "model.checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    stopped_at = int(ckpts[-1].name.split("-")[1])
    assert steps // 2 < stopped_at < steps  # inside the second epoch, at a step boundary
    assert f"saved at step {stopped_at}" in last

    # a rerun without --resume stops and deletes nothing
    assert main(["--config", str(config), "--output-dir", str(out)]) == 2
    assert ckpts[-1].is_dir()

    # the printed command resumes, to the uninterrupted run's result
    command = shlex.split(last.split("resume with: ", 1)[1])
    assert command[0] == "polner-train" and command[-1] == "--resume"
    resumed = subprocess.run([sys.executable, "-m", "training.train", *command[1:]], capture_output=True, text=True,
                             env=env(), cwd=ROOT, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((out / "train_log.json").read_text())["summary"]["global_step"] == steps
    assert dev_f1(out) == dev_f1(ref)
    assert not (tmp_path / "model.checkpoints").exists()  # keep_checkpoints is off


def test_rerun_without_resume_keeps_the_checkpoints(tmp_path, capsys):
    config = tiny_config(tmp_path)
    ckpt = tmp_path / "model.checkpoints" / "checkpoint-150"
    ckpt.mkdir(parents=True)
    (ckpt / "model.safetensors").write_bytes(b"weights")
    assert main(["--config", str(config)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "holds checkpoints of an earlier run (last: checkpoint-150)" in line
    assert "--resume" in line and "--overwrite" in line
    assert (ckpt / "model.safetensors").read_bytes() == b"weights"


def test_an_empty_checkpoints_directory_is_tidied(tmp_path):
    (tmp_path / "model.checkpoints" / "runs").mkdir(parents=True)
    prepare_output(tmp_path / "model", resume=False, overwrite=False)
    assert not (tmp_path / "model.checkpoints").exists()
    with pytest.raises(ConfigError, match="--resume: no checkpoint in"):
        prepare_output(tmp_path / "model", resume=True, overwrite=False)


def test_sigterm_is_handled_like_ctrl_c():
    stop = StopRequest()
    handlers = _install(stop)
    try:
        assert signal.getsignal(signal.SIGTERM) is stop and signal.getsignal(signal.SIGINT) is stop
        stop.in_fit = True
        stop(signal.SIGTERM, None)  # the first signal during training: stop at the next step
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):  # a second one: at once
            stop(signal.SIGINT, None)
    finally:
        _restore(handlers)
    assert signal.getsignal(signal.SIGINT) is not stop


def test_a_config_error_leaves_the_old_model_alone(tmp_path, trained_model_dir, capsys):
    # the issue: num_epochs=0 with --overwrite replaced a good model with an untrained one
    out = shutil.copytree(trained_model_dir, tmp_path / "model")
    before = (out / "model.safetensors").read_bytes()
    code = main(["--config", str(tiny_config(tmp_path)), "--output-dir", str(out), "--overwrite",
                 "--set", "training.num_epochs=0"])
    assert code == 2 and "training.num_epochs" in capsys.readouterr().err
    assert (out / "model.safetensors").read_bytes() == before


# --- --overwrite swaps by renames -------------------------------------------------------------
def fake_model(path: Path, tag: str) -> Path:
    path.mkdir(parents=True)
    (path / "which").write_text(tag)
    return path


def test_overwrite_swaps_the_new_model_in(tmp_path):
    out = fake_model(tmp_path / "model", "old")
    publish(fake_model(tmp_path / ".model.partial", "new"), out)
    assert (out / "which").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_a_kill_between_the_renames_is_repaired(tmp_path, monkeypatch, capsys):
    out = fake_model(tmp_path / "model", "old")
    work = fake_model(tmp_path / ".model.partial", "new")
    real = os.replace
    calls = []

    def killed_at_second_rename(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process dies between moving the old model aside and the new one in
        real(src, dst)

    monkeypatch.setattr(os, "replace", killed_at_second_rename)
    with pytest.raises(KeyboardInterrupt):
        publish(work, out)
    monkeypatch.setattr(os, "replace", real)
    assert not out.exists() and (tmp_path / ".model.old").is_dir()
    # the next run puts the old model back before anything else
    prepare_output(out, resume=False, overwrite=True)
    assert (out / "which").read_text() == "old"
    assert "restored the previous model" in capsys.readouterr().out
    assert not (tmp_path / ".model.old").exists() and not (tmp_path / ".model.partial").exists()


def test_a_kill_after_the_swap_leaves_the_new_model(tmp_path):
    out = fake_model(tmp_path / "model", "new")
    fake_model(tmp_path / ".model.old", "old")  # its deletion was cut short
    prepare_output(out, resume=False, overwrite=True)
    assert (out / "which").read_text() == "new" and not (tmp_path / ".model.old").exists()
