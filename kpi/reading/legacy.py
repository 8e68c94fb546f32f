"""Text typed in a legacy Vietnamese encoding (TCVN3/ABC ".VnTime" fonts, VNI fonts).

Old machines still produce workbooks whose Vietnamese shows as "Tæng sè" (TCVN3) or "Toång soá"
(VNI): the bytes of the old font encoding stored as Latin-1 characters. No well-kept converter
exists on PyPI, so the tables are data (``data/legacy_vietnamese.toml``: TCVN3 generated from
glibc's TCVN5712-1 converter; VNI-Windows) and this module is tested against them.

Detection is conservative and per workbook: the texts with no Vietnamese letter of Unicode vote,
and only when converting them turns many words into frequent Vietnamese words (the
``common_words`` list) is the better of the two conversions applied — to those texts only, cells
already in Unicode are kept — and the reader says so in a warning. Sheet names are kept as written
(they name the sheet in messages). A German or English workbook is left untouched.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from kpi.config import DATA_DIR

__all__ = ["detect", "convert", "fix_workbook"]

# Letters only Vietnamese uses in Unicode (Ă ă Đ đ Ĩ ĩ Ũ ũ Ơ ơ Ư ư and the U+1EA0–U+1EF9 block).
_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_LATIN1_HIGH = re.compile("[\u00a1-\u00ff]")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=2)
def _tables(data_dir: Path = DATA_DIR) -> dict:
    raw = tomllib.loads((data_dir / "legacy_vietnamese.toml").read_text(encoding="utf-8"))
    vni = raw["vni"]
    pattern = re.compile("|".join(re.escape(k) for k in sorted(vni, key=len, reverse=True)))
    return {"tcvn3": str.maketrans(raw["tcvn3"]), "vni": (pattern, vni), "common": frozenset(raw["common_words"])}


def convert(text: str, encoding: str) -> str:
    """Convert one text from ``"tcvn3"`` or ``"vni"`` to Unicode (NFC)."""
    tables = _tables()
    if encoding == "tcvn3":
        return text.translate(tables["tcvn3"])
    if encoding == "vni":
        pattern, mapping = tables["vni"]
        return pattern.sub(lambda m: mapping[m.group(0)], text)
    raise ValueError(encoding)


def _score(texts: list[str]) -> int:
    common = _tables()["common"]
    return sum(1 for t in texts for w in _WORD.findall(t.lower()) if w in common)


def detect(texts: list[str]) -> str | None:
    """``"tcvn3"``, ``"vni"`` or ``None`` for a workbook's texts (see the module docstring). Texts
    that already hold Vietnamese letters of Unicode are left out of the vote (a cell retyped later
    with a Unicode keyboard does not hide the rest)."""
    candidates = [t for t in texts if _LATIN1_HIGH.search(t) and not _VIETNAMESE.search(t)]
    if not candidates:
        return None
    sample = candidates[:2000]
    plain = _score(sample)
    scores = {enc: _score([convert(t, enc) for t in sample]) for enc in ("tcvn3", "vni")}
    best = max(scores, key=scores.get)
    if scores[best] >= 3 and scores[best] > 2 * plain:
        return best
    return None


def _sample(wb, limit: int = 4000, rows: int = 5000) -> list[str]:
    """Up to ``limit`` distinct texts of the workbook that could be legacy-encoded, from the first
    ``rows`` rows of each sheet (a file is typed in one font: its titles and headers tell, and a
    100 000-row register need not be read twice)."""
    seen: set[str] = set()
    for sheet in wb.sheets:
        for row in sheet.rows[:rows]:
            for v in row:
                if isinstance(v, str) and v and v not in seen and _LATIN1_HIGH.search(v):
                    seen.add(v)
                    if len(seen) >= limit:
                        return list(seen)
    return list(seen)


def fix_workbook(wb) -> str | None:
    """Convert every text cell of a :class:`kpi.reading.workbook.Workbook` in place when it is in a legacy
    encoding; returns the encoding found (and adds a note to the workbook) or ``None``."""
    encoding = detect(_sample(wb))
    if encoding is None:
        return None

    def fix(value):
        if isinstance(value, str) and value and not _VIETNAMESE.search(value):
            return convert(value, encoding)
        return value

    for sheet in wb.sheets:
        sheet.rows = [[fix(v) for v in row] for row in sheet.rows]
    if encoding == "tcvn3":
        label, tail = "TCVN3 (phông .VnTime)", " (chữ hoa gõ bằng phông «.VnTimeH» trở thành chữ thường)"
    else:
        label, tail = "VNI (phông VNI-Times)", ""
    wb.notes.append(
        f"Chữ trong tệp được gõ bằng bảng mã cũ {label}; đã tự chuyển sang Unicode{tail}. Hãy kiểm tra tên "
        "chỉ tiêu và đơn vị trong phần xem trước."
    )
    return encoding
