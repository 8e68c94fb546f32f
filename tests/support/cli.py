"""The command line as a user runs it: ``python -m kpi …`` in a real process on a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import PROJECT


def kpi(*args, db: Path, check: bool = False, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KPI_DB": str(db), "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, "-m", "kpi", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT,
        check=check,
        timeout=240,
        input=stdin,
    )
