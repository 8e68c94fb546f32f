"""The current figures: the winning stored figure of every series, kept as a table.

Which stored figure of a series (subject, indicator, period, kind; :data:`kpi.domain.rules.FIGURE_SERIES`)
is the current one is decided by :func:`kpi.domain.rules.winner_number_sql` over the active
reports (:data:`WINNERS_SQL`). Answering that with a window function over every stored figure costs
a few milliseconds of DuckDB's fixed cost per question, and the overview asks it on every first view
of a data version (issue 17: "district attainment cold ≤ 10 ms"). So the answer is also kept as the
table ``current_figures``, rewritten in the same transaction as every write that changes a figure
(:func:`refresh`, called by :func:`kpi.storage.database.bump_version`) — never by a reader.

**Freshness.** ``meta.current_figures_version`` holds the data version the table was written at.
A reader uses the table only when it equals ``meta.data_version`` (:func:`fresh`); anything that
bumps the data version without refreshing, a file of an older release (no table, no key) or a
half-known state falls back to :data:`WINNERS_SQL` itself: slower, never wrong. On the shared store
(DuckLake) the data version is the lake's snapshot id, which a transaction cannot know before it
commits, so the table is not kept there and readers always take the live query.

Pure SQL over a connection: this module imports nothing of :mod:`kpi.storage` (the database
module calls it).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from kpi.domain.rules import winner_number_sql

__all__ = ["SCHEMA", "WINNERS_SQL", "KEPT_AT", "fresh", "refresh", "is_fresh"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS current_figures (
    key VARCHAR, subject VARCHAR, year INTEGER, quarter INTEGER, kind VARCHAR, vintage VARCHAR,
    value DOUBLE, written VARCHAR, written_unit VARCHAR, sheet VARCHAR, cell VARCHAR,
    row_label VARCHAR, column_label VARCHAR, note VARCHAR, submission_id BIGINT, file_name VARCHAR,
    sender VARCHAR, doc_date DATE, doc_number VARCHAR, uploaded_at TIMESTAMP, uploaded_by VARCHAR,
    seq BIGINT, report_quarter INTEGER)
"""

#: The winner of each figure's series among the active reports' figures; ``{where}`` takes the
#: caller's filters on ``o`` (observations) and ``s`` (submissions), starting with ``AND``.
WINNERS_SQL = f"""
SELECT * EXCLUDE (rn) FROM (
    SELECT o.key, o.subject, o.year, o.quarter, o.kind, o.vintage, o.value, o.written, o.written_unit,
           o.sheet, o.cell, o.row_label, o.column_label, o.note,
           s.submission_id, s.file_name, s.sender, s.doc_date, s.doc_number, s.uploaded_at,
           s.uploaded_by, s.seq, s.quarter AS report_quarter,
           {winner_number_sql("o", "s")} AS rn
    FROM observations o JOIN submissions s USING (submission_id)
    WHERE s.status = 'active' AND s.file_kind = 'report' {{where}}
) WHERE rn = 1
"""

#: The ``meta`` key holding the data version the table was written at.
KEPT_AT = "current_figures_version"

_MARK_SQL = f"""
INSERT OR REPLACE INTO meta SELECT '{KEPT_AT}', value FROM meta WHERE key = 'data_version'
"""


def fresh(kept_at: str | None, data_version: str | None) -> bool:
    """The freshness rule: the table is of the data version it was written at (both as ``meta``
    stores them, text); a missing key is never fresh."""
    return kept_at is not None and kept_at == data_version


_VERSIONS_SQL = f"SELECT max(value) FILTER (key = '{KEPT_AT}'), max(value) FILTER (key = 'data_version') FROM meta"
#: The (year, subject) pairs of some submissions' figures: a series never spans two.
_PAIRS = "SELECT DISTINCT year, subject FROM observations WHERE list_contains(?, submission_id)"
_FILL_ALL_SQL = "INSERT INTO current_figures " + WINNERS_SQL.format(where="")
_DELETE_PAIRS_SQL = f"DELETE FROM current_figures WHERE (year, subject) IN ({_PAIRS})"
_FILL_PAIRS_SQL = "INSERT INTO current_figures " + WINNERS_SQL.format(where=f"AND (o.year, o.subject) IN ({_PAIRS})")


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``current_figures`` holds the current data version's figures (:func:`fresh`)."""
    kept_at, version = con.execute(_VERSIONS_SQL).fetchall()[0]
    return fresh(kept_at, version)


def refresh(con: duckdb.DuckDBPyConnection, submission_ids: Iterable[int] | None, was_fresh: bool) -> None:
    """Rewrite ``current_figures`` inside the caller's transaction, after it bumped the data
    version, and mark it as of that version.

    :param submission_ids: the submissions whose status or figures the transaction changed: only
        the (year, subject) pairs of their figures are rewritten (a series never spans two); an empty
        list when no figure changed (a target, a unit, an audit row); ``None`` when unknown: all.
    :param was_fresh: whether the table was fresh before this transaction's bump; if not, it is
        rewritten whole whatever ``submission_ids`` says.
    """
    ids = None if submission_ids is None else sorted({int(i) for i in submission_ids})
    if ids is None or not was_fresh:
        con.execute("DELETE FROM current_figures")
        con.execute(_FILL_ALL_SQL)
    elif ids:
        con.execute(_DELETE_PAIRS_SQL, [ids])
        con.execute(_FILL_PAIRS_SQL, [ids])
    con.execute(_MARK_SQL)
