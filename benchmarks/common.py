"""What every benchmark shares: the machine it ran on, timers, and the result writer.

- ``machine_info()``: CPU model, cores, torch/transformers/Python versions, load average
  and date, for the footer of every table (numbers mean little without them).
- ``PhaseTimer``: the ``phase`` hook of ``inference.hooks``; pass it to
  ``load_tagger(..., phase=timer)`` and read ``timer.seconds`` to see where tagging time
  goes, with no patching of the tagger.
- ``cpu_usage()``: wall time, process CPU time and their ratio (cores kept busy) of a block.
- ``write_results(...)``: ``results/<name>.md`` and ``.json``, each written under a temporary
  name and renamed, with the machine and the exact command line in a footer.
- ``scores_only(report)``: an evaluation report without its error examples, which quote
  corpus text (results hold scores only).
- Models given as ``NAME=DIR``: parsing, where a model came from (``model_provenance``),
  and training a missing one from its config (``train_model``, through ``training.train``).
- PhoNER_COVID19's layout (``split_files``, ``check_data_dir``): the data is never in the
  repository, only a directory named by an argument or ``PHONER_COVID19_DIR``.

No benchmark imports another benchmark: what two of them need lives here.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from inference.settings import WEIGHT_FILES
from training.evaluate import write_atomic

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

ENV_VAR = "PHONER_COVID19_DIR"
PHONER_LABELS = ["PATIENT_ID", "NAME", "AGE", "GENDER", "JOB", "LOCATION", "ORGANIZATION",
                 "SYMPTOM_AND_DISEASE", "TRANSPORTATION", "DATE"]
PHONER_LEVELS = ("word", "syllable")


class BenchmarkError(Exception):
    """Missing data, a missing model or a bad argument; the message names the path or value."""


# --- the machine --------------------------------------------------------------------------
def cpu_model() -> str:
    """The CPU's marketing name from /proc/cpuinfo (Linux), else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cores() -> int:
    """Cores this process may run on (a container or taskset may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def load_average() -> list[float] | None:
    """1, 5 and 15-minute load averages (None where the OS has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine_info() -> dict:
    """What a benchmark ran on: CPU, cores, threads, versions, load average and date."""
    import torch

    now = _dt.datetime.now().astimezone()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": _version("transformers"),
        "platform": platform.platform(),
        "load_average": load_average(),
        "date": now.isoformat(timespec="seconds"),
        "date_utc": now.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def package_versions(packages: Sequence[str]) -> dict[str, str]:
    return {p: _version(p) for p in packages}


def format_load(load: Sequence[float] | None) -> str:
    return "n/a" if not load else " / ".join(f"{x:.2f}" for x in load)


def machine_line(m: dict) -> str:
    """One line for a Markdown footer."""
    return (f"{m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable, {m['torch_threads']} torch threads); "
            f"Python {m['python']}, torch {m['torch']}, transformers {m['transformers']}; {m['platform']}")


# --- timing -------------------------------------------------------------------------------
def cpu_seconds() -> float:
    """User + system CPU time of this process so far (all its threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@dataclass
class Usage:
    """Wall time and process CPU time of a block (their ratio: the cores kept busy)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def cpu_usage() -> Iterator[Usage]:
    """``with cpu_usage() as u: ...`` then ``u.wall`` and ``u.cpu``.

    On a machine shared with other jobs, a forward pass that should keep every core busy
    shows fewer cores busy: the figure tells a trustworthy timing from a disturbed one."""
    u = Usage()
    c0, t0 = cpu_seconds(), time.perf_counter()
    try:
        yield u
    finally:
        u.wall = time.perf_counter() - t0
        u.cpu = cpu_seconds() - c0


class PhaseTimer:
    """The ``phase`` hook of ``inference.hooks``: seconds spent in each named phase.

    ``load_tagger(dir, phase=timer)``; ``timer.reset()`` before the timed run, then
    ``timer.seconds`` (phase -> seconds) and ``timer.calls``. Time is given to the innermost
    open phase, so if phases ever nest nothing is counted twice, and the sum of the phases
    never exceeds the wall time of the run.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list] = []  # [name, time the phase last (re)started]

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self._stack.clear()

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        now = time.perf_counter()
        if self._stack:  # pause the enclosing phase
            outer = self._stack[-1]
            self.seconds[outer[0]] += now - outer[1]
        frame = [name, now]
        self._stack.append(frame)
        self.calls[name] += 1
        try:
            yield
        finally:
            now = time.perf_counter()
            self.seconds[name] += now - frame[1]
            if self._stack and self._stack[-1] is frame:
                self._stack.pop()
            if self._stack:  # resume the enclosing phase
                self._stack[-1][1] = now

    def snapshot(self, total: float | None = None) -> dict[str, float]:
        """Seconds per phase in ``inference.hooks.PHASES`` order (then any others); with
        ``total`` (the run's wall time), ``other`` is what no phase accounts for."""
        from inference.hooks import PHASES

        names = [p for p in PHASES if p in self.seconds] + sorted(set(self.seconds) - set(PHASES))
        out = {p: self.seconds[p] for p in names}
        if total is not None:
            out["other"] = max(0.0, total - sum(out.values()))
        return out


# --- results ------------------------------------------------------------------------------
def stop_process(proc: subprocess.Popen, timeout: float = 30) -> int:
    """End a server started for a measurement: SIGTERM, so it shuts down as a user's would,
    then SIGKILL if it is still there after ``timeout`` seconds. Returns its exit code."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()


def command_line(module: str, argv: Sequence[str] | None) -> str:
    """The command that reproduces this run, as typed (``python -m benchmarks.x ...`` or
    ``python benchmarks/x.py ...``); a call of ``main(argv)`` from Python is shown as ``-m``."""
    args = list(argv) if argv is not None else sys.argv[1:]
    main = sys.modules.get("__main__")
    if argv is None and main is not None and getattr(main, "__spec__", None) is None and sys.argv[0].endswith(".py"):
        prog = f"python {public_path(Path(sys.argv[0]))}"
    else:
        prog = f"python -m {module}"
    return " ".join([prog, *(shlex.quote(a) for a in args)])


def public_path(path: Path | str) -> str:
    """A path as results may show it: relative to the repository (or ``../shared/...``), or
    under ``$PHONER_COVID19_DIR``; never this machine's absolute layout where avoidable."""
    p = Path(path)
    try:
        p = p.resolve()
    except OSError:
        return str(path)
    env = os.environ.get(ENV_VAR)
    if env:
        base = Path(env).resolve()
        if p.is_relative_to(base):
            return f"${ENV_VAR}/{p.relative_to(base)}"
    if p.is_relative_to(ROOT):
        return str(p.relative_to(ROOT))
    if p.is_relative_to(ROOT.parent):
        return str(Path("..") / p.relative_to(ROOT.parent))
    return str(path)


def scores_only(report: dict) -> dict:
    """An evaluation report without what quotes text: the error examples (kept: counts)."""
    out = {k: v for k, v in report.items() if k != "error_examples"}
    if isinstance(out.get("errors"), dict):
        out["errors"] = {k: v for k, v in out["errors"].items() if k != "examples"}
    if "data" in out:
        out["data"] = public_path(out["data"])
    return out


def footer(machine: dict, command: str, extra: Sequence[str] = ()) -> str:
    lines = ["---", "", f"- machine: {machine_line(machine)}",
             f"- load average (1/5/15 min) at start: {format_load(machine.get('load_average'))}",
             f"- date: {machine['date']}", *extra, f"- command: `{command}`", ""]
    return "\n".join(lines)


def write_results(results_dir: Path, name: str, markdown: str, data: dict, *, command: str, machine: dict,
                  footer_lines: Sequence[str] = ()) -> tuple[Path, Path]:
    """``results_dir/<name>.md`` (the Markdown plus a footer with the machine and the exact
    command) and ``<name>.json`` (``data`` with ``command`` and ``machine``). The Markdown is
    written first, each file under a temporary name then renamed: an interrupted run never
    leaves a new JSON beside an old page."""
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    md_path, json_path = results_dir / f"{name}.md", results_dir / f"{name}.json"
    write_atomic(md_path, markdown.rstrip("\n") + "\n\n" + footer(machine, command, footer_lines))
    payload = {"command": command, "machine": machine, **data}
    write_atomic(json_path, json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    return md_path, json_path


# --- models -------------------------------------------------------------------------------
def parse_named(spec: str, what: str = "--model") -> tuple[str, Path]:
    """``NAME=DIR`` -> (NAME, Path(DIR))."""
    name, sep, value = spec.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise BenchmarkError(f"{what}: expected NAME=DIR, got {spec!r}")
    return name.strip(), Path(value.strip())


def parse_models(specs: Sequence[str], what: str = "--model") -> dict[str, Path]:
    """Ordered NAME -> DIR from repeated ``NAME=DIR`` options; a repeated name is an error."""
    out: dict[str, Path] = {}
    for spec in specs:
        name, path = parse_named(spec, what)
        if name in out:
            raise BenchmarkError(f"{what}: the name {name!r} is given twice")
        out[name] = path
    return out


def parse_train_missing(specs: Sequence[str], models: dict[str, Path], what: str = "--train-missing") -> dict[str, Path]:
    """NAME -> CONFIG from ``[NAME=]CONFIG`` options; a bare CONFIG needs exactly one model."""
    out: dict[str, Path] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if sep and name in models:
            config = Path(value)
        elif len(models) == 1:
            name, config = next(iter(models)), Path(spec)
        else:
            known = ", ".join(models) or "none"
            raise BenchmarkError(f"{what} {spec!r}: say which model it trains as NAME=CONFIG (models: {known})")
        if not config.is_file():
            raise BenchmarkError(f"{what}: config file not found: {config}")
        out[name] = config
    return out


def has_weights(model_dir: Path) -> bool:
    return any((Path(model_dir) / n).is_file() for n in WEIGHT_FILES)


def weights_older_than(model_dir: Path, data: Sequence[Path]) -> bool:
    """True when a data file changed after the model's weights were written."""
    weights = [Path(model_dir) / n for n in WEIGHT_FILES if (Path(model_dir) / n).is_file()]
    if not weights:
        return False
    built = min(w.stat().st_mtime for w in weights)
    return any(Path(p).is_file() and Path(p).stat().st_mtime > built for p in data)


def model_provenance(model_dir: Path, how: str = "existing") -> dict:
    """Where a model came from, from its directory: the base model, the training data, when
    and for how long it was trained (what polner-train wrote there)."""
    import yaml

    model_dir = Path(model_dir)
    info: dict = {"dir": public_path(model_dir), "how": how}
    try:
        cfg = yaml.safe_load((model_dir / "config.yaml").read_text(encoding="utf-8")) or {}
        model = cfg.get("model") or {}
        info["base"] = model.get("name_or_path") or ("from scratch" if model.get("scratch") else None)
        info["train_data"] = public_path(cfg["data"]["train"]) if cfg.get("data", {}).get("train") else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError, yaml.YAMLError):
        info["base"] = info["train_data"] = None
    try:
        summary = json.loads((model_dir / "train_log.json").read_text(encoding="utf-8"))["summary"]
        info["epochs"] = round(float(summary["epochs_run"]), 2)
        info["train_minutes"] = round(summary["train_seconds"] / 60, 1)
        info["parameters"] = summary.get("parameters")
    except (OSError, ValueError, TypeError, KeyError):
        pass
    weights = [model_dir / n for n in WEIGHT_FILES if (model_dir / n).is_file()]
    if weights:
        when = _dt.datetime.fromtimestamp(weights[0].stat().st_mtime).astimezone()
        info["trained"] = when.isoformat(timespec="minutes")
    return info


def describe_model(info: dict) -> str:
    """One line: `runs/tiny` (existing; from scratch, trained <date> on `<train file>` for 11 epochs in 1.3 min)."""
    parts = []
    if info.get("base"):
        parts.append(f"`{info['base']}`" if info["base"] != "from scratch" else "from scratch")
    if info.get("trained"):
        t = f"trained {info['trained']}"
        if info.get("train_data"):
            t += f" on `{info['train_data']}`"
        if info.get("epochs") is not None:
            t += f" for {info['epochs']:g} epochs in {info['train_minutes']:.1f} min"
        parts.append(t)
    if info.get("stale"):
        parts.append("**its weights are older than the corpus files**")
    return f"`{info['dir']}` ({info['how']}" + ("; " + ", ".join(parts) if parts else "") + ")"


def train_model(config: Path, output_dir: Path, overrides: Sequence[str] = ()) -> dict:
    """Train ``config`` into ``output_dir`` (replaced) through ``training.train.train``."""
    from training.config import load_config
    from training.train import train

    cfg = load_config(config, list(overrides))
    cfg.training.output_dir = str(output_dir)
    return train(cfg, Path(output_dir), overwrite=True)


# --- PhoNER_COVID19 -----------------------------------------------------------------------
def split_files(data_dir: Path, level: str) -> dict[str, Path]:
    return {split: Path(data_dir) / level / f"{split}_{level}.json" for split in ("train", "dev", "test")}


def default_data_dir(arg: Path | None) -> Path | None:
    if arg is not None:
        return arg
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else None


def check_data_dir(data_dir: Path | None, level: str) -> Path:
    """The PhoNER directory as VinAI ships it, or an error that names what is missing."""
    if data_dir is None:
        raise BenchmarkError(f"no PhoNER_COVID19 directory: pass --data-dir DIR or set {ENV_VAR}")
    if not Path(data_dir).is_dir():
        raise BenchmarkError(f"PhoNER_COVID19 directory not found: {data_dir}")
    for path in split_files(data_dir, level).values():
        if not path.is_file():
            raise BenchmarkError(f"PhoNER_COVID19 file not found: {path} (expected {level}/<split>_{level}.json)")
    return Path(data_dir).resolve()
