"""The preprocessing settings a model was trained with, saved beside its weights, and the
checks a model directory passes before anything is loaded from it.

A tagger must preprocess exactly as training did (same segmenter, same window length,
same label set), so these travel with the model in ``polner.json`` rather than living in
code defaults that could drift between the training run and the serving process.

A model directory is data, never code: ``check_model_dir`` refuses one whose
``config.json`` or ``tokenizer_config.json`` names custom code (``auto_map``, or a
``model_type`` transformers does not ship), and checks every file it needs (present,
non-empty, valid JSON, a safetensors file as long as its header says) so that a damaged
or foreign directory gives one ``ModelDirError`` line naming the file, not a traceback
from deep inside transformers. ``check_consistency`` then holds ``polner.json`` to
``config.json`` (the tags are the model's ``id2label`` in order; ``max_length`` fits the
position embeddings).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from inference import iob
from inference.doc_rules import MODES as DOC_RULES
from inference.encode import MAX_PIECES_PER_WORD, WORD_JOINS
from inference.normalize import TONE_STYLES
from inference.segment import SEGMENTERS

SETTINGS_FILE = "polner.json"
FORMAT_VERSION = 1
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
TOKENIZER_FILES = ("vocab.txt", "bpe.codes")
# RoBERTa-style models number positions from padding_idx + 1: two rows are never used
ROBERTA_LIKE = ("roberta", "xlm-roberta", "camembert")
_TAG = re.compile(r"([BI])-(\S+)")


class ModelDirError(FileNotFoundError, ValueError):
    """A model directory that cannot be used: missing, incomplete, damaged, inconsistent or
    naming custom code. The message is one line naming the file and what is wrong."""


def position_limit(model_config: Any) -> int:
    """Subwords per window the model's position embeddings allow, specials included.

    ``model_config`` is a transformers config or the dict of a ``config.json``. RoBERTa-style
    models (PhoBERT, XLM-R) number positions from padding_idx + 1, so two rows are never
    used; BERT-style models (multilingual-e5) use them all."""
    if isinstance(model_config, dict):
        positions, model_type = model_config.get("max_position_embeddings", 512), model_config.get("model_type")
    else:
        positions, model_type = getattr(model_config, "max_position_embeddings", 512), model_config.model_type
    return positions - 2 if model_type in ROBERTA_LIKE else positions


def check_window(max_length: object, window_overlap: object, where: str = "") -> None:
    """``max_length`` and ``window_overlap`` as ``inference.encode.make_windows`` needs them;
    ``where`` prefixes the key names (``preprocessing.``)."""
    for key, value in (("max_length", max_length), ("window_overlap", window_overlap)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{where}{key}: expected an integer, got {value!r}")
    smallest = MAX_PIECES_PER_WORD + 2
    if max_length < smallest:  # type: ignore[operator]
        raise ValueError(f"{where}max_length: expected at least {smallest} (a word may take "
                         f"{MAX_PIECES_PER_WORD} subwords, plus two specials), got {max_length}")
    half = (max_length - 2) // 2  # type: ignore[operator]
    if not 0 <= window_overlap < half:  # type: ignore[operator]
        raise ValueError(f"{where}window_overlap: expected 0 to {half - 1} (below half of the "
                         f"{max_length - 2} subwords a window of max_length {max_length} holds), got {window_overlap}")


def check_tags(tags: object) -> None:
    """``O`` first, then ``B-L``/``I-L`` pairs: every label non-empty, with both its tags."""
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        raise ValueError(f"tags must be a non-empty list of strings, got {tags!r}")
    if tags[0] != "O":
        raise ValueError("tags must start with 'O'")
    if len(set(tags)) != len(tags):
        raise ValueError(f"tags lists a tag twice: {tags}")
    seen: dict[str, set[str]] = {}
    for t in tags[1:]:
        m = _TAG.fullmatch(t)
        if not m:
            raise ValueError(f"tag {t!r} is not an IOB2 tag (B-LABEL or I-LABEL)")
        seen.setdefault(m.group(2), set()).add(m.group(1))
    lonely = [label for label, prefixes in seen.items() if prefixes != {"B", "I"}]
    if lonely:
        raise ValueError(f"label {lonely[0]!r} needs both a B- and an I- tag")


REQUIRED_KEYS = ("tags", "segmenter", "max_length", "window_overlap", "doc_rules", "tone", "word_join")


@dataclass
class TaggerSettings:
    tags: list[str]  # BIO tags in model output order, e.g. ["O", "B-PER", "I-PER", ...]
    segmenter: str = "pyvi"
    max_length: int = 256
    window_overlap: int = 64
    doc_rules: str = "repair"
    # how the tokenizer wants text: PhoBERT's old-style tones and "_"-joined words, or the
    # new style and spaces (XLM-R, multilingual-e5); see inference.normalize / encode
    tone: str = "old"
    word_join: str = "_"
    format_version: int = FORMAT_VERSION
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.segmenter not in SEGMENTERS:
            raise ValueError(f"segmenter must be one of {SEGMENTERS}, got {self.segmenter!r}")
        if self.tone not in TONE_STYLES:
            raise ValueError(f"tone must be one of {TONE_STYLES}, got {self.tone!r}")
        if self.word_join not in WORD_JOINS:
            raise ValueError(f"word_join must be one of {WORD_JOINS}, got {self.word_join!r}")
        if self.doc_rules not in DOC_RULES:
            raise ValueError(f"doc_rules must be one of {DOC_RULES}, got {self.doc_rules!r}")
        check_tags(self.tags)
        check_window(self.max_length, self.window_overlap)
        if not isinstance(self.extra, dict):
            raise ValueError(f"extra must be an object, got {self.extra!r}")

    @property
    def labels(self) -> list[str]:
        """Entity labels (PER, TITLE, ...) in first-seen order."""
        return iob.labels_of(self.tags)

    def save(self, directory: Path | str) -> None:
        path = Path(directory) / SETTINGS_FILE
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path | str) -> "TaggerSettings":
        """Read and check ``polner.json``; any problem is a one-line ``ModelDirError``."""
        path = Path(directory) / SETTINGS_FILE
        data = read_json(path)
        if not isinstance(data, dict):
            raise ModelDirError(f"{path}: expected a JSON object, got {_json_type(data)}")
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ModelDirError(f"{path}: unknown key {unknown[0]!r} (allowed: {', '.join(known)})")
        # every preprocessing choice is required: a default would silently switch a model to
        # another tokenizer family's text (PhoBERT's tones and "_" joins for an e5 model)
        for key in REQUIRED_KEYS:
            if key not in data:
                raise ModelDirError(f"{path}: missing required key {key!r}")
        if data.get("format_version") != FORMAT_VERSION:
            raise ModelDirError(f"{path}: unsupported format_version {data.get('format_version')!r} "
                                f"(this polner reads {FORMAT_VERSION})")
        for key in ("segmenter", "doc_rules", "tone", "word_join"):
            if key in data and not isinstance(data[key], str):
                raise ModelDirError(f"{path}: {key} must be a string, got {data[key]!r}")
        try:
            return cls(**data)
        except ValueError as exc:
            raise ModelDirError(f"{path}: {exc}") from None


def _json_type(value: object) -> str:
    return {list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(type(value), type(value).__name__)


def _nonempty(path: Path) -> None:
    if path.stat().st_size == 0:
        raise ModelDirError(f"{path}: is empty (0 bytes); the model directory is damaged")


def read_json(path: Path) -> object:
    """A JSON file of a model directory; a damaged one is a ModelDirError naming it."""
    _nonempty(path)
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ModelDirError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ModelDirError(f"{path}: not valid JSON ({exc.msg}: line {exc.lineno}, column {exc.colno}); "
                            f"truncated or damaged?") from None


def check_safetensors(path: Path) -> None:
    """The file is as long as its header says (a truncated copy is not), without reading
    the weights: 8 bytes of header length, the JSON header, then the tensor data."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(8)
        n = int.from_bytes(head, "little") if len(head) == 8 else -1
        if n <= 1 or 8 + n > size:
            raise ModelDirError(f"{path}: truncated or not a safetensors file ({size:,} bytes)")
        try:
            header = json.loads(fh.read(n).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ModelDirError(f"{path}: not a safetensors file (its header is not JSON)") from None
    if not isinstance(header, dict):
        raise ModelDirError(f"{path}: not a safetensors file (its header is not a JSON object)")
    try:
        ends = [v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"]
    except (TypeError, KeyError, IndexError):
        raise ModelDirError(f"{path}: not a safetensors file (a tensor entry has no data_offsets)") from None
    if not ends:
        raise ModelDirError(f"{path}: holds no tensors")
    expected = 8 + n + max(ends)
    if size != expected:
        raise ModelDirError(f"{path}: truncated or damaged ({size:,} bytes; its header describes {expected:,})")


def _known_model_types() -> set[str]:
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    return set(CONFIG_MAPPING_NAMES)


def refuse_custom_code(path: Path, data: object) -> None:
    """A config.json or tokenizer_config.json that names custom code (auto_map) is refused."""
    if isinstance(data, dict) and "auto_map" in data:
        raise ModelDirError(f"{path}: names custom code (auto_map); polner never runs code from a model directory")


def set_aside_path(model_dir: Path) -> Path:
    """Where ``polner-train --overwrite`` moves the previous model while it swaps the new one
    in (``training.train.publish``); a run killed between the renames leaves it there."""
    return model_dir.parent / f".{model_dir.name}.old"


def check_model_dir(directory: Path | str) -> Path:
    """Fail early, naming the missing or damaged file, rather than deep inside from_pretrained.
    Reads no weights: JSON files are parsed, a safetensors file is checked against its header."""
    path = Path(directory)
    if not path.is_dir():
        old = set_aside_path(path)
        if old.is_dir():
            raise ModelDirError(f"model directory {path} does not exist; a polner-train run replacing it was cut "
                                f"short: the previous model is at {old} (the next polner-train run restores it)")
        raise ModelDirError(f"model directory {path} does not exist")
    missing = []
    for name in ("config.json", SETTINGS_FILE):
        if not (path / name).is_file():
            missing.append(name)
    if not any((path / w).is_file() for w in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    fast = (path / "tokenizer.json").is_file()
    if not fast:
        missing.extend(f for f in TOKENIZER_FILES if not (path / f).is_file())
    if missing:
        raise ModelDirError(
            f"model directory {path} is incomplete: missing {', '.join(missing)} "
            f"(a directory written by polner-train has all of them)"
        )
    config_file = path / "config.json"
    config = read_json(config_file)
    if not isinstance(config, dict):
        raise ModelDirError(f"{config_file}: expected a JSON object, got {_json_type(config)}")
    refuse_custom_code(config_file, config)
    model_type = config.get("model_type")
    if not isinstance(model_type, str) or model_type not in _known_model_types():
        raise ModelDirError(f"{config_file}: model_type {model_type!r} is not a model type transformers ships; "
                            f"polner never runs code from a model directory")
    tok_config = path / "tokenizer_config.json"
    if tok_config.is_file():
        data = read_json(tok_config)
        if not isinstance(data, dict):
            raise ModelDirError(f"{tok_config}: expected a JSON object, got {_json_type(data)}")
        refuse_custom_code(tok_config, data)
    if fast:
        read_json(path / "tokenizer.json")
    else:
        for name in TOKENIZER_FILES:
            _nonempty(path / name)
    if (path / "model.safetensors").is_file():
        _nonempty(path / "model.safetensors")
        check_safetensors(path / "model.safetensors")
    else:
        _nonempty(path / "pytorch_model.bin")
    return path


def check_consistency(directory: Path | str, settings: TaggerSettings) -> dict:
    """``polner.json`` against ``config.json``: the tags are ``id2label`` in order (a config
    with transformers' default names, ``LABEL_0``..., can only be held to their number), and
    ``max_length`` fits the model's positions. Returns the parsed ``config.json``."""
    path = Path(directory)
    config = read_json(path / "config.json")
    assert isinstance(config, dict)  # check_model_dir ran first
    settings_file = path / SETTINGS_FILE
    raw = config.get("id2label")
    if raw is not None:  # without it transformers sizes the head by num_labels; load_tagger counts the outputs
        try:
            id2label = [raw[k] for k in sorted(raw, key=int)] if isinstance(raw, dict) else None
            if id2label is not None and sorted(int(k) for k in raw) != list(range(len(raw))):
                id2label = None
        except (TypeError, ValueError):
            id2label = None
        if id2label is None:
            raise ModelDirError(f"{path / 'config.json'}: id2label is not a mapping numbered 0..n-1")
        unnamed = all(label == f"LABEL_{i}" for i, label in enumerate(id2label))  # transformers' default names
        if unnamed and len(id2label) != len(settings.tags):
            raise ModelDirError(f"{settings_file}: {len(settings.tags)} tags, but config.json gives the model "
                                f"{len(id2label)} outputs; the two files do not belong to the same model")
        if not unnamed and id2label != settings.tags:
            raise ModelDirError(f"{settings_file}: tags {settings.tags} differ from config.json's id2label "
                                f"{id2label}; the two files do not belong to the same model")
    positions = config.get("max_position_embeddings", 512)
    if not isinstance(positions, int) or isinstance(positions, bool):
        raise ModelDirError(f"{path / 'config.json'}: max_position_embeddings must be an integer, got {positions!r}")
    limit = position_limit(config)
    if settings.max_length > limit:
        raise ModelDirError(f"{settings_file}: max_length {settings.max_length} exceeds the {limit} subwords "
                            f"the model's positions allow (config.json: max_position_embeddings {positions})")
    return config


def normal_permissions(directory: Path | str) -> None:
    """Files 0666 and directories 0777, less the umask (0644/0755 with the usual umask), for
    everything under ``directory``: some writers (safetensors) create their files 0600."""
    mask = os.umask(0)
    os.umask(mask)
    root = Path(directory)
    os.chmod(root, 0o777 & ~mask)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            os.chmod(Path(dirpath) / d, 0o777 & ~mask)
        for f in filenames:
            p = Path(dirpath) / f
            if not p.is_symlink():
                os.chmod(p, 0o666 & ~mask)
