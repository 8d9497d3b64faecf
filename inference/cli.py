"""How every command of the project refuses a run: one line, ``PROG: error: MESSAGE``, on
stderr, and exit status 2 (argparse's own status for a bad command line)."""

from __future__ import annotations

import sys


def error(prog: str, problem: BaseException | str) -> int:
    """Print the one-line refusal and return the exit status for ``main`` to return."""
    print(f"{prog}: error: {problem}", file=sys.stderr)
    return 2
