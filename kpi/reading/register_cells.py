"""What a register's cells say beyond its names (black-box findings of issue 13).

* :func:`decision_parts` — a decision's number and date written in one cell ("90/QĐ-UBND ngày
  16/01/2025", "Số 90/QĐ-UBND, 16/01/2025"), so that two awards of one person under two decisions
  are two awards, not a duplicate.
* :func:`mark_proposals` — a **proposal is not an award**: an award register whose title says it is
  a proposal ("Danh sách … đề nghị khen thưởng") and whose rows carry no decision number, or whose
  decision / note cells say "Đề nghị", "Chờ quyết định", is refused; such rows inside a register of
  conferred awards count toward nothing and are listed by cell. Words: ``data/register_words.toml``
  ``[proposals]``.
* :func:`merged_down` — a cell merged down over several rows («Số QĐ» A7:A9: one decision for three
  people) is every row's value, and the rows under a recipient's merged cell are that one recipient
  (round 8 blind finding 3: rows 8 and 9 lost their decision).
* :func:`missing_units_issue` — the units of the plan's blocks a registration list does not name
  at all (they owe a registration and are counted as not registered).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd

from kpi.errors import NumberFormatError
from kpi.reading.checks import ERROR, WARNING, Issue
from kpi.reading.file_kind import PROPOSAL_NOTE, register_words
from kpi.reading.messages import issue, phrase
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, fold, parse_date

__all__ = ["cell_text", "decision_parts", "mark_proposals", "merged_down", "missing_units_issue"]


def cell_text(value) -> str:
    """A register cell's text, cleaned (:func:`kpi.vn.clean_text`); a number as written; ``None`` → ``""``."""
    return clean_text(value) if isinstance(value, str) else ("" if value is None else clean_text(str(value)))


def merged_down(sheet: Sheet, header: int, row_column: int, own_column: int | None = None) -> tuple[Sheet, set[int]]:
    """``sheet`` with each cell merged down over rows under the ``header`` (0-based) given to every
    row it covers — a merged cell means one value for those rows: the decision of three awards, their
    date, award, authority or unit — and the rows that only continue an entry above them.

    A range's value goes down its first column only: a merge across columns is one cell of that
    column (the others are not its role's). The rows under a merged cell of ``row_column`` (the
    recipient of an award register, the unit of a registration list) are that one recipient, not
    new ones: such a row continues the entry (its unit written over two lines; skipped) unless it
    has a value of its own in ``own_column`` (the award: one person's second award, read as a row
    of its own, the recipient given). A sheet whose format does not tell its merges is as read.

    :returns: (the sheet, the continuing rows, 0-based).
    """
    ranges = [(r0, c0, r1) for r0, c0, r1, _c1 in (sheet.merged or ()) if r1 > r0 and r0 > header]
    if not ranges:
        return sheet, set()
    rows = list(sheet.rows)
    given: set[tuple[int, int]] = set()  # cells whose value came from a merge above them
    for r0, c0, r1 in ranges:
        value = sheet.value(r0, c0)
        for r in range(r0 + 1, min(r1, sheet.height - 1) + 1):
            cells = rows[r] = list(rows[r]) if rows[r] is sheet.rows[r] else rows[r]
            cells.extend([""] * (c0 + 1 - len(cells)))
            cells[c0] = value
            given.add((r, c0))
    continued = {
        r
        for r0, c0, r1 in ranges
        if c0 == row_column
        for r in range(r0 + 1, r1 + 1)
        if own_column is None or (r, own_column) in given or not cell_text(sheet.value(r, own_column))
    }
    return dataclasses.replace(sheet, rows=rows), continued


#: A decision's number: digits, optionally a year, then the document's sign ("90/QĐ-UBND",
#: "15/2025/QĐ-UBND", "512/QĐ-TTg"); the sign starts with a letter, so "16/01/2025" is no number.
_NUMBER = re.compile(r"\d+[A-Za-z]?\s*/\s*(?:\d{4}\s*/\s*)?[A-Za-zĐđ][\wĐđ]*(?:\s*[-–]\s*[A-Za-zĐđ][\wĐđ]*)*")
#: A date in the rest of the cell, folded (:func:`kpi.vn.fold`): "16/01/2025", "16.01.2025",
#: "ngay 16 thang 01 nam 2025".
_DATE = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}")


def decision_parts(text: str) -> tuple[str, dt.date | None]:
    """A decision cell's number (spaces removed) and date, each when written.

    "90/QĐ-UBND ngày 16/01/2025" → ("90/QĐ-UBND", 2025-01-16); "Số 90/QĐ-UBND, 16/01/2025" → the
    same; "512/QĐ-TTg" → ("512/QĐ-TTg", None); a text with neither (an unusual numbering) → that
    text without spaces, no date, as before; a date alone → ("", the date).
    """
    text = clean_text(text)
    if not text:
        return "", None
    number = _NUMBER.search(text)
    rest = text[: number.start()] + " " + text[number.end() :] if number else text
    date = None
    found = _DATE.search(fold(rest))
    if found:
        try:
            parsed = parse_date(found.group(0))
            date = parsed.value if parsed else None
        except NumberFormatError:
            date = None
    if number:
        return re.sub(r"\s+", "", number.group(0)).replace("–", "-"), date
    return ("" if found else re.sub(r"\s+", "", text)), date


def _says_proposal(text: str) -> bool:
    return bool(text) and register_words().any("proposals", "cell", text)


def _title_cell(sheet: Sheet, header_row: int) -> tuple[str, str] | None:
    """(cell, text) of a line above the table that says the list is a proposal, or ``None``."""
    for r in range(header_row):
        for c, value in enumerate(sheet.rows[r]):
            if isinstance(value, str) and register_words().any("proposals", "title", value):
                return cell_ref(r, c), clean_text(value)
    return None


def _row_proposal(sheet: Sheet, r: int, cols: dict[str, int], titled: bool) -> tuple[str, str] | None:
    """(cell, what it says) when row ``r`` is only a proposal: a decision / note cell says so, or
    the title says the list is a proposal and the row has no decision number."""
    for role in ("decision_number", "decision_date", "note"):
        if role in cols:
            said = clean_text(sheet.value(r, cols[role])) if isinstance(sheet.value(r, cols[role]), str) else ""
            if _says_proposal(said):
                return cell_ref(r, cols[role]), said
    if titled:
        number = (
            decision_parts(str(sheet.value(r, cols["decision_number"]) or ""))[0] if "decision_number" in cols else ""
        )
        if not re.search(r"\d", number):
            where = (
                cell_ref(r, cols["decision_number"]) if "decision_number" in cols else cell_ref(r, cols["recipient"])
            )
            return where, phrase("no_decision_written")
    return None


def mark_proposals(sheet: Sheet, header_row: int, cols: dict[str, int], table: pd.DataFrame, issues: list) -> None:
    """Keep proposed awards out of every count (see the module docstring), in place.

    Rows of ``table`` (:data:`kpi.reading.registers.AWARD_COLUMNS`) that are proposals get no
    ``key`` and the note :data:`kpi.reading.file_kind.PROPOSAL_NOTE`. When every row is a
    proposal, an error ``proposal_list`` refuses the file (a proposal is not an award; what to
    upload instead); when some are, a warning ``proposed_rows`` lists them by cell.
    """
    if table.empty:
        return
    title = _title_cell(sheet, header_row)
    found = []
    for i, row_number in zip(table.index, table["row_number"], strict=True):
        said = _row_proposal(sheet, int(row_number) - 1, cols, title is not None)
        if said:
            table.at[i, "key"] = ""
            table.at[i, "note"] = PROPOSAL_NOTE
            found.append((said, table.at[i, "recipient"], table.at[i, "award_written"]))
    if not found:
        return
    cells = ", ".join(cell for (cell, _s), _r, _a in found[:12]) + (" …" if len(found) > 12 else "")
    words = sorted({s for (_c, s), _r, _a in found})
    if len(found) == len(table):
        evidence = [phrase("proposal_title", cell=title[0], title=title[1])] if title else []
        evidence.append(phrase("proposal_rows", count=len(found), cells=cells, words="», «".join(words)))
        issues.append(
            issue(
                ERROR,
                "proposal_list",
                sheet=sheet.name,
                cell=title[0] if title else found[0][0][0],
                evidence="; ".join(evidence),
            )
        )
        return
    listed = "; ".join(
        phrase("proposed_row", cell=cell, said=said, who=who, award=award) for (cell, said), who, award in found[:12]
    )
    issues.append(
        issue(
            WARNING,
            "proposed_rows",
            sheet=sheet.name,
            cell=found[0][0][0],
            count=len(found),
            listed=listed,
            more=phrase("more") if len(found) > 12 else "",
        )
    )


def missing_units_issue(catalogue, named: set[str], sheet_name: str, hidden: dict | None = None) -> Issue | None:
    """A warning naming the units of the plan's blocks that the list does not name in a visible row
    (each owes a registration and counts as not registered, TD01), or ``None`` when every unit is
    named. A unit named only in a hidden row is said to be there (its cell), not absent (black-box r2).

    :param named: the catalogue's unit names the list's visible rows matched (whatever their sign).
    :param hidden: unit → cell of the hidden row that names it.
    """
    hidden = hidden or {}
    owed = catalogue.block_units
    missing = [(u, b) for u, b in zip(owed["unit"], owed["block"], strict=True) if u not in named]
    if not missing:
        return None
    absent = [(u, b) for u, b in missing if u not in hidden]
    in_hidden = [(u, b) for u, b in missing if u in hidden]
    absent_listed = "; ".join(phrase("unit_of_block", unit=u, block=b) for u, b in absent)
    hidden_listed = "; ".join(phrase("unit_of_block_hidden", unit=u, block=b, cell=hidden[u]) for u, b in in_hidden)
    if not in_hidden:
        return issue(WARNING, "units_missing", sheet=sheet_name, absent=len(absent), absent_listed=absent_listed)
    if not absent:
        return issue(
            WARNING, "units_missing.hidden", sheet=sheet_name, hidden=len(in_hidden), hidden_listed=hidden_listed
        )
    return issue(
        WARNING,
        "units_missing.both",
        sheet=sheet_name,
        absent=len(absent),
        absent_listed=absent_listed,
        hidden=len(in_hidden),
        hidden_listed=hidden_listed,
    )
