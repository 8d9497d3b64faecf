"""training.evaluate: the report page (what it says, for documents and for pre-tokenised
sentences), where it is written, and the CLI's checks before any work."""

import json

import pytest

from inference.records import DataError
from training.baselines.rules import RulesTagger
from training.evaluate import evaluate_file, format_markdown, main, model_info, write_report
from training.paths import writable_directory


def test_a_new_report_replaces_the_old_pair_and_clears_stray_temporary_files(tmp_path):
    data = tmp_path / "d.jsonl"
    text = "Thủ tướng Phạm Minh Chính ký Quyết định số 15/2020/QĐ-TTg."
    data.write_text(json.dumps({"id": "a", "text": text, "spans": [], "meta": {}}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    report = evaluate_file(RulesTagger(["PER", "TITLE", "ORG", "DOC"]), data, bootstrap=0)
    out = tmp_path / "reports"
    out.mkdir()
    (out / "report.json").write_text('{"old": true}\n', encoding="utf-8")
    (out / "report.md").write_text("old page\n", encoding="utf-8")
    (out / ".report.json.k1ll3d").write_text("", encoding="utf-8")  # what a kill mid-write leaves
    write_report(report, out)
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.md"]
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["documents"] == 1
    assert (out / "report.md").read_text(encoding="utf-8") != "old page\n"


def _sentences_file(tmp_path):
    rows = [
        {"words": ["Thủ", "tướng", "Phạm", "Minh", "Chính", "ký", "."],
         "tags": ["B-TITLE", "I-TITLE", "B-PER", "I-PER", "I-PER", "O", "O"]},
        # gold says ORG where the rules see nothing, and PER is cut short: errors of two kinds
        {"words": ["Ông", "Nguyễn", "Văn", "An", "thăm", "Làng", "Gốm", "."],
         "tags": ["O", "B-PER", "I-PER", "O", "O", "B-ORG", "I-ORG", "O"]},
    ]
    path = tmp_path / "gold.words.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_pretokenised_reports_break_errors_down_by_label_with_examples(tmp_path):
    """CoNLL and words-jsonl reports get the same error table and examples in context as
    documents (issue 12, case 45): the words are joined by spaces to show the context."""
    report = evaluate_file(RulesTagger(), _sentences_file(tmp_path), "words-jsonl", bootstrap=0)
    errors = report["errors"]
    assert errors["total_errors"] == sum(v for k, v in errors["counts"].items() if k != "correct") > 0
    assert errors["per_label"]["ORG"]["missed"] == 1
    missed = errors["examples"]["missed"]
    org = next(e for e in missed if e["gold"]["label"] == "ORG")
    assert org["gold"]["text"] == "Làng Gốm" and "thăm Làng Gốm" in org["context"]
    assert org["id"].endswith("gold.words.jsonl:2")
    page = format_markdown(report)
    assert "## Errors" in page and "| ORG |" in page and "### missed" in page and "`Làng Gốm`" in page
    # sentences keep both tables: seqeval scores the file's own words
    assert "## seqeval (strict, IOB2)" in page


def test_a_documents_report_prints_the_identical_tables_once_and_says_why(tmp_path):
    data = tmp_path / "d.jsonl"
    text = "Thủ tướng Phạm Minh Chính ký Quyết định số 15/2020/QĐ-TTg."
    data.write_text(json.dumps({"id": "a", "text": text, "spans": [{"start": 0, "end": 9, "label": "TITLE"}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    report = evaluate_file(RulesTagger(), data, bootstrap=0)
    assert report["seqeval"] == report["spans"]  # by construction on documents; both stay in report.json
    page = format_markdown(report)
    assert page.count("| label | precision |") == 1 and "gives the same figures as the span table" in page


def test_the_report_names_the_model_and_its_training_data(tmp_path):
    model = tmp_path / "m"
    model.mkdir()
    (model / "config.yaml").write_text("data:\n  train: a/train.jsonl\n  dev: a/dev.jsonl\n", encoding="utf-8")
    assert model_info(model) == {"dir": str(model), "train": "a/train.jsonl", "dev": "a/dev.jsonl"}
    assert model_info(model, shown_as=tmp_path / "published")["dir"] == str(tmp_path / "published")
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Hà Nội", "spans": []}) + "\n", encoding="utf-8")
    report = {**evaluate_file(RulesTagger(), data, bootstrap=0), "model": model_info(model)}
    page = format_markdown(report)
    assert f"- model: `{model}`" in page and "- trained on: `a/train.jsonl` (dev `a/dev.jsonl`)" in page


def test_a_directory_that_cannot_be_made_is_named_with_the_option(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataError, match=f"--report-dir: {blocker} exists and is not a directory"):
        writable_directory(blocker, "--report-dir", DataError)
    with pytest.raises(DataError, match=f"--report-dir: cannot create {blocker}/reports"):
        writable_directory(blocker / "reports", "--report-dir", DataError)
    with pytest.raises(DataError, match=f"out: cannot create {blocker}"):
        writable_directory(blocker / "model", "out", DataError, create_parent_only=True)
    writable_directory(tmp_path / "a" / "b", "--report-dir", DataError)
    assert (tmp_path / "a" / "b").is_dir()
    writable_directory(tmp_path / "c" / "model", "out", DataError, create_parent_only=True)
    assert (tmp_path / "c").is_dir() and not (tmp_path / "c" / "model").exists()


@pytest.mark.parametrize("extra, message", [
    (["--report-dir", "{file}"], "exists and is not a directory"),
    (["--report-dir", "{file}/sub"], "--report-dir: cannot create"),
    (["--holders", "{tmp}/no-such-links.jsonl"], "--holders: links file not found"),
])
def test_evaluate_cli_refuses_unusable_paths_before_loading_the_model(tmp_path, capsys, extra, message):
    """A report directory blocked by a file, or a missing links file, is one line before any
    work: the model path here does not even exist, and that is not what is reported."""
    (tmp_path / "file").write_text("x")
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Hà Nội", "spans": []}) + "\n", encoding="utf-8")
    extra = [e.format(file=tmp_path / "file", tmp=tmp_path) for e in extra]
    assert main(["--model", str(tmp_path / "no-model"), "--data", str(data), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("polner-evaluate: error: ") and message in err and err.count("\n") == 1
