"""Load a trained model directory and tag text.

``tag_batch`` is the workhorse: it preprocesses every document, cuts long sentences into
overlapping windows, sorts all windows of all documents by length and packs them into
batches bounded by a token budget (so padding stays small), then puts the predictions back
in document order. ``tag`` is ``tag_batch`` of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import torch

from inference.decode import decode, tags_from_probs
from inference.doc_rules import apply_doc_rules
from inference.encode import Window, WordEncoder, best_window_for_words, make_windows
from inference.normalize import normalize_word
from inference.preprocess import PreparedDoc, Preprocessor
from inference.settings import TaggerSettings, check_model_dir
from inference.segment import Word

# The fixed cost of one forward pass in padded-token equivalents, for plan_batches: on a
# CPU a pass re-reads every weight matrix and a product of few rows runs below peak speed.
BATCH_COST = 64


@dataclass(frozen=True)
class Entity:
    """An entity in the caller's original string: ``text[start:end] == entity.text``.

    ``source`` says where it came from: ``model``, ``model+grammar`` (a model DOC span
    snapped to the document-code grammar) or ``grammar`` (a code only the grammar found;
    its score is 1.0 because the match is deterministic, not a probability).
    """

    text: str
    label: str
    start: int
    end: int
    score: float
    source: str = "model"

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "source": self.source,
        }


class Tagger:
    def __init__(
        self,
        model: torch.nn.Module,
        tokenizer,
        settings: TaggerSettings,
        *,
        batch_tokens: int = 8192,
        doc_rules: str | None = None,
    ) -> None:
        self.model = model.eval()
        self.settings = settings
        self.encoder = WordEncoder(tokenizer)
        self.preprocessor = Preprocessor(settings.segmenter)
        if batch_tokens < settings.max_length:
            # a window of max_length ids could then fit in no batch
            raise ValueError(f"batch_tokens ({batch_tokens}) must be at least max_length ({settings.max_length})")
        self.batch_tokens = batch_tokens
        self.doc_rules = doc_rules or settings.doc_rules
        if self.doc_rules not in ("off", "repair", "union"):
            raise ValueError(f"doc_rules must be off, repair or union, got {self.doc_rules!r}")
        if "DOC" not in settings.labels and self.doc_rules != "off":
            self.doc_rules = "off"  # a model without DOC (e.g. PhoNER) gets no code rules
        self.device = next(model.parameters()).device

    # -- public API ---------------------------------------------------------------
    def tag(self, text: str) -> list[Entity]:
        return self.tag_batch([text])[0]

    def tag_batch(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> list[list[Entity]]:
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"texts[{i}] must be str, got {type(t).__name__}")
        docs = [self.preprocessor.prepare(t) for t in texts]
        sentences = [s for d in docs for s in d.sentences]
        probs = self.sentence_probs([[w.form for w in s] for s in sentences], progress)
        out: list[list[Entity]] = []
        k = 0
        for text, doc in zip(texts, docs):
            ents: list[Entity] = []
            for words in doc.sentences:
                ents.extend(word_entities(text, doc, words, probs[k], self.settings.tags))
                k += 1
            out.append(apply_doc_rules(text, ents, self.doc_rules, Entity))
        return out

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for pre-tokenised sentences (each word normalised like running text)."""
        forms = [[normalize_word(w) or w for w in s] for s in sentences]
        probs = self.sentence_probs(forms)
        return [tags_from_probs(p, self.settings.tags) if len(p) else [] for p in probs]

    # -- internals ----------------------------------------------------------------
    def sentence_probs(
        self, sentences: Sequence[Sequence[str]], progress: Callable[[int], None] | None = None
    ) -> list[np.ndarray]:
        """(n_words, n_tags) tag probabilities for each sentence of word forms."""
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
        encode = self.encoder.encode
        windows: list[Window] = []
        owners: list[list[int]] = []
        for forms in sentences:
            ws = make_windows([encode(f) for f in forms], self.encoder.bos, self.encoder.eos, s.max_length, s.window_overlap)
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
    def forward_windows(
        self, windows: Sequence[Window], progress: Callable[[int], None] | None = None
    ) -> list[np.ndarray]:
        """(n_words_in_window, n_tags) probabilities for each window, in input order.

        Only each word's first subword is read, so those rows are gathered from the logits
        with one index operation before the softmax: the softmax runs over the rows that are
        used, not over every padded position of the batch.
        """
        result: list[np.ndarray | None] = [None] * len(windows)
        for batch in self.plan_batches(windows):
            members = [windows[i] for i in batch]
            ids, mask = self.collate(members)
            logits = self.model(input_ids=ids, attention_mask=mask).logits
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


def word_entities(
    text: str, doc: PreparedDoc, words: Sequence[Word], probs: np.ndarray, tags: Sequence[str], source: str = "model"
) -> list[Entity]:
    """Entities of one sentence, decoded from its per-word tag probabilities and mapped from
    normalised offsets back to the caller's ``text``. Baselines that choose tags themselves
    pass ``decode.one_hot`` rows, so every system's output reaches the text the same way."""
    ents = []
    for span in decode(probs, tags, [w.form for w in words]):
        start, end = doc.norm.to_original(words[span.first].start, words[span.last].end)
        ents.append(Entity(text[start:end], span.label, start, end, span.score, source))
    return ents


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


def quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 quantisation of the Linear layers, for CPU inference."""
    engines = torch.backends.quantized.supported_engines
    usable = [e for e in ("fbgemm", "x86", "qnnpack") if e in engines]
    if not usable:
        raise RuntimeError(
            f"int8 quantisation is not available on this platform (quantized engines: {engines})"
        )
    torch.backends.quantized.engine = usable[0]
    from torch.ao.quantization import quantize_dynamic

    return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def load_tagger(
    path: str | Path,
    *,
    device: str = "cpu",
    quantize: str | None = None,
    batch_tokens: int = 8192,
    doc_rules: str | None = None,
) -> Tagger:
    """Load a directory written by polner-train (or laid out the same way)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    directory = check_model_dir(path)
    settings = TaggerSettings.load(directory)
    tokenizer = AutoTokenizer.from_pretrained(str(directory))
    model = AutoModelForTokenClassification.from_pretrained(str(directory))
    n_out = model.config.num_labels
    if n_out != len(settings.tags):
        raise ValueError(
            f"{directory}: the model has {n_out} outputs but polner.json lists {len(settings.tags)} tags"
        )
    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    if quantize == "int8":
        if device != "cpu":
            raise ValueError("int8 dynamic quantisation runs on the CPU only")
        model = quantize_int8(model)
    model.to(device)
    return Tagger(model, tokenizer, settings, batch_tokens=batch_tokens, doc_rules=doc_rules)


def iter_chunks(items: Iterable, size: int):
    chunk = []
    for it in items:
        chunk.append(it)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
