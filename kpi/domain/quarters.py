"""When a quarter's own amount ("Thực hiện quý", kind ``quarter``) of a flow still stands.

A report gives a quarter's amount beside its year to date. A correction that gives the year to
date alone (a partial correction: «lũy kế 9 tháng 2.512,6») leaves the earlier report's quarter
amount the winner of its own series, but that amount no longer adds up: 1.430,5 (six months) +
1.012,3 ≠ 2.512,6 (black-box, December 2026: the print view, the annex and the draft wrote
«Thực hiện kỳ 1.012,3 | Lũy kế 2.512,6», and the four quarters summed to 3.380,2 against the
year's 3.450,0). One rule for every output of the quarter's amount
(:func:`kpi.reporting.attainment_report.period_figures`) and for the figure history's «được
dùng» (:func:`kpi.storage.figures.figure_history`): a quarter's amount stands only when its
report also gave the year to date that stands for that quarter, or when no year to date of that
quarter stands; otherwise the amount is the difference of the years to date.
"""

from __future__ import annotations

__all__ = ["quarter_amount_stands"]


def quarter_amount_stands(amount: dict, figures: list[dict]) -> bool:
    """Whether the winning quarter amount ``amount`` (a record: ``quarter``, ``kind`` =
    ``quarter``, ``submission_id``) still stands beside the winning figures ``figures`` of the
    same indicator and subject (records with ``quarter``, ``kind``, ``submission_id``).

    :returns: False when a year to date of that quarter stands and comes from another report.
    """
    quarter = int(amount["quarter"])
    ytd = [f for f in figures if f["kind"] == "ytd" and int(f["quarter"]) == quarter]
    return not ytd or any(f.get("submission_id") == amount.get("submission_id") for f in ytd)
