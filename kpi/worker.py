"""Untrusted files are parsed in long-lived worker processes with memory and CPU limits.

A hostile or broken spreadsheet must not take the server down: parsing (zip, XML, calamine,
xlrd) runs in a separate process whose address space (``RLIMIT_AS``) and CPU time
(``RLIMIT_CPU``) are capped, with a wall-clock timeout on top. A reader that tries to allocate
tens of GB, loops, or crashes kills only its worker; the file is refused with a short message
and the worker is restarted for the next file. Workers are kept alive between files (spawning a
fresh process per file costs 40–110 ms here), in a small pool so two uploads can parse at once.
When a worker dies on a file, a fresh one runs :func:`kpi.workbook.diagnose` on it (same limits,
shorter timeout) so the refusal names the cause ("a value at XFD1048576") when it can.

The pool lends at most ``size`` workers at a time; a request waits on a condition for a free
slot, and every return of a slot — a worker handed back, or killed for a timeout or a crash —
wakes a waiter (issue 16, finding 9: a killed worker's slot used to be returned without waking
anyone, so the next upload waited for some other parse to finish). On Linux a worker dies with
the server (``PR_SET_PDEATHSIG``: the kernel sends it SIGKILL when its parent goes, even by
``kill -9``; issue 16, finding 12), which is why workers are started from one thread that lives
as long as the server (:class:`_Spawner`).

Set ``KPI_PARSE_IN_PROCESS=1`` to parse in the calling process (debugging only).
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import select
import signal
import subprocess
import sys
import threading
import time

from kpi.config import PROJECT_DIR, Settings
from kpi.errors import UnreadableFile
from kpi.workbook import Workbook, diagnose, read_workbook

__all__ = ["read_workbook_safely", "WorkerPool", "pool", "shutdown", "child_main"]

_LINUX = sys.platform.startswith("linux")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _read_frame(stream) -> bytes | None:
    head = stream.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    return data if len(data) == size else None


def _write_frame(stream, payload: bytes) -> None:
    stream.write(len(payload).to_bytes(8, "big"))
    stream.write(payload)
    stream.flush()


def child_main() -> None:  # pragma: no cover - runs in the worker process
    """The worker's loop: read (operation, bytes, name, settings) frames from stdin, answer on
    stdout. ``read`` answers ("ok", Workbook) or ("unreadable", (cause, message)); ``diagnose``
    answers ("ok", None) or ("unreadable", (cause, message))."""
    import pickle
    import resource

    memory_bytes, cpu_seconds = int(sys.argv[1]), int(sys.argv[2])
    _die_with_parent(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):
        pass
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    while True:
        frame = _read_frame(stdin)
        if frame is None:
            return
        operation, data, file_name, cfg = pickle.loads(frame)
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime)
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu_seconds, spent + cpu_seconds + 5))
        except (ValueError, OSError):
            pass
        try:
            if operation == "diagnose":
                found = diagnose(data, cfg)
                result = ("unreadable", (found.cause, found.message_vi)) if found else ("ok", None)
            else:
                result = ("ok", read_workbook(data, file_name, cfg))
        except UnreadableFile as exc:
            result = ("unreadable", (exc.cause, exc.message_vi))
        except MemoryError:
            result = ("unreadable", ("too_large", _MEMORY_MESSAGE))
        except Exception as exc:  # noqa: BLE001 - any reader bug becomes a refusal, never a crash
            result = (
                "unreadable",
                (
                    "corrupt",
                    f"Tệp bị hỏng hoặc có cấu trúc lạ nên không đọc được "
                    f"({type(exc).__name__}). Hãy mở tệp gốc trong Excel, "
                    "lưu lại (.xlsx) rồi tải lên lại.",
                ),
            )
        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("unreadable", ("too_large", _MEMORY_MESSAGE)))
        _write_frame(stdout, payload)


def _die_with_parent(parent_pid: int) -> None:  # pragma: no cover - runs in the worker process
    """Linux: have the kernel SIGKILL this worker when the process that started it ends, however
    it ends — a busy worker would otherwise parse on for seconds after a ``kill -9`` of the
    server (idle, it ends anyway on its stdin's end of file). Then, if that parent is already gone
    (it died before the call), end now. Elsewhere nothing is done."""
    if not _LINUX:
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent_pid and os.getppid() != parent_pid:
        os._exit(0)


_MEMORY_MESSAGE = (
    "Tệp cần quá nhiều bộ nhớ để đọc (có thể là tệp độc hại hoặc có hàng triệu ô trống đã "
    "định dạng). Hãy xoá các dòng/cột thừa hoặc tách tệp rồi tải lên lại."
)


class _Spawner:
    """Starts processes from one thread that lives as long as this process (on Linux).

    Linux sends a child its parent-death signal when the *thread* that started it ends, not only
    the process (prctl(2), ``PR_SET_PDEATHSIG``), and Streamlit runs each script run in a thread of
    its own: a worker started there would be killed when that run ends. Started from this thread,
    a worker dies exactly when the server does. Elsewhere processes are started directly.
    """

    def __init__(self):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def popen(self, args: list[str], **options) -> subprocess.Popen:
        """``subprocess.Popen(args, **options)``, run by the spawning thread; its errors raised here."""
        if not _LINUX:
            return subprocess.Popen(args, **options)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():  # also after a fork
                self._thread = threading.Thread(target=self._serve, name="kpi-worker-spawner", daemon=True)
                self._thread.start()
        reply: queue.SimpleQueue = queue.SimpleQueue()
        self._jobs.put((args, options, reply))
        ok, value = reply.get()
        if not ok:
            raise value
        return value

    def _serve(self) -> None:
        while True:
            args, options, reply = self._jobs.get()
            try:
                reply.put((True, subprocess.Popen(args, **options)))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                reply.put((False, exc))


_SPAWNER = _Spawner()


class _Worker:
    """One worker process (``python -c "from kpi.worker import child_main; child_main()"``),
    talking length-prefixed pickles over its stdin/stdout."""

    def __init__(self, cfg: Settings):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(PROJECT_DIR) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["RUST_BACKTRACE"] = "0"  # a reader that aborts should die at once, not symbolise a backtrace
        self.proc = _SPAWNER.popen(
            [
                sys.executable,
                "-c",
                "from kpi.worker import child_main; child_main()",
                str(cfg.worker_memory_bytes),
                str(cfg.worker_cpu_seconds),
                str(os.getpid()),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=str(PROJECT_DIR),
            start_new_session=True,
        )
        self.files = 0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, message) -> None:
        _write_frame(self.proc.stdin, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def ready(self, timeout: float) -> bool:
        readable, _, _ = select.select([self.proc.stdout], [], [], timeout)
        return bool(readable)

    def receive(self):
        frame = _read_frame(self.proc.stdout)
        if frame is None:
            raise EOFError
        return pickle.loads(frame)

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(2)
        except Exception:  # noqa: BLE001 - already gone
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except Exception:  # noqa: BLE001
                pass

    def stop(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(1)
        except Exception:  # noqa: BLE001
            pass
        self.kill()


class _Died(Exception):
    """The worker died while answering (killed by a limit, crashed)."""


class _TimedOut(Exception):
    """The worker did not answer in time and was killed."""


class WorkerPool:
    """At most ``size`` parsing workers, started on first use and replaced when one dies.

    :ivar busy: workers lent out now (each holds one of the ``size`` slots).
    :ivar waiting: requests waiting for a slot.
    :ivar restarts: workers killed or found dead so far (a timeout, a crash, a limit).
    """

    def __init__(self, size: int = 2):
        self.size = max(1, size)
        self._slots = threading.Condition()
        self._idle: list[_Worker] = []
        self.busy = 0
        self.waiting = 0
        self.restarts = 0

    def _get(self, cfg: Settings) -> _Worker:
        """Take a slot (waiting while all are lent), then an idle worker or a new one."""
        with self._slots:
            self.waiting += 1
            try:
                self._slots.wait_for(lambda: self.busy < self.size)
            finally:
                self.waiting -= 1
            self.busy += 1
            worker = self._idle.pop() if self._idle else None
        try:
            if worker is not None and not worker.alive():
                worker.kill()
                self._count_restart()
                worker = None
            return worker or _Worker(cfg)
        except BaseException:
            self._put(None)
            raise

    def _put(self, worker: _Worker | None) -> None:
        """Give the slot back — with the worker, or ``None`` when it was killed — and wake a waiter."""
        with self._slots:
            self.busy -= 1
            if worker is not None:
                self._idle.append(worker)
            self._slots.notify()

    def _count_restart(self) -> None:
        with self._slots:
            self.restarts += 1

    def pids(self) -> list[int]:
        """The process ids of the idle workers (tests and diagnostics)."""
        with self._slots:
            return [w.proc.pid for w in self._idle]

    def warm(self, cfg: Settings | None = None) -> None:
        """Start one worker now (the app calls this at start-up, off the request path)."""
        worker = self._get(cfg or Settings())
        self._put(worker)

    def _ask(self, operation: str, data: bytes, file_name: str, cfg: Settings, timeout_s: float):
        """Send one request to a worker and wait for its answer. The slot is given back whatever
        happens (with the worker when it answered, else after killing it).

        :returns: the worker's (status, payload).
        :raises _Died: the worker died (or its pipe broke); it has been killed.
        :raises _TimedOut: no answer within ``timeout_s``; the worker was killed.
        """
        worker = self._get(cfg)
        kept: _Worker | None = None
        try:
            try:
                worker.send((operation, data, file_name, cfg))
                deadline = time.monotonic() + timeout_s
                while not worker.ready(0.05):
                    if not worker.alive():
                        raise EOFError
                    if time.monotonic() > deadline:
                        raise _TimedOut
                answer = worker.receive()
            except (EOFError, OSError, BrokenPipeError, pickle.UnpicklingError) as exc:
                raise _Died from exc
            worker.files += 1
            kept = worker
            return answer
        finally:
            if kept is None:
                worker.kill()
                self._count_restart()
            self._put(kept)

    def read(self, data: bytes, file_name: str, cfg: Settings) -> Workbook:
        """Read a workbook in a worker (see the module docstring).

        :raises UnreadableFile: refused by the reader, the worker died, or it timed out.
        """
        try:
            status, payload = self._ask("read", data, file_name, cfg, cfg.parse_timeout_seconds)
        except _TimedOut:
            raise UnreadableFile(
                "timeout",
                f"Đọc tệp quá {int(cfg.parse_timeout_seconds)} giây nên đã dừng (tệp quá lớn hoặc có "
                "cấu trúc bất thường). Hãy xoá dữ liệu thừa hoặc tách tệp.",
            ) from None
        except _Died:
            found = self._diagnose(data, file_name, cfg)
            if found is not None:
                raise found from None
            raise UnreadableFile(
                "worker_died",
                "Bộ đọc tệp bị dừng đột ngột khi đọc tệp này (tệp cần quá nhiều bộ nhớ hoặc thời gian — có "
                "thể là tệp độc hại). Tệp bị từ chối; máy chủ vẫn hoạt động bình thường.",
            ) from None
        if status == "ok":
            return payload
        cause, message = payload
        raise UnreadableFile(cause, message)

    def _diagnose(self, data: bytes, file_name: str, cfg: Settings) -> UnreadableFile | None:
        """Why the reader died on this file, asked of a fresh worker; ``None`` when unknown."""
        try:
            status, payload = self._ask("diagnose", data, file_name, cfg, min(30.0, cfg.parse_timeout_seconds))
        except (_Died, _TimedOut):
            return None
        if status == "unreadable":
            return UnreadableFile(*payload)
        return None

    def shutdown(self) -> None:
        """Stop the idle workers (a lent one comes back later and is kept, or killed)."""
        with self._slots:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


_POOL: WorkerPool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> WorkerPool:
    """The process's worker pool (created on first use)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = WorkerPool(int(os.environ.get("KPI_PARSE_WORKERS", "2") or 2))
            atexit.register(_POOL.shutdown)
        return _POOL


def shutdown() -> None:
    """Stop the workers (tests, and process exit)."""
    if _POOL is not None:
        _POOL.shutdown()


def read_workbook_safely(data: bytes, file_name: str, cfg: Settings) -> Workbook:
    """:func:`kpi.workbook.read_workbook` in a limited worker process (see the module docstring).

    :raises UnreadableFile: the reader refused the file, the worker died, or it timed out.
    """
    if len(data) > cfg.max_upload_bytes:
        return read_workbook(data, file_name, cfg)  # refused at once, nothing parsed
    if os.environ.get("KPI_PARSE_IN_PROCESS") == "1":
        return read_workbook(data, file_name, cfg)
    return pool().read(data, file_name, cfg)
