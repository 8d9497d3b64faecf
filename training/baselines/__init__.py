"""Baseline systems behind the tagger contract (``inference.base.Tagger``), so that the
model's competitors are scored by the same code as the model: a feature CRF, the corpus
pre-annotator's rules, and underthesea's ``ner()``."""
