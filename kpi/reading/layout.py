"""Finding the table in a sheet and saying what each column means.

Reports come in many layouts: a title block, a header over one to three rows with merged
parents, a row of column numbers (A B C 1 2 3…), section rows I/II/III, a unit note above the
table, signatures below it. Nothing here knows a sample's row numbers or column letters: the
header is found by its **words** (``data/vocabulary.toml``), sub-headers inherit their merged
parent's text, and each column is classified from its joined header text.

Column classification (:func:`classify_header`), on the folded header (lower case, no diacritics):

1. ``derived`` ("So sánh (%)", "TH/KH", "Đánh giá", "% KH", "So cùng kỳ (%)" — a ratio, never a
   figure: recomputed by us, never trusted; «so» compares, «Số» is a number), ``ignore`` (another
   period: "kỳ trước"), ``note``, ``stt``, ``key``, ``name``, ``unit``;
2. a value column: ``last_year`` ("cùng kỳ", or a year before the report's), ``plan``
   ("Kế hoạch năm 2024"), then by the period words: months ("Lũy kế 9 tháng", "Ước TH 6 tháng")
   → ``ytd`` at that quarter; "lũy kế", "từ đầu năm" → ``ytd``; a quarter ("TH quý III") →
   ``quarter``; the whole year ("Ước TH cả năm", "Thực hiện năm 2024") → ``year_estimate`` when
   it is an estimate, else ``ytd`` at Q4; plain "Thực hiện", "Ước thực hiện quý" → ``quarter``
   at the report's period.
3. vintage: ``estimate`` when the header says "ước"/"ƯTH"/"dự kiến", ``preliminary`` for "sơ bộ",
   else ``official``.

A header part that names a reporting unit ("Toàn huyện", "UBND xã Hiền Quan") makes that unit the
column's **subject** (per-commune files: a block of columns per commune).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kpi.config import DATA_DIR, data_file
from kpi.domain.places import PlaceWords, place_words
from kpi.reading.cited_patterns import cited_more_pattern, cited_pattern
from kpi.reading.messages import COLUMN_MEANINGS, phrase
from kpi.reading.workbook import Sheet, col_letter
from kpi.vn import clean_text, fold, roman_to_int

__all__ = [
    "Vocabulary",
    "vocabulary",
    "Column",
    "TableLayout",
    "classify_header",
    "names_things",
    "find_table",
    "header_signature",
    "KIND_LABELS",
]

#: Vietnamese words for column meanings, as the preview shows them (the readers' catalogue).
KIND_LABELS = COLUMN_MEANINGS


class Vocabulary:
    """The compiled patterns of ``data/vocabulary.toml``, and the words of places
    (``data/places.toml``, shared with the plan reader: :mod:`kpi.domain.places`)."""

    def __init__(self, raw: dict, places: PlaceWords | None = None):
        self.raw = raw
        self.places = places or place_words()

        def comp(items):
            return [re.compile(p) for p in items]

        self.columns = {k: comp(v) for k, v in raw["columns"].items()}
        self.values = {k: comp(v) for k, v in raw["values"].items()}
        p = raw["periods"]
        self.quarter = re.compile(p["quarter"])
        self.months = re.compile(p["months"])
        self.month_words = {k: int(v) for k, v in p["month_words"].items()}
        self.title_year = comp(p["title_year"])
        d = raw["document"]
        self.reference = comp(d["reference"])
        self.cited = cited_pattern(d.get("cited_verbs", []), d.get("cited_kinds", []))
        self.cited_more = cited_more_pattern(d.get("cited_kinds", []))
        self.replacing = frozenset(d.get("replacing_verbs", []))  # of the cited verbs, those that replace
        self.signature_date = re.compile(d["signature_date"])
        # a line that is only a date ("Ngày 08/7/2024"): the document's date, never the title's end
        self.date_line = re.compile(d.get("date_line", r"(?!)"))
        self.motto = comp(d["motto"])
        self.footer = comp(d["footer"])
        self.note_line = comp(d.get("note_line", []))
        self.whole_district = comp(d["whole_district"])
        self.subject_lead = re.compile(d["subject_lead"])
        self.council = comp(d.get("council", []))
        self.admin_body = self.council + comp(d.get("body", []))
        self.title_label = comp(d.get("title_label", []))
        self.registers = {k: comp(v) for k, v in raw["registers"].items()}
        self.metadata = {k: comp(v) for k, v in raw["metadata"].items()}

    @staticmethod
    def any(patterns, text: str) -> bool:
        return any(p.search(text) for p in patterns)

    def is_note_line(self, folded: str) -> bool:
        """Whether a folded line is a note, a source or a signature (``[document] note_line``,
        ``footer``, a dated place line) — words around a table, never an indicator's name."""
        return (
            self.any(self.note_line, folded)
            or self.any(self.footer, folded)
            or self.signature_date.search(folded) is not None
            or self.date_line.search(folded) is not None
        )


@lru_cache(maxsize=4)
def vocabulary(data_dir: Path = DATA_DIR) -> Vocabulary:
    """Load ``data/vocabulary.toml`` once per data folder."""
    raw = tomllib.loads(data_file(data_dir, "vocabulary.toml").read_text(encoding="utf-8"))
    return Vocabulary(raw, place_words(data_dir))


@dataclass(frozen=True)
class Column:
    """What one column of a report's table holds.

    :ivar role: ``stt``, ``key``, ``name``, ``unit``, ``note``, ``derived``, ``ignore``,
        ``unknown`` or ``value``.
    :ivar kind: for ``value`` columns: ``quarter``, ``ytd``, ``year_estimate``, ``last_year``,
        ``plan``.
    :ivar quarter: the quarter the header names (months turned into quarters), or ``None``.
    :ivar year: the latest year the header names, or ``None``.
    :ivar subject: the reporting unit a header names (per-commune files), or ``""``.
    :ivar by_period: a unit's or a total's column naming no period of its own («X. Dân Quyền»,
        «Cộng», «TH» under a commune): its kind is the report's period's
        (:mod:`kpi.reading.unit_columns`).
    :ivar total: the header says it is the table's total («Cộng», «Toàn huyện»: ``[columns] total``).
    :ivar place: a place a header names that is no unit of the plan («X. Tân Phú»): never read.
    """

    index: int
    header: str
    role: str
    kind: str | None = None
    vintage: str = "official"
    quarter: int | None = None
    year: int | None = None
    subject: str = ""
    hidden: bool = False
    by_period: bool = False
    total: bool = False
    place: str = ""

    @property
    def letter(self) -> str:
        return col_letter(self.index)

    @property
    def meaning(self) -> str:
        """The classification in Vietnamese words, as the preview shows it."""
        if self.place or (self.total and self.role == "unknown"):  # no unit of the plan; «Cộng» of some
            return phrase("meaning_place", place=self.place) if self.place else phrase("meaning_partial_total")
        label = KIND_LABELS.get(self.kind or self.role, self.role)
        extra = []
        if self.role == "value":
            if self.quarter and self.kind in ("quarter", "ytd"):
                extra.append(
                    phrase("meaning_to_quarter" if self.kind == "ytd" else "quarter_named", quarter=self.quarter)
                )
            if self.vintage == "estimate":
                extra.append(phrase("meaning_estimate"))
            elif self.vintage == "preliminary":
                extra.append(phrase("meaning_preliminary"))
            if self.subject:
                extra.append(self.subject)
        if self.hidden:
            extra.append(phrase("meaning_hidden"))
        return label + (f" ({', '.join(extra)})" if extra else "")


@dataclass(frozen=True)
class TableLayout:
    """Where the table is in a sheet and what its columns mean.

    :ivar header_rows: 0-based rows of the header block (the column-number row included).
    :ivar first_data_row: 0-based; :ivar end_row: exclusive (the footer or the sheet's end).
    """

    sheet: str
    header_rows: tuple[int, ...]
    first_data_row: int
    end_row: int
    columns: tuple[Column, ...]
    score: float = 0.0
    number_row: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def first(self, role: str) -> Column | None:
        cols = self.by_role(role)
        return cols[0] if cols else None

    @property
    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value" and not c.hidden]

    @property
    def header_range(self) -> str:
        first, last = self.header_rows[0], self.header_rows[-1]
        return f"{first + 1}–{last + 1}" if last > first else str(first + 1)


_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_NUMBER_TOKEN = re.compile(r"^\(?\s*([a-z]|\d{1,2}|[ivx]{1,4})\s*\)?$|^\(?\d+\s*[=*/+-].*$|^\*$")


def _month_quarter(vocab: Vocabulary, folded: str) -> int | None:
    m = vocab.months.search(folded)
    if not m:
        return None
    raw = m.group(1)
    months = vocab.month_words.get(raw) or int(raw)
    return max(1, min(4, months // 3))


#: «đến 30/9/2024», «tính đến ngày 31/12», «đến hết 30/6»: figures from the year's start to a day.
UNTIL_DAY = re.compile(
    r"\bden\s+(?:het\s+)?(?:ngay\s+)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\b(?!\s*[/.-]\s*\d{1,2}\b\s*[/.-])"
)
_QUARTER_ENDS = {(31, 3): 1, (30, 6): 2, (30, 9): 3, (31, 12): 4}


def until_day(folded: str) -> tuple[int, int] | None:
    """``(day, month)`` of an «đến 30/9/2024» in a folded text, else ``None``."""
    m = UNTIL_DAY.search(folded)
    return (int(m.group(1)), int(m.group(2))) if m else None


def until_quarter(folded: str) -> int | None:
    """The quarter whose last day an «đến …» names (30/9 → 3), else ``None`` (none named, or
    another day: :func:`kpi.reading.report_period.off_quarter_periods` holds those)."""
    day = until_day(folded)
    return _QUARTER_ENDS.get(day) if day else None


def quarter_of(vocab: Vocabulary, folded: str) -> int | None:
    """The quarter a text names ("quý III", "Q3"), its months imply ("9 tháng" → 3) or its last
    day («đến 30/9/2024» → 3)."""
    m = vocab.quarter.search(folded)
    if m:
        raw = m.group(1)
        return int(raw) if raw.isdigit() else roman_to_int(raw)
    return _month_quarter(vocab, folded) or until_quarter(folded)


_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d{4})|(?<=\d)(?=[a-z])")


def header_fold(text: str) -> str:
    """A header folded for classification; "ƯTH2020" → "uth 2020", "KH2020" → "kh 2020"."""
    return _LETTER_DIGIT.sub(" ", fold(text))


def compares(text: str, vocab: Vocabulary) -> bool:
    """Whether a header compares a figure with another («So cùng kỳ (%)», «TH so KH»): the
    vocabulary's ``[columns] compare`` words in the folded text, with «so» written without a
    diacritic (``compare_word``) — «Số cùng kỳ năm trước» is last year's figure, a number."""
    h = header_fold(text)
    if not Vocabulary.any(vocab.columns.get("compare", ()), h):
        return False
    return Vocabulary.any(vocab.columns.get("compare_word", ()), unicodedata.normalize("NFC", clean_text(text)).lower())


def classify_header(text: str, vocab: Vocabulary, report_year: int | None = None) -> Column:
    """Classify one column from its joined header text (see the module's docstring).

    :param report_year: the report's year when known: a header naming an earlier year is last
        year's figure, a later year's plan is ignored.
    :returns: a :class:`Column` with ``index`` -1 (the caller sets it).
    """
    h = header_fold(text)
    col = vocab.columns
    if not h:
        return Column(-1, text, "unknown")
    if compares(text, vocab):
        return Column(-1, text, "derived")
    for role in ("derived", "ignore", "note", "stt", "key", "name", "unit"):
        if Vocabulary.any(col[role], h):
            return Column(-1, text, role)
    v = vocab.values
    years = [int(y) for y in _YEAR.findall(h)]
    year = max(years) if years else None
    estimate = Vocabulary.any(v["estimate"], h)
    vintage = "estimate" if estimate else ("preliminary" if Vocabulary.any(v["preliminary"], h) else "official")
    if Vocabulary.any(v["last_year"], h):
        return Column(-1, text, "value", "last_year", vintage, quarter_of(vocab, h), year)
    if Vocabulary.any(v["plan"], h):
        if report_year and year and year > report_year:
            return Column(-1, text, "ignore", year=year)
        return Column(-1, text, "value", "plan", "official", None, year)
    if report_year and year and year < report_year:
        return Column(-1, text, "value", "last_year", vintage, quarter_of(vocab, h), year)
    if report_year and year and year > report_year:
        return Column(-1, text, "ignore", year=year)
    months_q = _month_quarter(vocab, h)
    if months_q:
        return Column(-1, text, "value", "ytd", vintage, months_q, year)
    if until_day(h):  # «Thực hiện đến 30/9/2024»: from the year's start, not the quarter's own (round 12)
        return Column(-1, text, "value", "ytd", vintage, until_quarter(h), year)
    q = vocab.quarter.search(h)
    if Vocabulary.any(v["ytd"], h):
        quarter = quarter_of(vocab, h) if q else None
        return Column(-1, text, "value", "ytd", vintage, quarter, year)
    if q:
        return Column(-1, text, "value", "quarter", vintage, quarter_of(vocab, h), year)
    if Vocabulary.any(v["full_year"], h):
        if estimate:
            return Column(-1, text, "value", "year_estimate", vintage, None, year)
        return Column(-1, text, "value", "ytd", vintage, 4, year)
    if _ONE_MONTH.search(h):  # «Thực hiện tháng 9»: one month's own figure, no quarter's (round 12)
        return Column(-1, text, "ignore", year=year)
    if Vocabulary.any(v["actual"], h):
        return Column(-1, text, "value", "quarter", vintage, None, year)
    return Column(-1, text, "unknown", year=year)


#: A header naming one month («tháng 9», «T9/2024»), not months counted from the year's start.
_ONE_MONTH = re.compile(r"\bthang\s*(?:1[0-2]|0?[1-9])\b")


def names_things(text: str, vocab: Vocabulary) -> bool:
    """Whether a header is a column of names («Chỉ tiêu», «Nội dung»): ``classify_header``'s
    ``name`` role, its few name words tried first (a cell that has none of them is no name column
    whatever else it says — most cells of a sheet: the refusal's look over every sheet)."""
    return Vocabulary.any(vocab.columns["name"], header_fold(text)) and classify_header(text, vocab).role == "name"


def _text(value) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def _merge_index(sheet: Sheet) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Every covered cell → its merged range (top-left cell included)."""
    index = {}
    for r0, c0, r1, c1 in sheet.merged or ():
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 20000:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                index[(r, c)] = (r0, c0, r1, c1)
    return index


@lru_cache(maxsize=16384)
def _header_role(text: str, vocab: Vocabulary) -> str | None:
    """The role a single header cell suggests (name, unit, stt, value kinds), or None."""
    h = header_fold(text)
    if not h or len(h) > 120:
        return None
    if compares(text, vocab):
        return "derived"
    for role in ("name", "unit", "stt", "derived", "note", "key"):
        if Vocabulary.any(vocab.columns[role], h):
            return role
    v = vocab.values
    for kind in ("plan", "last_year", "ytd", "full_year", "actual"):
        if Vocabulary.any(v[kind], h):
            return "value"
    if vocab.quarter.search(h) or vocab.months.search(h):
        return "value"
    return None


def _is_number_row(cells: list[str]) -> bool:
    tokens = [fold(c) for c in cells if c]
    return len(tokens) >= 3 and all(_NUMBER_TOKEN.match(t) for t in tokens)


def find_table(
    sheet: Sheet, vocab: Vocabulary, report_year: int | None = None, scan_rows: int = 120, unit_matcher=None
) -> TableLayout | None:
    """Find a report table in ``sheet``: its header block, data rows and column meanings.

    The header row is the highest-scoring row among the first ``scan_rows`` that has a *name*
    column ("Chỉ tiêu", "Tên chỉ tiêu", "Nội dung") and at least one value column. The block
    grows downward over rows merged with it, sub-header rows (empty under the name column, text
    only) and a column-number row. Data ends at a footer line (signatures) or the sheet's end.

    :param unit_matcher: optional ``text → unit name | None`` (the catalogue's) to recognise
        per-unit column blocks.
    :returns: the :class:`TableLayout`, or ``None`` when no header row is found.
    """
    best = _header_row(sheet, vocab, scan_rows, unit_matcher)
    if best is None:
        return None
    score, top = best
    merges = _merge_index(sheet)
    bottom, number_row = _header_block(sheet, vocab, top, merges)
    header_rows = tuple(range(top, bottom + 1))
    text_rows = [hr for hr in header_rows if hr != number_row]
    columns = []
    for c in range(sheet.width):
        head = _column_header(sheet, c, text_rows, merges, unit_matcher, vocab)
        columns.append(_head_column(c, head, vocab, report_year, c in sheet.hidden_cols))
    end = _data_end(sheet, vocab, bottom)
    return TableLayout(sheet.name, header_rows, bottom + 1, end, _one_each(columns, vocab), score, number_row)


def _header_row(sheet: Sheet, vocab: Vocabulary, scan_rows: int, unit_matcher=None) -> tuple[float, int] | None:
    """(score, row) of the best header row: a name column and value words (in the row or the two
    sub-header rows below it) needed — a cell naming a reporting unit, a place or the total
    («X. Dân Quyền», «Cộng»: a per-commune table's) counts as one; scored 3 + value columns +
    unit, stt and half the derived columns. The first of equal scores wins."""
    best = None
    for r in range(min(sheet.height, scan_rows)):
        roles = [_header_role(_text(v), vocab) for v in sheet.rows[r]]
        if "name" not in roles:
            continue
        n_value = roles.count("value")
        if unit_matcher is not None:
            cells = [_text(v) for v, role in zip(sheet.rows[r], roles, strict=True) if role is None]
            n_value += sum(_names_unit(t, vocab, unit_matcher) for t in cells)
        # Value words may sit in the sub-header rows just below a parent row.
        for below in range(r + 1, min(r + 3, sheet.height)):
            cells = sheet.rows[below]
            if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells):
                break
            n_value += [_header_role(_text(v), vocab) for v in cells].count("value")
        if not n_value:
            continue
        score = 3 + n_value + roles.count("unit") + roles.count("stt") + 0.5 * roles.count("derived")
        if best is None or score > best[0]:
            best = (score, r)
    return best


def _header_block(sheet: Sheet, vocab: Vocabulary, top: int, merges) -> tuple[int, int | None]:
    """(last header row, the column-number row or None): the rows merged down from the header
    row (at most 3 more), then sub-header rows (text only, nothing under the name column or
    covered by its merge) up to 4 rows below the top, then a row of column numbers."""
    bottom = top
    for c in range(sheet.width):
        m = merges.get((top, c))
        if m and m[0] == top:
            bottom = max(bottom, min(m[2], top + 3))
    name_col = next(c for c, v in enumerate(sheet.rows[top]) if _header_role(_text(v), vocab) == "name")
    r = bottom + 1
    while r < min(sheet.height, top + 5):
        cells = [_text(v) for v in sheet.rows[r]]
        if _is_number_row(cells):
            return r, r
        name_cell = cells[name_col] if name_col < len(cells) else ""
        covered_name = merges.get((r, name_col), (r,))[0] < r
        has_numbers = any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in sheet.rows[r])
        if (not name_cell or covered_name) and any(cells) and not has_numbers:
            bottom = r
            r += 1
            continue
        break
    if r < sheet.height and _is_number_row([_text(v) for v in sheet.rows[r]]):
        return r, r
    return bottom, None


class _Head(NamedTuple):
    """A column's header: its texts joined (a unit's name only when nothing else is written), the
    unit a cell names, ``own`` (its texts but a unit, a place, a total), ``total``, ``place``."""

    header: str
    subject: str
    own: str
    total: bool
    place: str


def _names_unit(text: str, vocab: Vocabulary, unit_matcher) -> bool:
    """Whether a header cell names a reporting unit, a place or the table's total."""
    h = header_fold(text)
    return bool(h) and (Vocabulary.any(vocab.columns["total"] + vocab.columns["place"], h) or bool(unit_matcher(text)))


def _head_column(c: int, head: _Head, vocab: Vocabulary, report_year: int | None, hidden: bool) -> Column:
    """Column ``c`` from its header: a place that is no unit is never read; a unit's or the total's
    column with no meaning of its own, or a bare «TH», takes the report's period (``by_period``)."""
    if head.place:
        return Column(c, head.header, "unknown", subject="", hidden=hidden, place=head.place)
    column = classify_header(head.own if (head.subject or head.total) else head.header, vocab, report_year)
    bare = column.role == "unknown" and not head.own or column.kind == "quarter" and column.quarter is None
    if (head.subject or head.total) and bare:
        column = Column(-1, head.header, "value", "quarter", column.vintage)
    by_period = bool(head.subject or head.total) and bare
    f = (column.role, column.kind, column.vintage, column.quarter, column.year)
    return Column(c, head.header, *f, head.subject, hidden, by_period, head.total)


def _column_header(sheet: Sheet, c: int, text_rows: list[int], merges, unit_matcher, vocab: Vocabulary) -> _Head:
    """Column ``c``'s header (:class:`_Head`): each header row's text once, a merged parent's
    text for the columns under it; a cell naming a reporting unit ("UBND xã Hiền Quan", «X. Dân
    Quyền») is the column's subject, not part of its header; another place («X. Tân Phú») is its
    ``place``; «Cộng» makes it the ``total``."""
    top = text_rows[0]
    parts: list[str] = []
    own: list[str] = []
    subject = named = place = ""
    total = False
    for hr in text_rows:
        m = merges.get((hr, c))
        if m and top <= m[0] < hr:
            continue  # covered from above: its text is already in
        src = (m[0], m[1]) if m and m[0] >= top else (hr, c)
        text = _text(sheet.value(*src))
        if not text and sheet.merged is None and hr == top and len(text_rows) > 1:
            text = _parent_without_merges(sheet, c, hr, text_rows[1])
        if text and (not parts or parts[-1] != text):
            # a parent naming a unit, a cell under a parent's meaning («Lũy kế 6 tháng» over «Xã Hiền Quan»)
            h = header_fold(text)
            unit = unit_matcher(text) if unit_matcher is not None else None
            if unit:
                subject, named = unit, named or text
                continue
            is_total = unit_matcher is not None and Vocabulary.any(vocab.columns["total"], h)
            if unit_matcher is not None and not is_total and Vocabulary.any(vocab.columns["place"], h):
                place = place or text
            total = total or is_total
            parts.append(text)
            if not is_total and text != place:
                own.append(text)
    return _Head(" ".join(parts) or named, subject, " ".join(own), total, place)


def _parent_without_merges(sheet: Sheet, c: int, hr: int, sub_row: int) -> str:
    """No merge facts (the format does not tell): a blank parent over a sub-header inherits the
    nearest parent text to its left whose column also has one."""
    if not _text(sheet.value(sub_row, c)):
        return ""
    for left in range(c - 1, -1, -1):
        lt = _text(sheet.value(hr, left))
        if lt:
            return lt if _text(sheet.value(sub_row, left)) else ""
    return ""


def _one_each(columns: list[Column], vocab: Vocabulary) -> tuple[Column, ...]:
    """One name column and one unit column: the first classified as a name is the name, any later
    "name" is unknown; the unit of measure is the first unit column whose header says so
    plainly («ĐVT», «Đơn vị tính») when there is one — a bare «Đơn vị» (``[columns] unit_bare``)
    beside it may name the reporting unit (a commune's name in each row: read as a unit of
    measure, every row of a table of communes was refused as «Đơn vị «Xã …» không đổi được»),
    and is unknown then."""
    units = [c for c in columns if c.role == "unit"]
    plain = [c for c in units if not Vocabulary.any(vocab.columns["unit_bare"], header_fold(c.header))]
    bare = {c.index for c in units if plain and c not in plain}
    seen_name = False
    fixed = []
    for col in columns:
        if (col.role == "name" and seen_name) or col.index in bare:
            col = Column(col.index, col.header, "unknown")
        seen_name = seen_name or col.role == "name"
        fixed.append(col)
    return tuple(fixed)


def _data_end(sheet: Sheet, vocab: Vocabulary, bottom: int) -> int:
    """The row after the data: the first footer line below the header, or a signature-date line
    ("Tam Nông, ngày 05 tháng 4 năm 2024") without numbers after at least one data row; else the
    sheet's end."""
    seen: dict[str, tuple[bool, bool]] = {}  # a text → (a footer's, a signature date's): 10⁵ rows repeat a few

    def says(value: str) -> tuple[bool, bool]:
        found = seen.get(value)
        if found is None:
            text = _text(value)
            folded = fold(text)
            found = seen[value] = (
                (bool(text) and Vocabulary.any(vocab.footer, folded)),
                (bool(text) and vocab.signature_date.search(folded) is not None),
            )
        return found

    for r in range(bottom + 1, sheet.height):
        row = sheet.rows[r]
        footer = signature = False
        for value in row:
            if isinstance(value, str) and value:
                is_footer, is_signature = says(value)
                footer, signature = footer or is_footer, signature or is_signature
        if footer:
            return r
        if signature and r > bottom + 1 and not any(isinstance(v, (int, float)) for v in row):
            return r
    return sheet.height


def header_signature(layout: TableLayout) -> str:
    """A signature of a table's header (its folded header texts, in order): files of the same
    layout share it, so a mapping chosen once by a user can be reused."""
    import hashlib

    text = "|".join(fold(c.header) for c in layout.columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
