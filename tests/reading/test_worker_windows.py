"""The parsing workers' Windows path (kpi.reading.worker; issue 18, item 2), tested on Linux: the job
object's limits as Windows reads them, the calls made to the job API (through a stand-in for
kernel32, which cannot run here) and the fallback when it fails, the start options per platform,
and the queue-based reading of answers — on a real pipe, and by the real workers on this machine."""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import subprocess
import sys
import threading

import pytest

from kpi.config import Settings
from kpi.reading import worker
from kpi.reading.worker import (
    JOBOBJECT_BASIC_LIMIT_INFORMATION,
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    WorkerPool,
    _FrameReader,
    _Job,
    _write_frame,
    job_limit_information,
    popen_options,
)
from tests.support.samples import sample_bytes

GUARD_S = 60  # only so that a broken reader fails the test instead of hanging it; never a measure
MB = 1024 * 1024


def test_the_job_limits_have_windows_layout_sizes_and_flags():
    """The structure handed to SetInformationJobObject must have <winnt.h>'s layout (a shifted
    field would set some other limit), and carry the settings' memory and per-file CPU time."""
    cfg = Settings()
    assert cfg.worker_memory_bytes == 3072 * MB and cfg.worker_cpu_seconds == 120  # the defaults
    spent = 7 * 10_000_000  # the worker has used 7 s of user time before this file
    info = job_limit_information(cfg.worker_memory_bytes, cfg.worker_cpu_seconds, spent)
    basic = info.BasicLimitInformation

    if ctypes.sizeof(ctypes.c_void_p) == 8:  # 64-bit Windows
        assert ctypes.sizeof(JOBOBJECT_BASIC_LIMIT_INFORMATION) == 64
        assert ctypes.sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 144
        assert JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags.offset == 16
        assert JOBOBJECT_BASIC_LIMIT_INFORMATION.MinimumWorkingSetSize.offset == 24
        assert JOBOBJECT_EXTENDED_LIMIT_INFORMATION.ProcessMemoryLimit.offset == 112
    else:  # 32-bit
        assert ctypes.sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 112
    # JOB_OBJECT_LIMIT_PROCESS_TIME | _PROCESS_MEMORY | _DIE_ON_UNHANDLED_EXCEPTION | _KILL_ON_JOB_CLOSE
    assert basic.LimitFlags == 0x0002 | 0x0100 | 0x0400 | 0x2000
    assert info.ProcessMemoryLimit == 3_221_225_472
    assert basic.PerProcessUserTimeLimit == 70_000_000 + 1_200_000_000  # 100-ns ticks: 7 s + 120 s
    # nothing else is limited: no job-wide memory or time, no working set, any number of processes
    assert (info.JobMemoryLimit, basic.PerJobUserTimeLimit, basic.MaximumWorkingSetSize) == (0, 0, 0)
    assert basic.ActiveProcessLimit == 0


def test_start_options_per_platform():
    """POSIX: a session of its own. Windows: no sessions (start_new_session is ignored there) —
    a process group of its own and no console window instead."""
    assert popen_options("win32") == {"creationflags": 0x0000_0200 | 0x0800_0000}
    assert popen_options("linux") == {"start_new_session": True}
    assert popen_options("darwin") == {"start_new_session": True}


POSIX_ONLY = pytest.mark.skipif(sys.platform.startswith("win"), reason="sessions and SIGKILL are POSIX's")


@POSIX_ONLY
def test_a_worker_here_runs_in_a_session_of_its_own(cfg):
    """The POSIX options reach the real worker: it leads its own session."""
    pool = WorkerPool(1)
    try:
        pool.warm(cfg)
        (pid,) = pool.pids()
        assert os.getsid(pid) == pid != os.getsid(0)
    finally:
        pool.shutdown()


class Kernel32:
    """A stand-in for Windows' kernel32 (the real one cannot run on Linux): records each call
    with the limits it was given, and answers as Windows documents (0 = failure)."""

    JOB = 0x1F4  # the job handle CreateJobObjectW returns

    def __init__(self, fail: str = "", user_ticks: int = 0):
        self.calls: list[tuple] = []
        self.fail = fail
        self.user_ticks = user_ticks

    def _answer(self, name: str, value):
        return 0 if name == self.fail else value

    def CreateJobObjectW(self, attributes, name):
        self.calls.append(("CreateJobObjectW", attributes, name))
        return self._answer("CreateJobObjectW", self.JOB)

    def SetInformationJobObject(self, job, info_class, info, size):
        limits = info._obj  # ctypes.byref(structure)
        self.calls.append(
            (
                "SetInformationJobObject",
                job,
                info_class,
                limits.ProcessMemoryLimit,
                limits.BasicLimitInformation.PerProcessUserTimeLimit,
                limits.BasicLimitInformation.LimitFlags,
                size,
            )
        )
        return self._answer("SetInformationJobObject", 1)

    def AssignProcessToJobObject(self, job, process):
        self.calls.append(("AssignProcessToJobObject", job, process))
        return self._answer("AssignProcessToJobObject", 1)

    def GetProcessTimes(self, process, creation, exited, kernel, user):
        self.calls.append(("GetProcessTimes", process))
        user._obj.dwHighDateTime, user._obj.dwLowDateTime = divmod(self.user_ticks, 1 << 32)
        return self._answer("GetProcessTimes", 1)

    def CloseHandle(self, handle):
        self.calls.append(("CloseHandle", handle))
        return 1


class WindowsProcess:
    """What the job code uses of a Windows ``subprocess.Popen``: its process handle and pid."""

    _handle = 0x2A8
    pid = 4242


FLAGS = 0x0002 | 0x0100 | 0x0400 | 0x2000
SIZE = ctypes.sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION)


def test_a_worker_is_put_in_a_limited_job_and_its_cpu_time_renewed_per_file():
    """Create the job, set its limits, then assign the worker (before it is sent anything);
    before each file the CPU limit is set from the worker's user time so far; closing the
    server's handle ends the job (and, KILL_ON_JOB_CLOSE, the worker) — once."""
    k32 = Kernel32()
    job = _Job.attach(WindowsProcess(), 3072 * MB, 120, kernel32=k32)
    assert job is not None
    assert k32.calls == [
        ("CreateJobObjectW", None, None),
        ("SetInformationJobObject", 0x1F4, 9, 3072 * MB, 120 * 10_000_000, FLAGS, SIZE),
        ("AssignProcessToJobObject", 0x1F4, 0x2A8),
    ]
    k32.calls.clear()
    k32.user_ticks = (5 << 32) + 123  # over 4 GB of ticks: both halves of the FILETIME count
    job.renew(120)
    assert k32.calls == [
        ("GetProcessTimes", 0x2A8),
        ("SetInformationJobObject", 0x1F4, 9, 3072 * MB, (5 << 32) + 123 + 120 * 10_000_000, FLAGS, SIZE),
    ]
    k32.calls.clear()
    job.close()
    job.close()
    assert k32.calls == [("CloseHandle", 0x1F4)]


@pytest.mark.parametrize("failing", ["CreateJobObjectW", "SetInformationJobObject", "AssignProcessToJobObject"])
def test_when_the_job_api_fails_the_worker_runs_under_the_wall_clock_timeout_alone(caplog, failing):
    """No job, a warning that says so, and no job handle left open."""
    k32 = Kernel32(fail=failing)
    with caplog.at_level(logging.WARNING, logger="kpi.reading.worker"):
        assert _Job.attach(WindowsProcess(), 3072 * MB, 120, kernel32=k32) is None
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert f"parse worker 4242: no job object ({failing} failed" in record.getMessage()
    assert "only the wall-clock timeout applies" in record.getMessage()
    closed = [call for call in k32.calls if call[0] == "CloseHandle"]
    assert closed == ([] if failing == "CreateJobObjectW" else [("CloseHandle", 0x1F4)])


@POSIX_ONLY
def test_without_the_windows_api_the_job_is_skipped_and_logged(caplog):
    """Windows' own kernel32 is absent here, as it would be if ctypes could not load it: the
    real default path ends in the same fallback, not in an exception."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        with caplog.at_level(logging.WARNING, logger="kpi.reading.worker"):
            assert _Job.attach(proc, 3072 * MB, 120) is None
        assert f"parse worker {proc.pid}: no job object" in caplog.text
    finally:
        proc.wait(GUARD_S)


@pytest.mark.skipif(not sys.platform.startswith("win"), reason="the job API is Windows'")
def test_on_windows_a_process_is_put_in_a_job():  # pragma: no cover - never run here
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        job = _Job.attach(proc, 3072 * MB, 120)
        assert job is not None
        job.renew(120)
        job.close()  # KILL_ON_JOB_CLOSE
        assert proc.wait(GUARD_S) != 0
    finally:
        proc.kill()


def test_a_failed_cpu_renewal_keeps_the_worker_and_is_logged(caplog):
    k32 = Kernel32()
    job = _Job.attach(WindowsProcess(), 3072 * MB, 120, kernel32=k32)
    k32.fail = "GetProcessTimes"
    k32.calls.clear()
    with caplog.at_level(logging.WARNING, logger="kpi.reading.worker"):
        job.renew(120)
    assert [call[0] for call in k32.calls] == ["GetProcessTimes"]  # the old limit stays
    assert "CPU limit not renewed (GetProcessTimes failed" in caplog.text


class RefusingKernel32(Kernel32):
    """ctypes raises, rather than returns 0, when an argument does not fit a prototype."""

    def SetInformationJobObject(self, job, info_class, info, size):
        raise ctypes.ArgumentError("argument 3: wrong type")

    def CloseHandle(self, handle):
        raise ctypes.ArgumentError("argument 1: wrong type")


def test_an_exception_from_the_job_api_never_reaches_the_upload(caplog):
    """Not only a failed call: ctypes' own errors too end in the fallback or a warning, never in a
    traceback instead of the file's preview."""
    k32 = RefusingKernel32()
    with caplog.at_level(logging.WARNING, logger="kpi.reading.worker"):
        assert _Job.attach(WindowsProcess(), 3072 * MB, 120, kernel32=k32) is None
        job = _Job(k32, Kernel32.JOB, WindowsProcess._handle, 3072 * MB)
        job.renew(120)
        job.close()
    messages = [record.getMessage() for record in caplog.records]
    assert "no job object (argument 3: wrong type)" in messages[0]
    assert messages[1:] == [
        "parse worker: job handle not closed (argument 1: wrong type)",
        "parse worker: CPU limit not renewed (argument 3: wrong type)",
        "parse worker: job handle not closed (argument 1: wrong type)",
    ]


def test_the_pool_renews_a_workers_job_before_each_file_and_closes_it_when_killed(cfg):
    """The wiring: a real worker given a job (over the stand-in) has its CPU limit renewed
    before each of two files, and a kill ends both the process and the job."""
    pool = WorkerPool(1)
    try:
        pool.warm(cfg)
        (w,) = pool._idle
        k32 = Kernel32(user_ticks=3 * 10_000_000)
        w._job = _Job(k32, Kernel32.JOB, WindowsProcess._handle, cfg.worker_memory_bytes)
        for _ in range(2):
            assert pool.read(sample_bytes("q1"), "q1.xlsx", cfg).sheets[0].height > 20
        limit = 3 * 10_000_000 + cfg.worker_cpu_seconds * 10_000_000
        renewal = [
            ("GetProcessTimes", 0x2A8),
            ("SetInformationJobObject", 0x1F4, 9, cfg.worker_memory_bytes, limit, FLAGS, SIZE),
        ]
        assert k32.calls == renewal * 2
        assert pool._idle == [w]
        w.kill()
        assert w.proc.returncode is not None  # the process is gone and reaped
        assert k32.calls[-1] == ("CloseHandle", 0x1F4)
        assert w.proc.stdin.closed and w.proc.stdout.closed
    finally:
        pool.shutdown()


def _pipe():
    read_fd, write_fd = os.pipe()
    return open(read_fd, "rb"), open(write_fd, "wb")


def test_the_reader_delivers_frames_waits_for_whole_ones_and_times_out():
    """On a real pipe: a frame arrives whole (even one much larger than the pipe's buffer), a
    wait with nothing sent ends in ``queue.Empty``, half a frame is not delivered until its
    end arrives, and the end of the stream is ``None`` after which the thread ends."""
    source, sink = _pipe()
    reader = _FrameReader(source)
    try:
        _write_frame(sink, b"first")
        assert reader.get(GUARD_S) == b"first"

        big = os.urandom(5 * MB)  # the writer blocks on the 64 KB pipe until the reader drains it
        writer = threading.Thread(target=_write_frame, args=(sink, big))
        writer.start()
        assert reader.get(GUARD_S) == big
        writer.join(GUARD_S)

        with pytest.raises(queue.Empty):
            reader.get(0.05)  # nothing was sent

        payload = b"x" * 1000
        sink.write(len(payload).to_bytes(8, "big") + payload[:300])
        sink.flush()
        with pytest.raises(queue.Empty):
            reader.get(0.05)  # only part of the frame has come
        sink.write(payload[300:])
        sink.flush()
        assert reader.get(GUARD_S) == payload
    finally:
        sink.close()
    assert reader.get(GUARD_S) is None
    assert reader.finished(GUARD_S)
    source.close()


def test_a_stream_cut_inside_a_frame_ends_as_none():
    """A worker killed while writing its answer: the partial frame is not an answer."""
    source, sink = _pipe()
    reader = _FrameReader(source)
    sink.write((1000).to_bytes(8, "big") + b"y" * 10)
    sink.close()
    assert reader.get(GUARD_S) is None
    assert reader.finished(GUARD_S)
    source.close()


def test_a_worker_killed_mid_file_is_seen_through_its_reader(cfg):
    """The pool no longer polls the process: the end of its answers says it died. A worker
    killed while it waits for the rest of a request ends the wait with ``EOFError`` (the pool's
    "died"), not with the timeout."""
    w = worker._Worker(cfg)
    try:
        w.proc.stdin.write((1000).to_bytes(8, "big"))  # a request's header: the worker waits for the rest
        w.proc.stdin.flush()
        w.proc.kill()  # from outside the pool: SIGKILL, or TerminateProcess on Windows
        with pytest.raises(EOFError):
            w.receive(GUARD_S)
    finally:
        w.kill()


# A worker as on Windows: no ``resource`` or ``select`` module, ``sys.platform`` "win32" (the
# modules that read it at import are imported first, with Linux's values).
WINDOWS_LIKE_WORKER = """
import io, pathlib, subprocess, sys, ctypes, logging, queue, threading
sys.modules["resource"] = None
sys.modules["select"] = None
sys.platform = "win32"
from kpi.reading.worker import child_main
child_main()
"""


def test_the_worker_runs_without_posix_modules(cfg):
    """The worker's own side on Windows: without ``resource`` (its limits are the parent's job)
    it still reads a file and answers. Before, it stopped at ``import resource``."""
    import io
    import pickle

    from kpi.config import PROJECT_DIR
    from kpi.reading.worker import _read_frame

    request = io.BytesIO()
    _write_frame(request, pickle.dumps(("read", sample_bytes("q1"), "q1.xlsx", cfg, None)))
    done = subprocess.run(
        [sys.executable, "-c", WINDOWS_LIKE_WORKER, str(cfg.worker_memory_bytes), str(cfg.worker_cpu_seconds)],
        input=request.getvalue(),
        capture_output=True,
        timeout=GUARD_S,
        cwd=str(PROJECT_DIR),
        env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)),
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    status, workbook = pickle.loads(_read_frame(io.BytesIO(done.stdout)))
    assert status == "ok" and workbook.sheets[0].height > 20
