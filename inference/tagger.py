"""Load a trained model directory and tag text with it.

``TransformerTagger`` supplies the per-word tag probabilities that ``inference.base``
turns into entities: it cuts long sentences into overlapping windows, sorts all windows of
all documents by length and packs them into batches bounded by a token budget (so padding
stays small), runs the model, and puts the predictions back in sentence order.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import torch

from inference.base import Progress, WordTagger
from inference.hooks import Phase, no_timing
from inference.encode import Window, WordEncoder, best_window_for_words, make_windows
from inference.settings import WEIGHT_FILES, ModelDirError, TaggerSettings, check_consistency, check_model_dir

log = logging.getLogger(__name__)

# The fixed cost of one forward pass in padded-token equivalents, for plan_batches: on a
# CPU a pass re-reads every weight matrix and a product of few rows runs below peak speed.
BATCH_COST = 64


class TransformerTagger(WordTagger):
    """A token-classification transformer behind the tagger contract (``inference.base``)."""

    def __init__(
        self,
        model: torch.nn.Module,
        tokenizer,
        settings: TaggerSettings,
        *,
        batch_tokens: int = 8192,
        doc_rules: str | None = None,
        phase: Phase = no_timing,
    ) -> None:
        super().__init__(settings, doc_rules, phase)
        self.model = model.eval()
        self.encoder = WordEncoder(tokenizer, settings.word_join)
        if batch_tokens < settings.max_length:
            # a window of max_length ids could then fit in no batch
            raise ValueError(f"batch_tokens ({batch_tokens}) must be at least max_length ({settings.max_length})")
        self.batch_tokens = batch_tokens
        self.device = next(model.parameters()).device

    def sentence_probs(self, sentences: Sequence[Sequence[str]], progress: Progress | None = None) -> list[np.ndarray]:
        """(n_words, n_tags) tag probabilities for each sentence of word forms."""
        with self.phase("encode"):
            windows, owners = self.sentence_windows(sentences)
        window_probs = self.forward_windows(windows, progress)
        out = []
        for forms, idx in zip(sentences, owners):
            if not forms:
                out.append(np.zeros((0, len(self.settings.tags)), dtype=np.float32))
            elif len(idx) == 1:
                # the common case: one window holds the whole sentence, its rows are the words
                out.append(window_probs[idx[0]])
            else:
                mine = [windows[i] for i in idx]
                choice = best_window_for_words(mine, len(forms))
                out.append(np.stack([window_probs[idx[wi]][k] for wi, k in choice]))
        return out

    def sentence_windows(self, sentences: Sequence[Sequence[str]]) -> tuple[list[Window], list[list[int]]]:
        """All windows of all sentences, and for each sentence the indices of its windows.

        Public so that a benchmark can time the model on exactly the inputs the tagger builds.
        """
        s = self.settings
        encode = self.encoder.encode_words
        windows: list[Window] = []
        owners: list[list[int]] = []
        for forms in sentences:
            ws = make_windows(encode(forms), self.encoder.bos, self.encoder.eos, s.max_length, s.window_overlap)
            owners.append(list(range(len(windows), len(windows) + len(ws))))
            windows.extend(ws)
        return windows, owners

    def plan_batches(self, windows: Sequence[Window]) -> list[list[int]]:
        """Window indices grouped into batches of at most batch_tokens padded tokens."""
        return plan_batches([len(w.input_ids) for w in windows], self.batch_tokens)

    def collate(self, windows: Sequence[Window]) -> tuple[torch.Tensor, torch.Tensor]:
        """Right-padded ids and attention mask for a batch of windows (built once, moved once)."""
        width = max(len(w.input_ids) for w in windows)
        ids = np.full((len(windows), width), self.encoder.pad, dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for r, w in enumerate(windows):
            ids[r, : len(w.input_ids)] = w.input_ids
            mask[r, : len(w.input_ids)] = 1
        return torch.from_numpy(ids).to(self.device), torch.from_numpy(mask).to(self.device)

    @torch.inference_mode()
    def forward_windows(self, windows: Sequence[Window], progress: Progress | None = None) -> list[np.ndarray]:
        """(n_words_in_window, n_tags) probabilities for each window, in input order.

        Only each word's first subword is read, so those rows are gathered from the logits
        with one index operation before the softmax: the softmax runs over the rows that are
        used, not over every padded position of the batch.
        """
        result: list[np.ndarray | None] = [None] * len(windows)
        for batch in self.plan_batches(windows):
            members = [windows[i] for i in batch]
            with self.phase("gather"):
                ids, mask = self.collate(members)
            with self.phase("forward"):
                logits = self.model(input_ids=ids, attention_mask=mask).logits
            with self.phase("gather"):
                rows = torch.tensor([r for r, w in enumerate(members) for _ in w.first_positions], dtype=torch.long)
                cols = torch.tensor([p for w in members for p in w.first_positions], dtype=torch.long)
                picked = logits[rows.to(logits.device), cols.to(logits.device)]
                probs = torch.softmax(picked.float(), dim=-1).cpu().numpy()
            start = 0
            for i, w in zip(batch, members):
                end = start + len(w.first_positions)
                result[i] = probs[start:end]
                start = end
            if progress:
                progress(int(mask.sum()))
        return result  # type: ignore[return-value]


def plan_batches(lengths: Sequence[int], batch_tokens: int, batch_cost: int = BATCH_COST) -> list[list[int]]:
    """Indices of ``lengths`` grouped into batches, sorted by length, each at most
    ``batch_tokens`` long once padded to its longest member (an item longer than the
    budget on its own gets a batch of its own).

    The batches are cut from the sorted list so as to minimise padded tokens plus
    ``batch_cost`` per batch: a forward pass has a fixed cost, so a few padding tokens are
    worth paying to avoid a tiny batch, but padding a whole batch to a much longer window
    is not. (Filling every batch up to the budget pads ~25% on news text; this pads ~3%.)

    Exact dynamic programming over cut positions, made cheap by one observation: if a
    batch ends inside a run of equal lengths and could hold one more item, moving the next
    batch's first item into it (same length, so no new padding) never costs more. So a
    batch ending inside a run is full, and only batches ending at a run's end need a search
    over their start (a vectorised minimum, done once per distinct length).
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    ls = [lengths[i] for i in order]
    n = len(ls)
    best = np.full(n + 1, np.inf)  # best[j]: cheapest batching of the first j sorted items
    best[0] = 0.0
    start = [0] * (n + 1)  # where the last batch of that batching starts
    positions = np.arange(n + 1, dtype=np.float64)
    for j in range(1, n + 1):
        size = ls[j - 1]
        cap = max(1, batch_tokens // size)  # items per batch at this padded width
        if j < n and ls[j] == size:  # inside a run: the batch ending here is full
            i = j - cap
            if i >= 0:
                best[j], start[j] = best[i] + cap * size + batch_cost, i
        else:  # end of a run: any start within the budget
            lo = max(0, j - cap)
            costs = best[lo:j] - positions[lo:j] * size
            k = int(np.argmin(costs))
            best[j], start[j] = costs[k] + j * size + batch_cost, lo + k
    batches: list[list[int]] = []
    j = n
    while j:
        batches.append(order[start[j]:j])
        j = start[j]
    return batches[::-1]


# Activations are quantised to 7 bits (0..127): on x86 CPUs without VNNI, oneDNN's int8
# product multiplies unsigned 8-bit activations by signed 8-bit weights in pairs summed in
# 16 bits (vpmaddubsw), which saturates for full 8-bit activations (measured: 14% error,
# against 2% at 7 bits, as fbgemm's reduce_range does for the same reason).
ACTIVATION_LEVELS = 127


class Int8DynamicLinear(torch.nn.Module):
    """A ``Linear`` with dynamic int8 quantisation, on oneDNN's int8 linear kernel.

    The weight is stored as int8, symmetric per output row, and packed once for oneDNN
    (``torch.ops.onednn.qlinear_prepack``); at each call the input is quantised per tensor
    to unsigned 7-bit integers and multiplied by ``torch.ops.onednn.qlinear_pointwise``,
    which returns float32. These are the kernels torch's own x86 Inductor quantisation lowers
    to, and they use plain int8/uint8 tensors, not the deprecated quantised tensor types.

    Why not the alternatives (torch 2.13, measured on an AVX2 CPU without VNNI, 1024x768 by
    768): ``torch.ao.quantization.quantize_dynamic`` (fbgemm) is deprecated and warns;
    torchao, its named successor, multiplies with ``torch._int_mm``, which here runs 40-65x
    slower than fp32, as does ``torch._weight_int8pack_mm``; this kernel runs about 2x faster
    than fp32 (fbgemm: 1.6x), with the same error as fbgemm.
    """

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        w = linear.weight.detach().float()
        scale = w.abs().amax(dim=1).clamp(min=1e-8) / 127.0
        q = torch.round(w / scale[:, None]).clamp(-127, 127).to(torch.int8)
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.packed = torch.ops.onednn.qlinear_prepack(q, None)  # opaque; CPU only, not in the state dict
        self.register_buffer("weight_scale", scale)
        self.register_buffer("weight_zero_point", torch.zeros(self.out_features, dtype=torch.int64))
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().float().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        rows = x.reshape(-1, shape[-1]).float()
        if rows.numel() == 0:
            return x.new_zeros(*shape[:-1], self.out_features)
        lo, hi = torch.aminmax(rows)
        lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
        scale = (hi - lo) / ACTIVATION_LEVELS or 1.0
        zero = int(round(-lo / scale))
        q = rows.mul(1.0 / scale).add_(zero).round_().clamp_(0, ACTIVATION_LEVELS).to(torch.uint8)
        y = torch.ops.onednn.qlinear_pointwise(
            q, scale, zero, self.packed, self.weight_scale, self.weight_zero_point, self.bias,
            1.0, 0, torch.float32, "none", [], "",
        )
        return y.reshape(*shape[:-1], self.out_features).to(x.dtype)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8 dynamic (oneDNN)"


def quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 quantisation of every ``Linear`` layer (``Int8DynamicLinear``), for CPU
    inference; the model is changed in place and returned. A torch build without oneDNN's
    int8 kernels is a clear RuntimeError, not a crash at the first forward pass."""
    try:
        probe = Int8DynamicLinear(torch.nn.Linear(8, 8))
        probe(torch.randn(2, 8))
    except (RuntimeError, AttributeError, NotImplementedError) as exc:
        raise RuntimeError(f"int8 quantisation needs oneDNN's int8 kernels, which this torch build lacks: "
                           f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    _swap_linears(model)
    return model


def _swap_linears(module: torch.nn.Module) -> None:
    for name, child in list(module.named_children()):
        if isinstance(child, torch.nn.Linear):
            setattr(module, name, Int8DynamicLinear(child))
        else:
            _swap_linears(child)


def available_cores() -> int:
    """Cores this process may use, minus those other work keeps busy (1-minute load average).

    With two cores and one busy elsewhere, torch's two threads wait for each other at every
    operation and a forward pass gets several times slower than on one thread alone
    (benchmarks/results/threads.md), so the CLIs ask for no more threads than are free."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    busy = int(os.getloadavg()[0]) if hasattr(os, "getloadavg") else 0
    return max(1, cpus - busy)


def set_threads(n: int | None = None, *, caller: str = "set_threads()") -> int:
    """Set torch's CPU threads: ``n``, or by default ``available_cores()`` (at most torch's
    current setting, so a caller's lower choice stands). ``load_tagger`` calls this unless
    told ``threads=None``."""
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"{caller}: threads must be an integer of at least 1, got {n!r}")
    n = n or min(torch.get_num_threads(), available_cores())
    torch.set_num_threads(n)
    return n


@contextmanager
def quiet_transformers():
    """No progress bars and no load reports from transformers while the API loads a model:
    the library is silent unless the caller asks (CLIs add their own progress)."""
    from transformers.utils import logging as hf_logging

    bars, level = hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


def load_tagger(
    path: str | Path,
    *,
    device: str = "cpu",
    quantize: str | None = None,
    batch_tokens: int = 8192,
    doc_rules: str | None = None,
    threads: int | str | None = "auto",
    phase: Phase = no_timing,
) -> TransformerTagger:
    """Load a directory written by polner-train (or laid out the same way).

    The directory is checked before transformers sees it (``inference.settings``): a
    missing, empty, truncated or foreign file, ``polner.json`` disagreeing with
    ``config.json``, or a config naming custom code is a ``ModelDirError`` whose one-line
    message names the file. No code from the directory runs and nothing reads stdin
    (``trust_remote_code=False``). Silent: transformers' progress bars and load reports
    are off while loading.

    ``threads`` sets torch's CPU threads for the process (torch has one pool): ``"auto"``
    (default) takes what the machine can give now (``available_cores()``, never more than
    torch's current setting), an integer sets it, ``None`` leaves it alone. With torch's
    default of a thread per core, a core busy elsewhere makes tagging several times slower
    (benchmarks/results/threads.md)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    if quantize == "int8" and device != "cpu":
        raise ValueError("int8 dynamic quantisation runs on the CPU only")
    if threads is not None and threads != "auto":
        set_threads(threads, caller="load_tagger()")  # a bad value fails before anything loads
    directory = check_model_dir(path)
    settings = TaggerSettings.load(directory)
    check_consistency(directory, settings)
    with quiet_transformers():
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(directory), trust_remote_code=False)
        except Exception as exc:  # a damaged file transformers could not read: one line, naming it
            raise ModelDirError(f"{directory}: the tokenizer files cannot be loaded: {_one_line(exc)}") from None
        try:
            model, info = AutoModelForTokenClassification.from_pretrained(
                str(directory), trust_remote_code=False, output_loading_info=True
            )
        except Exception as exc:
            raise ModelDirError(f"{directory}: the model cannot be loaded: {_one_line(exc)}") from None
    tokenizer_file = directory / ("tokenizer.json" if (directory / "tokenizer.json").is_file() else "vocab.txt")
    if len(tokenizer) <= len(set(tokenizer.all_special_ids)):
        raise ModelDirError(f"{tokenizer_file}: the tokenizer has no vocabulary beyond its special tokens")
    rows = getattr(model.config, "vocab_size", None)
    if rows and len(tokenizer) < rows // 2:  # e.g. a vocab.txt cut short: most words would be <unk>
        raise ModelDirError(f"{tokenizer_file}: the tokenizer has {len(tokenizer):,} entries but the model's "
                            f"embeddings have {rows:,} rows; truncated, or from another model?")
    weights = next(directory / w for w in WEIGHT_FILES if (directory / w).is_file())
    missing = list(info.get("missing_keys") or []) + list(info.get("mismatched_keys") or [])
    if missing:
        first = missing[0] if isinstance(missing[0], str) else missing[0][0]
        raise ModelDirError(f"{weights}: {len(missing)} of the model's weights are missing or misshapen "
                            f"(e.g. {first}); the file belongs to another model")
    n_out = model.config.num_labels
    if n_out != len(settings.tags):
        raise ModelDirError(
            f"{directory}: the model has {n_out} outputs but polner.json lists {len(settings.tags)} tags"
        )
    if threads == "auto" and device == "cpu":
        set_threads()
    if quantize == "int8":
        model = quantize_int8(model)
    model.to(device)
    log.info("loaded %s (%d tags, %s, %s%s)", directory, len(settings.tags), type(model).__name__, device,
             ", int8" if quantize else "")
    return TransformerTagger(model, tokenizer, settings, batch_tokens=batch_tokens, doc_rules=doc_rules, phase=phase)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def iter_chunks(items: Iterable, size: int):
    chunk = []
    for it in items:
        chunk.append(it)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
