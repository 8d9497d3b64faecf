"""The project's annotation scheme: its labels, in the order of ``annotations/GUIDELINES.md``.

Written once, here. A model does not read it: its labels come from its config
(``data.labels``) and travel in ``polner.json``. What reads it is whatever works on the
project's own annotations by default: the corpus tools (validation, statistics, agreement,
mention lists, pre-annotation, selection), the rule baseline, the benchmarks, and the
office-holder linker, which knows these four labels by meaning.
"""

from __future__ import annotations

LABELS: tuple[str, ...] = ("PER", "TITLE", "ORG", "DOC")
