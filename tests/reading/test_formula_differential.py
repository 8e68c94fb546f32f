"""The compiled formula evaluator (issue 17: one compile per formula *shape*, a small stack
program per cell) against the evaluator it replaced (tests/support/formula_reference.py):
for thousands of generated formulas — numbers, references (``$``-anchored, lower case, row 0,
past XFD, in Arabic-Indic digits, longer than ``int()`` reads), ranges, ``SUM``/``ROUND``, parentheses, unary signs, errors, text, empty cells,
circular chains, copies down a column and broken texts — both give the same value or the same
reason for every cell, and count the same steps, also when the budget runs out part way."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from kpi.reading import formula
from kpi.reading.workbook import Sheet, col_letter
from tests.support import formula_reference as reference

COLS, ROWS = 6, 9


def _ref(rng: random.Random) -> str:
    col = col_letter(rng.randrange(COLS))
    row = str(rng.randrange(1, ROWS + 1))
    if rng.random() < 0.05:
        col, row = rng.choice(
            [
                ("XFD", row),
                ("XFE", row),
                (col, "0"),
                (col, "1048577"),
                (col, "0" + row),
                (col, "\u0663"),
                (col, "9" * 4400),
            ]
        )
    col = col.lower() if rng.random() < 0.1 else col
    return ("$" if rng.random() < 0.2 else "") + col + ("$" if rng.random() < 0.2 else "") + row


def _number(rng: random.Random) -> str:
    return rng.choice(["2", "0", "1.5", ".5", "3.", "100", "0.1", "007", "12345678901234567890123456789.5", "\u0663.5"])


def _expr(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return _ref(rng) if rng.random() < 0.6 else _number(rng)
    if roll < 0.55:
        op = rng.choice(["+", "-", "*", "/", " + ", "*"])
        return _expr(rng, depth + 1) + op + _expr(rng, depth + 1)
    if roll < 0.65:
        return rng.choice(["-", "+", "--", " -"]) + _expr(rng, depth + 1)
    if roll < 0.75:
        return "(" + _expr(rng, depth + 1) + ")"
    if roll < 0.88:
        args = [
            _ref(rng) + ":" + _ref(rng) if rng.random() < 0.4 else _expr(rng, depth + 1)
            for _ in range(rng.randrange(0, 4))
        ]
        return rng.choice(["SUM(", "sum (", "SUM("]) + rng.choice([",", ";", ", "]).join(args) + ")"
    digits = rng.choice(["0", "1", "2", "-1", "31", _ref(rng)])
    return "ROUND(" + _expr(rng, depth + 1) + "," + digits + ")"


def _broken(rng: random.Random, text: str) -> str:
    """A text a program could write that is not in the subset, or not a formula at all."""
    roll = rng.random()
    if roll < 0.3 and len(text) > 1:
        cut = rng.randrange(1, len(text))
        return text[:cut]
    if roll < 0.6:
        junk = rng.choice([":", ")", "(", "IF(", "Sheet2!A1", "1E3", "A1:B", ",", "&", "'x'", "ABCD1", "%"])
        at = rng.randrange(len(text) + 1)
        return text[:at] + junk + text[at:]
    return rng.choice(["", "=", "  " + text + "  ", "=" + text, "(" * 40 + text + ")" * 40, "A1 B1", "1 2"])


def _shift(text: str, rows: int) -> str:
    """``text`` copied ``rows`` rows down (relative rows move, ``$`` rows stay)."""
    return re.sub(
        r"(\$?[A-Za-z]{1,3})(\$?)(\d+)",
        lambda m: m[1] + m[2] + (m[3] if m[2] or len(m[3]) > 9 else str(int(m[3]) + rows)),
        text,
    )


def _sheet(rng: random.Random) -> Sheet:
    rows: list[list] = [[""] * COLS for _ in range(ROWS + 2)]
    formulas: dict[tuple[int, int], str] = {}
    errors: dict[tuple[int, int], str] = {}
    for r in range(ROWS):
        for c in range(COLS):
            roll = rng.random()
            if roll < 0.45:
                text = _expr(rng, 0)
                formulas[(r, c)] = _broken(rng, text) if rng.random() < 0.15 else text
            elif roll < 0.6:
                rows[r][c] = rng.randrange(-5, 50)
            elif roll < 0.7:
                rows[r][c] = rng.choice([0.1, 2.5, -3.25, 1e-7, 123456.789])
            elif roll < 0.75:
                rows[r][c] = rng.choice(["Tổng", "   ", True, False])
            elif roll < 0.8:
                errors[(r, c)] = "#DIV/0!"
    for (r, c), text in list(formulas.items()):  # copies down a column: one shape, many rows
        if r + 1 < ROWS and rng.random() < 0.3:
            formulas[(r + 1, c)] = _shift(text, 1)
    return Sheet("S", rows, formulas=formulas, errors=errors)


def _outcome(sheet: Sheet, evaluate, budget: int) -> tuple[int, dict]:
    copy = Sheet(sheet.name, sheet.rows, formulas=dict(sheet.formulas), errors=dict(sheet.errors))
    steps = evaluate(copy, budget)
    exact = {
        cell: (type(v).__name__, str(v), v.as_tuple() if isinstance(v, Decimal) else None)
        for cell, v in copy.formula_values.items()
    }
    return steps, exact


@pytest.mark.parametrize("seed", range(8))
def test_the_compiled_evaluator_gives_what_the_parser_gave(seed):
    rng = random.Random(seed)
    for _ in range(60):
        sheet = _sheet(rng)
        steps, full = _outcome(sheet, reference.evaluate_sheet, reference.STEP_BUDGET)
        assert _outcome(sheet, formula.evaluate_sheet, formula.STEP_BUDGET) == (steps, full)
        for budget in sorted({0, 1, rng.randrange(steps + 1), rng.randrange(steps + 1), max(steps - 1, 0)}):
            expected = _outcome(sheet, reference.evaluate_sheet, budget)
            assert _outcome(sheet, formula.evaluate_sheet, budget) == expected, (budget, sheet.formulas)


def test_the_generator_reaches_every_outcome():
    """The differential test means something only if the sheets it makes give numbers, every
    reason, and shapes shared between cells."""
    rng = random.Random(0)
    reasons: set[str] = set()
    shapes: set[str] = set()
    texts = 0
    numbers = 0
    for _ in range(60):
        sheet = _sheet(rng)
        steps, full = _outcome(sheet, reference.evaluate_sheet, reference.STEP_BUDGET)
        _, cut = _outcome(sheet, reference.evaluate_sheet, steps // 2)
        reasons |= {v[1] for v in (*full.values(), *cut.values()) if v[0] == "str"}
        numbers += sum(v[0] == "Decimal" for v in full.values())
        texts += len(sheet.formulas)
        shapes |= {re.sub(r"\d+", "0", t) for t in sheet.formulas.values()}
    assert reasons == {formula.UNSUPPORTED, formula.CIRCULAR, formula.BUDGET}
    assert numbers > 300
    assert len(shapes) < texts * 0.9
