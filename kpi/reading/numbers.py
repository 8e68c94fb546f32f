"""One value cell of a report → a number, by the form it is written in (the figures step of
:func:`kpi.reading.report_sheets.read_report`).

A cell is a formula error (``#REF!``, refused), a formula (its value evaluated in the parsing
worker, :mod:`kpi.reading.formula`), a true/false or a date (refused: not a number), a number
(as stored; a percent format noted), or a text read the Vietnamese way (:func:`kpi.vn.parse_number`:
"1.234,5", "72,89%"; an ambiguous "1.234" is warned about unless the column shows its convention).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from kpi.errors import NumberFormatError
from kpi.reading.formula import result
from kpi.reading.formula_reasons import not_evaluated_vi
from kpi.reading.messages import ERROR, INFO, WARNING, Issue, issue
from kpi.reading.workbook import Sheet, cell_ref, is_error_text
from kpi.vn import (
    MAX_SHOWN_DIGITS,
    clean_text,
    distinct_decimals,
    figure_decimals,
    format_figure,
    format_number,
    parse_number,
    short_number,
    to_decimal,
)

__all__ = ["cell_number", "figure_text", "own_decimals", "written"]

#: What :func:`cell_number` returns: (value or None, the cell as written, percent form).
Read = tuple["Decimal | None", str, str]


def written(value: float | int | Decimal) -> str:
    """A number cell as the clerk typed it, vi-VN, without rounding it away (0.941 → "0,941")."""
    try:
        number = to_decimal(value)
    except (ValueError, ArithmeticError):
        return repr(value)
    if not number.is_finite():
        return repr(value)
    if number.adjusted() >= MAX_SHOWN_DIGITS:  # no plan's figure; never 309 digits in a message
        return short_number(number)
    sign, digits = ("-", -number) if number < 0 else ("", number)
    text = format(digits, "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")[:10]
    return sign + grouped + ("," + fraction if fraction else "")


def own_decimals(value) -> int:
    """The decimals a figure has as read (0,943 → 3; 1426 → 0), at most six."""
    number = to_decimal(value)
    return min(6, max(0, -number.normalize().as_tuple().exponent)) if number.is_finite() else 0


def figure_text(value, unit: str | None, decimals: int | None, kind: str = "", against: Iterable = ()) -> str:
    """A figure read from a file as every output writes it (issue 14, "one formatter":
    :func:`kpi.vn.format_figure`, a count without decimals, a measured figure with max(1, its
    target's decimals): 120,0 and 15,0 tỷ đồng, never 120,0 beside 15); a target (``kind``
    ``"plan"``) never rounded below its own decimals (8.500 triệu đồng is 8,5 tỷ, not «9»); any
    other figure never rounded into one of the figures it is read ``against`` (its targets, the
    file's plan, the figure it replaces): with the decimals that tell the two apart, as the pages
    write a judged figure (:func:`kpi.vn.distinct_decimals`, the report's ``shown_decimals``) —
    94,499 beside a plan of 94,5 is «94,499», not «94,5» that reads as met (blind round 8, finding 5)."""
    if kind == "plan":
        return format_figure(value, unit, decimals, own_decimals(value))
    places = figure_decimals(unit, decimals)
    shown = max((distinct_decimals(value, other, places) for other in against), default=places)
    # never past its own decimals: 94,5 beside 94,499 is «94,5» (exact), not «94,500»
    return format_figure(value, unit, decimals, min(shown, max(places, own_decimals(value))))


def cell_number(
    sheet: Sheet,
    r: int,
    c: int,
    convention: str,
    evidence: bool,
    issues: list[Issue],
    label: str,
    shown: tuple[str | None, int | None, str] | None = None,
) -> Read:
    """Read one value cell → (Decimal | None, written text, percent).

    ``percent`` is ``"format"`` for a number shown through a percent format (0.7289 shown as
    72,89 %: the caller scales it by 100), ``"sign"`` for a text written with "%" ("72,89%": already
    in percent), else ``""``. Problems are appended to ``issues``; ``label`` is the row's name.
    """
    ref = cell_ref(r, c)
    if (r, c) in sheet.errors:
        error = sheet.errors[(r, c)]
        issues.append(issue(ERROR, "error_cell.formula", sheet=sheet.name, cell=ref, error=error, label=label))
        return None, error, ""
    if (r, c) in sheet.formulas:
        return _formula(sheet, r, c, issues, label, shown)
    value = sheet.value(r, c)
    if isinstance(value, bool):
        issues.append(issue(ERROR, "not_a_number.bool", sheet=sheet.name, cell=ref, value=value, label=label))
        return None, str(value), ""
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, ±inf: not a figure
            return None, "", ""
        if (r, c) in sheet.percent:  # as the clerk sees it in Excel: 0.338 in a % format is «33,8 %»
            return to_decimal(value), written(to_decimal(value) * 100) + " %", "format"
        return to_decimal(value), written(value), ""
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        issues.append(issue(ERROR, "not_a_number.date", sheet=sheet.name, cell=ref, value=value, label=label))
        return None, str(value), ""
    return _text(clean_text(value), convention, evidence, (sheet.name, ref), issues, label)


def _formula(sheet: Sheet, r: int, c: int, issues: list[Issue], label: str, shown: tuple | None) -> Read:
    """A formula without a stored result: the value the worker evaluated (info), or none (warning)."""
    formula, ref = sheet.formulas[(r, c)], cell_ref(r, c)
    value = result(sheet, r, c)  # evaluated in the parsing worker (kpi.reading.formula)
    if not isinstance(value, Decimal):
        why = not_evaluated_vi(value, formula)
        issues.append(
            issue(WARNING, "formula_no_value", sheet=sheet.name, cell=ref, formula=formula, why=why, label=label)
        )
        return None, f"={formula}", ""
    issues.append(
        issue(
            INFO,
            "formula_evaluated",
            sheet=sheet.name,
            cell=ref,
            formula=formula,
            value=figure_text(value, *shown) if shown else format_number(value),
        )
    )
    return value, f"={formula}", "format" if (r, c) in sheet.percent else ""


def _text(text: str, convention: str, evidence: bool, at: tuple[str, str], issues: list[Issue], label: str) -> Read:
    """A text cell: empty, an error's text ("#DIV/0!"), or a number written the Vietnamese way;
    ``at`` is (sheet, cell)."""
    sheet, ref = at
    if not text:
        return None, "", ""
    if is_error_text(text):
        issues.append(issue(ERROR, "error_cell", sheet=sheet, cell=ref, error=text, label=label))
        return None, text, ""
    try:
        parsed = parse_number(text, convention)
    except NumberFormatError:
        issues.append(issue(ERROR, "not_a_number", sheet=sheet, cell=ref, text=text, label=label))
        return None, text, ""
    if parsed.ambiguous and not evidence:
        issues.append(
            issue(WARNING, "ambiguous_number", sheet=sheet, cell=ref, text=text, value=format_number(parsed.value))
        )
    return parsed.value, text, "sign" if parsed.percent else ""
