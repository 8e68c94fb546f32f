"""Reading stored figures back: the current figure of each subject, indicator, period and kind,
with where it came from (the award registers as counted: :mod:`kpi.storage.awards`); registrations counted; submissions and their history.

What a file said is stored as it said it (design.md, "Storage"); everything derived — a flow's
quarter amount from two years to date, a district sum — is derived here, when answering, so the
order of loading never matters. Where two active submissions give a figure for the same subject,
period, indicator and kind, the better vintage wins, then the dated document, the later document
date, then the later upload (the rules and their SQL: :mod:`kpi.domain.rules`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pandas as pd

from kpi.domain.plan import Catalogue
from kpi.domain.quarters import quarter_amount_stands
from kpi.domain.rules import (
    quarter_path,
    same_series_sql,
    version_key_sql,
    version_order_sql,
    vintage_of_rank,
    vintage_rank_sql,
)
from kpi.file_names import clean_file_name
from kpi.storage import current
from kpi.storage.catalogue import load_catalogue, plan_years_in_db
from kpi.storage.database import scalar
from kpi.vn import to_decimal

__all__ = [
    "current_figures",
    "current_figure_records",
    "district_figure_records",
    "figure_subjects",
    "subjects_text",
    "last_year_path",
    "as_of_quarter",
    "latest_quarter",
    "PERIOD_KINDS",
    "register_loaded",
    "registered_units",
    "submissions",
    "upload_words",
    "uploads_named",
    "figure_history",
    "issues_of",
    "submission_changes",
]

#: The winning stored figure of each series, from the kept table when it is fresh, else worked out
#: (:mod:`kpi.storage.current`); ``{extra}`` takes the caller's filters on ``o``.
_KEPT_SQL = "SELECT * FROM current_figures o WHERE o.year = ? {extra}"
_ORDER = " ORDER BY key, subject, quarter, kind"


def current_figures(
    con: duckdb.DuckDBPyConnection,
    year: int,
    subject: str | None = None,
    max_quarter: int | None = None,
    keys: list[str] | None = None,
    fresh: bool | None = None,
) -> pd.DataFrame:
    """The winning stored figure per (subject, key, quarter, kind) of ``year``.

    :param subject: one reporting unit, or ``None`` for every subject.
    :param max_quarter: only figures of quarters ≤ this (``None``: all).
    :returns: DataFrame ``key`` str, ``subject`` str, ``year`` int, ``quarter`` int, ``kind`` str,
        ``vintage`` str, ``value`` float (the indicator's unit), ``written`` str, ``sheet`` str,
        ``cell`` str, ``row_label``, ``column_label``, ``note``, ``submission_id`` int,
        ``file_name`` str, ``sender`` str, ``doc_date`` date, ``uploaded_at`` timestamp,
        ``uploaded_by`` str, ``seq`` int, ``report_quarter`` int.
    :param fresh: whether the kept table is fresh (:func:`kpi.storage.current.is_fresh`), when the
        caller already knows; ``None``: asked here.
    """
    sql, params = _figures_query(con, year, subject, max_quarter, keys, fresh)
    return con.execute(sql, params).fetchdf()


def current_figure_records(
    con: duckdb.DuckDBPyConnection,
    year: int,
    subject: str | None = None,
    max_quarter: int | None = None,
    keys: list[str] | None = None,
    fresh: bool | None = None,
) -> list[dict]:
    """:func:`current_figures` as a list of dicts (same keys), without building a DataFrame: the
    overview judges 23 indicators from a few dozen figures, where pandas' construction alone
    cost more than the query."""
    sql, params = _figures_query(con, year, subject, max_quarter, keys, fresh)
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _figures_query(con, year: int, subject: str | None, max_quarter: int | None, keys: list[str] | None, fresh):
    extra, params = "", [year]
    if subject is not None:
        extra += " AND o.subject = ?"
        params.append(subject)
    if max_quarter is not None:
        extra += " AND o.quarter <= ?"
        params.append(max_quarter)
    if keys:
        extra += " AND list_contains(?, o.key)"
        params.append(list(keys))
    if fresh is None:
        fresh = current.is_fresh(con)
    if fresh:
        return _KEPT_SQL.format(extra=extra) + _ORDER, params
    return current.WINNERS_SQL.format(where="AND o.year = ?" + extra) + _ORDER, params


#: The units' current figures summed per key, quarter and kind (each unit's winning figure, as
#: :func:`current_figures` gives it), summed as DECIMAL so 30 units' 56,35 add up to exactly
#: 1.690,5 (a float sum gives 1690.4999…, which rounds half-up the wrong way); the vintage is the
#: weakest summed. ``{source}`` is the kept table or the winners worked out, with ``{where}``.
#: ``count(DISTINCT …)`` is avoided: it makes DuckDB split the plan (≈ 2.5 ms of a 9 ms query).
_UNIT_SUMS_SQL = f"""
SELECT key, quarter, kind, sum(CAST(value AS DECIMAL(38, 6))) AS value, count(*) AS units,
       list_has_all(list(o.subject), ?) AS every_commune,
       min({vintage_rank_sql("o.vintage")}) AS worst, max(uploaded_at) AS uploaded_at, max(doc_date) AS doc_date,
       len(list_distinct(list(submission_id))) AS files, min(file_name) AS file_name
FROM {{source}} o {{where}}
GROUP BY key, quarter, kind
"""
_UNIT_SUMS_WHERE = (
    "AND o.year = ? AND o.quarter <= ? AND o.subject <> ? AND o.kind IN ('quarter', 'ytd', 'year_estimate')"
    " AND list_contains(?, o.key) AND {communes}"
)
#: Above this many communes the filter on them is a hash semi-join: ``list_contains`` scans the
#: list for every figure (10,000 communes: 1,026 ms a cold report, against 158 ms), while for a
#: district's dozen it is cheaper than the join (8.2 ms against 9.3 ms; bench: attainment.*.cold).
_COMMUNES_SCANNED = 256


def _unit_sums_query(fresh: bool, communes: int) -> str:
    among = "list_contains(?, o.subject)" if communes <= _COMMUNES_SCANNED else "o.subject IN (SELECT unnest(?))"
    where = _UNIT_SUMS_WHERE.format(communes=among)
    if fresh:
        return _UNIT_SUMS_SQL.format(source="current_figures", where="WHERE TRUE " + where)
    return _UNIT_SUMS_SQL.format(source=f"({current.WINNERS_SQL.format(where=where)})", where="")


def district_figure_records(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    year: int,
    as_of: int,
    subject: str,
    fresh: bool | None = None,
) -> dict[str, list[dict]]:
    """The stored series of ``subject`` per key, quarters ≤ ``as_of``: :func:`current_figure_records`;
    for the district and ``across units = sum`` indicators, for each quarter without a figure of
    the district's own, the sum of the units' figures (never for a rate), summed inside DuckDB so a country's ten thousand
    communes never reach Python one by one (its vintage the weakest summed, its source "tổng của
    N đơn vị").

    Only the plan's communes (``units.csv``, kind ``commune``) are summed — an agency's own figure
    in a per-commune table is not a part of the district's total —, and a sum stands for the
    district only when it covers every commune: the sum of one commune's report was judged as the district's figure against
    the district's target (black-box finding: «tổng của 1 đơn vị», «Chậm tiến độ»). A sum that
    does not is kept as kind ``partial_sum`` (which no rule reads: the district has no figure for
    that period) with ``units`` (summed) and ``communes_owed`` set, so the pages can say what is missing.

    :param fresh: as :func:`current_figures`.
    :returns: ``{key: [record, …]}``, records as :func:`current_figure_records` gives them.
    """
    if fresh is None:
        fresh = current.is_fresh(con)
    out: dict[str, list[dict]] = {}
    for record in current_figure_records(con, year, subject=subject, max_quarter=as_of, fresh=fresh):
        out.setdefault(record["key"], []).append(record)
    if subject != catalogue.district_unit:
        return out
    sum_keys = [i.key for i in catalogue.indicators if i.across_units == "sum"]
    if not sum_keys:
        return out
    # the district's own figures win quarter by quarter: the communes' sum stands for a quarter it
    # has nothing of (black-box round 2: a full-year table of the twelve communes was never summed
    # because the district's own reports of Q1–Q3 were in; the year read «2.438,3 · Quý III/2024»)
    own = {(k, int(r["quarter"])) for k, records in out.items() for r in records}
    # the plan's communes, passed as a list: a semi-join on the units table cost 0.9 ms of a 10 ms
    # cold report (bench: attainment.district.cold); list_has_all is one hash check per group
    communes = catalogue.communes
    owed = len(communes)
    # only the communes are summed: an office's own figure (a per-commune table with a column for
    # «Phòng Y tế» beside the twelve communes) is not a part of the district's total
    sums = con.execute(_unit_sums_query(fresh, owed), [communes, year, as_of, subject, sum_keys, communes]).fetchall()
    for key, q, kind, value, units, every_commune, worst, uploaded_at, doc_date, files, first_file in sorted(sums):
        if (key, int(q)) in own:
            continue
        whole = owed > 0 and bool(every_commune)
        out.setdefault(key, []).append(
            {
                "key": key,
                "subject": subject,
                "quarter": int(q),
                "kind": kind if whole else "partial_sum",
                "units": int(units),
                "communes_owed": owed,
                "vintage": vintage_of_rank(int(worst)),
                "value": float(value),
                "file_name": first_file if files == 1 else f"{files} tệp báo cáo",
                "sheet": "",
                "cell": "",
                "sender": "",
                "note": f"tổng của {units} đơn vị",
                "uploaded_at": uploaded_at,
                "uploaded_by": "",
                "doc_date": doc_date,
                "submission_id": None,
            }
        )
    return out


def last_year_path(
    con: duckdb.DuckDBPyConnection, year: int, key: str, subject: str | None = None
) -> dict[int, Decimal]:
    """Last year's figure as of each quarter for indicator ``key`` of ``year``'s plan.

    From the previous year's stored figures (its plan must have ``key``; the previous year's
    district when ``subject`` is ``None``), each quarter's year figure by
    :func:`kpi.domain.rules.quarter_path`, completed by the ``last_year`` observations of this
    year's reports ("TH cùng kỳ" columns) for quarters the former lacks. A cut's baseline
    (:mod:`kpi.plans.source`) and the projection (:mod:`kpi.reporting.projection`) read it.

    :returns: ``{quarter: value}`` in the indicator's unit (empty when nothing is known).
    """
    out: dict[int, Decimal] = {}
    previous = year - 1
    years = plan_years_in_db(con)
    if previous in years:
        catalogue = load_catalogue(con, previous)
        if key in catalogue.by_key:
            own = subject or catalogue.district_unit
            figures = district_figure_records(con, catalogue, previous, 4, own).get(key, [])
            for q, figure in quarter_path(catalogue[key], figures, 4).items():
                out[q] = to_decimal(float(figure.value))
    this_year = load_catalogue(con, year) if year in years else None
    own_subject = subject or (this_year.district_unit if this_year is not None else None)
    if own_subject is not None:
        frame = current_figures(con, year, own_subject, keys=[key])
        frame = frame[frame["kind"] == "last_year"]
        for q, v in zip(frame["quarter"], frame["value"], strict=True):
            out.setdefault(int(q), to_decimal(float(v)))
    return dict(sorted(out.items()))


#: The kinds of figure that make a period one "with figures" (a report's own period): not a
#: ``last_year`` or ``plan`` column, nor a ``partial_sum`` (the district has no figure then).
PERIOD_KINDS = ("quarter", "ytd", "year_estimate")


def latest_quarter(records: dict[str, list[dict]]) -> int | None:
    """The latest quarter with a figure among one subject's :func:`district_figure_records` — the
    period the pages, the print view, the downloads and ``kpi report`` judge by default («Mới nhất
    có số liệu»). Of that subject only: a commune's six-month report moved the district's period to
    «Quý II» while every district card still showed Quý I (black-box round 8); the district's
    own figures or the sum of all its communes count, a sum of some of them does not."""
    return max(
        (int(r["quarter"]) for rows in records.values() for r in rows if r["kind"] in PERIOD_KINDS), default=None
    )


def as_of_quarter(
    con: duckdb.DuckDBPyConnection, year: int, subject: str | None = None, catalogue: Catalogue | None = None
) -> int | None:
    """:func:`latest_quarter` of ``subject`` (the district by default) in ``year``; ``None``
    without a plan for ``year`` or without a figure."""
    if catalogue is None:
        if year not in plan_years_in_db(con):
            return None
        catalogue = load_catalogue(con, year)
    subject = subject or catalogue.district_unit
    return latest_quarter(district_figure_records(con, catalogue, year, 4, subject))


def register_loaded(con: duckdb.DuckDBPyConnection, year: int, kind: str = "awards") -> bool:
    """Whether an active register of ``kind`` for ``year`` is loaded."""
    return (
        scalar(
            con, "SELECT count(*) FROM submissions WHERE status = 'active' AND file_kind = ? AND year = ?", [kind, year]
        )
        or 0
    ) > 0


def registered_units(con: duckdb.DuckDBPyConnection, year: int, until: dt.date | None = None) -> pd.DataFrame:
    """Units of the catalogue registered for ``year`` (registration date on or before ``until``;
    rows without a date count from the start of the year), each once.

    :returns: DataFrame ``unit``, ``block``, ``registered_on`` (date or NaT), ``doc_number``,
        ``submission_id``, ``cell``.
    """
    extra, params = "", [year]
    if until is not None:
        extra = " AND (r.registered_on IS NULL OR r.registered_on <= ?)"
        params.append(until)
    return con.execute(
        f"""
        SELECT * EXCLUDE (rn) FROM (
            SELECT r.unit, r.block, r.registered_on, r.doc_number, r.submission_id, r.cell, s.file_name,
                   row_number() OVER (PARTITION BY r.unit ORDER BY r.registered_on NULLS FIRST, s.seq) AS rn
            FROM registrations r JOIN submissions s USING (submission_id)
            WHERE s.status = 'active' AND s.file_kind = 'registrations' AND s.year = ? AND r.unit <> ''{extra}
        ) WHERE rn = 1 ORDER BY unit""",
        params,
    ).fetchdf()


def submissions(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Every stored submission (all statuses), newest first.

    :returns: DataFrame ``submission_id``, ``file_name``, ``file_kind``, ``sender``, ``subject``,
        ``year``, ``quarter``, ``doc_date``, ``doc_number``, ``uploaded_at``, ``uploaded_by``,
        ``status``, ``status_note``, ``n_figures``, ``n_warnings``, ``n_notes`` (the notes stored
        with it, not warnings), ``sha256``, ``seq``.
    """
    extra, params = "", []
    if year is not None:
        extra = " WHERE s.year = ?"
        params.append(year)
    return con.execute(
        f"""
        SELECT s.submission_id, s.file_name, s.file_kind, s.sender, s.subject, s.year, s.quarter,
               s.doc_date, s.doc_number, s.uploaded_at, s.uploaded_by, s.status, s.status_note,
               s.n_figures, (SELECT count(*) FROM issues i WHERE i.submission_id = s.submission_id
                             AND i.severity = 'warning') AS n_warnings,
               (SELECT count(*) FROM issues i WHERE i.submission_id = s.submission_id
                AND i.severity = 'info') AS n_notes, s.sha256, s.seq, s.sheet
        FROM submissions s{extra} ORDER BY s.seq DESC""",
        params,
    ).fetchdf()


def upload_words(file_name: object, uploaded_at: object, submission_id: int) -> str:
    """A stored upload as a clerk reads it wherever a message names one — the file, as the Dữ liệu
    page lists it, its upload day, and its number only as a secondary tag: «bao-cao-q3.xlsx» (tải
    lên 05/12/2026, lần tải #4). Black-box (December 2026): «Sẽ thay danh sách đang dùng #4», where a
    clerk does not know what #4 is."""
    when = pd.Timestamp(uploaded_at) if uploaded_at is not None and not pd.isna(uploaded_at) else None
    day = f"tải lên {when:%d/%m/%Y}, " if when is not None else ""
    return f"«{clean_file_name(file_name)}» ({day}lần tải #{int(submission_id)})"


def uploads_named(con: duckdb.DuckDBPyConnection, submission_ids) -> dict[int, str]:
    """``{submission id: its name in words}`` (:func:`upload_words`) of stored submissions; an id
    not stored is named by its number alone."""
    ids = [int(i) for i in submission_ids]
    if not ids:  # a year's first list, a report replacing nothing: no query
        return {}
    rows = con.execute(
        "SELECT submission_id, file_name, uploaded_at FROM submissions WHERE list_contains(?, submission_id)", [ids]
    ).fetchall()
    named = {int(i): upload_words(name, at, i) for i, name, at in rows}
    return {i: named.get(i, f"lần tải #{i}") for i in ids}


def figure_subjects(con: duckdb.DuckDBPyConnection, submission_id: int) -> list[str]:
    """The units a submission's figures are about, in the order first met: one for most reports
    (its subject), several for a per-commune table (a block of columns per commune), whose
    submission's own subject is only the default (black-box: «Số liệu của: UBND huyện Tam Nông»
    for a file of three communes' figures)."""
    rows = con.execute(
        "SELECT subject FROM observations WHERE submission_id = ? GROUP BY subject ORDER BY min(rowid)",
        [submission_id],
    ).fetchall()
    return [s for (s,) in rows if s]


def subjects_text(subject: object, subjects: list[str]) -> str:
    """«Số liệu của» in words: the submission's subject, or, when its figures are about other
    units, "3 đơn vị: Xã Hiền Quan, Xã Tề Lễ, Thị trấn Hưng Hóa" (at most five named)."""
    own = subject if isinstance(subject, str) else ""
    if not subjects or subjects == [own]:
        return own
    named = ", ".join(subjects[:5]) + (f" và {len(subjects) - 5} đơn vị khác" if len(subjects) > 5 else "")
    return f"{len(subjects)} đơn vị: {named}"


def issues_of(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    """Warnings and notes stored with a submission: ``severity``, ``code``, ``sheet``, ``cell``,
    ``key``, ``message``."""
    return con.execute(
        "SELECT severity, code, sheet, cell, key, message FROM issues WHERE submission_id = ? "
        "ORDER BY severity DESC, cell",
        [submission_id],
    ).fetchdf()


def figure_history(con: duckdb.DuckDBPyConnection, year: int, key: str, subject: str) -> pd.DataFrame:
    """Every stored version of one indicator's figures (all statuses), oldest first: where each
    came from and whether it is the one used.

    :returns: DataFrame ``quarter``, ``kind``, ``vintage``, ``value``, ``written``, ``written_unit``
        (the unit the file wrote it in, "" when the plan's), ``sheet``, ``cell``,
        ``submission_id``, ``file_name``, ``sender``, ``doc_date``, ``uploaded_at``, ``uploaded_by``,
        ``status``, ``used`` (bool: the winner of its series, :func:`current_figures` — two files in
        use may give one period's figure, and only one of them counts), ``worked_out`` (bool: a
        quarter's amount that won its series but is set aside because it does not add up with the
        years to date in use — the quarter is their difference, :mod:`kpi.domain.quarters`; its
        history said «tệp khác được ưu tiên» where no other file gave one, black-box December 2026).
    """
    frame = con.execute(
        """
        SELECT o.quarter, o.kind, o.vintage, o.value, o.written, coalesce(o.written_unit, '') AS written_unit,
               o.sheet, o.cell, s.submission_id,
               s.file_name, s.sender, s.doc_date, s.uploaded_at, s.uploaded_by, s.status
        FROM observations o JOIN submissions s USING (submission_id)
        WHERE o.year = ? AND o.key = ? AND o.subject = ? AND o.kind <> 'plan'
        ORDER BY o.quarter, o.kind, s.seq""",
        [year, key, subject],
    ).fetchdf()
    records = current_figure_records(con, year, subject=subject, keys=[key])
    winners = {  # a quarter's amount beside another report's year to date is not used (kpi.domain.quarters)
        (int(r["quarter"]), r["kind"], int(r["submission_id"]))
        for r in records
        if r["kind"] != "quarter" or quarter_amount_stands(r, records)
    }
    set_aside = {  # the winner of its series, but its amount does not add up with the years to date in use
        (int(r["quarter"]), r["kind"], int(r["submission_id"]))
        for r in records
        if r["kind"] == "quarter" and not quarter_amount_stands(r, records)
    }
    keys = list(zip(frame["quarter"].astype(int), frame["kind"], frame["submission_id"].astype(int), strict=True))
    frame["used"] = [k in winners for k in keys]
    frame["worked_out"] = [k in set_aside for k in keys]
    return frame


def submission_changes(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    """What a submission changed against the figures in use before it: per figure, the old and new
    values — "đã điều chỉnh so với báo cáo trước".

    "Before it" are the versions of its series ranked below it in the order :func:`kpi.ingest.commit`
    uses to choose the version in use (a dated document over an undated one, the later document
    date, then the later upload), each figure taken from the highest of them — so a correction is
    compared with what it replaced, not with an older document that merely arrived later, and after
    a partial correction (stored beside the versions in use, ``options.correction = "partial"``) the
    next one is compared with the figures of both (black-box: «CT02 161 → – bỏ» for a figure still
    in use). A partial correction removes nothing: only the figures it holds are listed. The file's
    own copy of the plan (kind ``plan``) is no change of a figure and is left out.

    :returns: DataFrame ``key``, ``subject``, ``quarter``, ``kind``, ``old_value``, ``new_value``,
        ``change`` (``changed``/``added``/``removed``), ``previous_id`` (the highest version below
        it); empty when there is no earlier version.
    """
    columns = ["key", "subject", "quarter", "kind", "old_value", "new_value", "change", "previous_id"]
    prev = scalar(
        con,
        f"""
        SELECT p.submission_id FROM submissions p, submissions s
        WHERE s.submission_id = ? AND p.submission_id <> s.submission_id AND {same_series_sql("p", "s")}
          AND p.status <> 'withdrawn' AND {version_key_sql("p")} < {version_key_sql("s")}
        ORDER BY {version_order_sql("p")} LIMIT 1""",
        [submission_id],
    )
    if prev is None:
        return pd.DataFrame(columns=columns)
    frame = con.execute(
        f"""
        WITH me AS (SELECT * FROM submissions WHERE submission_id = ?),
        below AS (
            SELECT o.key, o.subject, o.quarter, o.kind, o.value, p.submission_id,
                   row_number() OVER (PARTITION BY o.key, o.subject, o.quarter, o.kind
                                      ORDER BY {version_order_sql("p")}) AS k
            FROM observations o JOIN submissions p USING (submission_id), me s
            WHERE p.submission_id <> s.submission_id AND {same_series_sql("p", "s")}
              AND p.status <> 'withdrawn' AND {version_key_sql("p")} < {version_key_sql("s")}
              AND o.kind <> 'plan'),
        a AS (SELECT * FROM below WHERE k = 1),
        b AS (SELECT key, subject, quarter, kind, value FROM observations
              WHERE submission_id = (SELECT submission_id FROM me) AND kind <> 'plan')
        SELECT coalesce(a.key, b.key) AS key, coalesce(a.subject, b.subject) AS subject,
               coalesce(a.quarter, b.quarter) AS quarter,
               coalesce(a.kind, b.kind) AS kind, a.value AS old_value, b.value AS new_value,
               CASE WHEN a.value IS NULL THEN 'added' WHEN b.value IS NULL THEN 'removed'
                    ELSE 'changed' END AS change,
               ? AS previous_id
        FROM a FULL OUTER JOIN b ON a.key = b.key AND a.subject = b.subject AND a.quarter = b.quarter
             AND a.kind = b.kind
        WHERE a.value IS DISTINCT FROM b.value
          AND NOT (b.value IS NULL AND coalesce(json_extract_string((SELECT options FROM me), '$.correction'), '')
                   = 'partial')
        ORDER BY key, quarter, kind""",
        [submission_id, prev],
    ).fetchdf()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    return frame[columns]


def registration_status(
    con: duckdb.DuckDBPyConnection, catalogue, year: int, until: dt.date | None = None
) -> pd.DataFrame:
    """Every unit of the emulation blocks and whether it has registered for ``year`` by ``until``.

    :returns: DataFrame ``block`` str, ``unit`` str, ``registered`` bool, ``registered_on`` date
        or NaT, ``doc_number`` str (catalogue order).
    """
    units = catalogue.block_units[["block", "unit"]].copy()
    done = registered_units(con, year, until)[["unit", "registered_on", "doc_number"]]
    frame = units.merge(done, on="unit", how="left")
    frame["registered"] = frame["doc_number"].notna() | frame["registered_on"].notna()
    frame["doc_number"] = frame["doc_number"].fillna("")
    return frame[["block", "unit", "registered", "registered_on", "doc_number"]]


def search(frame: pd.DataFrame, query: str, columns: list[str]) -> pd.DataFrame:
    """Rows whose ``columns`` contain ``query`` ignoring case, diacritics, tone placement and
    punctuation ("hung hoa" finds "Thị trấn Hưng Hóa", "duc" finds "Đức", "to chuyen mon xa hien
    quan" finds "Tổ Chuyên môn - Xã Hiền Quan")."""
    import re

    from kpi.vn import fold

    def words(text: str) -> str:
        return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "

    needle = words(query).strip()
    if not needle:
        return frame
    mask = pd.Series(False, index=frame.index)
    for column in columns:
        mask |= frame[column].astype(str).map(lambda v: needle in words(v))
    return frame[mask]
