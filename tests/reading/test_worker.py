"""The parsing workers' pool (kpi.reading.worker): a slot freed by a killed worker wakes the next upload
(issue 16, finding 9), and workers die with the server, even with ``kill -9`` (finding 12)."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from kpi.config import PROJECT_DIR
from kpi.errors import UnreadableFile
from kpi.reading.worker import WorkerPool
from tests.support import hostile
from tests.support.samples import sample_bytes

GUARD_S = 60  # only so that a broken pool fails the test instead of hanging it; never a measure


def wait_until(condition, what: str) -> None:
    """Poll ``condition`` until it holds (failing after GUARD_S seconds)."""
    end = time.monotonic() + GUARD_S
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"still waiting for {what}")
        time.sleep(0.01)


def test_two_timeouts_then_an_ordinary_file_parses(cfg):
    """Two uploads hold both workers until they time out; a third, ordinary upload waits for a
    slot meanwhile. When the two are killed, it must parse — with no other parse running to
    hand it a worker."""
    pool = WorkerPool(2)
    slow = dataclasses.replace(cfg, parse_timeout_seconds=0.5)
    bomb = hostile.shared_strings_bomb(cells=4000, length=100_000)  # seconds of copying: over 0.5 s
    outcomes: dict[str, object] = {}

    def parse(name: str, data: bytes, settings) -> None:
        try:
            outcomes[name] = pool.read(data, f"{name}.xlsx", settings).sheets[0].height
        except UnreadableFile as exc:
            outcomes[name] = exc.cause

    try:
        hostile_parses = [threading.Thread(target=parse, args=(f"bomb{i}", bomb, slow)) for i in (1, 2)]
        for thread in hostile_parses:
            thread.start()
        wait_until(lambda: pool.busy == 2 or len(outcomes) == 2, "both workers lent")
        ordinary = threading.Thread(target=parse, args=("q1", sample_bytes("q1"), cfg), daemon=True)
        ordinary.start()
        wait_until(lambda: pool.waiting == 1 or outcomes, "the ordinary upload queued")
        for thread in hostile_parses:
            thread.join()
        assert outcomes["bomb1"] == outcomes["bomb2"] == "timeout"  # nothing else is parsing now
        ordinary.join(GUARD_S)
        assert not ordinary.is_alive(), "the ordinary upload was never woken"
        assert outcomes["q1"] > 20
        assert pool.restarts == 2 and pool.busy == 0
    finally:
        pool.shutdown()


def test_many_uploads_share_two_workers(cfg):
    """Six uploads at once through two workers, one of them hostile: every one is answered."""
    pool = WorkerPool(2)
    slow = dataclasses.replace(cfg, parse_timeout_seconds=0.3)
    results: list[object] = []

    def parse(data: bytes, settings) -> None:
        try:
            results.append(pool.read(data, "x.xlsx", settings).sheets[0].height > 20)
        except UnreadableFile as exc:
            results.append(exc.cause)

    jobs = [(sample_bytes("q1"), cfg)] * 5 + [(hostile.shared_strings_bomb(cells=4000, length=100_000), slow)]
    threads = [threading.Thread(target=parse, args=job, daemon=True) for job in jobs]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(GUARD_S)
        assert sorted(map(str, results)) == ["True"] * 5 + ["timeout"]
        assert pool.busy == 0 and pool.waiting == 0 and len(pool.pids()) <= 2
    finally:
        pool.shutdown()


def test_a_worker_started_from_a_thread_that_ended_keeps_working(cfg):
    """Streamlit runs each script run in its own thread: a worker it starts must outlive that
    thread (Linux's parent-death signal follows the starting *thread*)."""
    pool = WorkerPool(1)
    try:
        starter = threading.Thread(target=pool.warm, args=(cfg,))
        starter.start()
        starter.join()
        (pid,) = pool.pids()
        assert pool.read(sample_bytes("q1"), "q1.xlsx", cfg).sheets[0].height > 20
        assert pool.restarts == 0 and pool.pids() == [pid]
    finally:
        pool.shutdown()


# The server (PARENT) starts its worker from a thread that then ends, hands it a file, prints the
# worker's pid and waits to be killed. HARNESS is a child subreaper (Linux): it starts PARENT,
# kills it with SIGKILL, becomes the orphaned worker's parent, and reports how the worker ended.
PARENT = """
import sys, threading, time
from kpi.config import Settings
from kpi.reading.worker import WorkerPool
from tests.support import hostile

cfg = Settings()
pool = WorkerPool(1)
starter = threading.Thread(target=pool.warm, args=(cfg,))
starter.start()
starter.join()
(pid,) = pool.pids()
data = hostile.formula_bomb(8, 300)
wb = pool.read(data, "bomb.xlsx", cfg)  # read in milliseconds: its formulas are evaluated when asked
asked = threading.Event()


def evaluate():
    asked.set()
    wb.sheets[0].values_source()  # a second or so of formulas for the worker


threading.Thread(target=evaluate, daemon=True).start()
asked.wait()
while pool.busy == 0:  # the worker is evaluating (the read above was answered)
    time.sleep(0.01)
print(pid, flush=True)
sys.stdin.read()
"""
HARNESS = """
import ctypes, os, signal, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
parent = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
worker = int(parent.stdout.readline())
os.kill(parent.pid, signal.SIGKILL)
parent.wait()
_, status = os.waitpid(worker, 0)
print("signal" if os.WIFSIGNALED(status) else "exit", os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_busy_worker_is_killed_with_its_server():
    """``kill -9`` of the server: its worker, busy with a file, is killed by the kernel at once
    (SIGKILL), instead of parsing on and only then noticing that nobody is listening."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, PARENT],
        capture_output=True,
        text=True,
        timeout=GUARD_S,
        cwd=str(PROJECT_DIR),
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["signal", str(int(signal.SIGKILL))]


def test_formula_values_cross_the_pipe_exactly(cfg):
    """The worker sends a sheet's evaluated formulas as one text (issue 17: 64,000 ``Decimal``
    pickled one by one cost ≈ 0.1 s); the server gets back exactly what was evaluated — each
    value's digits and exponent, and each reason."""
    import io

    from openpyxl import Workbook

    from kpi.reading.workbook import read_workbook

    book = Workbook()
    ws = book.active
    ws.append([1.5, 3, "chữ"])
    texts = ["=A1*2", "=A1*B1", "=ROUND(A1/3,4)", "=-A1+1.5", "=C1+1", "=G2", "=F2", "=VLOOKUP(A1,A1:B1,1,0)", "=0.10"]
    ws.append(texts)
    ws["A3"] = "=A3+1"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    pool = WorkerPool(1)
    try:
        got = pool.read(data, "x.xlsx", cfg).sheets[0]
        assert got.formula_values is None  # asked for on first use (kpi.reading.formula_values)
        got.values_source()
    finally:
        pool.shutdown()
    here = read_workbook(data, "x.xlsx", cfg).sheets[0]

    def exact(values: dict) -> dict:
        return {cell: (str(v), getattr(v, "as_tuple", lambda: None)()) for cell, v in values.items()}

    assert exact(got.formula_values) == exact(here.formula_values)
    assert got.formulas == here.formulas
    assert [str(got.formula_values[(1, c)]) for c in range(len(texts))] == [
        "3.0", "4.50", "0.5000", "0.0", "unsupported", "circular", "circular", "unsupported", "0.10"
    ]  # fmt: skip
    assert str(got.formula_values[(2, 0)]) == "circular"
