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

The period comes from the highest-ranking signal present (design.md): 1. a "Kỳ báo cáo" line;
2. the title ("Quý I", "6 tháng đầu năm", "9 tháng", "cả năm"); 3. the headers of this year's
quarter and year-to-date columns; 4. a title that only says "… năm 2024" (the year report).
Plan, last-year and year-end-estimate columns are never signals. No signal, or two of the same
rank disagreeing, refuses the file with "hãy chọn kỳ báo cáo".

Impossible facts are held for the user's decision (issue 16): errors whose message names the
cell and the choice that lifts them (:data:`kpi.reading.checks.DECISIONS`) — the "Kỳ báo cáo" line or
the title naming another quarter than a higher signal or than the columns' latest period
(``period_contradiction``; another column that merely differs stays a warning); a period that
cannot exist, "Quý V", "tháng 13", "năm 1900" (``impossible_period``, :func:`impossible_periods`);
a document date after today or before 1 January of the report's year (:func:`check_dates`).
Choosing the period (``ImportOptions.period``) or the date (``ImportOptions.doc_date``) lifts them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from kpi.domain.plan import Catalogue
from kpi.errors import NumberFormatError
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.layout import TableLayout, Vocabulary, find_table, quarter_of
from kpi.reading.workbook import Sheet, cell_ref, is_error_text
from kpi.vn import (
    MAX_SHOWN_DIGITS,
    clean_text,
    column_convention,
    fold,
    format_number,
    parse_date,
    parse_number,
    period_words,
    roman_to_int,
    short_number,
    to_decimal,
)
from kpi.words import KIND_WORDS

__all__ = ["ImportOptions", "Context", "read_context", "read_report", "ReportRead", "OBSERVATION_COLUMNS"]

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

_PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class ImportOptions:
    """Choices a user (or the command line) makes for one file; stored in the import log so
    ``rebuild`` reproduces the result.

    :ivar period: "2024-Q1" … "2024-Q4" overrides the inferred period.
    :ivar subject: the reporting unit the figures describe (``--unit``).
    :ivar sheet: the sheet to read instead of the best one found.
    :ivar mapping: for an unrecognised layout: ``{"header_row": int (1-based), "name": "B",
        "unit": "C" | None, "values": {"E": {"kind": "quarter", "quarter": 1, "vintage":
        "official"}, …}}``.
    :ivar strict: warnings refuse the file too.
    :ivar doc_date: the document date decided by the user when the file's is impossible
        (:func:`check_dates`): "2024-04-05", or "none" to store the file as undated (it then ranks
        below every dated version). Replaces the date read from the file.
    :ivar kind: the file's kind chosen by the clerk when the evidence does not settle it
        (:mod:`kpi.file_kind`); only that kind's reader is tried.
    :ivar accept_unmatched: store a file held for rows that count toward nothing.
    """

    period: str | None = None
    year: int | None = None
    subject: str | None = None
    sender: str | None = None
    sheet: str | None = None
    mapping: dict | None = None
    strict: bool = False
    doc_date: str | None = None
    kind: str | None = None  # "report" | "awards" | "registrations": the clerk's choice (issue 13)
    accept_unmatched: bool = False  # store although rows count toward nothing (issue 13)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}

    @classmethod
    def from_dict(cls, raw: dict | None) -> ImportOptions:
        raw = raw or {}
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})

    @property
    def period_parts(self) -> tuple[int, int] | None:
        if not self.period:
            return None
        m = _PERIOD_RE.match(self.period.strip().upper())
        if not m:
            raise ValueError(self.period)
        return int(m.group(1)), int(m.group(2))

    @property
    def chosen_doc_date(self) -> dt.date | None:
        """The decided document date (``None`` for "none": undated); only when ``doc_date`` is set.

        :raises ValueError: neither YYYY-MM-DD nor "none".
        """
        text = (self.doc_date or "").strip().casefold()
        if text in NO_DATE_WORDS:
            return None
        return dt.date.fromisoformat(text)


#: What a user types for "store it without a document date" (``--document-date none``).
NO_DATE_WORDS = ("none", "khong", "không")


@dataclass
class Context:
    """What the lines above (and below) a table say about the report."""

    title: str = ""
    title_cell: str = ""
    admin_lines: list[tuple[str, str]] = field(default_factory=list)  # (text, cell)
    reference: str = ""
    reference_cell: str = ""
    metadata: dict[str, tuple[str, str]] = field(default_factory=dict)  # field → (text, cell)
    blank: set[str] = field(default_factory=set)  # fields labelled but left empty ("Kỳ báo cáo:" ⎵)
    unit_note: str = ""
    unit_note_cell: str = ""
    doc_date: dt.date | None = None
    doc_date_source: str = ""
    doc_date_cell: str = ""
    doc_number: str = ""
    signature_date: dt.date | None = None
    signature_cell: str = ""


def _text(value) -> str:
    return clean_text(value) if isinstance(value, str) else ""


_DOC_NUMBER = re.compile(r"\bs[oố]\s*:?\s*([0-9]+\s*/\s*[\w\-.&/]+)", re.I)
_DATE_IN_TEXT = re.compile(r"ngay\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")


def _date_in(folded: str, vocab: Vocabulary) -> dt.date | None:
    for pattern in (_DATE_IN_TEXT, vocab.signature_date):
        m = pattern.search(folded)
        if m:
            d, mo, y = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


def _observation_frame(observations: list[dict]) -> pd.DataFrame:
    """The long table with stable dtypes (built column by column: much cheaper than astype)."""
    columns = {c: [o[c] for o in observations] for c in OBSERVATION_COLUMNS}
    frame = pd.DataFrame(columns)
    frame["year"] = frame["year"].astype("int64")
    frame["quarter"] = frame["quarter"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def read_context(sheet: Sheet, top: int, end: int, vocab: Vocabulary, unit_matcher=None) -> Context:
    """Read the lines above a table (title, admin block, reference, key/value metadata, unit
    note) and the signature date below it.

    :param top: the first header row; :param end: the row after the data (footer start).
    :param unit_matcher: ``text → unit | None``; a line naming a unit before the title belongs to
        the admin block (sender), however long.
    """
    ctx = Context()
    title_parts: list[tuple[str, str]] = []
    width = max(sheet.width, 1)
    title_seen = False
    for r in range(min(top, sheet.height)):
        row = sheet.rows[r]
        filled = [(c, v) for c, v in enumerate(row) if v is not None and not (isinstance(v, str) and not v.strip())]
        nonempty = [(c, _text(v)) for c, v in filled if _text(v)]
        used: set[int] = set()  # value cells of a "Label:" | value pair, read with their label
        for c, text in nonempty:
            if c in used:
                continue
            f = fold(text)
            ref = cell_ref(r, c)
            m_number = re.match(r"^s[oố]\s*:?\s*([0-9]+\s*/\s*[\w\-.&/]+)", text, re.I)
            if m_number and not ctx.doc_number:
                ctx.doc_number = re.sub(r"\s+", "", m_number.group(1))
                continue
            if Vocabulary.any(vocab.motto, f):
                continue
            label = f.split(":", 1)[0].strip() if ":" in f else f
            meta_field = next(
                (k for k, pats in vocab.metadata.items() if k != "unit_note" and Vocabulary.any(pats, label)),
                None,
            )
            if meta_field:
                value = text.split(":", 1)[1].strip() if ":" in text else ""
                if not value:
                    after = [(cc, v) for cc, v in filled if cc > c]
                    if after:
                        value, ref = after[0][1], cell_ref(r, after[0][0])
                        used.add(after[0][0])
                        if isinstance(value, str):
                            value = _text(value)
                if value not in ("", None):
                    ctx.metadata.setdefault(meta_field, (value, ref))
                else:
                    ctx.blank.add(meta_field)
                continue
            unit_note = None
            for pattern in vocab.metadata["unit_note"]:
                m = pattern.search(f)
                if m:
                    unit_note = text[text.find(":") + 1 :].strip(" )") if ":" in text else ""
                    break
            if unit_note is not None:
                if unit_note:
                    ctx.unit_note, ctx.unit_note_cell = unit_note, ref
                continue
            if Vocabulary.any(vocab.reference, f):
                ctx.reference, ctx.reference_cell = text, ref
                date = _date_in(f, vocab)
                if date:
                    ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = date, f"dòng «{text}» (ô {ref})", ref
                m = _DOC_NUMBER.search(text)
                if m:
                    ctx.doc_number = re.sub(r"\s+", "", m.group(1))
                continue
            if vocab.signature_date.search(f) and len(f) < 80:
                date = _date_in(f, vocab)
                if date and ctx.doc_date is None:
                    ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = date, f"dòng «{text}» (ô {ref})", ref
                continue
            names_unit = not title_seen and unit_matcher is not None and unit_matcher(text)
            # "(Tên cơ quan báo cáo)" above the title is a form's placeholder, not the title
            bracketed = not title_seen and text.startswith("(") and text.endswith(")")
            is_title = (
                not names_unit
                and not bracketed
                and (
                    any(
                        w in f
                        for w in (
                            "bao cao",
                            "bieu",
                            "tong hop",
                            "ket qua",
                            "danh sach",
                            "chi tieu",
                            "ke hoach",
                            "thuc hien",
                        )
                    )
                    or len(f) >= 40
                )
            )
            if not title_seen and not is_title and c < width / 2:
                ctx.admin_lines.append((text, ref))
                continue
            if is_title or title_seen:
                title_seen = True
                if c <= width / 2 or len(f) >= 20:
                    title_parts.append((text, ref))
    ctx.title = " ".join(t for t, _ in title_parts)
    ctx.title_cell = title_parts[0][1] if title_parts else ""
    for r in range(end, sheet.height):
        for c, v in enumerate(sheet.rows[r]):
            f = fold(_text(v))
            if f and vocab.signature_date.search(f) and ctx.signature_date is None:
                ctx.signature_date = _date_in(f, vocab)
                ctx.signature_cell = cell_ref(r, c) if ctx.signature_date else ""
    if ctx.doc_date is None and "doc_date" in ctx.metadata:
        try:
            parsed = parse_date(ctx.metadata["doc_date"][0])
        except NumberFormatError:
            parsed = None
        if parsed:
            ref = ctx.metadata["doc_date"][1]
            ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = parsed.value, f"ô {ref}", ref
    if ctx.doc_date is None and ctx.signature_date is not None:
        ctx.doc_date, ctx.doc_date_source = ctx.signature_date, f"ngày ký cuối biểu (ô {ctx.signature_cell})"
        ctx.doc_date_cell = ctx.signature_cell
    if not ctx.doc_number and "doc_number" in ctx.metadata:
        ctx.doc_number = str(ctx.metadata["doc_number"][0])
    return ctx


@dataclass
class ReportRead:
    """A report read from one sheet (before validation against the database).

    :ivar observations: the long table, columns :data:`OBSERVATION_COLUMNS`.
    :ivar rows: one row per data row: ``row`` (int, 1-based), ``label`` (str), ``key`` (str or
        ""), ``how`` (``exact``/``loose``/``folded``/``key``/""), ``status`` (``matched``,
        ``section``, ``not_in_plan``, ``duplicate``, ``hidden``, ``empty``).
    :ivar inferred: (what, value, how) lines for the preview.
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


_YEAR_RE = re.compile(r"\b(20\d\d)\b")


def _signals(ctx: Context, layout: TableLayout, vocab: Vocabulary, year: int | None):
    """Period signals: (rank, quarter, year, description, cell)."""
    out = []
    if "period" in ctx.metadata:
        raw, ref = ctx.metadata["period"]
        text = str(raw)
        f = fold(text)
        q = quarter_of(vocab, f)
        y = _YEAR_RE.search(f)
        named_year = Vocabulary.any(vocab.title_year, f) or re.fullmatch(r"(nam\s*)?\d{4}", f)
        if q is None and named_year and not _names_no_such_period(f):
            q = 4
        if q:
            out.append((1, q, int(y.group(1)) if y else None, f"dòng «{text}» (ô {ref})", ref))
    if ctx.title:
        f = fold(ctx.title)
        # Every quarter and month count the title names: "Quý III và 9 tháng" name one period,
        # "Quý I và Quý II" two (a conflict).
        mentions = [m.group(0) for m in vocab.quarter.finditer(f)] + [m.group(0) for m in vocab.months.finditer(f)]
        qs = {quarter_of(vocab, m) for m in mentions} - {None}
        if re.search(r"\bca nam\b|\btong ket nam\b|\bbao cao nam\b", f):
            qs.add(4)
        for q in qs:
            out.append((2, q, None, f"tiêu đề «{ctx.title[:80]}» (ô {ctx.title_cell})", ctx.title_cell))
        # A title with only a year is a year's report, unless the file leaves its "Kỳ báo cáo"
        # line to be filled in (the blank template): then the period is missing, not the year.
        # "Quý V năm 2024" names a quarter that does not exist (held: impossible_period), not only the year.
        year_only = "period" not in ctx.blank and Vocabulary.any(vocab.title_year, f) and not _names_no_such_period(f)
        if not qs and year_only and re.search(r"\b(thuc hien|ket qua|bao cao|tong hop)\b", f):
            out.append((4, 4, None, f"tiêu đề «{ctx.title[:80]}» chỉ ghi năm (báo cáo năm)", ctx.title_cell))
    for col in layout.value_columns:
        if col.kind in ("quarter", "ytd") and col.quarter and (year is None or col.year in (None, year)):
            header_cell = cell_ref(layout.header_rows[-1], col.index)
            out.append((3, col.quarter, col.year, f"tiêu đề cột {col.letter} «{col.header}»", header_cell))
    return out


def _choose_period(signals, issues: list[Issue], sheet: str):
    """The period from the best-ranked signals; disagreement → warning or refusal."""
    if not signals:
        return None, ""
    best_rank = min(s[0] for s in signals)
    best = [s for s in signals if s[0] == best_rank]
    quarters = {s[1] for s in best}
    if best_rank == 3:
        # Column headers: a report may carry several quarters ("Quý I", "Quý II", "Lũy kế 6
        # tháng"); its period is the latest of them.
        quarters = {max(quarters)}
    if len(quarters) > 1:
        issues.append(
            Issue(
                ERROR,
                "period_conflict",
                "Không xác định được kỳ báo cáo: "
                + "; ".join(f"{s[3]} → quý {s[1]}" for s in best)
                + ". Hãy chọn kỳ báo cáo ở ô «Kỳ báo cáo» khi xem trước (dòng lệnh: --period 2024-Q2) hoặc sửa tiêu đề.",
                sheet,
            )
        )
        return None, ""
    quarter = quarters.pop()
    source = next(s[3] for s in best if s[1] == quarter)
    latest_column = max((s[1] for s in signals if s[0] == 3), default=None)
    contradicted = False
    for s in signals:
        if s[0] <= best_rank or s[1] == quarter or s[0] == 4:
            continue
        if s[0] == 2 or s[1] == latest_column:
            # The period the file writes (its "Kỳ báo cáo" line, its title, its columns' latest
            # period) said two ways: held for the user to decide, never guessed (issue 16).
            if not contradicted:
                issues.append(
                    Issue(
                        ERROR,
                        "period_contradiction",
                        f"Kỳ báo cáo mâu thuẫn: {source} ghi quý {quarter} nhưng {s[3]} ghi quý {s[1]}. Tệp chưa "
                        "được lưu: hãy sửa tệp cho thống nhất, hoặc chọn đúng kỳ ở ô «Kỳ báo cáo» khi xem trước "
                        f"(dòng lệnh: --period NĂM-Q{s[1]} hoặc NĂM-Q{quarter}).",
                        sheet,
                        s[4],
                    )
                )
            contradicted = True
            continue
        issues.append(
            Issue(
                WARNING,
                "period_disagrees",
                f"{s[3][0].upper() + s[3][1:]} gợi ý quý {s[1]}, khác kỳ báo cáo đã xác định "
                f"(quý {quarter}, theo {source}). Đã dùng quý {quarter}.",
                sheet,
            )
        )
    return quarter, source


#: How many years a year written in a title or "Kỳ báo cáo" line may lie from the plan's year
#: before it is taken for a typing error (1900, 2099) rather than a report of another year.
YEAR_SPAN = 10
#: A quarter that does not exist ("Quý V", "Quý 0", "Q7"); real ones are I–IV (vocabulary.toml).
_NO_SUCH_QUARTER = re.compile(r"\b(?:quy|q)\s*\.?\s*(v|vi|vii|viii|ix|x|0|[5-9]|[1-9]\d)\b")
_MONTH_NAMED = re.compile(r"\bthang\s+(\d{1,3})\b")  # "tháng 13"
_MONTH_COUNT = re.compile(r"\b(\d{1,3})\s+thang\b")  # "15 tháng"
#: A period's year: "năm 1900", "Quý I/1900", "tháng 9/1900" (not "số 12/1998/QĐ-UB", a decision's number).
_YEAR_WRITTEN = re.compile(r"(?:\bnam\s*|\b(?:quy|q|thang)\s*\.?\s*\w{1,4}\s*/\s*)(\d{4})\b")


def _names_no_such_period(folded: str) -> bool:
    """Whether a folded title or "Kỳ báo cáo" line names a quarter or month that does not exist
    ("quy v", "thang 13", "15 thang"): it then names a period, only a wrong one, and is never read
    as a year's report (which would show "Quý IV" for "Quý V")."""
    months = [int(m.group(1)) for pattern in (_MONTH_NAMED, _MONTH_COUNT) for m in pattern.finditer(folded)]
    return bool(_NO_SUCH_QUARTER.search(folded)) or any(not 1 <= n <= 12 for n in months)


def impossible_periods(ctx: Context, plan_year: int) -> list[tuple[str, str, str]]:
    """Periods the title or the "Kỳ báo cáo" line names that cannot exist: a quarter other than
    I–IV, a month 0 or beyond 12 ("tháng 13", "15 tháng"), a year more than :data:`YEAR_SPAN`
    years from the plan's year ("năm 1900").

    :returns: ``(what, where, cell)`` per finding: the words found, the line they are in.
    """
    texts = []
    if ctx.title:
        texts.append((ctx.title, f"tiêu đề «{ctx.title[:80]}»", ctx.title_cell))
    if "period" in ctx.metadata:
        raw, ref = ctx.metadata["period"]
        texts.append((str(raw), f"dòng «{raw}»", ref))
    found = []
    for text, where, cell in texts:
        f = fold(text)
        for m in _NO_SUCH_QUARTER.finditer(f):
            found.append((f"quý {m.group(1).upper()}", where, cell))
        for pattern in (_MONTH_NAMED, _MONTH_COUNT):
            for m in pattern.finditer(f):
                if not 1 <= int(m.group(1)) <= 12:
                    found.append((m.group(0).replace("thang", "tháng"), where, cell))
        for m in _YEAR_WRITTEN.finditer(f):
            if abs(int(m.group(1)) - plan_year) > YEAR_SPAN:
                found.append((f"năm {m.group(1)}", where, cell))
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
    what = "Ngày văn bản đã chọn" if chosen else "Ngày văn bản"
    decide = (
        "Tệp chưa được lưu: "
        + ("" if chosen else "hãy sửa ngày trong tệp rồi tải lên lại, hoặc ")
        + "ghi ngày đúng ở ô «Ngày văn bản» khi xem trước (dòng lệnh: --document-date NĂM-THÁNG-NGÀY, ví dụ "
        "--document-date 2024-04-05), hoặc chọn lưu không có ngày văn bản (dòng lệnh: --document-date none)."
    )
    if doc_date > today:
        return [
            Issue(
                ERROR,
                "doc_date_future",
                f"{what} {doc_date:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y}). Ngày văn bản quyết định "
                "bản nào được dùng: nếu lưu, bản này sẽ che mọi bản điều chỉnh sau. " + decide,
                sheet,
                "" if chosen else cell,
            )
        ]
    if year and doc_date < dt.date(year, 1, 1):
        return [
            Issue(
                ERROR,
                "doc_date_before_year",
                f"{what} {doc_date:%d/%m/%Y} trước năm của báo cáo ({year}): báo cáo số liệu năm {year} không thể "
                f"ban hành trước ngày 01/01/{year}. " + decide,
                sheet,
                "" if chosen else cell,
            )
        ]
    return []


def _infer_year(ctx: Context, layout: TableLayout, options: ImportOptions, signals) -> tuple[int | None, str]:
    if options.year:
        return options.year, "chọn khi tải lên"
    if options.period_parts:
        return options.period_parts[0], "chọn khi tải lên"
    for rank, _q, y, desc, _cell in sorted(signals, key=lambda s: s[0]):
        if y and rank == 1:
            return y, desc
    if "year" in ctx.metadata:
        m = _YEAR_RE.search(str(ctx.metadata["year"][0]))
        if m:
            return int(m.group(1)), f"ô {ctx.metadata['year'][1]}"
    m = _YEAR_RE.search(fold(ctx.title))
    if m:
        return int(m.group(1)), f"tiêu đề (ô {ctx.title_cell})"
    years = [c.year for c in layout.value_columns if c.kind in ("quarter", "ytd", "year_estimate") and c.year]
    if years:
        return max(years), "tiêu đề các cột số liệu"
    years = [c.year for c in layout.value_columns if c.kind == "plan" and c.year]
    if years:
        return max(years), "cột kế hoạch"
    if ctx.doc_date:
        return ctx.doc_date.year, "ngày văn bản"
    return None, ""


def _sender(ctx: Context, catalogue: Catalogue, options: ImportOptions) -> tuple[str, str]:
    if options.sender:
        m = catalogue.match_unit(options.sender)
        return (m.value if m else options.sender), "chọn khi tải lên"
    if "sender" in ctx.metadata:
        text, ref = str(ctx.metadata["sender"][0]), ctx.metadata["sender"][1]
        m = catalogue.match_unit(text)
        return (m.value if m else clean_text(text)), f"ô {ref}"
    found = None
    lines = ctx.admin_lines
    for text, ref in lines:
        m = catalogue.match_unit(text)
        if m:
            found = (m.value, f"khối tên cơ quan (ô {ref})")
    if found is None and len(lines) >= 2:
        joined = " ".join(t for t, _ in lines)
        m = catalogue.match_unit(joined)
        if m:
            found = (m.value, f"khối tên cơ quan (ô {lines[0][1]})")
    if found:
        return found
    if ctx.reference:
        tail = re.split(r"\b(?:của|cua)\b", ctx.reference, flags=re.I)
        if len(tail) > 1:
            m = catalogue.match_unit(tail[-1].strip(" )."))
            if m:
                return m.value, f"dòng «{ctx.reference}»"
    return "", ""


#: A commune-level place named in a title or an admin line: "xã Lam Sơn", "thị trấn Hưng Hoá"
#: (folded text), cut before a dash, a bracket, a comma or the next period word.
_PLACE = re.compile(r"\b(xa|thi tran|phuong)\s+((?:(?!quy\b|nam\b|thang\b|ky\b|giai doan\b|den\b)[a-z0-9]+\s*){1,4})")
#: Where a title names *one* place for sure: after a dash, "của" or "tại" ("… NĂM 2024 - XÃ X"),
#: not "kinh tế - xã hội", "các xã, thị trấn" or "xã viên".
_PLACE_NAMED = re.compile(r"(?:[-–:]|\bcua|\btai)\s*" + _PLACE.pattern)
_NOT_A_PLACE = {"hoi", "vien", "thi", "tran", "xa", "phuong", "tren", "trong", "dia", "va", "cua", "tai", "huyen"}


@dataclass(frozen=True)
class _Subject:
    """Whose figures a report holds, how that was found, and a name the file gives that is no
    unit of the catalogue (``unknown``, at cell ``unknown_ref``): such a file is refused rather
    than read as the district's."""

    value: str
    how: str
    unknown: str = ""
    unknown_ref: str = ""
    conflict: str = ""  # the file names two subjects (the message's core); refused like unknown


def _subject(ctx: Context, catalogue: Catalogue, options: ImportOptions, vocab: Vocabulary) -> _Subject:
    """The reporting unit a report's figures describe (design.md, "Periods, senders and subjects").

    In order: the unit chosen at upload; a "Số liệu của" line; a unit named in the title (after
    "của"/"tại", or a "xã …"/"thị trấn …" anywhere in it); a commune's "UBND xã …" admin block;
    else the whole district. A name given by the line, the title or the admin block that matches
    no unit is returned as ``unknown``: reading a commune's figures as the district's would
    silently replace the district's year.
    """
    district = catalogue.district_unit
    if options.subject:
        m = catalogue.match_unit(options.subject)
        return _Subject(m.value if m else options.subject, "chọn khi tải lên")
    if "subject" in ctx.metadata:
        text, ref = str(ctx.metadata["subject"][0]), ctx.metadata["subject"][1]
        m = catalogue.match_unit(text)
        says_district = (m is not None and m.value == district) or (
            m is None and _names_district(text, catalogue, vocab)
        )
        if says_district:
            # The template's default "Số liệu của: UBND huyện …" left as it was by a commune's clerk
            # whose title or letterhead names the commune: the two disagree, and guessing either
            # way could put a commune's figures in the district's place.
            other = _subject_from_text(ctx, catalogue, vocab)
            kind = catalogue.units.loc[catalogue.units["unit"] == other.value, "kind"]
            # only a commune's figures are its own; an office ("của Phòng Tài chính - Kế hoạch")
            # reports the district's figures, so the line saying the district is then right
            if other.value != district and not other.unknown and not kind.empty and kind.iloc[0] == "commune":
                return _Subject(
                    district,
                    f"ô {ref}",
                    conflict=f"dòng «Số liệu của» (ô {ref}) ghi «{clean_text(text)}» nhưng {other.how} ghi "
                    f"số liệu của «{other.value}»",
                    unknown_ref=ref,
                )
            return _Subject(district, f"ô {ref}")
        if m:
            return _Subject(m.value, f"ô {ref}")
        if clean_text(text):
            # the file says whose figures these are: an unknown name there is decisive
            return _Subject(district, "mặc định: báo cáo của toàn huyện", clean_text(text), ref)
    return _subject_from_text(ctx, catalogue, vocab)


def _subject_from_text(ctx: Context, catalogue: Catalogue, vocab: Vocabulary) -> _Subject:
    """The subject the title or the admin block names (see :func:`_subject`)."""
    district = catalogue.district_unit
    unknown = ("", "")
    title_f = fold(ctx.title)
    whole = Vocabulary.any(vocab.whole_district, title_f)
    m = vocab.subject_lead.search(title_f)
    if m and not whole:
        # Words after "của"/"tại" in the title, cut at the next period word.
        tail = re.split(r"\b(quy|nam|thang|ky|giai doan|den)\b", m.group(2))[0].strip(" -,.")
        unit = catalogue.match_unit(tail)
        if unit and unit.value != district:
            return _Subject(unit.value, f"tiêu đề «{ctx.title[:80]}»")
    if not whole:
        for place in _PLACE.finditer(title_f):
            unit = _place_unit(place, catalogue)
            if unit and unit != district:
                return _Subject(unit, f"tiêu đề «{ctx.title[:80]}»")
        for place in _PLACE_NAMED.finditer(title_f):
            if place.group(2).split()[0] not in _NOT_A_PLACE and not unknown[0]:
                unknown = (_original_words(ctx.title, place, 1), ctx.title_cell)
        lines = ctx.admin_lines
        candidates = list(lines) + [(f"{a[0]} {b[0]}", a[1]) for a, b in zip(lines, lines[1:], strict=False)]
        for text, ref in candidates:
            if not re.match(r"^(ubnd|uy ban nhan dan)\b", fold(text)):
                continue
            unit = catalogue.match_unit(text)
            if unit and unit.value != district:
                kind = catalogue.units.loc[catalogue.units["unit"] == unit.value, "kind"]
                if not kind.empty and kind.iloc[0] == "commune":
                    return _Subject(unit.value, f"khối tên cơ quan là UBND xã (ô {ref})")
            place = _PLACE.match(re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", fold(text)))
            if place and not unit and not unknown[0]:
                unknown = (_original_words(text, place), ref)
    return _Subject(district, "mặc định: báo cáo của toàn huyện", *unknown)


def _closest_units(name: str, catalogue: Catalogue) -> str:
    """ " (có phải «Xã Lam Sơn»?)" — the units whose folded names are closest (difflib), or ""."""
    import difflib

    def bare(text: str) -> str:  # compare names without "xã"/"thị trấn"/"phòng", which all share
        return re.sub(r"^(ubnd\s+)?(xa|thi tran|phuong|phong|ubnd)\s+", "", fold(text))

    by_bare = {bare(str(u)): str(u) for u in catalogue.units["unit"]}
    close = difflib.get_close_matches(bare(name), list(by_bare), n=2, cutoff=0.8)
    if not close:
        return ""
    return " (có phải " + " hay ".join(f"«{by_bare[c]}»" for c in close) + "?)"


def _names_district(text: str, catalogue: Catalogue, vocab: Vocabulary) -> bool:
    """Whether a "Số liệu của" text means the whole district ("toàn huyện", "Huyện Tam Nông",
    "huyện Tam Nông, tỉnh Phú Thọ")."""
    folded = fold(text)
    core = re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", fold(catalogue.district_unit))
    bare = re.sub(r"^(huyen|thi xa|thanh pho|quan)\s+", "", core)
    if Vocabulary.any(vocab.whole_district, folded) or folded in core:
        return True
    return bool(bare) and bare in folded and not _PLACE.search(folded)


def _place_unit(place: re.Match, catalogue: Catalogue) -> str | None:
    """The unit a "xã …" match names, trying its words from the longest: "xa huong non 2024" → Xã Hương Nộn."""
    words = place.group(2).split()
    for n in range(len(words), 0, -1):
        unit = catalogue.match_unit(f"{place.group(1)} {' '.join(words[:n])}")
        if unit:
            return unit.value
    return None


def _original_words(text: str, place: re.Match, group: int = 0) -> str:
    """The place as written (with its diacritics): the same words of ``text`` as the folded match
    (``group`` 1 and 2 of :data:`_PLACE_NAMED` are the place without its lead)."""
    words = clean_text(text).split()
    folded = [fold(w) for w in words]
    wanted = (place.group(0) if group == 0 else f"{place.group(group)} {place.group(group + 1)}").split()
    for i in range(len(folded) - len(wanted) + 1):
        if folded[i : i + len(wanted)] == wanted:
            return " ".join(words[i : i + len(wanted)]).strip(" -,.;:()")
    return place.group(0)


def _written(value: float | int) -> str:
    """A number cell as the clerk typed it, vi-VN, without rounding it away (0.941 → "0,941")."""
    try:
        number = to_decimal(value)
    except (ValueError, ArithmeticError):
        return repr(value)
    if not number.is_finite():
        return repr(value)
    if number.adjusted() >= MAX_SHOWN_DIGITS:  # no plan's figure; never 309 digits in a message
        return short_number(number)
    sign, digits = ("-", -number) if number < 0 else ("", number)
    text = format(digits, "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")[:10]
    return sign + grouped + ("," + fraction if fraction else "")


def _cell_number(sheet: Sheet, r: int, c: int, convention: str, evidence: bool, issues: list[Issue], label: str):
    """Read one value cell → (Decimal | None, written text, percent).

    ``percent`` is ``"format"`` for a number shown through a percent format (0.7289 shown as
    72,89 %: the caller scales it by 100), ``"sign"`` for a text written with "%" ("72,89%": already
    in percent), else ``""``."""
    ref = cell_ref(r, c)
    if (r, c) in sheet.errors:
        issues.append(
            Issue(
                ERROR,
                "error_cell",
                f"Ô có lỗi công thức {sheet.errors[(r, c)]} ở dòng «{label}». Hãy sửa công thức hoặc nhập "
                "số trực tiếp (để trống nếu chưa có số liệu).",
                sheet.name,
                ref,
            )
        )
        return None, sheet.errors[(r, c)], ""
    if (r, c) in sheet.formulas:
        from kpi.reading.formula import not_evaluated_vi, result

        formula = sheet.formulas[(r, c)]
        value = result(sheet, r, c)  # evaluated in the parsing worker (kpi.reading.formula)
        if not isinstance(value, Decimal):
            issues.append(
                Issue(
                    WARNING,
                    "formula_no_value",
                    f"Ô là công thức «={formula}» {not_evaluated_vi(value)} ở dòng «{label}»: coi như "
                    "chưa có số. Hãy mở tệp bằng Excel, lưu lại rồi tải lên, hoặc nhập số trực tiếp.",
                    sheet.name,
                    ref,
                )
            )
            return None, f"={formula}", ""
        issues.append(
            Issue(
                INFO,
                "formula_evaluated",
                f"Ô là công thức «={formula}» chưa có kết quả lưu sẵn; đã tự tính được {format_number(value)}.",
                sheet.name,
                ref,
            )
        )
        return value, f"={formula}", "format" if (r, c) in sheet.percent else ""
    value = sheet.value(r, c)
    if isinstance(value, bool):
        issues.append(
            Issue(
                ERROR,
                "not_a_number",
                f"Ô chứa giá trị đúng/sai ({value}) thay vì số ở dòng «{label}». Hãy nhập số.",
                sheet.name,
                ref,
            )
        )
        return None, str(value), ""
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, ±inf: not a figure
            return None, "", ""
        return to_decimal(value), _written(value), "format" if (r, c) in sheet.percent else ""
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        issues.append(
            Issue(
                ERROR,
                "not_a_number",
                f"Ô chứa ngày/giờ ({value}) thay vì số ở dòng «{label}». Hãy định dạng ô là số (General/Number).",
                sheet.name,
                ref,
            )
        )
        return None, str(value), ""
    text = clean_text(value)
    if not text:
        return None, "", ""
    if is_error_text(text):
        issues.append(
            Issue(
                ERROR,
                "error_cell",
                f"Ô có lỗi công thức {text} ở dòng «{label}». Hãy sửa công thức hoặc nhập số trực tiếp.",
                sheet.name,
                ref,
            )
        )
        return None, text, ""
    try:
        parsed = parse_number(text, convention)
    except NumberFormatError:
        issues.append(
            Issue(
                ERROR,
                "not_a_number",
                f"«{text}» không phải là số (dòng «{label}»). Hãy nhập số theo cách viết Việt Nam, ví dụ "
                "1.234,5 hoặc 72,89%; để trống hoặc ghi «-» nếu chưa có số liệu.",
                sheet.name,
                ref,
            )
        )
        return None, text, ""
    if parsed.ambiguous and not evidence:
        issues.append(
            Issue(
                WARNING,
                "ambiguous_number",
                f"«{text}» có thể hiểu hai cách; đã đọc là {format_number(parsed.value)} theo cách viết "
                "Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân). Hãy kiểm tra.",
                sheet.name,
                ref,
            )
        )
    return parsed.value, text, "sign" if parsed.percent else ""


def read_report(
    sheet: Sheet,
    catalogue: Catalogue,
    vocab: Vocabulary,
    options: ImportOptions,
    layout: TableLayout | None = None,
    date1904: bool = False,
) -> ReportRead | None:
    """Read one sheet as a report of the plan's indicators.

    :returns: ``None`` when the sheet has no recognisable report table; otherwise a
        :class:`ReportRead` with every figure of every matched row and every issue found.
        Issues that refuse the file have severity ``error``.
    """

    def unit_matcher(text):
        m = catalogue.match_unit(text)
        return m.value if m else None

    if layout is None:
        layout = find_table(sheet, vocab, None, unit_matcher=unit_matcher)
        if layout is None:
            return None
    ctx = read_context(sheet, layout.header_rows[0], layout.end_row, vocab, unit_matcher)
    issues: list[Issue] = []
    inferred: list[tuple[str, str, str]] = []
    pre_signals = _signals(ctx, layout, vocab, None)
    year, year_how = _infer_year(ctx, layout, options, pre_signals)
    if year and not options.mapping:
        relaid = find_table(sheet, vocab, year, unit_matcher=unit_matcher)
        if relaid is not None:
            layout = relaid
    signals = _signals(ctx, layout, vocab, year)
    impossible = impossible_periods(ctx, catalogue.year)
    if options.period_parts:
        year, quarter = options.period_parts
        period_how = "chọn khi tải lên"
        auto_q, auto_how = _choose_period(signals, [], sheet.name)
        if auto_q and auto_q != quarter:
            issues.append(
                Issue(
                    WARNING,
                    "period_overridden",
                    f"Kỳ báo cáo được chọn (quý {quarter}) khác kỳ ghi trong tệp (quý {auto_q}, theo {auto_how}).",
                    sheet.name,
                )
            )
    else:
        quarter, period_how = _choose_period(signals, issues, sheet.name)
        # a period written but impossible ("Quý V") is held below; "not found" would contradict it
        if quarter is None and not any(i.code == "period_conflict" for i in issues) and not impossible:
            issues.append(
                Issue(
                    ERROR,
                    "no_period",
                    "Không tìm thấy kỳ báo cáo trong tệp (tiêu đề, dòng «Kỳ báo cáo» hay tiêu đề cột). "
                    "Hãy chọn kỳ báo cáo ở ô «Kỳ báo cáo» khi xem trước (dòng lệnh: --period 2024-Q1) hoặc ghi «Kỳ báo cáo: Quý I/2024» "
                    "phía trên bảng.",
                    sheet.name,
                )
            )
    # a year that cannot be meant ("Quý I/2099") is held below, not sent to load its plan
    year_impossible = year is not None and f"năm {year}" in [what for what, _w, _c in impossible]
    if year is None:
        issues.append(
            Issue(
                ERROR,
                "no_year",
                "Không xác định được năm của báo cáo. Hãy ghi năm trong "
                "tiêu đề hoặc chọn kỳ báo cáo ở ô «Kỳ báo cáo» khi xem trước (dòng lệnh: --period 2024-Q1).",
                sheet.name,
            )
        )
    elif year != catalogue.year and not year_impossible:
        issues.append(
            Issue(
                ERROR,
                "no_plan_year",
                f"Báo cáo là của năm {year} nhưng chưa có kế hoạch năm {year} (đang có kế hoạch năm "
                f"{catalogue.year}). Hãy nạp kế hoạch năm {year} trước, hoặc chọn đúng năm.",
                sheet.name,
            )
        )
    for what, where, cell in impossible:
        if options.period_parts:
            issues.append(
                Issue(
                    WARNING,
                    "impossible_period",
                    f"{where[0].upper() + where[1:]} ghi «{what}», kỳ không có thật; đã dùng kỳ được chọn.",
                    sheet.name,
                    cell,
                )
            )
        else:
            issues.append(
                Issue(
                    ERROR,
                    "impossible_period",
                    f"{where[0].upper() + where[1:]} ghi «{what}» — không có kỳ báo cáo như vậy (quý I–IV, tháng "
                    "1–12, năm gần năm kế hoạch). Tệp chưa được lưu: hãy sửa tệp, hoặc chọn đúng kỳ ở ô «Kỳ báo "
                    f"cáo» khi xem trước (dòng lệnh: --period {catalogue.year}-Q1 … {catalogue.year}-Q4).",
                    sheet.name,
                    cell,
                )
            )
    date_chosen = bool(options.doc_date)
    if date_chosen:
        ctx.doc_date, ctx.doc_date_cell = options.chosen_doc_date, ""
        ctx.doc_date_source = "chọn khi tải lên" if ctx.doc_date else "chọn khi tải lên: lưu không có ngày văn bản"
    issues.extend(
        check_dates(ctx.doc_date, None if year_impossible else year, ctx.doc_date_cell, sheet.name, date_chosen)
    )
    sender, sender_how = _sender(ctx, catalogue, options)
    found = _subject(ctx, catalogue, options, vocab)
    subject, subject_how = found.value, found.how
    if found.conflict:
        issues.append(
            Issue(
                ERROR,
                "subject_conflict",
                f"Không rõ số liệu của ai: {found.conflict}. Hãy sửa dòng «Số liệu của» cho đúng (báo cáo "
                "của xã thì ghi tên xã), hoặc chọn đúng đối tượng ở ô «Số liệu của (đối tượng)» khi xem "
                "trước (dòng lệnh: --unit).",
                sheet.name,
                found.unknown_ref,
            )
        )
    if found.unknown:
        issues.append(
            Issue(
                ERROR,
                "unknown_subject",
                f"Tệp ghi số liệu của «{found.unknown}» nhưng danh sách đơn vị của kế hoạch năm "
                f"{catalogue.year} không có đơn vị nào tên như vậy{_closest_units(found.unknown, catalogue)}. "
                "Nếu đọc như báo cáo của toàn huyện, số liệu của một đơn vị sẽ thay số của huyện. Hãy sửa "
                "tên trong tệp, hoặc chọn đúng đơn vị ở ô «Số liệu của (đối tượng)» khi xem trước "
                "(dòng lệnh: --unit).",
                sheet.name,
                found.unknown_ref,
            )
        )
    if not sender:
        issues.append(
            Issue(
                WARNING,
                "no_sender",
                "Không xác định được cơ quan gửi báo cáo (khối tên cơ quan ở góc trái phía trên). "
                "Báo cáo vẫn được lưu; các bản sửa sau của cùng tệp sẽ được so theo kỳ và đối tượng.",
                sheet.name,
            )
        )
    if ctx.doc_date is None and date_chosen:
        issues.append(
            Issue(
                INFO,
                "doc_date_undated",
                "Lưu không có ngày văn bản (chọn khi tải lên): bản này xếp sau mọi bản có ngày của cùng kỳ.",
                sheet.name,
            )
        )
    elif ctx.doc_date is None:
        issues.append(
            Issue(
                WARNING,
                "no_doc_date",
                "Báo cáo không ghi ngày văn bản (dòng «Kèm theo Báo cáo số … ngày …» hoặc ngày ký). "
                "Nếu có nhiều bản của cùng kỳ, bản có ghi ngày được ưu tiên.",
                sheet.name,
            )
        )
    elif ctx.signature_date and ctx.signature_date != ctx.doc_date and not date_chosen:
        issues.append(
            Issue(
                INFO,
                "two_dates",
                f"Ngày văn bản {ctx.doc_date:%d/%m/%Y} khác ngày ký {ctx.signature_date:%d/%m/%Y}; dùng ngày văn bản.",
                sheet.name,
            )
        )
    inferred += [
        ("Trang tính", sheet.name, ""),
        ("Tiêu đề", ctx.title or "(không có)", ctx.title_cell),
        ("Hàng tiêu đề bảng", f"dòng {layout.header_range}", ""),
        ("Năm", str(year or "?"), year_how),
        ("Kỳ báo cáo", period_words(f"{year}-Q{quarter}") if quarter and year else "?", period_how),
        ("Cơ quan gửi", sender or "(không rõ)", sender_how),
        ("Số liệu của (đối tượng)", subject, subject_how),
        ("Ngày văn bản", ctx.doc_date.strftime("%d/%m/%Y") if ctx.doc_date else "(không có)", ctx.doc_date_source),
        ("Số văn bản", ctx.doc_number or "(không có)", ""),
    ]
    if ctx.unit_note:
        inferred.append(("Ghi chú đơn vị tính trên bảng", ctx.unit_note, ctx.unit_note_cell))
    report_estimate = bool(re.search(r"^\(?\s*(uoc|du kien)\b|\buoc (tinh|thuc hien|th)\b", fold(ctx.title)))

    name_col = layout.first("name")
    unit_col = layout.first("unit")
    key_col = layout.first("key")
    stt_col = layout.first("stt")
    value_cols = [c for c in layout.value_columns if c.kind]
    hidden_value_cols = [c for c in layout.columns if c.role == "value" and c.hidden]
    if hidden_value_cols:
        inferred.append(("Cột bị ẩn không dùng", ", ".join(c.letter for c in hidden_value_cols), ""))
    if name_col is None:
        return None
    merges = {}
    for r0, c0, r1, c1 in sheet.merged or ():
        if c0 <= name_col.index <= c1 and r1 > r0:
            for rr in range(r0 + 1, r1 + 1):
                merges[rr] = r0
    value_indexes = {c.index for c in value_cols}
    for r0, c0, r1, c1 in sheet.merged or ():
        # a figure merged across value columns or rows counts once, for its first cell only
        spans = [c for c in range(c0, c1 + 1) if c in value_indexes]
        in_data = layout.first_data_row <= r0 < layout.end_row
        if in_data and spans and (len(spans) > 1 or r1 > r0):
            issues.append(
                Issue(
                    WARNING,
                    "merged_figure",
                    f"Các ô {cell_ref(r0, c0)}:{cell_ref(r1, c1)} được gộp: số trong đó chỉ được tính cho ô "
                    f"{cell_ref(r0, c0)}, các ô còn lại của vùng gộp coi như trống. Nếu số thuộc nhiều cột "
                    "(ví dụ số của quý và lũy kế bằng nhau), hãy bỏ gộp ô và ghi số vào từng ô.",
                    sheet.name,
                    cell_ref(r0, c0),
                )
            )
    conventions = {}
    for col in value_cols:
        texts = [sheet.value(r, col.index) for r in range(layout.first_data_row, layout.end_row)]
        conventions[col.index] = column_convention([t for t in texts if isinstance(t, str)])

    observations = []
    row_records = []
    seen: dict[str, int] = {}
    hidden_rows_used = []
    for r in range(layout.first_data_row, layout.end_row):
        label_src = merges.get(r, r)
        label = _text(sheet.value(label_src, name_col.index))
        cells = sheet.rows[r] if r < sheet.height else []
        has_values = any(
            not (isinstance(sheet.value(r, c.index), str) and not clean_text(sheet.value(r, c.index)))
            for c in value_cols
        )
        if not label:
            if has_values and any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells):
                row_records.append((r + 1, "", "", "", "empty"))
                formula = sheet.formulas.get((label_src, name_col.index))
                why = f"là công thức «={formula}» không có kết quả lưu sẵn trong tệp" if formula else "trống"
                issues.append(
                    Issue(
                        WARNING,
                        "row_without_name",
                        f"Dòng {r + 1} có số liệu nhưng ô tên chỉ tiêu {why}: dòng này không được dùng. Nếu đó "
                        "là một chỉ tiêu, hãy ghi tên chỉ tiêu bằng chữ (không dùng công thức) rồi tải lại.",
                        sheet.name,
                        cell_ref(label_src, name_col.index),
                    )
                )
            continue
        if r in sheet.hidden_rows:
            hidden_rows_used.append(r + 1)
            row_records.append((r + 1, label, "", "", "hidden"))
            hidden_match = catalogue.match_indicator(label)
            if hidden_match is not None and has_values:
                issues.append(
                    Issue(
                        WARNING,
                        "hidden_row",
                        f"Dòng {r + 1} («{label}», {hidden_match.value}) bị ẩn nên không được dùng: dòng ẩn "
                        "thường giữ số liệu cũ. Nếu đó là số liệu cần báo cáo, hãy bỏ ẩn dòng rồi tải lại.",
                        sheet.name,
                        cell_ref(r, name_col.index),
                        hidden_match.value,
                    )
                )
            continue
        if r in merges and not has_values:
            continue  # the label merged down over a continuation row with no figure
        match = None
        if key_col is not None:
            key_text = clean_text(sheet.value(r, key_col.index))
            if key_text in catalogue.by_key:
                from kpi.domain.plan import Match

                match = Match(key_text, "key")
        if match is None:
            match = catalogue.match_indicator(label, by_words=True)
        if match is None:
            stt = _text(sheet.value(r, stt_col.index)) if stt_col else ""
            is_section = (stt and roman_to_int(stt) is not None) or (label.upper() == label and not has_values)
            row_records.append((r + 1, label, "", "", "section" if is_section else "not_in_plan"))
            continue
        key = match.value
        indicator = catalogue[key]
        if match.how == "folded":
            issues.append(
                Issue(
                    WARNING,
                    "name_without_diacritics",
                    f"Tên chỉ tiêu «{label}» chỉ khớp «{indicator.name}» khi bỏ dấu; đã nhận là {key}. Hãy kiểm tra.",
                    sheet.name,
                    cell_ref(r, name_col.index),
                    key,
                )
            )
        if match.how in ("similar", "abbreviation"):
            from kpi.reading.file_kind import name_match_issue

            issues.append(name_match_issue(match, label, indicator.name, key, sheet.name, cell_ref(r, name_col.index)))
        unit_written = _text(sheet.value(r, unit_col.index)) if unit_col else ""
        unit_source = unit_written or ctx.unit_note
        factor = catalogue.measure(unit_source, indicator)
        if factor is None and not unit_written:
            factor = Decimal(1)
        if factor is None:
            issues.append(
                Issue(
                    ERROR,
                    "unit_mismatch",
                    f"Đơn vị «{unit_source}» của «{label}» không đổi được sang đơn vị của kế hoạch "
                    f"({indicator.unit}). Hãy ghi đúng đơn vị (ví dụ «{indicator.unit}»).",
                    sheet.name,
                    cell_ref(r, unit_col.index) if unit_col and unit_written else ctx.unit_note_cell,
                    key,
                )
            )
            row_records.append((r + 1, label, key, match.how, "matched"))
            continue
        if key in seen:
            issues.append(
                Issue(
                    WARNING,
                    "duplicate_row",
                    f"Chỉ tiêu {key} «{indicator.name}» xuất hiện lần nữa ở dòng {r + 1} (đã lấy "
                    f"dòng {seen[key] + 1}); dòng này không được dùng.",
                    sheet.name,
                    cell_ref(r, name_col.index),
                    key,
                )
            )
            row_records.append((r + 1, label, key, match.how, "duplicate"))
            continue
        seen[key] = r
        for col in value_cols:
            value, written, percent = _cell_number(sheet, r, col.index, *conventions[col.index], issues, label)
            if value is None:
                continue
            note = ""
            if percent and indicator.unit != "%":
                note = "ô định dạng %" if percent == "format" else "số ghi kèm dấu %"
                issues.append(
                    Issue(
                        WARNING,
                        "percent_for_non_share",
                        f"«{label}» đo bằng {indicator.unit} nhưng ô {note}; đã lấy số như ghi.",
                        sheet.name,
                        cell_ref(r, col.index),
                        key,
                    )
                )
            elif percent == "format":
                value = value * 100
            value = value * factor
            kind = col.kind
            q = quarter if kind == "year_estimate" else (col.quarter or quarter)
            if q is None:
                continue
            vintage = col.vintage
            if report_estimate and vintage == "official" and kind in ("quarter", "ytd"):
                vintage = "estimate"
            observations.append(
                {
                    "key": key,
                    "year": year or 0,
                    "quarter": int(q),
                    "subject": col.subject or subject,
                    "kind": kind,
                    "vintage": vintage,
                    "value": float(value),
                    "written": written,
                    "written_unit": unit_source,
                    "factor": str(factor),
                    "sheet": sheet.name,
                    "cell": cell_ref(r, col.index),
                    "row_label": label,
                    "column_label": col.header,
                    "note": note,
                }
            )
        row_records.append((r + 1, label, key, match.how, "matched"))
    if hidden_rows_used:
        inferred.append(
            ("Dòng bị ẩn không dùng", ", ".join(map(str, hidden_rows_used)), "dòng ẩn thường giữ số liệu cũ")
        )
    _level_consistency(observations, catalogue, issues, sheet.name)
    _percent_scales(observations, catalogue, issues, sheet.name)
    _unit_sums(observations, catalogue, issues, sheet.name)
    frame = _observation_frame(observations)
    rows = pd.DataFrame(row_records, columns=["row", "label", "key", "how", "status"])
    return ReportRead(
        sheet=sheet.name,
        layout=layout,
        year=year,
        quarter=quarter,
        sender=sender,
        subject=subject,
        doc_date=ctx.doc_date,
        doc_number=ctx.doc_number,
        title=ctx.title,
        observations=frame,
        rows=rows,
        issues=issues,
        inferred=inferred,
    )


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
        if abs(total - written) > Decimal("0.5") * Decimal(10) ** -ind.decimals + Decimal("1e-9"):
            issues.append(
                Issue(
                    WARNING,
                    "unit_sum_differs",
                    f"«{ind.name}» ({KIND_WORDS.get(kind, kind)}, quý {quarter}): số toàn huyện "
                    f"{format_number(written)} {ind.unit} (ô {own[0]['cell']}) khác tổng của {len(parts)} đơn vị "
                    f"trong tệp ({format_number(total)} {ind.unit}). Số toàn huyện được dùng; hãy kiểm tra.",
                    sheet,
                    own[0]["cell"],
                    key,
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
        return 0 < o["value"] <= 1.5 and (reference is None or reference > 1.5)

    for (column,), group in _group(shares, "column_label").items():
        small = [o for o in group if fraction_like(o)]
        if small and any(o["value"] > 1.5 for o in group):
            cells = ", ".join(o["cell"] for o in small)
            issues.append(
                Issue(
                    WARNING,
                    "mixed_percent_scale",
                    f"Cột «{column}» trộn hai cách ghi tỷ lệ: ô {cells} ghi như phân số (ví dụ 0,941) còn các ô khác "
                    "ghi theo phần trăm (ví dụ 94,1). Hãy ghi mọi tỷ lệ theo phần trăm hoặc định dạng ô là %.",
                    sheet,
                    small[0]["cell"],
                    small[0]["key"],
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
                Issue(
                    WARNING,
                    "level_columns_differ",
                    f"«{ind.name}» là chỉ tiêu thời điểm nhưng cột quý ({format_number(kinds['quarter'][0])}, "
                    f"ô {kinds['quarter'][1]}) khác cột lũy kế ({format_number(kinds['ytd'][0])}, ô "
                    f"{kinds['ytd'][1]}); dùng số lũy kế.",
                    sheet,
                    kinds["ytd"][1],
                    key,
                )
            )
