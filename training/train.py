"""Fine-tune a token classifier and write a complete, self-contained model directory.

    polner-train --config configs/tiny.yaml [--output-dir DIR] [--set key=value ...]
                 [--resume] [--overwrite]

The output directory holds everything ``load_tagger`` needs (weights, tokenizer,
``polner.json``), the config used, the training log and dev/test reports produced by the
real tagger. It is assembled in a hidden sibling directory and renamed into place at the
end, so a crash never leaves a half-written model where a finished one is expected.
Checkpoints live in ``DIR.checkpoints`` so ``--resume`` can continue an interrupted run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from inference.decode import tags_from_probs
from inference.encode import WordEncoder, make_windows
from inference.settings import TaggerSettings
from training.config import Config, ConfigError, config_to_dict, load_config
from training.data import Example, bio_tags, detect_format, load_examples
from training.records import DataError


def build_features(examples: list[Example], encoder: WordEncoder, tags: list[str], max_length: int) -> list[dict]:
    """Windows without overlap, so every word is labelled exactly once; -100 elsewhere."""
    tag2id = {t: i for i, t in enumerate(tags)}
    feats = []
    for ex in examples:
        pieces = [encoder.encode(f) for f in ex.forms]
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


def build_model_and_tokenizer(cfg: Config, tags: list[str]):
    from transformers import AutoModelForTokenClassification, AutoTokenizer, RobertaConfig

    id2label = dict(enumerate(tags))
    label2id = {t: i for i, t in enumerate(tags)}
    if cfg.model.scratch:
        s = cfg.model.scratch
        tokenizer = AutoTokenizer.from_pretrained(s.tokenizer)
        config = RobertaConfig(
            vocab_size=len(tokenizer),
            hidden_size=s.hidden_size,
            num_hidden_layers=s.num_hidden_layers,
            num_attention_heads=s.num_attention_heads,
            intermediate_size=s.intermediate_size,
            hidden_dropout_prob=s.hidden_dropout_prob,
            attention_probs_dropout_prob=s.attention_probs_dropout_prob,
            max_position_embeddings=cfg.preprocessing.max_length + 2,
            type_vocab_size=1,
            layer_norm_eps=1e-5,
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            tokenizer_class="PhobertTokenizer",
            num_labels=len(tags),
            id2label=id2label,
            label2id=label2id,
        )
        model = AutoModelForTokenClassification.from_config(config)
    else:
        tokenizer = AutoTokenizer.from_pretrained(cfg.model.name_or_path)
        model = AutoModelForTokenClassification.from_pretrained(
            cfg.model.name_or_path, num_labels=len(tags), id2label=id2label, label2id=label2id
        )
    limit = getattr(model.config, "max_position_embeddings", 514) - 2
    if cfg.preprocessing.max_length > limit:
        raise ConfigError(f"preprocessing.max_length {cfg.preprocessing.max_length} exceeds the model's limit {limit}")
    return model, tokenizer


def _load_split(cfg: Config, key: str, tags_labels: list[str]) -> tuple[list[Example], str]:
    path = Path(getattr(cfg.data, key))
    fmt = detect_format(path) if cfg.data.format == "auto" else cfg.data.format
    return load_examples(path, fmt, tags_labels, cfg.preprocessing.segmenter), fmt


def train(cfg: Config, output_dir: Path, *, resume: bool = False, overwrite: bool = False) -> dict:
    import torch
    from datasets import Dataset
    from transformers import (
        DataCollatorForTokenClassification,
        EarlyStoppingCallback,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    from training.evaluate import evaluate_file, format_table, write_report
    from inference.tagger import load_tagger

    if output_dir.exists() and not overwrite:
        raise ConfigError(f"output directory {output_dir} exists; pass --overwrite to replace it or choose another")
    ckpt_dir = output_dir.parent / f"{output_dir.name}.checkpoints"
    work = output_dir.parent / f".{output_dir.name}.partial"
    if resume and not any(ckpt_dir.glob("checkpoint-*")):
        raise ConfigError(f"--resume: no checkpoint in {ckpt_dir}")
    if not resume and ckpt_dir.exists():
        shutil.rmtree(ckpt_dir)
    if work.exists():
        shutil.rmtree(work)

    t = cfg.training
    set_seed(t.seed)
    tags = bio_tags(cfg.data.labels)
    print(f"loading data ({cfg.preprocessing.segmenter} segmentation) ...", flush=True)
    train_ex, _ = _load_split(cfg, "train", cfg.data.labels)
    dev_ex, _ = _load_split(cfg, "dev", cfg.data.labels)
    model, tokenizer = build_model_and_tokenizer(cfg, tags)
    encoder = WordEncoder(tokenizer)
    ml = cfg.preprocessing.max_length
    train_ds = Dataset.from_list(build_features(train_ex, encoder, tags, ml))
    dev_ds = Dataset.from_list(build_features(dev_ex, encoder, tags, ml))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"train: {len(train_ex)} sentences -> {len(train_ds)} windows; dev: {len(dev_ex)} -> {len(dev_ds)}; "
          f"model parameters: {n_params / 1e6:.1f}M", flush=True)

    use_cpu = t.device == "cpu" or (t.device == "auto" and not torch.cuda.is_available())
    if t.device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("training.device is cuda but no CUDA device is available")
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
        warmup_steps=t.warmup_ratio,
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
        callbacks=[EarlyStoppingCallback(early_stopping_patience=t.early_stopping_patience)],
    )
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=True if resume else None)
    seconds = time.perf_counter() - started

    work.mkdir(parents=True)
    trainer.save_model(str(work))
    tokenizer.save_pretrained(str(work))
    p = cfg.preprocessing
    TaggerSettings(tags, p.segmenter, p.max_length, p.window_overlap, p.doc_rules).save(work)
    (work / "config.yaml").write_text(yaml.safe_dump(config_to_dict(cfg), allow_unicode=True, sort_keys=False), encoding="utf-8")
    summary = {
        "train_seconds": round(seconds, 1),
        "train_windows": len(train_ds),
        "epochs_run": trainer.state.epoch,
        "global_step": trainer.state.global_step,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "best_dev_f1_windows": trainer.state.best_metric,
        "parameters": n_params,
        "torch_threads": torch.get_num_threads(),
    }
    (work / "train_log.json").write_text(
        json.dumps({"summary": summary, "log_history": trainer.state.log_history}, indent=2) + "\n", encoding="utf-8"
    )

    tagger = load_tagger(work, device="cpu" if use_cpu else "cuda")
    reports = {}
    for split in ("dev", "test"):
        path = getattr(cfg.data, split)
        if path is None:
            continue
        report = evaluate_file(tagger, Path(path), cfg.data.format)
        write_report(report, work / "reports" / split)
        reports[split] = report
        print(f"\n=== {split} ===\n{format_table(report)}", flush=True)

    if output_dir.exists():
        shutil.rmtree(output_dir)
    os.replace(work, output_dir)
    if not t.keep_checkpoints:
        shutil.rmtree(ckpt_dir, ignore_errors=True)
    print(f"\ntrained in {seconds:.0f} s; model written to {output_dir}", flush=True)
    return {"summary": summary, "reports": reports}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-train", description="Fine-tune a PhoBERT token classifier.")
    ap.add_argument("--config", required=True, help="YAML config, e.g. configs/tiny.yaml")
    ap.add_argument("--output-dir", type=Path, help="overrides training.output_dir")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                    help="override a config value, e.g. --set training.learning_rate=3e-5")
    ap.add_argument("--resume", action="store_true", help="continue from the last checkpoint of this output dir")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing output directory")
    args = ap.parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
        out = args.output_dir or Path(cfg.training.output_dir)
        cfg.training.output_dir = str(out)
        train(cfg, Path(out), resume=args.resume, overwrite=args.overwrite)
    except (ConfigError, DataError) as exc:
        print(f"polner-train: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
