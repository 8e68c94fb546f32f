"""A report's period, year and document date: the signals, the choice among them, and the facts
that cannot be true (the identify step of :func:`kpi.reading.report_sheets.read_report`).

The period comes from the highest-ranking signal present (design.md): 1. a "Kỳ báo cáo" line;
2. the title ("Quý I", "6 tháng đầu năm", "9 tháng", "cả năm"); 3. the headers of this year's
quarter and year-to-date columns; 4. a title that only says "… năm 2024" (the year report).
Plan, last-year and year-end-estimate columns are never signals. No signal, or two of the same
rank disagreeing, refuses the file with "hãy chọn kỳ báo cáo". A year-only title ranks below the
columns (a "… năm 2024" title over "Quý I" columns is a first-quarter report), but when the columns
give the fourth quarter it agrees, and it is named as the source (the year report).
"""

from __future__ import annotations

import datetime as dt
import re

from kpi.reading.layout import UNTIL_DAY, TableLayout, Vocabulary, quarter_of, until_quarter
from kpi.reading.messages import ERROR, WARNING, Issue, excerpt, issue, phrase
from kpi.reading.report_context import Context
from kpi.reading.workbook import cell_ref
from kpi.vn import fold

__all__ = [
    "YEAR_SPAN",
    "Signal",
    "signals",
    "choose_period",
    "impossible_periods",
    "off_quarter_periods",
    "period_named_as",
    "bare_column_kind",
    "check_dates",
    "infer_year",
]

_YEAR_RE = re.compile(r"\b(20\d\d)\b")

#: A period signal: (rank, quarter, year or None, description in words, cell).
Signal = tuple[int, int, "int | None", str, str]


def signals(ctx: Context, layout: TableLayout, vocab: Vocabulary, year: int | None) -> list[Signal]:
    """Period signals of the four ranks (see the module's docstring)."""
    out = []
    if "period" in ctx.metadata:
        raw, ref = ctx.metadata["period"]
        text = str(raw)
        f = fold(text)
        q = quarter_of(vocab, f)
        y = _YEAR_RE.search(f)
        named_year = Vocabulary.any(vocab.title_year, f) or re.fullmatch(r"(nam\s*)?\d{4}", f)
        if q is None and named_year and not names_no_such_period(f):
            q = 4
        if q:
            out.append((1, q, int(y.group(1)) if y else None, phrase("line_at", text=text, cell=ref), ref))
    if ctx.title:
        f = title_period_part(ctx.title)
        # Every quarter and month count the title names: "Quý III và 9 tháng" name one period,
        # "Quý I và Quý II" two (a conflict).
        mentions = [m.group(0) for m in vocab.quarter.finditer(f)] + [m.group(0) for m in vocab.months.finditer(f)]
        mentions += [m.group(0) for m in UNTIL_DAY.finditer(f)]  # «… đến 30/9/2024»
        qs = {quarter_of(vocab, m) for m in mentions} - {None}
        if re.search(r"\bca nam\b|\btong ket nam\b|\bbao cao nam\b", f):
            qs.add(4)
        for q in qs:
            out.append(
                (2, q, None, phrase("title_at", title=excerpt(ctx.title, 80), cell=ctx.title_cell), ctx.title_cell)
            )
        # A title with only a year is a year's report, unless the file leaves its "Kỳ báo cáo"
        # line to be filled in (the blank template): then the period is missing, not the year.
        # "Quý V năm 2024" names a quarter that does not exist (held: impossible_period), not only the year.
        year_only = "period" not in ctx.blank and Vocabulary.any(vocab.title_year, f) and not names_no_such_period(f)
        if not qs and year_only and re.search(r"\b(thuc hien|ket qua|bao cao|tong hop)\b", f):
            out.append((4, 4, None, phrase("title_year_only", title=excerpt(ctx.title, 120)), ctx.title_cell))
    for col in layout.value_columns:
        if col.kind in ("quarter", "ytd") and col.quarter and (year is None or col.year in (None, year)):
            header_cell = cell_ref(layout.header_rows[-1], col.index)
            described = phrase("column_header", letter=col.letter, header=col.header)
            out.append((3, col.quarter, col.year, described, header_cell))
    return out


def choose_period(found: list[Signal], issues: list[Issue], sheet: str) -> tuple[int | None, str]:
    """The period from the best-ranked signals, and how it was found; disagreement → warning or
    refusal (appended to ``issues``)."""
    if not found:
        return None, ""
    best_rank = min(s[0] for s in found)
    best = [s for s in found if s[0] == best_rank]
    quarters = {s[1] for s in best}
    if best_rank == 3:
        # Column headers: a report may carry several quarters ("Quý I", "Quý II", "Lũy kế 6
        # tháng"); its period is the latest of them.
        quarters = {max(quarters)}
    if len(quarters) > 1:
        said = "; ".join(phrase("signal", source=s[3], quarter=s[1]) for s in best)
        issues.append(issue(ERROR, "period_conflict", sheet=sheet, signals=said))
        return None, ""
    quarter = quarters.pop()
    source = next(s[3] for s in best if s[1] == quarter)
    if best_rank == 3:
        # a title that only says the year, agreeing with the columns' latest quarter (the fourth),
        # is what the clerk reads the period from: said as its source, not column H «Quý IV» (blind round 8, finding 7)
        source = next((s[3] for s in found if s[0] == 4 and s[1] == quarter), source)
    _other_signals(found, best_rank, quarter, source, issues, sheet)
    return quarter, source


def _other_signals(found: list[Signal], best_rank: int, quarter: int, source: str, issues: list[Issue], sheet: str):
    """Lower-ranked signals naming another quarter: the period the file writes (its title, its
    columns' latest period) said two ways is held for the user to decide, never guessed (issue
    16); another column that merely differs is a warning."""
    latest_column = max((s[1] for s in found if s[0] == 3), default=None)
    contradicted = False
    for rank, other_quarter, _year, other, cell in found:
        if rank <= best_rank or other_quarter == quarter or rank == 4:
            continue
        if rank == 2 or other_quarter == latest_column:
            if not contradicted:
                issues.append(
                    issue(
                        ERROR,
                        "period_contradiction",
                        sheet=sheet,
                        cell=cell,
                        source=source,
                        quarter=quarter,
                        other=other,
                        other_quarter=other_quarter,
                    )
                )
            contradicted = True
            continue
        issues.append(
            issue(
                WARNING,
                "period_disagrees",
                sheet=sheet,
                other=other,
                other_quarter=other_quarter,
                quarter=quarter,
                source=source,
            )
        )


#: How many years a year written in a title or "Kỳ báo cáo" line may lie from the plan's year
#: before it is taken for a typing error (1900, 2099) rather than a report of another year.
YEAR_SPAN = 10
#: A quarter that does not exist ("Quý V", "Quý 0", "Q7"); real ones are I–IV (vocabulary.toml).
_NO_SUCH_QUARTER = re.compile(r"\b(?:quy|q)\s*\.?\s*(v|vi|vii|viii|ix|x|0|[5-9]|[1-9]\d)\b")
_MONTH_NAMED = re.compile(r"\bthang\s+(\d{1,3})\b")  # "tháng 13"
_MONTH_COUNT = re.compile(r"\b(\d{1,3})\s+thang\b")  # "15 tháng"
#: A period's year: "năm 1900", "Quý I/1900", "tháng 9/1900" (not "số 12/1998/QĐ-UB", a decision's number).
_YEAR_WRITTEN = re.compile(r"(?:\bnam\s*|\b(?:quy|q|thang)\s*\.?\s*\w{1,4}\s*/\s*)(\d{4})\b")


def names_no_such_period(folded: str) -> bool:
    """Whether a folded title or "Kỳ báo cáo" line names a quarter or month that does not exist
    ("quy v", "thang 13", "15 thang"): it then names a period, only a wrong one, and is never read
    as a year's report (which would show "Quý IV" for "Quý V")."""
    months = [int(m.group(1)) for pattern in (_MONTH_NAMED, _MONTH_COUNT) for m in pattern.finditer(folded)]
    return bool(_NO_SUCH_QUARTER.search(folded)) or any(not 1 <= n <= 12 for n in months)


#: Where a title turns from the period reported to the tasks ahead: «… 9 tháng, phương hướng nhiệm
#: vụ quý IV», «… 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối năm» (the next period's plan).
_TASKS_AHEAD = re.compile(r"[,;.\s-]*\b(?:phuong huong|nhiem vu trong tam)\b.*$")


def title_period_part(title: str) -> str:
    """The folded title without the tasks ahead it announces (:data:`_TASKS_AHEAD`): the period a
    report covers is named before them (round 12: both titles were held, one as «6 tháng cuối năm»,
    the other as naming Quý III and Quý IV — the office's most common titles)."""
    return _TASKS_AHEAD.sub("", fold(title))


def period_named_as(ctx: Context, vocab: Vocabulary) -> tuple[str, int | None] | None:
    """How the file names its period, for a figure column whose header names none («Thực hiện»,
    «TH», «Thực hiện kỳ»): ``("ytd", q)`` when it names months from the year's start («9 tháng», «6
    tháng đầu năm», «đến 30/9/2024») or the whole year («cả năm», a title with only its year: q 4),
    ``("quarter", q)`` when it names a quarter («Quý III»), ``("both", q)`` when one line names both
    («quý III và 9 tháng»), ``None`` when none. Read from the "Kỳ báo cáo" line when it names a
    period, else from the title's period part (:func:`title_period_part`). Round 12: a bare «Thực
    hiện» under «Báo cáo … 9 tháng» was stored as Quý III's own figure — nine months taken for one
    quarter's amount (design.md names only «Thực hiện Quý …» a quarter's own figure).
    """
    lines = []
    if "period" in ctx.metadata:
        lines.append(fold(str(ctx.metadata["period"][0])))
    if ctx.title:
        lines.append(title_period_part(ctx.title))
    for line in lines:
        f = _DATE_IN_WORDS.sub(" ", line)
        quarter = vocab.quarter.search(f)
        months = vocab.months.search(f) or UNTIL_DAY.search(f)
        q = quarter_of(vocab, (quarter or months).group(0)) if quarter or months else None
        if quarter and months:
            return "both", q
        if quarter:
            return "quarter", q
        if months:
            return "ytd", q
        if Vocabulary.any(vocab.values["ytd"], f):  # «Báo cáo lũy kế …» with no span: the period's end
            return "ytd", None
        if Vocabulary.any(vocab.title_year, f) and not names_no_such_period(f):
            return "ytd", 4
    return None


def bare_column_kind(
    ctx: Context, vocab: Vocabulary, quarter: int | None, chosen: str | None
) -> tuple[str | None, bool]:
    """The kind of a figure column that names no period (a bare «Thực hiện», a commune's column
    «X. Dân Quyền», a total «Cộng»), in a report of ``quarter``: the clerk's choice (``chosen``,
    ``--actual``), else the period the file names (:func:`period_named_as`) when it is that quarter
    (or names no quarter): ``"ytd"`` or ``"quarter"``; ``None`` when the file says nothing (the
    caller keeps the quarter's own, design.md). The one rule both
    :mod:`kpi.reading.report_identity` and :mod:`kpi.reading.unit_columns` apply.

    :returns: ``(kind, unclear)`` — ``unclear`` when the file names both a quarter and months from
        the year's start from the second quarter on (in the first both are one figure): to be asked.
    """
    if chosen:
        return chosen, False
    named = period_named_as(ctx, vocab)
    if named is None or quarter is None or named[1] not in (None, quarter):
        return None, False
    if named[0] == "both":
        return ("quarter", False) if quarter == 1 else (None, True)
    return named[0], False


#: A date written in words inside a line («ngày 05 tháng 4 năm 2024»): its month names no period.
_DATE_IN_WORDS = re.compile(r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?")
#: Spans that are no year to date ending at a quarter's end: a month («tháng 10», «tháng 11/2024»),
#: months counted from the start to another month («10 tháng», «11 tháng»), the year's last months
#: («6 tháng cuối năm»), a campaign's phase («sơ kết đợt 1»).
_MONTH_ALONE = re.compile(r"\bthang\s+(\d{1,2})\b")
_MONTHS_FROM_START = re.compile(r"\b(\d{1,2})\s+thang\b(?!\s+cuoi)")
_LAST_MONTHS = re.compile(r"\b(?:\d{1,2}|ba|sau|chin)\s+thang\s+cuoi\s+nam\b")
_PHASE = re.compile(r"\bdot\s+(?:\d{1,2}|i{1,3}|iv)\b")
_QUARTER_END_MONTHS = {3, 6, 9, 12}


def off_quarter_periods(ctx: Context, layout: TableLayout, vocab: Vocabulary) -> list[tuple[str, str, str]]:
    """Periods the title, the "Kỳ báo cáo" line or a figure column's header names that are no
    quarter's: a month other than a quarter's last («tháng 10»), months from the year's start to
    such a month («Lũy kế 10 tháng», «11 tháng»), the year's last months («6 tháng cuối năm»: July
    to December, not a year to date), a campaign's phase («Sơ kết đợt 1»). Round 11: all were read
    as the year's report (a title with only its year), stored as Quý IV and judged final — a
    November report's «Không đạt» for the year, a half-year added on top of nine months («Vượt»).
    Figures are kept by quarter (design.md), so such a file is held until the clerk chooses the
    quarter its figures are (or fixes the file); never guessed. A phase beside a quarter's period
    in the same line («6 tháng đầu năm 2024 (phục vụ sơ kết đợt 1)») is that period's.

    :returns: ``(what, where, cell)`` per finding, the words as found (folded) and the line.
    """
    texts = []
    if ctx.title:
        texts.append((ctx.title, phrase("title", title=excerpt(ctx.title, 120)), ctx.title_cell))
    if "period" in ctx.metadata:
        raw, ref = ctx.metadata["period"]
        texts.append((str(raw), phrase("line", text=raw), ref))
    for col in layout.value_columns:
        if col.kind in ("quarter", "ytd"):
            cell = cell_ref(layout.header_rows[-1], col.index)
            texts.append((col.header, phrase("column_header", letter=col.letter, header=col.header), cell))
    found = []
    for text, where, cell in texts:
        f = _DATE_IN_WORDS.sub(lambda m: " " * len(m.group(0)), fold(text))
        if text is ctx.title:  # the tasks ahead name the next period, not this one's (same length: a cut)
            f = f[: len(title_period_part(text))]
        same = len(f) == len(text)  # the words quoted as the file writes them, where folding kept places

        def said(m: re.Match, text=text, f=f, same=same) -> str:
            return text[m.start() : m.end()] if same else m.group(0)

        quarter_named = vocab.quarter.search(f) or vocab.months.search(f)
        spans = [said(m) for m in _LAST_MONTHS.finditer(f)]
        spans += [said(m) for m in _PHASE.finditer(f)] if not quarter_named else []
        spans += [said(m) for m in UNTIL_DAY.finditer(f) if until_quarter(m.group(0)) is None]  # «đến 15/10»
        spans += [
            said(m)
            for pattern in (_MONTH_ALONE, _MONTHS_FROM_START)
            for m in pattern.finditer(f)
            if 1 <= int(m.group(1)) <= 12 and int(m.group(1)) not in _QUARTER_END_MONTHS
        ]
        found += [(span, where, cell) for span in dict.fromkeys(spans)]
    return found


def impossible_periods(ctx: Context, plan_year: int) -> list[tuple[str, str, str]]:
    """Periods the title or the "Kỳ báo cáo" line names that cannot exist: a quarter other than
    I–IV, a month 0 or beyond 12 ("tháng 13", "15 tháng"), a year more than :data:`YEAR_SPAN`
    years from the plan's year ("năm 1900").

    :returns: ``(what, where, cell)`` per finding: the words found, the line they are in.
    """
    texts = []
    if ctx.title:
        texts.append((ctx.title, phrase("title", title=excerpt(ctx.title, 120)), ctx.title_cell))
    if "period" in ctx.metadata:
        raw, ref = ctx.metadata["period"]
        texts.append((str(raw), phrase("line", text=raw), ref))
    found = []
    for text, where, cell in texts:
        f = fold(text)
        for m in _NO_SUCH_QUARTER.finditer(f):
            found.append((phrase("quarter_named", quarter=m.group(1).upper()), where, cell))
        for pattern in (_MONTH_NAMED, _MONTH_COUNT):
            for m in pattern.finditer(f):
                if not 1 <= int(m.group(1)) <= 12:
                    found.append((m.group(0).replace("thang", phrase("month")), where, cell))
        for m in _YEAR_WRITTEN.finditer(f):
            if abs(int(m.group(1)) - plan_year) > YEAR_SPAN:
                found.append((phrase("year_named", year=m.group(1)), where, cell))
    return found


def check_dates(
    doc_date: dt.date | None, year: int | None, cell: str, sheet: str, chosen: bool, today: dt.date | None = None
) -> list[Issue]:
    """A document date that cannot be true, held for the user's decision (issue 16): after today,
    or before 1 January of the report's year (a report on a year's figures is written during or
    after that year; design.md, "Periods, senders and subjects"). Such a date would decide which
    version of a report is used — a date in 2099 would outrank every later correction — so the
    file is not stored until the date is fixed in the file or decided (``ImportOptions.doc_date``:
    the right date, or "none" for undated). A decided date is checked the same way.

    :param chosen: the date was decided at upload (the message then does not point at the file).
    :returns: at most one ``error`` issue, ``doc_date_future`` or ``doc_date_before_year``.
    """
    if doc_date is None:
        return []
    today = today or dt.date.today()
    what = phrase("date_chosen" if chosen else "date_written")
    decide = phrase("decide_date", fix_file="" if chosen else phrase("fix_date_in_file"))
    cell = "" if chosen else cell
    if doc_date > today:
        return [
            issue(
                ERROR, "doc_date_future", sheet=sheet, cell=cell, what=what, date=doc_date, today=today, decide=decide
            )
        ]
    if year and doc_date < dt.date(year, 1, 1):
        return [
            issue(
                ERROR,
                "doc_date_before_year",
                sheet=sheet,
                cell=cell,
                what=what,
                date=doc_date,
                year=year,
                decide=decide,
            )
        ]
    return []


def infer_year(
    ctx: Context, layout: TableLayout, chosen_year: int | None, chosen_period, found: list[Signal]
) -> tuple[int | None, str]:
    """The report's year and how it was found: chosen at upload (``chosen_year``, or the year of
    ``chosen_period`` (year, quarter)), a "Kỳ báo cáo" line's year, the "Năm" metadata, the title,
    the realised columns' headers, the plan column, the document date."""
    if chosen_year:
        return chosen_year, phrase("chosen")
    if chosen_period:
        return chosen_period[0], phrase("chosen")
    for rank, _q, y, desc, _cell in sorted(found, key=lambda s: s[0]):
        if y and rank == 1:
            return y, desc
    if "year" in ctx.metadata:
        m = _YEAR_RE.search(str(ctx.metadata["year"][0]))
        if m:
            return int(m.group(1)), phrase("cell", cell=ctx.metadata["year"][1])
    m = _YEAR_RE.search(fold(ctx.title))
    if m:
        return int(m.group(1)), phrase("title_cell", cell=ctx.title_cell)
    years = [c.year for c in layout.value_columns if c.kind in ("quarter", "ytd", "year_estimate") and c.year]
    if years:
        return max(years), phrase("value_headers")
    years = [c.year for c in layout.value_columns if c.kind == "plan" and c.year]
    if years:
        return max(years), phrase("plan_column")
    if ctx.doc_date:
        return ctx.doc_date.year, phrase("doc_date")
    return None, ""
