"""Stand-off annotations round-trip through strip and materialise, and refuse a changed text."""

import json

import pytest

from training.corpus.validate import load_reserved
from training.corpus.standoff import main, materialise, read_standoff, to_standoff
from inference.spans import Span
from inference.records import DataError, Document, read_documents
from tests.conftest import ROOT


def raw(i, body):
    return {"id": f"art{i}", "title": f"Tiêu đề {i}", "text": body}


def full(i, body, spans):
    text = f"Tiêu đề {i}\n{body}"
    return Document(f"art{i}", text, [Span(*s) for s in spans], {"source_id": f"art{i}"})


def test_round_trip(tmp_path):
    body = "Ông Trần Văn An ký Nghị quyết 18-NQ/TW."
    doc = full(1, body, [(len("Tiêu đề 1\n") + 4, len("Tiêu đề 1\n") + 15, "PER")])
    so = to_standoff(doc)
    assert "text" not in so and so["text_length"] == len(doc.text)
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps(raw(1, body), ensure_ascii=False) + "\n", encoding="utf-8")
    (back,) = materialise([so], news, "so.jsonl")
    assert back.text == doc.text and back.spans == doc.spans and back.text[back.spans[0].start:back.spans[0].end] == "Trần Văn An"


def test_a_changed_source_text_is_refused(tmp_path):
    doc = full(1, "Văn bản gốc.", [])
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps(raw(1, "Văn bản đã sửa.")) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"so.jsonl \(id='art1'\): the text of 'art1'.*differs"):
        materialise([to_standoff(doc)], news, "so.jsonl")


def test_a_missing_article_is_named(tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="article 'art1' is not in"):
        materialise([to_standoff(full(1, "x", []))], news, "so.jsonl")


def test_strip_then_materialise_with_the_shipped_corpus(tmp_path):
    bodies = {i: f"Bí thư Tỉnh ủy Nguyễn Văn {chr(65 + i)} ký văn bản 1{i}/QĐ-UBND." for i in range(8)}
    docs = []
    for i, body in bodies.items():
        head = len(f"Tiêu đề {i}\n")
        code = body.index("1")
        docs.append(full(i, body, [(head, head + 14, "TITLE"), (head + code, head + len(body) - 1, "DOC")]))
    src = tmp_path / "full.jsonl"
    src.write_text("".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    news = tmp_path / "news.jsonl"
    news.write_text("".join(json.dumps(raw(i, b), ensure_ascii=False) + "\n" for i, b in bodies.items()), encoding="utf-8")
    assert main(["strip", str(src), "--out", str(tmp_path / "so"), "--reserved", str(tmp_path / "none")]) == 0
    assert main(["materialise", "--raw-news", str(news), "--standoff", str(tmp_path / "so"), "--out", str(tmp_path / "ext")]) == 0
    back = [d for s in ("train", "dev", "test") for d in read_documents(tmp_path / "ext" / f"{s}.jsonl")]
    assert sorted(d.id for d in back) == [d.id for d in docs]
    assert all(d.text[s.start:s.end].endswith("/QĐ-UBND") for d in back for s in d.spans if s.label == "DOC")


def test_shipped_standoff_files_hold_no_text():
    folder = ROOT / "annotations" / "standoff"
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        pytest.skip("no stand-off annotations shipped")
    reserved = load_reserved(ROOT / "annotations" / "RESERVED_IDS.sha256")
    shipped = {d.id for s in ("train", "dev", "test") for d in read_documents(ROOT / "annotations" / "data" / f"{s}.jsonl")}
    ids = []
    for f in files:
        assert "\"text\":" not in f.read_text(encoding="utf-8")
        records = read_standoff(f)  # well-formed: spans in range, no overlaps
        assert records
        for r in records:
            ids.append(r["id"])
            assert {s["label"] for s in r["spans"]} <= {"PER", "TITLE", "ORG", "DOC"}, r["id"]
            assert r["meta"].get("source_id", r["id"]) not in reserved, r["id"]
    assert len(ids) == len(set(ids)) and not set(ids) & shipped


def test_a_missing_raw_news_file_is_one_line_naming_the_tool(tmp_path, capsys):
    missing = tmp_path / "political_news.jsonl"
    code = main(["materialise", "--raw-news", str(missing), "--standoff", str(tmp_path / "so"), "--out", str(tmp_path / "x")])
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and line == f"standoff: error: {missing} not found: give the path of your copy of political_news.jsonl"
