"""When a year-end estimate ("Ước TH cả năm") is history: overtaken by a later figure of the year.

One rule for every output that shows the office's own year-end estimate — the chart's marker and
the projection (:mod:`kpi.reporting.projection`), the annex, print view and draft report's «Ước cả
năm» column (:func:`kpi.reporting.period_figures.period_figures`). Black-box, December 2026: the
print view wrote «Ước cả năm 10,2 (ước)» for CT07a beside the Q3 figure 10,4, while the group page
said «Dự kiến cả năm: 10,4».
"""

from __future__ import annotations

from kpi.domain.rules import Figure

__all__ = ["estimate_overtaken", "estimate_replaced"]


def estimate_overtaken(over_year: str, estimate, given_in: int, path: dict, replaced: bool = False) -> bool:
    """Whether a year-end estimate given with quarter ``given_in``'s report has been overtaken by
    a newer figure of the year (``path``: quarter → the year's figure as of it, :func:`quarter_path`
    values or plain numbers): then it is history, drawn, tabled and judged nowhere as the year's
    projection — the outputs name it as no longer used (:class:`kpi.reporting.projection.Projection`,
    :func:`kpi.output.annex.overtaken_note`).

    The rule (issue 14, "once a newer figure is in, earlier estimates are not drawn"): an estimate
    stands only while no figure of the year is newer than it — for a ``flow`` or a ``level``, any
    figure of a later quarter overtakes it, whatever its value; counts (awards) are settled by
    decisions, never by an estimate's age. An estimate made before the latest figure did not know
    that figure, and its verdict beside the newer figure's read as a contradiction (black-box,
    round 7: «94,0 % … Chậm tiến độ» for Quý III beside «Ước cả năm (báo cáo 6 tháng): 94,6 % —
    Dự kiến vượt»; the earlier rule kept an estimate not yet reached by the later figure).

    ``replaced`` (:func:`estimate_replaced`): the figure of the estimate's own quarter is another,
    later report's now; the estimate did not know it, so that figure counts as a newer one
    (black-box, December 2026: an official Q2 report's 32,5 % replaced the six-month report's
    figure, and «Ước cả năm (báo cáo 6 tháng): 33,8 % — Dự kiến không đạt» stood beside «32,5 % …
    Đúng tiến độ»).
    """
    if estimate is None or over_year not in ("flow", "level"):
        return False
    return any(
        (q > given_in or (replaced and q == given_in)) and (v.value if isinstance(v, Figure) else v) is not None
        for q, v in path.items()
    )


def estimate_replaced(figures: list[dict], estimate: dict) -> bool:
    """Whether the figure of the estimate's own quarter no longer comes from the report that gave
    the estimate: a later or official report of that quarter replaced it (then
    :func:`estimate_overtaken` is asked with ``replaced``). Black-box, December 2026: the
    six-month report's «93,6 (ước)» beside its 93,6 was replaced by an official 93,7; judged
    against 93,7 the estimate read as a fall foreseen, and «Ước cả năm: 93,6 — Dự kiến không
    đạt» stood beside Q3's 94,6 «Đúng tiến độ».

    :param figures: the indicator's winning stored records (``quarter``, ``kind``, ``submission_id``).
    :param estimate: the record of the year-end estimate.
    """
    given_in = int(estimate["quarter"])
    return not any(
        int(f["quarter"]) == given_in
        and f["kind"] in ("ytd", "quarter")
        and (f.get("submission_id") == estimate.get("submission_id") or _corrects(f, estimate))
        for f in figures
    )


def _corrects(figure: dict, estimate: dict) -> bool:
    """Whether ``figure`` comes from a correction of the report that gave ``estimate``: the same
    sender's report of the same period (design.md: a submission supersedes the one with the same
    sender, subject and period), which kept the estimate in use (a partial correction). A
    correction re-states the period's actuals; it is neither the year's figure nor a later
    estimate, so the office's own estimate stands (black-box round 9: a correction of the
    nine-month figures alone made «Ước cả năm 3.350,0» «không còn dùng» and put the app's
    projection in its place)."""
    if figure.get("submission_id") is None or not figure.get("sender"):
        return False
    return figure.get("sender") == estimate.get("sender") and figure.get("report_quarter") == estimate.get(
        "report_quarter"
    )
