"""Evaluating the few formulas a report's value cell may hold when no result was saved.

A program (not Excel) may write formulas without cached results, or with a cached 0 and
``fullCalcOnLoad`` (XlsxWriter). For a *value* cell we evaluate only what is safe and obvious:
numbers, references to cells of the same sheet, ``+ - * /``, parentheses, unary minus,
``ROUND(x, n)`` and ``SUM(range or list)``. Anything else (other functions, other sheets, text,
a referenced cell that is itself empty, an error, a shared formula's copies) gives no value: the
caller then treats the cell as "no value" and names it. Derived columns are never read from the
results (we recompute them from the figures).

Where and how much (issue 16, finding 8: an 8.6 KB workbook of nested ``SUM`` ranges cost 64 s of
the server's CPU):

- :func:`evaluate_workbook` runs in the time- and memory-limited parsing worker
  (:mod:`kpi.reading.worker`), never in the server process, when the report reader first asks for
  a result (:mod:`kpi.reading.formula_values`; a file whose values are never needed is never
  evaluated); it fills each sheet's :attr:`~kpi.reading.workbook.Sheet.formula_values`, which the
  report reader only looks up (:func:`result`).
- A formula is compiled once per *shape* — its text with each digit written 0, so a column of
  ``=D2*2``, ``=D3*2``… is one shape — into a small stack program; each cell only reads its rows
  and numbers off its own text (issue 17: ≈ 3 µs a formula, against 7–8 µs of tokenising and
  parsing every cell). The program does the work in the order the recursive descent it replaced
  did, so the results and the steps counted are the same (tests/reading/test_formula_differential.py).
- Each formula cell is evaluated at most once (memoised), in dependency order without recursion
  between cells (a chain of 100 000 cells is no deeper than one), and a cell that depends on
  itself, directly or not, is ``CIRCULAR``.
- All the work is counted in *steps* against one budget per workbook (:data:`STEP_BUDGET`): one
  step per token of a formula (and per 64 characters of its text), per cell a range covers (once
  to find its formulas, once to add it up) and per reference. When the budget is spent, every
  formula not yet evaluated is ``BUDGET``: reported as not evaluated, never read as 0.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, DecimalException

from kpi.reading.workbook import Sheet, Workbook

__all__ = [
    "BUDGET",
    "CIRCULAR",
    "FUNCTIONS",
    "MAX_FORMULA_CHARS",
    "STEP_BUDGET",
    "UNSUPPORTED",
    "evaluate_sheet",
    "evaluate_workbook",
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

FUNCTIONS = {"SUM", "ROUND"}
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
    shapes: dict = {}
    for sheet in wb.sheets:
        _evaluate(sheet, steps, shapes)
    return steps.used


def evaluate_sheet(sheet: Sheet, budget: int = STEP_BUDGET) -> int:
    """Evaluate every formula of one sheet (see :func:`evaluate_workbook`); returns steps used."""
    steps = _Steps(budget)
    _evaluate(sheet, steps)
    return steps.used


def result(sheet: Sheet, row: int, col: int) -> Decimal | str:
    """The value of formula cell (row, col): a ``Decimal``, or why there is none
    (:data:`UNSUPPORTED`, :data:`CIRCULAR`, :data:`BUDGET`).

    A sheet read by :func:`kpi.reading.worker.read_workbook_safely` has its results fetched from
    the parsing worker on first use (:mod:`kpi.reading.formula_values`), and one read by
    :func:`kpi.reading.workbook.read_workbook` was evaluated as it was read: this only looks the
    result up. A sheet built otherwise (tests) is evaluated here on first use, under the same
    budget."""
    if sheet.formula_values is None and sheet.values_source is not None:
        sheet.values_source()  # asks the parsing worker (kpi.reading.formula_values)
    if sheet.formula_values is None:
        evaluate_sheet(sheet)
    return sheet.formula_values.get((row, col), UNSUPPORTED)


def _evaluate(sheet: Sheet, steps: _Steps, shapes: dict | None = None) -> None:
    done: dict[Cell, Decimal | str] = {}
    sheet.formula_values = done
    if not sheet.formulas:
        return
    run = _SheetRun(sheet, steps, done, {} if shapes is None else shapes)
    try:
        for cell in sheet.formulas:
            if cell not in done:
                run.resolve(cell)
    except _OutOfSteps:
        pass
    for cell in sheet.formulas:
        done.setdefault(cell, BUDGET)


# -- compiling a formula's shape ------------------------------------------------------------------
#
# A formula is compiled once per *shape*: its text with each ASCII digit written "0" (``D2*2``,
# ``D3*2`` and ``D7*5`` are all ``D0*0``; ``D12*2`` is ``D00*0``). Which characters form a token,
# and so the tokens' kinds, the operators, the functions and the parse, depend only on where
# digits are, never on which (the token patterns say ``\d``, nothing finer); the digits only give
# the numbers, the rows of references (checked when a cell is bound: a row 0 or past 1 048 576 is
# not a cell) and the size of a range, read at the positions the shape records (other Unicode
# digits, which ``\d`` also takes, stay as they are: a finer shape, still right). So a column of
# copied formulas costs one ``str.translate`` and a few slices per cell, not a tokenizer and a
# parser.

#: The program's instructions (``(opcode, operand index or None)``), in the order the recursive
#: descent meets them, which is the order the original evaluator did the same work in.
_NUM, _REF, _RANGE, _NEG, _ADD, _SUB, _MUL, _DIV, _ARGS, _ARG, _SUM, _ROUND, _FAIL = range(13)
_BINARY = {"+": _ADD, "-": _SUB, "*": _MUL, "/": _DIV}
_ZEROS = str.maketrans("0123456789", "0" * 10)
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_MAX_ROWS, _MAX_COLS = 1048576, 16384
_MISSING = object()


class _Shape:
    """One shape compiled: ``tokens`` (how many, for the step count), ``places`` (in the text's
    order: ``(start, end, col)`` for a reference, whose row is ``text[start:end]``;
    ``(start0, end0, start1, end1, first col, last col)`` for a range), ``nums`` (``(start,
    end)`` of each number), ``code`` (the instructions) and ``ranges`` (whether any place is one)."""

    __slots__ = ("code", "nums", "places", "ranges", "tokens")

    def __init__(self, tokens: int, places: list, nums: list, code: list):
        self.tokens, self.places, self.nums, self.code = tokens, places, nums, code
        self.ranges = any(len(place) != 3 for place in places)


def _compile(shape: str) -> _Shape | None:
    """The shape's tokens and program; ``None`` when the text is outside the subset whatever its
    digits (an unknown function, a character no token takes, a column past XFD)."""
    stripped = shape.strip()
    text = stripped.lstrip("=")
    offset = len(shape) - len(shape.lstrip()) + len(stripped) - len(text)  # text[i] is shape[offset + i]
    pos, tokens, places, nums = 0, [], [], []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            return None
        kind = m.lastgroup
        value = m.group(kind)
        start = m.start(kind) + offset
        if kind == "func":
            value = value.upper()
            if value not in FUNCTIONS:
                return None
        elif kind == "num":
            nums.append((start, start + len(value)))
            value = len(nums) - 1
        elif kind in ("ref", "range"):
            place: list[int] = []
            cols = []
            for end in value.split(":"):
                cell = _CELL.fullmatch(end)
                col = 0
                for ch in cell.group(1).upper():
                    col = col * 26 + (ord(ch) - 64)
                if col > _MAX_COLS:
                    return None
                cols.append(col - 1)
                place += (start + cell.start(2), start + cell.end(2))
                start += len(end) + 1
            places.append((*place, cols[0]) if kind == "ref" else (*place, min(cols), max(cols)))
            value = len(places) - 1
        tokens.append((kind, value))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    compiler = _Compiler(tokens)
    try:
        compiler.expr()
        if compiler.i != len(tokens):
            compiler.code.append((_FAIL, None))
    except (_Unsupported, RecursionError):
        compiler.code.append((_FAIL, None))
    return _Shape(len(tokens), places, nums, compiler.code)


def _bind(shape: _Shape, text: str) -> tuple[list, int] | None:
    """``(places, cells of the ranges)`` of a shape for this text: a reference ``(row, col)``, a
    range ``(r0, r1, c0, c1)``; ``None`` when a row is not a sheet's (0, past 1 048 576) or a
    range is too large."""
    places = []
    cost = 0
    try:
        if not shape.ranges:
            for start, end, col in shape.places:
                r = int(text[start:end]) - 1
                if not 0 <= r < _MAX_ROWS:
                    return None
                places.append((r, col))
            return places, 0
        for place in shape.places:
            if len(place) == 3:
                r = int(text[place[0] : place[1]]) - 1
                if not 0 <= r < _MAX_ROWS:
                    return None
                places.append((r, place[2]))
            else:
                s0, e0, s1, e1, c0, c1 = place
                ra, rb = int(text[s0:e0]) - 1, int(text[s1:e1]) - 1
                if not (0 <= ra < _MAX_ROWS and 0 <= rb < _MAX_ROWS):
                    return None
                r0, r1 = min(ra, rb), max(ra, rb)
                cells = (r1 - r0 + 1) * (c1 - c0 + 1)
                if cells > MAX_RANGE_CELLS:
                    return None
                places.append((r0, r1, c0, c1))
                cost += cells
    except ValueError:  # more digits than int() reads
        return None
    return places, cost


class _Compiler:
    """Recursive descent over one shape's tokens, writing the program in the order the work is
    done; what follows a syntax error (or a nesting deeper than Python's recursion) becomes
    ``_FAIL``, after the work the text before it asks for (as the evaluator this replaces did).
    Only the exact depth at which Python's recursion limit stops a text nested a few hundred
    levels deep may differ from that evaluator's, by the few frames its caller's stack had."""

    def __init__(self, tokens):
        self.t = tokens
        self.i = 0
        self.code: list = []

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise _Unsupported(str(tok))
        self.i += 1
        return tok

    def expr(self) -> None:
        self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            self.term()
            self.code.append((_BINARY[op], None))

    def term(self) -> None:
        self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            self.unary()
            self.code.append((_BINARY[op], None))

    def unary(self) -> None:
        if self.peek()[1] == "-":
            self.take()
            self.unary()
            self.code.append((_NEG, None))
        elif self.peek()[1] == "+":
            self.take()
            self.unary()
        else:
            self.atom()

    def atom(self) -> None:
        kind, value = self.take()
        if kind == "num":
            self.code.append((_NUM, value))
        elif kind == "ref":
            self.code.append((_REF, value))
        elif value == "(":
            self.expr()
            self.take(")")
        elif kind == "func":
            self.code.append((_ARGS, None))
            self.args()
            self.code.append((_SUM if value == "SUM" else _ROUND, None))
        else:
            raise _Unsupported(str(value))

    def args(self) -> None:
        if self.peek()[1] == ")":
            self.take()
            return
        while True:
            kind, value = self.peek()
            if kind == "range":
                self.take()
                self.code.append((_RANGE, value))
            else:
                self.expr()
                self.code.append((_ARG, None))
            sep = self.take()[1]
            if sep == ")":
                return
            if sep not in (",", ";"):
                raise _Unsupported(sep)


# -- evaluating -----------------------------------------------------------------------------------


class _SheetRun:
    """One sheet's evaluation: each formula cell bound to its shape (``bound``: program, places,
    numbers), results in ``done``; ``shapes`` is shared by the sheets of a workbook."""

    def __init__(self, sheet: Sheet, steps: _Steps, done: dict, shapes: dict):
        self.sheet = sheet
        self.steps = steps
        self.done = done
        self.shapes = shapes
        self.numbers: dict[str, Decimal] = {}
        self.bound: dict[Cell, tuple] = {}

    def resolve(self, root: Cell) -> None:
        """Evaluate ``root`` after every formula cell it needs (an iterative depth-first walk)."""
        done = self.done
        deps = self.dependencies(root)
        if not deps or all(dep in done for dep in deps):  # the common case: nothing (left) to walk
            if root not in done:
                done[root] = self.compute(self.bound.pop(root))
            return
        stack = [(root, iter(deps))]
        on_path = {root}
        while stack:
            cell, pending = stack[-1]
            dep = next(pending, None)
            if dep is None:
                stack.pop()
                on_path.discard(cell)
                if cell not in done:
                    done[cell] = self.compute(self.bound.pop(cell))
                continue
            if dep in done:
                continue
            if dep in on_path:
                done[cell] = CIRCULAR  # the cells above it on the path inherit the reason
                stack[-1] = (cell, iter(()))
                continue
            on_path.add(dep)
            stack.append((dep, iter(self.dependencies(dep))))

    def dependencies(self, cell: Cell) -> list[Cell]:
        """The formula cells ``cell``'s formula reads (its references, and those inside its
        ranges, in the text's order); binds the formula to its cell (``bound``), or marks it
        ``UNSUPPORTED`` (and returns ``[]``) when its text is not in the subset.

        Steps as the tokenizer counted them: 1 per 64 characters (and 1) before anything, then one
        per token, then one per cell of each range."""
        text = self.sheet.formulas[cell]
        if not text or len(text) > MAX_FORMULA_CHARS:
            self.done[cell] = UNSUPPORTED
            return []
        steps = self.steps
        steps.left -= 1 + len(text) // 64
        if steps.left < 0:
            raise _OutOfSteps
        key = text.translate(_ZEROS)
        shape = self.shapes.get(key, _MISSING)
        if shape is _MISSING:
            shape = self.shapes[key] = _compile(key)
        bound = shape and _bind(shape, text)
        if bound is None:
            self.done[cell] = UNSUPPORTED
            return []
        places, cost = bound
        steps.left -= shape.tokens + cost
        if steps.left < 0:
            raise _OutOfSteps
        numbers = self.numbers
        values = []
        for start, end in shape.nums:
            number = numbers.get(text[start:end])
            if number is None:
                number = numbers[text[start:end]] = Decimal(text[start:end])
            values.append(number)
        self.bound[cell] = (shape.code, places, values)
        formulas = self.sheet.formulas
        if not cost:
            return [place for place in places if place in formulas]
        out = []
        for place in places:
            if len(place) == 2:
                if place in formulas:
                    out.append(place)
            else:
                r0, r1, c0, c1 = place
                out.extend((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) in formulas)
        return out

    def compute(self, bound: tuple) -> Decimal | str:
        """The value of a bound formula (:meth:`dependencies`), every formula cell it needs
        being in ``done``."""
        code, places, numbers = bound
        stack: list[Decimal] = []
        lists: list[list[Decimal]] = []
        push, pop = stack.append, stack.pop
        try:
            for op, arg in code:
                if op == _REF:
                    push(self.value(places[arg]))
                elif op == _NUM:
                    push(numbers[arg])
                elif op == _MUL:
                    rhs = pop()
                    stack[-1] = stack[-1] * rhs
                elif op == _ADD:
                    rhs = pop()
                    stack[-1] = stack[-1] + rhs
                elif op == _SUB:
                    rhs = pop()
                    stack[-1] = stack[-1] - rhs
                elif op == _DIV:
                    rhs = pop()
                    stack[-1] = stack[-1] / rhs
                elif op == _NEG:
                    stack[-1] = -stack[-1]
                elif op == _ARGS:
                    lists.append([])
                elif op == _ARG:
                    lists[-1].append(pop())
                elif op == _RANGE:
                    lists[-1].extend(self.range(places[arg]))
                elif op == _SUM:
                    push(sum(lists.pop(), Decimal(0)))
                elif op == _ROUND:
                    args = lists.pop()
                    if not (len(args) == 2 and abs(args[1]) <= 30):
                        return UNSUPPORTED
                    push(args[0].quantize(Decimal(1).scaleb(-int(args[1])), rounding=ROUND_HALF_UP))
                else:
                    return UNSUPPORTED
            return stack[-1]
        except _NoValue as exc:
            return exc.args[0]
        except (_Unsupported, DecimalException, ArithmeticError, IndexError, ValueError):
            return UNSUPPORTED

    def value(self, pos: Cell) -> Decimal:
        """A cell named directly: its number (one step).

        :raises _NoValue: a formula cell without a value, with its reason.
        :raises _Unsupported: an error, text, a truth value, or an empty cell (Excel would read
            0: we do not guess).
        """
        steps = self.steps
        steps.left -= 1
        if steps.left < 0:
            raise _OutOfSteps
        sheet = self.sheet
        if pos in sheet.errors:
            raise _Unsupported("error")
        if pos in sheet.formulas:
            found = self.done.get(pos, UNSUPPORTED)
            if not isinstance(found, Decimal):
                raise _NoValue(found)
            return found
        r, c = pos
        rows = sheet.rows
        row = rows[r] if r < len(rows) else ()
        raw = row[c] if c < len(row) else ""
        kind = type(raw)
        if kind is int:
            return Decimal(raw)
        if kind is float:
            return Decimal(repr(raw))
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise _Unsupported("not a number")
        return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)

    def range(self, bounds) -> list[Decimal]:
        """The numbers of a range's cells, its empty cells left out (as ``SUM`` does).

        :raises _NoValue, _Unsupported: as :meth:`value`, for any cell of the range.
        """
        r0, r1, c0, c1 = bounds
        self.steps.spend((r1 - r0 + 1) * (c1 - c0 + 1))
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
