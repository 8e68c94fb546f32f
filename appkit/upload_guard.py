"""Refuse an upload before Streamlit keeps its bytes: who may upload, and how much may be held.

Streamlit's file uploader sends each file with ``PUT /_stcore/upload_file/<session id>/<file id>``;
Streamlit reads the whole body and keeps it in memory (``MemoryUploadedFileManager``) until the
widget lets it go or the session ends. Any visitor who opens the page has a session id, so before
this guard anyone could hold 25 × 20 MB in the server's memory in seconds (issue 16, finding 5).

:func:`install` wraps that one route of the running server (once per process, from ``app.py``):
each ``PUT`` is answered here, **before a byte of its body is read**, with

* ``403`` when :func:`upload_allowed` says no (not signed in while sign-in is on, a viewer, or, on
  an install without users, a client that is not the server machine itself);
* ``413`` when the session's held bytes, the uploads it has under way and this one (its
  ``Content-Length``, or the largest allowed body when the length is not given) would pass
  ``Settings.upload_session_bytes``;
* ``503`` when all sessions' held and incoming bytes would pass ``Settings.upload_total_bytes``;

and is otherwise handed to Streamlit unchanged (which still enforces ``server.maxUploadSize`` while
streaming). ``DELETE`` (a file let go) is never touched. The connection is the process's one
(``appkit``); the install's open state is read with one ``count(*)`` per upload, off the event loop.
"""

from __future__ import annotations

import contextvars
import gc
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kpi.config import Settings, settings
from kpi.storage.store import cursor as store_cursor

if TYPE_CHECKING:  # kpi.access.auth (pandas, argon2) is imported on the first upload, not at install
    import duckdb

__all__ = ["upload_allowed", "UploadBudget", "install"]

_LOG = logging.getLogger(__name__)
#: The route Streamlit registers for uploads (``starlette_routes._ROUTE_UPLOAD_FILE``).
UPLOAD_ROUTE_SUFFIX = "/_stcore/upload_file/{session_id}/{file_id}"
#: Streamlit's framing margin over ``server.maxUploadSize`` (``_MAX_UPLOAD_MULTIPART_OVERHEAD_BYTES``).
MULTIPART_OVERHEAD_BYTES = 1024 * 1024
#: The session-state key that holds the signed-in user's name (``appkit``'s sign-in form).
USER_KEY = "kpi_user"

_MESSAGES = {
    403: (
        "Không được tải tệp lên: hãy đăng nhập bằng tài khoản có quyền cập nhật số liệu "
        "(khi chưa có người dùng nào, chỉ tải lên được trên chính máy chủ)."
    ),
    413: "Phiên làm việc này đang giữ quá nhiều tệp chưa lưu: hãy lưu hoặc bỏ bớt tệp rồi tải lên lại.",
    503: "Máy chủ đang nhận quá nhiều tệp cùng lúc: hãy đợi một lát rồi tải lên lại.",
}


def upload_allowed(con: duckdb.DuckDBPyConnection, user: str | None, peer: str | None) -> bool:
    """Whether a session may send a file to the server at all (before any byte is kept).

    * While **no user exists** (``kpi.access.auth.open_mode``): only from the server machine itself, i.e.
      when ``peer`` — the socket's peer address as the web server reports it — is a loopback
      address (127.0.0.0/8, ::1). A LAN visitor of a fresh install cannot upload (issue 16, "An
      install is never open to the LAN by accident"). uvicorn replaces the peer with the
      ``X-Forwarded-For`` client only for proxies in ``FORWARDED_ALLOW_IPS`` (default 127.0.0.1).
    * Once a user exists: only a signed-in session (``user``, the name in ``kpi_user``) whose role
      may upload (``kpi.access.auth.can(…, "upload")``: editor or admin) — wherever it connects from.

    :param con: a cursor of the app's database.
    :param user: the session's signed-in user name, ``None``/empty when nobody is signed in.
    :param peer: the client's IP address as text (``None`` when unknown: refused while open).
    """
    from kpi.access.auth import can, is_local_address, open_mode

    if open_mode(con):
        # the one rule of kpi.access.auth: a dual-stack server reports 127.0.0.1 as ::ffff:127.0.0.1
        return is_local_address(peer)
    return bool(user) and can(con, user, "upload")


class UploadBudget:
    """Bytes held and under way, per session and in all: admits an upload only within both caps.

    ``held(session_id)`` and ``held_total()`` are what Streamlit's uploaded-file manager holds now;
    the budget adds what admitted uploads may still bring (their reservations) until they end.
    Thread-safe.
    """

    def __init__(self, session_cap: int, total_cap: int, held: Callable[[str | None], int]):
        self.session_cap = session_cap
        self.total_cap = total_cap
        self._held = held
        self._lock = threading.Lock()
        self._incoming: dict[str, int] = {}

    def admit(self, session_id: str, nbytes: int) -> int | None:
        """Reserve ``nbytes`` for ``session_id``; ``None`` if admitted (call :meth:`release`
        after), else the HTTP status of the refusal (413 for the session, 503 for the server)."""
        with self._lock:
            mine = self._held(session_id) + self._incoming.get(session_id, 0)
            if mine + nbytes > self.session_cap:
                return 413
            if self._held(None) + sum(self._incoming.values()) + nbytes > self.total_cap:
                return 503
            self._incoming[session_id] = self._incoming.get(session_id, 0) + nbytes
            return None

    def release(self, session_id: str, nbytes: int) -> None:
        with self._lock:
            left = self._incoming.get(session_id, 0) - nbytes
            if left > 0:
                self._incoming[session_id] = left
            else:
                self._incoming.pop(session_id, None)


def _held_bytes(manager) -> Callable[[str | None], int]:
    """Bytes Streamlit's ``MemoryUploadedFileManager`` holds for one session (or all, ``None``)."""
    lock = getattr(manager, "_lock", None) or threading.Lock()

    def held(session_id: str | None) -> int:
        with lock:
            storage = manager.file_storage
            sessions = list(storage.values()) if session_id is None else [storage.get(session_id) or {}]
            return sum(len(rec.data) for files in sessions for rec in files.values())

    return held


def _session_user(runtime, session_id: str) -> tuple[bool, str | None]:
    """(the session is active, its signed-in user). Read from another thread than the session's
    script: a read that races a script run counts as not signed in (refused, never let in)."""
    session = runtime.get_app_session(session_id)
    if session is None:
        return False, None
    try:
        state = session.session_state
        user = state[USER_KEY] if USER_KEY in state else None
    except Exception:  # noqa: BLE001 - a dict changing under us: fail closed
        return True, None
    return True, user if isinstance(user, str) else None


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return max(0, int(value))
            except ValueError:
                return None
    return None


#: Set while an upload the guard admitted runs: Streamlit's ``add_file`` keeps nothing without it.
_ADMITTED: contextvars.ContextVar[bool] = contextvars.ContextVar("kpi_upload_admitted", default=False)


async def _refuse(receive, send, status: int, drain_limit: int) -> None:
    """Answer ``status`` with a Vietnamese text. The body is read and dropped chunk by chunk first
    (up to ``drain_limit`` bytes; nothing is kept), so the browser gets the answer rather than a
    connection reset; a longer body is cut off."""
    drained = 0
    while drained <= drain_limit:
        message = await receive()
        if message.get("type") != "http.request":
            break
        drained += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = _MESSAGES[status].encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _guard(original, runtime, cfg: Settings, connect: Callable[[], duckdb.DuckDBPyConnection], budget: UploadBudget):
    """The ASGI app put in place of the upload route's: checks, reserves, then hands over."""
    from anyio import to_thread

    largest_body = cfg.max_upload_bytes + MULTIPART_OVERHEAD_BYTES

    def allowed(session_id: str, peer: str | None) -> bool | None:
        active, user = _session_user(runtime, session_id)
        if not active:
            return None  # Streamlit answers an unknown session (400) before reading the body
        try:
            cursor = store_cursor(connect())
            try:
                return upload_allowed(cursor, user, peer)
            finally:
                cursor.close()
        except Exception:  # noqa: BLE001 - the database unreadable: refuse, never let in
            _LOG.exception("upload guard: cannot read the database; upload refused")
            return False

    async def guarded(scope, receive, send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "PUT":
            await original(scope, receive, send)
            return
        session_id = str((scope.get("path_params") or {}).get("session_id", ""))
        peer = (scope.get("client") or (None, None))[0]
        verdict = await to_thread.run_sync(allowed, session_id, peer)
        if verdict is None:
            await original(scope, receive, send)
            return
        if not verdict:
            await _refuse(receive, send, 403, largest_body)
            return
        length = _content_length(scope)
        reserve = largest_body if length is None else min(length, largest_body)
        status = budget.admit(session_id, reserve)
        if status is not None:
            await _refuse(receive, send, status, largest_body)
            return
        token = _ADMITTED.set(True)
        try:
            await original(scope, receive, send)
        finally:
            _ADMITTED.reset(token)
            budget.release(session_id, reserve)

    guarded.kpi_upload_guard = True  # type: ignore[attr-defined]
    return guarded


_install_lock = threading.Lock()
_installed: bool | None = None  # None: not tried; then whether the route is guarded (tried once)


def _default_connect() -> duckdb.DuckDBPyConnection:
    from appkit.session import _connection  # imported when first used, like before the package split

    return _connection(str(settings().db_path))


def _gate_add_file(manager) -> None:
    """Make Streamlit's uploaded-file manager keep a file only inside an upload the guard admitted
    (an upload already under way when the guard was installed is refused at the end), and drop
    what it holds now: :func:`install` runs at the top of the first script run of the process,
    before any page has drawn a file uploader, so anything held then came from outside a page."""
    if getattr(manager.add_file, "kpi_upload_guard", False):
        return
    original = manager.add_file

    def add_file(session_id, file) -> None:
        if not _ADMITTED.get():
            from starlette.exceptions import HTTPException

            raise HTTPException(status_code=403, detail=_MESSAGES[403])
        original(session_id, file)

    add_file.kpi_upload_guard = True  # type: ignore[attr-defined]
    manager.add_file = add_file
    for session_id in list(manager.file_storage):
        manager.remove_session_files(session_id)


def install(connect: Callable[[], duckdb.DuckDBPyConnection] | None = None, cfg: Settings | None = None) -> bool:
    """Put the guard on the running server's upload route (idempotent; cheap after the first call).

    :param connect: returns the process's database connection (default: ``appkit``'s).
    :returns: whether the route is guarded; ``False`` outside a running server (``AppTest``).
    """
    try:
        from starlette.applications import Starlette
        from starlette.routing import Route
        from streamlit.runtime import Runtime
    except ImportError:  # pragma: no cover - a Streamlit without its Starlette server
        return False
    global _installed
    if _installed is not None:
        return _installed
    if not Runtime.exists():
        return False
    with _install_lock:
        if _installed is not None:
            return _installed
        routes = [
            route
            for app in gc.get_objects()
            if isinstance(app, Starlette)
            for route in app.router.routes
            if isinstance(route, Route) and route.path.endswith(UPLOAD_ROUTE_SUFFIX) and "PUT" in (route.methods or ())
        ]
        if not routes:
            _LOG.warning("upload guard: Streamlit's upload route was not found; uploads are NOT guarded")
            _installed = False
            return False
        runtime = Runtime.instance()
        _gate_add_file(runtime.uploaded_file_mgr)
        cfg = cfg or settings()
        budget = UploadBudget(cfg.upload_session_bytes, cfg.upload_total_bytes, _held_bytes(runtime.uploaded_file_mgr))
        for route in routes:
            if not getattr(route.app, "kpi_upload_guard", False):
                route.app = _guard(route.app, runtime, cfg, connect or _default_connect, budget)
        _installed = True
        return True
