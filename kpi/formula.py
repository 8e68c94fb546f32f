"""Evaluating the few formulas a report's value cell may hold when no result was saved.

A program (not Excel) may write formulas without cached results, or with a cached 0 and
``fullCalcOnLoad`` (XlsxWriter). For a *value* cell we evaluate only what is safe and obvious:
numbers, references to cells of the same sheet, ``+ - * /``, parentheses, unary minus,
``ROUND(x, n)`` and ``SUM(range or list)``. Anything else (other functions, other sheets, text,
a referenced cell that is itself empty, an error, or a formula) gives ``None``: the caller then
treats the cell as "no value" and names it. Derived columns are never evaluated (we recompute
them from the figures).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from kpi.workbook import Sheet, parse_ref

__all__ = ["evaluate"]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<range>\$?[A-Za-z]{1,3}\$?\d+:\$?[A-Za-z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Za-z]{1,3}\$?\d+)|(?P<func>[A-Za-z]+)\s*\(|(?P<op>[-+*/(),;]))"
)


class _Unsupported(Exception):
    pass


def _tokens(formula: str):
    pos = 0
    text = formula.strip().lstrip("=")
    out = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _Unsupported(text[pos:])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def evaluate(formula: str, sheet: Sheet, row: int, col: int, _depth: int = 0) -> Decimal | None:
    """Evaluate ``formula`` (without "=") of cell (row, col) of ``sheet``, or ``None`` when it
    uses anything outside the safe subset described above."""
    if _depth > 8:
        return None
    try:
        tokens = _tokens(formula)
        parser = _Parser(tokens, sheet, _depth)
        value = parser.expr()
        if parser.i != len(tokens):
            return None
        return value
    except (_Unsupported, InvalidOperation, DivisionByZero, ZeroDivisionError, IndexError, ValueError):
        return None


class _Parser:
    def __init__(self, tokens, sheet: Sheet, depth: int):
        self.t = tokens
        self.i = 0
        self.sheet = sheet
        self.depth = depth

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
            return self.cell(value)
        if value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "func":
            name = value.upper()
            args = self.args()
            if name == "SUM":
                return sum(args, Decimal(0))
            if name == "ROUND" and len(args) == 2:
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
                values.extend(self.range(value))
            else:
                values.append(self.expr())
            sep = self.take()[1]
            if sep == ")":
                return values
            if sep not in (",", ";"):
                raise _Unsupported(sep)

    def range(self, text: str) -> list[Decimal]:
        a, b = text.replace("$", "").split(":")
        (r0, c0), (r1, c1) = parse_ref(a), parse_ref(b)
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 10000:
            raise _Unsupported("range too large")
        out = []
        for r in range(min(r0, r1), max(r0, r1) + 1):
            for c in range(min(c0, c1), max(c0, c1) + 1):
                v = self._value(r, c, allow_empty=True)
                if v is not None:
                    out.append(v)
        return out

    def cell(self, ref: str) -> Decimal:
        r, c = parse_ref(ref.replace("$", ""))
        value = self._value(r, c, allow_empty=False)
        if value is None:
            raise _Unsupported(ref)
        return value

    def _value(self, r: int, c: int, allow_empty: bool) -> Decimal | None:
        sheet = self.sheet
        if (r, c) in sheet.errors:
            raise _Unsupported("error")
        if (r, c) in sheet.formulas:
            inner = sheet.formulas[(r, c)]
            value = evaluate(inner, sheet, r, c, self.depth + 1) if inner else None
            if value is None:
                raise _Unsupported("nested formula")
            return value
        raw = sheet.value(r, c)
        if isinstance(raw, bool):
            raise _Unsupported("bool")
        if isinstance(raw, (int, float)):
            return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if isinstance(raw, str) and not raw.strip():
            if allow_empty:
                return None
            raise _Unsupported("empty cell")  # Excel would read 0: we do not guess
        raise _Unsupported("text")
