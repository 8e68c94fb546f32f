"""A recipient cell of an award register that lists several recipients (round 9 blind finding f06:
«Phòng Nội vụ; Xã Tề Lễ; Trung tâm Y tế huyện» in one cell of a decision's row was counted as one
award, and the joined names shown as one person on the honour roll, the annex and the slides).

Such a cell never counts as one:

* parts separated by «;», by line breaks, or written as a numbered or bulleted list («1. …\\n2. …»,
  «- …») are **split**, one award per recipient (the row's decision, date and award), when every
  part reads as a recipient by itself (a unit, a collective's first word, a person's name: the
  reader's own rule, passed as ``kind_of``); a line that starts in lower case or with a bracket, or
  follows a line ending with a comma, continues the line above («Trường THCS Thọ Văn,\\nhuyện Tam
  Nông», «Lê Thị Mai\\n(Xã Lam Sơn)» are one) — but a line that continues only by its lower case
  and reads as a recipient by itself («phòng nội vụ\\nxã tề lễ», «Trường TH A\\nxã Thọ Văn») may be a
  list written in lower case or a name's place: it is held and asked (``recipients_lines_unclear``);
* otherwise the file is **held** (``recipients_in_one_cell``): the sheet, the cell and the names found,
  and the clerk is asked to write one recipient per row;
* commas are ambiguous («Trường THCS X, huyện Tam Nông» is one unit, «Ông Bùi Văn Khoa, Chủ tịch UBND
  xã» one person) and split only by persons: a cell that starts with a form of address and a
  capitalised name, in which another comma-separated part does too, is one person per such part
  («Bà Ngô Thị Hoa, Ông Bùi Văn Khoa», «đ/c Lê Văn Tâm, đ/c Hà Thị Lan»: ``register_words.toml``
  ``person_address``; black-box: such a cell held the whole file), a part without one (a role) going
  on with the person before it; a cell
  whose comma-separated parts *each* start with another title word of one kind — all collectives
  («Phòng…», «Xã…», ``collective_words``) or all persons by a title («TS.…», ``data/honorifics.csv``)
  — is held and asked, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from kpi.domain.award_identity import person_key
from kpi.reading.checks import ERROR, INFO, Issue
from kpi.reading.file_kind import person_name, register_words
from kpi.reading.messages import issue, phrase
from kpi.reading.register_cells import cell_text
from kpi.vn import match_key

#: A list's mark before an item: «1.», «2)», «a)», «-», «•», «+», «*».
_MARK = re.compile(r"^\s*(?:\d{1,2}\s*[.)]|[a-zđ]\s*\)|[-–—•+*·])\s*")
#: Where an item of a numbered list written on one line starts («1. Phòng A 2. Xã B»).
_INLINE_ITEM = re.compile(r"\s+(?=\d{1,2}\s*[.)]\s)")
#: A part in brackets at the end of a name: the recipient's unit («Trần Văn Hùng (Công an huyện)»).
_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")
#: A comma outside brackets.
_COMMA = re.compile(r",(?![^()]*\))")


def _lines(raw: str, lower_joined: list[str] | None = None) -> list[str]:
    """The cell's parts by «;» and line breaks, a line that continues the one above joined to it;
    a line joined only because it starts in lower case is also appended to ``lower_joined``."""
    text = raw.replace("_x000D_", "\n").replace("\r", "\n")
    if "\n" not in text and ";" not in text and _MARK.match(text) and text.lstrip().startswith("1"):
        text = _INLINE_ITEM.sub("\n", text)  # «1. Phòng A 2. Xã B»
    parts: list[str] = []
    for chunk in text.split(";"):
        for line in chunk.split("\n"):
            line = cell_text(line)
            if not line:
                continue
            # «…,» then «huyện Tam Nông», or «(Phòng Y tế)» under a name: the line above goes on
            follows = (
                parts and "\n" in chunk and (parts[-1].endswith((",", "-")) or line[:1].islower() or line[0] == "(")
            )
            if follows and not _MARK.match(line):
                if lower_joined is not None and not parts[-1].endswith((",", "-")) and line[0] != "(":
                    lower_joined.append(line)
                parts[-1] = f"{parts[-1]} {line}"
            else:
                parts.append(line)
    return parts


def listed(raw) -> list[str]:
    """The recipients a cell lists, list marks dropped; one part → the cell's text alone."""
    if not isinstance(raw, str):
        return [cell_text(raw)]
    parts = _lines(raw)
    if len(parts) < 2:
        return [cell_text(raw)]
    return [name for part in parts if (name := cell_text(_MARK.sub("", part, count=1)))]


def _titled(part: str) -> str:
    """``tập thể`` or ``cá nhân`` when ``part`` starts with a capitalised title word of that kind, else ``""``."""
    if not part[:1].isupper():
        return ""
    if register_words().any("recipients", "collective_words", part):
        return "tập thể"
    return "cá nhân" if person_key(part) != match_key(part) else ""


@lru_cache(maxsize=1)
def _addresses() -> tuple[tuple[str, ...], ...]:
    """``[recipients] person_address`` of ``register_words.toml`` as :func:`kpi.vn.match_key` word tuples, longest first."""
    words = register_words().raw.get("recipients", {}).get("person_address", [])
    return tuple(sorted({tuple(match_key(w).split(" ")) for w in words}, key=len, reverse=True))


def _addressed(part: str) -> bool:
    """Whether ``part`` is a form of address (any case) then a capitalised name: «bà Ngô Thị Hoa»,
    «Đ/c Lê Văn Tâm (Xã Tề Lễ)»; not «Chủ tịch UBND xã», «anh hùng lao động»."""
    words = (_BRACKETS.sub("", part) or part).split(" ")
    keys = tuple(match_key(w) for w in words)
    for address in _addresses():
        rest = " ".join(words[len(address) :])
        if keys[: len(address)] == address and rest[:1].isupper() and person_name(rest):
            return True
    return False


def addressed_persons(text: str) -> list[str]:
    """The persons a cell lists by commas: each part that is a form of address and a name starts
    one («Bà Ngô Thị Hoa, Ông Bùi Văn Khoa» → both), a part that is not (a title, a role, a body)
    goes on with the person before it («Ông Bùi Văn Khoa, Chủ tịch UBND xã» is one); ``[]`` when
    fewer than two persons are found or the cell does not start with one."""
    parts = [cell_text(p) for p in _COMMA.split(text)]
    if len(parts) < 2 or not _addressed(parts[0]):
        return []
    persons: list[str] = []
    for part in parts:
        if _addressed(part):
            persons.append(part)
        else:
            persons[-1] = f"{persons[-1]}, {part}"
    return persons if len(persons) > 1 else []


def comma_listed(text: str) -> list[str]:
    """The parts of a cell whose comma-separated parts each start with a title word of one kind
    (all collectives or all persons), else ``[]``."""
    parts = [cell_text(p) for p in _COMMA.split(text)]
    if len(parts) < 2 or not all(parts):
        return []
    kinds = {_titled(p) for p in parts}
    return parts if len(kinds) == 1 and "" not in kinds else []


class RecipientLists:
    """The recipients of each row of one award register (:meth:`names`), with what is said:
    the cells split (one info for the sheet) and the cells held (an error each)."""

    def __init__(self, sheet_name: str, kind_of: Callable[[str], str]):
        self.sheet_name, self.kind_of = sheet_name, kind_of
        self.split: list[str] = []
        self.held: list[Issue] = []

    def names(self, cell: str, raw, recipient: str) -> list[str]:
        """The row's recipients: ``[recipient]``, the names a list cell splits into, or ``[]``
        when the cell is held."""
        if isinstance(raw, str) and (lines := self._lower_case_list(raw)):
            # «phòng nội vụ\nxã tề lễ», «Trường TH A\nxã A»: a list or one name's place, asked
            found = "; ".join(f"«{n}»" for n in lines)
            self.held.append(issue(ERROR, "recipients_lines_unclear", sheet=self.sheet_name, cell=cell, names=found))
            return []
        names = [person for name in listed(raw) for person in addressed_persons(name) or [name]]
        if len(names) > 1 and all(self.kind_of(_BRACKETS.sub("", n) or n) for n in names):
            self.split.append(f"{cell} ({len(names)}: {'; '.join(names)})")
            return names
        if len(names) > 1 or (names := comma_listed(recipient)):
            found = "; ".join(f"«{n}»" for n in names)
            self.held.append(issue(ERROR, "recipients_in_one_cell", sheet=self.sheet_name, cell=cell, names=found))
            return []
        return [recipient]

    def _lower_case_list(self, raw: str) -> list[str]:
        """The cell's lines, none joined, when a line continues the one above only by its lower
        case and reads as a recipient by itself; else ``[]``."""
        lower_joined: list[str] = []
        _lines(raw, lower_joined)
        if not any(self.kind_of(_BRACKETS.sub("", line) or line) for line in lower_joined):
            return []
        text = raw.replace("_x000D_", "\n").replace("\r", "\n")
        return [name for chunk in text.split(";") for line in chunk.split("\n") if (name := cell_text(line))]

    def issues(self) -> list[Issue]:
        """The held cells' errors, then one info listing the cells split."""
        said = list(self.held)
        if self.split:
            listed_cells = "; ".join(self.split[:10]) + ("; …" if len(self.split) > 10 else "")
            said.append(
                issue(INFO, "recipients_split", sheet=self.sheet_name, count=len(self.split), listed=listed_cells)
            )
        return said


def award_rows_words(table) -> str:
    """The preview's «Số dòng khen thưởng» of an award table (:data:`kpi.reading.register_open.AWARD_COLUMNS`,
    of one sheet or several): the file's rows, and when a cell listing several recipients was split
    the awards read from them too — «7 dòng · 18 lượt khen (3 ô ghi nhiều người/tập thể được tách)»
    (black-box: a 7-row file said «18» rows); «7» when each row is one award."""
    per_row = table.groupby(["sheet", "row_number"]).size()
    if len(per_row) == len(table):
        return str(len(table))
    return phrase("award_rows_split", rows=len(per_row), awards=len(table), cells=int((per_row > 1).sum()))
