"""polner inference: tag PER, TITLE, ORG and DOC entities in Vietnamese text.

    from inference import load_tagger
    tagger = load_tagger("runs/tiny")
    for e in tagger.tag(text):
        print(e.label, e.text, e.start, e.end, e.score)

The names below are imported lazily, so that the light modules (normalisation,
segmentation, the document-code grammar) can be used without loading torch.
"""

__all__ = ["Entity", "Tagger", "load_tagger"]


def __getattr__(name: str):
    if name in __all__:
        from inference import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module 'inference' has no attribute {name!r}")
