"""The plan in DuckDB: first-start seeding from the data folder, the shared lookup tables, one
year's plan stored, and one year's :class:`~kpi.domain.plan.Catalogue` read back (cached per
database file, year and plan version). The model itself is :mod:`kpi.domain.plan`."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from kpi.config import data_file
from kpi.domain.plan import Catalogue, Indicator, parse_target
from kpi.domain.plan_files import plan_years, read_plan_dir
from kpi.errors import NotFound
from kpi.lru import LRU
from kpi.storage.database import bump_plan_version, scalar
from kpi.vn import clean_text, to_decimal

__all__ = ["seed_plans", "sync_lookups", "store_plan", "plan_years_in_db", "load_catalogue", "database_file"]


def seed_plans(con: duckdb.DuckDBPyConnection, data_dir: Path, actor: str = "system") -> list[int]:
    """Load every plan year found under ``data/plans`` that the database does not hold yet, and
    the shared alias tables when they are empty. Runs in the caller's transaction.

    A year folder without ``indicators.csv`` (only its units, and perhaps ``plan.toml``) is
    not loaded: its targets are to be read from its plan document and confirmed
    (``python -m kpi plan import FILE --year Y --confirm``), which takes the units from there.

    :returns: the years loaded now.
    """
    loaded = []
    have = {r[0] for r in con.execute("SELECT year FROM plans").fetchall()}
    for year in plan_years(data_dir):
        if year in have or not (data_dir / "plans" / str(year) / "indicators.csv").exists():
            continue
        files = read_plan_dir(data_dir, year)
        store_plan(con, year, files["meta"], files["indicators"], files["units"], actor)
        _seed_document(con, data_dir, year, files["meta"], actor)
        loaded.append(year)
    sync_lookups(con, data_dir)
    return loaded


def _seed_document(con, data_dir: Path, year: int, meta: dict, actor: str) -> None:
    """Keep the plan's own text with its targets when ``plan.toml`` names it (``document =
    "ke-hoach.md"``): version 1 of the year's ``plan_documents``."""
    name = meta.get("document")
    path = data_dir / "plans" / str(year) / name if name else None
    if path is None or not path.exists():
        return
    data = path.read_bytes()
    doc_date = meta.get("doc_date") or None
    con.execute(
        "INSERT INTO plan_documents SELECT ?, 1, ?, ?, ?, ?, ?, now(), ?"
        " WHERE NOT EXISTS (SELECT 1 FROM plan_documents WHERE year = ? AND version = 1)",
        [
            year,
            name,
            hashlib.sha256(data).hexdigest(),
            data.decode("utf-8", errors="replace"),
            meta.get("doc_number", ""),
            dt.date.fromisoformat(doc_date) if isinstance(doc_date, str) else doc_date,
            actor,
            year,
        ],
    )


def sync_lookups(con, data_dir: Path) -> int:
    """Add the rows of the shared lookup files (aliases, units of measure, award and unit aliases)
    that the database lacks (``data_dir``'s own files, else the default data folder's): reports' new spellings are added as data, and reach an existing
    database at its next start. Rows already there (or added by an admin) are kept.

    :returns: the number of rows added.
    """
    added = 0
    specs = {
        "indicator_aliases": ("aliases.csv", ["key", "alias"]),
        "unit_aliases": ("unit_aliases.csv", ["unit", "alias"]),
        "award_aliases": ("awards.csv", ["award", "alias"]),
        "measure_units": ("measures.csv", ["written", "unit", "factor"]),
    }
    for table, (file_name, columns) in specs.items():
        path = data_file(data_dir, file_name)
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)[columns]
        frame = frame.map(clean_text)
        frame = frame[(frame != "").all(axis=1)].drop_duplicates()
        con.register("_lookup", frame)
        cols = ", ".join(columns)
        on = " AND ".join(f"t.{c} = l.{c}" for c in columns)
        before = scalar(con, f"SELECT count(*) FROM {table}")
        con.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _lookup l "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on})"
        )
        added += scalar(con, f"SELECT count(*) FROM {table}") - before
        con.unregister("_lookup")
    if added:
        bump_plan_version(con)
    return added


def store_plan(con, year: int, meta: dict, indicators: pd.DataFrame, units: pd.DataFrame, actor: str) -> None:
    """Write one year's plan (identity, indicators, units) into the database, replacing any
    earlier version of that year. Runs in the caller's transaction."""
    rows = []
    for sort, r in enumerate(indicators.to_dict("records")):
        target, lo, hi, decimals = parse_target(r["target"])
        rows.append(
            {
                "year": year,
                "key": r["key"],
                "sort": sort,
                "plan_no": r.get("plan_no", ""),
                "grp": r["group"],
                "name": clean_text(r["name"]),
                "unit": clean_text(r["unit"]),
                "target": float(target) if target is not None else None,
                "target_lo": float(lo) if lo is not None else None,
                "target_hi": float(hi) if hi is not None else None,
                "target_text": clean_text(r["target"]),
                "decimals": decimals,
                "direction": r["direction"],
                "over_year": r["over_year"],
                "across_units": r["across_units"],
                "when_known": r["when_known"],
                "parent": r.get("parent", ""),
                "award": clean_text(r.get("award", "")),
                "recipient": clean_text(r.get("recipient", "")),
                "conferred_by": clean_text(r.get("conferred_by", "")),
                "baseline": float(r["baseline"]) if r.get("baseline") else None,
                "source_text": clean_text(r.get("source_text", "")),
                "counted_from": r.get("counted_from") or "reports",
            }
        )
    frame = pd.DataFrame(rows)
    unit_frame = pd.DataFrame(
        {
            "year": year,
            "unit": [clean_text(u) for u in units["unit"]],
            "block": [clean_text(b) for b in units["block"]],
            "kind": units["kind"].tolist(),
            "sort": range(len(units)),
        }
    )
    doc_date = meta.get("doc_date") or None
    if isinstance(doc_date, str) and doc_date:
        doc_date = dt.date.fromisoformat(doc_date)
    con.execute("DELETE FROM indicators WHERE year = ?", [year])
    con.execute("DELETE FROM units WHERE year = ?", [year])
    con.execute("DELETE FROM plans WHERE year = ?", [year])
    con.execute(
        "INSERT INTO plans (year, district, authority, authority_upper, province, place, title, "
        "doc_number, doc_date, source, loaded_at, loaded_by) VALUES (?,?,?,?,?,?,?,?,?,?, now(), ?)",
        [
            year,
            meta.get("district", ""),
            meta.get("authority", ""),
            meta.get("authority_upper", ""),
            meta.get("province", ""),
            meta.get("place", ""),
            meta.get("title", ""),
            meta.get("doc_number", ""),
            doc_date,
            meta.get("source", ""),
            actor,
        ],
    )
    con.register("_ind", frame)
    con.execute("INSERT INTO indicators BY NAME SELECT * FROM _ind")
    con.unregister("_ind")
    con.register("_units", unit_frame)
    con.execute("INSERT INTO units BY NAME SELECT * FROM _units")
    con.unregister("_units")
    bump_plan_version(con)


def plan_years_in_db(con) -> list[int]:
    """Years whose plan the database holds, ascending."""
    return [r[0] for r in con.execute("SELECT year FROM plans ORDER BY year").fetchall()]


#: Catalogues of this process, keyed by (database file, year, plan version): shared by
#: Streamlit's script threads, so locked and bounded (:class:`kpi.lru.LRU`); a newer plan version
#: of a database drops that database's older catalogues.
_CATALOGUES: LRU[Catalogue] = LRU(max_entries=32)


def database_file(con: duckdb.DuckDBPyConnection) -> str:
    """The file behind a connection (or cursor): how caches tell databases apart."""
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return str(rows[0][0] or "") if rows else ""


def load_catalogue(con: duckdb.DuckDBPyConnection, year: int, known: tuple[str, str | None] | None = None) -> Catalogue:
    """One year's :class:`Catalogue` from the database, cached per database file, year and plan
    version (:func:`kpi.storage.database.bump_plan_version`: every function that changes plans, units or
    alias tables bumps it in its transaction; a catalogue is immutable).

    :param known: the database file and its plan version when the caller has just read them
        (:func:`kpi.storage.store.store_state`); ``None``: read here.
    :raises NotFound: no plan for ``year``.
    """
    if known is not None:
        path, version = known
    else:
        path, version = database_file(con), scalar(con, "SELECT value FROM meta WHERE key = 'plan_version'")
    key = (str(path), year, version) if path else None
    cached = _CATALOGUES.get(key) if key is not None else None
    if cached is not None:
        return cached
    catalogue = _read_catalogue(con, year)
    if key is not None:
        _CATALOGUES.discard_where(lambda k: k[0] == key[0] and _older(k[2], key[2]))
        _CATALOGUES.put(key, catalogue)
    return catalogue


def _older(version: object, than: object) -> bool:
    """Whether a stored plan version (text in ``meta``, or ``None``) is older than another."""
    try:
        return int(version or 0) < int(than or 0)
    except (TypeError, ValueError):
        return False


def _read_catalogue(con: duckdb.DuckDBPyConnection, year: int) -> Catalogue:
    meta_row = con.execute("SELECT * FROM plans WHERE year = ?", [year]).fetchdf()
    if meta_row.empty:
        raise NotFound(f"Chưa có kế hoạch năm {year} trong cơ sở dữ liệu.")
    meta = {k: (None if pd.isna(v) else v) for k, v in meta_row.iloc[0].to_dict().items()}
    frame = con.execute("SELECT * FROM indicators WHERE year = ? ORDER BY sort", [year]).fetchdf()
    indicators = []
    for r in frame.to_dict("records"):

        def dec(v):
            return None if v is None or pd.isna(v) else to_decimal(float(v))

        indicators.append(
            Indicator(
                key=r["key"],
                name=r["name"],
                unit=r["unit"],
                group=r["grp"],
                direction=r["direction"],
                over_year=r["over_year"],
                across_units=r["across_units"],
                when_known=r["when_known"],
                target=dec(r["target"]),
                lo=dec(r["target_lo"]),
                hi=dec(r["target_hi"]),
                decimals=int(r["decimals"]),
                plan_no=r["plan_no"] or "",
                parent=r["parent"] or "",
                award=r["award"] or "",
                recipient=r["recipient"] or "",
                conferred_by=r["conferred_by"] or "",
                baseline=dec(r["baseline"]),
                sort=int(r["sort"]),
                counted_from=r["counted_from"] or "reports",
            )
        )
    units = con.execute(
        "SELECT unit, coalesce(block, '') AS block, kind, sort FROM units WHERE year = ? ORDER BY sort",
        [year],
    ).fetchdf()
    aliases = {a: k for k, a in con.execute("SELECT key, alias FROM indicator_aliases").fetchall()}
    unit_aliases = {a: u for u, a in con.execute("SELECT unit, alias FROM unit_aliases").fetchall()}
    award_aliases = {a: w for w, a in con.execute("SELECT award, alias FROM award_aliases").fetchall()}
    measures = tuple(
        (written, unit, Decimal(factor))
        for written, unit, factor in con.execute("SELECT written, unit, factor FROM measure_units").fetchall()
    )
    return Catalogue(
        year=year,
        meta=meta,
        indicators=tuple(indicators),
        units=units,
        aliases=aliases,
        unit_aliases=unit_aliases,
        measures=measures,
        award_aliases=award_aliases,
    )
