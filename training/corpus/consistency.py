"""List surface strings the corpus labels inconsistently, for review.

    python -m training.corpus.consistency annotations/batches/*.jsonl [--min-count 2]

Two kinds of rows: a string given different labels in different places (``ORG`` 12 times,
``TITLE`` 3 times), and a string labelled somewhere but left unlabelled elsewhere at a
whole-word occurrence that no span covers (a likely miss, or a deliberate exclusion to
confirm). Each row gives where the minority cases are, so a reviewer can jump to them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from training.corpus.mentions import find_whole
from inference.records import read_documents


def report(paths: list[Path], min_count: int = 2, max_where: int = 6) -> list[str]:
    docs = [d for p in paths for d in read_documents(p)]
    labels: dict[str, Counter] = defaultdict(Counter)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in docs:
        for s in d.spans:
            surface = d.text[s.start : s.end]
            labels[surface][s.label] += 1
            where[(surface, s.label)].append(f"{d.id}@{s.start}")
    rows = []
    for surface, c in sorted(labels.items(), key=lambda kv: -sum(kv[1].values())):
        if len(c) > 1 and sum(c.values()) >= min_count:
            major = c.most_common(1)[0][0]
            minority = [f"{lab}: {', '.join(where[(surface, lab)][:max_where])}" for lab in c if lab != major]
            rows.append(f"LABELS\t{surface}\t{dict(c)}\t{' | '.join(minority)}")
    for surface, c in sorted(labels.items(), key=lambda kv: -sum(kv[1].values())):
        if sum(c.values()) < min_count:
            continue
        misses = []
        for d in docs:
            covered = [(s.start, s.end) for s in d.spans]
            pos = find_whole(d.text, surface, 0)
            while pos != -1:
                if not any(a <= pos and pos + len(surface) <= b for a, b in covered):
                    misses.append(f"{d.id}@{pos}")
                pos = find_whole(d.text, surface, pos + 1)
        if misses:
            rows.append(f"UNLABELLED\t{surface}\t{dict(c)}\t{len(misses)} time(s): {', '.join(misses[:max_where])}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args(argv)
    rows = report(args.files, args.min_count)
    for r in rows:
        print(r)
    print(f"{len(rows)} row(s) to review", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
