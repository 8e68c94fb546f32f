"""One real Streamlit server and one headless Debian chromium, shared by every browser test.

The server runs ``streamlit run app.py`` on a free port with its own database; chromium is
Debian's (``/usr/bin/chromium``) driven by Playwright, started with the flags this machine needs
(no sandbox as root, no GPU, no background network).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.paths import PROJECT

ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def require_chromium(path: str = CHROMIUM, environ: dict | None = None) -> None:
    """Skip the browser tests where Chromium is absent (a Windows PC, a machine without Debian's
    chromium), but fail under ``CI=true``: CI installs it, so its absence there is a broken set-up."""
    if Path(path).exists():
        return
    message = f"{path} is missing: install Debian's chromium (python3 start.py test does it on Debian/Ubuntu)"
    if (os.environ if environ is None else environ).get("CI", "").strip().lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the Streamlit server did not become healthy")


#: A phone's browser at 390×844, as officials open a link sent over chat (a Playwright context's options).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}


class Server:
    """A running ``streamlit run app.py`` with its own database folder."""

    def __init__(
        self, db_dir: Path, env: dict | None = None, address: str | None = "127.0.0.1", script: str = "app.py"
    ):
        """:param address: ``--server.address``; ``None`` listens as ``python3 start.py`` does, on
        every address, IPv6 included (a browser at 127.0.0.1 then reaches it as ::ffff:127.0.0.1).
        :param script: the Streamlit script (the benchmark's bare two-page app beside ours)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = db_dir / "kpi.duckdb"
        environment = {**os.environ, "KPI_DB": str(self.db), "PYTHONPATH": str(PROJECT), **(env or {})}
        self.log = open(db_dir / "server.log", "wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(self.port),
                *(["--server.address", address] if address else []),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=PROJECT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.start_seconds = wait_healthy(self.url)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/_stcore/health", timeout=5) as response:
                return response.read() == b"ok"
        except OSError:
            return False

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


#: The one server and the one browser of the session. Every test module that imports the fixtures
#: below gets its own session fixture from pytest; all of them hand out these same two objects
#: (a second server would cost seconds, a second sync Playwright cannot even start).
_SHARED: dict = {}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if "server" in _SHARED:
        yield _SHARED["server"]
        return
    srv = _SHARED["server"] = Server(tmp_path_factory.mktemp("server"))
    try:
        yield srv
    finally:
        srv.stop()
        _SHARED.pop("server", None)


@pytest.fixture(scope="session")
def browser():
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = _SHARED["browser"] = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
            _SHARED.pop("browser", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


#: Every page has finished: the script has run, nothing is stale, no skeleton is left, every chart
#: has its texts (a condition, never a fixed wait).
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelectorAll('svg.main-svg text').length > 0);
}"""


#: Installed before an action: counts the times the script starts running (the attribute of ``stApp``
#: going to ``running``), so a wait can ask for a run that began after the action, not an earlier one.
WATCH_RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__kpiRuns = 0;
  if (window.__kpiRunWatch) window.__kpiRunWatch.disconnect();
  window.__kpiRunWatch = new MutationObserver(() => {
    if (app.dataset.testScriptState === 'running') window.__kpiRuns += 1;
  });
  window.__kpiRunWatch.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def after_rerun(page, action) -> None:
    """Do ``action()`` and wait until the script run it starts has finished and the page is drawn.

    :data:`SETTLED` alone can be true just after a click, before the run has begun: the next action
    then lands while the page is redrawn, and a widget's choice can be lost (seen in CI: the second
    award chosen in a multiselect missing)."""
    page.evaluate(WATCH_RUNS)
    action()
    page.wait_for_function("() => window.__kpiRuns > 0")
    page.wait_for_function(SETTLED)


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the page's script and drawn it (:data:`SETTLED`)."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_function(
        '() => document.querySelectorAll(\'[data-testid="stMarkdown"], [data-testid="stHeading"]\').length > 0',
        timeout=60_000,
    )
    page.wait_for_function(SETTLED, timeout=60_000)


def ensure_samples(page, url: str) -> None:
    """The five samples loaded (by the overview's button when the database is still empty)."""
    page.goto(url + "/")
    wait_for_app(page)
    page.wait_for_function(
        "() => ['Chưa có số liệu nào cho năm này', '2.438,3 tỷ đồng'].some(t => document.body.innerText.includes(t))"
    )
    if page.get_by_text("Chưa có số liệu nào cho năm này").count():
        page.get_by_role("button", name="Nạp 5 báo cáo mẫu").click()
    page.get_by_text("2.438,3 tỷ đồng").first.wait_for(timeout=120_000)
