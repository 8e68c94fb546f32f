"""A per-commune table's columns: whose figures each holds and of which period (round 12).

A district's report can give a block of columns per commune (design.md: «a per-commune file»):
«STT | Chỉ tiêu | ĐVT | X. Dân Quyền | X. Hiền Quan | TT Hưng Hóa | Cộng», under a title «BÁO CÁO …
9 THÁNG NĂM 2024», or the same under a merged «Thực hiện 9 tháng». :func:`kpi.reading.layout.find_table`
reads each header cell: one naming a unit of the plan (:meth:`kpi.domain.plan.Catalogue.match_unit`,
abbreviations written out: «X.» = xã, «TT» = thị trấn) makes the column that unit's (its
``subject``); «Cộng», «Tổng cộng», «Tổng số», «Tổng», «Toàn huyện» (``[columns] total`` of
``data/vocabulary.toml``) the table's total; a place that is no unit («X. Tân Phú») is kept aside.
This module settles what the header alone cannot, once the report's title is read:

* the total of a table with units' columns is the district's own column (its figure wins over the
  units' sum, which is checked against it: ``unit_sum_differs``) when the table has a column for
  every commune of the plan or the total names the district («Toàn huyện»: ``[columns]
  district_total``); «Cộng» of some communes is their sum only, not read and said
  (``column_not_read.partial_total``; round 13: «Cộng» of three communes replaced the district's
  2.438,3 with 650 and its health-insurance rate with theirs); in a table of no units' columns
  a bare «Cộng» is left unread and «Thực hiện» over «Tổng số» is the report's own, as before;
* a unit's or the total's column that names no period of its own («X. Dân Quyền», «Cộng», «TH»
  under a commune) takes the report's, by the rule every column naming no period follows
  (:func:`kpi.reading.report_period.bare_column_kind`): months from the year's start («9 tháng»,
  «6 tháng đầu năm», «đến 30/9/2024», «lũy kế») or only the year make it the year to date, a
  quarter («Quý III») the quarter's own figure, both at once are asked;
* a column not read in such a table is said, with its letter and header and why
  (``column_not_read``): a place that is no unit of the plan (never guessed), or a header that says
  neither whose figures nor which period. Before, both were dropped without a word.
"""

from __future__ import annotations

import dataclasses
import re

from kpi.domain.plan import Catalogue
from kpi.reading.layout import Column, TableLayout, Vocabulary, header_fold
from kpi.reading.messages import WARNING, Issue, issue
from kpi.reading.report_period import bare_column_kind
from kpi.reading.workbook import Sheet, cell_ref

__all__ = ["settle_unit_columns"]

_DIGIT = re.compile(r"\d")


def settle_unit_columns(
    sheet: Sheet,
    layout: TableLayout,
    ctx,
    catalogue: Catalogue,
    vocab: Vocabulary,
    quarter: int | None,
    chosen: str | None = None,
) -> tuple[TableLayout, list[Issue]]:
    """The layout with its units' and total's columns settled (see the module: ``quarter``, the
    report's, is the period of those naming none, their kind the one rule of
    :func:`kpi.reading.report_period.bare_column_kind` — ``chosen`` the clerk's ``--actual``), and a
    ``column_not_read`` warning for each column of figures left unread in a table of units' columns
    or headed by a place that is no unit."""
    district = catalogue.district_unit
    per_unit = any(c.subject and c.subject != district for c in layout.columns if c.role == "value")
    kind = bare_column_kind(ctx, vocab, quarter, chosen)[0] or "quarter"  # asked when unclear: report_identity
    units = {c.subject for c in layout.columns if c.role == "value" and c.subject and c.subject != district}
    every_commune = bool(catalogue.communes) and set(catalogue.communes) <= units
    columns: list[Column] = []
    partial: set[int] = set()
    for col in layout.columns:
        if col.total and per_unit and not col.subject:
            if every_commune or Vocabulary.any(vocab.columns["district_total"], header_fold(col.header)):
                col = dataclasses.replace(col, subject=district)
            else:  # «Cộng» of some communes: their sum, not the district's (round 13: it replaced 2.438,3 with 650)
                col = dataclasses.replace(col, role="unknown", kind=None, by_period=False)
                partial.add(col.index)
        if col.by_period and not col.subject and Vocabulary.any(vocab.columns["total"], header_fold(col.header)):
            col = dataclasses.replace(col, role="unknown", kind=None, by_period=False, total=False)  # as before
        elif col.by_period and not col.subject:  # «Thực hiện» over «Tổng số»: the report's own, as before
            col = dataclasses.replace(col, by_period=False)
        elif col.by_period:
            col = dataclasses.replace(col, kind=kind, quarter=quarter)
        columns.append(col)
    issues = [
        _not_read(sheet, layout, col, catalogue, len(units) if col.index in partial else 0)
        for col in columns
        if (col.place or (per_unit and col.role == "unknown" and col.header)) and _has_figures(sheet, layout, col)
    ]
    return dataclasses.replace(layout, columns=tuple(columns)), issues


def _has_figures(sheet: Sheet, layout: TableLayout, col: Column) -> bool:
    for r in range(layout.first_data_row, layout.end_row):
        v = sheet.value(r, col.index)
        if (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and _DIGIT.search(v)):
            return True
    return False


def _not_read(sheet: Sheet, layout: TableLayout, col: Column, catalogue: Catalogue, parts: int) -> Issue:
    """Why ``col`` is not read: a place that is no unit, a total of ``parts`` units (not all the
    plan's communes), or a header that says neither whose figures nor which period."""
    last = [r for r in layout.header_rows if r != layout.number_row][-1]
    cell = cell_ref(last, col.index)
    at = {"sheet": sheet.name, "cell": cell, "letter": col.letter, "header": col.header}
    if col.place:
        return issue(WARNING, "column_not_read.place", **at, place=col.place, plan_year=catalogue.year)
    if parts:
        return issue(WARNING, "column_not_read.partial_total", **at, count=parts, owed=len(catalogue.communes))
    return issue(WARNING, "column_not_read.unknown", **at)
