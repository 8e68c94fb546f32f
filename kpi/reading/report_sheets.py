"""Reading a quarterly report: the wide sheet a clerk sends → a long table of figures.

::

    ┌ UBND HUYỆN TAM NÔNG        CỘNG HÒA XÃ HỘI…  ┐   admin block → sender
    │ PHÒNG TÀI CHÍNH - KẾ HOẠCH                    │
    │ BIỂU TỔNG HỢP … QUÝ I NĂM 2024                │   title → period (rank 2), year, subject
    │ (Kèm theo Báo cáo số 52/BC-TCKH ngày 05/4/2024)│   reference → document number and date
    ├ STT │ Chỉ tiêu │ ĐVT │ KH 2024 │ TH Quý I │ Lũy kế │ So sánh (%) ┤   header → column meanings
    │ 1   │ Tổng vốn…│ Tỷ đ│ 3.300,9 │ 520,4    │ 520,4  │   (derived)  │
    └ …                                               ┘
                              ▼
    key   year quarter kind     vintage  value  written  cell  subject
    CT01  2024 1       plan     official 3300.9 3300.9   D11   UBND huyện Tam Nông
    CT01  2024 1       quarter  official 520.4  520.4    E11   …
    CT01  2024 1       ytd      official 520.4  520.4    F11   …

The reading is a pipeline of named steps, each in its own module of ``kpi.reading``:

1. **the table** — :func:`kpi.reading.layout.find_table` (header by its words, column meanings);
2. **the lines around it** — :func:`kpi.reading.report_context.read_context` (title, admin block,
   reference, "Label: value" lines, unit note, signature date);
3. **identify** — :func:`kpi.reading.report_identity.identify`: year and period
   (:mod:`~kpi.reading.report_period`: the ranked signals of design.md), document date, sender and
   subject (:mod:`~kpi.reading.report_subject`); the columns are read again knowing the year;
4. **merged cells** and **conventions** — a figure merged over several cells counts once; each
   value column's way of writing numbers (:mod:`kpi.reading.report_rows`);
5. **classify rows** — nameless, hidden, a name's continuation, a section, not in the plan, a
   duplicate, matched (:class:`kpi.reading.report_rows.RowReader`);
6. **figures** — each value cell by its written form (:func:`kpi.reading.numbers.cell_number`),
   scaled to the plan's unit; then the checks across figures below (a level's quarter against its
   year to date, mixed percent scales, units against the district's sum).

Every message of these steps is in the catalogue :mod:`kpi.reading.messages` (issue 15, item 4):
a step says what (a code, the facts), the catalogue says how, in Vietnamese.

Impossible facts are held for the user's decision (issue 16): errors whose message names the
cell and the choice that lifts them (:data:`kpi.reading.checks.DECISIONS`) — the "Kỳ báo cáo" line or
the title naming another quarter than a higher signal or than the columns' latest period
(``period_contradiction``; another column that merely differs stays a warning); a period that
cannot exist, "Quý V", "tháng 13", "năm 1900" (``impossible_period``, :func:`impossible_periods`);
a document date after today or before 1 January of the report's year (:func:`check_dates`).
Choosing the period (``ImportOptions.period``) or the date (``ImportOptions.doc_date``) lifts them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi.domain.plan import Catalogue
from kpi.domain.rules import FRACTION_MAX, within_half_unit
from kpi.reading.layout import TableLayout, Vocabulary, find_table
from kpi.reading.messages import ERROR, WARNING, Issue, issue, phrase
from kpi.reading.options import NO_DATE_WORDS, ImportOptions
from kpi.reading.ratios import check_ratios
from kpi.reading.report_context import Cited, Context, read_context
from kpi.reading.report_identity import identify, inferred_lines
from kpi.reading.report_period import check_dates, impossible_periods
from kpi.reading.report_rows import RowReader, Table, merged_figures
from kpi.reading.same_meaning import settle_same_meaning
from kpi.reading.unit_columns import settle_unit_columns
from kpi.reading.workbook import Sheet
from kpi.vn import format_number, to_decimal
from kpi.words import kind_words, report_period_words

__all__ = [
    "ImportOptions",
    "Context",
    "read_context",
    "read_report",
    "ReportRead",
    "OBSERVATION_COLUMNS",
    "check_dates",
    "impossible_periods",
    "NO_DATE_WORDS",
]

#: Columns of the long table of figures (all ``object``/str except ``value`` float64 and
#: ``year``/``quarter`` int64).
OBSERVATION_COLUMNS = [
    "key",
    "year",
    "quarter",
    "subject",
    "kind",
    "vintage",
    "value",
    "written",
    "written_unit",
    "factor",
    "sheet",
    "cell",
    "row_label",
    "column_label",
    "note",
]


@dataclass
class ReportRead:
    """A report read from one sheet (before validation against the database).

    :ivar observations: the long table, columns :data:`OBSERVATION_COLUMNS`.
    :ivar rows: one row per data row: ``row`` (int, 1-based), ``label`` (str), ``key`` (str or
        ""), ``how`` (``exact``/``loose``/``folded``/``key``/""), ``status`` (``matched``,
        ``section``, ``note`` (a note, source or signature line), ``not_in_plan``, ``duplicate``,
        ``hidden``, ``empty``).
    :ivar inferred: (what, value, how) lines for the preview.
    :ivar cited: the other documents its lines quote (:class:`kpi.reading.report_context.Cited`),
        the one it replaces among them (``replaces``).
    """

    sheet: str
    layout: TableLayout
    year: int | None
    quarter: int | None
    sender: str
    subject: str
    doc_date: dt.date | None
    doc_number: str
    title: str
    observations: pd.DataFrame
    rows: pd.DataFrame
    issues: list[Issue]
    inferred: list[tuple[str, str, str]]
    cited: list[Cited] = field(default_factory=list)  # the other documents its lines quote


def _observation_frame(observations: list[dict]) -> pd.DataFrame:
    """The long table with stable dtypes (built column by column: much cheaper than astype)."""
    columns = {c: [o[c] for o in observations] for c in OBSERVATION_COLUMNS}
    frame = pd.DataFrame(columns)
    frame["year"] = frame["year"].astype("int64")
    frame["quarter"] = frame["quarter"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def read_report(
    sheet: Sheet,
    catalogue: Catalogue,
    vocab: Vocabulary,
    options: ImportOptions,
    layout: TableLayout | None = None,
    date1904: bool = False,
) -> ReportRead | None:
    """Read one sheet as a report of the plan's indicators, in named steps: find the table and
    read the lines around it → identify (year, period, document date, sender, subject) → merged
    cells → each value column's number convention → classify rows and read their figures → the
    checks across figures.

    :returns: ``None`` when the sheet has no recognisable report table; otherwise a
        :class:`ReportRead` with every figure of every matched row and every issue found.
        Issues that refuse the file have severity ``error``.
    """

    def unit_matcher(text):
        m = catalogue.match_unit(text, abbreviated=True)
        return m.value if m else None

    if layout is None:
        layout = find_table(sheet, vocab, None, unit_matcher=unit_matcher)
        if layout is None:
            return None
    ctx = read_context(sheet, layout.header_rows[0], layout.end_row, vocab, unit_matcher)
    issues: list[Issue] = []
    found = identify(sheet, ctx, layout, catalogue, vocab, options, issues, unit_matcher)
    settled, unread = settle_unit_columns(sheet, found.layout, ctx, catalogue, vocab, found.quarter, options.actual)
    found = dataclasses.replace(found, layout=settled)
    issues += unread
    inferred = inferred_lines(sheet, ctx, found)
    table = Table(found.layout)
    if table.hidden_values:
        hidden = ", ".join(c.letter for c in table.hidden_values)
        inferred.append((phrase("inferred_hidden_columns"), hidden, ""))
    if table.name is None:
        return None
    issues.extend(merged_figures(sheet, found.layout, table.values))
    rows = RowReader(sheet, catalogue, ctx, found, table, issues)
    for r in range(found.layout.first_data_row, found.layout.end_row):
        rows.read(r)
    if rows.hidden_used:
        hidden = ", ".join(map(str, rows.hidden_used))
        inferred.append((phrase("inferred_hidden_rows"), hidden, phrase("hidden_rows_why")))
    rows.observations, held = settle_same_meaning(
        rows.observations, found.layout.columns, tuple(options.use_columns or ()), sheet.name
    )
    issues += held
    _level_consistency(rows.observations, catalogue, issues, sheet.name)
    _percent_scales(rows.observations, catalogue, issues, sheet.name)
    _unit_sums(rows.observations, catalogue, issues, sheet.name)
    issues += _district_by_default_doubt(rows.observations, catalogue, found, options, sheet.name)
    as_written = options.ratios == "as_written"
    issues += check_ratios(sheet, found.layout, rows.observations, catalogue, vocab, found.subject, as_written)
    return ReportRead(
        sheet=sheet.name,
        layout=found.layout,
        year=found.year,
        quarter=found.quarter,
        sender=found.sender,
        subject=found.subject,
        doc_date=ctx.doc_date,
        doc_number=ctx.doc_number,
        title=ctx.title,
        observations=_observation_frame(rows.observations),
        rows=pd.DataFrame(rows.records, columns=["row", "label", "key", "how", "status"]),
        issues=issues,
        inferred=inferred,
        cited=list(ctx.cited),
    )


def _district_by_default_doubt(
    observations: list[dict], catalogue: Catalogue, found, options, sheet: str
) -> list[Issue]:
    """A report read as the district's only by default (no sender, nothing said of whose figures)
    whose own plan column gives a summed indicator a third of the district's target or less: a
    commune's or an office's plan, so its figures are most likely its own — held for «Số liệu của»
    (``district_plan_far``), never stored as the district's (round 12: a commune's report with no
    letterhead, its plan 250 against the district's 3.300,9, replaced the district's 9 months)."""
    if options.subject or found.sender or found.subject_held or found.subject_how != phrase("whole_district"):
        return []
    for o in observations:
        ind = catalogue.by_key.get(o["key"])
        if o["kind"] != "plan" or ind is None or ind.across_units != "sum" or not ind.target or ind.target <= 0:
            continue
        if o["subject"] == catalogue.district_unit and 0 < o["value"] <= float(ind.target) / 3:
            return [
                issue(
                    ERROR,
                    "district_plan_far",
                    sheet=sheet,
                    cell=o["cell"],
                    key=ind.key,
                    name=ind.name,
                    value=format_number(to_decimal(o["value"])),
                    target=format_number(ind.target),
                    unit=ind.unit,
                )
            ]
    return []


def _group(observations: list[dict], *fields: str) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for o in observations:
        groups.setdefault(tuple(o[f] for f in fields), []).append(o)
    return groups


def _unit_sums(observations: list[dict], catalogue: Catalogue, issues: list[Issue], sheet: str) -> None:
    """A per-unit file with a district column: for ``across units = sum`` indicators the district's
    figure is used as written, and the units' sum is checked against it (design.md): a difference
    beyond half a unit of the target's last decimal is a warning."""
    district = catalogue.district_unit
    subjects = {o["subject"] for o in observations}
    if len(subjects) < 2 or district not in subjects:
        return
    for (key, kind, quarter), group in _group(
        [o for o in observations if o["kind"] != "plan"], "key", "kind", "quarter"
    ).items():
        ind = catalogue.by_key.get(key)
        if ind is None or ind.across_units != "sum":
            continue
        own = [o for o in group if o["subject"] == district]
        parts = [o for o in group if o["subject"] != district]
        if not own or len(parts) < 2:
            continue
        total = sum(to_decimal(o["value"]) for o in parts)
        written = to_decimal(own[0]["value"])
        if not within_half_unit(total, written, ind.decimals):
            issues.append(
                issue(
                    WARNING,
                    "unit_sum_differs",
                    sheet=sheet,
                    cell=own[0]["cell"],
                    key=key,
                    name=ind.name,
                    kind=kind_words(kind, ind.over_year),
                    quarter=quarter,
                    written=format_number(written),
                    unit=ind.unit,
                    parts=len(parts),
                    total=format_number(total),
                )
            )


def _percent_scales(observations: list[dict], catalogue: Catalogue, issues: list[Issue], sheet: str) -> None:
    """A percent column whose figures mix two scales (some as fractions 0–1.5 without a % format,
    others as 0–100) is warned about: one of them is probably 100× off."""
    shares = [o for o in observations if o["kind"] != "plan" and catalogue.by_key[o["key"]].unit == "%"]

    def fraction_like(o: dict) -> bool:
        # 0,18 is a poverty rate written as a percent (its target is 0,17 %), not a fraction:
        # only a figure far below its own indicator's scale can be a fraction
        reference = catalogue.by_key[o["key"]].threshold
        return 0 < o["value"] <= FRACTION_MAX and (reference is None or reference > FRACTION_MAX)

    for (column,), group in _group(shares, "column_label").items():
        small = [o for o in group if fraction_like(o)]
        if small and any(o["value"] > FRACTION_MAX for o in group):
            cells = ", ".join(o["cell"] for o in small)
            issues.append(
                issue(
                    WARNING,
                    "mixed_percent_scale",
                    sheet=sheet,
                    cell=small[0]["cell"],
                    key=small[0]["key"],
                    column=column,
                    cells=cells,
                )
            )


def _level_consistency(observations: list[dict], catalogue: Catalogue, issues: list[Issue], sheet: str) -> None:
    """A level's quarter and year-to-date columns of one period should agree (design.md)."""
    relevant = [o for o in observations if o["kind"] in ("quarter", "ytd")]
    for (key, _subject, _q), group in _group(relevant, "key", "subject", "quarter").items():
        ind = catalogue.by_key.get(key)
        if ind is None or ind.over_year != "level":
            continue
        kinds = {o["kind"]: (o["value"], o["cell"]) for o in group}
        if "quarter" in kinds and "ytd" in kinds and abs(kinds["quarter"][0] - kinds["ytd"][0]) > 1e-9:
            issues.append(
                issue(
                    WARNING,
                    "level_columns_differ",
                    sheet=sheet,
                    cell=kinds["ytd"][1],
                    key=key,
                    name=ind.name,
                    quarter_value=format_number(kinds["quarter"][0]),
                    quarter_cell=kinds["quarter"][1],
                    ytd_value=format_number(kinds["ytd"][0]),
                    ytd_cell=kinds["ytd"][1],
                )
            )


def unread_report_issue(sheet_name: str, used: str, read: ReportRead, matched: int) -> Issue:
    """The warning for a visible sheet that is a report of the plan too (``matched`` rows) but not
    read, ``used`` being the sheet read: one sheet is read per upload, and a report per quarter or
    per commune on its own sheet was named only in a blue note, missed (a clerk thought all stored).
    It says what the sheet holds (period, subject) and how to load it."""
    what = ", ".join(w for w in (report_period_words(read.year, read.quarter), read.subject) if w)
    return issue(WARNING, "other_report_sheet", sheet=sheet_name, used=used, what=what, count=matched)
