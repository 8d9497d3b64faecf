"""Where a run writes, checked before it does any work.

A typo'd output path (a file in the way, ``/dev/null/x``, a read-only parent) used to be
found after minutes of training or evaluation, as a traceback. Both CLIs check here first.
"""

from __future__ import annotations

import os
from pathlib import Path


def writable_directory(path: Path, what: str, error: type[Exception], *, create_parent_only: bool = False) -> None:
    """Raise ``error`` naming ``what`` (the option or config key) unless ``path`` is, or can
    become, a writable directory. Creates it, or only its parent when the run assembles the
    directory elsewhere and renames it into place (``polner-train``)."""
    if path.exists() and not path.is_dir():
        raise error(f"{what}: {path} exists and is not a directory")
    target = path.parent if create_parent_only else path
    existing = next((p for p in (target, *target.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():  # e.g. /dev/null/x: no mkdir can help
        raise error(f"{what}: cannot create {target}: {existing} is not a directory")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"{what}: cannot create {target} ({exc.strerror or exc})") from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise error(f"{what}: {target} is not writable")
