"""A database whose last commits live only in its WAL (a child killed after COMMIT)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def kill_with_a_wal(db: Path) -> None:
    """Commit rows in a child that is then SIGKILLed, so they live only in the WAL."""
    code = (
        "import duckdb, os, signal\n"
        f"con = duckdb.connect({str(db)!r})\n"
        "con.execute(\"INSERT INTO audit_log VALUES (now(), 'cli:test', 'upload', NULL, 'chi-trong-wal.xlsx', '')\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
