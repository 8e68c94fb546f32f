"""Reading the registration list (TD01) — one row per unit: its block (a column, or a heading row
above its units), name, registration date, document, tick/status and note columns. A unit is
registered only when the list says so (a date; a document number or a mark — ``x``, ``✓``, "Có",
"Đã đăng ký" — counting from the list's own date); "Chưa", "Không", "Chưa đăng ký" in any of them
→ not registered; no sign → not registered, warned. A unit counts at a period when its date is on
or before the period's end; names not in the units catalogue are warned about, never added.
Words: ``data/register_words.toml``; the messages' words: :mod:`kpi.reading.messages`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from kpi.domain.plan import Catalogue
from kpi.errors import NumberFormatError
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.file_kind import name_match_issue, register_words
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import issue, phrase
from kpi.reading.register_cells import cell_text, decision_parts, merged_down, missing_units_issue
from kpi.reading.register_open import (
    REGISTRATION_COLUMNS,
    RegisterRead,
    hidden_rows_issue,
    open_register,
    register_rows,
)
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import fold, match_key, parse_date

__all__ = ["read_registrations"]


def read_registrations(
    sheet: Sheet, catalogue: Catalogue, vocab: Vocabulary, date1904: bool = False, mapping: dict | None = None
) -> RegisterRead | None:
    """Read a registration list (see the module's docstring); ``None`` if the sheet is not one.

    The steps, in order: open the list (header, columns, title and its year) → each row to a
    record, by its unit, block and sign (:class:`_RegistrationRows`) → the table and its year →
    the warnings of the signs (said no, no sign, no date) → hidden rows and the units the list does
    not name → the preview's lines. ``mapping``: the list's layout as the clerk described it
    (:func:`kpi.reading.register_open.given_register`), for headings not found.
    """
    opened = open_register(sheet, vocab, "registrations", mapping=mapping)
    if opened is None:
        return None
    header, cols, title, title_year = opened
    # a cell merged down (a block, a date for several units) is each row's; rows under a merged unit are that unit
    sheet, continued = merged_down(sheet, header, cols["unit"])
    rows = _RegistrationRows(sheet, catalogue, cols, date1904)
    hidden: list[tuple[int, str]] = []
    found = list(
        register_rows(
            sheet, header, vocab, cols["unit"], lambda r: _block_heading(sheet, r, cols, catalogue), hidden=hidden
        )
    )
    for r, written, heading_block in found:
        if r not in continued:
            rows.read(r, written, heading_block)
    issues = rows.issues
    table = pd.DataFrame(rows.records, columns=REGISTRATION_COLUMNS)
    dates = [d for d in table["registered_on"] if d is not None]
    year = title_year or (max(d.year for d in dates) if dates else None)
    # the list's own date is never a cell of its rows (black-box: a registration date written
    # «ngày 12 tháng 2 năm 2024» read as the list's date, and 21 units «registered after» it)
    doc_date = _document_date(sheet, vocab, {header, *(r for r, *_ in found), *(r for r, _w in hidden)})
    _registration_warnings(table, issues, sheet.name, rows.not_registered, rows.unsigned, rows.undated, doc_date)
    if hidden_issue := hidden_rows_issue(sheet, cols["unit"], hidden):
        issues.append(hidden_issue)
    if missing := _units_missing(sheet, catalogue, cols, rows.seen, hidden):
        issues.append(missing)
    inferred = _registration_inferred(sheet, catalogue, header, cols, title, title_year, table, year, doc_date)
    if table.empty:
        issues.append(issue(ERROR, "empty_register.registrations", sheet=sheet.name))
    if year is None:
        issues.append(issue(ERROR, "no_year.registrations", sheet=sheet.name))
    return RegisterRead("registrations", sheet.name, year, title, header, cols, table, issues, inferred)


class _RegistrationRows:
    """Each data row of a registration list to one record of :data:`REGISTRATION_COLUMNS`
    (:meth:`read`), with its issues; the units that said no, gave no sign, or a mark without a
    date are kept aside for :func:`_registration_warnings`."""

    def __init__(self, sheet: Sheet, catalogue: Catalogue, cols: dict[str, int], date1904: bool):
        self.sheet, self.catalogue, self.cols, self.date1904 = sheet, catalogue, cols, date1904
        self.issues: list[Issue] = []
        self.records: list[dict] = []
        self.seen: dict[str, int] = {}  # unit → the row that first named it
        self.not_registered: list[tuple[str, str, str]] = []
        self.unsigned: list[tuple[str, str]] = []
        self.undated: list[tuple[str, str, str]] = []

    def read(self, r: int, written: str, heading_block: str) -> None:
        """Row ``r`` (the unit as written, the block of the heading above it) → a record, unless
        its sign is refused."""
        ref = cell_ref(r, self.cols["unit"])
        unit, note = self._unit(r, written, ref)
        block = cell_text(self.sheet.value(r, self.cols["block"])) if "block" in self.cols else ""
        if block and register_words().any("marks", "yes", block):
            block = ""  # blocks as columns, the unit's marked «x» (round 11: «x» read as a block's name)
        block_written = block or heading_block
        self._check_block(r, unit, block_written)
        sign = _registration_sign(self.sheet, r, self.cols, self.date1904)
        self.issues.extend(sign.issues)
        if sign.refused:
            return
        # the unit's block, whether or not it registered (black-box: blank for the units said «Chưa»)
        block_shown = self.catalogue.block_of(unit) if unit else block_written
        if unit and sign.state == "no":
            note, unit_named = "chưa đăng ký", unit
            unit = ""
            self.not_registered.append((unit_named, sign.cell or ref, sign.said))
        elif unit and sign.state == "none":
            note, unit_named = "không có dấu hiệu đăng ký", unit
            unit = ""
            self.unsigned.append((unit_named, ref))
        elif unit and sign.state == "mark" and sign.date is None:
            self.undated.append((unit, ref, sign.said))
        doc = self._document(r, sign.date)
        self.records.append(
            {
                "row_number": r + 1,
                "sheet": self.sheet.name,
                "cell": ref,
                "unit": unit,
                "unit_written": written,
                "block": block_shown,
                "registered_on": sign.date,
                "doc_number": doc,
                "note": note,
            }
        )

    def _document(self, r: int, registered_on) -> str:
        """The row's document as kept: its number alone when its date is the date the unit
        registered on (the preview and the Thi đua page write that date beside it, once), else as
        written («12/ĐK ngày 10/01/2024» beside a «Ngày đăng ký» of another day keeps its own date)."""
        if "registration_doc" not in self.cols:
            return ""
        raw = self.sheet.value(r, self.cols["registration_doc"])
        if register_words().any("marks", "yes", cell_text(raw)):
            return ""  # a mark is no document (round 8 blind: «x ngày 25/04/2024»)
        number, day = document_parts(raw)
        return number if day is None or day == registered_on else cell_text(raw)

    def _unit(self, r: int, written: str, ref: str) -> tuple[str, str]:
        """(the catalogue's unit, or ``""`` when unknown or named twice; the row's note)."""
        m = self.catalogue.match_unit(written, by_words=True)
        unit = m.value if m and m.value != self.catalogue.district_unit else ""
        if unit and m.how in ("similar", "abbreviation"):
            self.issues.append(name_match_issue(m, written, unit, "", self.sheet.name, ref))
        if not unit:
            self.issues.append(
                issue(WARNING, "unknown_unit.registration", sheet=self.sheet.name, cell=ref, written=written, row=r + 1)
            )
            return unit, "không có trong danh mục"
        if unit in self.seen:
            first_row = self.seen[unit]
            self.issues.append(
                issue(
                    WARNING,
                    "duplicate_registration",
                    sheet=self.sheet.name,
                    cell=ref,
                    written=written,
                    first_row=first_row,
                    row=r + 1,
                )
            )
            return unit, f"trùng dòng {first_row}"
        self.seen[unit] = r + 1
        return unit, ""

    def _check_block(self, r: int, unit: str, block_written: str) -> None:
        """Warn when the block written differs from the unit's block in the catalogue."""
        if unit and block_written and match_key(block_written) != match_key(self.catalogue.block_of(unit)):
            self.issues.append(
                issue(
                    WARNING,
                    "block_differs",
                    sheet=self.sheet.name,
                    cell=cell_ref(r, self.cols["block"]),
                    unit=unit,
                    block=self.catalogue.block_of(unit),
                    written=block_written,
                )
            )


def _units_missing(sheet: Sheet, catalogue: Catalogue, cols, seen: dict[str, int], hidden) -> Issue | None:
    """The units of the plan's blocks the list does not name (:func:`missing_units_issue`); a unit
    named only in a hidden row is not missing but hidden (its cell is said)."""
    hidden_units = {}
    for r, written in hidden:
        m = catalogue.match_unit(written, by_words=True)
        if m and m.value not in seen:
            hidden_units.setdefault(m.value, cell_ref(r, cols["unit"]))
    return missing_units_issue(catalogue, set(seen), sheet.name, hidden_units)


def _registration_inferred(sheet, catalogue, header, cols, title, title_year, table, year, doc_date) -> list[tuple]:
    """The preview's lines of a registration list: (what, value, how it was found)."""
    counted = int(((table["unit"] != "") & ~table["note"].str.startswith("trùng")).sum()) if len(table) else 0
    found_by = phrase("found_by_column", header=cell_text(sheet.value(header, cols["unit"])))
    return [
        (phrase("inferred_kind"), phrase("kind_registrations"), found_by),
        (phrase("inferred_sheet"), sheet.name, ""),
        (phrase("inferred_title"), title or phrase("none"), ""),
        (phrase("inferred_year"), str(year or "?"), phrase("year_from_title" if title_year else "year_from_dates")),
        (phrase("inferred_registered_units"), f"{counted}/{len(catalogue.block_units)}", ""),
        (phrase("inferred_list_date"), f"{doc_date:%d/%m/%Y}" if doc_date else phrase("not_written"), ""),
    ]


@dataclass
class _Sign:
    """What a registration row says: ``state`` ``date`` (a date), ``mark`` (a mark or document
    number, no date), ``no`` (says not registered) or ``none`` (no sign either way)."""

    state: str
    date: object = None
    said: str = ""
    issues: list = None  # type: ignore[assignment]
    refused: bool = False
    cell: str = ""  # the cell whose words or date gave the sign ("F32"), "" when none did


def document_parts(value) -> tuple[str, dt.date | None]:
    """A registration document cell's number and date, each when written: "11/ĐK-TĐ ngày
    02/02/2024", "Số 11/ĐK-TĐ, 02.02.2024", "ngày 02 tháng 02 năm 2024 - 11/ĐK" → ("11/ĐK-TĐ", the
    date) — the rule of a decision written so (:func:`kpi.reading.register_cells.decision_parts`);
    a date cell → ("", the date); a text naming no number («Công văn», «Đã gửi») → itself, no date.
    The number alone is kept: the preview and the Thi đua page write the date beside it, once
    (round 7 blind finding: «11/ĐK-TĐ ngày 02/02/2024 ngày 02/02/2024»)."""
    if isinstance(value, dt.datetime):
        return "", value.date()
    if isinstance(value, dt.date):
        return "", value
    text = cell_text(value)
    if not text:
        return "", None
    number, date = decision_parts(text)
    if date is None:
        return text, None  # as written: a bare number, or words
    return number, date


def _registration_sign(sheet: Sheet, r: int, cols: dict[str, int], date1904: bool) -> _Sign:
    """Read one registration row's date, document, mark, status and note (issue 13): "Chưa",
    "Không", "Chưa đăng ký" in any of them → not registered; a date → registered on it; a
    document number or a mark (x, ✓, Có, Đã đăng ký) → registered, date unknown (a document
    reference with its date, "Số 12/ĐK-UBND ngày 10/01/2024", → registered on that date)."""
    words = register_words()
    issues: list[Issue] = []
    texts = {
        role: cell_text(sheet.value(r, cols[role])) for role in ("mark", "note", "registration_doc") if role in cols
    }
    raw_date = sheet.value(r, cols["registered_on"]) if "registered_on" in cols else None
    date_text = cell_text(raw_date) if isinstance(raw_date, str) else ""
    for role, said in [("registered_on", date_text), *texts.items()]:
        if said and words.any("marks", "no", said):
            # the cell that says so (black-box: «ô C32: «Chưa đăng ký»» named the unit's cell, the words were in F32)
            return _Sign("no", None, said, issues, cell=cell_ref(r, cols[role]))
    date = None
    if raw_date not in (None, "") and not (date_text and words.any("marks", "yes", date_text)):
        try:
            parsed = parse_date(raw_date, date1904)
            date = parsed.value if parsed else None
            if parsed and parsed.ambiguous:
                issues.append(
                    issue(
                        INFO,
                        "ambiguous_date",
                        sheet=sheet.name,
                        cell=cell_ref(r, cols["registered_on"]),
                        written=raw_date,
                        date=parsed.value,
                    )
                )
        except NumberFormatError as exc:
            issues.append(
                issue(
                    ERROR,
                    "bad_date.registration",
                    sheet=sheet.name,
                    cell=cell_ref(r, cols["registered_on"]),
                    error=exc.message_vi,
                )
            )
            return _Sign("none", None, "", issues, refused=True)
    if date is not None:
        return _Sign("date", date, "", issues)
    mark = texts.get("mark", "")
    if (mark and words.any("marks", "yes", mark)) or (date_text and words.any("marks", "yes", date_text)):
        return _Sign("mark", None, mark or date_text, issues)
    if texts.get("registration_doc") and words.any("marks", "yes", texts["registration_doc"]):
        return _Sign("mark", None, texts["registration_doc"], issues)  # «x» under «Số, ngày văn bản»: no document
    number, doc_date = (
        document_parts(sheet.value(r, cols["registration_doc"])) if "registration_doc" in cols else ("", None)
    )
    if doc_date is not None:  # "Số 12/ĐK-UBND ngày 10/01/2024", "12/ĐK, 10.01.2024", a date cell
        return _Sign("date", doc_date, "", issues)
    if number:
        return _Sign("mark", None, phrase("by_document", doc=number), issues)
    if texts.get("note") and words.any("marks", "yes", texts["note"]):
        return _Sign("mark", None, texts["note"], issues)
    return _Sign("none", None, "", issues)


#: A cell that only numbers a row or a section ("I", "II.", "A", "3", "1)"): not a heading's text.
_ORDINAL = re.compile(r"^(?:[IVXLC]+|[A-Za-z]|\d+)\s*[.)/-]?$")


def _block_heading(sheet: Sheet, r: int, cols: dict[str, int], catalogue: Catalogue) -> str | None:
    """The block a heading row names, or ``None`` when the row is not such a heading: one text
    (a merged heading written in each of its cells is one text) besides at most an ordinal — a
    number, or «I», «II.», «A» written as text — and nothing else: no date, no second number. The
    text names a block of the plan's ``units.csv`` («Khối các xã, thị trấn số 1», «I. Khối nội
    chính»), or reads «Khối …» and is no unit. The rows under it take its block; it is never a row
    itself (README: block headings only set each unit's block). Black-box finding (December 2026):
    with its «STT» written «I», «II» as text, each heading was a row of an unknown unit, «5 dòng
    mới» of a replacement and «5 tên chưa khớp»."""
    texts = list(dict.fromkeys(cell_text(v) for v in sheet.rows[r] if isinstance(v, str) and cell_text(v)))
    if len(texts) > 1:
        texts = [t for t in texts if not _ORDINAL.match(t)]
    others = [v for v in sheet.rows[r] if v not in (None, "") and not isinstance(v, str)]
    if len(texts) != 1 or len(others) > 1 or any(not isinstance(v, int | float) for v in others):
        return None
    text = re.sub(r"^([IVXLC]+|[A-Z]|\d+)\s*[.)/-]\s*", "", texts[0])
    blocks = {match_key(b): b for b in catalogue.units["block"] if b}
    if match_key(text) in blocks:
        return blocks[match_key(text)]
    if fold(text).startswith("khoi ") and catalogue.match_unit(text) is None:
        return text
    return None


def _document_date(sheet: Sheet, vocab: Vocabulary, table_rows: set[int]):
    """The list's own date ("…, ngày 15 tháng 01 năm 2024" above or below the table; else the date
    of the document it is attached to, "(Kèm theo Thông báo số 05/TB-HĐTĐKT ngày 20/01/2024)"),
    or ``None``; the rows of the table (``table_rows``: its header and data rows) are not read."""

    attached = None
    for r, row in enumerate(sheet.rows):
        if r in table_rows:
            continue
        for value in row:
            if isinstance(value, str):
                folded = fold(value)
                m = vocab.signature_date.search(folded) or (
                    _ATTACHED_DATE.search(folded) if Vocabulary.any(vocab.reference, folded) else None
                )
                if m:
                    try:
                        found = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    except ValueError:
                        continue
                    if m.re is vocab.signature_date:
                        return found
                    attached = attached or found
    return attached


_ATTACHED_DATE = re.compile(r"\bngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


def _registration_warnings(table, issues, sheet_name, not_registered, unsigned, undated, doc_date) -> None:
    """The warnings of a registration list's signs (issue 13): units that said no, units with no
    sign (not registered), and marks without a date (counted from the list's date)."""
    if not_registered:
        listed = "; ".join(phrase("unit_said_at", unit=u, cell=ref, said=said) for u, ref, said in not_registered)
        issues.append(issue(WARNING, "not_registered", sheet=sheet_name, count=len(not_registered), listed=listed))
    if unsigned:
        listed = "; ".join(phrase("unit_at", unit=u, cell=ref) for u, ref in unsigned)
        issues.append(issue(WARNING, "no_registration_sign", sheet=sheet_name, count=len(unsigned), listed=listed))
    if undated:
        when = phrase("from_list_date", date=doc_date) if doc_date else phrase("from_year_start")
        for _unit, ref, _said in undated:
            table.loc[table["cell"] == ref, "registered_on"] = doc_date
        listed = "; ".join(phrase("unit_at", unit=u, cell=ref) for u, ref, _s in undated)
        issues.append(
            issue(WARNING, "mark_without_date", sheet=sheet_name, count=len(undated), when=when, listed=listed)
        )
    if doc_date is not None and len(table):
        # a list cannot hold a registration made after its own date: one of the two dates is a typing
        # error (black-box: a list of 15/01/2024 with a unit registered 31/12/2024). Counted as
        # written — the list's date does not say which is wrong — and said, with its cells.
        after = [
            (u or w, r, d)
            for u, w, r, d in zip(
                table["unit"], table["unit_written"], table["row_number"], table["registered_on"], strict=True
            )
            if isinstance(d, dt.date) and not pd.isna(d) and _as_date(d) > doc_date
        ]
        if after:
            listed = "; ".join(phrase("unit_on", unit=u, row=r, date=_as_date(d)) for u, r, d in after)
            issues.append(
                issue(
                    WARNING, "registered_after_list", sheet=sheet_name, count=len(after), date=doc_date, listed=listed
                )
            )


def _as_date(value) -> dt.date:
    """A date or a datetime (a pandas Timestamp) as a date."""
    return value.date() if isinstance(value, dt.datetime) else value
