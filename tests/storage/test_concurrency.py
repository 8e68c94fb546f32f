"""Several people upload at the same moment: threads on cursors of one connection, as the app's
script runs are. Every file is stored exactly once and the result equals a serial run."""

from __future__ import annotations

import json
import threading

from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.ingest import ingest
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.database import sha256_of
from tests.support.ledger import REF, q1_version
from tests.support.paths import TESTS
from tests.support.samples import ACTOR, SAMPLE_FILES, sample_bytes


def eight_files() -> dict[str, bytes]:
    """Eight different files: the five samples, a commune's report, and two corrections of Q1
    with later document dates (so which one wins does not depend on the upload order)."""
    files = {SAMPLE_FILES[k]: sample_bytes(k) for k in ("q1", "h1", "q3", "registrations", "awards")}
    files["bao-cao-xa-hien-quan-6-thang-2024.xlsx"] = (
        TESTS / "data" / "bao-cao-xa-hien-quan-6-thang-2024.xlsx"
    ).read_bytes()
    files["quy-1-sua-lan-1.xlsx"] = q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024"))
    files["quy-1-sua-lan-2.xlsx"] = q1_version(541.0, 541.0, REF.format(n=61, d="20/4/2024"))
    return files


def outcome(con) -> dict:
    """What a user sees: the report at every period, for the district and the commune, and each
    file's final status."""
    reports = {
        f"{quarter}-{subject}": report_records(attainment_report(con, 2024, quarter, subject))
        for quarter in (None, 1, 2, 3, 4)
        for subject in (None, "xã Hiền Quan")
    }
    statuses = dict(con.execute("SELECT sha256, status FROM submissions").fetchall())
    return {"reports": json.loads(json.dumps(reports, default=str)), "statuses": statuses}


def test_eight_uploads_at_once_equal_a_serial_run(con, cfg, tmp_path):
    files = eight_files()
    barrier = threading.Barrier(len(files))
    errors: list[BaseException] = []
    results = {}

    def upload(name: str, data: bytes) -> None:
        cursor = con.cursor()  # one cursor per script run, as appkit.context() gives
        try:
            barrier.wait(timeout=60)
            _prep, committed = ingest(cursor, data, name, f"nguoi-{name[:6]}", cfg=cfg)
            results[name] = committed
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            cursor.close()

    threads = [threading.Thread(target=upload, args=item) for item in files.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    assert sorted(r.status for r in results.values()).count("duplicate") == 0

    stored = con.execute(
        "SELECT count(*), count(DISTINCT sha256), count(DISTINCT submission_id) FROM submissions"
    ).fetchall()
    assert stored == [(8, 8, 8)]  # every file exactly once
    logs = con.execute(
        "SELECT (SELECT count(*) FROM import_log), (SELECT count(*) FROM audit_log WHERE action = 'upload'), "
        "(SELECT count(*) FROM submissions WHERE file_kind = 'report' AND status = 'active' AND subject = ? "
        "AND quarter = 1)",
        ["UBND huyện Tam Nông"],
    ).fetchall()
    assert logs == [(8, 8, 1)]  # one Q1 version active, whatever the order
    assert {p.name.removesuffix(".bin") for p in cfg.raw_dir.rglob("*.bin")} == {sha256_of(d) for d in files.values()}

    serial_cfg = settings(db_path=tmp_path / "serial" / "kpi.duckdb")
    serial = open_database(serial_cfg)
    try:
        for name, data in files.items():
            ingest(serial, data, name, ACTOR, cfg=serial_cfg)
        expected = outcome(serial)
    finally:
        serial.close()
    assert outcome(con) == expected
