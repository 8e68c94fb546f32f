"""The formula evaluator as it was before issue 17 (kpi/reading/formula.py at d48fd4f): a
regex tokenizer and a recursive-descent parser per formula cell, kept verbatim as the reference
the compiled evaluator is compared against (tests/reading/test_formula_differential.py). Not
used by the application.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, DecimalException

from kpi.reading.workbook import Sheet, Workbook, parse_ref

__all__ = [
    "BUDGET",
    "CIRCULAR",
    "MAX_FORMULA_CHARS",
    "STEP_BUDGET",
    "UNSUPPORTED",
    "evaluate_sheet",
    "evaluate_workbook",
    "not_evaluated_vi",
    "result",
]

#: Steps one workbook's formulas may take (≈ 1–2 s of a worker's CPU; an ordinary report takes
#: a few hundred, a register of 20 000 formula rows a few hundred thousand).
STEP_BUDGET = 1_000_000
#: Excel's own limit on a formula's length: a longer text is not from Excel and is not evaluated.
MAX_FORMULA_CHARS = 8192
#: The largest range ``SUM`` adds up (more cells: not evaluated).
MAX_RANGE_CELLS = 10_000

#: Why a formula has no value (:func:`result`): outside the safe subset, or needs a cell that is.
UNSUPPORTED = "unsupported"
#: It is on a circular reference (depends on itself, directly or through other cells), or needs
#: a cell that is.
CIRCULAR = "circular"
#: The workbook's step budget was spent before this formula was evaluated.
BUDGET = "budget"

_FUNCTIONS = {"SUM", "ROUND"}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<range>\$?[A-Za-z]{1,3}\$?\d+:\$?[A-Za-z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Za-z]{1,3}\$?\d+)|(?P<func>[A-Za-z]+)\s*\(|(?P<op>[-+*/(),;]))"
)

Cell = tuple[int, int]


class _Unsupported(Exception):
    pass


class _NoValue(Exception):
    """A cell this formula needs has no value; ``args[0]`` is its reason."""


class _OutOfSteps(Exception):
    pass


class _Steps:
    """A countdown of steps shared by all the sheets of a workbook."""

    def __init__(self, budget: int):
        self.left = budget
        self.budget = budget

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise _OutOfSteps

    @property
    def used(self) -> int:
        return self.budget - max(self.left, 0)


def evaluate_workbook(wb: Workbook, budget: int = STEP_BUDGET) -> int:
    """Evaluate every formula of every sheet of ``wb`` (in sheet order) under one step budget,
    filling each sheet's ``formula_values``.

    :returns: the steps used (at most ``budget``).
    """
    steps = _Steps(budget)
    for sheet in wb.sheets:
        _evaluate(sheet, steps)
    return steps.used


def evaluate_sheet(sheet: Sheet, budget: int = STEP_BUDGET) -> int:
    """Evaluate every formula of one sheet (see :func:`evaluate_workbook`); returns steps used."""
    steps = _Steps(budget)
    _evaluate(sheet, steps)
    return steps.used


def result(sheet: Sheet, row: int, col: int) -> Decimal | str:
    """The value of formula cell (row, col): a ``Decimal``, or why there is none
    (:data:`UNSUPPORTED`, :data:`CIRCULAR`, :data:`BUDGET`).

    A sheet read by :func:`kpi.reading.workbook.read_workbook` was evaluated in the parsing worker: this
    only looks the result up. A sheet built otherwise (tests) is evaluated here on first use,
    under the same budget."""
    if sheet.formula_values is None:
        evaluate_sheet(sheet)
    return sheet.formula_values.get((row, col), UNSUPPORTED)


def not_evaluated_vi(reason: str) -> str:
    """Why a formula cell has no value, as words that follow "Ô là công thức «=…»"."""
    if reason == BUDGET:
        return (
            "chưa được tự tính vì tệp có quá nhiều phép tính công thức (vượt giới hạn "
            f"{STEP_BUDGET:,} bước; có thể là tệp độc hại)".replace(",", ".")
        )
    if reason == CIRCULAR:
        return "dùng tham chiếu vòng (các ô tính lẫn nhau, trực tiếp hoặc qua ô khác) nên không tính được"
    return "không có kết quả tin cậy lưu trong tệp (tệp do phần mềm tạo, chưa mở bằng Excel)"


def _evaluate(sheet: Sheet, steps: _Steps) -> None:
    done: dict[Cell, Decimal | str] = {}
    sheet.formula_values = done
    if not sheet.formulas:
        return
    run = _SheetRun(sheet, steps, done)
    try:
        for cell in sheet.formulas:
            if cell not in done:
                run.resolve(cell)
    except _OutOfSteps:
        pass
    for cell in sheet.formulas:
        done.setdefault(cell, BUDGET)


class _SheetRun:
    """One sheet's evaluation: tokens and dependencies per formula cell, results in ``done``."""

    def __init__(self, sheet: Sheet, steps: _Steps, done: dict):
        self.sheet = sheet
        self.steps = steps
        self.done = done
        self.tokens: dict[Cell, list] = {}

    def resolve(self, root: Cell) -> None:
        """Evaluate ``root`` after every formula cell it needs (an iterative depth-first walk)."""
        stack = [(root, iter(self.dependencies(root)))]
        on_path = {root}
        while stack:
            cell, pending = stack[-1]
            dep = next(pending, None)
            if dep is None:
                stack.pop()
                on_path.discard(cell)
                if cell not in self.done:
                    self.done[cell] = self.compute(cell)
                continue
            if dep in self.done:
                continue
            if dep in on_path:
                self.done[cell] = CIRCULAR  # the cells above it on the path inherit the reason
                stack[-1] = (cell, iter(()))
                continue
            on_path.add(dep)
            stack.append((dep, iter(self.dependencies(dep))))

    def dependencies(self, cell: Cell) -> list[Cell]:
        """The formula cells ``cell``'s formula reads (its references, and those inside its
        ranges); marks the cell ``UNSUPPORTED`` (and returns ``[]``) when its text is not."""
        text = self.sheet.formulas.get(cell, "")
        try:
            tokens = self._tokens(text)
        except _Unsupported:
            self.done[cell] = UNSUPPORTED
            return []
        self.tokens[cell] = tokens
        formulas = self.sheet.formulas
        out = []
        for kind, value in tokens:
            if kind == "ref":
                if value in formulas:
                    out.append(value)
            elif kind == "range":
                (r0, r1), (c0, c1) = value
                self.steps.spend((r1 - r0 + 1) * (c1 - c0 + 1))
                out.extend((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) in formulas)
        return out

    def _tokens(self, text: str) -> list:
        """``[(kind, value)]``: ``num`` text, ``ref`` (row, col), ``range`` ((r0, r1), (c0, c1)),
        ``func`` upper-case name, ``op`` character.

        :raises _Unsupported: anything outside the safe subset (before any cell is read).
        """
        if not text or len(text) > MAX_FORMULA_CHARS:
            raise _Unsupported("empty or too long")
        self.steps.spend(1 + len(text) // 64)
        text = text.strip().lstrip("=")
        pos = 0
        out = []
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise _Unsupported(text[pos:])
            kind = m.lastgroup
            value = m.group(kind)
            if kind == "func":
                value = value.upper()
                if value not in _FUNCTIONS:
                    raise _Unsupported(value)
            elif kind == "ref":
                value = _position(value)
            elif kind == "range":
                value = _bounds(value)
                (r0, r1), (c0, c1) = value
                if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_RANGE_CELLS:
                    raise _Unsupported("range too large")
            out.append((kind, value))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.steps.spend(len(out))
        return out

    def compute(self, cell: Cell) -> Decimal | str:
        """The value of ``cell``'s formula, every formula cell it needs being in ``done``."""
        tokens = self.tokens.get(cell)
        if tokens is None:
            return UNSUPPORTED
        parser = _Parser(tokens, self)
        try:
            value = parser.expr()
            if parser.i != len(tokens):
                return UNSUPPORTED
            return value
        except _NoValue as exc:
            return exc.args[0]
        except (_Unsupported, DecimalException, ArithmeticError, IndexError, ValueError, RecursionError):
            return UNSUPPORTED

    def value(self, r: int, c: int) -> Decimal:
        """A cell named directly: its number.

        :raises _NoValue: a formula cell without a value, with its reason.
        :raises _Unsupported: an error, text, a truth value, or an empty cell (Excel would read
            0: we do not guess).
        """
        self.steps.spend()
        found = self._cells(r, r, c, c)
        if not found:
            raise _Unsupported("empty cell")
        return found[0]

    def range(self, bounds) -> list[Decimal]:
        """The numbers of a range's cells, its empty cells left out (as ``SUM`` does).

        :raises _NoValue, _Unsupported: as :meth:`value`, for any cell of the range.
        """
        (r0, r1), (c0, c1) = bounds
        self.steps.spend((r1 - r0 + 1) * (c1 - c0 + 1))
        return self._cells(r0, r1, c0, c1)

    def _cells(self, r0: int, r1: int, c0: int, c1: int) -> list[Decimal]:
        errors, formulas, done, rows = self.sheet.errors, self.sheet.formulas, self.done, self.sheet.rows
        out = []
        for r in range(r0, r1 + 1):
            row = rows[r] if r < len(rows) else ()
            for c in range(c0, c1 + 1):
                pos = (r, c)
                if pos in errors:
                    raise _Unsupported("error")
                if pos in formulas:
                    found = done.get(pos, UNSUPPORTED)
                    if not isinstance(found, Decimal):
                        raise _NoValue(found)
                    out.append(found)
                    continue
                raw = row[c] if c < len(row) else ""
                if isinstance(raw, bool):
                    raise _Unsupported("bool")
                if isinstance(raw, float):
                    out.append(Decimal(repr(raw)))
                elif isinstance(raw, int):
                    out.append(Decimal(raw))
                elif not (isinstance(raw, str) and not raw.strip()):
                    raise _Unsupported("text")
        return out


def _position(text: str) -> Cell:
    """ "$E$12" → (11, 4); :raises _Unsupported: not a cell of a sheet (row 0, past XFD)."""
    try:
        r, c = parse_ref(text.replace("$", ""))
    except ValueError:
        raise _Unsupported(text) from None
    if not (0 <= r < 1048576 and 0 <= c < 16384):
        raise _Unsupported(text)
    return r, c


def _bounds(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """ "B2:A9" → ((1, 8), (0, 1)): (first, last row), (first, last column), 0-based."""
    a, b = text.split(":")
    (r0, c0), (r1, c1) = _position(a), _position(b)
    return (min(r0, r1), max(r0, r1)), (min(c0, c1), max(c0, c1))


class _Parser:
    """Recursive descent over one formula's tokens (nesting within one formula only)."""

    def __init__(self, tokens, run: _SheetRun):
        self.t = tokens
        self.i = 0
        self.run = run

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise _Unsupported(str(tok))
        self.i += 1
        return tok

    def expr(self) -> Decimal:
        value = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            rhs = self.term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def term(self) -> Decimal:
        value = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            rhs = self.unary()
            value = value * rhs if op == "*" else value / rhs
        return value

    def unary(self) -> Decimal:
        if self.peek()[1] == "-":
            self.take()
            return -self.unary()
        if self.peek()[1] == "+":
            self.take()
            return self.unary()
        return self.atom()

    def atom(self) -> Decimal:
        kind, value = self.take()
        if kind == "num":
            return Decimal(value)
        if kind == "ref":
            return self.run.value(*value)
        if value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "func":
            name = value
            args = self.args()
            if name == "SUM":
                return sum(args, Decimal(0))
            if name == "ROUND" and len(args) == 2 and abs(args[1]) <= 30:
                digits = int(args[1])
                return args[0].quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
            raise _Unsupported(name)
        raise _Unsupported(str(value))

    def args(self) -> list[Decimal]:
        values: list[Decimal] = []
        if self.peek()[1] == ")":
            self.take()
            return values
        while True:
            kind, value = self.peek()
            if kind == "range":
                self.take()
                values.extend(self.run.range(value))
            else:
                values.append(self.expr())
            sep = self.take()[1]
            if sep == ")":
                return values
            if sep not in (",", ";"):
                raise _Unsupported(sep)
