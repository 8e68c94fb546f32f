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
kind, sender, subject, year and period — unless its document date is earlier (an undated version
ranks below any dated one; among equals the later upload wins; what a file says it replaces comes
first); an older version loaded late is kept as history with a warning and changes nothing.

The steps live beside it, one layer down: :mod:`kpi.ingest_sheets` (which sheet holds what),
:mod:`kpi.ingest_history` (the checks against stored figures, the supersede decision),
:mod:`kpi.ingest_replaced` (the report a file says it replaces, looked up) and
:mod:`kpi.ingest_rows` (the rows a commit writes); this module re-exports what callers use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from kpi.config import Settings
from kpi.domain.plan import Catalogue
from kpi.errors import KpiError, NotFound, UnreadableFile, database_damage
from kpi.file_names import clean_file_name
from kpi.ingest_history import (
    ASKED_TOGETHER,
    Effect,
    check_against_history,
    decide,
    links_of,
    planned_effect,
    series_clause,
    settle_correction,
    stored_beside,
)
from kpi.ingest_registers import RegisterScope, settle_register_scope
from kpi.ingest_replaced import settle_replaced
from kpi.ingest_rows import insert_rows, insert_submission, log_refusal
from kpi.ingest_sheets import explain_nothing_read, mapping_help, read_best_sheet, remembered_mapping
from kpi.reading.checks import (
    DECISIONS,
    ERROR,
    WARNING,
    Issue,
    check_figures,
    fractions_as_percent,
    thousandfold_divided,
)
from kpi.reading.layout import TableLayout, vocabulary
from kpi.reading.notes import refusal
from kpi.reading.registers import AWARD_COLUMNS, REGISTRATION_COLUMNS
from kpi.reading.report_sheets import OBSERVATION_COLUMNS, ImportOptions
from kpi.storage.catalogue import load_catalogue, plan_years_in_db
from kpi.storage.database import archive_raw, bump_version, journal_commit, scalar, sha256_of, transaction, write_lock
from kpi.storage.figures import upload_words, uploads_named
from kpi.storage.lake import retrying
from kpi.storage.store import claim, next_seq, next_submission_id

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
    "check_against_history",
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
        (for the user to say which column holds what); left empty when prepared for the command
        line (``prepare(…, mapping_form=False)``), which has no such form.
    :ivar suggestions: per previewed sheet, a first guess of its layout: a report's (``{}`` when
        it names no indicator) or a register's («register» set: :func:`~kpi.ingest_sheets.mapping_help`).
    :ivar layout_signature: set when the table was read through a user's mapping.
    :ivar part: a register's part: "" for the main list of its year, a supplementary list's label
        ("bổ sung", "đợt 2") — its own series (:mod:`kpi.ingest_registers`).
    :ivar register_scope: what saving a register does to the lists in use
        (:class:`kpi.ingest_registers.RegisterScope`), ``None`` for a report or a refused register.
    :ivar correction_gaps: a report replacing the version in use: the figures of that version it
        lacks (:func:`kpi.ingest_history.correction_gaps`, tuples key, subject, quarter, kind,
        value, submission id); a non-empty list holds the file until ``options.correction`` is set.
    :ivar near_rows: a report's rows (1-based sheet row numbers) outside the plan but named near
        one of its indicators (:func:`kpi.reading.file_kind.review_unmatched`): they hold the file
        for the clerk's «Đây là: …»; the other rows outside the plan are simply not stored.
    :ivar replaced: the documents a report says it replaces (:class:`kpi.reading.report_context.Cited`),
        stored with it; ``replaced_checks`` each looked up (:class:`kpi.ingest_replaced.ReplacedCheck`).
    :ivar effect_seen: (data version, :func:`planned_effect`) kept by :func:`kpi.preview.preview_effect`.
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
    part: str = ""
    register_scope: RegisterScope | None = None
    correction_gaps: list = field(default_factory=list)
    near_rows: tuple[int, ...] = ()
    replaced: list = field(default_factory=list)
    replaced_checks: list = field(default_factory=list)
    effect_seen: tuple | None = field(default=None, repr=False, compare=False)

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

    @property
    def awaiting_decision(self) -> bool:
        """Refused as it stands, but only for what a choice of the user lifts (:attr:`held`): not
        yet refused for good, so it is said "waiting for you" and its refusal is not logged."""
        return self.refused and all(i.severity == ERROR and i.code in DECISIONS for i in self.refusal_issues)

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
    *,
    mapping_form: bool = True,
) -> Prepared:
    """Read and check one file without storing anything.

    :param data: the file's bytes (``UploadedFile.getvalue()``, ``Path.read_bytes()``).
    :param options: period, subject, sheet… chosen by the user (see :class:`ImportOptions`).
    :param mapping_form: when no table was recognised, fill ``previews`` and ``suggestions`` for
        the upload page's mapping form; the command line, which has no such form, passes
        ``False`` and does not pay for them (the refusal itself is the same).
    :returns: a :class:`Prepared`; ``refused`` tells whether :func:`commit` would refuse it.
        Unreadable files come back refused with the reader's message as their only issue. A fault
        of ours met while reading a file (a bug, not the file's) also comes back as a refusal,
        ``internal_error``, with the traceback in the server's log: a file is never half-read into
        the database and the clerk gets a message, not Streamlit's red box.
    :raises NotFound: the database holds no plan at all.
    :raises kpi.errors.DatabaseCorrupt: a damaged block of the database was met while checking.

    ``file_name`` is cleaned here, at the boundary (:func:`kpi.file_names.clean_file_name`: no control or
    bidirectional characters, NUL marked, length limited): ``Prepared.file_name`` is the name
    stored, logged and shown.
    """
    file_name = clean_file_name(file_name)
    try:
        return _prepare(con, data, file_name, options, cfg, mapping_form)
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


def _prepare(
    con, data: bytes, file_name: str, options: ImportOptions | None, cfg: Settings | None, mapping_form: bool = True
) -> Prepared:
    """The steps of :func:`prepare`: open the workbook → read the best sheet (again through a
    remembered mapping, or with the plan of the file's own year) → check the figures → help with a
    mapping → say why nothing was read."""
    cfg = cfg or Settings()
    prep, years, wb = _open_workbook(con, data, file_name, options or ImportOptions(), cfg)
    if wb is None:
        return prep
    vocab = vocabulary(cfg.data_dir)
    catalogue = _read_sheets(con, prep, wb, years, vocab)
    if prep.file_kind == "report":
        _check_report(con, prep, catalogue, cfg)
    else:
        settle_register_scope(con, prep, catalogue, planned_effect)
    mapping_help(prep, wb, catalogue, vocab, previews=mapping_form)
    explain_nothing_read(prep, wb, catalogue)
    return prep


def _open_workbook(con, data: bytes, file_name: str, options: ImportOptions, cfg: Settings):
    """``(prep, the plan years stored, the workbook)``: ``prep`` knows the file's sha256, whether
    it is stored already, its format, the reader's notes and its sheets; the workbook is ``None``
    when the file cannot be read (``prep`` then holds the reader's refusal)."""
    from kpi.reading.worker import read_workbook_safely

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
        return prep, years or [], None
    prep.file_format = wb.format
    prep.notes.extend(wb.notes)
    prep.sheet_names = [s.name for s in wb.sheets]
    return prep, years or [], wb


def _read_sheets(con, prep: Prepared, wb, years: list[int], vocab) -> Catalogue:
    """Read the best sheet (:func:`kpi.ingest_sheets.read_best_sheet`) with the plan of the year
    asked for (or the latest); when nothing was read, again through a remembered mapping of the
    same layout; when a report is of another year with a plan, again with that year's plan.

    :returns: the plan the figures were matched to.
    """
    options = prep.options
    year_hint = options.year or (options.period_parts[0] if options.period_parts else None)
    catalogue = _catalogue_for(con, year_hint, years)
    read_best_sheet(prep, wb, catalogue, vocab, options)
    if prep.file_kind is None and not options.mapping:
        remembered = remembered_mapping(con, wb)
        if remembered is not None:
            sheet_name, mapping, example = remembered
            options = replace(options, mapping=mapping, sheet=sheet_name)
            prep.options = options
            prep.issues.clear()
            read_best_sheet(prep, wb, catalogue, vocab, options)
            prep.notes.append(f"Đọc theo bố cục đã khai báo trước đây cho mẫu biểu này (lần đầu với tệp «{example}»).")
    if prep.file_kind == "report" and prep.year and prep.year != catalogue.year and prep.year in years:
        prep.issues.clear()
        prep.inferred.clear()
        prep.notes = list(wb.notes)
        catalogue = load_catalogue(con, prep.year)
        read_best_sheet(prep, wb, catalogue, vocab, options)
    return catalogue


def _check_report(con, prep: Prepared, catalogue: Catalogue, cfg: Settings) -> None:
    """Every figure's rule (:func:`kpi.reading.checks.check_figures`) even when another cell is
    already refused — the clerk fixes the file once —, and the checks against the stored figures
    (:func:`kpi.ingest_history.check_against_history`) when nothing is refused yet."""
    # a hold whose answer changes no figure's presence does not stop the later questions: the
    # clerk answers them all in one pass (kpi.ingest_history.ASKED_TOGETHER)
    errors_before = any(DECISIONS.get(e.code) not in ASKED_TOGETHER for e in prep.errors)
    ways = set((prep.options.scale or "").split("+"))  # "fraction+divide_1000": both, each where it applies
    if "fraction" in ways:  # the clerk's choice: a share's fractions × 100
        prep.observations = fractions_as_percent(prep.observations, catalogue)
    if "divide_1000" in ways:  # the clerk's choice: written in a unit 1000× smaller
        prep.observations = thousandfold_divided(prep.observations, catalogue)
    prep.issues.extend(check_figures(prep.observations, catalogue, prep.sheet, cfg.data_dir, prep.options.scale))
    if not errors_before:
        # figures held for their scale are 1000× or 100× off until the clerk decides (choosing
        # re-reads the file): summed with the stored ones they gave «… là 370.530,0» (black-box)
        if not any(DECISIONS.get(e.code) == "scale" for e in prep.errors):
            prep.issues.extend(check_against_history(con, prep, catalogue))
        settle_correction(con, prep, catalogue)
        settle_replaced(con, prep, planned_effect(con, prep))


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

    cfg = cfg or Settings()
    require(con, actor, "upload")
    if prep.refused:
        refused = refusal(prep.file_name, prep.refusal_issues, prep.awaiting_decision)
        log_refusal(con, prep, actor, refused.said)
        raise refused
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        stored = retrying(lambda: _store(con, prep, data, actor, cfg, at, log))
        if isinstance(stored, Committed):
            return stored  # the same bytes were there already (maybe stored by another server meanwhile)
        sid, status, superseded, note, options_json, alongside = stored
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
            previous = "báo cáo trước" if prep.file_kind == "report" else "danh sách trước"
            message += f", thay cho bản trước {_named(con, superseded)} — đã điều chỉnh so với {previous}"
            if prep.correction_gaps:
                message += (
                    f"; thay cả bản đang dùng: {len(prep.correction_gaps)} số không có trong tệp này không còn "
                    "được dùng (vẫn giữ trong lịch sử)"
                )
        elif alongside and any(i.code == "another_document_alongside" for i in prep.issues):
            message += f", lưu bên cạnh {_named(con, alongside)} (văn bản khác của cùng cơ quan và kỳ, không thay)"
        elif alongside:
            message += (
                f", chỉ điều chỉnh các số có trong tệp: các số khác vẫn lấy từ bản đang dùng {_named(con, alongside)}"
            )
        elif prep.part and prep.register_scope is not None and prep.register_scope.in_use:
            message += f", danh sách bổ sung: tính cùng danh sách đang dùng {_named(con, prep.register_scope.in_use)}"
        message += "."
    else:
        message = f"Đã lưu «{prep.file_name}» (lần tải #{sid}) vào lịch sử. {note}"
    return Committed(sid, status, message, tuple(superseded))


def _named(con, ids) -> str:
    """Stored uploads in words, as every message names them (:func:`kpi.storage.figures.upload_words`)."""
    return "; ".join(uploads_named(con, ids).values())


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

    :returns: ``(submission id, status, superseded ids, note, options as JSON, the ids it is stored
        beside: a partial correction's versions in use)``.
    """
    with transaction(con):
        existing = scalar(con, "SELECT min(submission_id) FROM submissions WHERE sha256 = ?", [prep.sha256])
        if existing is not None:
            return Committed(
                existing, "duplicate", f"Tệp «{prep.file_name}» đã có: {_named(con, [existing])}; không thay đổi gì."
            )
        claim(con, ("sha256", prep.sha256), ("series", _series_key(prep)))
        seq, sid = next_seq(con), next_submission_id(con)
        archive_raw(cfg.raw_dir, data, prep.sha256)
        series_sql, params = series_clause(prep)
        active = con.execute(
            f"SELECT submission_id, doc_date, seq FROM submissions WHERE status = 'active' AND {series_sql}", params
        ).fetchall()
        named, links = uploads_named(con, [r[0] for r in active]), links_of(con, prep)
        effect = decide(prep, active, seq, named, links)
        if effect.replaces and stored_beside(con, prep, effect.replaces):  # one saved just before, same batch
            effect = decide(prep, active, seq, named, links)
        status, superseded = effect.status, list(effect.replaces)
        note = effect.message if status == "superseded" else ""
        for old_id in superseded:
            con.execute(
                "UPDATE submissions SET status = 'superseded', status_note = ? WHERE submission_id = ?",
                [f"Được thay bằng {upload_words(prep.file_name, at, sid)}", old_id],
            )
        stored_options = prep.options.as_dict() | ({"part": prep.part} if prep.part else {})
        options_json = json.dumps(stored_options, ensure_ascii=False, sort_keys=True)
        insert_submission(con, prep, sid, seq, status, note, options_json, actor, at)
        insert_rows(con, prep, sid, note, actor, at)
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
        bump_version(con, figures_of=[sid, *superseded])
    return sid, status, superseded, note, options_json, effect.alongside


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
    prep = prepare(con, data, file_name, options, cfg, mapping_form=False)
    if prep.existing_id is not None and not prep.refused:
        return prep, Committed(
            prep.existing_id,
            "duplicate",
            f"Tệp «{prep.file_name}» đã có: {_named(con, [prep.existing_id])}; không thay đổi gì.",
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
    from kpi.errors import UnreadableFile
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
            refused = refusal(prep.file_name, prep.refusal_issues, prep.awaiting_decision)
            log_refusal(con, prep, actor, refused.said)
            raise refused from None
    return ingest(con, data, path.name, actor, options, cfg)
