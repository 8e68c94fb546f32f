"""A workbook's formula results, evaluated in the parsing worker only when a reader asks for one.

:func:`kpi.reading.worker.read_workbook_safely` returns a workbook whose formulas are not yet
evaluated: most files never need a result (a refused file, a register, a report whose value
cells are numbers or hold Excel's cached results), and evaluating 64,000 formulas and sending
their values to the server cost ≈ 0.35 s of every such file (issue 17). The first time the
report reader asks for a formula's value (:func:`kpi.reading.formula.result`), the sheet's
:class:`Deferred` asks a worker — the one that read the file, which kept it, else any worker,
which reads it again — to evaluate every formula of the workbook under the one step budget, as
before, so the values are the same as when they were evaluated up front; evaluation still never
runs in the server process.

Shapes: the values travel as one text per sheet (:func:`packed`), a ``Decimal`` as ``str``
gives it or the reason's word, one a line, in the order of the sheet's ``formulas`` — pickling
64,000 ``Decimal`` objects one by one cost ≈ 0.1 s of the worker and the server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from kpi.reading.collector import collector_paused
from kpi.reading.formula import BUDGET, CIRCULAR, UNSUPPORTED
from kpi.reading.workbook import Workbook

__all__ = ["Deferred", "packed", "unpack"]

_log = logging.getLogger(__name__)
_REASONS = {UNSUPPORTED: UNSUPPORTED, CIRCULAR: CIRCULAR, BUDGET: BUDGET}


def packed(wb: Workbook) -> list[str | None]:
    """Each sheet's evaluated ``formula_values`` as one text (``None`` for a sheet without formulas)."""
    out: list[str | None] = []
    for sheet in wb.sheets:
        values = sheet.formula_values or {}
        out.append(
            "\n".join([str(values.get(cell, UNSUPPORTED)) for cell in sheet.formulas]) if sheet.formulas else None
        )
    return out


def unpack(wb: Workbook, texts: list[str | None]) -> None:
    """Set each sheet's ``formula_values`` from :func:`packed`'s texts (one per sheet, in order)."""
    with collector_paused():
        for sheet, text in zip(wb.sheets, texts, strict=True):
            if text is None:
                sheet.formula_values = {}
                continue
            lines = text.split("\n")
            sheet.formula_values = {
                cell: _REASONS.get(line) or Decimal(line) for cell, line in zip(sheet.formulas, lines, strict=True)
            }


def not_evaluated(wb: Workbook) -> None:
    """Every formula of ``wb`` without a value (:data:`BUDGET`: "too much work"), when the worker
    asked to evaluate them died, timed out or refused: never read as 0."""
    for sheet in wb.sheets:
        sheet.formula_values = dict.fromkeys(sheet.formulas, BUDGET)


class Deferred:
    """The formula values of one workbook read in a worker, fetched on first use.

    :param wb: the workbook (its sheets' ``values_source`` are set to this object).
    :param ask: returns :func:`packed`'s texts for ``wb`` (asks a worker);
        raises any exception when it cannot — the formulas are then :func:`not_evaluated`.
    """

    def __init__(self, wb: Workbook, ask: Callable[[], list[str | None]]):
        self._wb, self._ask = wb, ask
        for sheet in wb.sheets:
            sheet.formula_values = None
            sheet.values_source = self

    def __call__(self) -> None:
        wb, ask = self._wb, self._ask
        if ask is None:
            return
        self._ask = None  # once: the request's bytes are let go with it
        try:
            unpack(wb, ask())
        except Exception as exc:  # noqa: BLE001 - a worker that failed gives no values, never a crash
            _log.warning("formula values: the worker could not evaluate (%s: %s)", type(exc).__name__, exc)
            not_evaluated(wb)
