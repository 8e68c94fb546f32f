"""The documents a report says it replaces («(thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)»,
:class:`kpi.reading.report_context.Cited` with ``replaces``), kept with the report (table
``replaced_documents``, schema version 2), and the stored reports they are.

A quoted document is a stored report of the same number and date (:func:`kpi.domain.documents.same_document`).
It is *the one replaced* when it is also of the same unit and period — the same series (kind,
sender, subject, year, quarter: :func:`kpi.domain.rules.series_key`): that is what the preview
looks up (:mod:`kpi.ingest_replaced`), what the supersede decision follows
(:func:`kpi.ingest_history.decide`: a correction replaces what it names, the original sent again
never replaces its correction back) and what the Dữ liệu page's history says
(:func:`history_lines`). The link is worked out when asked, never stored as an id: a correction
may arrive before its original is loaded, and the original loaded later is linked then.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import duckdb
import pandas as pd

from kpi.domain.documents import number_key, same_document
from kpi.domain.rules import same_series_sql, series_where_sql
from kpi.file_names import clean_file_name
from kpi.vn import format_date

__all__ = [
    "StoredReport",
    "Links",
    "document_words",
    "insert_replaced",
    "reports_numbered",
    "stored_reports",
    "series_links",
    "replaced_through",
    "history_lines",
]


class StoredReport(NamedTuple):
    """A stored report as a quoted document is compared with it and named to the clerk."""

    submission_id: int
    file_name: str
    uploaded_at: dt.datetime | None
    sender: str
    subject: str
    year: int | None
    quarter: int | None
    doc_number: str
    doc_date: dt.date | None
    status: str

    @property
    def named(self) -> str:
        """ "tệp «bao-cao-q1.xlsx», lưu ngày 07/12/2026, lần tải #1" — the file as the Dữ liệu page
        lists it, the day it was saved, its number last."""
        day = f", lưu ngày {pd.Timestamp(self.uploaded_at):%d/%m/%Y}" if self.uploaded_at is not None else ""
        return f"tệp «{clean_file_name(self.file_name)}»{day}, lần tải #{self.submission_id}"

    @property
    def own_words(self) -> str:
        """The report by its own number and date: «báo cáo số 52/BC-TCKH ngày 22/04/2024»."""
        return document_words("báo cáo", self.doc_number, self.doc_date)


#: The columns of :class:`StoredReport`, from ``submissions`` aliased ``s``.
REPORT_COLUMNS = (
    "s.submission_id, s.file_name, s.uploaded_at, s.sender, s.subject, s.year, s.quarter, s.doc_number, s.doc_date,"
    " s.status"
)


def _report(row) -> StoredReport:
    """A row of :data:`REPORT_COLUMNS` as a :class:`StoredReport` (no sender, subject or number is "")."""
    sid, name, at, sender, subject, year, quarter, number, date, status = row[:10]
    return StoredReport(sid, name, at, sender or "", subject or "", year, quarter, number or "", date, status)


def document_words(kind: str, number: object, date: dt.date | None) -> str:
    """A document in words: «báo cáo số 45/BC-TCKH ngày 08/04/2024»; without a number «báo cáo
    ngày …»; without either «báo cáo không ghi số, không ghi ngày»."""
    number = str(number or "").strip()
    if number and date:
        return f"{kind} số {number} ngày {format_date(date)}"
    if number:
        return f"{kind} số {number}"
    return f"{kind} ngày {format_date(date)}" if date else f"{kind} không ghi số, không ghi ngày"


def insert_replaced(con: duckdb.DuckDBPyConnection, submission_id: int, sheet: str, replaced) -> None:
    """Keep the documents a stored report says it replaces (``replaced``: its
    :class:`~kpi.reading.report_context.Cited`), in :func:`kpi.ingest.commit`'s transaction."""
    rows = [[submission_id, c.kind, c.number, c.date, c.words, c.line, sheet, c.cell] for c in replaced]
    if rows:  # one statement (as the audit rows): the shared store takes it as one write
        con.execute(
            "INSERT INTO replaced_documents (submission_id, kind, doc_number, doc_date, words, line, sheet, cell)"
            " VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
            [v for row in rows for v in row],
        )


def _lead(number: object) -> str:
    """The number's leading digits («45» of «45/BC-TCKH»): the stored numbers compared are those
    that start with them."""
    m = re.match(r"\d+", number_key(number))
    return m.group(0) if m else ""


def reports_numbered(
    con: duckdb.DuckDBPyConnection, number: str, date: dt.date | None, year: int | None
) -> list[StoredReport]:
    """The stored reports (every status, every unit and period) whose own number and date are
    ``number`` and ``date`` (:func:`kpi.domain.documents.same_document`), in upload order. A quote
    without a date, or a report stored without one, is matched by its number within ``year`` only
    (numbers start again each year)."""
    lead = _lead(number)
    if not lead:
        return []
    rows = con.execute(
        f"SELECT {REPORT_COLUMNS} FROM submissions s WHERE s.file_kind = 'report'"
        " AND regexp_extract(trim(s.doc_number), '^[0-9]+') = ? ORDER BY s.seq",
        [lead],
    ).fetchall()
    found = [_report(r) for r in rows]
    return [
        s
        for s in found
        if same_document(number, date, s.doc_number, s.doc_date)
        and ((date is not None and s.doc_date is not None) or s.year == year)
    ]


def stored_reports(con: duckdb.DuckDBPyConnection, ids) -> list[StoredReport]:
    """The stored reports of ``ids``, in upload order."""
    ids = [int(i) for i in ids]
    if not ids:
        return []
    rows = con.execute(
        f"SELECT {REPORT_COLUMNS} FROM submissions s WHERE list_contains(?, s.submission_id) ORDER BY s.seq", [ids]
    ).fetchall()
    return [_report(r) for r in rows]


class Links(NamedTuple):
    """How a file is linked to the versions of its series (:func:`series_links`).

    :ivar over: the versions it says it replaces (ids).
    :ivar under: the versions that say they replace it — its own number and date — ``{id: the
        version}``: the original sent again after its correction.
    """

    over: frozenset[int] = frozenset()
    under: dict[int, StoredReport] = {}


def series_links(con: duckdb.DuckDBPyConnection, series: tuple, own_number: str, own_date, replaced) -> Links:
    """:class:`Links` of a file of the series ``series`` (:func:`kpi.domain.rules.series_key`'s
    values), whose own number and date are ``own_number`` and ``own_date`` and which says it
    replaces ``replaced`` (:class:`~kpi.reading.report_context.Cited`), among the stored versions
    of that series (every status; :func:`kpi.ingest_history.decide` looks at those in use).

    Each chain is followed to its end (:func:`_reach`): a correction C that replaces B, which
    replaced A, replaces A too, and A sent again is replaced by C — not only by B, which is no
    longer in use (a black-box finding: A sent again outranked C on its date)."""
    if series[0] != "report":
        return Links()
    rows = con.execute(
        f"SELECT {REPORT_COLUMNS}, r.doc_number, r.doc_date FROM submissions s"
        f" LEFT JOIN replaced_documents r USING (submission_id) WHERE {series_where_sql('s')}",
        list(series),
    ).fetchall()
    versions, replaces = _chains(rows)
    over = _reach(_named(versions, [(c.number, c.date) for c in replaced]), replaces)
    first = {
        i for i, quoted in _quotes(rows).items() if any(same_document(n, d, own_number, own_date) for n, d in quoted)
    }
    replaced_by = {i: {j for j, theirs in replaces.items() if i in theirs} for i in versions}
    under = _reach(first, replaced_by) - over
    return Links(frozenset(over), {i: versions[i] for i in under})


def replaced_through(con: duckdb.DuckDBPyConnection, ids) -> set[int]:
    """The stored versions that the reports ``ids`` replace, directly or through the versions those
    replace, to the chain's end (each within its series): what a correction naming C replaces when
    C replaced B, which replaced A."""
    ids = [int(i) for i in ids]
    if not ids:
        return set()
    rows = con.execute(
        f"SELECT DISTINCT {REPORT_COLUMNS}, r.doc_number, r.doc_date FROM submissions s JOIN submissions me"
        f" ON {same_series_sql('s', 'me')} LEFT JOIN replaced_documents r ON r.submission_id = s.submission_id"
        " WHERE list_contains(?, me.submission_id)",
        [ids],
    ).fetchall()
    _versions, replaces = _chains(rows)
    return _reach({j for i in ids for j in replaces.get(i, ())}, replaces)


def _quotes(rows) -> dict[int, list[tuple]]:
    """``{id: [(number, date) quoted as replaced]}`` of rows of :data:`REPORT_COLUMNS` + a quote."""
    quotes: dict[int, list[tuple]] = {}
    for row in rows:
        if row[10]:
            quotes.setdefault(row[0], []).append((row[10], row[11]))
    return quotes


def _named(versions: dict[int, StoredReport], quoted) -> set[int]:
    """The versions whose own number and date are among ``quoted`` ``[(number, date)]``."""
    return {i for i, v in versions.items() if any(same_document(n, d, v.doc_number, v.doc_date) for n, d in quoted)}


def _chains(rows) -> tuple[dict[int, StoredReport], dict[int, set[int]]]:
    """The versions of ``rows`` (:data:`REPORT_COLUMNS` and a quoted number and date) and, for
    each, the versions it says it replaces (never itself)."""
    versions = {row[0]: _report(row) for row in rows}
    quotes = _quotes(rows)
    return versions, {i: _named(versions, quotes.get(i, [])) - {i} for i in versions}


def _reach(start: set[int], edges: dict[int, set[int]]) -> set[int]:
    """``start`` and every version reached from it along ``edges``, each once: a cycle (A says it
    replaces B, B says it replaces A) ends where it began."""
    seen, todo = set(), list(start)
    while todo:
        i = todo.pop()
        if i not in seen:
            seen.add(i)
            todo.extend(edges.get(i, ()))
    return seen


def history_lines(con: duckdb.DuckDBPyConnection, submission_id: int) -> list[tuple[str, str]]:
    """What the Dữ liệu page's history says of a stored report's links, ``(label, text)``:
    ``("Thay thế", "báo cáo số 45/BC-TCKH ngày 08/04/2024 — tệp «…», lưu ngày …, lần tải #1")`` for
    each document it says it replaces, with the stored report of its unit and period that is it (or
    that none is stored); ``("Được thay bởi", …)`` for each stored report of its unit and period
    that says it replaces this one (by its own number and date)."""
    me = con.execute(
        f"SELECT {REPORT_COLUMNS} FROM submissions s WHERE s.submission_id = ?", [submission_id]
    ).fetchone()
    if me is None:
        return []
    me = _report(me)
    quoted = con.execute(
        "SELECT kind, doc_number, doc_date FROM replaced_documents WHERE submission_id = ? ORDER BY rowid",
        [submission_id],
    ).fetchall()
    rows = con.execute(
        f"SELECT {REPORT_COLUMNS}, r.doc_number, r.doc_date FROM submissions s JOIN submissions me"
        f" ON {same_series_sql('s', 'me')} LEFT JOIN replaced_documents r ON r.submission_id = s.submission_id"
        " WHERE me.submission_id = ? AND s.submission_id <> me.submission_id ORDER BY s.seq",
        [submission_id],
    ).fetchall()
    versions = {r[0]: _report(r) for r in rows}
    lines = []
    for kind, number, date in quoted:
        found = [v for v in versions.values() if same_document(number, date, v.doc_number, v.doc_date)]
        where = "; ".join(_stored_words(v) for v in found) or "chưa có trong các báo cáo đã lưu của đơn vị và kỳ này"
        lines.append(("Thay thế", f"{document_words(kind or 'báo cáo', number, date)} — {where}"))
    by = {r[0] for r in rows if r[10] and same_document(r[10], r[11], me.doc_number, me.doc_date)}
    lines += [("Được thay bởi", f"{versions[i].own_words} — {_stored_words(versions[i])}") for i in sorted(by)]
    return lines


def _stored_words(version: StoredReport) -> str:
    """A stored report named in the history: its file, and its state when it is not in use."""
    state = {"withdrawn": " (đã rút)", "superseded": " (đã được thay)"}.get(version.status, "")
    return version.named + state
