"""The shared store beside the single file (issue 20), for ``bench/run.py``.

On each backend — the single DuckDB file and DuckLake on a throwaway PostgreSQL cluster
(``tests/support/postgres.py``; skipped with a message where PostgreSQL is not installed) — it measures:

* ``store.<backend>.one_report``: one report stored (prepare + commit of a distinct Q1 version);
* ``store.<backend>.overview_cold`` / ``overview_warm``: the overview's attainment report with the
  five shared samples stored, its cache cleared / kept;
* ``store.<backend>.writers_<N>x<M>``: N processes each committing M distinct unit reports at once
  (released together once all have read their files), as files per second from the release to the
  last commit. The single file takes one writer process (N = 1): a second process cannot open it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

#: One writer: open the store, read M files, wait for the start file, commit them, print the time.
_WRITER = """
import json, sys, time
from pathlib import Path
from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.ingest import commit, prepare
from kpi.reading.report_sheets import ImportOptions
start, files = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
cfg = settings()
con = open_database(cfg)
preps = [(prepare(con, p.read_bytes(), p.name, ImportOptions(), cfg), p.read_bytes()) for p in files]
Path(str(start) + f".{files[0].stem}.ready").touch()
while not start.exists():
    time.sleep(0.005)
statuses = [commit(con, prep, data, "cli:bench", cfg).status for prep, data in preps]
print(json.dumps({"done": time.time(), "statuses": statuses}))
"""


def _writers(env: dict, groups: list[list[Path]], folder: Path) -> tuple[float, list[str]]:
    """Run one writer per group of files at once; (seconds from release to last commit, statuses)."""
    start = folder / f"start-{time.monotonic_ns()}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(start), *map(str, group)],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for group in groups
    ]
    while len(list(folder.glob(f"{start.name}.*.ready"))) < len(groups):
        if any(p.poll() is not None for p in procs):
            raise RuntimeError("a writer ended early: " + " | ".join(p.communicate()[1][-800:] for p in procs))
        time.sleep(0.02)
    released = time.time()
    start.touch()
    finished, statuses = [], []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(err[-2000:])
        result = json.loads(out.strip().splitlines()[-1])
        finished.append(result["done"])
        statuses += result["statuses"]
    return max(finished) - released, statuses


def bench_shared_store(tmp: Path, quick: bool, measure, record, results: dict, unit_reports, report_variants) -> None:
    """Measure both backends (see the module docstring); ``measure``/``record``/``results`` and the
    file generators are ``bench/run.py``'s."""
    sys.path.insert(0, str(PROJECT))
    from tests.support.postgres import binaries_missing, throwaway_cluster

    missing = binaries_missing()
    if missing:
        print(f"shared store: skipped — {missing}")
        run_backends(tmp, quick, measure, record, results, unit_reports, report_variants, None)
        return
    with throwaway_cluster() as cluster:
        run_backends(tmp, quick, measure, record, results, unit_reports, report_variants, cluster)


def run_backends(tmp, quick, measure, record, results, unit_reports, report_variants, cluster) -> None:
    from kpi.bootstrap import open_database
    from kpi.config import settings
    from kpi.ingest import commit, ingest, prepare
    from kpi.reading.report_sheets import ImportOptions
    from kpi.reporting.attainment_report import _REPORTS, attainment_report

    samples = PROJECT / "data" / "samples"
    five = sorted(p for p in samples.iterdir() if p.suffix in (".xlsx", ".xls", ".ods"))
    m = 2 if quick else 10
    counts = (2,) if quick else (1, 2, 4)
    files_folder = tmp / "store-files"
    files_folder.mkdir(exist_ok=True)
    reports = []
    for name, data in unit_reports(m * max(counts) * len(counts)):
        (files_folder / name).write_bytes(data)
        reports.append(files_folder / name)
    variants = report_variants(12 if quick else 30)
    backends = ["file"] + (["lake"] if cluster is not None else [])
    for backend in backends:

        def new_store(label: str, backend=backend):
            folder = tmp / f"store-{backend}-{label}"
            folder.mkdir()
            cfg = settings(db_path=folder / "kpi.duckdb")
            env = {**os.environ, "KPI_DB": str(cfg.db_path), "PYTHONPATH": str(PROJECT)}
            env.pop("KPI_STORE", None)
            if backend == "lake":
                store = "ducklake:postgres:" + cluster.dsn(cluster.new_database())
                cfg = replace(cfg, store=store, data_path=folder / "shared")
                env.update(KPI_STORE=store, KPI_DATA_PATH=str(folder / "shared"))
            return cfg, env, folder

        cfg, _env, _folder = new_store("one")
        con = open_database(cfg)
        counter = iter(range(10_000))

        def one(con=con, cfg=cfg, counter=counter):
            data = variants[next(counter) % len(variants)]
            commit(con, prepare(con, data, "q1.xlsx", ImportOptions(), cfg), data, "cli:bench", cfg)

        measure(f"store.{backend}.one_report", one, repeat=2 if quick else 9)
        for path in five:
            ingest(con, path.read_bytes(), path.name, "cli:bench", ImportOptions(), cfg)
        measure(
            f"store.{backend}.overview_cold",
            lambda con=con: attainment_report(con, 2024),
            repeat=2 if quick else 7,
            setup=_REPORTS.clear,
        )
        measure(
            f"store.{backend}.overview_warm", lambda con=con: attainment_report(con, 2024), repeat=5 if quick else 20
        )
        con.close()

        used = iter(reports)
        for n in counts if backend == "lake" else (1,):  # a second process cannot open the file
            cfg, env, folder = new_store(f"writers-{n}")
            open_database(cfg).close()  # created and seeded, as the first server's start would
            groups = [[next(used) for _ in range(m)] for _ in range(n)]
            seconds, statuses = _writers(env, groups, folder)
            assert statuses.count("active") == n * m, statuses
            name = f"store.{backend}.writers_{n}x{m}"
            record(name, [seconds * 1000], files_per_second=round(n * m / seconds, 1))
            print(f"{'':<44} → {results[name]['files_per_second']} files/s with {n} writer process(es)")
