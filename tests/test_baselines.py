"""The baseline taggers (training/baselines: CRF, rules, underthesea) and the benchmark code
that scores them (benchmarks/common.py, benchmarks/baselines.py).

Real sklearn-crfsuite, real preprocessing, real evaluation code; the sentences are synthetic
(tests/fixtures and the invented ones in test_phoner_config). sklearn-crfsuite is in the
``dev`` extra, so these tests run in CI; underthesea is in ``bench`` only, and its tests are
skipped without it.
"""

from __future__ import annotations

import json
import shutil
import unicodedata

import pytest

from benchmarks.common import (
    BenchmarkError,
    PhaseTimer,
    cpu_usage,
    parse_models,
    parse_train_missing,
    scores_only,
    write_results,
)
from inference.base import one_hot, word_entities
from inference.formats import read_words_jsonl
from inference.preprocess import Preprocessor
from inference.records import read_documents
from tests.conftest import FIXTURES, LABELS as PROJECT_LABELS
from tests.test_phoner_config import LABELS as PHONER_LABELS, WORD_SENTENCES
from training.baselines.crf import CRFTagger, sentence_features, train_crf, word_shape
from training.baselines.rules import RulesTagger
from training.evaluate import evaluate_file


# --- the CRF ------------------------------------------------------------------------------
def test_word_shape():
    assert word_shape("Nguyễn_Văn_A") == "Xx_Xx_X"
    assert word_shape("BN91") == "Xd"
    assert word_shape("18-NQ/TW") == "d-X/X"
    assert word_shape("covid") == "x"


def test_sentence_features():
    f = sentence_features(["Ông", "Nguyễn_Văn_A", "ở", "Hà_Nội", "."])
    assert f[0]["BOS"] and "EOS" not in f[0] and f[-1]["EOS"] and "BOS" not in f[-1]
    w = f[1]
    assert w["lower"] == "nguyễn_văn_a" and w["syllables"] == "3" and w["istitle"] and not w["isupper"]
    assert w["first_syl"] == "nguyễn" and w["last_syl"] == "a" and w["pre2"] == "ng" and w["suf3"] == "n_a"
    assert w["-1:lower"] == "ông" and w["-1:istitle"] and w["+1:lower"] == "ở" and w["+1:syllables"] == "1"
    assert w["+2:lower"] == "hà_nội" and w["+2:istitle"] and "+2:shape" not in w and "+2:syllables" not in w
    assert "-2:lower" not in w and f[0]["+2:lower"] == "ở"
    assert w["-1:0:lower"] == "ông|nguyễn_văn_a" and w["0:+1:lower"] == "nguyễn_văn_a|ở"
    assert f[4]["ispunct"] and not f[3]["ispunct"] and f[3]["syllables"] == "2"


def test_crf_predicts_its_training_sentences_back():
    rows = [(r.words, r.tags) for r in read_words_jsonl(FIXTURES / "words.jsonl")] + WORD_SENTENCES
    words, tags = [r[0] for r in rows], [r[1] for r in rows]
    tagger = CRFTagger(train_crf(words, tags), PHONER_LABELS, segmenter="presegmented")
    assert tagger.predict_words(words) == tags
    assert tagger.predict_words([[]]) == [[]]


def test_word_tags_map_exactly_to_original_offsets():
    # What CRFTagger does with its tags: one-hot rows, decoded and mapped by the model's code.
    # NFD input, new-style tone placement, a no-break space: normalised offsets differ from these.
    text = unicodedata.normalize("NFD", "Chủ tịch UBND tỉnh Thanh Hóa\u00a0Đỗ Minh Tuấn ký Quyết định 24-CT/TU.")
    doc = Preprocessor("none").prepare(text)
    (words,) = doc.sentences
    forms = [w.form for w in words]
    assert forms[:6] == ["Chủ", "tịch", "UBND", "tỉnh", "Thanh", "Hoá"]  # canonical, old-style tone
    tags = (["B-TITLE"] + ["I-TITLE"] * 5 + ["B-PER", "I-PER", "I-PER"] + ["O"] * 3
            + ["B-DOC"] + ["I-DOC"] * 4 + ["I-DOC"])  # the final "." is trimmed by decoding
    assert len(tags) == len(words)
    all_tags = ["O"] + [f"{p}-{lab}" for lab in PROJECT_LABELS for p in ("B", "I")]
    ents = word_entities(text, doc, words, one_hot(tags, all_tags), all_tags, "crf")
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    expected = [
        (nfd("Chủ tịch UBND tỉnh Thanh Hóa"), "TITLE"),
        (nfd("Đỗ Minh Tuấn"), "PER"),
        ("24-CT/TU", "DOC"),
    ]
    assert [(e.text, e.label) for e in ents] == expected
    for e, (surface, _) in zip(ents, expected):
        assert text[e.start:e.end] == e.text and e.source == "crf"
        assert e.start == text.index(surface) and e.end == e.start + len(surface)


def test_crf_tags_documents_on_the_original_text(crf_tagger):
    dev = FIXTURES / "corpus_dev.jsonl"
    docs = read_documents(dev)
    for doc, ents in zip(docs, crf_tagger.tag_batch([d.text for d in docs])):
        assert all(doc.text[e.start:e.end] == e.text and e.source == "crf" for e in ents)
    report = evaluate_file(crf_tagger, dev, bootstrap=0)  # the same code that scores the model
    assert report["documents"] == len(docs) and report["doc_rules"] == "off"
    assert report["spans"]["micro"]["f1"] > 0.9  # templated text, like its training documents
    assert report["spans"]["micro"]["support"] == sum(len(d.spans) for d in docs)


# --- the rules and underthesea ------------------------------------------------------------
def test_rules_tagger_behind_the_contract():
    dev = FIXTURES / "corpus_dev.jsonl"
    docs = read_documents(dev)
    tagger = RulesTagger(PROJECT_LABELS)
    assert tagger.settings.labels == PROJECT_LABELS and tagger.doc_rules == "off"
    ents = tagger.tag_batch([d.text for d in docs])
    assert any(ents) and all(d.text[e.start:e.end] == e.text and e.source == "rules" for d, es in zip(docs, ents)
                             for e in es)
    assert tagger.tag(docs[0].text) == ents[0]
    report = evaluate_file(tagger, dev, bootstrap=0)
    assert report["spans"]["micro"]["f1"] > 0.5  # the fixtures use the grammar's codes and the lexicons' offices
    words = ["Bộ_trưởng", "Bộ", "Tài_chính", "ký", "Nghị_quyết", "18-NQ/TW", "."]
    (tags,) = tagger.predict_words([words])
    assert len(tags) == len(words) and "B-DOC" in tags


def test_ignored_labels_are_left_out_of_gold_and_results_hold_scores_only():
    from benchmarks.baselines import ignore_others

    dev = FIXTURES / "corpus_dev.jsonl"
    full = evaluate_file(RulesTagger(PROJECT_LABELS), dev, bootstrap=0)
    po = RulesTagger(["PER", "ORG"])  # a system that knows two labels, as underthesea does
    label_map = ignore_others(PROJECT_LABELS, po)
    assert label_map == {"TITLE": None, "DOC": None}
    part = evaluate_file(po, dev, label_map=label_map, bootstrap=0)
    assert part["labels"] == ["PER", "ORG"]
    gold = [s for d in read_documents(dev) for s in d.spans]
    assert part["spans"]["micro"]["support"] == sum(s.label in ("PER", "ORG") for s in gold)
    assert part["spans"]["per_label"]["PER"] == full["spans"]["per_label"]["PER"]
    # gold TITLE spans counted as ORG: errors the rules cannot avoid, with their examples
    wrong = evaluate_file(po, dev, label_map={"TITLE": "ORG", "DOC": None}, bootstrap=0)
    assert wrong["errors"]["examples"] and "examples" not in scores_only(wrong)["errors"]
    assert scores_only(wrong)["errors"]["counts"] == wrong["errors"]["counts"]


@pytest.mark.slow  # importing underthesea takes about 3 s
def test_underthesea_spans_land_on_the_original_text():
    pytest.importorskip("underthesea")
    from training.baselines.underthesea import PHONER_LABELS as UTS_PHONER, PROJECT_LABELS as UTS_PROJECT
    from training.baselines.underthesea import UndertheseaTagger

    tagger = UndertheseaTagger(UTS_PROJECT)
    assert tagger.settings.labels == ["PER", "ORG"] and tagger.doc_rules == "off"
    # underthesea rewrites "hoà" as "hòa": its tokens must still be found in our text
    text = unicodedata.normalize("NFD", "Hai bên hoà giải.  Ông Nguyễn Văn Bình phát biểu tại Hà Nội.")
    ents = tagger.tag_batch([text])[0]
    assert tagger.unaligned == 0 and tagger.tokens > 0
    assert all(text[e.start:e.end] == e.text and e.label in ("PER", "ORG") for e in ents)
    assert unicodedata.normalize("NFD", "Nguyễn Văn Bình") in [e.text for e in ents]
    words = ["Ông", "Nguyễn_Văn_Bình", "phát_biểu", "tại", "Hà_Nội", "."]
    (tags,) = UndertheseaTagger(UTS_PHONER).predict_words([words])
    assert len(tags) == len(words) and tags[1] == "B-NAME"
    assert set(tags) <= {"O", "B-NAME", "I-NAME", "B-ORGANIZATION", "I-ORGANIZATION"}


# --- the benchmark side -------------------------------------------------------------------
def test_phase_timer_is_the_preprocessors_hook_and_counts_nothing_twice():
    timer = PhaseTimer()
    text = read_documents(FIXTURES / "corpus_dev.jsonl")[0].text
    with cpu_usage() as usage:
        Preprocessor("pyvi", phase=timer).prepare(text)
    snap = timer.snapshot(total=usage.wall)
    assert list(snap) == ["normalise", "split", "segment", "other"]
    assert all(v >= 0 for v in snap.values()) and timer.calls["segment"] == 1
    assert sum(snap.values()) == pytest.approx(usage.wall)
    assert usage.wall > 0 and usage.cpu >= 0
    timer.reset()
    with timer("forward"):
        with timer("gather"):  # nested: the outer phase is paused, not counted twice
            pass
    assert set(timer.seconds) == {"forward", "gather"} and timer.calls == {"forward": 1, "gather": 1}


def test_model_and_config_options():
    models = parse_models(["tiny=runs/tiny", "e5-small=runs/e5-small"])
    assert list(models) == ["tiny", "e5-small"] and str(models["e5-small"]) == "runs/e5-small"
    with pytest.raises(BenchmarkError, match="twice"):
        parse_models(["tiny=a", "tiny=b"])
    with pytest.raises(BenchmarkError, match="NAME=DIR"):
        parse_models(["runs/tiny"])
    config = FIXTURES.parent.parent / "configs" / "tiny.yaml"
    assert parse_train_missing([str(config)], {"tiny": models["tiny"]}) == {"tiny": config}
    assert parse_train_missing([f"e5-small={config}"], models) == {"e5-small": config}
    with pytest.raises(BenchmarkError, match="NAME=CONFIG"):
        parse_train_missing([str(config)], models)  # which of the two?
    with pytest.raises(BenchmarkError, match="not found"):
        parse_train_missing(["tiny=configs/nonexistent.yaml"], models)


def test_result_writer(tmp_path):
    machine = {"cpu": "cpu", "cores": 2, "usable_cores": 2, "torch_threads": 2, "python": "3", "torch": "t",
               "transformers": "x", "platform": "p", "load_average": [0.1, 0.2, 0.3], "date": "today"}
    md, js = write_results(tmp_path / "out", "bench", "# Title\n\n| a |\n", {"score": 1.0},
                           command="python -m benchmarks.x --flag 'a b'", machine=machine)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Title") and text.rstrip().endswith("- command: `python -m benchmarks.x --flag 'a b'`")
    assert "0.10 / 0.20 / 0.30" in text
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["score"] == 1.0 and data["command"].startswith("python -m") and data["machine"]["cpu"] == "cpu"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bench.json", "bench.md"]


@pytest.mark.slow  # the whole benchmark: trains a CRF and scores four sets
def test_baselines_benchmark_on_the_fixture_corpus(tmp_path):
    """The whole benchmark, without models or underthesea: CRF and rules rows for dev, test and
    the v1 articles of test, and no corpus text anywhere in the results."""
    from benchmarks.baselines import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for split in ("train", "dev"):
        shutil.copy(FIXTURES / f"corpus_{split}.jsonl", corpus / f"{split}.jsonl")
    lines = (FIXTURES / "corpus_test.jsonl").read_text(encoding="utf-8").splitlines()
    recs = [json.loads(line) for line in lines if line.strip()]
    for k, rec in enumerate(recs):
        rec["meta"]["corpus"] = "v1" if k % 2 == 0 else "v2"
    (corpus / "test.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    challenge = tmp_path / "challenge.jsonl"  # the dev records as a two-phenomenon challenge set
    dev = [json.loads(line) for line in (corpus / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for k, rec in enumerate(dev):
        rec["meta"]["phenomenon"] = "odd" if k % 2 else "even"
    challenge.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dev), encoding="utf-8")
    out = tmp_path / "results"
    assert main(["--corpus-dir", str(corpus), "--skip", "models", "--skip", "underthesea", "--skip", "phoner",
                 "--crf-iterations", "20", "--challenge", str(challenge), "--results-dir", str(out)]) == 0
    data = json.loads((out / "baselines.json").read_text(encoding="utf-8"))
    tables = data["project"]["tables"]
    assert list(tables) == ["dev", "test", "test_v1", "challenge"]
    groups = {r["system"]: r["report"]["groups"] for r in tables["challenge"]["rows"] if "report" in r}
    assert groups["pre-annotator rules"]["field"] == "phenomenon"
    assert {k: g["documents"] for k, g in groups["pre-annotator rules"]["scores"].items()} == \
        {"even": (len(dev) + 1) // 2, "odd": len(dev) // 2}
    assert "| even | " in (out / "baselines.md").read_text(encoding="utf-8")
    v1 = {r["system"]: r for r in tables["test_v1"]["rows"]}
    rules = v1["pre-annotator rules"]["report"]
    assert rules["documents"] == (len(recs) + 1) // 2 and rules["select"] == {"corpus": "v1"}
    assert rules["spans"]["micro"]["support"] == sum(len(r["spans"]) for r in recs[::2])
    assert v1["CRF (sklearn-crfsuite, word features)"]["status"] == "ok"
    assert "Partial run" in (out / "baselines.md").read_text(encoding="utf-8")
    written = (out / "baselines.md").read_text(encoding="utf-8") + (out / "baselines.json").read_text(encoding="utf-8")
    for rec in recs:
        for s in rec["spans"]:
            if s["end"] - s["start"] > 12:  # no gold mention is quoted (short ones may be label names)
                assert rec["text"][s["start"]:s["end"]] not in written
