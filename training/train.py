"""Fine-tune a token classifier and write a complete, self-contained model directory.

    polner-train --config configs/e5-small.yaml [--output-dir DIR] [--set key=value ...]
                 [--resume] [--overwrite]

The output directory holds everything ``load_tagger`` needs (weights, tokenizer,
``polner.json``), the config used, the training log and dev/test reports produced by the
real tagger; no pickle, every file 0644. It is assembled in a hidden sibling directory and
renamed into place at the end, so a crash never leaves a half-written model where a
finished one is expected; with ``--overwrite`` the old model stays until the new one is
complete, and is then swapped out by renames (``DIR`` -> ``.DIR.old``, new -> ``DIR``,
delete ``.DIR.old``; a run killed in between is repaired by the next run).

No work is lost:
- everything a run needs is checked before any work starts: the config with its
  cross-field constraints (``training.config``), the machine (CUDA for ``device: cuda`` and
  for fp16), the model's positions, and all three data splits, read and checked as the
  corpus validator checks them (``training.data.validate_files``); a problem is one line
  naming the key, or the file, line and id, and exit status 2;
- checkpoints live in ``DIR.checkpoints``; a run that finds some stops and asks for
  ``--resume`` (continue) or ``--overwrite`` (discard them) instead of deleting them;
- Ctrl-C or SIGTERM saves a checkpoint at the next step boundary, prints one line with the
  exact command that resumes, and exits 130; a second Ctrl-C stops at once.

``train`` runs six named steps: load the data, build the model, build the trainer, fit,
report, publish.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shlex
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from inference.cli import error
from inference.decode import tags_from_probs
from inference.encode import WordEncoder, make_windows, word_join_for
from inference.preprocess import Preprocessor
from inference.settings import (
    ModelDirError,
    TaggerSettings,
    normal_permissions,
    read_json,
    refuse_custom_code,
    set_aside_path,
)
from training import backbones
from training.config import Config, ConfigError, check_machine, check_model_positions, config_to_dict, load_config
from inference.iob import bio_tags
from training.data import Example, load_examples, validate_files
from training.paths import writable_directory
from inference.records import DataError

SPLITS = ("train", "dev", "test")


@dataclass
class Splits:
    train: list[Example]
    dev: list[Example]


def build_features(examples: list[Example], encoder: WordEncoder, tags: list[str], max_length: int) -> list[dict]:
    """Windows without overlap, so every word is labelled exactly once; -100 elsewhere."""
    tag2id = {t: i for i, t in enumerate(tags)}
    feats = []
    for ex in examples:
        pieces = encoder.encode_words(ex.forms)
        for w in make_windows(pieces, encoder.bos, encoder.eos, max_length, overlap=0):
            labels = [-100] * len(w.input_ids)
            for k, pos in enumerate(w.first_positions):
                labels[pos] = tag2id[ex.tags[w.word_start + k]]
            feats.append({
                "input_ids": list(w.input_ids),
                "attention_mask": [1] * len(w.input_ids),
                "labels": labels,
                "length": len(w.input_ids),
            })
    return feats


def make_compute_metrics(tags: list[str]):
    """Dev entity F1 for model selection, decoded exactly as the tagger decodes (the most
    probable valid IOB2 path), so the checkpoint kept is the best one for ``tag()``."""
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    def compute(eval_pred) -> dict:
        preds, labels = eval_pred.predictions, eval_pred.label_ids
        gold_seqs, pred_seqs = [], []
        for p_row, l_row in zip(preds, labels):
            keep = l_row != -100
            gold_seqs.append([tags[i] for i in l_row[keep]])
            pred_seqs.append(tags_from_probs(np.exp(p_row[keep]), tags))
        kw = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
        return {
            "precision": precision_score(gold_seqs, pred_seqs, **kw),
            "recall": recall_score(gold_seqs, pred_seqs, **kw),
            "f1": f1_score(gold_seqs, pred_seqs, **kw),
        }

    return compute


def _log_probs(logits, labels):
    import torch

    return torch.log_softmax(logits.float(), dim=-1)


# -- step 1: data ------------------------------------------------------------------------
def load_tokenizer(cfg: Config):
    from transformers import AutoTokenizer

    key = "model.scratch.tokenizer" if cfg.model.scratch else "model.name_or_path"
    source = cfg.model.scratch.tokenizer if cfg.model.scratch else backbones.resolve(cfg.model.name_or_path)
    try:
        return AutoTokenizer.from_pretrained(source, trust_remote_code=False)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{key}: no tokenizer can be loaded from {source!r}: {_one_line(exc)}") from None


def check_positions(cfg: Config) -> None:
    """preprocessing.max_length against a pre-trained model's positions, from its config
    alone (no weights), before the data is loaded. A scratch model is sized to fit."""
    if cfg.model.scratch:
        return
    from transformers import AutoConfig

    source = backbones.resolve(cfg.model.name_or_path)
    for name in ("config.json", "tokenizer_config.json"):  # a local directory that names custom code
        local = Path(source) / name
        if local.is_file():
            try:
                refuse_custom_code(local, read_json(local))
            except ModelDirError as exc:
                raise ConfigError(f"model.name_or_path: {exc}") from None
    try:
        model_config = AutoConfig.from_pretrained(source, trust_remote_code=False)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"model.name_or_path: no model config can be loaded from {source!r}: {_one_line(exc)}") from None
    check_model_positions(cfg, model_config)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def tagger_settings(cfg: Config, tags: list[str], tokenizer) -> TaggerSettings:
    """What the tagger must reproduce at serving time, from the config and the tokenizer."""
    p = cfg.preprocessing
    word_join = word_join_for(tokenizer)
    tone = p.tone if p.tone != "auto" else ("old" if word_join == "_" else "new")
    return TaggerSettings(
        tags=tags, segmenter=p.segmenter, max_length=p.max_length, window_overlap=p.window_overlap,
        doc_rules=p.doc_rules, tone=tone, word_join=word_join,
    )


def split_path(cfg: Config, key: str) -> Path | None:
    value = getattr(cfg.data, key)
    return Path(value) if value is not None else None


def load_split(cfg: Config, key: str, pre: Preprocessor) -> list[Example]:
    return load_examples(split_path(cfg, key), cfg.data.format, cfg.data.labels, pre)


def check_data(cfg: Config) -> None:
    """All splits read and checked as the corpus validator checks them, before any work."""
    validate_files([p for p in (split_path(cfg, k) for k in SPLITS) if p is not None], cfg.data.format, cfg.data.labels)


def load_data(cfg: Config, pre: Preprocessor) -> Splits:
    """The training and dev examples; the test split was checked by ``check_data`` and is
    scored from its file by ``report``."""
    return Splits(load_split(cfg, "train", pre), load_split(cfg, "dev", pre))


# -- step 2: model -----------------------------------------------------------------------
def build_model(cfg: Config, tags: list[str], tokenizer):
    from transformers import AutoModelForTokenClassification, RobertaConfig

    id2label = dict(enumerate(tags))
    label2id = {t: i for i, t in enumerate(tags)}
    if cfg.model.scratch:
        sizes = cfg.model.scratch.sizes()  # RobertaConfig's own names
        specials = {f"{k}_token_id": getattr(tokenizer, f"{k}_token_id") for k in ("pad", "bos", "eos")}
        config = RobertaConfig(
            vocab_size=len(tokenizer), **sizes, **specials, max_position_embeddings=cfg.preprocessing.max_length + 2,
            type_vocab_size=1, layer_norm_eps=1e-5, tokenizer_class="PhobertTokenizer",
            num_labels=len(tags), id2label=id2label, label2id=label2id,
        )
        model = AutoModelForTokenClassification.from_config(config)
    else:
        model = AutoModelForTokenClassification.from_pretrained(
            backbones.resolve(cfg.model.name_or_path), num_labels=len(tags), id2label=id2label,
            label2id=label2id, trust_remote_code=False,
        )
    check_model_positions(cfg, model.config)
    freeze(model, cfg.training.freeze_embeddings, cfg.training.freeze_layers)
    return model


def freeze(model, embeddings: bool, layers: int) -> None:
    """Keep the word embeddings, or the whole embedding block and the ``layers`` lowest
    encoder layers, as pre-trained. Below the lowest trained layer nothing needs a gradient,
    so the backward pass stops there: freezing layers also makes a step cheaper."""
    if embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    if layers <= 0:
        return
    n_layers = getattr(model.config, "num_hidden_layers", 0)
    if layers > n_layers:
        raise ConfigError(f"training.freeze_layers {layers} exceeds the model's {n_layers} layers")
    for name, param in model.named_parameters():
        if _depth(name, n_layers) <= layers:
            param.requires_grad_(False)


def _depth(name: str, n_layers: int) -> int:
    """0 for embeddings, i + 1 for encoder layer i, n_layers + 1 for the head."""
    if ".embeddings." in f".{name}":
        return 0
    m = re.search(r"\.layer\.(\d+)\.", name)
    return int(m.group(1)) + 1 if m else n_layers + 1


def build_optimizer(model, lr: float, weight_decay: float, layer_decay: float):
    """AdamW with layer-wise learning-rate decay: the head trains at ``lr``, encoder layer i
    of n at ``lr * layer_decay ** (n - i)``, the embeddings below that. Biases and
    LayerNorm weights get no weight decay; frozen parameters are left out."""
    import torch

    n_layers = getattr(model.config, "num_hidden_layers", 0)
    groups: dict[tuple[float, float], list] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        scale = layer_decay ** (n_layers + 1 - _depth(name, n_layers))
        decay = 0.0 if name.endswith("bias") or "LayerNorm" in name or "layer_norm" in name else weight_decay
        groups.setdefault((lr * scale, decay), []).append(param)
    return torch.optim.AdamW(
        [{"params": ps, "lr": group_lr, "weight_decay": wd} for (group_lr, wd), ps in groups.items()], lr=lr
    )


# -- step 3: trainer ---------------------------------------------------------------------
def _epoch_logger():
    from transformers import TrainerCallback

    class EpochLog(TrainerCallback):
        """One line per epoch (loss, dev scores, time used and an estimate of time left),
        instead of the Trainer's raw log dictionaries."""

        def on_train_begin(self, args, state, control, **kw):
            self.start, self.first_step = time.perf_counter(), state.global_step

        def on_evaluate(self, args, state, control, metrics=None, **kw):
            metrics = metrics or {}
            losses = [h["loss"] for h in state.log_history if "loss" in h]
            elapsed = time.perf_counter() - self.start
            done = max(1, state.global_step - self.first_step)
            left = elapsed / done * max(0, state.max_steps - state.global_step)
            # on_evaluate runs before the Trainer records this epoch's metric: include it here
            f1 = metrics.get("eval_f1")
            known = [m for m in (state.best_metric, f1) if m is not None]
            best = f" (best so far {max(known):.4f})" if state.best_metric is not None and known else ""
            loss = f"train loss {losses[-1]:.4f}, " if losses else ""
            print(f"epoch {state.epoch:.0f}/{args.num_train_epochs:.0f}: {loss}"
                  f"dev F1 {metrics.get('eval_f1', float('nan')):.4f}{best}; "
                  f"{_clock(elapsed)} elapsed, at most {_clock(left)} left", flush=True)

    return EpochLog()


class StopRequest:
    """SIGINT/SIGTERM while the trainer runs: remember it, and let ``StopAtStep`` save a
    checkpoint and stop at the next step boundary. Outside the training loop, or at a
    second signal, stop at once (KeyboardInterrupt)."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self.in_fit = False

    def __call__(self, signum, frame) -> None:
        if self.in_fit and self.signal is None:
            self.signal = signum
            return
        raise KeyboardInterrupt

    @property
    def requested(self) -> bool:
        return self.signal is not None


def _stop_at_step(request: StopRequest):
    from transformers import TrainerCallback

    class StopAtStep(TrainerCallback):
        """On a stop request: save a checkpoint at this step and end training; no
        evaluation of the half epoch, so a resumed run follows the uninterrupted one."""

        def on_step_end(self, args, state, control, **kw):
            if request.requested:
                control.should_save = True
                control.should_training_stop = True

        def on_epoch_end(self, args, state, control, **kw):
            if request.requested:  # the step's checkpoint is already written
                control.should_evaluate = False
                control.should_save = False

    return StopAtStep()


EPOCH_RNG_FILE = "epoch_rng_state.json"


def _rng_state() -> dict:
    import random

    import torch

    kind, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss_next = random.getstate()
    state = {"python": [version, list(internal), gauss_next], "numpy": [kind, keys.tolist(), pos, has_gauss, cached],
             "torch": torch.get_rng_state().tolist()}
    if torch.cuda.is_available():
        state["cuda"] = [s.tolist() for s in torch.cuda.get_rng_state_all()]
    return state


def _set_rng_state(state: dict) -> None:
    import random

    import torch

    version, internal, gauss_next = state["python"]
    random.setstate((version, tuple(internal), gauss_next))
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, np.array(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(torch.tensor(state["torch"], dtype=torch.uint8))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([torch.tensor(s, dtype=torch.uint8) for s in state["cuda"]])


def _epoch_rng(resume_from: Path | None):
    """Mid-epoch resumption that follows the uninterrupted run exactly.

    The Trainer draws an epoch's batch order from the global RNG when the epoch starts.
    Resuming mid-epoch, it skips the batches already seen but draws that order from the
    fresh process's RNG, so the rest of the epoch would see other batches than the run it
    continues. Each checkpoint therefore records the RNG state of its epoch's start
    (JSON, no pickle), and a resumed run restores it just before the order is drawn; the
    Trainer then restores the step's own RNG state as usual."""
    from transformers import TrainerCallback

    class EpochRng(TrainerCallback):
        def __init__(self) -> None:
            self.start: dict | None = None
            self.pending = resume_from

        def on_epoch_begin(self, args, state, control, **kw):
            epoch = int(state.epoch or 0)
            if self.pending is not None:
                saved = self.pending / EPOCH_RNG_FILE
                self.pending = None
                if saved.is_file():
                    record = json.loads(saved.read_text(encoding="utf-8"))
                    if record["epoch"] == epoch and state.epoch != epoch:  # resuming inside this epoch
                        _set_rng_state(record["state"])
            self.start = {"epoch": epoch, "state": _rng_state()}

        def on_save(self, args, state, control, **kw):
            folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            if self.start is not None and folder.is_dir():
                (folder / EPOCH_RNG_FILE).write_text(json.dumps(self.start), encoding="utf-8")

    return EpochRng()


def _quiet_progress():
    """The Trainer's progress bar (on a terminal) without the raw log dictionaries it
    prints: EpochLog gives the one line per epoch."""
    from transformers.trainer_callback import ProgressCallback

    class BarOnly(ProgressCallback):
        def on_log(self, args, state, control, logs=None, **kw):
            pass

    return BarOnly()


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


def build_trainer(cfg: Config, model, tokenizer, train_ds, dev_ds, tags: list[str], ckpt_dir: Path, use_cpu: bool,
                  stop: StopRequest, resume_from: Path | None = None):
    from transformers import DataCollatorForTokenClassification, EarlyStoppingCallback, Trainer, TrainingArguments
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    t = cfg.training
    args = TrainingArguments(
        output_dir=str(ckpt_dir),
        seed=t.seed,
        learning_rate=t.learning_rate,
        per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.eval_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        num_train_epochs=t.num_epochs,
        max_steps=t.max_steps,
        weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio,  # a float below 1 is a ratio of the total steps
        lr_scheduler_type=t.lr_scheduler,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="f1",
        greater_is_better=True,
        logging_strategy="steps",
        logging_steps=t.logging_steps,
        report_to="none",
        use_cpu=use_cpu,
        fp16=t.fp16,
        dataloader_num_workers=t.dataloader_workers,
        disable_tqdm=not sys.stderr.isatty(),
        # batches of similar length: far less padding, same examples per epoch
        train_sampling_strategy="group_by_length",
        length_column_name="length",
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8),
        processing_class=tokenizer,
        compute_metrics=make_compute_metrics(tags),
        preprocess_logits_for_metrics=_log_probs,
        optimizers=(build_optimizer(model, t.learning_rate, t.weight_decay, t.layer_decay), None),
        callbacks=[EarlyStoppingCallback(early_stopping_patience=t.early_stopping_patience), _epoch_logger(),
                   _stop_at_step(stop), _epoch_rng(resume_from)],
    )
    trainer.remove_callback(PrinterCallback)
    if trainer.pop_callback(ProgressCallback) is not None:
        trainer.add_callback(_quiet_progress())
    return trainer


# -- steps 5 and 6: report, publish ------------------------------------------------------
def write_artifacts(trainer, tokenizer, settings: TaggerSettings, cfg: Config, work: Path, summary: dict) -> None:
    """The model directory: weights (safetensors), tokenizer, polner.json, the config and the
    log. No training_args.bin (a pickle nothing needs); every file 0644 (umask permitting)."""
    from inference.tagger import quiet_transformers

    work.mkdir(parents=True)
    with quiet_transformers():  # no "Writing model shards" bar
        trainer.model.save_pretrained(str(work))
        tokenizer.save_pretrained(str(work))
    settings.save(work)
    (work / "config.yaml").write_text(yaml.safe_dump(config_to_dict(cfg), allow_unicode=True, sort_keys=False), encoding="utf-8")
    (work / "train_log.json").write_text(
        json.dumps({"summary": summary, "log_history": trainer.state.log_history}, indent=2) + "\n", encoding="utf-8"
    )
    normal_permissions(work)


def report(work: Path, cfg: Config, use_cpu: bool) -> dict:
    from inference.tagger import load_tagger
    from training.evaluate import evaluate_file, format_table, model_info, write_report

    # threads=None: score with the threads the model trained with, and leave the process's
    # setting alone (a second training in the same process would otherwise run, and round,
    # with fewer threads whenever the machine looked busy: load_tagger's "auto")
    tagger = load_tagger(work, device="cpu" if use_cpu else "cuda", threads=None)
    model = model_info(work, shown_as=Path(cfg.training.output_dir))
    reports = {}
    for split in ("dev", "test"):
        path = split_path(cfg, split)
        if path is None:
            continue
        result = evaluate_file(tagger, path, cfg.data.format)
        result["model"] = model
        write_report(result, work / "reports" / split)
        reports[split] = result
        print(f"\n=== {split} ===\n{format_table(result)}", flush=True)
    return reports


def sibling(output_dir: Path, suffix: str, hidden: bool = False) -> Path:
    return output_dir.parent / f"{'.' if hidden else ''}{output_dir.name}{suffix}"


def publish(work: Path, output_dir: Path) -> None:
    """Put the finished model in place. An old model is moved aside, the new one renamed in,
    then the old one deleted: at every instant one complete model is at the path or beside
    it (``recover`` repairs a run killed in between)."""
    old = set_aside_path(output_dir)
    if output_dir.exists():
        if old.exists():
            shutil.rmtree(old)
        os.replace(output_dir, old)
    os.replace(work, output_dir)
    shutil.rmtree(old, ignore_errors=True)


def recover(output_dir: Path) -> str | None:
    """Repair what a run killed inside ``publish`` left behind; says what it did."""
    old = set_aside_path(output_dir)
    if not old.exists():
        return None
    if output_dir.exists():  # the new model is in place; only the old one's deletion was cut short
        shutil.rmtree(old)
        return None
    os.replace(old, output_dir)
    return f"restored the previous model to {output_dir} (a run replacing it was cut short)"


class Interrupted(Exception):
    """Training stopped on a signal; ``checkpoint`` is where it can resume from (or None)."""

    def __init__(self, checkpoint: Path | None, step: int | None = None) -> None:
        super().__init__(str(checkpoint))
        self.checkpoint, self.step = checkpoint, step


def _checkpoints(ckpt_dir: Path) -> list[Path]:
    found = [p for p in ckpt_dir.glob("checkpoint-*") if p.is_dir() and p.name.split("-")[-1].isdigit()]
    return sorted(found, key=lambda p: int(p.name.split("-")[-1]))


def _drop_if_empty(ckpt_dir: Path) -> None:
    """A checkpoints directory with no checkpoint in it holds nothing to resume from."""
    if ckpt_dir.is_dir() and not _checkpoints(ckpt_dir):
        shutil.rmtree(ckpt_dir, ignore_errors=True)


def prepare_output(output_dir: Path, *, resume: bool, overwrite: bool) -> tuple[Path, Path]:
    """Check (and tidy) the paths a run writes before any work: an existing model is kept
    unless --overwrite, existing checkpoints unless --overwrite or --resume. Returns the
    checkpoints directory and the work directory."""
    note = recover(output_dir)
    if note:
        print(f"polner-train: {note}", flush=True)
    writable_directory(output_dir, "training.output_dir", ConfigError, create_parent_only=True)
    if output_dir.exists() and not overwrite:
        raise ConfigError(f"output directory {output_dir} exists; pass --overwrite to replace it "
                          f"(it is kept until the new model is complete) or choose another")
    ckpt_dir = sibling(output_dir, ".checkpoints")
    work = sibling(output_dir, ".partial", hidden=True)
    found = _checkpoints(ckpt_dir)
    if resume and not found:
        raise ConfigError(f"--resume: no checkpoint in {ckpt_dir}")
    if not resume and found:
        if not overwrite:
            raise ConfigError(f"{ckpt_dir} holds checkpoints of an earlier run (last: {found[-1].name}); "
                              f"pass --resume to continue it, or --overwrite to discard them and start over")
        shutil.rmtree(ckpt_dir)
    _drop_if_empty(ckpt_dir)
    if work.exists():  # a model being assembled when a run died: never published, nothing to keep
        shutil.rmtree(work)
    return ckpt_dir, work


def encode_splits(data: Splits, encoder: WordEncoder, tags: list[str], max_length: int):
    """The train and dev splits as ``datasets.Dataset`` of model windows (ids, labels)."""
    from datasets import Dataset

    return tuple(Dataset.from_list(build_features(split, encoder, tags, max_length)) for split in (data.train, data.dev))


def fit(trainer, stop: StopRequest, resume_from: Path | None) -> float:
    """Run the Trainer; the seconds it took. ``stop.in_fit`` tells the signal handler that a
    Ctrl-C now means "save a checkpoint and stop" rather than "stop at once"."""
    # torch, transformers, the data and the model live until the process ends: frozen (after
    # one last collection), the garbage collector stops walking them on every full pass; a
    # short run takes about a tenth less time
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    stop.in_fit = True
    try:
        trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    finally:
        stop.in_fit = False
    return time.perf_counter() - started


def train(cfg: Config, output_dir: Path, *, resume: bool = False, overwrite: bool = False,
          stop: StopRequest | None = None) -> dict:
    """Train, report and publish; raises ``Interrupted`` when ``stop`` (a signal handler
    installed by ``main``) asked to stop, after the checkpoint is saved."""
    import torch
    from transformers import set_seed

    from inference.tagger import quiet_transformers

    stop = stop or StopRequest()
    note = recover(output_dir)  # first: a run cut short inside publish() is repaired whatever fails next
    if note:
        print(f"polner-train: {note}", flush=True)
    use_cpu = check_machine(cfg)
    ckpt_dir, work = prepare_output(output_dir, resume=resume, overwrite=overwrite)
    t = cfg.training
    set_seed(t.seed)

    check_data(cfg)  # all splits, before anything slow
    tags = bio_tags(cfg.data.labels)
    with quiet_transformers():
        tokenizer = load_tokenizer(cfg)
        check_positions(cfg)
    settings = tagger_settings(cfg, tags, tokenizer)
    pre = Preprocessor(settings.segmenter, settings.tone)
    print(f"loading data ({settings.segmenter} segmentation, {settings.tone}-style tones) ...", flush=True)
    data = load_data(cfg, pre)

    try:
        with quiet_transformers():  # no load reports or "Writing model shards" bars; EpochLog reports
            model = build_model(cfg, tags, tokenizer)
            train_ds, dev_ds = encode_splits(data, WordEncoder(tokenizer, settings.word_join), tags, settings.max_length)
            n_params = sum(p.numel() for p in model.parameters())
            n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
            print(f"train: {len(data.train)} sentences -> {len(train_ds)} windows; dev: {len(data.dev)} -> {len(dev_ds)}; "
                  f"model parameters: {n_params / 1e6:.1f}M ({n_train / 1e6:.1f}M trained)", flush=True)

            resume_from = _checkpoints(ckpt_dir)[-1] if resume else None
            trainer = build_trainer(cfg, model, tokenizer, train_ds, dev_ds, tags, ckpt_dir, use_cpu, stop, resume_from)
            seconds = fit(trainer, stop, resume_from)
        if stop.requested:
            found = _checkpoints(ckpt_dir)
            raise Interrupted(found[-1] if found else None, trainer.state.global_step)

        summary = {
            "train_seconds": round(seconds, 1),
            "train_windows": len(train_ds),
            "epochs_run": trainer.state.epoch,
            "global_step": trainer.state.global_step,
            "best_checkpoint": trainer.state.best_model_checkpoint,
            "best_dev_f1_windows": trainer.state.best_metric,
            "parameters": n_params,
            "trained_parameters": n_train,
            "torch_threads": torch.get_num_threads(),
        }
        write_artifacts(trainer, tokenizer, settings, cfg, work, summary)
        reports = report(work, cfg, use_cpu)
        publish(work, output_dir)
        if not t.keep_checkpoints:
            shutil.rmtree(ckpt_dir, ignore_errors=True)
    except KeyboardInterrupt:  # a second signal, or one outside the training loop
        found = _checkpoints(ckpt_dir)
        raise Interrupted(found[-1] if found else None) from None
    finally:
        _drop_if_empty(ckpt_dir)
    print(f"\ntrained in {seconds:.0f} s; model written to {output_dir}", flush=True)
    return {"summary": summary, "reports": reports}


def resume_command(argv: list[str]) -> str:
    """The command line that continues this run."""
    args = list(argv) + ([] if "--resume" in argv else ["--resume"])
    return shlex.join(["polner-train", *args])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-train", description="Fine-tune a token classifier for polner.")
    ap.add_argument("--config", required=True, help="YAML config, e.g. configs/e5-small.yaml")
    ap.add_argument("--output-dir", type=Path, help="overrides training.output_dir")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                    help="override a config value, e.g. --set training.learning_rate=3e-5")
    ap.add_argument("--resume", action="store_true", help="continue from the last checkpoint of this output dir")
    ap.add_argument("--overwrite", action="store_true",
                    help="replace an existing output directory (kept until the new model is complete) "
                         "and discard checkpoints of an earlier run")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = ap.parse_args(argv)
    stop = StopRequest()
    handlers = _install(stop)
    try:
        cfg = load_config(args.config, args.overrides)
        out = args.output_dir or Path(cfg.training.output_dir)
        cfg.training.output_dir = str(out)
        train(cfg, Path(out), resume=args.resume, overwrite=args.overwrite, stop=stop)
    except (ConfigError, DataError, ModelDirError) as exc:
        return error("polner-train", exc)
    except Interrupted as exc:
        if exc.checkpoint is None:
            print("polner-train: interrupted before the first checkpoint; nothing to resume, "
                  "run the same command again to start over", file=sys.stderr, flush=True)
        else:
            at = f" at step {exc.step}" if exc.step is not None else ""
            print(f"polner-train: interrupted; checkpoint {exc.checkpoint} saved{at}; resume with: "
                  f"{resume_command(argv)}", file=sys.stderr, flush=True)
        return 130
    except KeyboardInterrupt:
        print("polner-train: interrupted before training started; nothing was written", file=sys.stderr, flush=True)
        return 130
    finally:
        _restore(handlers)
    return 0


def _install(stop: StopRequest) -> dict:
    """SIGINT and SIGTERM go to ``stop`` (main thread only; elsewhere signals cannot be set)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        old[sig] = signal.signal(sig, stop)
    return old


def _restore(handlers: dict) -> None:
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
