"""Notes said once per cell, folded into one line per column for the preview.

Black-box finding (December 2026): a registration list with its dates written as text showed 14
near-identical lines «Ngày «…» đọc theo kiểu ngày/tháng/năm: dd/mm/yyyy.» under its preview. Notes
of one code on one sheet in one column (:data:`FOLD_FROM` or more) are now one line that says how
many, where — a short range, «D4–D6, D14, D16, …» — and one or two examples
(:func:`kpi.reading.messages.folded`); each note stays with its cell in :attr:`Note.issues` for the
page's details. The file's issues themselves are untouched: saved, each note keeps its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kpi.errors import FileRefused
from kpi.reading.messages import Issue, folded

__all__ = ["FOLD_FROM", "Note", "folded_notes", "refusal"]

#: From this many notes of one kind in one column, they are said as one line.
FOLD_FROM = 3
#: How many runs of cells the line names before «…».
_RUNS_SHOWN = 4
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass(frozen=True)
class Note:
    """One line of the preview's notes.

    :ivar text: the line as the page shows it (:meth:`kpi.reading.messages.Issue.screen_text`).
    :ivar issues: the notes it stands for, each with its own cell (one: the note itself).
    """

    text: str
    issues: tuple[Issue, ...]


def folded_notes(issues: Iterable[Issue], least: int = FOLD_FROM, text=Issue.screen_text) -> list[Note]:
    """``issues`` as the preview's lines, in the order first met: notes of one severity and code on
    one sheet and in one column, ``least`` or more of them, as one line; every other note as it is.
    Notes of one code with different reasons (their ``why``, or their message's variant:
    ``scale_unclear.share`` and ``scale_unclear.thousand``) are not one line. ``text`` writes a
    line (:meth:`Issue.screen_text` for the page, :meth:`Issue.text` for the command line).
    Errors and warnings fold too: a table of 100,000 rows in the wrong unit was refused with
    100,000 lines (the command line printed them all, the page drew them)."""
    groups: dict[tuple, list[Issue]] = {}
    for n, item in enumerate(issues):
        cell = _CELL.match(item.cell or "")
        # a different reason is not «the same warning» (a formula's function, another file, a cycle;
        # a share written as a fraction beside money in triệu for tỷ: the message's variant)
        why = (item.variant, dict(item.facts).get("why", ""))
        key = (item.severity, item.code, item.sheet, cell.group(1), why) if cell else (n,)
        groups.setdefault(key, []).append(item)
    notes = []
    for key, members in groups.items():
        if len(key) == 1 or len(members) < least:
            notes += [Note(text(i), (i,)) for i in members]
            continue
        first = members[0]
        rows = sorted({int(_CELL.match(i.cell).group(2)) for i in members})
        line = folded(members, key[3], _runs(key[3], rows))
        notes.append(Note(text(Issue(first.severity, first.code, line, first.sheet)), tuple(members)))
    return notes


def _runs(column: str, rows: list[int]) -> str:
    """Rows of one column in words: runs of consecutive rows as ranges, the first few, then «…»:
    «D4–D6, D14, D16, D19, …»."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    said = [f"{column}{a}" if a == b else f"{column}{a}–{column}{b}" for a, b in runs[:_RUNS_SHOWN]]
    return ", ".join(said) + (", …" if len(runs) > _RUNS_SHOWN else "")


def refusal(file_name: str, issues: list[Issue], awaiting: bool) -> FileRefused:
    """The :class:`~kpi.errors.FileRefused` of a refused file: its ``issues``, those of one kind in
    one column folded into one line (:func:`folded_notes`, the command line's text)."""
    said = [note.text for note in folded_notes(issues, text=Issue.text)]
    return FileRefused(file_name, issues, awaiting=awaiting, said=said)
