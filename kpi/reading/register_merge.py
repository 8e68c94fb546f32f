"""A workbook whose several sheets are each a register of one kind, read as one register (blind
round 9, finding f07: collectives on sheet «Tap the», individuals on sheet «Ca nhan»; the second
sheet was skipped with a blue line and TD05 counted nothing).

:func:`merge_registers` joins the registers read from the sheets (:class:`RegisterRead`, each row
and each issue keeps its own sheet and cell) into one, or — when the sheets cannot be one list
(another achievement year, another issuing body above the table) — says why and keeps them apart:
the caller holds the file and asks, it never merges them.
"""

from __future__ import annotations

import pandas as pd

from kpi.domain.plan import Catalogue
from kpi.reading.checks import ERROR, Issue
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import issue, message, phrase
from kpi.reading.recipient_lists import award_rows_words
from kpi.reading.register_cells import missing_units_issue
from kpi.reading.register_open import RegisterRead
from kpi.reading.report_context import read_context
from kpi.reading.workbook import Sheet
from kpi.vn import fold

__all__ = ["issuing_body", "joined_note", "merge_registers", "registers_disagree"]


def issuing_body(sheet: Sheet, header_row: int, vocab: Vocabulary) -> str:
    """The issuing body a register's own header names (its admin block, the lines above the
    title: «UBND HUYỆN TAM NÔNG / PHÒNG NỘI VỤ»), folded; ``""`` when it names none."""
    ctx = read_context(sheet, header_row, header_row, vocab)
    return " / ".join(fold(text) for text, _cell in ctx.admin_lines if text.strip())


def registers_disagree(reads: list[tuple[Sheet, RegisterRead]], vocab: Vocabulary) -> Issue | None:
    """Why registers read from several sheets cannot be one list, as an error that holds the file
    (``registers_disagree``): they name different years, or different issuing bodies above their
    tables; ``None`` when nothing tells them apart (a sheet that names no year or no body agrees
    with any)."""
    years = {read.sheet: read.year for _sheet, read in reads if read.year is not None}
    bodies = {sheet.name: body for sheet, read in reads if (body := issuing_body(sheet, read.header_row, vocab))}
    if len(set(years.values())) > 1:
        what = "; ".join(
            phrase("sheet_says", sheet=name, what=phrase("year_word", year=y)) for name, y in years.items()
        )
    elif len(set(bodies.values())) > 1:
        lines = {sheet.name: _admin_text(sheet, read, vocab) for sheet, read in reads if sheet.name in bodies}
        what = "; ".join(phrase("sheet_says", sheet=name, what=f"«{text}»") for name, text in lines.items())
    else:
        return None
    return issue(ERROR, "registers_disagree", sheet=reads[0][0].name, what=what)


def _admin_text(sheet: Sheet, read: RegisterRead, vocab: Vocabulary) -> str:
    ctx = read_context(sheet, read.header_row, read.header_row, vocab)
    return " / ".join(text for text, _cell in ctx.admin_lines if text.strip())


def joined_note(sheets: list[str], kind: str, count: int) -> str:
    """The preview's note that the ``sheets`` were read as one register of ``count`` rows."""
    kind_name = phrase("kind_awards" if kind == "awards" else "kind_registrations")
    listed = ", ".join(f"«{name}»" for name in sheets)
    return message("registers_joined", sheets=listed, kind=kind_name.lower(), count=count)


def merge_registers(reads: list[RegisterRead], catalogue: Catalogue) -> RegisterRead:
    """One register of the rows of every sheet, in the sheets' order (``reads`` the best sheet
    first, as :func:`kpi.ingest_sheets.read_best_sheet` keeps them); every issue kept with its own
    sheet and cell — but a registration list's units of the plan not named, said once of the
    sheets together (a unit on one sheet is not missing from the list because another sheet
    lacks it); the preview's lines joined (:func:`_joined_inferred`); the year the one the sheets
    name; the titles those of the sheets, each once."""
    first = reads[0]
    tables = [r.table for r in reads if len(r.table)]
    table = pd.concat(tables, ignore_index=True) if tables else first.table
    issues = [i for r in reads for i in r.issues]
    if first.kind == "registrations":
        issues = [i for i in issues if i.code != "units_missing"]
        named = {u for u in table["unit"].fillna("").astype(str) if u}
        if (missing := missing_units_issue(catalogue, named, first.sheet)) is not None:
            issues.append(missing)
    titles = list(dict.fromkeys(r.title for r in reads if r.title))
    year = next((r.year for r in reads if r.year is not None), None)
    return RegisterRead(
        kind=first.kind,
        sheet=first.sheet,
        year=year,
        title="; ".join(titles),
        header_row=first.header_row,
        columns=first.columns,
        table=table,
        issues=issues,
        inferred=_joined_inferred(reads, year),
    )


def _joined_inferred(reads: list[RegisterRead], year: int | None) -> list[tuple[str, str, str]]:
    """The preview's lines («Trang tính», «Số dòng khen thưởng»…) of several sheets as one: the
    counts of rows added («4/21» and «3/21» registered units: «7/21»), the sheets' names listed, a
    value the sheets share said once, different ones listed (two titles)."""
    sheet_line = phrase("inferred_sheet")
    summed = {
        phrase("inferred_counted_in_year", year=str(year or "?")),
        phrase("inferred_registered_units"),
    }
    lines = []
    for what, value, how in reads[0].inferred:
        values = [v for r in reads for w, v, _h in r.inferred if w == what]
        if what == sheet_line:
            value = ", ".join(f"«{v}»" for v in values)
        elif what == phrase("inferred_award_rows"):  # the rows and the awards of all the sheets
            value = award_rows_words(pd.concat([r.table for r in reads], ignore_index=True))
        elif what in summed and all(_count(v) is not None for v in values):
            counts = [_count(v) for v in values]
            total = str(sum(n for n, _of in counts))
            value = total if counts[0][1] is None else f"{total}/{counts[0][1]}"
        else:
            value = " / ".join(dict.fromkeys(values))
        lines.append((what, value, how))
    return lines


def _count(value: str) -> tuple[int, str | None] | None:
    """«8» → (8, None); «4/21» → (4, "21"); else ``None``."""
    number, _, of = value.partition("/")
    if not number.isdigit() or (of and not of.isdigit()):
        return None
    return int(number), of or None
