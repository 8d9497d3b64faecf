"""Train the tiny model through polner-train, reload it from disk, evaluate it, tag with it."""

from __future__ import annotations

import json
import unicodedata

import pytest

from inference import load_tagger
from inference.settings import ModelDirError
from training.evaluate import evaluate_file, main as evaluate_main
from tests.conftest import FIXTURES, TOKENIZER_DIR, tiny_config

ARTICLE = (
    "Sáng 12/6, Bí thư Thành ủy Trần Văn Khải đã chủ trì cuộc họp của Ban Thường vụ Thành ủy "
    "về triển khai Nghị quyết số 18-NQ/TW.\r\nTheo Quyết định 123/QĐ-UBND, ông Vũ Hải Nam giữ chức "
    "Chủ tịch UBND tỉnh Nghệ An.\u00a0Bà Đỗ Thị Lan, Giám đốc Sở Y tế, cho biết Chính phủ sẽ báo cáo Quốc hội."
)


def test_output_directory_is_complete(trained_model_dir):
    names = {p.name for p in trained_model_dir.iterdir()}
    assert {"config.json", "model.safetensors", "vocab.txt", "bpe.codes", "polner.json", "config.yaml",
            "train_log.json", "reports"} <= names
    for split in ("dev", "test"):
        report = json.loads((trained_model_dir / "reports" / split / "report.json").read_text(encoding="utf-8"))
        assert set(report["seqeval"]["per_label"]) == {"PER", "TITLE", "ORG", "DOC"}
        # the page names the published model (not the work directory it was scored from) and its data
        assert report["model"] == {"dir": str(trained_model_dir), "train": str(FIXTURES / "corpus_train.jsonl"),
                                   "dev": str(FIXTURES / "corpus_dev.jsonl")}
        page = (trained_model_dir / "reports" / split / "report.md").read_text(encoding="utf-8")
        assert f"- model: `{trained_model_dir}`" in page and f"- trained on: `{FIXTURES / 'corpus_train.jsonl'}`" in page
    log = json.loads((trained_model_dir / "train_log.json").read_text(encoding="utf-8"))
    losses = [h["loss"] for h in log["log_history"] if "loss" in h]
    assert losses[-1] < losses[0] / 2, losses  # it learned something
    assert not list(trained_model_dir.parent.glob(".*.partial"))  # no half-written leftovers


def test_trained_model_learns_the_fixture(trained_model_dir):
    report = json.loads((trained_model_dir / "reports" / "dev" / "report.json").read_text(encoding="utf-8"))
    # templated synthetic text: a working pipeline must get most of it right
    assert report["spans"]["micro"]["f1"] > 0.6, report["spans"]["micro"]


def test_offsets_point_into_the_callers_string(tagger):
    for text in (ARTICLE, unicodedata.normalize("NFD", ARTICLE), ARTICLE.replace(" ", "\u200b ")):
        ents = tagger.tag(text)
        assert ents, "no entities found"
        for e in ents:
            assert text[e.start:e.end] == e.text
            assert e.text == e.text.strip() and 0 < e.score <= 1
            assert e.label in {"PER", "TITLE", "ORG", "DOC"}


def test_nfd_input_gives_the_same_entities(tagger):
    nfc = tagger.tag(ARTICLE)
    nfd = tagger.tag(unicodedata.normalize("NFD", ARTICLE))
    assert [(unicodedata.normalize("NFC", e.text), e.label) for e in nfd] == [(e.text, e.label) for e in nfc]


def test_tag_batch_equals_tag_one_by_one(tagger):
    texts = [ARTICLE, "", "Quốc hội họp.", ARTICLE[:120], "Chủ tịch Quốc hội " * 40]
    assert tagger.tag_batch(texts) == [tagger.tag(t) for t in texts]


def test_empty_and_non_string_input(tagger):
    assert tagger.tag("") == []
    assert tagger.tag("   \n ") == []
    with pytest.raises(TypeError):
        tagger.tag(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        tagger.tag_batch(["ok", 5])  # type: ignore[list-item]


def test_a_3000_word_sentence_is_windowed_not_truncated(tagger):
    # one "sentence" with no full stop: far beyond 256 subwords (the test model uses 64)
    chunk = "Bí thư Thành ủy Trần Văn Khải và Chủ tịch UBND tỉnh Nghệ An Vũ Hải Nam cùng dự họp với Quốc hội, "
    text = chunk * (3000 // len(chunk.split()) + 1)
    ents = tagger.tag(text)
    for e in ents:
        assert text[e.start:e.end] == e.text
    # entities are found all along the text, including its end
    assert ents and ents[-1].start > 0.95 * len(text)
    per = [e for e in ents if e.label == "PER"]
    assert len(per) >= len(text.split(chunk)) - 1  # about one name per chunk (two in each)


def test_int8_quantised_tagger_loads_and_tags(trained_model_dir):
    q = load_tagger(trained_model_dir, quantize="int8")
    ents = q.tag(ARTICLE)
    assert ents and all(ARTICLE[e.start:e.end] == e.text for e in ents)
    from inference.tagger import Int8DynamicLinear

    assert any(isinstance(m, Int8DynamicLinear) for m in q.model.modules())


def test_missing_and_incomplete_model_directories(tmp_path, trained_model_dir):
    with pytest.raises(ModelDirError, match="does not exist"):
        load_tagger(tmp_path / "nope")
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "config.json").write_text((trained_model_dir / "config.json").read_text())
    with pytest.raises(ModelDirError, match=r"missing polner.json, model.safetensors or pytorch_model.bin, vocab.txt, bpe.codes"):
        load_tagger(partial)


def test_evaluate_cli_on_unseen_contract_file(tmp_path, trained_model_dir, capsys):
    out = tmp_path / "rep"
    assert evaluate_main(["--model", str(trained_model_dir), "--data", str(FIXTURES / "corpus_test.jsonl"),
                          "--report-dir", str(out), "--doc-rules", "union"]) == 0
    printed = capsys.readouterr().out
    assert "seqeval, strict IOB2" in printed and "micro avg" in printed and "wrong_boundary=" in printed
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["doc_rules"] == "union" and report["documents"] == 8
    assert set(report["errors"]["counts"]) == {"correct", "wrong_label", "wrong_boundary", "wrong_label_and_boundary",
                                               "missed", "spurious"}
    assert set(report["errors"]["per_label"]) >= {"PER", "TITLE", "ORG", "DOC"}
    assert all(len(v) <= 5 for v in report["errors"]["examples"].values())
    ci = report["micro_f1_interval"]
    assert ci["low"] <= report["spans"]["micro"]["f1"] <= ci["high"]
    page = (out / "report.md").read_text(encoding="utf-8")
    assert str(trained_model_dir) in page and "- documents: 8" in page and "95% interval" in page
    assert "| PER |" in page and "## Errors" in page


def test_evaluate_rejects_labels_the_model_does_not_have(tmp_path, trained_model_dir, capsys):
    f = tmp_path / "loc.jsonl"
    f.write_text(json.dumps({"id": "x", "text": "Hà Nội", "spans": [{"start": 0, "end": 6, "label": "LOC"}]}) + "\n")
    assert evaluate_main(["--model", str(trained_model_dir), "--data", str(f)]) == 2
    err = capsys.readouterr().err
    assert "loc.jsonl:1 (id=x): span 0:6 LOC: label not in" in err and "--labels" in err and err.count("\n") == 1
    # mapped away, the same file is scored
    assert evaluate_main(["--model", str(trained_model_dir), "--data", str(f), "--labels", "LOC=ignore"]) == 0


def test_evaluate_names_the_file_and_line_of_bad_gold(tmp_path, trained_model_dir, capsys):
    """Gold that is not UTF-8, or has an offset past the text, is one line naming the file
    and line; the --labels hint only where a label is the problem."""
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(b'{"id": "a", "text": "ok", "spans": []}\n{"id": "b", "text": "caf\xe9", "spans": []}\n')
    assert evaluate_main(["--model", str(trained_model_dir), "--data", str(latin1)]) == 2
    err = capsys.readouterr().err
    assert "latin1.jsonl:2: not UTF-8" in err and err.count("\n") == 1
    far = tmp_path / "far.jsonl"
    far.write_text(json.dumps({"id": "x", "text": "Hà Nội", "spans": [{"start": 0, "end": 500, "label": "ORG"}]}) + "\n")
    assert evaluate_main(["--model", str(trained_model_dir), "--data", str(far)]) == 2
    err = capsys.readouterr().err
    assert "far.jsonl:1 (id=x)" in err and "--labels" not in err and err.count("\n") == 1


@pytest.mark.slow
def test_model_trained_on_words_format_evaluates_on_words(tmp_path):
    from training.train import main

    labels = ["PATIENT_ID", "NAME", "AGE", "GENDER", "JOB", "LOCATION", "ORGANIZATION", "DATE",
              "SYMPTOM_AND_DISEASE", "TRANSPORTATION"]
    cfg = tiny_config(tmp_path, **{"data.train": str(FIXTURES / "words.jsonl"), "data.dev": str(FIXTURES / "words.jsonl"),
                                   "data.test": str(FIXTURES / "words.jsonl"), "data.labels": labels,
                                   "data.format": "words-jsonl",  # a .jsonl file is the data contract unless told
                                   "preprocessing.segmenter": "presegmented", "training.max_steps": 2})
    assert main(["--config", str(cfg)]) == 0
    tagger = load_tagger(tmp_path / "model")
    assert tagger.doc_rules == "off"  # no DOC label: the code grammar stays out
    report = evaluate_file(tagger, FIXTURES / "words.conll")
    assert report["sentences"] == 5 and set(report["seqeval"]["per_label"]) == set(labels)


@pytest.mark.slow
def test_hub_layout_directory_trains_through_from_pretrained(tmp_path):
    """A local directory laid out like vinai/phobert-base takes the same code path."""
    import shutil

    from transformers import AutoModel, RobertaConfig

    from training.train import main

    hub = tmp_path / "phobert-like"
    config = RobertaConfig(vocab_size=64001, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=64, max_position_embeddings=258, pad_token_id=1, bos_token_id=0,
                           eos_token_id=2, type_vocab_size=1, tokenizer_class="PhobertTokenizer",
                           architectures=["RobertaModel"])
    AutoModel.from_config(config).save_pretrained(hub)  # saved as a base model, like the hub's
    for name in ("vocab.txt", "bpe.codes"):
        shutil.copy(TOKENIZER_DIR / name, hub / name)
    assert {p.name for p in hub.iterdir()} >= {"config.json", "model.safetensors", "vocab.txt", "bpe.codes"}
    cfg = tiny_config(tmp_path, **{"training.max_steps": 2})
    text = cfg.read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(text)
    data["model"] = {"name_or_path": str(hub)}
    cfg.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["--config", str(cfg)]) == 0
    tagger = load_tagger(tmp_path / "model")
    assert tagger.settings.tags[:3] == ["O", "B-PER", "I-PER"]
    assert all(ARTICLE[e.start:e.end] == e.text for e in tagger.tag(ARTICLE))


def test_existing_output_is_not_overwritten(tmp_path, capsys):
    from training.train import main

    cfg = tiny_config(tmp_path)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "keep.txt").write_text("mine")
    assert main(["--config", str(cfg)]) == 2
    assert "exists; pass --overwrite" in capsys.readouterr().err
    assert (tmp_path / "model" / "keep.txt").read_text() == "mine"


def test_resume_needs_a_checkpoint(tmp_path, capsys):
    from training.train import main

    assert main(["--config", str(tiny_config(tmp_path)), "--resume"]) == 2
    assert "no checkpoint" in capsys.readouterr().err
