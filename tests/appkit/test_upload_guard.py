"""Uploads refused before Streamlit keeps their bytes (issue 16, finding 5: "any visitor can push
25 × 20 MB into the server's memory in 1.3 s, even with sign-in required").

The decision (:func:`appkit.upload_guard.upload_allowed`) and the byte budget are checked on a real
database and Streamlit's real uploaded-file manager; then a real ``streamlit run app.py`` with one
user is attacked over plain HTTP and its websocket (as a script would, no browser): an anonymous
visitor's big uploads are all refused and the server's resident memory does not grow by them; a
signed-in editor's uploads are accepted up to the per-session cap, and a second one's up to the
global cap.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import http.cookiejar
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest

from appkit.upload_guard import UploadBudget, _held_bytes, upload_allowed
from kpi.access.auth import add_user
from tests.support.browser import PROJECT, free_port, wait_healthy
from tests.support.samples import ACTOR

MB = 1024 * 1024
PASSWORD = "mat-khau-thu-nghiem"


# -- the decision, on a real database ---------------------------------------------------------


def test_no_user_yet_uploads_only_from_the_server_machine(con):
    assert upload_allowed(con, None, "127.0.0.1")
    assert upload_allowed(con, None, "::1")
    # `python3 start.py` listens on every address, IPv6 included: a browser on the server machine
    # opening http://127.0.0.1:8501 reaches it as ::ffff:127.0.0.1 (found by a black-box user: the
    # upload was refused with 403 there and allowed on http://localhost).
    assert upload_allowed(con, None, "::ffff:127.0.0.1")
    assert not upload_allowed(con, None, "::ffff:192.0.2.7")
    assert not upload_allowed(con, None, "192.0.2.7")  # a LAN visitor of a fresh install
    assert not upload_allowed(con, None, None)  # peer unknown: refused
    assert not upload_allowed(con, None, "testclient")


def test_once_a_user_exists_only_signed_in_editors_and_admins_upload(con):
    add_user(con, ACTOR, "quan-tri", "admin", PASSWORD)
    add_user(con, ACTOR, "bien-tap", "editor", PASSWORD)
    add_user(con, ACTOR, "nguoi-xem", "viewer", PASSWORD)
    assert not upload_allowed(con, None, "127.0.0.1")  # not signed in, even on the server machine
    assert not upload_allowed(con, "", "127.0.0.1")
    assert not upload_allowed(con, "nguoi-xem", "127.0.0.1")  # a viewer may not upload
    assert not upload_allowed(con, "khong-co-ai", "127.0.0.1")  # a name that is no user
    assert upload_allowed(con, "bien-tap", "192.0.2.7")
    assert upload_allowed(con, "quan-tri", "192.0.2.7")


# -- the budget, on Streamlit's real uploaded-file manager ---------------------------------------


def test_budget_counts_held_and_incoming_bytes_per_session_and_in_all():
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    budget = UploadBudget(session_cap=3 * MB, total_cap=5 * MB, held=_held_bytes(manager))

    def keep(session: str, size: int) -> None:
        manager.add_file(session, UploadedFileRec(str(uuid.uuid4()), "a.xlsx", "application/x", b"x" * size))

    assert budget.admit("a", 2 * MB) is None  # under way, not yet held
    assert budget.admit("a", 2 * MB) == 413  # 2 + 2 > 3 MB for the session
    budget.release("a", 2 * MB)
    keep("a", 2 * MB)
    assert budget.admit("a", MB) is None  # held 2 + 1 = 3 MB: at the cap, allowed
    budget.release("a", MB)
    keep("a", MB)
    assert budget.admit("a", 1) == 413
    assert budget.admit("b", 2 * MB) is None  # 3 held + 2 incoming = 5 MB in all
    assert budget.admit("c", 1) == 503  # the server's cap
    budget.release("b", 2 * MB)
    manager.remove_session_files("a")  # the session ended: its bytes count no more
    assert budget.admit("c", 3 * MB) is None


# -- a real server, attacked ------------------------------------------------------------------

#: Small caps so the test moves little data: 1 000 000-byte files, 3 MB per session, 5 MB in all.
SESSION_MB, TOTAL_MB, FILE_BYTES = 3, 5, 1_000_000


class Client:
    """One visitor: an XSRF cookie, a websocket session (its id), uploads over HTTP."""

    def __init__(self, url: str):
        from websockets.sync.client import connect

        self.url = url
        jar = http.cookiejar.CookieJar()
        urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(url + "/_stcore/health").read()
        self.xsrf = {c.name: c.value for c in jar}["_streamlit_xsrf"]
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(
            connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None)
        )
        self.session_id = ""
        self.elements: dict = {}
        self.page_hash = ""
        self.rerun([])
        assert self.session_id

    def rerun(self, widgets: list) -> None:
        """Run the page's script with these widget states; collect its elements until it ends."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.widgets.extend(widgets)
        self.ws.send(msg.SerializeToString())
        started = False
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=60))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                started = True
                self.session_id = fwd.new_session.initialize.session_id
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                proto = getattr(element, element.WhichOneof("type"))
                label = getattr(proto, "label", None)
                if label:
                    self.elements[label] = proto
            elif kind == "script_finished" and started:
                return

    def sign_in(self, name: str, password: str) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        states = []
        for label, value in (("Tên đăng nhập", name), ("Mật khẩu", password)):
            states.append(WidgetState(id=self.elements[label].id, string_value=value))
        states.append(WidgetState(id=self.elements["Đăng nhập"].id, trigger_value=True))
        self.elements.clear()
        self.rerun(states)  # signs in, then st.rerun() draws the signed-in sidebar
        self.rerun([])
        assert "Đăng xuất" in self.elements, "the sign-in did not take"

    def upload(self, size: int) -> int:
        """PUT one file of ``size`` bytes as the browser's uploader does; the HTTP status."""
        boundary = "kpiBoundary7MA4YWxkTrZu0gW"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bao-cao.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body = head + os.urandom(size) + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            f"{self.url}/_stcore/upload_file/{self.session_id}/{uuid.uuid4()}",
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": self.xsrf,
                "Cookie": f"_streamlit_xsrf={self.xsrf}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def close(self) -> None:
        self._stack.close()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory):
    """``streamlit run app.py`` on a database with an admin and an editor (set-up mode over, so
    sign-in is on), small caps."""
    folder = tmp_path_factory.mktemp("upload-guard")
    db = folder / "kpi.duckdb"
    env = {**os.environ, "KPI_DB": str(db), "PYTHONPATH": str(PROJECT)}
    for name, role in (("quan-tri", "admin"), ("bien-tap", "editor")):
        subprocess.run(
            [sys.executable, "-m", "kpi", "user", "add", name, "--role", role, "--password-stdin", "--db", str(db)],
            input=PASSWORD + "\n",
            text=True,
            check=True,
            cwd=PROJECT,
            env=env,
            capture_output=True,
        )
    port = free_port()
    env |= {"KPI_UPLOAD_SESSION_MB": str(SESSION_MB), "KPI_UPLOAD_TOTAL_MB": str(TOTAL_MB)}
    with open(folder / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
            + ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url)
            warm = Client(url)  # the first script run of the process (imports, plan) before measuring
            warm.close()
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.slow
def test_anonymous_visitor_cannot_fill_the_servers_memory(guarded_server):
    url, pid = guarded_server
    visitor = Client(url)
    try:
        before = rss_mb(pid)
        with cf.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: visitor.upload(19 * MB), range(10)))
        grown = rss_mb(pid) - before
    finally:
        visitor.close()
    assert codes == [403] * 10
    # Before the guard: 10 × 204 and ≈ +200 MB held (+500 MB for the 25); now only the
    # refused bodies' chunks pass by, read and dropped.
    assert grown < 60, f"RSS grew by {grown:.0f} MB"


@pytest.mark.slow
def test_signed_in_editor_is_held_to_the_session_and_server_caps(guarded_server):
    url, _pid = guarded_server
    first, second = Client(url), Client(url)
    try:
        assert first.upload(FILE_BYTES) == 403  # not signed in yet
        first.sign_in("bien-tap", PASSWORD)
        second.sign_in("bien-tap", PASSWORD)
        # 3 MB per session: three files of 1 000 000 bytes, not a fourth.
        assert [first.upload(FILE_BYTES) for _ in range(4)] == [204, 204, 204, 413]
        # 5 MB in all: 3 000 000 held by the first session, two more, then "the server is busy".
        assert [second.upload(FILE_BYTES) for _ in range(3)] == [204, 204, 503]
    finally:
        first.close()
        second.close()
