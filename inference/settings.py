"""The preprocessing settings a model was trained with, saved beside its weights.

A tagger must preprocess exactly as training did (same segmenter, same window length,
same label set), so these travel with the model in ``polner.json`` rather than living in
code defaults that could drift between the training run and the serving process.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from inference.segment import SEGMENTERS

SETTINGS_FILE = "polner.json"
FORMAT_VERSION = 1
DOC_RULES = ("off", "repair", "union")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
TOKENIZER_FILES = ("vocab.txt", "bpe.codes")


class ModelDirError(FileNotFoundError):
    """A model directory is missing or incomplete; the message lists what is missing."""


@dataclass
class TaggerSettings:
    tags: list[str]  # BIO tags in model output order, e.g. ["O", "B-PER", "I-PER", ...]
    segmenter: str = "pyvi"
    max_length: int = 256
    window_overlap: int = 64
    doc_rules: str = "repair"
    format_version: int = FORMAT_VERSION
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.segmenter not in SEGMENTERS:
            raise ValueError(f"segmenter must be one of {SEGMENTERS}, got {self.segmenter!r}")
        if self.doc_rules not in DOC_RULES:
            raise ValueError(f"doc_rules must be one of {DOC_RULES}, got {self.doc_rules!r}")
        if not self.tags or self.tags[0] != "O":
            raise ValueError("tags must start with 'O'")

    @property
    def labels(self) -> list[str]:
        """Entity labels (PER, TITLE, ...) in first-seen order."""
        return list(dict.fromkeys(t[2:] for t in self.tags if t != "O"))

    def save(self, directory: Path | str) -> None:
        path = Path(directory) / SETTINGS_FILE
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path | str) -> "TaggerSettings":
        path = Path(directory) / SETTINGS_FILE
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported format_version {data.get('format_version')!r}")
        return cls(**data)


def check_model_dir(directory: Path | str) -> Path:
    """Fail early, naming every missing file, rather than deep inside from_pretrained."""
    path = Path(directory)
    if not path.is_dir():
        raise ModelDirError(f"model directory {path} does not exist")
    missing = []
    for name in ("config.json", SETTINGS_FILE):
        if not (path / name).is_file():
            missing.append(name)
    if not any((path / w).is_file() for w in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    if not (path / "tokenizer.json").is_file():
        missing.extend(f for f in TOKENIZER_FILES if not (path / f).is_file())
    if missing:
        raise ModelDirError(
            f"model directory {path} is incomplete: missing {', '.join(missing)} "
            f"(a directory written by polner-train has all of them)"
        )
    return path
