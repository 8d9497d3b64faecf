"""The pipeline serves the SentencePiece tokenizer family (XLM-R, multilingual-e5) as it
serves PhoBERT: a hub-layout local directory trains through polner-train, reloads with
load_tagger and tags, with the tokenizer's own tone placement and word joining."""

from __future__ import annotations

import json
import unicodedata

import pytest

from inference import load_tagger
from inference.encode import WordEncoder
from tests.conftest import tiny_config

TEXT = ("Bí thư Thành ủy Hà Nội Bùi Thị Minh Hoài chủ trì hội nghị triển khai Nghị quyết số 18-NQ/TW.\r\n"
        "Ông Nguyễn Văn An, Chủ tịch UBND tỉnh Khánh Hòa, dự họp.")


@pytest.fixture(scope="module")
def e5_model_dir(tmp_path_factory, e5_vi_dir):
    tmp = tmp_path_factory.mktemp("e5")
    cfg = tiny_config(tmp, **{
        "model": {"name_or_path": str(e5_vi_dir)},
        "preprocessing.segmenter": "none",
        "preprocessing.doc_rules": "union",
        "training.max_steps": 2, "training.num_epochs": 1, "training.batch_size": 4,
        "training.learning_rate": 1e-4, "training.freeze_embeddings": True,
    })
    from training.train import main

    assert main(["--config", str(cfg)]) == 0
    return tmp / "model"


@pytest.mark.slow
def test_hub_layout_directory_trains_and_tags(e5_model_dir):
    settings = json.loads((e5_model_dir / "polner.json").read_text(encoding="utf-8"))
    assert (settings["tone"], settings["word_join"], settings["segmenter"]) == ("new", " ", "none")
    assert (e5_model_dir / "tokenizer.json").is_file()
    tagger = load_tagger(e5_model_dir)
    for text in (TEXT, unicodedata.normalize("NFD", TEXT)):
        for e in tagger.tag(text):  # two training steps: the entities are not the point here
            assert text[e.start:e.end] == e.text
    # the grammar's codes reach the output whatever the barely trained model says
    assert "18-NQ/TW" in [e.text for e in tagger.tag(TEXT) if e.label == "DOC"]
    assert tagger.tag_batch([TEXT, "", TEXT[:50]]) == [tagger.tag(TEXT), [], tagger.tag(TEXT[:50])]


@pytest.mark.slow
def test_words_are_tokenised_as_inside_their_sentence(e5_vi_dir):
    """Word-by-word encoding (cached) equals the word_ids() grouping of the whole sentence."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(e5_vi_dir))
    enc = WordEncoder(tok)
    assert enc.word_join == " "
    words = ["Bí_thư", "Thành_ủy", "Hà_Nội", "Bùi", "Thị", "Minh", "Hoài", "ký", "18-NQ/TW", "(", "UBND", ")", "."]
    sentence = tok([w.replace("_", " ") for w in words], is_split_into_words=True, add_special_tokens=False)
    grouped: dict[int, list[int]] = {}
    for token_id, word in zip(sentence["input_ids"], sentence.word_ids()):
        grouped.setdefault(word, []).append(token_id)
    by_word = enc.encode_words(words)
    # a pyvi word ("Bí_thư") is joined with a space: one word of the sentence, two pieces
    assert by_word == [grouped[i] for i in range(len(words))]
    assert tok.convert_ids_to_tokens(by_word[0]) == ["▁Bí", "▁thư"]
