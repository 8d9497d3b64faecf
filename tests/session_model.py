"""The session's tiny model, trained by the real ``polner-train`` in a second process.

Importing HuggingFace's Trainer and training take about 15 s of one core: close to half of the
default test tier if done in line. Started when pytest configures itself, the run overlaps
collection and every test that needs no model (those run first, see conftest); the first test
that needs the model waits for what is left. On one core it costs what training in line costs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable


class SessionTraining:
    """``polner-train --config CONFIG`` in a child process with one torch thread, its output in
    a log file; ``write_config(dir)`` writes the config, naming ``dir / "model"`` as output."""

    def __init__(self, write_config: Callable[[Path], Path], cwd: Path) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="polner-session-"))
        self.model_dir = self.root / "model"
        self.log = self.root / "train.log"
        self.started, self.finished, self.waited = time.monotonic(), None, 0.0
        self.closed = False
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "training.train", "--config", str(write_config(self.root))],
                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)

    def result(self) -> Path:
        """The trained model directory once training has ended; raises ``RuntimeError`` with
        the end of the log if it failed."""
        if self.finished is None:
            waiting = time.monotonic()
            self.process.wait()
            self.finished = time.monotonic()
            self.waited = self.finished - waiting
        if self.process.returncode != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
            raise RuntimeError(f"the session's tiny model did not train (exit {self.process.returncode}):\n{tail}")
        return self.model_dir

    def summary(self) -> str | None:
        if self.finished is None:
            return None
        if self.process.returncode != 0:
            return f"session model: polner-train failed (exit {self.process.returncode}); see the first error above"
        return (f"session model: trained by polner-train in a second process in {self.finished - self.started:.1f} s; "
                f"tests waited {self.waited:.1f} s for it")

    def close(self) -> None:
        self.closed = True
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
