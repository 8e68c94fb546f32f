"""Two columns of a report with one meaning (session 13).

A table can carry two columns the vocabulary reads the same way — «Lũy kế 6 tháng» beside «Lũy
kế 6 tháng (số điều chỉnh)», «Thực hiện 6 tháng» twice — and both were stored as the same figure
(same subject, quarter, kind and vintage). Which one counted was then left to the order of rows
in a window function: a wrong figure that looks right.

The rule, one place for it:

* columns of one meaning that agree on every row where both have a number are one column: the
  first (leftmost) column's number is kept, and a row only the other one fills takes that one;
* columns of one meaning that differ on any row hold the file (``same_meaning_differ``, a decision
  of :data:`kpi.reading.checks.DECISIONS`): the clerk says which column counts
  (``ImportOptions.use_columns``: its letter; the other columns of that meaning are not stored), or
  fixes the file. Nothing is chosen for the clerk.

The plan column («Kế hoạch») is left out: it is only compared with the approved target
(``plan_differs``) and counts for nothing.

Shapes: ``observations`` are the dicts of :class:`kpi.reading.report_rows.RowReader` (``key``,
``subject``, ``quarter``, ``kind``, ``vintage``, ``value``, ``cell``, ``column_label``,
``row_label``…); a column is named by its letter (``"F"``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from kpi.reading.layout import Column
from kpi.reading.messages import ERROR, WARNING, Issue, issue, phrase

__all__ = ["ColumnChoice", "column_choices", "settle_same_meaning"]

_MEANING = ("subject", "quarter", "kind", "vintage")
_LETTERS = re.compile(r"[A-Z]+")
#: Rows quoted in the message; the rest counted.
_SHOWN = 3


@dataclass(frozen=True)
class ColumnChoice:
    """Columns of one meaning that disagree: what the clerk chooses among.

    :ivar columns: ``(letter, header)`` of each, left to right.
    :ivar chosen: the letter the clerk chose, or ``None`` while the file is held."""

    columns: tuple[tuple[str, str], ...]
    chosen: str | None = None


def _letter(cell: str) -> str:
    return _LETTERS.match(cell).group(0)


def _column_number(letter: str) -> int:
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n


def settle_same_meaning(
    observations: list[dict], columns: tuple[Column, ...], use_columns: tuple[str, ...], sheet: str
) -> tuple[list[dict], list[Issue]]:
    """The figures to store and the issues.

    :param columns: the table's columns (:attr:`kpi.reading.layout.TableLayout.columns`): their
        meaning in the preview's words names the group in the message.
    :param use_columns: letters the clerk chose, one per group of disagreeing columns (a letter of
        no such group is ignored).
    :returns: ``(observations kept, issues)``: one ``same_meaning_differ`` error per group with
        no chosen column (its rows and numbers quoted: row, label, each column's number), one
        ``same_meaning_chosen`` warning per group with one; each carries its
        :class:`ColumnChoice` (:func:`column_choices`)."""
    meanings: dict[tuple, dict[str, str]] = {}  # meaning → letter → header
    for o in observations:
        if o["kind"] != "plan":
            meanings.setdefault(tuple(o[f] for f in _MEANING), {}).setdefault(_letter(o["cell"]), o["column_label"])
    shared = {m: cols for m, cols in meanings.items() if len(cols) > 1}
    if not shared:
        return observations, []
    by_row: dict[tuple, dict[str, dict]] = {}  # (meaning, key) → letter → observation
    for o in observations:
        m = tuple(o[f] for f in _MEANING)
        if m in shared:
            by_row.setdefault((m, o["key"]), {})[_letter(o["cell"])] = o
    drop: set[int] = set()
    issues: list[Issue] = []
    choices: list[ColumnChoice] = []
    for m, cols in shared.items():
        letters = sorted(cols, key=_column_number)
        rows = [(key, found) for (mm, key), found in by_row.items() if mm == m]
        differing = [(key, found) for key, found in rows if len({round(o["value"], 9) for o in found.values()}) > 1]
        if not differing:  # one column written twice: the leftmost number of each row
            for _key, found in rows:
                drop.update(id(found[c]) for c in letters if c in found and c != min(found, key=_column_number))
            continue
        chosen = next((c for c in use_columns if c in cols), None)
        choices.append(ColumnChoice(tuple((c, cols[c]) for c in letters), chosen))
        meaning = next(c.meaning for c in columns if c.letter == letters[0])
        if chosen is not None:
            drop.update(id(o) for _key, found in rows for c, o in found.items() if c != chosen)
            named = ", ".join(f"{c} «{cols[c]}»" for c in letters)
            said = issue(WARNING, "same_meaning_chosen", sheet=sheet, columns=named, meaning=meaning, chosen=chosen)
            issues.append(_carrying(said, choices[-1]))
            continue
        issues.append(_carrying(_held(meaning, letters, cols, differing, sheet), choices[-1]))
    kept = [o for o in observations if id(o) not in drop]
    return kept, issues


def _carrying(said: Issue, choice: ColumnChoice) -> Issue:
    """``said`` with ``choice`` among its facts, for :func:`column_choices` (not a field of its text)."""
    return dataclasses.replace(said, facts=(*said.facts, ("choice", choice)))


def _held(meaning: str, letters: list[str], cols: dict[str, str], differing: list, sheet: str) -> Issue:
    """The ``same_meaning_differ`` error of one group: its columns and the rows that differ."""
    differing = sorted(differing, key=lambda kf: _row(next(iter(kf[1].values()))["cell"]))
    rows = []
    for _key, found in differing[:_SHOWN]:
        first = next(iter(found.values()))
        figures = ", ".join(
            phrase("same_meaning_figure", letter=c, value=found[c]["written"]) for c in letters if c in found
        )
        rows.append(phrase("same_meaning_row", row=_row(first["cell"]), label=first["row_label"], figures=figures))
    more = len(differing) - _SHOWN
    return issue(
        ERROR,
        "same_meaning_differ",
        sheet=sheet,
        cell=next(iter(differing[0][1].values()))["cell"],
        columns=", ".join(f"{c} «{cols[c]}»" for c in letters),
        meaning=meaning,
        rows="; ".join(rows) + (phrase("same_meaning_more", count=more) if more > 0 else ""),
        letters=phrase("same_meaning_or").join(letters),
    )


def column_choices(issues: list[Issue]) -> list[ColumnChoice]:
    """Each group of disagreeing columns of a read report, from its issues (held or chosen): what
    the upload page offers to choose among, before and after the choice."""
    return [dict(i.facts)["choice"] for i in issues if i.code in ("same_meaning_differ", "same_meaning_chosen")]


def _row(cell: str) -> int:
    return int(cell[len(_letter(cell)) :])
