"""The API contract's edges (issue 12, part 4): runs of letters past the word limit are O,
the API is silent unless asked (logging, no prints, no progress bars), bad arguments name
the function the user called, and int8 quantisation uses no deprecated torch API."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings

import numpy as np
import pytest

from inference import load_tagger
from inference.base import LONG_WORD_STAND_IN, MAX_WORD_CHARS, WordTagger
from inference.iob import bio_tags
from inference.settings import TaggerSettings
from tests.conftest import FIXTURES


class EveryWordPer(WordTagger):
    """A stand-in model that calls every word it sees a one-word PER."""

    def __init__(self):
        super().__init__(TaggerSettings(bio_tags(["PER"]), segmenter="none", doc_rules="off"))
        self.seen: list[list[str]] = []

    def sentence_probs(self, sentences, progress=None):
        self.seen.extend(list(s) for s in sentences)
        out = []
        for s in sentences:
            p = np.zeros((len(s), 3), dtype=np.float32)
            p[:, 1] = 1.0  # B-PER
            out.append(p)
        return out


@pytest.mark.parametrize("n, tagged", [(MAX_WORD_CHARS - 1, True), (MAX_WORD_CHARS, True),
                                       (MAX_WORD_CHARS + 1, False), (200_000, False)])
def test_a_run_of_letters_past_the_limit_is_outside(n, tagged):
    tagger = EveryWordPer()
    run = "a" * n
    text = f"Ông {run} nói"
    ents = tagger.tag(text)
    assert [e.text for e in ents if e.text != run] == ["Ông", "nói"]  # the words around it are unaffected
    assert (run in [e.text for e in ents]) is tagged
    assert all(text[e.start:e.end] == e.text for e in ents)
    seen = [w for s in tagger.seen for w in s]
    assert (LONG_WORD_STAND_IN in seen) is not tagged  # the model never reads the long run itself
    # pre-tokenised words follow the same rule
    assert tagger.predict_words([["Ông", run]]) == [["B-PER", "B-PER" if tagged else "O"]]


def test_the_issue_case_with_the_real_tagger(tagger):
    assert tagger.tag("a" * 200_000) == []  # was one 200,000-character PER
    text = "Bí thư Thành ủy Trần Văn Khải " + "x" * 500 + " phát biểu."
    assert all(e.end <= text.index("x") or e.start >= text.index("x") + 500 for e in tagger.tag(text))


def test_errors_name_the_function_called(tagger):
    with pytest.raises(TypeError, match=r"tag_batch\(\) expects a list of texts, got a single str; use tag\(\)"):
        tagger.tag_batch("abc")
    with pytest.raises(TypeError, match=r"^tag\(\) expects a str, got NoneType"):
        tagger.tag(None)
    with pytest.raises(TypeError, match=r"tag_batch\(\): texts\[1\] must be str, got int"):
        tagger.tag_batch(["a", 1])


def test_loading_is_silent_and_logs_through_logging(trained_model_dir, capfd, caplog):
    with caplog.at_level(logging.INFO, logger="inference"):
        tagger = load_tagger(trained_model_dir)
        tagger.tag("Ông Nguyễn Văn A phát biểu.")
    out = capfd.readouterr()
    assert out.out == "" and out.err == ""  # no "Loading weights" bar, no prints
    assert any(r.name == "inference.tagger" and "loaded" in r.getMessage() for r in caplog.records)


def test_int8_uses_no_deprecated_torch_api(trained_model_dir):
    from inference.tagger import Int8DynamicLinear

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        q = load_tagger(trained_model_dir, quantize="int8")
        q.tag("Bí thư Thành ủy Trần Văn Khải phát biểu.")
    assert not [w for w in caught if "deprecat" in str(w.message).lower()], [str(w.message) for w in caught]
    assert any(isinstance(m, Int8DynamicLinear) for m in q.model.modules())


def test_int8_agrees_with_fp32(tagger, trained_model_dir):
    import json

    q = load_tagger(trained_model_dir, quantize="int8")
    texts = [json.loads(line)["text"] for line in (FIXTURES / "corpus_dev.jsonl").read_text(encoding="utf-8").splitlines()]
    words = [[w for w in t.split()] for t in texts]
    fp32, int8 = tagger.predict_words(words), q.predict_words(words)
    same = sum(a == b for s, t in zip(fp32, int8) for a, b in zip(s, t))
    total = sum(len(s) for s in fp32)
    assert same / total >= 0.98, same / total


@pytest.mark.slow  # a subprocess that imports torch and quantises: CI runs it
def test_int8_cli_prints_no_warning(trained_model_dir):
    r = subprocess.run([sys.executable, "-W", "default", "-m", "inference.tag", "--model", str(trained_model_dir),
                        "--quantize", "int8", "-"], input="Ông Nguyễn Văn A phát biểu.", capture_output=True,
                       text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 0, r.stderr
    assert "deprecat" not in r.stderr.lower() and "warning" not in r.stderr.lower(), r.stderr


def test_long_sentences_are_segmented_in_bounded_chunks():
    import json

    from inference.segment import PYVI_CHUNK, Segmenter, syllabify

    texts = [json.loads(line)["text"] for line in (FIXTURES / "corpus_train.jsonl").read_text(encoding="utf-8").splitlines()]
    tokens = [t[s:e] for t in texts for s, e in syllabify(t)]
    assert len(tokens) > 3 * PYVI_CHUNK
    joiner = Segmenter("pyvi")._joiner
    direct = list(joiner._vt.model.predict([joiner._vt.sent2features(tokens, False)])[0])
    assert joiner.labels(tokens) == direct  # chunks with context label as one call would


def test_load_tagger_sets_the_threads_the_machine_can_give(trained_model_dir):
    """Issue 12, case 44: the API no longer keeps torch's one-thread-per-core default when a
    core is busy elsewhere. "auto" never raises torch's setting; an integer sets it; None
    leaves the process alone; a bad value fails before anything loads, naming the call."""
    import torch

    from inference.tagger import available_cores

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        load_tagger(trained_model_dir)
        assert torch.get_num_threads() == min(2, available_cores())
        load_tagger(trained_model_dir, threads=1)
        assert torch.get_num_threads() == 1
        torch.set_num_threads(2)
        load_tagger(trained_model_dir, threads=None)
        assert torch.get_num_threads() == 2
        for bad in (0, -1, 1.5, True, "two"):
            with pytest.raises(ValueError, match=r"load_tagger\(\): threads must be an integer of at least 1"):
                load_tagger("/no/such/model", threads=bad)
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("cli, argv, message", [
    ("inference.tag", ["-"], "--threads: expected at least 1, got 0"),
    ("inference.serve", [], "--threads must be at least 1"),
])
def test_the_clis_refuse_zero_threads(capsys, cli, argv, message):
    import importlib

    with pytest.raises(SystemExit) as stop:
        importlib.import_module(cli).main(["--model", "/no/such/model", "--threads", "0", *argv])
    assert stop.value.code == 2 and message in capsys.readouterr().err
