"""polner-tag as a user runs it: a subprocess on files, a directory and stdin."""

import json
import subprocess
import sys


def run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "inference.tag", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


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


def test_stdin_and_union_rules(trained_model_dir):
    text = "Nghị định 15/2020/NĐ-CP quy định xử phạt."
    r = run(["--model", str(trained_model_dir), "--doc-rules", "union", "-"], stdin=text)
    assert r.returncode == 0, r.stderr
    (line,) = [json.loads(x) for x in r.stdout.splitlines()]
    docs = [e for e in line["entities"] if e["label"] == "DOC"]
    assert [e["text"] for e in docs] == ["15/2020/NĐ-CP"]
    assert docs[0]["source"] in {"model", "model+grammar", "grammar"}


def test_missing_model_is_a_clear_error(tmp_path):
    r = run(["--model", str(tmp_path / "none")], stdin="x")
    assert r.returncode == 2 and "does not exist" in r.stderr
