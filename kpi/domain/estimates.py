"""When a year-end estimate ("Ước TH cả năm") is history: overtaken by a later figure of the year.

One rule for every output that shows the office's own year-end estimate — the chart's marker and
the projection (:mod:`kpi.reporting.projection`), the annex, print view and draft report's «Ước cả
năm» column (:func:`kpi.reporting.period_figures.period_figures`). Black-box, December 2026: the
print view wrote «Ước cả năm 10,2 (ước)» for CT07a beside the Q3 figure 10,4, while the group page
said «Dự kiến cả năm: 10,4».
"""

from __future__ import annotations

from kpi.domain.rules import Figure
from kpi.vn import to_decimal

__all__ = ["estimate_overtaken", "estimate_replaced"]


def estimate_overtaken(over_year: str, estimate, given_in: int, path: dict, replaced: bool = False) -> bool:
    """Whether a year-end estimate given with quarter ``given_in``'s report has been overtaken by
    a later figure of the year (``path``: quarter → the year's figure as of it, :func:`quarter_path`
    values or plain numbers): then it is history, drawn and tabled nowhere (black-box, December 2026:
    «Ước cả năm 10,2 — Dự kiến không đạt» beside the Q3 figure 10,4 «Đúng tiến độ»).

    * a ``flow``: a later year to date already above it (the year cannot end below what is done);
    * a ``level``: a later figure at or beyond it, as seen from the figure it was given beside (the
      estimate foresaw a move from that figure to itself; 17 → ước 20 stands while Q3 reads 18) —
      or, when it merely repeated that figure (10,2 beside 10,2), any later figure that differs;
    * anything else (counts): never.

    ``replaced`` (:func:`estimate_replaced`): the figure of the estimate's own quarter is another,
    later report's now; the estimate did not know it, so that figure counts as a later one and
    what the estimate foresaw a move *from* is not known (black-box, December 2026: an official
    Q2 report's 32,5 % replaced the six-month report's figure, and «Ước cả năm (báo cáo 6 tháng):
    33,8 % — Dự kiến không đạt» stood beside «32,5 % … Đúng tiến độ»).
    """

    def number(v):
        return None if v is None else to_decimal(v.value if isinstance(v, Figure) else v)

    later = {q: number(v) for q, v in path.items() if (q > given_in or (replaced and q == given_in))}
    later = {q: v for q, v in later.items() if v is not None}
    if not later or estimate is None:
        return False
    estimate, latest = to_decimal(estimate), later[max(later)]
    if over_year == "flow":
        return latest > estimate
    if over_year == "level":
        base = None if replaced else number(path.get(given_in))
        if base is None or base == estimate:
            return latest != estimate
        return (latest - estimate) * (estimate - base) >= 0
    return False


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
        and f.get("submission_id") == estimate.get("submission_id")
        for f in figures
    )
