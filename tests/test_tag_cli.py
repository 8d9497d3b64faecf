"""polner-tag as a user runs it: a subprocess on files and a directory, stdin in-process."""

import json
import subprocess
import sys

import pytest


def run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "inference.tag", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


@pytest.mark.slow  # a polner-tag subprocess (imports torch): CI runs it
def test_files_directories_and_a_bad_file(tmp_path, trained_model_dir):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Bí thư Thành ủy Trần Văn Khải phát biểu.", encoding="utf-8")
    (d / "b.jsonl").write_text(
        json.dumps({"id": "doc-b", "text": "Theo Quyết định 123/QĐ-UBND của UBND tỉnh Quảng Nam."}, ensure_ascii=False)
        + "\n{not json\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    r = run(["--model", str(trained_model_dir), str(d), str(missing)])
    assert r.returncode == 1
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "doc-b"]
    b = lines[1]
    text = "Theo Quyết định 123/QĐ-UBND của UBND tỉnh Quảng Nam."
    assert all(text[e["start"]:e["end"]] == e["text"] for e in b["entities"])
    assert "b.jsonl:2" in r.stderr and str(missing) in r.stderr and "2 input(s) failed" in r.stderr


def test_stdin_and_union_rules(trained_model_dir, monkeypatch, capsys):
    """In-process (the subprocess test above covers the entry point): stdin is read as
    bytes, and with union rules the code is found whoever found it first."""
    import io

    from inference import load_tagger
    from inference.tag import main

    text = "Nghị định 15/2020/NĐ-CP quy định xử phạt."
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    assert main(["--model", str(trained_model_dir), "--doc-rules", "union", "--no-progress", "-"]) == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    docs = [e for e in line["entities"] if e["label"] == "DOC"]
    assert [e["text"] for e in docs] == ["15/2020/NĐ-CP"]
    # the source says who found it: the model exactly ("model"), the model with its edges
    # repaired by the grammar ("model+grammar"), or the grammar alone ("grammar")
    start = text.index("15/2020")
    by_model = [(e.start, e.end) for e in load_tagger(trained_model_dir, doc_rules="off", threads=None).tag(text)
                if e.label == "DOC"]
    expected = ("model" if by_model == [(start, start + 13)]
                else "model+grammar" if any(a < start + 13 and start < b for a, b in by_model) else "grammar")
    assert docs[0]["source"] == expected


def test_missing_model_is_a_clear_error(tmp_path, capsys):
    from inference.tag import main

    assert main(["--model", str(tmp_path / "none"), "-"]) == 2
    err = capsys.readouterr().err
    assert err == f"polner-tag: error: model directory {tmp_path / 'none'} does not exist\n"


# --- bounded inputs (in-process: no model, no torch) -------------------------------------------
def _read_all(sources, max_bytes=1_000, skipped=None):
    from inference.tag import iter_documents

    return [(src, doc_id, str(text)) for src, doc_id, text in iter_documents(sources, "text", max_bytes, skipped)]


def test_fifos_devices_and_big_files_are_refused_with_one_line_each(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block forever
    big = tmp_path / "big.txt"
    big.write_text("x" * 1_001, encoding="utf-8")
    out = _read_all([str(fifo), "/dev/zero", str(big)])
    assert [t for _, _, t in out] == [
        f"{fifo}: is a FIFO (named pipe); pipe it to stdin instead (polner-tag ... - < {fifo})",
        "/dev/zero: is not a regular file (a device or socket); refusing to read it",
        f"{big}: 1,001 bytes is above the limit of 1,000 (--max-bytes)",
    ]


def test_what_a_directory_walk_skips_is_named(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("Ông Ba.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "p.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "sub").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path / "sub")
    skipped: list[str] = []
    out = _read_all([str(tmp_path)], skipped=skipped)
    assert [(doc_id, text) for _, doc_id, text in out] == [("a", "Ông Ba.")]
    assert sorted(skipped) == sorted([
        f"{tmp_path / 'loop'}: a link to a directory (not followed)",
        f"{tmp_path / 'notes.md'}: not .txt or .jsonl",
        f"{tmp_path / 'p.txt'}: not a regular file",
        f"{tmp_path / 'dangling.txt'}: a link that leads nowhere",
    ])
