"""polner inference: tag PER, TITLE, ORG and DOC entities in Vietnamese text.

    from inference import load_tagger
    tagger = load_tagger("runs/e5-small")
    for e in tagger.tag(text):
        print(e.label, e.text, e.start, e.end, e.score)
    for h in tagger.tag_holders(text):          # who holds which office, citing what
        print(h.person, h.office, h.body, h.documents)

The names below are imported lazily, so that the light modules (normalisation,
segmentation, the document-code grammar) can be used without loading torch.
"""

__all__ = ["Entity", "Span", "Tagger", "TransformerTagger", "load_tagger", "find_holders", "Holder"]

_HOMES = {
    "Entity": "inference.spans", "Span": "inference.spans", "Tagger": "inference.base",
    "TransformerTagger": "inference.tagger", "load_tagger": "inference.tagger",
    "find_holders": "inference.holders", "Holder": "inference.holders",
}


def __getattr__(name: str):
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'inference' has no attribute {name!r}")
