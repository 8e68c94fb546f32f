"""File and link names: a file name as it is stored and shown (:func:`clean_file_name`, the rule at
the boundary for every name a browser or a path gives) and words as a file or link name
(:func:`slug`)."""

from __future__ import annotations

import re
import unicodedata

from kpi.vn import fold

__all__ = ["MAX_FILE_NAME", "clean_file_name", "slug"]


def slug(text: object) -> str:
    """Words as a file or link name, without diacritics: "Thi đua – Khen thưởng" →
    "thi-dua-khen-thuong", "Kinh tế" → "kinh-te"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


#: The longest file name stored and shown (characters, the extension kept).
MAX_FILE_NAME = 200
#: What a NUL in a file name becomes: seen, never passed on (C libraries cut a name at a NUL).
_NUL_MARK = "\ufffd"


def clean_file_name(name: object, limit: int = MAX_FILE_NAME) -> str:
    """A file name as it is stored and shown (the rule at the boundary: :func:`kpi.ingest.prepare`
    applies it to every name a browser or a path gives).

    NFC; NUL becomes "\ufffd"; every other control character (Unicode category Cc), every format
    character (Cf: the bidirectional controls U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C,
    zero-width characters, BOM) and lone surrogates are removed, so "hoadon\u202eslx.exe" cannot be
    shown as "hoadonexe.xlsx"; runs of spaces become one; at most ``limit`` characters, the
    extension kept ("…" marks the cut); an empty result gives "tệp không tên".

    >>> clean_file_name("bao\u202ecao\x00.xlsx")
    'baocao\ufffd.xlsx'
    """
    text = unicodedata.normalize("NFC", "" if name is None else str(name)).replace("\0", _NUL_MARK)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return "tệp không tên"
    if len(text) > limit:
        stem, dot, ext = text.rpartition(".")
        ext = dot + ext if stem and len(ext) <= 10 else ""
        text = text[: limit - len(ext) - 1].rstrip() + "…" + ext
    return text
