"""Corpus statistics per split, as a Markdown table, optionally written into a README.

    python -m training.corpus.stats annotations/data [--readme annotations/README.md]

Counts per split (one ``*.jsonl`` file each; train, dev, test first) and in total:
articles, sentences (``inference.segment.split_sentences`` on the ``inference.normalize``
text, the splitter the model's preprocessing uses), characters of the original text and
spans per label. With ``--readme`` the table replaces whatever lies between the markers
``<!-- stats:start -->`` and ``<!-- stats:end -->``; nothing outside them is touched, so the
numbers in the README are always the ones this command prints.

A second table says how much of each held-out split the training split never shows: the
share of word tokens, of the words inside entities, and of word types (words as the model
sees them: normalised, pyvi-segmented, cut at entity edges) that do not occur in train. It
is the first thing to look at when a model does well on dev and badly on new articles.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from inference.cli import error
from inference.normalize import normalize
from inference.segment import split_sentences
from training.data import load_examples
from inference.preprocess import Preprocessor
from inference.records import DataError, Document, read_documents
from inference.scheme import LABELS

START_MARKER = "<!-- stats:start -->"
END_MARKER = "<!-- stats:end -->"
_SPLIT_ORDER = ("train", "dev", "test")


@dataclass
class SplitStats:
    name: str
    articles: int = 0
    sentences: int = 0
    characters: int = 0
    spans: Counter = field(default_factory=Counter)

    def add(self, other: "SplitStats") -> None:
        self.articles += other.articles
        self.sentences += other.sentences
        self.characters += other.characters
        self.spans.update(other.spans)


def document_stats(docs: Sequence[Document], name: str) -> SplitStats:
    st = SplitStats(name)
    for d in docs:
        st.articles += 1
        st.sentences += len(split_sentences(normalize(d.text).text))
        st.characters += len(d.text)
        st.spans.update(s.label for s in d.spans)
    return st


def split_files(directory: Path) -> list[Path]:
    files = sorted(directory.glob("*.jsonl"), key=lambda p: (
        _SPLIT_ORDER.index(p.stem) if p.stem in _SPLIT_ORDER else len(_SPLIT_ORDER), p.stem))
    if not files:
        raise DataError(f"{directory}: no *.jsonl files")
    return files


def corpus_stats(directory: Path) -> list[SplitStats]:
    """Stats of every split file in ``directory``, then a ``total`` row."""
    rows = [document_stats(read_documents(p), p.stem) for p in split_files(directory)]
    total = SplitStats("total")
    for r in rows:
        total.add(r)
    return rows + [total]


def markdown_table(rows: Sequence[SplitStats]) -> str:
    labels = list(LABELS) + sorted({lab for r in rows for lab in r.spans} - set(LABELS))
    head = ["split", "articles", "sentences", "characters"] + labels + ["spans"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for r in rows:
        cells = [r.name, r.articles, r.sentences, r.characters] + [r.spans.get(lab, 0) for lab in labels]
        cells.append(sum(r.spans.values()))
        name = f"**{r.name}**" if r.name == "total" else r.name
        lines.append("| " + " | ".join([name] + [f"{c:,}" if isinstance(c, int) else c for c in cells[1:]]) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Unseen:
    name: str
    tokens: float  # share of word tokens whose form never occurs in train
    entity_tokens: float  # the same, over words inside gold entities
    types: float  # share of distinct word forms never seen in train


def unseen_in_train(directory: Path, segmenter: str = "pyvi") -> list[Unseen]:
    """For every split but train: how much of it the training split never shows."""
    files = {p.stem: p for p in split_files(directory)}
    if "train" not in files:
        raise DataError(f"{directory}: no train.jsonl to compare against")
    labels = sorted({s.label for p in files.values() for d in read_documents(p) for s in d.spans})

    pre = Preprocessor(segmenter)

    def words(path: Path) -> list[tuple[str, str]]:
        return [(f, t) for ex in load_examples(path, "jsonl", labels, pre) for f, t in zip(ex.forms, ex.tags)]

    seen = {f for f, _ in words(files["train"])}
    out = []
    for name, path in files.items():
        if name == "train":
            continue
        toks = words(path)
        ent = [f for f, t in toks if t != "O"]
        types = {f for f, _ in toks}

        def share(forms) -> float:
            forms = list(forms)
            return sum(f not in seen for f in forms) / len(forms) if forms else 0.0

        out.append(Unseen(name, share(f for f, _ in toks), share(ent), share(types)))
    return out


def unseen_table(rows: Sequence[Unseen]) -> str:
    lines = ["| split | word tokens not in train | words inside entities not in train | word types not in train |",
             "|---|---:|---:|---:|"]
    lines += [f"| {r.name} | {r.tokens:.1%} | {r.entity_tokens:.1%} | {r.types:.1%} |" for r in rows]
    return "\n".join(lines)


def rewrite_block(readme: Path, block: str) -> None:
    """Replace the text between the stats markers of ``readme`` with ``block``."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < 0 or end < start:
        raise DataError(f"{readme}: needs the markers {START_MARKER} and {END_MARKER} (in that order)")
    if text.count(START_MARKER) != 1 or text.count(END_MARKER) != 1:
        raise DataError(f"{readme}: the stats markers must occur exactly once each")
    new = text[: start + len(START_MARKER)] + "\n" + block.strip("\n") + "\n" + text[end:]
    readme.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.corpus.stats", description=__doc__.split("\n")[0])
    ap.add_argument("directory", type=Path, help="directory of split files (train.jsonl, dev.jsonl, test.jsonl)")
    ap.add_argument("--readme", type=Path, help="rewrite the stats block of this Markdown file")
    args = ap.parse_args(argv)
    try:
        table = markdown_table(corpus_stats(args.directory))
        if (args.directory / "train.jsonl").is_file():
            table += "\n\n" + unseen_table(unseen_in_train(args.directory))
        print(table)
        if args.readme:
            note = (f"Generated by `python -m training.corpus.stats {args.directory.as_posix()} "
                    f"--readme {args.readme.as_posix()}`; sentences as split by the model's preprocessing, "
                    "words as it segments them (pyvi).")
            rewrite_block(args.readme, f"{table}\n\n{note}")
            print(f"\nupdated the stats block of {args.readme}")
    except (DataError, OSError) as exc:
        return error("stats", exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
