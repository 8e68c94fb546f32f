"""What makes two award rows one award, and who confers an award: one rule each, for every list.

**One award** (design.md: "each (decision, recipient, unit, award) once"): two rows are the same
award when their :func:`award_identity` is equal — within one register (a duplicate row, warned
by :mod:`kpi.reading.awards`) and across the registers in use (a row of a main list repeated in a
supplementary list counts once, :func:`kpi.storage.awards.award_rows`; what replacing a list
changes, :mod:`kpi.ingest_registers`). Black-box finding (December 2026): rows were one award only
when the four parts matched as exact text, so «Ông Lê Văn A» and «Lê Văn A», «Đ/c Nguyễn Thị B»
and «bà nguyễn thị b», doubled spaces and NFD diacritics counted twice. The parts are compared as:

* the **recipient** by :func:`person_key`: honorifics and titles before a name
  (``data/honorifics.csv``: Ông, Bà, Đ/c, Đồng chí, Anh, Chị, Cô, Thầy, ThS., Đại úy …) dropped,
  then Unicode NFC, case and spaces folded, tone placement made canonical
  (:func:`kpi.vn.match_key`). **Diacritics are kept**: «Lê Văn Á» and «Lê Văn A» are two people,
  and an honorific is matched with its diacritics («Cồ Văn Nam» keeps «Cồ»: it is a surname, not
  «Cô»). An honorific is dropped only when at least two words remain (a Vietnamese full name has
  two or more), so «Cô Tư» stays as written;
* the **decision number** by :func:`decision_key`: «123/QĐ-UBND», «123/QĐ-UBND », «Số 123/QĐ-UBND»,
  «123 / QĐ - UBND», «0123/QD-UBND» are one decision (a number is a code: its spaces, a leading
  «Số»/«Quyết định số», leading zeros, case and diacritics carry no meaning);
* the **unit** and the **award** by :func:`kpi.vn.match_key` (the plan's unit and award when the
  reader matched them, else as written).

**Never merge two people**: a doubt is two rows — same name under another unit, another award or
another decision; a name with other letters or other diacritics; anything after the name («Lê Văn
A (Trưởng phòng)»).

**Who confers an award** («Cấp khen» of the honour roll, :func:`award_level`): the award's own name
says it for most awards («Bằng khen của Chủ tịch UBND tỉnh» → Chủ tịch UBND tỉnh, ``data/award_levels.csv``
from Luật Thi đua, khen thưởng 2022, Điều 80–82 and the plan's targets); else the list's «Cấp khen»
cell (its words mapped by the same table, else as written); else :data:`LEVEL_UNKNOWN`. The same
rule for every row, whichever list it came from: a supplementary list without a «Cấp khen» column
gets the same level as the main list's rows of the same award (black-box finding: its rows were
blank in the annex). The name read is the resolved one, never the abbreviation: a supplement's
«TTLĐXS» is «Tập thể lao động xuất sắc» (black-box finding: «Không rõ» beside the main list's
«Chủ tịch UBND tỉnh» for the same award).

**The name an award is shown by** (:func:`award_name`: honour roll, its filter and search, the
annex): the plan's award the reader resolved, else the name with its abbreviations written out
(``data/abbreviations.csv``: «GK» → «Giấy khen»). Black-box finding: a supplement writing «CSTĐCS»
had its own entry in the honour roll's filter, and «Chiến sĩ thi đua cơ sở» counted 52 rows while
the target card counted 55.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from kpi.config import DATA_DIR
from kpi.domain.abbreviations import expand
from kpi.vn import clean_text, fold, match_key

__all__ = [
    "LEVEL_UNKNOWN",
    "award_identity",
    "award_level",
    "award_name",
    "decision_key",
    "first_of_award",
    "person_key",
    "written_aside",
]

#: «Cấp khen» of a row whose award's name does not say who confers it and whose list does not
#: either: written out, so the honour roll never shows a blank that reads as data lost.
LEVEL_UNKNOWN = "Không rõ (danh sách không ghi)"

#: Trailing marks of a word that are not part of it when matching honorifics ("TS." = "TS", "Ông:").
_MARKS = ".:,;"


def _word(text: str) -> str:
    return match_key(text).rstrip(_MARKS)


@lru_cache(maxsize=4)
def _honorifics(path: str) -> tuple[tuple[str, ...], ...]:
    """The honorifics of ``data/honorifics.csv`` as word tuples (:func:`_word`), longest first."""
    with open(path, encoding="utf-8", newline="") as f:
        words = {tuple(_word(w) for w in clean_text(r["honorific"]).split(" ")) for r in csv.DictReader(f)}
    return tuple(sorted((w for w in words if all(w)), key=len, reverse=True))


@lru_cache(maxsize=65536)
def person_key(recipient: str) -> str:
    """The key one recipient is known by when rows are told apart (see the module).

    >>> person_key("Đ/c  Nguyễn Thị B") == person_key("bà nguyễn thị b") == person_key("Nguyễn Thị B")
    True
    >>> person_key("Lê Văn Á") == person_key("Lê Văn A")
    False
    """
    words = clean_text(recipient).split(" ")
    honorifics = _honorifics(str(DATA_DIR / "honorifics.csv"))
    head, dot, tail = words[0].rpartition(".")
    if dot and head and tail and (_word(head),) in honorifics:  # "ThS.Lê Thị D": a title glued to the name
        words = [head + dot, tail, *words[1:]]
    stripped = True
    while stripped:
        stripped = False
        keys = tuple(_word(w) for w in words)
        for h in honorifics:
            if keys[: len(h)] == h and len(words) - len(h) >= 2:
                words = words[len(h) :]
                stripped = True
                break
    return match_key(" ".join(words))


_DECISION_LEAD = re.compile(r"^(?:quyet dinh so|qd so|so)\s*[:.]?\s*")


@lru_cache(maxsize=65536)
def decision_key(number: str) -> str:
    """A decision number as compared (see the module): «Số 0123 / QĐ-UBND » → ``"123/qd-ubnd"``."""
    text = _DECISION_LEAD.sub("", fold(number or ""))
    text = re.sub(r"\s+", "", text).rstrip(".,;")
    return re.sub(r"^0+(?=\d)", "", text)


def award_identity(decision_number: str, recipient: str, unit: str, award: str) -> tuple[str, str, str, str]:
    """What makes a row one award: (decision, recipient, unit, award) as compared (see the module).

    :param unit: the plan's unit, else the unit as written; ``award`` the plan's award, else as written.
    """
    return (
        decision_key(decision_number or ""),
        person_key(recipient or ""),
        match_key(unit or ""),
        match_key(award or ""),
    )


def first_of_award(rows: list[tuple[str, str, str, str, bool]]) -> list[int | None]:
    """For each award row of the registers in use, in the order they count (upload, then row), the
    position of the earlier row it repeats **across lists**, else ``None``: the first earlier row
    with the same :func:`award_identity` that is not itself a duplicate within its own list — the
    row that was counted (:func:`kpi.storage.awards.award_rows` counts the first, once). A row
    that is a duplicate within its list (``own`` false) gets ``None``: its list says which row it
    repeats. Black-box finding (December 2026): a supplement's repeat of a main-list row read
    «Tính vào: không» («not an award of any target») instead of «trùng».

    :param rows: ``(decision_number, recipient, unit, award, own)`` per row, ``award`` the plan's
        award else as written, ``own`` false for a duplicate within its list.
    :returns: one position (index into ``rows``) or ``None`` per row.
    """
    first: dict[tuple[str, str, str, str], int] = {}
    found: list[int | None] = []
    for i, (decision, recipient, unit, award, own) in enumerate(rows):
        if not own:
            found.append(None)
            continue
        identity = award_identity(decision, recipient, unit, award)
        found.append(first.get(identity))
        first.setdefault(identity, i)
    return found


@lru_cache(maxsize=4)
def _levels(path: str) -> tuple[tuple[str, re.Pattern], ...]:
    with open(path, encoding="utf-8", newline="") as f:
        return tuple((clean_text(r["level"]), re.compile(r["pattern"])) for r in csv.DictReader(f))


def _level_named(text: str) -> str:
    folded = fold(text or "")
    if not folded:
        return ""
    for level, pattern in _levels(str(DATA_DIR / "award_levels.csv")):
        if pattern.search(folded):
            return level
    return ""


@lru_cache(maxsize=4096)
def award_level(award: str, award_written: str, written_level: str) -> str:
    """«Cấp khen» of one award row (see the module): who the award's name says confers it (the
    plan's award, else as written with its abbreviations written out: «TTLĐXS» is read as
    «Tập thể lao động xuất sắc», the name a main list writes whole), else the list's «Cấp khen»
    cell, else :data:`LEVEL_UNKNOWN`.

    >>> award_level("Bằng khen của Chủ tịch UBND tỉnh", "BK UBND tỉnh", "")
    'Chủ tịch UBND tỉnh'
    >>> award_level("Tập thể lao động xuất sắc", "TTLĐXS", "")
    'Chủ tịch UBND tỉnh'
    >>> award_level("", "GK", "")
    'Không rõ (danh sách không ghi)'
    """
    for text in (award, expand(award_written, "award").text, written_level):
        if level := _level_named(text):
            return level
    return clean_text(written_level) or LEVEL_UNKNOWN


@lru_cache(maxsize=4096)
def award_name(award: str, award_written: str, keep: frozenset[str] = frozenset()) -> str:
    """The name an award row is shown, filtered and searched by (see the module): the plan's award
    the reader resolved («CSTĐCS» → «Chiến sĩ thi đua cơ sở»); else the name as written with the
    abbreviations ``data/abbreviations.csv`` knows written out («GK» → «Giấy khen»), ``keep``
    (:func:`kpi.domain.abbreviations.forms_in` of the plan's award names) staying as the plan writes
    them; else as written.

    >>> award_name("Chiến sĩ thi đua cơ sở", "CSTĐCS")
    'Chiến sĩ thi đua cơ sở'
    >>> award_name("", "LĐTT")
    'Lao động tiên tiến'
    """
    if clean_text(award):
        return clean_text(award)
    written = expand(award_written, "award", keep=keep)
    text = written.text
    return text[:1].upper() + text[1:]


def written_aside(name: str, award_written: str) -> str:
    """How the list wrote an award when that is not its shown :func:`award_name` («CSTĐCS»),
    else ``""``: the honour roll shows it beside the name, so the file's words can be found."""
    written = clean_text(award_written)
    return written if match_key(written) != match_key(name) else ""
