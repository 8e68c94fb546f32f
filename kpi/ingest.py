"""From a file's bytes to stored figures: prepare (read + validate + preview), then commit.

:func:`prepare` never writes: it reads the workbook (in the parsing worker), picks the sheet,
reads the report or register, checks every figure and returns a :class:`Prepared` — everything
the upload page previews and the command line prints. :func:`commit` stores a prepared file in
one transaction: the submission, its figures (inserted as a registered DataFrame, never row by
row), its warnings, the supersede decision, an import-log entry that ``rebuild`` replays, an
audit entry; the raw bytes are archived by sha256 first (fsynced, inside the transaction), and
once the transaction has committed a line goes to the import journal (:func:`kpi.storage.database.journal_commit`),
which is how a commit later lost with a cut WAL is found. The same bytes again change nothing.
A refused file leaves only an audit entry (its sha256 and reasons), nothing else.

Supersede rule (design.md): a submission replaces the active one of the same series — same
kind, sender, subject, year and period — unless its document date is earlier; an undated version
ranks below any dated one; among equals the later upload wins. An older version loaded late is
kept as history with a warning and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd

from kpi.config import Settings
from kpi.domain.plan import Catalogue
from kpi.domain.rules import (
    far_from_previous,
    series_key,
    series_where_sql,
    version_rank,
    winner_number_sql,
    within_half_unit,
    written_decimals,
    ytd_from_quarter,
)
from kpi.errors import KpiError, NotFound, UnreadableFile, database_damage
from kpi.reading.checks import DECISIONS, ERROR, INFO, WARNING, Issue, check_figures
from kpi.reading.file_kind import (
    awards_year_asked,
    decide_kind,
    kinds_to_try,
    note_kind,
    note_unread_register,
    review_unmatched,
)
from kpi.reading.layout import TableLayout, vocabulary
from kpi.reading.registers import AWARD_COLUMNS, REGISTRATION_COLUMNS, read_awards, read_registrations
from kpi.reading.report_sheets import OBSERVATION_COLUMNS, ImportOptions, read_report
from kpi.storage.catalogue import load_catalogue, plan_years_in_db
from kpi.storage.database import archive_raw, bump_version, journal_commit, scalar, sha256_of, transaction, write_lock
from kpi.storage.lake import retrying
from kpi.storage.store import claim, next_seq, next_submission_id
from kpi.vn import clean_file_name, format_number, to_decimal

_log = logging.getLogger(__name__)

__all__ = [
    "Prepared",
    "Committed",
    "prepare",
    "commit",
    "ingest",
    "ingest_path",
    "log_refusal",
    "planned_effect",
    "Effect",
    "period_label",
]


def period_label(year: int | None, quarter: int | None) -> str:
    """ "2024-Q3", or "" without a quarter (the key stored and typed on the command line)."""
    return f"{year}-Q{quarter}" if year and quarter else ""


# Shared empty frames (never mutated): building empty DataFrames for every file costs milliseconds.
_EMPTY = {
    "observations": pd.DataFrame(columns=OBSERVATION_COLUMNS),
    "rows": pd.DataFrame(columns=["row", "label", "key", "how", "status"]),
    "awards": pd.DataFrame(columns=AWARD_COLUMNS),
    "registrations": pd.DataFrame(columns=REGISTRATION_COLUMNS),
}


@dataclass
class Prepared:
    """A file read and checked, not stored.

    :ivar file_kind: ``report``, ``awards``, ``registrations``, or ``None`` when nothing usable
        was found (then ``issues`` holds the refusal).
    :ivar observations: report figures, columns :data:`kpi.reading.report_sheets.OBSERVATION_COLUMNS`.
    :ivar awards, registrations: register rows (see :mod:`kpi.reading.registers`).
    :ivar rows: the report's data rows and what happened to each (matched / not in plan…).
    :ivar inferred: (what, value, how) lines: sheet, period, subject… and how each was found.
    :ivar previews: for a file whose table was not recognised, each sheet's first rows as text
        (for the user to say which column holds what).
    :ivar suggestions: per previewed sheet, a first guess of that mapping
        (:func:`kpi.reading.mapping.suggest_mapping`), ``{}`` when the sheet names no indicator.
    :ivar layout_signature: set when the table was read through a user's mapping.
    """

    file_name: str
    sha256: str
    size: int
    options: ImportOptions
    file_format: str = ""
    file_kind: str | None = None
    sheet: str = ""
    year: int | None = None
    quarter: int | None = None
    sender: str = ""
    subject: str = ""
    doc_date: dt.date | None = None
    doc_number: str = ""
    title: str = ""
    layout: TableLayout | None = None
    observations: pd.DataFrame = field(default_factory=lambda: _EMPTY["observations"])
    rows: pd.DataFrame = field(default_factory=lambda: _EMPTY["rows"])
    awards: pd.DataFrame = field(default_factory=lambda: _EMPTY["awards"])
    registrations: pd.DataFrame = field(default_factory=lambda: _EMPTY["registrations"])
    issues: list[Issue] = field(default_factory=list)
    inferred: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    existing_id: int | None = None
    register_keys: list[str] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    previews: dict[str, list[list[str]]] = field(default_factory=dict)
    suggestions: dict[str, dict] = field(default_factory=dict)
    layout_signature: str = ""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def refused(self) -> bool:
        """Refused whole: any error, or ``strict`` and any warning."""
        return bool(self.errors) or (self.options.strict and bool(self.warnings))

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def refusal_issues(self) -> list[Issue]:
        return self.errors + (self.warnings if self.options.strict else [])

    @property
    def held(self) -> list[Issue]:
        """The errors a choice of the user lifts (:data:`kpi.reading.checks.DECISIONS`): the file is
        held until the subject, period or document date is decided, not refused for good."""
        return [e for e in self.errors if e.code in DECISIONS]

    def needs(self, choice: str) -> bool:
        """Whether ``choice`` (``subject``, ``period``, ``doc_date``) must be decided."""
        return any(DECISIONS[e.code] == choice for e in self.held)

    @property
    def subject_unclear(self) -> bool:
        """The file names no unit of the plan, or two disagreeing ones (``unknown_subject``,
        ``subject_conflict``): ``subject`` is then only a placeholder until the user chooses."""
        return self.needs("subject")

    @property
    def matched_keys(self) -> list[str]:
        if self.file_kind == "report":
            return sorted(set(self.observations["key"]))
        if self.file_kind == "awards":
            return sorted(set(self.awards.loc[self.awards["key"] != "", "key"]))
        if self.file_kind == "registrations":
            return list(self.register_keys)
        return []


@dataclass(frozen=True)
class Committed:
    """What :func:`commit` did.

    :ivar status: ``active`` (now used), ``superseded`` (kept as history: an older version) or
        ``duplicate`` (the same bytes were already stored; nothing changed).
    """

    submission_id: int | None
    status: str
    message: str
    superseded_ids: tuple[int, ...] = ()


def _catalogue_for(con, year: int | None, years: list[int] | None = None) -> Catalogue:
    years = years if years is not None else plan_years_in_db(con)
    if not years:
        raise NotFound("Cơ sở dữ liệu chưa có kế hoạch nào.")
    if year in years:
        return load_catalogue(con, year)
    return load_catalogue(con, max(years))


def prepare(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    options: ImportOptions | None = None,
    cfg: Settings | None = None,
) -> Prepared:
    """Read and check one file without storing anything.

    :param data: the file's bytes (``UploadedFile.getvalue()``, ``Path.read_bytes()``).
    :param options: period, subject, sheet… chosen by the user (see :class:`ImportOptions`).
    :returns: a :class:`Prepared`; ``refused`` tells whether :func:`commit` would refuse it.
        Unreadable files come back refused with the reader's message as their only issue. A fault
        of ours met while reading a file (a bug, not the file's) also comes back as a refusal,
        ``internal_error``, with the traceback in the server's log: a file is never half-read into
        the database and the clerk gets a message, not Streamlit's red box.
    :raises NotFound: the database holds no plan at all.
    :raises kpi.errors.DatabaseCorrupt: a damaged block of the database was met while checking.

    ``file_name`` is cleaned here, at the boundary (:func:`kpi.vn.clean_file_name`: no control or
    bidirectional characters, NUL marked, length limited): ``Prepared.file_name`` is the name
    stored, logged and shown.
    """
    file_name = clean_file_name(file_name)
    try:
        return _prepare(con, data, file_name, options, cfg)
    except KpiError:
        raise
    except Exception as exc:  # the last guard of an upload; logged in full below
        damage = database_damage(exc, str((cfg or Settings()).db_path))
        if damage is not None:  # the database's fault, not the file's nor ours: say so
            raise damage from exc
        reference = sha256_of(data)[:8]
        _log.exception("reading %r (sha256 %s…) failed", file_name, reference)
        prep = Prepared(file_name=file_name, sha256=sha256_of(data), size=len(data), options=options or ImportOptions())
        prep.issues.append(
            Issue(
                ERROR,
                "internal_error",
                "Chương trình gặp lỗi khi đọc tệp này (lỗi của phần mềm, không phải do người nhập): "
                f"tệp không được lưu. Hãy gửi tệp cho quản trị viên kèm mã «{reference}» "
                f"({type(exc).__name__}) để sửa; trong lúc chờ, có thể nhập số liệu vào mẫu báo cáo.",
            )
        )
        return prep


def _prepare(con, data: bytes, file_name: str, options: ImportOptions | None, cfg: Settings | None) -> Prepared:
    from kpi.reading.worker import read_workbook_safely

    cfg = cfg or Settings()
    options = options or ImportOptions()
    digest = sha256_of(data)
    prep = Prepared(file_name=file_name, sha256=digest, size=len(data), options=options)
    existing, years = con.execute(
        "SELECT (SELECT min(submission_id) FROM submissions WHERE sha256 = ?),"
        " (SELECT list(year ORDER BY year) FROM plans)",
        [digest],
    ).fetchall()[0]
    prep.existing_id = existing
    try:
        wb = read_workbook_safely(data, file_name, cfg)
    except UnreadableFile as exc:
        prep.issues.append(Issue(ERROR, f"unreadable_{exc.cause}", exc.message_vi))
        return prep
    prep.file_format = wb.format
    prep.notes.extend(wb.notes)
    prep.sheet_names = [s.name for s in wb.sheets]
    vocab = vocabulary(cfg.data_dir)
    year_hint = options.year or (options.period_parts[0] if options.period_parts else None)
    catalogue = _catalogue_for(con, year_hint, years or [])
    _read_best_sheet(prep, wb, catalogue, vocab, options)
    if prep.file_kind is None and not options.mapping:
        remembered = _remembered_mapping(con, wb)
        if remembered is not None:
            sheet_name, mapping, example = remembered
            options = replace(options, mapping=mapping, sheet=sheet_name)
            prep.options = options
            prep.issues.clear()
            _read_best_sheet(prep, wb, catalogue, vocab, options)
            prep.notes.append(f"Đọc theo bố cục đã khai báo trước đây cho mẫu biểu này (lần đầu với tệp «{example}»).")
    if prep.file_kind == "report" and prep.year and prep.year != catalogue.year and prep.year in (years or []):
        prep.issues.clear()
        prep.inferred.clear()
        prep.notes = list(wb.notes)
        catalogue = load_catalogue(con, prep.year)
        _read_best_sheet(prep, wb, catalogue, vocab, options)
    if prep.file_kind == "report":
        # every figure's rule even when another cell is already refused: the clerk fixes the file once
        errors_before = bool(prep.errors)
        prep.issues.extend(check_figures(prep.observations, catalogue, prep.sheet, cfg.data_dir))
        if not errors_before:
            prep.issues.extend(check_against_history(con, prep, catalogue))
    if options.mapping and prep.sheet:
        from kpi.reading.mapping import sheet_signature

        sheet = next(s for s in wb.sheets if s.name == prep.sheet)
        prep.layout_signature = sheet_signature(sheet, int(options.mapping["header_row"]) - 1)
    if prep.file_kind is None:
        from kpi.reading.mapping import suggest_mapping

        prep.previews = {s.name: _preview(s) for s in wb.sheets if s.height}
        prep.suggestions = {name: suggest_mapping(grid, catalogue, vocab) for name, grid in prep.previews.items()}
    names = _indicator_names(wb, catalogue) if prep.file_kind is None and not prep.errors else None
    if names:
        sheet_name, cell, found = names
        prep.issues.append(
            Issue(
                ERROR,
                "no_value_columns",
                f"Tệp có tên {len(found)} chỉ tiêu của kế hoạch (từ ô {cell}, ví dụ «{found[0]}») nhưng không "
                "nhận ra cột số liệu nào: tiêu đề các cột không cho biết số nào là kế hoạch, thực hiện quý hay "
                "lũy kế. Hãy khai báo bố cục bảng (chọn dòng tiêu đề, cột tên chỉ tiêu và nghĩa của từng cột) "
                "ở khung «Khai báo bố cục bảng» khi xem trước trên trang «Tải lên báo cáo», hoặc dùng mẫu báo cáo "
                "(nút «Tải mẫu báo cáo» trên trang đó; dòng lệnh: python -m kpi template).",
                sheet_name,
                cell,
            )
        )
    elif prep.file_kind is None and not prep.errors:
        prep.issues.append(
            Issue(
                ERROR,
                "no_indicator",
                "Không tìm thấy chỉ tiêu nào của kế hoạch trong tệp" + _found_summary(wb) + ". Tệp cần có "
                "bảng với cột «Chỉ tiêu» và các cột số liệu (Kế hoạch, Thực hiện, Lũy kế…), hoặc là danh "
                "sách khen thưởng / đăng ký thi đua. Hãy dùng mẫu báo cáo (nút «Tải mẫu báo cáo» trên trang tải lên; "
                "dòng lệnh: python -m kpi template).",
            )
        )
    return prep


def _indicator_names(wb, catalogue: Catalogue, max_rows: int = 300) -> tuple[str, str, list[str]] | None:
    """Where a sheet names indicators of the plan although no table was recognised: (sheet, first
    cell, the names found), when at least two distinct indicators are named; else ``None``."""
    from kpi.reading.workbook import cell_ref

    for sheet in wb.sheets:
        found: dict[str, str] = {}
        first = ""
        for r, row in enumerate(sheet.rows[:max_rows]):
            for c, value in enumerate(row):
                if not isinstance(value, str) or len(value) < 6:
                    continue
                match = catalogue.match_indicator(value)
                if match is not None and match.value not in found:
                    found[match.value] = value.strip()
                    first = first or cell_ref(r, c)
        if len(found) >= 2:
            return sheet.name, first, list(found.values())
    return None


def _remembered_mapping(con, wb) -> tuple[str, dict, str] | None:
    """A remembered mapping whose signature matches a sheet of ``wb``: (sheet, mapping, example)."""
    from kpi.reading.mapping import sheet_signature
    from kpi.storage.layouts import all_mappings

    for signature, mapping, example in all_mappings(con):
        row = int(mapping.get("header_row", 0)) - 1
        for sheet in wb.sheets:
            if sheet.height > row >= 0 and sheet_signature(sheet, row) == signature:
                return sheet.name, mapping, example
    return None


def _preview(sheet, rows: int = 25, cols: int = 14) -> list[list[str]]:
    """The first rows and columns of a sheet as short texts (for the mapping form)."""
    from kpi.vn import clean_text, format_number

    def shown(value) -> str:  # numbers as a clerk reads them (vi-VN), not "40.2" or "1.0"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return format_number(value)
        return clean_text(value)[:40]

    return [[shown(sheet.value(r, c)) for c in range(min(cols, sheet.width))] for r in range(min(rows, sheet.height))]


def _found_summary(wb) -> str:
    sheets = [s for s in wb.sheets if s.height]
    if not sheets:
        return " (tệp không có ô nào có dữ liệu)"
    names = ", ".join(f"«{s.name}» ({format_number(s.height)} dòng × {format_number(s.width)} cột)" for s in sheets[:4])
    more = f" và {len(sheets) - 4} trang khác" if len(sheets) > 4 else ""
    return f" (đã xem {len(sheets)} trang tính: {names}{more})"


def _read_best_sheet(prep: Prepared, wb, catalogue: Catalogue, vocab, options: ImportOptions) -> None:
    """Try every sheet as a report, an award register and a registration list; keep the best.

    Visible sheets come first; a hidden or very hidden sheet (an old template, a lookup list) is
    only used when no visible sheet holds anything, and the preview says so.
    """
    candidates = []
    sheets = wb.sheets
    if options.sheet:
        sheets = [s for s in wb.sheets if s.name == options.sheet]
        if not sheets:
            prep.issues.append(Issue(ERROR, "no_such_sheet", f"Tệp không có trang tính «{options.sheet}»."))
            return
    decisions = {}
    for order, sheet in enumerate(sheets):
        if not sheet.height:
            continue
        visible = sheet.state == "visible"
        report = None
        decisions[sheet.name] = decision = decide_kind(sheet, catalogue)
        allowed = kinds_to_try(options.kind, decision, bool(options.mapping))
        if options.mapping and "report" in allowed:
            from kpi.reading.mapping import layout_from_mapping

            layout = layout_from_mapping(sheet, options.mapping, vocab)
            report = read_report(sheet, catalogue, vocab, options, layout=layout, date1904=wb.date1904)
        elif "report" in allowed:
            report = read_report(sheet, catalogue, vocab, options, date1904=wb.date1904)
        if report is not None:
            matched = int((report.rows["status"] == "matched").sum()) if not report.rows.empty else 0
            if matched:
                candidates.append((visible, matched, -order, "report", sheet, report))
                continue
        awards = read_awards(sheet, catalogue, vocab, options.year, wb.date1904) if "awards" in allowed else None
        if awards is not None and (len(awards.table) or awards_year_asked(awards)):
            candidates.append((visible, len(awards.table) + awards_year_asked(awards), -order, "awards", sheet, awards))
            continue
        regs = read_registrations(sheet, catalogue, vocab, wb.date1904) if "registrations" in allowed else None
        if regs is not None and len(regs.table):
            counted = int((regs.table["unit"] != "").sum())
            if counted:
                candidates.append((visible, counted, -order, "registrations", sheet, regs))
                continue
        if report is not None and report.layout is not None:
            prep.notes.append(
                f"Trang «{sheet.name}» có bảng (tiêu đề ở dòng {report.layout.header_range}) nhưng không "
                "dòng nào khớp chỉ tiêu của kế hoạch."
            )
    if not candidates:
        note_unread_register(prep, decisions)
        return
    candidates.sort(key=lambda c: (c[0], c[1], c[2]), reverse=True)
    visible, _score, _o, kind, sheet, read = candidates[0]
    for other in candidates[1:]:
        state = {"hidden": "ẩn", "veryHidden": "ẩn sâu"}.get(other[4].state, "")
        prep.notes.append(
            f"Bỏ qua trang {state + ' ' if state else ''}«{other[4].name}» (đã dùng trang «{sheet.name}»)."
        )
    for s in wb.sheets:
        if s.state != "visible" and all(s is not c[4] for c in candidates) and s is not sheet:
            prep.notes.append(f"Trang «{s.name}» bị ẩn — không dùng (thường là mẫu cũ hoặc danh mục tra cứu).")
    if not visible:
        prep.notes.append(f"Chỉ trang ẩn «{sheet.name}» có số liệu nên đã dùng nó; hãy kiểm tra đây là bản đúng.")
    prep.file_kind = kind
    prep.sheet = sheet.name
    prep.issues.extend(read.issues)
    prep.inferred = list(read.inferred)
    note_kind(prep, decisions[sheet.name], options.kind)
    if kind == "report":
        prep.year, prep.quarter = read.year, read.quarter
        prep.sender, prep.subject = read.sender, read.subject
        prep.doc_date, prep.doc_number, prep.title = read.doc_date, read.doc_number, read.title
        prep.layout = read.layout
        prep.observations = read.observations
        prep.rows = read.rows
        not_in_plan = read.rows[read.rows["status"] == "not_in_plan"]
        if len(not_in_plan):
            prep.issues.append(
                Issue(
                    INFO,
                    "not_in_plan",
                    "Các dòng không thuộc kế hoạch — không lưu: "
                    + "; ".join(f"dòng {r.row} «{r.label}»" for r in not_in_plan.itertuples()),
                    sheet.name,
                )
            )
    else:
        prep.year = read.year
        prep.title = read.title
        prep.subject = catalogue.district_unit
        if kind == "awards":
            prep.awards = read.table
        else:
            prep.registrations = read.table
            prep.register_keys = [i.key for i in catalogue.indicators if i.counted_from == "registrations"]
        if read.year is not None and read.year not in (catalogue.year,) and kind == "registrations":
            prep.issues.append(
                Issue(
                    ERROR, "no_plan_year", f"Danh sách là của năm {read.year} nhưng chưa có kế hoạch năm {read.year}."
                )
            )
    review_unmatched(prep, catalogue)


class _NewFigure(NamedTuple):
    key: str
    subject: str
    quarter: int
    kind: str
    value: float
    written: str
    cell: str


def check_against_history(con, prep: Prepared, catalogue: Catalogue) -> list[Issue]:
    """Warnings that need stored figures (design.md, "Periods, senders and subjects…"):

    * a flow's year to date that disagrees with the previous year to date plus the quarter's own
      amount, in whichever order the reports arrive (the new file's figures replace the stored ones
      of the same quarter and kind), beyond half a unit of the written figure's last decimal — the
      warning shows both figures and where they come from (:func:`_flow_sums_disagree`);
    * a level far (more than half again, or less than half) from the subject's previous quarter
      (:func:`_level_far_from_previous`).
    """
    obs = prep.observations
    if obs.empty or not prep.quarter:
        return []
    columns = (obs[c].tolist() for c in ("key", "subject", "quarter", "kind", "value", "written", "cell"))
    # plain lists, not a boolean mask: pandas copies all 15 Arrow-string columns to filter a frame
    new = [_NewFigure(*t) for t in zip(*columns, strict=True) if t[3] in ("quarter", "ytd")]
    if not new:
        return []
    old = _stored_for_check(con, prep.year, new)
    by_series: dict[tuple[str, str], list[_NewFigure]] = {}
    for r in new:
        by_series.setdefault((r.key, r.subject), []).append(r)
    issues: list[Issue] = []
    for (key, subject), mine in by_series.items():
        ind = catalogue.by_key.get(key)
        before = old.get((key, subject), [])
        if ind is None:
            continue
        if ind.over_year == "flow":
            issues += _flow_sums_disagree(ind, mine, before, prep.sheet)
        elif before:
            issues += _level_far_from_previous(ind, mine, before, prep.sheet)
    return issues


def _stored_for_check(con, year: int, new: list[_NewFigure]) -> dict[tuple[str, str], list[tuple]]:
    """The winning stored quarter and year-to-date figures of the new figures' keys and subjects,
    from the quarter before the earliest to the one after the latest, per (key, subject):
    ``[(quarter, kind, value, written, file_name, cell)]``."""
    keys = sorted({r.key for r in new})
    subjects = sorted({r.subject for r in new})
    quarters = [int(r.quarter) for r in new]
    stored = con.execute(_FIGURES_FOR_CHECK, [year, min(quarters) - 1, max(quarters) + 1, keys, subjects]).fetchall()
    old: dict[tuple[str, str], list[tuple]] = {}
    for key, subject, quarter, kind, value, written, file_name, cell in stored:
        old.setdefault((key, subject), []).append((int(quarter), kind, value, written, file_name, cell))
    return old


def _flow_sums_disagree(ind, mine: list[_NewFigure], before: list[tuple], sheet: str) -> list[Issue]:
    """``ytd_disagrees``: for each quarter the new file touches, year to date ≠ the previous year to
    date + the quarter's own amount (:func:`kpi.domain.rules.ytd_from_quarter`), beyond half a unit
    of the last decimal written (:func:`kpi.domain.rules.within_half_unit`)."""
    figures = {
        (q, kind): (value, f"{file_name}, ô {cell}", str(written))
        for q, kind, value, written, file_name, cell in before
    }
    for r in mine:
        figures[(int(r.quarter), r.kind)] = (r.value, f"tệp này, ô {r.cell}", str(r.written))
    touched = {(int(r.quarter), r.kind) for r in mine}
    figures[(0, "ytd")] = (0.0, "", "0")  # before the year starts, nothing: Q1's ytd = Q1's own
    issues = []
    for q in range(1, 5):
        ytd, prev, own = figures.get((q, "ytd")), figures.get((q - 1, "ytd")), figures.get((q, "quarter"))
        if not (ytd and prev and own) or not touched & {(q, "ytd"), (q - 1, "ytd"), (q, "quarter")}:
            continue
        expected = ytd_from_quarter(to_decimal(prev[0]), to_decimal(own[0]))
        decimals = max(written_decimals(ytd[2]), written_decimals(prev[2]), written_decimals(own[2]))
        if within_half_unit(expected, ytd[0], decimals):
            continue
        if q == 1:
            text = (
                f"«{ind.name}»: lũy kế quý I là {format_number(ytd[0])} ({ytd[1]}) nhưng số của quý I "
                f"là {format_number(own[0])} ({own[1]}); trong quý I hai số này phải bằng nhau. Hãy "
                "kiểm tra; số lũy kế được dùng."
            )
        else:
            text = (
                f"«{ind.name}»: lũy kế quý {q} là {format_number(ytd[0])} ({ytd[1]}) nhưng lũy kế quý "
                f"{q - 1} ({format_number(prev[0])}, {prev[1]}) cộng số của quý {q} "
                f"({format_number(own[0])}, {own[1]}) là {format_number(expected)}. Hãy kiểm tra; số lũy "
                "kế được dùng."
            )
        issues.append(Issue(WARNING, "ytd_disagrees", text, sheet, mine[0].cell, ind.key))
    return issues


def _level_far_from_previous(ind, mine: list[_NewFigure], before: list[tuple], sheet: str) -> list[Issue]:
    """``far_from_previous``: the first new figure of a level far from the subject's latest earlier
    quarter (:func:`kpi.domain.rules.far_from_previous`)."""
    for r in mine:
        earlier = sorted((q, value) for q, _kind, value, *_rest in before if q < r.quarter)
        if not earlier:
            continue
        last_q, last = earlier[-1]
        if far_from_previous(r.value, last):
            text = (
                f"«{ind.name}»: {format_number(r.value)} {ind.unit} khác xa số quý trước "
                f"({format_number(last)} {ind.unit}, quý {last_q}). Hãy kiểm tra."
            )
            return [Issue(WARNING, "far_from_previous", text, sheet, r.cell, ind.key)]
    return []


_FIGURES_FOR_CHECK = f"""
SELECT key, subject, quarter, kind, value, written, file_name, cell FROM (
    SELECT o.key, o.subject, o.quarter, o.kind, o.value, o.written, s.file_name, o.cell,
           {winner_number_sql("o", "s")} AS rn
    FROM observations o JOIN submissions s USING (submission_id)
    WHERE s.status = 'active' AND s.file_kind = 'report' AND o.year = ? AND o.quarter BETWEEN ? AND ?
      AND o.kind IN ('quarter', 'ytd') AND list_contains(?, o.key) AND list_contains(?, o.subject)
) WHERE rn = 1"""


# ---------------------------------------------------------------------------------------------


def _series_clause(prep: Prepared) -> tuple[str, list]:
    """The SQL condition and values that select ``prep``'s series (:func:`kpi.domain.rules.series_key`)."""
    return series_where_sql(), list(series_key(prep.file_kind, prep.sender, prep.subject, prep.year, prep.quarter))


class Effect(NamedTuple):
    """What storing a prepared file will do to its series (same kind, sender, subject, period).

    :ivar status: ``active`` (it will be used) or ``superseded`` (kept as history only).
    :ivar replaces: the ids of the versions in use it will replace.
    :ivar message: Vietnamese, for the preview ("" when the series is new).
    """

    status: str
    replaces: tuple[int, ...]
    message: str


def planned_effect(con: duckdb.DuckDBPyConnection, prep: Prepared) -> Effect:
    """The rule :func:`commit` applies, told before saving: the version with a document date
    beats one without, a later document date beats an earlier one, and on the same date the
    later upload wins (design.md, "Corrections")."""
    series_sql, params = _series_clause(prep)
    active = con.execute(
        f"SELECT submission_id, doc_date, seq FROM submissions WHERE status = 'active' AND {series_sql}", params
    ).fetchall()
    return _decide(prep, active, float("inf"))


def _decide(prep: Prepared, active: list[tuple], seq) -> Effect:
    replaces, older_than = [], None
    new_rank = version_rank(prep.doc_date, seq)
    for old_id, old_date, old_seq in active:
        if new_rank >= version_rank(old_date, old_seq):
            replaces.append((old_id, old_date))
        else:
            older_than = (old_id, old_date)
    if older_than is not None:
        old_id, old_date = older_than
        when = old_date.strftime("%d/%m/%Y") if old_date else "không ghi ngày"
        return Effect(
            "superseded",
            (),
            f"Bản cũ hơn bản đang dùng (#{old_id}, ngày {when}): chỉ lưu vào lịch sử, không thay đổi số liệu.",
        )
    if not replaces:
        return Effect("active", (), "")
    parts = []
    for old_id, old_date in replaces:
        if old_date is not None and old_date == prep.doc_date:
            parts.append(f"#{old_id} (cùng ngày văn bản {old_date:%d/%m/%Y}: bản tải sau thay bản trước)")
        else:
            parts.append(f"#{old_id}" + (f" (ngày {old_date:%d/%m/%Y})" if old_date else " (không ghi ngày)"))
    return Effect(
        "active",
        tuple(i for i, _d in replaces),
        "Sẽ thay bản đang dùng " + ", ".join(parts) + "; bản cũ vẫn được giữ trong lịch sử.",
    )


def commit(
    con: duckdb.DuckDBPyConnection,
    prep: Prepared,
    data: bytes,
    actor: str,
    cfg: Settings | None = None,
    at: dt.datetime | None = None,
    log: bool = True,
) -> Committed:
    """Store a prepared file in one transaction (see the module's docstring).

    :param actor: who uploads ("cli:<user>", a signed-in user name, or "khách" when open).
    :param at: upload time (``rebuild`` passes the original); defaults to now.
    :param log: write an import-log entry (``rebuild`` replays without logging again).
    :raises kpi.errors.FileRefused: the file has errors (or warnings under ``strict``); only the
        refusal is logged.
    :raises kpi.errors.PermissionDenied: ``actor`` may not upload (see :mod:`kpi.access.auth`).
    """
    from kpi.access.auth import require
    from kpi.errors import FileRefused

    cfg = cfg or Settings()
    require(con, actor, "upload")
    if prep.refused:
        log_refusal(con, prep, actor)
        raise FileRefused(prep.file_name, prep.refusal_issues)
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        stored = retrying(lambda: _store(con, prep, data, actor, cfg, at, log))
        if isinstance(stored, Committed):
            return stored  # the same bytes were there already (maybe stored by another server meanwhile)
        sid, status, superseded, note, options_json = stored
        # Committed: only now does the journal say so (a crash before COMMIT leaves no line).
        journal_commit(
            con,
            {
                "sha256": prep.sha256,
                "file_name": prep.file_name,
                "submission_id": sid,
                "kind": prep.file_kind,
                "year": prep.year,
                "quarter": prep.quarter if prep.file_kind == "report" else None,
                "uploaded_at": at.isoformat(sep=" "),
                "actor": actor,
                "options": options_json,
            },
        )
    if status == "active":
        message = f"Đã lưu «{prep.file_name}» (lần tải #{sid})"
        if superseded:
            message += (
                f", thay cho bản trước (#{', #'.join(map(str, superseded))}) — đã điều chỉnh so với báo cáo trước"
            )
        message += "."
    else:
        message = f"Đã lưu «{prep.file_name}» (#{sid}) vào lịch sử. {note}"
    return Committed(sid, status, message, tuple(superseded))


def _series_key(prep: Prepared) -> str:
    """The series a file belongs to as one text (kind, sender, subject, year, quarter): its claim
    row (:func:`kpi.storage.store.claim`)."""
    quarter = prep.quarter if prep.file_kind == "report" else None
    return json.dumps([prep.file_kind, prep.sender or "", prep.subject or "", prep.year, quarter], ensure_ascii=False)


def _store(con, prep: Prepared, data: bytes, actor: str, cfg: Settings, at: dt.datetime, log: bool):
    """One attempt at storing (one transaction): the claims of the file's bytes and series, then —
    unless the bytes are stored already (returns that :class:`Committed`) — the raw file, the
    series' versions, the submission row, its rows, layout, log and audit. :func:`commit` runs it
    again when the shared store refuses the commit for a concurrent write.

    :returns: ``(submission id, status, superseded ids, note, options as JSON)``.
    """
    with transaction(con):
        existing = scalar(con, "SELECT min(submission_id) FROM submissions WHERE sha256 = ?", [prep.sha256])
        if existing is not None:
            return Committed(
                existing, "duplicate", f"Tệp «{prep.file_name}» đã có (lần tải #{existing}); không thay đổi gì."
            )
        claim(con, ("sha256", prep.sha256), ("series", _series_key(prep)))
        seq, sid = next_seq(con), next_submission_id(con)
        archive_raw(cfg.raw_dir, data, prep.sha256)
        series_sql, params = _series_clause(prep)
        active = con.execute(
            f"SELECT submission_id, doc_date, seq FROM submissions WHERE status = 'active' AND {series_sql}", params
        ).fetchall()
        effect = _decide(prep, active, seq)
        status, superseded = effect.status, list(effect.replaces)
        note = effect.message if status == "superseded" else ""
        for old_id in superseded:
            con.execute(
                "UPDATE submissions SET status = 'superseded', status_note = ? WHERE submission_id = ?",
                [f"Được thay bằng bản #{sid} ({prep.file_name})", old_id],
            )
        options_json = json.dumps(prep.options.as_dict(), ensure_ascii=False, sort_keys=True)
        _insert_submission(con, prep, sid, seq, status, note, options_json, actor, at)
        _insert_rows(con, prep, sid, note, actor, at)
        if log:
            con.execute(
                "INSERT INTO import_log VALUES (?, ?, 'ingest', ?, ?, ?, ?, ?)",
                [seq, at, prep.sha256, prep.file_name, options_json, actor, ""],
            )
        detail = f"#{sid} {prep.file_kind} {prep.period or prep.year} → {status}" + (
            f"; thay bản {', '.join('#' + str(i) for i in superseded)}" if superseded else ""
        )
        audit = [(at, actor, "upload", prep.sha256, prep.file_name, detail)]
        audit += [
            (at, actor, "supersede", prep.sha256, prep.file_name, f"#{old_id} được thay bằng #{sid}")
            for old_id in superseded
        ]
        con.execute(
            "INSERT INTO audit_log VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(audit)),
            [v for row in audit for v in row],
        )
        bump_version(con)
    return sid, status, superseded, note, options_json


def _insert_submission(con, prep: Prepared, sid: int, seq: int, status: str, note: str, options_json: str, actor, at):
    """The submission row of a stored file (in :func:`_store`'s transaction)."""
    con.execute(
        "INSERT INTO submissions (submission_id, sha256, file_name, file_kind, file_format, sheet, sender, "
        "subject, year, quarter, doc_date, doc_number, title, uploaded_at, uploaded_by, seq, status, "
        "status_note, options, layout, n_figures) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            sid,
            prep.sha256,
            prep.file_name,
            prep.file_kind,
            prep.file_format,
            prep.sheet,
            prep.sender,
            prep.subject,
            prep.year,
            prep.quarter if prep.file_kind == "report" else None,
            prep.doc_date,
            prep.doc_number,
            prep.title,
            at,
            actor,
            seq,
            status,
            note,
            options_json,
            _layout_json(prep.layout),
            _n_figures(prep),
        ],
    )


def _insert_rows(con, prep: Prepared, sid: int, note: str, actor: str, at: dt.datetime) -> None:
    """A stored file's figures, register rows, kept issues and remembered layout (in
    :func:`_store`'s transaction)."""
    _insert_frame(con, "observations", prep.observations, sid)
    _insert_frame(con, "awards", prep.awards, sid)
    _insert_frame(con, "registrations", prep.registrations, sid)
    issues = [i for i in prep.issues if i.severity in (WARNING, INFO)]
    if note:
        issues.append(Issue(WARNING, "older_version", note, prep.sheet))
    if issues:
        fields_ = ("severity", "code", "sheet", "cell", "key", "message")
        frame = pd.DataFrame([{f: getattr(i, f) for f in fields_} for i in issues])
        _insert_frame(con, "issues", frame, sid)
    if prep.layout_signature and prep.options.mapping:
        con.execute("DELETE FROM layouts WHERE signature = ?", [prep.layout_signature])
        con.execute(
            "INSERT INTO layouts VALUES (?, ?, ?, ?, ?)",
            [prep.layout_signature, json.dumps(prep.options.mapping, ensure_ascii=False), at, actor, prep.file_name],
        )


def _n_figures(prep: Prepared) -> int:
    if prep.file_kind == "report":
        return int(len(prep.observations))
    if prep.file_kind == "awards":
        return int(len(prep.awards))
    return int(len(prep.registrations))


def _layout_json(layout: TableLayout | None) -> str:
    if layout is None:
        return ""
    return json.dumps(
        {
            "header_rows": [r + 1 for r in layout.header_rows],
            "columns": [
                {
                    "col": c.letter,
                    "header": c.header,
                    "role": c.role,
                    "kind": c.kind,
                    "quarter": c.quarter,
                    "vintage": c.vintage,
                    "subject": c.subject,
                }
                for c in layout.columns
                if c.header or c.role != "unknown"
            ],
        },
        ensure_ascii=False,
    )


def _insert_frame(con, table: str, frame: pd.DataFrame, submission_id: int) -> None:
    """Insert a DataFrame into ``table`` by column name, with the submission id (one statement)."""
    if frame is None or frame.empty:
        return
    import pyarrow as pa

    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    arrow = arrow.add_column(0, "submission_id", pa.array([submission_id] * len(frame), type=pa.int64()))
    name = f"_frame_{table}"
    con.register(name, arrow)  # an Arrow table is scanned without copying (pandas strings are Arrow)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
    finally:
        con.unregister(name)


def log_refusal(con: duckdb.DuckDBPyConnection, prep: Prepared, actor: str) -> None:
    """Record that a file was refused (its sha256, name and reasons): nothing else is stored."""
    reasons = " | ".join(i.text() for i in prep.refusal_issues)[:4000]
    with write_lock:
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, 'refuse', ?, ?, ?)",
            [dt.datetime.now().replace(microsecond=0), actor, prep.sha256, prep.file_name, reasons],
        )


def ingest(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    actor: str,
    options: ImportOptions | None = None,
    cfg: Settings | None = None,
) -> tuple[Prepared, Committed]:
    """:func:`prepare` then :func:`commit`: what the command line's ``ingest`` does per file.

    :raises kpi.errors.FileRefused: see :func:`commit`.
    """
    prep = prepare(con, data, file_name, options, cfg)
    if prep.existing_id is not None and not prep.refused:
        return prep, Committed(
            prep.existing_id,
            "duplicate",
            f"Tệp «{prep.file_name}» đã có (lần tải #{prep.existing_id}); không thay đổi gì.",
        )
    return prep, commit(con, prep, data, actor, cfg)


def ingest_path(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    actor: str,
    options: ImportOptions | None = None,
    cfg: Settings | None = None,
) -> tuple[Prepared, Committed]:
    """:func:`ingest` of a file on disk (the command line). A file over the size limit is refused
    from its size alone — never read into memory: its sha256 is computed in 1 MiB steps and the
    refusal logged with it.

    :raises OSError: the file cannot be read. :raises kpi.errors.FileRefused: see :func:`commit`.
    """
    from kpi.errors import FileRefused, UnreadableFile
    from kpi.reading.workbook import check_size

    cfg = cfg or Settings()
    path = Path(path)
    with open(path, "rb") as fh:
        size = path.stat().st_size
        try:
            check_size(size, cfg)
            data = fh.read(cfg.max_upload_bytes + 1)
            check_size(len(data), cfg)  # the file grew since it was measured
        except UnreadableFile as exc:
            digest = hashlib.sha256()
            fh.seek(0)
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
            prep = Prepared(
                file_name=clean_file_name(path.name),
                sha256=digest.hexdigest(),
                size=size,
                options=options or ImportOptions(),
            )
            prep.issues.append(Issue(ERROR, f"unreadable_{exc.cause}", exc.message_vi))
            log_refusal(con, prep, actor)
            raise FileRefused(prep.file_name, prep.refusal_issues) from None
    return ingest(con, data, path.name, actor, options, cfg)
