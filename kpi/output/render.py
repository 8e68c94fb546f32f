"""Pictures (PNG) of plotly figures drawn on the server: kaleido 1.x driving Debian's chromium.

One persistent render server per process and browser: a :class:`kaleido.Kaleido` browser kept
open in its own thread and event loop, so a warm picture takes about 0.3 s instead of the
≈ 4 s of starting chromium for each one (kaleido's ``start_sync_server`` does the same, but its
calls wait forever; ours wait at most ``Settings.render_timeout_seconds``).

Rules (issue 6, "PNG export on the server"):

* Check first: without a browser kaleido hangs instead of failing, and without a font that has
  Vietnamese glyphs the picture silently has no text. :func:`check` raises
  :class:`~kpi.errors.RenderUnavailable` with what to install; nothing is started.
* A time limit on every call: a hung render raises :class:`~kpi.errors.RenderFailed`, the
  browser is killed and the next call starts a fresh one. The server never blocks.
* No network: MathJax is switched off (kaleido would load it from a CDN), plotly.js is the copy
  shipped with plotly, and chromium is given a dead proxy so any fetch that slipped through
  fails at once instead of leaving the machine.
* Exported pictures are at least :data:`MIN_WIDTH_PX` wide: layout width
  :data:`EXPORT_WIDTH_PX` × :data:`EXPORT_SCALE`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import plotly.graph_objects as go

from kpi.config import Settings, settings
from kpi.errors import RenderFailed, RenderUnavailable

__all__ = [
    "EXPORT_WIDTH_PX",
    "EXPORT_SCALE",
    "PRINT_WIDTH_PX",
    "MIN_WIDTH_PX",
    "browser_candidates",
    "browser_path",
    "kill_tree",
    "vietnamese_fonts",
    "check",
    "problem",
    "png",
    "pngs",
    "warm",
    "shutdown",
]

#: Layout width (CSS px) of a chart on the print view: a page of A4 landscape is ≈ 1,050 CSS px
#: wide, so its 14-px type prints at ≈ 15 px (drawn 1,280 wide it printed at 8–11 px; issue 14).
PRINT_WIDTH_PX = 900
#: Layout width (CSS px) of an exported chart, and the scale it is drawn at: 1280 × 2 = 2560 px.
EXPORT_WIDTH_PX = 1280
EXPORT_SCALE = 2
MIN_WIDTH_PX = 2560
#: Where Debian and friends put a Chromium-family browser (first found wins).
_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
#: Where Windows installs Chrome, Edge (on every Windows 10/11) and Chromium: (folder variable,
#: path below it). Chrome first, then Edge (present on every Windows 10/11, the same engine).
_WINDOWS_CANDIDATES = (
    ("PROGRAMFILES", r"Google\Chrome\Application\chrome.exe"),
    ("PROGRAMFILES(X86)", r"Google\Chrome\Application\chrome.exe"),
    ("LOCALAPPDATA", r"Google\Chrome\Application\chrome.exe"),
    ("PROGRAMFILES(X86)", r"Microsoft\Edge\Application\msedge.exe"),
    ("PROGRAMFILES", r"Microsoft\Edge\Application\msedge.exe"),
    ("LOCALAPPDATA", r"Chromium\Application\chrome.exe"),
)
#: Fonts of a standard Windows 10/11 that carry Vietnamese glyphs (file in %WINDIR%\Fonts → family).
_WINDOWS_FONTS = {
    "arial.ttf": "Arial",
    "segoeui.ttf": "Segoe UI",
    "tahoma.ttf": "Tahoma",
    "times.ttf": "Times New Roman",
    "calibri.ttf": "Calibri",
}
#: A proxy nobody listens on: any http(s) request of the render browser fails at once.
_DEAD_PROXY = "http://127.0.0.1:9"

_INSTALL = "sudo apt-get install chromium fonts-noto-core fonts-dejavu-core"
_INSTALL_WINDOWS = (
    "cài Google Chrome hoặc Microsoft Edge (hoặc đặt KPI_CHROMIUM là đường dẫn tới chrome.exe/msedge.exe)"
)


def _is_windows(platform: str | None) -> bool:
    return (platform or sys.platform).startswith("win")


def _install_hint(platform: str | None) -> str:
    return _INSTALL_WINDOWS if _is_windows(platform) else _INSTALL


def browser_candidates(platform: str | None = None, environ: dict | None = None) -> list[str]:
    """Where a Chromium-family browser may be, in order: Debian's paths, or on Windows
    (``platform`` ``"win32"``) Chrome, Edge and Chromium under ``%PROGRAMFILES%``,
    ``%PROGRAMFILES(X86)%`` and ``%LOCALAPPDATA%`` (from ``environ``, default ``os.environ``)."""
    if not _is_windows(platform):
        return list(_CANDIDATES)
    environ = os.environ if environ is None else environ
    found = []
    for variable, below in _WINDOWS_CANDIDATES:
        folder = environ.get(variable, "").strip()
        if folder:
            found.append(os.path.join(folder, *below.split("\\")))
    return found


def _runnable(path: str, platform: str | None) -> bool:
    # Windows has no execute bit: a file is runnable when it is there.
    return os.path.isfile(path) and (_is_windows(platform) or os.access(path, os.X_OK))


def browser_path(
    cfg: Settings | None = None, *, platform: str | None = None, environ: dict | None = None
) -> str | None:
    """The browser kaleido drives: ``KPI_CHROMIUM`` when set (empty means "none"), else the
    first of :func:`browser_candidates` found (Debian's chromium; on Windows Chrome or Edge), else
    ``chromium``/``chrome``/``msedge`` on PATH; ``None`` when there is none."""
    cfg = cfg or settings()
    if cfg.chromium_path is not None:
        path = cfg.chromium_path
        return path if path and _runnable(path, platform) else None
    for path in browser_candidates(platform, environ):
        if _runnable(path, platform):
            return path
    names = (
        ("chrome", "msedge", "chromium") if _is_windows(platform) else ("chromium", "chromium-browser", "google-chrome")
    )
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def vietnamese_fonts(platform: str | None = None, windir: str | None = None) -> list[str] | None:
    """The font families that cover Vietnamese, or ``None`` when nothing can be said (then
    nothing is refused).

    Linux: what fontconfig lists (``fc-list :lang=vi``, asked once per process); ``None`` when
    ``fc-list`` is missing. Windows (``platform`` ``"win32"``): the fonts of
    :data:`_WINDOWS_FONTS` present in ``windir``\\Fonts (default ``%WINDIR%``, where Chrome takes
    its fonts from); ``None`` when that folder cannot be found.
    """
    if not _is_windows(platform):
        return _fontconfig_vietnamese()
    windir = windir or os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    folder = os.path.join(windir, "Fonts") if windir else None
    if not folder or not os.path.isdir(folder):
        return None
    present = {name.lower() for name in os.listdir(folder)}
    return sorted(family for file, family in _WINDOWS_FONTS.items() if file in present)


@functools.lru_cache(maxsize=1)
def _fontconfig_vietnamese() -> list[str] | None:
    try:
        done = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return sorted({line.strip() for line in done.stdout.splitlines() if line.strip()})


def problem(cfg: Settings | None = None, *, platform: str | None = None) -> RenderUnavailable | None:
    """Why pictures cannot be drawn here (the error :func:`check` would raise), or ``None``;
    the advice names what to install on this platform (apt-get, or Chrome/Edge on Windows)."""
    cfg = cfg or settings()
    install = _install_hint(platform)
    if browser_path(cfg, platform=platform) is None:
        where = f" (KPI_CHROMIUM={cfg.chromium_path!r})" if cfg.chromium_path else ""
        return RenderUnavailable(
            "browser",
            "Máy chủ chưa có trình duyệt Chromium nên chưa xuất được ảnh PNG và bài trình chiếu"
            f"{where}. Quản trị viên {'hãy' if _is_windows(platform) else 'cài bằng lệnh:'} {install} — "
            "rồi khởi động lại ứng dụng. Phụ lục Excel vẫn xuất được.",
        )
    fonts = vietnamese_fonts(platform)
    if fonts is not None and not fonts:
        return RenderUnavailable(
            "font",
            "Máy chủ chưa có phông chữ tiếng Việt nên ảnh PNG sẽ mất chữ; chưa xuất ảnh. "
            f"Quản trị viên {'hãy cài phông Arial hoặc Segoe UI' if _is_windows(platform) else 'cài bằng lệnh: ' + install}",
        )
    return None


def check(cfg: Settings | None = None) -> str:
    """The browser's path when pictures can be drawn here.

    :raises RenderUnavailable: no browser, or no font with Vietnamese glyphs.
    """
    error = problem(cfg)
    if error is not None:
        raise error
    return browser_path(cfg)  # type: ignore[return-value]


def kill_tree(proc, *, platform: str | None = None, run=subprocess.run) -> None:
    """Kill a browser and every process it started (its renderers, GPU and zygote processes).

    POSIX: chromium is started as the leader of its own session (choreographer passes
    ``start_new_session=True``), so its process group is killed with SIGKILL. Windows has no
    process groups to signal: ``taskkill /PID <pid> /T /F`` ends the process tree (``run`` is the
    function that runs it, a parameter so the command is checked on Linux); if taskkill fails,
    the browser process alone is terminated.
    """
    if _is_windows(platform):
        try:
            done = run(["taskkill", "/PID", str(proc.pid), "/T", "/F"], capture_output=True, timeout=30)
            if done.returncode == 0:
                return
        except (OSError, subprocess.TimeoutExpired):
            pass
        proc.kill()
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


@dataclass
class _Server:
    """One Kaleido browser in its own event loop thread."""

    path: str
    loop: asyncio.AbstractEventLoop | None = None
    thread: threading.Thread | None = None
    kaleido: object | None = None
    opening: object | None = None  # the Kaleido being started (killed if start-up hangs)
    timeout: float = 60.0

    def _start_loop(self) -> None:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kpi-render", daemon=True)
        thread.start()
        self.loop, self.thread = loop, thread

    async def _open(self):
        import kaleido

        k = kaleido.Kaleido(
            n=1,
            timeout=self.timeout,
            mathjax=False,
            path=self.path,
            proxy_server=_DEAD_PROXY,
        )
        self.opening = k
        await k.open()
        self.opening = None
        return k

    def _run(self, coro, deadline: float):
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout=max(0.01, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def ensure(self, deadline: float) -> None:
        if self.loop is None:
            self._start_loop()
        if self.kaleido is None:
            self.kaleido = self._run(self._open(), deadline)

    def render(self, specs: list[dict], deadline: float) -> list[bytes]:
        self.ensure(deadline)
        k = self.kaleido

        async def all_of():
            return [await k.calc_fig(s["fig"], opts=s["opts"]) for s in specs]

        return self._run(all_of(), deadline)

    def kill(self) -> None:
        """Kill the browser (its whole process group) and stop the loop: used after a hang."""
        k, loop = self.kaleido or self.opening, self.loop
        self.kaleido = self.opening = self.loop = self.thread = None
        proc = getattr(k, "subprocess", None)
        if proc is not None and proc.poll() is None:
            kill_tree(proc)
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)

    def close(self) -> None:
        if self.kaleido is not None and self.loop is not None:
            try:
                self._run(self.kaleido.close(), time.monotonic() + 10)
            except Exception:  # noqa: BLE001 - closing on exit: kill whatever is left
                pass
        self.kill()


_servers: dict[str, _Server] = {}
_lock = threading.Lock()


def _server(path: str, timeout: float) -> _Server:
    server = _servers.get(path)
    if server is None:
        server = _servers[path] = _Server(path, timeout=timeout)
    server.timeout = timeout
    return server


def _spec(fig: go.Figure | dict, width: int, height: int | None, scale: float) -> dict:
    data = fig.to_plotly_json() if isinstance(fig, go.Figure) else fig
    layout = data.get("layout", {})
    return {
        "fig": data,
        "opts": {
            "format": "png",
            "width": width,
            "height": height or layout.get("height") or 600,
            "scale": scale,
        },
    }


def pngs(
    figs: list[go.Figure],
    *,
    width: int = EXPORT_WIDTH_PX,
    height: int | None = None,
    scale: float = EXPORT_SCALE,
    timeout: float | None = None,
    cfg: Settings | None = None,
) -> list[bytes]:
    """PNG bytes of each figure, drawn by the process's render server (started when needed).

    :param width: layout width in CSS px (the picture is ``width × scale`` px wide; the default
        2560 px); ``height`` defaults to the figure's own ``layout.height``.
    :param timeout: seconds for the whole call, start-up included (default
        ``Settings.render_timeout_seconds``).
    :raises RenderUnavailable: no browser or no Vietnamese font (checked before anything starts).
    :raises RenderFailed: the time limit passed or the browser broke; the browser is killed and
        the next call starts a new one.
    """
    cfg = cfg or settings()
    path = check(cfg)
    limit = float(timeout if timeout is not None else cfg.render_timeout_seconds)
    specs = [_spec(f, width, height, scale) for f in figs]
    deadline = time.monotonic() + limit
    with _lock:
        server = _server(path, limit)
        try:
            return server.render(specs, deadline)
        except TimeoutError:  # concurrent.futures.TimeoutError is this class since 3.11
            server.kill()
            raise RenderFailed(
                "timeout",
                f"Vẽ ảnh PNG quá {limit:g} giây nên đã dừng; máy chủ vẫn chạy bình thường. "
                "Hãy thử lại; nếu vẫn lỗi, báo quản trị viên kiểm tra trình duyệt Chromium trên máy chủ.",
            ) from None
        except Exception as exc:  # kaleido and choreographer raise many kinds: all mean "restart"
            server.kill()
            raise RenderFailed(
                "browser",
                f"Trình duyệt vẽ ảnh PNG gặp lỗi ({type(exc).__name__}); đã khởi động lại. Hãy thử lại.",
            ) from exc


def png(fig: go.Figure, **kwargs) -> bytes:
    """One figure as PNG bytes; see :func:`pngs` for the options and errors."""
    return pngs([fig], **kwargs)[0]


def warm(cfg: Settings | None = None) -> bool:
    """Start the render server in the background (non-blocking) so the first picture is warm.
    Returns False when pictures cannot be drawn here (see :func:`problem`)."""
    cfg = cfg or settings()
    if problem(cfg) is not None:
        return False
    path = browser_path(cfg)

    def start():
        try:
            with _lock:
                _server(path, cfg.render_timeout_seconds).ensure(time.monotonic() + cfg.render_timeout_seconds)
        except Exception:  # noqa: BLE001 - a failed warm-up is retried by the first real call
            with _lock:
                server = _servers.get(path)
                if server is not None:
                    server.kill()

    server = _servers.get(path)
    if server is None or server.kaleido is None:
        threading.Thread(target=start, name="kpi-render-warm", daemon=True).start()
    return True


def shutdown() -> None:
    """Close every render server (at exit; also usable by tests)."""
    with _lock:
        for server in list(_servers.values()):
            server.close()
        _servers.clear()


atexit.register(shutdown)
