"""When a quarter's own amount ("Thực hiện quý", kind ``quarter``) of a flow is the one printed.

A report gives a quarter's amount beside its year to date; the years to date in use may come from
other reports — a partial correction giving the year to date alone, an official quarter's report
replacing an estimate of the quarter before. The amount then no longer adds up with them
(black-box, December 2026: «Thực hiện kỳ 1.012,3 | Lũy kế 2.438,3» while the six months in use
were 1.430,4, so the quarter was 1.007,9; the four quarters summed to 3.380,2 against the year's
3.450,0). The years to date are what every verdict is judged on, so they decide: one rule for
every output of the quarter's amount (:func:`kpi.reporting.attainment_report.period_figures`) and
for the figure history's «được dùng» (:func:`kpi.storage.figures.figure_history`) — a quarter's
amount stands when it equals the difference of the years to date in use (ytd(q) − ytd(q−1);
ytd(0) = 0), or when one of them is not known; otherwise the difference is printed instead.
"""

from __future__ import annotations

from kpi.vn import to_decimal

__all__ = ["quarter_amount_stands"]


def quarter_amount_stands(amount: dict, figures: list[dict]) -> bool:
    """Whether the winning quarter amount ``amount`` (a record: ``quarter``, ``kind`` =
    ``quarter``, ``value``) still stands beside the winning figures ``figures`` of the same
    indicator and subject (records with ``quarter``, ``kind``, ``value``).

    :returns: False when the years to date in use of its quarter and of the one before are both
        known and their difference is not the amount (compared exactly, in decimals).
    """
    quarter = int(amount["quarter"])
    ytd = {int(f["quarter"]): f for f in figures if f["kind"] == "ytd"}
    if quarter not in ytd or (quarter > 1 and quarter - 1 not in ytd):
        return True
    before = to_decimal(ytd[quarter - 1]["value"]) if quarter > 1 else to_decimal(0)
    return to_decimal(ytd[quarter]["value"]) - before == to_decimal(amount["value"])
