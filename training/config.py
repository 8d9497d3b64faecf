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

from inference.segment import SEGMENTERS
from inference.settings import DOC_RULES


class ConfigError(ValueError):
    """An invalid configuration; the message names the key or file."""


@dataclass
class ScratchModel:
    """A randomly initialised RoBERTa sized here, using the given tokenizer's vocabulary."""

    tokenizer: str
    hidden_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    intermediate_size: int = 512
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1


@dataclass
class ModelConfig:
    name_or_path: str | None = None  # hub id (vinai/phobert-base) or local directory
    scratch: ScratchModel | None = None


@dataclass
class DataConfig:
    train: str
    dev: str
    labels: list[str]
    test: str | None = None
    format: str = "auto"  # auto | jsonl | words-jsonl | conll


@dataclass
class PreprocessingConfig:
    segmenter: str = "pyvi"
    max_length: int = 256
    window_overlap: int = 64
    doc_rules: str = "repair"


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
    if cfg.data.format not in ("auto", "jsonl", "words-jsonl", "conll"):
        raise ConfigError(f"data.format: expected auto, jsonl, words-jsonl or conll, got {cfg.data.format!r}")
    p = cfg.preprocessing
    if p.segmenter not in SEGMENTERS:
        raise ConfigError(f"preprocessing.segmenter: expected one of {', '.join(SEGMENTERS)}, got {p.segmenter!r}")
    if p.doc_rules not in DOC_RULES:
        raise ConfigError(f"preprocessing.doc_rules: expected one of {', '.join(DOC_RULES)}, got {p.doc_rules!r}")
    if not 40 <= p.max_length <= 512:
        raise ConfigError(f"preprocessing.max_length: expected 40..512, got {p.max_length}")
    t = cfg.training
    if t.device not in ("auto", "cpu", "cuda"):
        raise ConfigError(f"training.device: expected auto, cpu or cuda, got {t.device!r}")
    for name in ("learning_rate", "batch_size", "eval_batch_size", "gradient_accumulation_steps"):
        if getattr(t, name) <= 0:
            raise ConfigError(f"training.{name}: must be positive")
    return cfg


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
