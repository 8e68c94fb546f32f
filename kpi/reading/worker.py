"""Untrusted files are parsed in long-lived worker processes with memory and CPU limits.

A hostile or broken spreadsheet must not take the server down: parsing (zip, XML, calamine,
xlrd) runs in a separate process whose address space (``RLIMIT_AS``) and CPU time
(``RLIMIT_CPU``) are capped, with a wall-clock timeout on top. A reader that tries to allocate
tens of GB, loops, or crashes kills only its worker; the file is refused with a short message
and the worker is restarted for the next file. Workers are kept alive between files (spawning a
fresh process per file costs 40–110 ms here), in a small pool so two uploads can parse at once.
When a worker dies on a file, a fresh one runs :func:`kpi.reading.workbook.diagnose` on it (same limits,
shorter timeout) so the refusal names the cause ("a value at XFD1048576") when it can.

The pool lends at most ``size`` workers at a time; a request waits on a condition for a free
slot, and every return of a slot — a worker handed back, or killed for a timeout or a crash —
wakes a waiter (issue 16, finding 9: a killed worker's slot used to be returned without waking
anyone, so the next upload waited for some other parse to finish). On Linux a worker dies with
the server (``PR_SET_PDEATHSIG``: the kernel sends it SIGKILL when its parent goes, even by
``kill -9``; issue 16, finding 12), which is why workers are started from one thread that lives
as long as the server (:class:`_Spawner`).

On Windows there is no ``resource`` module, no ``select`` on a pipe and no sessions: the parent
puts each worker in a job object of its own (:class:`_Job`) whose limits are the same — memory
(``ProcessMemoryLimit``) and CPU (``PerProcessUserTimeLimit``, user time only, renewed before
every file) — and which kills the worker when the server's handle to it closes, however the server
ends (``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE``: Windows' "workers die with the server"). If the job
API fails, the worker runs under the wall-clock timeout alone, and a warning is logged. Answers
are read by a thread per worker onto a queue (:class:`_FrameReader`) on every platform, so the
timeout is a queue wait, not ``select``. The platform is a parameter of each decision
(:func:`popen_options`, :func:`job_limit_information`), so the Windows branches are tested on
Linux; nothing here has been run on Windows.

A ``read`` answers with the workbook's formulas not yet evaluated; the worker keeps the workbook
(until its next request) and a ``values`` request — sent by :class:`kpi.reading.formula_values.Deferred`
the first time the reading asks for a formula's value — evaluates it there; a worker that does not
keep it reads the bytes again. So evaluation, too, runs only under the limits, and a file whose
values are never needed is never evaluated (issue 17).

Set ``KPI_PARSE_IN_PROCESS=1`` to parse in the calling process (debugging only).
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import logging
import os
import pickle
import queue
import secrets
import signal
import subprocess
import sys
import threading

from kpi.config import PROJECT_DIR, Settings
from kpi.errors import UnreadableFile
from kpi.reading.collector import collector_paused
from kpi.reading.formula import evaluate_workbook
from kpi.reading.formula_values import Deferred, packed
from kpi.reading.workbook import Workbook, diagnose, read_workbook

__all__ = ["read_workbook_safely", "WorkerPool", "pool", "shutdown", "child_main"]

_log = logging.getLogger(__name__)

_LINUX = sys.platform.startswith("linux")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _is_windows(platform: str | None = None) -> bool:
    """``platform`` is a ``sys.platform`` value (default: this machine's)."""
    return (platform or sys.platform).startswith("win")


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

    memory_bytes, cpu_seconds = int(sys.argv[1]), int(sys.argv[2])
    _die_with_parent(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    _limit_memory(memory_bytes)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    kept: tuple[str, Workbook] | None = None  # the last workbook read with formulas, to evaluate on request
    while True:
        frame = _read_frame(stdin)
        if frame is None:
            return
        operation, data, file_name, cfg, token = pickle.loads(frame)
        _limit_cpu(cpu_seconds)
        # A read builds 10⁵ rows and cells with no cycle among them: the cycle collector would
        # walk them again and again as they grow (issue 17: ≈ 55 of the 300 ms of a
        # 64,000-formula sheet). Paused for reading and answering; a formula evaluation (which
        # may make cycles) runs with it. What a read left is collected after the answer is
        # sent, while the server works on it, so the next file does not pay for it.
        paused = operation != "values" and gc.isenabled()
        if paused:
            gc.disable()
        try:
            if operation == "diagnose":
                kept = None
                found = diagnose(data, cfg)
                result = ("unreadable", (found.cause, found.message_vi)) if found else ("ok", None)
            elif operation == "values":
                wb = kept[1] if kept is not None and kept[0] == token else read_workbook(data, file_name, cfg, False)
                kept = None
                evaluate_workbook(wb)
                result = ("ok", packed(wb))
            else:
                kept = None  # before reading, so that two workbooks are never held at once
                wb = read_workbook(data, file_name, cfg, evaluate=False)
                if any(sheet.formulas for sheet in wb.sheets):
                    wb.values_token = secrets.token_hex(8)
                    kept = (wb.values_token, wb)
                result = ("ok", wb)
        except UnreadableFile as exc:
            result = ("unreadable", (exc.cause, exc.message_vi))
        except MemoryError:
            result = ("unreadable", ("too_large", _MEMORY_MESSAGE))
        except Exception as exc:  # noqa: BLE001 - any reader bug becomes a refusal, never a crash
            _log.warning("parse worker: the reader failed (%s: %s)", type(exc).__name__, exc)  # not for the clerk
            result = (
                "unreadable",
                (
                    "corrupt",
                    "Tệp bị hỏng hoặc có cấu trúc lạ nên không đọc được. Hãy mở tệp gốc trong Excel, "
                    "lưu lại (.xlsx) rồi tải lên lại.",
                ),
            )
        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("unreadable", ("too_large", _MEMORY_MESSAGE)))
        _write_frame(stdout, payload)
        del payload, result
        if paused:
            gc.enable()
            gc.collect()


def _limit_memory(memory_bytes: int) -> None:  # pragma: no cover - runs in the worker process
    """POSIX: cap this worker's address space (``RLIMIT_AS``, bytes). On Windows the parent's job
    object does it (:class:`_Job`)."""
    if _is_windows():
        return
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):
        pass


def _limit_cpu(cpu_seconds: int) -> None:  # pragma: no cover - runs in the worker process
    """POSIX: allow ``cpu_seconds`` more of CPU time (user + system) from now, for this file
    (``RLIMIT_CPU``: SIGXCPU at the soft limit, SIGKILL 5 s later). On Windows the parent renews
    the job's limit before each file (:meth:`_Job.renew`)."""
    if _is_windows():
        return
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu_seconds, spent + cpu_seconds + 5))
    except (ValueError, OSError):
        pass


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


# --- Windows: a job object per worker (the platform is a parameter, so this is tested on Linux) ---

JOB_OBJECT_LIMIT_PROCESS_TIME = 0x0000_0002  # <winnt.h>
JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x0000_0100
JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x0000_0400
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x0000_2000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9  # JobObjectExtendedLimitInformation
CREATE_NEW_PROCESS_GROUP = 0x0000_0200  # <winbase.h> process creation flags
CREATE_NO_WINDOW = 0x0800_0000
TICKS_PER_SECOND = 10_000_000  # Windows counts CPU time in 100-nanosecond ticks

_DWORD, _SIZE_T, _LARGE_INTEGER, _ULONG_PTR = ctypes.c_uint32, ctypes.c_size_t, ctypes.c_int64, ctypes.c_size_t


class JOBOBJECT_BASIC_LIMIT_INFORMATION(ctypes.Structure):
    """<winnt.h>; 64 bytes on 64-bit Windows, 48 on 32-bit."""

    _fields_ = [
        ("PerProcessUserTimeLimit", _LARGE_INTEGER),
        ("PerJobUserTimeLimit", _LARGE_INTEGER),
        ("LimitFlags", _DWORD),
        ("MinimumWorkingSetSize", _SIZE_T),
        ("MaximumWorkingSetSize", _SIZE_T),
        ("ActiveProcessLimit", _DWORD),
        ("Affinity", _ULONG_PTR),
        ("PriorityClass", _DWORD),
        ("SchedulingClass", _DWORD),
    ]


class IO_COUNTERS(ctypes.Structure):
    """<winnt.h>; six 64-bit counters."""

    _fields_ = [
        (name, ctypes.c_uint64)
        for name in (
            "ReadOperationCount",
            "WriteOperationCount",
            "OtherOperationCount",
            "ReadTransferCount",
            "WriteTransferCount",
            "OtherTransferCount",
        )
    ]


class JOBOBJECT_EXTENDED_LIMIT_INFORMATION(ctypes.Structure):
    """<winnt.h>; 144 bytes on 64-bit Windows, 112 on 32-bit."""

    _fields_ = [
        ("BasicLimitInformation", JOBOBJECT_BASIC_LIMIT_INFORMATION),
        ("IoInfo", IO_COUNTERS),
        ("ProcessMemoryLimit", _SIZE_T),
        ("JobMemoryLimit", _SIZE_T),
        ("PeakProcessMemoryUsed", _SIZE_T),
        ("PeakJobMemoryUsed", _SIZE_T),
    ]


class FILETIME(ctypes.Structure):
    """<minwinbase.h>: a 64-bit count of 100-nanosecond ticks in two halves."""

    _fields_ = [("dwLowDateTime", _DWORD), ("dwHighDateTime", _DWORD)]

    @property
    def ticks(self) -> int:
        return self.dwHighDateTime << 32 | self.dwLowDateTime


def job_limit_information(
    memory_bytes: int, cpu_seconds: float, spent_ticks: int = 0
) -> JOBOBJECT_EXTENDED_LIMIT_INFORMATION:
    """The limits of a worker's job object — the Windows counterpart of ``RLIMIT_AS`` and
    ``RLIMIT_CPU`` (:func:`_limit_memory`, :func:`_limit_cpu`).

    :param memory_bytes: committed memory the worker may hold (``ProcessMemoryLimit``; an
        allocation over it fails, which Python raises as ``MemoryError``).
    :param cpu_seconds: user-mode CPU seconds allowed from ``spent_ticks`` on; Windows kills the
        process when its user time passes ``PerProcessUserTimeLimit`` (in 100-ns ticks, counted
        since the process started — hence ``spent_ticks``, its user time before this file).
    :returns: the structure for ``SetInformationJobObject(job, 9, …)``, flags
        ``PROCESS_MEMORY | PROCESS_TIME | KILL_ON_JOB_CLOSE`` (the worker dies when the server's
        handle to the job closes, however the server ends) ``| DIE_ON_UNHANDLED_EXCEPTION``
        (a crashing reader ends at once instead of waiting on Windows' error-report dialog).
    """
    info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION()
    info.BasicLimitInformation.LimitFlags = (
        JOB_OBJECT_LIMIT_PROCESS_MEMORY
        | JOB_OBJECT_LIMIT_PROCESS_TIME
        | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
    )
    info.BasicLimitInformation.PerProcessUserTimeLimit = spent_ticks + int(cpu_seconds * TICKS_PER_SECOND)
    info.ProcessMemoryLimit = memory_bytes
    return info


def _windows_error(call: str) -> OSError:
    """An ``OSError`` naming the failed call and Windows' error code (``GetLastError``)."""
    code = ctypes.get_last_error() if hasattr(ctypes, "get_last_error") else 0
    return OSError(f"{call} failed (Windows error {code})")


def _kernel32():  # pragma: no cover - Windows only
    """kernel32 with the prototypes used here (a private instance: its function objects are
    not ``ctypes.windll.kernel32``'s, so other users of that are not affected). Handles are
    pointer-sized; without ``restype`` ctypes would cut them to 32 bits."""
    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = ctypes.c_void_p
    k32.CreateJobObjectW.argtypes, k32.CreateJobObjectW.restype = [ctypes.c_void_p, ctypes.c_wchar_p], handle
    k32.SetInformationJobObject.argtypes = [handle, ctypes.c_int, ctypes.c_void_p, _DWORD]
    k32.AssignProcessToJobObject.argtypes = [handle, handle]
    k32.GetProcessTimes.argtypes = [handle] + [ctypes.POINTER(FILETIME)] * 4
    k32.CloseHandle.argtypes = [handle]
    for name in ("SetInformationJobObject", "AssignProcessToJobObject", "GetProcessTimes", "CloseHandle"):
        getattr(k32, name).restype = ctypes.c_int
    return k32


class _Job:
    """A Windows job object holding one worker: its memory and CPU limits, and its death with the
    server (the handle is not inheritable and only the server holds it).

    ``kernel32`` is the API to call — by default Windows' own; tests pass an object with the same
    functions, as it cannot run on Linux.
    """

    def __init__(self, kernel32, handle, process, memory_bytes: int):
        self._k32, self._handle, self._process, self._memory = kernel32, handle, process, memory_bytes

    @classmethod
    def attach(cls, proc, memory_bytes: int, cpu_seconds: float, kernel32=None) -> _Job | None:
        """Put ``proc`` (a ``subprocess.Popen``; Windows' process handle is ``proc._handle``) in a
        new job with :func:`job_limit_information`. It has not been sent a file yet, so nothing
        untrusted runs before the limits.

        :returns: the job, or ``None`` when the job API failed (logged as a warning): the worker
            then runs under the wall-clock timeout alone.
        """
        k32 = handle = None
        try:
            k32 = kernel32 if kernel32 is not None else _kernel32()
            handle = k32.CreateJobObjectW(None, None)
            if not handle:
                raise _windows_error("CreateJobObjectW")
            job = cls(k32, handle, proc._handle, memory_bytes)
            job._set(cpu_seconds, 0)
            if not k32.AssignProcessToJobObject(handle, proc._handle):
                raise _windows_error("AssignProcessToJobObject")
            return job
        except Exception as exc:  # noqa: BLE001 - any failure of the job API: run without it (never run on Windows)
            _log.warning(
                "parse worker %s: no job object (%s); its memory and CPU are not limited, "
                "only the wall-clock timeout applies",
                getattr(proc, "pid", "?"),
                exc,
            )
            if handle:
                cls(k32, handle, None, 0).close()
            return None

    def _set(self, cpu_seconds: float, spent_ticks: int) -> None:
        info = job_limit_information(self._memory, cpu_seconds, spent_ticks)
        if not self._k32.SetInformationJobObject(
            self._handle, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, ctypes.byref(info), ctypes.sizeof(info)
        ):
            raise _windows_error("SetInformationJobObject")

    def renew(self, cpu_seconds: float) -> None:
        """Before each file: allow ``cpu_seconds`` of user time from the worker's user time now
        (a job's limit counts from the process's start, ``RLIMIT_CPU``'s per file is renewed in the
        worker). On failure the previous limit stays, and a warning is logged."""
        times = [FILETIME() for _ in range(4)]  # creation, exit, kernel, user
        try:
            if not self._k32.GetProcessTimes(self._process, *(ctypes.byref(t) for t in times)):
                raise _windows_error("GetProcessTimes")
            self._set(cpu_seconds, times[3].ticks)
        except Exception as exc:  # noqa: BLE001 - bookkeeping must not fail the parse (never run on Windows)
            _log.warning("parse worker: CPU limit not renewed (%s)", exc)

    def close(self) -> None:
        """Close the server's handle: the job ends, and with it (``KILL_ON_JOB_CLOSE``) the worker."""
        handle, self._handle = self._handle, None
        if handle:
            try:
                self._k32.CloseHandle(handle)
            except Exception as exc:  # noqa: BLE001 - the process was killed already
                _log.warning("parse worker: job handle not closed (%s)", exc)


def popen_options(platform: str | None = None) -> dict:
    """How a worker is started, besides its command and pipes. POSIX: a session of its own, so a
    Ctrl+C or hang-up meant for the server's terminal is not also delivered to it (the server
    ends it). Windows has no sessions: a process group of its own (Ctrl+C in the server's console
    does not reach it) and no console window (a server started without one, e.g. by a scheduled
    task, would otherwise open one per worker)."""
    if _is_windows(platform):
        return {"creationflags": CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW}
    return {"start_new_session": True}


class _FrameReader:
    """Reads a worker's answers (length-prefixed frames) in a thread of its own onto a queue, so
    the wait for an answer is a queue wait with a timeout — ``select`` works on pipes only on
    POSIX. ``None`` is queued at the end of the stream (the worker died or was stopped), and the
    thread ends."""

    def __init__(self, stream):
        self._frames: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._pump, args=(stream, self._frames), name="kpi-worker-reader", daemon=True
        )
        self._thread.start()

    @staticmethod
    def _pump(stream, frames: queue.SimpleQueue) -> None:
        while True:
            try:
                frame = _read_frame(stream)
            except (OSError, ValueError):  # closed under it
                frame = None
            frames.put(frame)
            if frame is None:
                return

    def get(self, timeout: float) -> bytes | None:
        """The next frame, or ``None`` at the end of the stream.

        :raises queue.Empty: none within ``timeout`` seconds.
        """
        return self._frames.get(timeout=max(0.0, timeout))

    def finished(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the thread to end (the stream's end); whether it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()


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
    """One worker process (``python -c "from kpi.reading.worker import child_main; child_main()"``),
    talking length-prefixed pickles over its stdin/stdout; on Windows in a job object of its own."""

    def __init__(self, cfg: Settings):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(PROJECT_DIR) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["RUST_BACKTRACE"] = "0"  # a reader that aborts should die at once, not symbolise a backtrace
        self.proc = _SPAWNER.popen(
            [
                sys.executable,
                "-c",
                "from kpi.reading.worker import child_main; child_main()",
                str(cfg.worker_memory_bytes),
                str(cfg.worker_cpu_seconds),
                str(os.getpid()),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=str(PROJECT_DIR),
            **popen_options(),
        )
        self._job = _Job.attach(self.proc, cfg.worker_memory_bytes, cfg.worker_cpu_seconds) if _is_windows() else None
        self._answers = _FrameReader(self.proc.stdout)
        self.files = 0
        self.kept: str | None = None  # the values_token of the workbook it keeps (see child_main)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, message, cpu_seconds: float) -> None:
        """Send one request; on Windows first renew the job's CPU limit for it."""
        if self._job is not None:
            self._job.renew(cpu_seconds)
        _write_frame(self.proc.stdin, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def receive(self, timeout: float):
        """The answer to the request sent.

        :raises _TimedOut: none within ``timeout`` seconds (the worker is left to the caller).
        :raises EOFError: the worker's output ended (it died).
        """
        try:
            frame = self._answers.get(timeout)
        except queue.Empty:
            raise _TimedOut from None
        if frame is None:
            raise EOFError
        with collector_paused():
            return pickle.loads(frame)

    def kill(self) -> None:
        """End the process (``TerminateProcess`` on Windows, ``SIGKILL`` elsewhere), then its job
        (Windows), and close the pipes once the reader has seen their end."""
        try:
            self.proc.kill()
            self.proc.wait(2)
        except Exception:  # noqa: BLE001 - already gone
            pass
        if self._job is not None:
            self._job.close()
        streams = [self.proc.stdin]
        if self._answers.finished(2):  # else the reader still holds stdout's lock: leave it
            streams.append(self.proc.stdout)
        for stream in streams:
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

    def _get(self, cfg: Settings, kept: str | None = None) -> _Worker:
        """Take a slot (waiting while all are lent), then an idle worker — the one keeping the
        workbook ``kept`` when it is idle — or a new one."""
        with self._slots:
            self.waiting += 1
            try:
                self._slots.wait_for(lambda: self.busy < self.size)
            finally:
                self.waiting -= 1
            self.busy += 1
            keeping = [w for w in self._idle if kept is not None and w.kept == kept]
            if keeping:
                self._idle.remove(keeping[0])
            worker = keeping[0] if keeping else self._idle.pop() if self._idle else None
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

    def _ask(self, operation: str, data: bytes, file_name: str, cfg: Settings, timeout_s: float, token=None):
        """Send one request to a worker and wait for its answer. The slot is given back whatever
        happens (with the worker when it answered, else after killing it).

        :returns: the worker's (status, payload).
        :raises _Died: the worker died (or its pipe broke); it has been killed.
        :raises _TimedOut: no answer within ``timeout_s``; the worker was killed.
        """
        worker = self._get(cfg, token)
        kept: _Worker | None = None
        try:
            try:
                worker.send((operation, data, file_name, cfg, token), cfg.worker_cpu_seconds)
                answer = worker.receive(timeout_s)
            except (EOFError, OSError, BrokenPipeError, pickle.UnpicklingError) as exc:
                raise _Died from exc
            worker.files += 1
            worker.kept = getattr(answer[1], "values_token", None) if operation == "read" else None
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
            if payload.values_token is not None:
                token = payload.values_token
                Deferred(payload, lambda: self._values(token, data, file_name, cfg))
            return payload
        cause, message = payload
        raise UnreadableFile(cause, message)

    def _values(self, token: str, data: bytes, file_name: str, cfg: Settings) -> list[str | None]:
        """The formula values of the workbook read as ``token`` (:mod:`kpi.reading.formula_values`):
        from the worker that keeps it, else from any worker, which reads ``data`` again.

        :raises UnreadableFile: the worker refused, died or timed out (the caller gives no values).
        """
        try:
            status, payload = self._ask("values", data, file_name, cfg, cfg.parse_timeout_seconds, token)
        except (_Died, _TimedOut) as exc:
            raise UnreadableFile("worker_died", "the worker did not evaluate the formulas") from exc
        if status != "ok":
            raise UnreadableFile(*payload)
        return payload

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
    """:func:`kpi.reading.workbook.read_workbook` in a limited worker process (see the module docstring).

    :raises UnreadableFile: the reader refused the file, the worker died, or it timed out.
    """
    if len(data) > cfg.max_upload_bytes:
        return read_workbook(data, file_name, cfg)  # refused at once, nothing parsed
    if os.environ.get("KPI_PARSE_IN_PROCESS") == "1":
        return read_workbook(data, file_name, cfg)
    return pool().read(data, file_name, cfg)
