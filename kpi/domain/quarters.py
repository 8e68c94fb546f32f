"""When a quarter's own amount ("Thực hiện quý", kind ``quarter``) of a flow is the one printed.

A report gives a quarter's amount beside its year to date; the years to date in use may come from
other reports — a partial correction giving the year to date alone, an official quarter's report
replacing an estimate of the quarter before. The amount then no longer adds up with them
(black-box, December 2026: «Thực hiện kỳ 1.012,3 | Lũy kế 2.438,3» while the six months in use
were 1.430,4, so the quarter was 1.007,9; the four quarters summed to 3.380,2 against the year's
3.450,0). The years to date are what every verdict is judged on, so they decide: one rule for
every output of the quarter's amount (:func:`kpi.reporting.period_figures.period_figures`) and
for the figure history's «được dùng» (:func:`kpi.storage.figures.figure_history`) — a quarter's
amount stands when it equals the difference of the years to date in use (ytd(q) − ytd(q−1);
ytd(0) = 0); when that difference cannot be worked out (the quarter before is not known), only
when its own report also gave the year to date in use (a correction giving 2.512,6 alone beside
the nine-month sample's 1.012,3 printed a pair implying six months of 1.500,3, the sample's own
were 1.426,0: fresh-clone check, December 2026); with no year to date of its quarter in use, always.
Otherwise the difference is printed, or nothing when it cannot be worked out.
"""

from __future__ import annotations

import datetime as dt

from kpi.vn import to_decimal

__all__ = ["quarter_amount_stands"]


def quarter_amount_stands(amount: dict, figures: list[dict]) -> bool:
    """Whether the winning quarter amount ``amount`` (a record: ``quarter``, ``kind`` =
    ``quarter``, ``value``) still stands beside the winning figures ``figures`` of the same
    indicator and subject (records with ``quarter``, ``kind``, ``value``).

    :returns: see the module: the amount equals ytd(q) − ytd(q−1) of the figures in use (compared
        exactly, in decimals); or the quarter before is not known and ytd(q) is the amount's own
        report's (``submission_id``); or no ytd(q) is in use.
    """
    quarter = int(amount["quarter"])
    ytd = {int(f["quarter"]): f for f in figures if f["kind"] == "ytd"}
    if quarter not in ytd:
        return True
    if quarter > 1 and quarter - 1 not in ytd:
        return ytd[quarter].get("submission_id") == amount.get("submission_id")
    before = to_decimal(ytd[quarter - 1]["value"]) if quarter > 1 else to_decimal(0)
    return to_decimal(ytd[quarter]["value"]) - before == to_decimal(amount["value"])


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter: (2024, 1) → 2024-03-31."""
    month = quarter * 3
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
