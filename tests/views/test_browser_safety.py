"""The real server (``streamlit run app.py``) under attack and under load, in headless chromium:
hostile files through the upload page, a 300 MB file through ``ingest``, the command line while
the app holds the database, and a backup taken inside the app while uploads run."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.ingest import ingest
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.database import raw_path
from tests.support import hostile
from tests.support.browser import PROJECT, Server, wait_for_app
from tests.support.ledger import REF, q1_version
from tests.support.samples import SAMPLE_FILES, SAMPLES

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HealthWatch:
    """Polls ``/_stcore/health`` every 0.2 s in a thread; remembers every answer."""

    def __init__(self, url: str):
        self.url = url + "/_stcore/health"
        self.answers: list[tuple[float, bool]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    ok = response.read() == b"ok"
            except OSError:
                ok = False
            self.answers.append((time.monotonic(), ok))
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)

    @property
    def failures(self) -> int:
        return sum(1 for _t, ok in self.answers if not ok)


def kpi(*args, db: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpi", *map(str, args), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory a process has used so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def wait_for_count(page, text: str, count: int, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(
        "([t, n]) => document.body.innerText.split(t).length - 1 >= n", arg=[text, count], timeout=timeout_ms
    )


def open_page(page, server, title: str, ready: str) -> None:
    """Open a page through the sidebar, as a user does."""
    page.goto(server.url + "/")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).first.click()
    page.get_by_text(ready).first.wait_for()
    wait_for_app(page)


def upload(page, files: dict[str, bytes]) -> None:
    """Drop ``files`` into the uploader of the "Tải lên báo cáo" page already open in ``page``."""
    page.get_by_text("Chưa chọn tệp nào").first.wait_for()
    page.set_input_files(
        '[data-testid="stFileUploaderDropzoneInput"]',
        [{"name": name, "mimeType": XLSX, "buffer": data} for name, data in files.items()],
    )


def audit_csv_from_the_admin_page(page, server) -> list[dict]:
    open_page(page, server, "Quản trị hệ thống", "Tải nhật ký đang lọc (.csv)")
    with page.expect_download() as download:
        page.get_by_text("Tải nhật ký đang lọc (.csv)").first.click()
    data = Path(download.value.path()).read_bytes()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_hostile_files_are_refused_while_the_server_keeps_answering(server, page, tmp_path):
    files = {
        "bom-nen.xlsx": hostile.zip_bomb_ratio(),
        "vung-XFD1048576.xlsx": hostile.xfd_used_range(),
        "bom-xml.xlsx": hostile.xml_bomb(padded=True),
        "bom-chuoi-dung-chung.xlsx": hostile.shared_strings_bomb(),
    }
    big = hostile.sparse_file(tmp_path / "bao-cao-300MB.xlsx", 300 * 1024 * 1024)
    with HealthWatch(server.url) as health:
        open_page(page, server, "Tải lên báo cáo", "Chưa chọn tệp nào")
        upload(page, files)
        # meanwhile, on the command line, the 300 MB file (another database: the app holds its own);
        # the process reports its own peak memory (VmHWM: ru_maxrss of a child counts the parent's)
        measured = (
            "import sys\nfrom kpi.cli import main\ncode = main(sys.argv[1:])\n"
            "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
            "print('PEAK_KB', peak, file=sys.stderr)\nsys.exit(code)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", measured, "ingest", str(big), "--db", str(tmp_path / "cli.duckdb")],
            cwd=PROJECT,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
            capture_output=True,
            text=True,
            timeout=240,
        )
        wait_for_count(page, "Bị từ chối", len(files))
        body = page.inner_text("body")
    assert (
        done.returncode == 1
        and "Tệp quá lớn: 300,0 MB (314.572.800 byte); giới hạn là 20,0 MB (20.971.520 byte)" in done.stderr
    )
    peak_mb = int(done.stderr.split("PEAK_KB")[1].split()[0]) / 1024
    assert peak_mb < 250  # refused from its size, never read into memory (300 MB alone would exceed it)
    for words in (
        "tỷ lệ nén bất thường",  # the zip bomb
        "ở ô XFD1048576",  # the used range: the worker died, the cause was found
        "khai báo DTD/thực thể XML",  # the XML bomb behind a long comment
        "đọc ra cần khoảng 20 GB",  # the shared-strings memory bomb: the worker died
    ):
        assert words in body, words
    assert "Traceback" not in body and body.count("Sẵn sàng lưu") == 0
    assert len(health.answers) >= 10 and health.failures == 0
    assert server.proc.poll() is None and server.healthy()
    assert peak_rss_mb(server.proc.pid) < 1500  # the 20 GB went to a worker, which died, not here

    rows = audit_csv_from_the_admin_page(page, server)
    refused = {r["sha256"] for r in rows if r["Hành động"] == "từ chối tệp"}
    assert {hashlib.sha256(data).hexdigest() for data in files.values()} <= refused


def test_the_command_line_names_the_running_app_and_does_nothing(server, page, tmp_path):
    page.goto(server.url + "/")
    wait_for_app(page)  # a session has run: the server holds the database
    page.get_by_text("Tổng quan năm").first.wait_for()
    before = server.db.stat().st_mtime_ns
    for args in (
        ("report", "--format", "json"),
        ("ingest", SAMPLES / SAMPLE_FILES["q1"]),
        ("backup", "--to", tmp_path / "sao-luu.duckdb"),
        ("user", "list"),
    ):
        done = kpi(*args, db=server.db)
        assert done.returncode == 3, (args, done.stderr)
        assert str(server.db) in done.stderr and f"PID {server.proc.pid}" in done.stderr, done.stderr
        assert "Không có gì bị thay đổi" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "sao-luu.duckdb").exists()
    assert server.db.stat().st_mtime_ns == before and server.healthy()


def report_of(con) -> str:
    return json.dumps(report_records(attainment_report(con, 2024, None)), ensure_ascii=False, sort_keys=True)


def _replay(backup: Path, raw_dir: Path, tmp: Path) -> tuple[str, str, int]:
    """(report of the backup restored by the command line, report of a serial import of the same
    files from the raw archive, number of files)."""
    restored = tmp / f"restored-{backup.stem}" / "kpi.duckdb"
    done = kpi("restore", "--from", backup, db=restored)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(restored), read_only=True)
    try:
        declared, figures = con.execute(
            "SELECT (SELECT coalesce(sum(n_figures), 0) FROM submissions WHERE file_kind = 'report'), "
            "(SELECT count(*) FROM observations)"
        ).fetchall()[0]
        assert declared == figures  # no upload half in the backup
        files = con.execute("SELECT sha256, file_name FROM submissions ORDER BY seq").fetchall()
        got = report_of(con)
    finally:
        con.close()
    serial_cfg = settings(db_path=tmp / f"serial-{backup.stem}" / "kpi.duckdb")
    serial = open_database(serial_cfg)
    try:
        for sha, name in files:
            ingest(serial, raw_path(raw_dir, sha).read_bytes(), name, "cli:test", cfg=serial_cfg)
        expected = report_of(serial)
    finally:
        serial.close()
    return got, expected, len(files)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of this module's own: the uploads below change its database, which the shared
    server of the other browser tests must not see (their figures would depend on the order the
    files run in: six Q1 reports stored here made the tour's correction preview read «605,0 →»)."""
    srv = Server(tmp_path_factory.mktemp("safety-server"))
    try:
        yield srv
    finally:
        srv.stop()


def test_a_backup_taken_in_the_app_while_uploads_run_restores_to_the_same_report(
    own_server,
    browser,
    tmp_path,
):
    server = own_server
    files = {
        f"quy-1-dieu-chinh-{k}.xlsx": q1_version(600.0 + k, 600.0 + k, REF.format(n=80 + k, d=f"{k}/6/2024"))
        for k in range(1, 7)
    }
    clerk = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    office = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN", accept_downloads=True)
    try:
        uploads, admin = clerk.new_page(), office.new_page()
        for p in (uploads, admin):
            p.set_default_timeout(120_000)
        open_page(admin, server, "Quản trị hệ thống", "Nhật ký thao tác")
        admin.get_by_role("tab", name="Sao lưu").click()
        open_page(uploads, server, "Tải lên báo cáo", "Chưa chọn tệp nào")
        upload(uploads, files)
        uploads.get_by_text(f"Lưu tất cả {len(files)} tệp hợp lệ").first.wait_for()
        with HealthWatch(server.url) as health:
            uploads.get_by_text(f"Lưu tất cả {len(files)} tệp hợp lệ").first.click()
            admin.get_by_text("Sao lưu ngay").first.click()  # in another session, while the uploads run
            admin.get_by_text("Đã sao lưu:").first.wait_for()
            uploads.get_by_text("Đã lưu «quy-1-dieu-chinh-6.xlsx»").first.wait_for()
            first = admin.get_by_text("Đã sao lưu:").first.inner_text()
            open_page(admin, server, "Quản trị hệ thống", "Nhật ký thao tác")
            admin.get_by_role("tab", name="Sao lưu").click()
            admin.get_by_text("Sao lưu ngay").first.click()  # and once they are all in
            admin.get_by_text("Đã sao lưu:").first.wait_for()
            second = admin.get_by_text("Đã sao lưu:").first.inner_text()
        assert health.failures == 0
    finally:
        clerk.close()
        office.close()
    paths = [Path(text.split("Đã sao lưu:", 1)[1].split("(", 1)[0].strip()) for text in (first, second)]
    assert paths[0] != paths[1] and all(p.parent == server.db.parent / "backups" for p in paths)
    raw_dir = server.db.parent / "raw"
    counts = []
    for backup in paths:
        got, expected, n = _replay(backup, raw_dir, tmp_path)
        assert got == expected, backup  # restored = what the app held at that moment, file by file
        counts.append(n)
    names = {n for _s, n in _files_of(paths[1])}
    assert set(files) <= names and counts[0] <= counts[1]


def _files_of(backup: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(backup), read_only=True)
    try:
        return con.execute("SELECT sha256, file_name FROM submissions ORDER BY seq").fetchall()
    finally:
        con.close()
