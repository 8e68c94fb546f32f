"""Process caches under Streamlit's threads (issue 16, finding 12): locked, bounded, and holding
only the current data and plan version; the data version read once per script run."""

from __future__ import annotations

import sys
import threading

import pytest

from kpi.lru import LRU
from kpi.storage.database import bump_plan_version, bump_version, data_version


def test_lru_is_bounded_by_count_and_by_bytes():
    cache = LRU(max_entries=3, max_bytes=100, sizeof=len)
    for key in "abcd":
        cache.put(key, "x" * 10)
    assert cache.keys() == ["b", "c", "d"] and cache.nbytes == 30
    cache.get("b")  # used: now the most recent
    cache.put("e", "y" * 81)  # 4 entries, 111 bytes: the least recently used go until both fit
    assert cache.keys() == ["b", "e"] and cache.nbytes == 91
    cache.put("huge", "z" * 101)  # larger than the whole budget: not kept, nothing else lost
    assert "huge" not in cache and cache.keys() == ["b", "e"]


def test_lru_stays_consistent_under_many_threads():
    cache = LRU(max_entries=8, max_bytes=8 * 16, sizeof=len)
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        try:
            for i in range(3000):
                key = (seed * 7 + i) % 20
                if cache.get(key) is None:
                    cache.put(key, "v" * (key % 16 + 1))
                if i % 97 == 0:
                    cache.discard_where(lambda k: k % 5 == seed % 5)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors
    assert len(cache) <= 8 and cache.nbytes == sum(len(cache.get(k)) for k in cache.keys())
    assert cache.nbytes <= 8 * 16


def test_a_new_data_version_drops_the_older_reports(con):
    from kpi.reporting.attainment_report import _REPORTS, attainment_report
    from kpi.storage.catalogue import database_file

    path = database_file(con)
    for _ in range(3):
        attainment_report(con, 2024, None)
        attainment_report(con, 2024, 1)
        bump_version(con)
    attainment_report(con, 2024, None)
    versions = {k[1] for k in _REPORTS.keys() if k[0] == path}
    assert versions == {data_version(con)}, "reports of superseded data versions are kept in the process"


def test_a_new_plan_version_drops_the_older_catalogues(con):
    from kpi.storage.catalogue import _CATALOGUES, database_file, load_catalogue

    path = database_file(con)
    for _ in range(3):
        load_catalogue(con, 2024)
        bump_plan_version(con)
    load_catalogue(con, 2024)
    versions = {k[2] for k in _CATALOGUES.keys() if k[0] == path}
    assert len(versions) == 1


@pytest.mark.parametrize(
    "cache_name", ["kpi.reporting.attainment_report._REPORTS", "kpi.storage.catalogue._CATALOGUES"]
)
def test_the_shared_caches_are_locked_and_bounded(cache_name):
    import importlib

    module, name = cache_name.rsplit(".", 1)
    cache = getattr(importlib.import_module(module), name)
    assert isinstance(cache, LRU) and cache.max_entries <= 64


def test_the_data_version_is_read_once_per_script_run(con, cfg):
    import appkit

    ctx = appkit.Context(con, cfg, 2024, None, "khách", None, [2024])
    first = ctx.version
    bump_version(con)  # another session saves during this run
    assert ctx.version == first
    assert appkit.Context(con, cfg, 2024, None, "khách", None, [2024]).version == first + 1
