"""Score the office-holder linker (``inference.holders``) against gold links.

Gold links (``annotations/links/{dev,test}.jsonl``, one line per article of the split):
``{"id": ..., "links": [{"person": [s, e], "title": [s, e], "body": [s, e] | null}]}``;
``person`` and ``title`` are a gold PER and a gold TITLE span of that article, ``body`` a
gold ORG span when the text attaches the body outside the TITLE (else null). See
``annotations/links/README.md`` for what counts as a link.

A predicted pair is correct when its person span and title span both equal a gold pair's.
Body accuracy is measured on the correct pairs only, on the *explicit* body: the ORG span
of a ``following_org`` body, else None (a body inside the title, a body taken from the
document and no body all count as None, since gold bodies are ORGs in the sentence); the
number of document-filled bodies is reported beside it.

Two modes:

- on gold entities (``score_gold_entities``): the linker runs over the gold spans, which
  measures the linker alone;
- on predicted entities (``score_predicted_entities``): any entities per document (a
  model's ``tag()`` output), which measures tagger and linker together.

    python -m training.links --split dev            # gold-entity scores
    python -m training.links --split dev --errors   # and every missed / spurious pair
    python -m training.links --check                # validate the gold link files
    python -m training.links --corpus v2            # only the articles whose meta.corpus is v2
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from inference.holders import EntityLike, Holder, find_holders
from inference.records import DataError, Document, iter_jsonl, read_documents

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "annotations" / "data"
LINKS_DIR = ROOT / "annotations" / "links"
SPLITS = ("dev", "test")

Span = tuple[int, int]


@dataclass(frozen=True)
class GoldLink:
    person: Span
    title: Span
    body: Span | None


@dataclass(frozen=True)
class GoldEntity:
    """A gold span with its text, as ``find_holders`` wants it."""

    text: str
    label: str
    start: int
    end: int


def _span(value, where: str) -> Span:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise DataError(f"{where}: expected [start, end], got {value!r}")
    return value[0], value[1]


def read_links(path: Path | str) -> dict[str, list[GoldLink]]:
    """Read a gold link file into {article id: links}; malformed lines are errors."""
    out: dict[str, list[GoldLink]] = {}
    for line_no, obj in iter_jsonl(path):
        where = f"{path}:{line_no}"
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("links"), list):
            raise DataError(f"{where}: expected {{\"id\": str, \"links\": [...]}}")
        if obj["id"] in out:
            raise DataError(f"{where}: duplicate id {obj['id']!r}")
        links = []
        for k, link in enumerate(obj["links"]):
            w = f"{where} (id={obj['id']!r}) links[{k}]"
            if not isinstance(link, dict) or not {"person", "title"} <= link.keys():
                raise DataError(f"{w}: expected person, title and body")
            body = link.get("body")
            links.append(
                GoldLink(_span(link["person"], w), _span(link["title"], w), None if body is None else _span(body, w))
            )
        out[obj["id"]] = links
    return out


def check_links(links: Mapping[str, list[GoldLink]], docs: Sequence[Document]) -> list[str]:
    """Every problem with a link file against its articles (empty list: valid).

    Every article has a line and every line an article; ``person`` is a gold PER span,
    ``title`` a gold TITLE span and ``body`` a gold ORG span of that article; person and
    title lie in one sentence; no pair is listed twice. (A title may have several holders:
    ``đổi Chủ tịch HĐQT ... từ ông A sang bà B`` names successive ones.)
    """
    from inference.segment import split_sentences

    problems: list[str] = []
    by_id = {d.id: d for d in docs}
    for missing in sorted(by_id.keys() - links.keys()):
        problems.append(f"{missing}: article has no line in the link file")
    for extra in sorted(links.keys() - by_id.keys()):
        problems.append(f"{extra}: no such article in the split")
    for doc_id, doc_links in links.items():
        doc = by_id.get(doc_id)
        if doc is None:
            continue
        labelled = {(s.start, s.end): s.label for s in doc.spans}
        sents = split_sentences(doc.text, sorted(labelled))
        seen_pairs: set = set()
        for k, link in enumerate(doc_links):
            where = f"{doc_id} links[{k}]"
            for role, span, label in (("person", link.person, "PER"), ("title", link.title, "TITLE"), ("body", link.body, "ORG")):
                if span is None:
                    continue
                if labelled.get(span) != label:
                    got = labelled.get(span)
                    problems.append(
                        f"{where}: {role} {list(span)} {doc.text[span[0]:span[1]]!r} is "
                        + (f"a {got} span, not {label}" if got else f"not a gold span (expected {label})")
                    )
            same = [i for i, (a, b) in enumerate(sents) if a <= link.person[0] < b and a <= link.title[0] < b]
            if not same:
                problems.append(f"{where}: person and title are in different sentences")
            if (link.person, link.title) in seen_pairs:
                problems.append(f"{where}: pair listed twice")
            seen_pairs.add((link.person, link.title))
    return problems


def gold_entities(doc: Document) -> list[GoldEntity]:
    return [GoldEntity(doc.text[s.start : s.end], s.label, s.start, s.end) for s in sorted(doc.spans)]


def _explicit_body(h: Holder) -> Span | None:
    return tuple(h.body_span) if h.body_source == "following_org" and h.body_span else None


def score_holders(
    predicted: Mapping[str, Sequence[Holder]], gold: Mapping[str, Sequence[GoldLink]]
) -> dict:
    """Pair precision/recall/F1 of predicted records against gold links, and body accuracy.

    ``predicted`` maps article id to its records (records without a person are ignored;
    a pair predicted twice counts once); articles missing from ``predicted`` count as
    predicting nothing. Also returns the missed and spurious pairs, for error analysis.
    """
    tp = fp = fn = 0
    body_ok = body_total = document_bodies = 0
    missed, spurious = [], []
    for doc_id in sorted(set(gold) | set(predicted)):
        g = {(l.person, l.title): l for l in gold.get(doc_id, ())}
        p: dict[tuple[Span, Span], Holder] = {}
        for h in predicted.get(doc_id, ()):
            if h.person_span is None:
                continue
            p.setdefault((tuple(h.person_span), tuple(h.title_span)), h)
        for pair in g.keys() & p.keys():
            tp += 1
            body_total += 1
            body_ok += _explicit_body(p[pair]) == g[pair].body
            document_bodies += p[pair].body_source == "document"
        fp += len(p.keys() - g.keys())
        fn += len(g.keys() - p.keys())
        missed += [(doc_id, pair) for pair in sorted(g.keys() - p.keys())]
        spurious += [(doc_id, pair, p[pair].evidence) for pair in sorted(p.keys() - g.keys())]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "gold": tp + fn,
        "predicted": tp + fp,
        "body_accuracy": body_ok / body_total if body_total else 0.0,
        "body_correct": body_ok,
        "document_bodies": document_bodies,
        "missed": missed,
        "spurious": spurious,
    }


def score_predicted_entities(
    docs: Sequence[Document],
    entities: Mapping[str, Iterable[EntityLike]],
    gold: Mapping[str, Sequence[GoldLink]],
) -> dict:
    """Link each article's given entities (e.g. a model's output, offsets into the
    article's text) and score the pairs against the gold links."""
    predicted = {d.id: find_holders(d.text, list(entities.get(d.id, ()))) for d in docs}
    return score_holders(predicted, gold)


def score_gold_entities(docs: Sequence[Document], gold: Mapping[str, Sequence[GoldLink]]) -> dict:
    """Link each article's gold entities and score: the linker alone."""
    return score_predicted_entities(docs, {d.id: gold_entities(d) for d in docs}, gold)


def load_split(split: str, data_dir: Path = DATA_DIR, links_dir: Path = LINKS_DIR):
    """The split's articles and their gold links. Train is linked only for a sample of its
    articles (a check the linker was never tuned on): only those are returned."""
    docs = read_documents(Path(data_dir) / f"{split}.jsonl")
    gold = read_links(Path(links_dir) / f"{split}.jsonl")
    if split == "train":
        docs = [d for d in docs if d.id in gold]
    return docs, gold


def select_corpus(
    docs: Sequence[Document], gold: Mapping[str, Sequence[GoldLink]], corpus: str | None
) -> tuple[list[Document], dict[str, Sequence[GoldLink]]]:
    """The articles whose ``meta["corpus"]`` is ``corpus`` (all when None) and their links."""
    if corpus is None:
        return list(docs), dict(gold)
    kept = [d for d in docs if d.meta.get("corpus") == corpus]
    ids = {d.id for d in kept}
    return kept, {k: v for k, v in gold.items() if k in ids}


def _describe(doc: Document, pair) -> str:
    (ps, pe), (ts, te) = pair
    return f"PER {doc.text[ps:pe]!r} @{ps} / TITLE {doc.text[ts:te]!r} @{ts}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=(*SPLITS, "train"), action="append",
                    help="split(s) to score (default: dev and test; train: the sampled articles)")
    ap.add_argument("--data-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--links-dir", type=Path, default=LINKS_DIR)
    ap.add_argument("--errors", action="store_true", help="list missed and spurious pairs")
    ap.add_argument("--check", action="store_true", help="only validate the gold link files")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--corpus", help="only the articles whose meta.corpus is this (e.g. v1, v2)")
    args = ap.parse_args(argv)
    splits = args.split or list(SPLITS)
    status = 0
    for split in splits:
        docs, gold = select_corpus(*load_split(split, args.data_dir, args.links_dir), args.corpus)
        name = f"{split} [{args.corpus}]" if args.corpus else split
        if not docs:
            status = 1
            print(f"{name}: no articles", file=sys.stderr)
            continue
        problems = check_links(gold, docs)
        if problems:
            status = 1
            print(f"{name}: {len(problems)} problem(s) in the gold links", file=sys.stderr)
            for p in problems:
                print(f"  {p}", file=sys.stderr)
            continue
        if args.check:
            print(f"{name}: {sum(map(len, gold.values()))} links in {len(gold)} articles, all valid")
            continue
        s = score_gold_entities(docs, gold)
        if args.json:
            print(json.dumps({"split": split, "corpus": args.corpus, **{k: v for k, v in s.items() if k not in ("missed", "spurious")}}))
        else:
            print(
                f"{name} (gold entities): P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
                f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']}; {s['gold']} gold links)  "
                f"body accuracy {s['body_accuracy']:.3f} ({s['body_correct']}/{s['tp']}; "
                f"{s['document_bodies']} filled from the document)"
            )
        if args.errors:
            by_id = {d.id: d for d in docs}
            for doc_id, pair in s["missed"]:
                print(f"  missed   {doc_id}: {_describe(by_id[doc_id], pair)}")
            for doc_id, pair, evidence in s["spurious"]:
                print(f"  spurious {doc_id}: {_describe(by_id[doc_id], pair)} [{evidence}]")
    return status


if __name__ == "__main__":
    sys.exit(main())
