"""Generated databases for the benchmark: a district (≈30 units) and a whole country (≈10,000 communes).

The figures are inserted straight into the tables with DuckDB's generate_series (a fixture of the
benchmark, as the issue asks: "about 9 million figures, generated"); everything measured on them
then goes through the public functions the app and the command line use.
"""

from __future__ import annotations

import time
from pathlib import Path

from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.storage.database import bump_version


def generate(db_path: Path, units: int, years: range, quarters: int = 4) -> dict:
    """Fill a fresh database with one active report per unit, year and quarter, each giving the
    year to date of every reported indicator of the 2024 plan (awards come from registers).

    :returns: {"observations": int, "submissions": int, "seconds": float}.
    """
    for suffix in ("", ".wal"):
        p = Path(str(db_path) + suffix)
        if p.exists():
            p.unlink()
    cfg = settings(db_path=db_path)
    con = open_database(cfg)
    started = time.perf_counter()
    keys = [
        k
        for (k,) in con.execute(
            "SELECT key FROM indicators WHERE year = 2024 AND counted_from = 'reports' ORDER BY sort"
        ).fetchall()
    ]
    con.execute("CREATE TEMP TABLE k AS SELECT unnest(?) AS key, generate_subscripts(?, 1) AS n", [keys, keys])
    con.execute("SET enable_progress_bar = false")
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        INSERT INTO submissions (submission_id, sha256, file_name, file_kind, file_format, sheet, sender, subject,
                                 year, quarter, doc_date, doc_number, title, uploaded_at, uploaded_by, seq, status,
                                 status_note, options, layout, n_figures)
        SELECT row_number() OVER () AS submission_id, md5(u::VARCHAR || '-' || y || '-' || q), 'bao-cao-' || u || '.xlsx',
               'report', 'xlsx', 'Bieu', 'Xã ' || u, 'Xã ' || u, y, q, make_date(y, q * 3, 28), NULL, NULL,
               TIMESTAMP '2024-12-01 08:00:00', 'bench', row_number() OVER (), 'active', NULL, '{{}}', '', {len(keys)}
        FROM range({years.start}, {years.stop}) t(y), range(1, {quarters + 1}) s(q), range(1, {units + 1}) v(u)
        ORDER BY y, q, u""")
    con.execute("""
        INSERT INTO observations
        SELECT s.submission_id, k.key, s.year, s.quarter, s.subject, kind.kind, 'official',
               round(10 + (hash(s.submission_id, k.key) % 1000) / 10.0 * (CASE kind.kind WHEN 'ytd' THEN s.quarter
                     ELSE 1 END), 1), NULL, NULL, '1', 'Bieu', 'F' || (7 + k.n), NULL, NULL, NULL
        FROM submissions s CROSS JOIN k CROSS JOIN (VALUES ('quarter'), ('ytd')) kind(kind)
        ORDER BY s.year, s.quarter""")
    # the generated units are the plan's communes (the district's figure is their sum only when
    # it covers every commune of the plan: kpi.storage.figures.district_figure_records)
    con.execute("DELETE FROM units WHERE kind = 'commune'")
    con.execute(f"""
        INSERT INTO units (year, unit, block, kind, sort)
        SELECT p.year, 'Xã ' || u, 'Khối các xã', 'commune', 1000 + u
        FROM (SELECT DISTINCT year FROM units) p, range(1, {units + 1}) v(u)""")
    bump_version(con)  # and the current figures, rewritten whole
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    n_obs = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    n_sub = con.execute("SELECT count(*) FROM submissions").fetchall()[0][0]
    con.close()
    return {"observations": n_obs, "submissions": n_sub, "seconds": time.perf_counter() - started}
