"""The rows of a report's table: merged cells, each value column's number convention, each row
classified (nameless, hidden, a name's continuation, a section, not in the plan, a duplicate,
matched) and the figures of the matched rows read (the third step of
:func:`kpi.reading.report_sheets.read_report`).
"""

from __future__ import annotations

from decimal import Decimal

from kpi.domain.plan import Catalogue, Match
from kpi.reading.file_kind import name_match_issue
from kpi.reading.layout import TableLayout, Vocabulary, vocabulary
from kpi.reading.messages import ERROR, INFO, WARNING, Issue, issue, phrase
from kpi.reading.numbers import cell_number
from kpi.reading.report_context import text_of
from kpi.reading.report_identity import Identity
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, column_convention, fold, roman_to_int

__all__ = ["Table", "RowReader", "merged_figures"]


class Table:
    """The columns a report's rows are read by."""

    def __init__(self, layout: TableLayout):
        self.name = layout.first("name")
        self.unit = layout.first("unit")
        self.key = layout.first("key")
        self.stt = layout.first("stt")
        self.values = [c for c in layout.value_columns if c.kind]
        self.hidden_values = [c for c in layout.columns if c.role == "value" and c.hidden]
        self.notes = [c for c in layout.columns if c.role == "note"]


def merged_figures(sheet: Sheet, layout: TableLayout, value_cols) -> list[Issue]:
    """A figure merged across value columns or rows counts once, for its first cell only: warned."""
    value_indexes = {c.index for c in value_cols}
    found = []
    for r0, c0, r1, c1 in sheet.merged or ():
        spans = [c for c in range(c0, c1 + 1) if c in value_indexes]
        in_data = layout.first_data_row <= r0 < layout.end_row
        if in_data and spans and (len(spans) > 1 or r1 > r0):
            first = cell_ref(r0, c0)
            found.append(
                issue(WARNING, "merged_figure", sheet=sheet.name, cell=first, first=first, last=cell_ref(r1, c1))
            )
    return found


def _label_merges(sheet: Sheet, name_index: int) -> dict[int, int]:
    """Row → the row its name is merged down from (a name merged over several rows names each)."""
    merges = {}
    for r0, c0, r1, c1 in sheet.merged or ():
        if c0 <= name_index <= c1 and r1 > r0:
            for rr in range(r0 + 1, r1 + 1):
                merges[rr] = r0
    return merges


def _conventions(sheet: Sheet, layout: TableLayout, value_cols) -> dict[int, tuple[str, bool]]:
    """Each value column's way of writing numbers, read off its texts (:func:`kpi.vn.column_convention`)."""
    conventions = {}
    for col in value_cols:
        texts = [sheet.value(r, col.index) for r in range(layout.first_data_row, layout.end_row)]
        conventions[col.index] = column_convention([t for t in texts if isinstance(t, str)])
    return conventions


class RowReader:
    """Classifies each data row — nameless, hidden, a name's continuation, a section, not in the
    plan, a duplicate, matched — and reads the figures of the matched ones.

    :ivar records: (row 1-based, label, key, how, status) per row (:class:`ReportRead` ``rows``).
    :ivar observations: the figures, as :data:`OBSERVATION_COLUMNS` dicts.
    """

    def __init__(self, sheet: Sheet, catalogue: Catalogue, ctx, found: Identity, table: Table, issues):
        self.sheet, self.catalogue, self.ctx, self.found, self.table = sheet, catalogue, ctx, found, table
        self.issues: list[Issue] = issues
        self.merges = _label_merges(sheet, table.name.index)
        self.conventions = _conventions(sheet, found.layout, table.values)
        self.observations: list[dict] = []
        self.records: list[tuple] = []
        self.seen: dict[str, int] = {}  # key → its first row (0-based)
        self.hidden_used: list[int] = []
        self.row_estimate = False  # the row being read says in its note that it is an estimate

    def read(self, r: int) -> None:
        sheet, name_col = self.sheet, self.table.name
        label_src = self.merges.get(r, r)
        label = text_of(sheet.value(label_src, name_col.index))
        has_values = any(
            not (isinstance(sheet.value(r, c.index), str) and not clean_text(sheet.value(r, c.index)))
            for c in self.table.values
        )
        if not label:
            self._nameless(r, label_src, has_values)
            return
        if r in sheet.hidden_rows:
            self._hidden(r, label, has_values)
            return
        if r in self.merges and not has_values:
            return  # the label merged down over a continuation row with no figure
        match = self._match(r, label, has_values)
        if match is None:
            return
        key = match.value
        indicator = self.catalogue[key]
        if match.how in ("folded", "similar", "abbreviation"):
            self._name_issues(r, label, match, indicator)
        unit_source, factor = self._unit(r, label, indicator)
        if factor is not None and key in self.seen:
            self._duplicate(r, label, match, indicator)
            return
        if factor is not None:
            self.seen[key] = r
            self.row_estimate = self._note_says_estimate(r, label)
            for col in self.table.values:
                self._figure(r, col, indicator, label, unit_source, factor)
        self.records.append((r + 1, label, key, match.how, "matched"))

    def _note_says_estimate(self, r: int, label: str) -> bool:
        """Whether the row's note cell says its figures are estimates («ước», «ước tính», «dự kiến»:
        the vocabulary's ``estimate`` words) — said once, by its cell (black-box: a commune's «Tỷ lệ
        hộ nghèo … 0,9 … ước» was stored as an official figure)."""
        for col in self.table.notes:
            written = text_of(self.sheet.value(r, col.index))
            if written and Vocabulary.any(vocabulary().values["estimate"], fold(written)):
                cell = cell_ref(r, col.index)
                self.issues.append(
                    issue(INFO, "row_estimate", sheet=self.sheet.name, cell=cell, label=label, note=written)
                )
                return True
        return False

    def _nameless(self, r: int, label_src: int, has_values: bool) -> None:
        """A row with figures but no name is not used, and said so (a formula name says why)."""
        sheet, name_index = self.sheet, self.table.name.index
        cells = sheet.rows[r] if r < sheet.height else []
        if not has_values or not any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells):
            return
        self.records.append((r + 1, "", "", "", "empty"))
        formula = sheet.formulas.get((label_src, name_index))
        why = phrase("name_is_formula", formula=formula) if formula else phrase("name_empty")
        cell = cell_ref(label_src, name_index)
        self.issues.append(issue(WARNING, "row_without_name", sheet=sheet.name, cell=cell, row=r + 1, why=why))

    def _hidden(self, r: int, label: str, has_values: bool) -> None:
        """A hidden row is never used (it usually keeps old figures); warned when it is an indicator's."""
        self.hidden_used.append(r + 1)
        self.records.append((r + 1, label, "", "", "hidden"))
        match = self.catalogue.match_indicator(label)
        if match is not None and has_values:
            cell = cell_ref(r, self.table.name.index)
            self.issues.append(
                issue(WARNING, "hidden_row", sheet=self.sheet.name, cell=cell, key=match.value, row=r + 1, label=label)
            )

    def _match(self, r: int, label: str, has_values: bool) -> Match | None:
        """The row's indicator by its key column, else by its name; none → a section or a row not
        in the plan (recorded)."""
        key_col, stt_col = self.table.key, self.table.stt
        if key_col is not None:
            key_text = clean_text(self.sheet.value(r, key_col.index))
            if key_text in self.catalogue.by_key:
                return Match(key_text, "key")
        match = self.catalogue.match_indicator(label, by_words=True)
        if match is None and not has_values and vocabulary().is_note_line(fold(label)):
            # «Ghi chú: số liệu 6 tháng là số ước tính.» under the table: no name to teach (blind round 7)
            self.records.append((r + 1, label, "", "", "note"))
        elif match is None:
            stt = text_of(self.sheet.value(r, stt_col.index)) if stt_col else ""
            is_section = (stt and roman_to_int(stt) is not None) or (label.upper() == label and not has_values)
            self.records.append((r + 1, label, "", "", "section" if is_section else "not_in_plan"))
        return match

    def _name_issues(self, r: int, label: str, match: Match, indicator) -> None:
        """A name matched only without diacritics, or only as similar or abbreviated: warned."""
        cell = cell_ref(r, self.table.name.index)
        if match.how == "folded":
            self.issues.append(
                issue(
                    WARNING,
                    "name_without_diacritics",
                    sheet=self.sheet.name,
                    cell=cell,
                    key=match.value,
                    label=label,
                    name=indicator.name,
                )
            )
        if match.how in ("similar", "abbreviation"):
            self.issues.append(name_match_issue(match, label, indicator.name, match.value, self.sheet.name, cell))

    def _unit(self, r: int, label: str, indicator) -> tuple[str, Decimal | None]:
        """(the unit written — in the row, else the note above the table — and the factor to the
        plan's unit); ``None`` when it does not convert (an error: the row's figures are not read)."""
        unit_col = self.table.unit
        unit_written = text_of(self.sheet.value(r, unit_col.index)) if unit_col else ""
        unit_source = unit_written or self.ctx.unit_note
        factor = self.catalogue.measure(unit_source, indicator)
        if factor is None and not unit_written:
            factor = Decimal(1)
        if factor is None:
            cell = cell_ref(r, unit_col.index) if unit_col and unit_written else self.ctx.unit_note_cell
            self.issues.append(
                issue(
                    ERROR,
                    "unit_mismatch",
                    sheet=self.sheet.name,
                    cell=cell,
                    key=indicator.key,
                    written=unit_source,
                    label=label,
                    plan_unit=indicator.unit,
                )
            )
        return unit_source, factor

    def _duplicate(self, r: int, label: str, match: Match, indicator) -> None:
        """An indicator's second row is not used (the first one counts)."""
        key = indicator.key
        self.issues.append(
            issue(
                WARNING,
                "duplicate_row",
                sheet=self.sheet.name,
                cell=cell_ref(r, self.table.name.index),
                key=key,
                name=indicator.name,
                row=r + 1,
                first_row=self.seen[key] + 1,
            )
        )
        self.records.append((r + 1, label, key, match.how, "duplicate"))

    def _figure(self, r: int, col, indicator, label: str, unit_source: str, factor: Decimal) -> None:
        """One value cell of a matched row → an observation (scaled to the plan's unit; a percent
        format ×100 for a share, noted for any other unit; the title's "Ước" makes it an estimate)."""
        shown = (indicator.unit, indicator.decimals, col.kind)  # a formula's value as the preview writes it
        value, written, percent = cell_number(
            self.sheet, r, col.index, *self.conventions[col.index], self.issues, label, shown
        )
        if value is None:
            return
        note = ""
        if percent and indicator.unit != "%":
            note = phrase("note_percent_format") if percent == "format" else phrase("note_percent_sign")
            cell = cell_ref(r, col.index)
            self.issues.append(
                issue(
                    WARNING,
                    "percent_for_non_share",
                    sheet=self.sheet.name,
                    cell=cell,
                    key=indicator.key,
                    label=label,
                    unit=indicator.unit,
                    note=note,
                )
            )
        elif percent == "format":
            value = value * 100
        value = value * factor
        found = self.found
        q = found.quarter if col.kind == "year_estimate" else (col.quarter or found.quarter)
        if q is None:
            return
        vintage = col.vintage
        if (found.estimate or self.row_estimate) and vintage == "official" and col.kind in ("quarter", "ytd"):
            vintage = "estimate"
        self.observations.append(
            {
                "key": indicator.key,
                "year": found.year or 0,
                "quarter": int(q),
                "subject": col.subject or found.subject,
                "kind": col.kind,
                "vintage": vintage,
                "value": float(value),
                "written": written,
                "written_unit": unit_source,
                "factor": str(factor),
                "sheet": self.sheet.name,
                "cell": cell_ref(r, col.index),
                "row_label": label,
                "column_label": col.header,
                "note": note,
            }
        )
