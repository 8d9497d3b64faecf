"""The shipped corpus passes its validator; the annotation tools catch and name problems."""

import json
import re

import pytest

from training.corpus.mentions import align_mentions
from training.corpus.select_v2 import read_v1_split
from training.corpus.split import deal
from training.corpus.validate import id_hash, load_reserved, validate_files
from inference.records import DataError, read_documents
from tests.conftest import ROOT

CORPUS = sorted((ROOT / "annotations" / "data").glob("*.jsonl"))


def test_the_shipped_corpus_is_valid():
    assert CORPUS, "annotations/data/*.jsonl is missing"
    problems = validate_files(CORPUS, reserved=load_reserved(ROOT / "annotations" / "RESERVED_IDS.sha256"))
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_the_v1_split_names_the_v1_records_of_each_split():
    """What the v2 selection excludes as v1 (a rerun must pick the same records)."""
    v1 = {split: set(ids) for split, ids in read_v1_split(ROOT).items()}
    shipped = {path.stem: {d.id for d in read_documents(path) if d.meta.get("corpus") == "v1"}
               for path in CORPUS if path.stem in v1}
    assert sum(map(len, v1.values())) == 150
    assert v1 == shipped


def test_corpus_splits_are_disjoint_and_have_every_label():
    ids = {}
    for path in CORPUS:
        docs = read_documents(path)
        labels = {s.label for d in docs for s in d.spans}
        assert labels == {"PER", "TITLE", "ORG", "DOC"}, path
        for d in docs:
            assert d.id not in ids, f"{d.id} in {path} and {ids[d.id]}"
            ids[d.id] = path


def write(tmp_path, records):
    p = tmp_path / "c.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return p


def test_validator_names_file_line_and_id(tmp_path):
    text = "Ông Trần Văn An, Bí thư Tỉnh ủy."
    p = write(tmp_path, [
        {"id": "a", "text": text, "spans": [{"start": 4, "end": 15, "label": "PER"}]},
        {"id": "a", "text": text, "spans": [{"start": 3, "end": 15, "label": "PER"}]},
        {"id": "c", "text": text, "spans": [{"start": 4, "end": 15, "label": "PER"}, {"start": 13, "end": 31, "label": "TITLE"}]},
        {"id": "d", "text": text, "spans": [{"start": 4, "end": 99, "label": "PER"}, {"start": 17, "end": 31, "label": "LOC"}]},
        {"id": "held_out_001", "text": text, "spans": []},
    ])
    msgs = [str(x) for x in validate_files([p], reserved={"held_out_001"})]
    assert any(m.startswith(f"{p}:2 (id=a): duplicate id") for m in msgs)
    assert any(f"{p}:2 (id=a): span 3:15 PER" in m and "space or punctuation" in m for m in msgs)
    assert any(f"{p}:3 (id=c): span 13:31 TITLE overlaps" in m for m in msgs)
    assert any(f"{p}:4 (id=d): span 4:99 PER: offsets out of range" in m for m in msgs)
    assert any(f"{p}:4 (id=d): span 17:31 LOC: label not in " in m for m in msgs)
    assert any(f"{p}:5 (id=held_out_001): article is reserved" in m for m in msgs)
    assert len(msgs) == 6


def test_reserved_ids_load_from_ids_or_their_hashes(tmp_path):
    """The shipped list holds hashes only; a user's RESERVED.txt holds plain ids. Both work."""
    plain = tmp_path / "RESERVED.txt"
    plain.write_text("# reserved\nheld_out_001\n", encoding="utf-8")
    hashed = tmp_path / "RESERVED.sha256"
    hashed.write_text(f"# hashes\n{id_hash('held_out_001')}\n", encoding="utf-8")
    for path in (plain, hashed):
        reserved = load_reserved(path)
        assert "held_out_001" in reserved and "held_out_002" not in reserved and len(reserved) == 1
    shipped = ROOT / "annotations" / "RESERVED_IDS.sha256"
    entries = [ln for ln in shipped.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert len(entries) == len(load_reserved(shipped)) == 12
    assert all(re.fullmatch(r"[0-9a-f]{64}", ln) for ln in entries)  # hashes, never ids


def test_mentions_are_placed_in_reading_order():
    text = "Quốc hội họp. Chủ tịch Quốc hội phát biểu tại Quốc hội."
    spans = align_mentions(text, ["ORG\tQuốc hội", "TITLE\tChủ tịch Quốc hội", "ORG\tQuốc hội"], "t.ann")
    assert [(text[s.start:s.end], s.label) for s in spans] == [
        ("Quốc hội", "ORG"), ("Chủ tịch Quốc hội", "TITLE"), ("Quốc hội", "ORG")]
    assert spans[2].start == text.rindex("Quốc hội")


def test_skip_and_whole_word_matching():
    text = "Trung ương và địa phương; Trung ương quyết định. Anh An ở Long An."
    spans = align_mentions(text, ["SKIP\tTrung ương", "ORG\tTrung ương", "PER\tAn"], "t.ann")
    assert [(s.start, text[s.start:s.end]) for s in spans] == [(26, "Trung ương"), (text.index(" An ") + 1, "An")]


def test_unplaceable_mention_names_file_and_line():
    with pytest.raises(DataError, match=r"t.ann:2: PER 'Lê Văn B' not found"):
        align_mentions("Ông Lê Văn A.", ["PER\tLê Văn A", "PER\tLê Văn B"], "t.ann")


def test_split_is_reproducible_and_stratified():
    docs = [d for p in CORPUS for d in read_documents(p)]
    a, b = deal(docs, 13, (0.7, 0.15, 0.15)), deal(docs, 13, (0.7, 0.15, 0.15))
    assert {k: [d.id for d in v] for k, v in a.items()} == {k: [d.id for d in v] for k, v in b.items()}
    doc_counts = {k: sum(s.label == "DOC" for d in v for s in d.spans) for k, v in a.items()}
    total = sum(doc_counts.values())
    assert doc_counts["dev"] >= 0.1 * total and doc_counts["test"] >= 0.1 * total
