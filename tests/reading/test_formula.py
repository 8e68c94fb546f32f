"""The formula evaluator (kpi.reading.formula): the safe subset, each cell evaluated once, cycles found,
and a step budget after which formulas are left "not evaluated" — never 0 — (issue 16, finding
8); and it runs in the parsing worker, not in the server."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpi.errors import FileRefused
from kpi.ingest import ingest
from kpi.reading.formula import BUDGET, CIRCULAR, STEP_BUDGET, UNSUPPORTED, evaluate_sheet, result
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.workbook import Sheet, parse_ref, read_workbook
from kpi.reading.worker import WorkerPool, read_workbook_safely
from tests.support import hostile
from tests.support.ledger import stored
from tests.support.samples import ACTOR


def sheet(cells: dict[str, object], errors: dict[str, str] | None = None) -> Sheet:
    """A sheet from ``{"A1": 5, "B1": "=A1*2"}``: texts starting with "=" are formulas without
    a cached result (the cell itself holds "", as calamine gives it)."""
    positions = {parse_ref(ref): value for ref, value in cells.items()}
    height = max(r for r, _ in positions) + 1
    width = max(c for _, c in positions) + 1
    rows = [[""] * width for _ in range(height)]
    formulas = {}
    for (r, c), value in positions.items():
        if isinstance(value, str) and value.startswith("="):
            formulas[(r, c)] = value[1:]
        else:
            rows[r][c] = value
    return Sheet("S", rows, formulas=formulas, errors={parse_ref(k): v for k, v in (errors or {}).items()})


def values(s: Sheet) -> dict[str, object]:
    from kpi.reading.workbook import cell_ref

    return {cell_ref(r, c): v for (r, c), v in s.formula_values.items()}


def test_the_safe_subset_is_evaluated_exactly():
    s = sheet(
        {
            "A1": 520.4,
            "A2": 160,
            "A3": "",
            "B1": "=A1",
            "B2": "=100+60.2",
            "B3": "=SUM(A1:A3)",  # the empty A3 is left out, as SUM does
            "B4": "=ROUND(A1/A2*100,2)",
            "B5": "=-(A1-A2)*2",
            "B6": "=SUM(B1;B2, 1)",
            "B7": "=$A$1+a2",
        }
    )
    evaluate_sheet(s)
    assert values(s) == {
        "B1": Decimal("520.4"),
        "B2": Decimal("160.2"),
        "B3": Decimal("680.4"),
        "B4": Decimal("325.25"),
        "B5": Decimal("-720.8"),
        "B6": Decimal("681.6"),
        "B7": Decimal("680.4"),
    }


def test_anything_outside_the_subset_has_no_value_never_zero():
    s = sheet(
        {
            "A1": "Tổng thu",
            "A2": True,
            "A3": 5,
            "B1": "=VLOOKUP(A1,A1:A3,1,0)",
            "B2": "=A1+1",  # text
            "B3": "=A2+1",  # a truth value
            "B4": "=A9+1",  # an empty cell named directly: Excel reads 0, we do not guess
            "B5": "=Sheet2!A3",  # another sheet
            "B6": "=",  # a shared formula's copy (no text of its own)
            "B7": "=B1*2",  # needs a formula that has no value
            "B8": "=A3/0",
            "B9": "=SUM(A1:XFD1048576)",  # a range too large
            "B10": "=A4+1",  # an error value
            "B11": "=ROUND(A3,1E+999)",
            "B12": "=" + "(" * 3000 + "1" + ")" * 3000,  # nested deeper than the parser goes
        },
        errors={"A4": "#DIV/0!"},
    )
    s.formulas[parse_ref("B6")] = ""
    evaluate_sheet(s)
    assert values(s) == {f"B{n}": UNSUPPORTED for n in range(1, 13)}


def test_each_cell_is_evaluated_once():
    """A(n) = A(n-1) + A(n-1): 2^40 reads of A1 cell by cell, 80 references memoised."""
    cells: dict[str, object] = {"A1": 1}
    cells.update({f"A{n}": f"=A{n - 1}+A{n - 1}" for n in range(2, 42)})
    s = sheet(cells)
    steps = evaluate_sheet(s)
    assert result(s, *parse_ref("A41")) == Decimal(2**40)
    assert steps < 1000


def test_a_chain_of_ten_thousand_cells_needs_no_recursion():
    """Each cell adds one to the cell *below* it: evaluated from A1, the chain is 10 000 deep."""
    cells: dict[str, object] = {f"A{n}": f"=A{n + 1}+1" for n in range(1, 10_000)}
    cells["A10000"] = 0
    s = sheet(cells)
    evaluate_sheet(s)
    assert result(s, 0, 0) == Decimal(9999)


def test_circular_references_are_named_not_evaluated():
    s = sheet({"A1": "=B1+1", "B1": "=A1+1", "C1": "=C1", "D1": "=A1*2", "E1": "=SUM(E2:E3)", "E2": 1, "E3": "=E1"})
    evaluate_sheet(s)
    assert values(s) == {"A1": CIRCULAR, "B1": CIRCULAR, "C1": CIRCULAR, "D1": CIRCULAR, "E1": CIRCULAR, "E3": CIRCULAR}


def test_the_nested_sum_bomb_costs_layers_times_height_squared():
    """Issue 16's bomb shape: 8 layers of 100 cells each adding up the previous layer —
    10^16 cell reads one cell at a time, 160 000 steps memoised, and the exact figure."""
    s = _bomb_sheet(8, 100)
    steps = evaluate_sheet(s)
    assert steps < 200_000
    assert result(s, 0, 8) == Decimal(100) ** 8
    assert all(isinstance(v, Decimal) for v in s.formula_values.values())


def test_past_the_step_budget_the_rest_is_not_evaluated():
    s = _bomb_sheet(8, 300)  # 8 × 300² × 2 steps memoised: more than the budget
    steps = evaluate_sheet(s)
    assert steps == STEP_BUDGET
    reasons = {v for v in s.formula_values.values() if not isinstance(v, Decimal)}
    assert reasons == {BUDGET}
    assert result(s, 0, 8) == BUDGET
    for (_r, c), v in s.formula_values.items():  # what was evaluated is right; nothing is 0
        assert v == BUDGET or v == Decimal(300) ** c


def _bomb_sheet(layers: int, height: int) -> Sheet:
    from openpyxl.utils import get_column_letter

    cells: dict[str, object] = {}
    for r in range(1, height + 1):
        cells[f"A{r}"] = 1
        for layer in range(1, layers + 1):
            prev = get_column_letter(layer)
            cells[f"{get_column_letter(layer + 1)}{r}"] = f"=SUM({prev}1:{prev}{height})"
    return sheet(cells)


def test_formulas_are_evaluated_in_the_parsing_worker_when_first_asked(cfg, monkeypatch):
    """The workbook comes back from the worker with its formulas not yet evaluated (most files
    never need a value: issue 17); the first lookup has the worker that read it evaluate them
    all, and the server only looks them up — nothing is evaluated in the server process."""
    import kpi.reading.formula as formula

    wb = read_workbook_safely(hostile.formula_bomb(8, 100), "bao-cao.xlsx", cfg)
    sheet = wb.sheets[0]
    assert sheet.formula_values is None and sheet.values_source is not None
    evaluated_here = []
    real = formula._evaluate
    monkeypatch.setattr(formula, "_evaluate", lambda *args: evaluated_here.append(args) or real(*args))
    assert result(sheet, 99, 8) == Decimal(100) ** 8
    outcomes = sheet.formula_values
    assert outcomes is not None and len(outcomes) == 8 * 100
    assert outcomes[(0, 1)] == Decimal(100) and outcomes[(99, 8)] == Decimal(100) ** 8
    assert evaluated_here == []


def test_formula_values_come_from_another_worker_when_the_reader_is_gone(cfg):
    """The worker that read the file keeps it to evaluate; when it is gone (restarted, killed by a
    limit) another reads the bytes again and gives the same values."""
    pool = WorkerPool(1)
    try:
        first = pool.read(hostile.formula_bomb(3, 10), "bao-cao.xlsx", cfg).sheets[0]
        reader = pool.pids()
        pool.shutdown()  # the worker keeping the workbook stops
        assert result(first, 9, 3) == Decimal(1000)
        assert pool.pids() != reader
    finally:
        pool.shutdown()
    assert first.formula_values == read_workbook(hostile.formula_bomb(3, 10), "b.xlsx", cfg).sheets[0].formula_values


def test_a_report_over_the_issues_bomb_gets_its_exact_figure(con, cfg):
    """8 layers of 100: evaluated in full (memoised) to 100^8 — which the report's own check
    then refuses as impossibly large, naming the cell."""
    with pytest.raises(FileRefused) as caught:
        ingest(con, hostile.formula_bomb_report(8, 100), "bao-cao.xlsx", ACTOR, ImportOptions(), cfg)
    assert "ô E9] «Tổng thu ngân sách nhà nước» có số quá lớn (10.000.000.000.000.000 tỷ đồng)" in str(caught.value)


def test_a_report_over_a_formula_bomb_is_answered_with_the_cell_named(con, cfg):
    prep, committed = ingest(con, hostile.formula_bomb_report(8, 300), "bao-cao.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    warnings = [(i.sheet, i.cell) for i in prep.warnings if i.code == "formula_no_value"]
    assert warnings == [("Sheet1", "E9")]
    message = next(i.message for i in prep.warnings if i.cell == "E9")
    assert "chưa được tự tính vì tệp có quá nhiều phép tính công thức (vượt giới hạn 1.000.000 bước" in message
    assert "«Tổng thu ngân sách nhà nước»" in message
    assert stored(con, "CT02", "quarter") is None  # not evaluated: no figure, never 0
    assert stored(con, "CT01", "quarter") == pytest.approx(520.4)  # the rest of the report as usual
