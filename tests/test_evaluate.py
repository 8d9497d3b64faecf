"""training.evaluate.write_report: a report pair is never mixed with an earlier run's."""

import json

from training.baselines.rules import RulesTagger
from training.evaluate import evaluate_file, write_report


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
