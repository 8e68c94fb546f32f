"""A read pauses Python's cycle collector (:mod:`kpi.reading.collector`): the rows and cells it
builds hold no cycle, and each collection set off by their count walked them all again (issue 17).
Seen by the collector's own callbacks, not by a clock."""

from __future__ import annotations

import gc

from kpi.reading.collector import collector_paused
from kpi.reading.workbook import read_workbook
from tests.support.sheets import xlsx

ROWS = 6_000  # 18,000 cells and 6,000 formulas: far over the collector's first threshold (700)


def _formula_sheet() -> bytes:
    return xlsx([["STT", "Số", "Gấp đôi"]] + [[r, r * 7 % 1000, f"=B{r + 1}*2"] for r in range(1, ROWS + 1)])


def _collections(action) -> list[int]:
    """The generations of the collections that started while ``action()`` ran."""
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.collect()  # counts from nothing: a collection set off by what came before is not the action's
    gc.callbacks.append(note)
    try:
        action()
    finally:
        gc.callbacks.remove(note)
    return seen


def test_a_read_sets_off_no_collection_and_leaves_the_collector_on():
    data = _formula_sheet()
    assert gc.isenabled()
    read = []
    # at most one: the young generation's, as the pause ends and the collector counts again
    assert _collections(lambda: read.append(read_workbook(data, "cong-thuc.xlsx", evaluate=False))) in ([], [0])
    assert gc.isenabled()
    assert len(read[0].sheets[0].formulas) == ROWS
    # as many rows built with the collector on set off one collection every 700 objects or so
    assert len(_collections(lambda: [[r, r * 7, f"=B{r}*2"] for r in range(ROWS * 3)])) > 10


def test_formulas_evaluated_after_the_read_run_with_the_collector_on():
    """Evaluation may make cycles: it is not inside the pause (the values are still right)."""
    wb = read_workbook(_formula_sheet(), "cong-thuc.xlsx", evaluate=True)
    values = wb.sheets[0].formula_values
    assert len(values) == ROWS and values[(1, 2)] == 14 and values[(ROWS, 2)] == 2 * (ROWS * 7 % 1000)
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_collector_to_the_outer_one():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
