"""The five sample reports shipped in ``data/samples/`` (byte-identical copies of the shared
samples), for the first run's "load the samples" button and the README's session."""

from __future__ import annotations

import duckdb

from kpi.config import DATA_DIR, Settings
from kpi.errors import FileRefused
from kpi.ingest import Committed, ingest

__all__ = ["SAMPLE_FILES", "load_samples"]

#: In the order a year unfolds: the three quarterly reports, the registrations, the awards.
SAMPLE_FILES = (
    "bao-cao-quy-1-2024.xlsx",
    "bao-cao-6-thang-2024.xls",
    "bao-cao-9-thang-2024.ods",
    "dang-ky-thi-dua-2024.xlsx",
    "khen-thuong-2024.xlsx",
)


def load_samples(con: duckdb.DuckDBPyConnection, actor: str, cfg: Settings | None = None) -> list[Committed]:
    """Ingest the sample files (each decided alone; the same bytes again change nothing).

    :raises kpi.errors.PermissionDenied: ``actor`` may not upload.
    """
    results = []
    for name in SAMPLE_FILES:
        data = (DATA_DIR / "samples" / name).read_bytes()
        try:
            _prep, committed = ingest(con, data, name, actor, None, cfg)
        except FileRefused as exc:  # pragma: no cover - the samples are known to load
            results.append(Committed(None, "refused", exc.message_vi))
            continue
        results.append(committed)
    return results
