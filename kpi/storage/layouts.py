"""Layouts the user described once (:mod:`kpi.reading.mapping`), remembered in the ``layouts``
table per header signature so files of the same layout are read the same way next time."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from kpi.access.auth import require  # see .importlinter: a role-checked write still in storage
from kpi.storage.database import write_lock

__all__ = ["all_mappings", "save_mapping"]


def all_mappings(con: duckdb.DuckDBPyConnection) -> list[tuple[str, dict, str]]:
    """Every remembered mapping: (signature, mapping, example file)."""
    return [
        (sig, json.loads(raw), example)
        for sig, raw, example in con.execute(
            "SELECT signature, mapping, example_file FROM layouts ORDER BY created_at"
        ).fetchall()
    ]


def save_mapping(con: duckdb.DuckDBPyConnection, actor: str, signature: str, mapping: dict, example_file: str) -> None:
    """Remember a mapping for files whose header has ``signature``."""
    require(con, actor, "map_layout")
    with write_lock:
        con.execute("DELETE FROM layouts WHERE signature = ?", [signature])
        con.execute(
            "INSERT INTO layouts VALUES (?, ?, ?, ?, ?)",
            [
                signature,
                json.dumps(mapping, ensure_ascii=False),
                dt.datetime.now().replace(microsecond=0),
                actor,
                example_file,
            ],
        )
