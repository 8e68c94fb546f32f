"""Where an indicator is heading: the year-end projection from 1–3 quarters, and last year's
figures for the same period.

Rules (issue 8, "Year-end projection"; design.md for flows and levels):

* **flow** (amounts that add up over the year) — with last year's year to date known at the
  same quarter q and at year end, its *seasonal share* ``s_q = LY(q) / LY(4)`` carries this
  year's year to date to the year end: ``projection = YTD(q) / s_q`` (method ``seasonal``);
  otherwise the *run rate*: ``projection = YTD(q) × 4 / q`` (method ``run_rate``).
* **level** (a rate or stock at a point in time) — the latest figure stays: ``projection =
  latest`` (method ``latest``).
* **the office's own estimate** — when the reports give a year-end estimate ("Ước TH cả năm") at
  or before the as-of quarter, the latest of them is the projection (method ``reported``): the
  meeting sees one year-end figure and one verdict, the office's, never ours beside it with
  another verdict (issue 14); ours is drawn only where the office gave none — or where its
  estimate is older than the latest figure (given with Q2's report, while Q3's figure came
  without one: the estimate did not know that figure).
* **count** (awards) and the registration rate are settled by decisions and lists, not
  projected (method ``none``); nor is anything once Q4 is known (the year's figure is in).
* The projection is judged like a year's figure (:func:`kpi.domain.rules.judge` at Q4): its
  verdict reads "Dự kiến vượt", "Dự kiến đạt" or "Dự kiến không đạt".

Last year's figures (:func:`kpi.storage.figures.last_year_path`, re-exported here) come from the previous year's stored reports when
its plan has the same key (keys are kept across years), and otherwise from this year's reports'
"TH cùng kỳ" columns (observations of kind ``last_year``, read as last year's figure at the same
period: a flow's year to date, a level's figure).

:func:`project_year_end` is pure (plain values in, a :class:`Projection` out); the two loaders
read the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import duckdb
import pandas as pd

from kpi.domain.estimates import estimate_overtaken
from kpi.domain.plan import Indicator
from kpi.domain.rules import Figure, judge
from kpi.reporting.attainment_report import attainment_report, indicator_series
from kpi.storage.catalogue import load_catalogue, plan_years_in_db
from kpi.storage.figures import as_of_quarter, current_figures, last_year_path
from kpi.vn import format_number, format_pct, round_half_up, to_decimal
from kpi.words import QUARTER_LABELS, REPORT_WORDS

__all__ = [
    "Projection",
    "project_year_end",
    "last_year_path",
    "indicator_projection",
    "same_period_last_year",
    "current_year_estimate",
    "overtaken_year_estimate",
    "METHOD_WORDS",
    "VERDICT_WORDS",
]

#: How each method is named on charts and tables.
METHOD_WORDS = {
    "seasonal": "theo tỷ trọng mùa vụ năm trước",
    "run_rate": "theo tốc độ bình quân các quý đã qua",
    "latest": "giữ nguyên số mới nhất",
    "reported": "theo số ước cả năm của báo cáo",
    "none": "không dự báo",
}
#: The verdict a projection implies (always a word, never a colour alone).
VERDICT_WORDS = {"exceeded": "Dự kiến vượt", "met": "Dự kiến đạt", "not_met": "Dự kiến không đạt"}


@dataclass(frozen=True)
class Projection:
    """An indicator's projected year-end figure.

    :ivar value: in the indicator's unit, or ``None`` (method ``none``).
    :ivar method: ``reported``, ``seasonal``, ``run_rate``, ``latest`` or ``none``.
    :ivar from_quarter: the last quarter with a figure the projection starts from.
    :ivar status: the verdict the projection implies (``exceeded``/``met``/``not_met``) or ``None``.
    :ivar path: ``(quarter, value)`` points from the last figure to Q4: the dashed line.
    :ivar share_pct: for ``seasonal``, last year's share of the year done by ``from_quarter`` (%).
    :ivar given_in: for ``reported``, the quarter of the report that gave the estimate (2: the
        six-month report), or ``None`` when not known.
    :ivar overtaken: ``(estimate, quarter of its report)`` when the reports' latest year-end
        estimate was overtaken by a later figure (:func:`overtaken_year_estimate`) and is no longer
        the projection: its text says so (black-box, December 2026: the six-month report's 10,2
        vanished from the chart without a word while other indicators showed theirs).
    """

    key: str
    value: Decimal | None
    method: str
    from_quarter: int | None
    status: str | None = None
    path: tuple[tuple[int, Decimal], ...] = ()
    share_pct: Decimal | None = None
    given_in: int | None = None
    overtaken: tuple[Decimal, int] | None = None

    @property
    def verdict_text(self) -> str:
        """ "Dự kiến đạt", or "" without a projection."""
        return VERDICT_WORDS.get(self.status or "", "")

    @property
    def method_text(self) -> str:
        """The method in words, e.g. "theo tỷ trọng mùa vụ năm trước (9 tháng = 70,00 % cả năm)"."""
        words = METHOD_WORDS[self.method]
        if self.method == "seasonal" and self.share_pct is not None and self.from_quarter:
            words += f" ({REPORT_WORDS[self.from_quarter]} = {format_pct(self.share_pct)} cả năm)"
        return words

    @property
    def reported_words(self) -> str:
        """Whose estimate it is: "Ước cả năm (báo cáo 6 tháng)" — the report that gave it, which
        need not be the latest file named in the source line (black-box finding); "Ước cả năm
        (báo cáo)" when its quarter is not known."""
        if self.given_in in REPORT_WORDS:
            return f"Ước cả năm (báo cáo {REPORT_WORDS[self.given_in]})"
        return "Ước cả năm (báo cáo)"

    def text(self, unit: str, decimals: int | None = None) -> str:
        """ "Dự kiến cả năm: 3.251 tỷ đồng (theo …) — Dự kiến không đạt"; the office's own estimate
        "Ước cả năm (báo cáo): 3.350 tỷ đồng — Dự kiến vượt"."""
        if self.value is None:
            return ""
        if self.method == "reported":
            return f"{self.reported_words}: {format_number(self.value, decimals)} {unit} — {self.verdict_text}"
        said = (
            f"Dự kiến cả năm: {format_number(self.value, decimals)} {unit} ({self.method_text}) — {self.verdict_text}"
        )
        if self.overtaken is not None:
            estimate, given_in = self.overtaken
            said += (
                f". Ước cả năm của báo cáo {REPORT_WORDS.get(given_in, '')} ({format_number(estimate, decimals)} {unit})"
                f" không còn dùng: đã có số {QUARTER_LABELS[self.from_quarter - 1]}"
            )
        return said


def _estimate_and_path(series: pd.DataFrame) -> tuple[float, int, dict, bool] | None:
    """The latest year-end estimate of an :func:`indicator_series` at its last quarter, the
    quarter of the report that gave it, the year's path (quarter → figure) and whether its
    quarter's figure is another report's now (:func:`kpi.domain.estimates.estimate_replaced`),
    as :func:`kpi.domain.estimates.estimate_overtaken` takes them; None without one."""
    if series.empty or pd.isna(series["year_estimate"].iloc[-1]):
        return None
    path = {int(q): v for q, v in zip(series["quarter"], series["value"], strict=True) if pd.notna(v)}
    replaced = bool(series["year_estimate_replaced"].iloc[-1]) if "year_estimate_replaced" in series else False
    return float(series["year_estimate"].iloc[-1]), int(series["year_estimate_quarter"].iloc[-1]), path, replaced


def current_year_estimate(series: pd.DataFrame, over_year: str) -> float | None:
    """The year-end estimate an :func:`indicator_series` stands by at its last quarter: the latest
    one reported, unless a later figure of the year has overtaken it
    (:func:`kpi.domain.estimates.estimate_overtaken`); ``None`` without one. The projection and the
    chart's marker read it; the annex, the print view and the draft's «Ước cả năm» follow the same
    rule (:func:`kpi.reporting.period_figures.period_figures`)."""
    found = _estimate_and_path(series)
    return None if found is None or estimate_overtaken(over_year, *found) else found[0]


def overtaken_year_estimate(series: pd.DataFrame, over_year: str) -> tuple[Decimal, int] | None:
    """``(estimate, quarter of its report)`` when the latest year-end estimate of an
    :func:`indicator_series` has been overtaken by a later figure (then
    :func:`current_year_estimate` is None and the outputs say it is no longer used), else None."""
    found = _estimate_and_path(series)
    if found is None or not estimate_overtaken(over_year, *found):
        return None
    return to_decimal(found[0]), found[1]


def project_year_end(
    indicator: Indicator,
    figures: dict[int, Decimal | float],
    last_year: dict[int, Decimal | float] | None = None,
    estimate: Decimal | float | None = None,
    estimate_quarter: int | None = None,
) -> Projection:
    """Project ``indicator``'s year-end figure (see the module's rules).

    :param figures: this year's figure as of the end of each quarter that has one — a flow's
        year to date, a level's figure: ``{1: 520.4, 2: 1426.0, 3: 2438.3}``.
    :param last_year: last year's figures the same way (``{1: …, 2: …, 3: …, 4: …}``), or ``None``.
    :param estimate: the latest year-end estimate the reports gave by the as-of quarter, or ``None``.
    :param estimate_quarter: the quarter of the report that gave ``estimate`` (its words only).
    :returns: a :class:`Projection` (method ``none`` when there is nothing to project from, the
        year is complete, or the indicator is counted from registers).
    """
    known = {int(q): to_decimal(v) for q, v in figures.items() if v is not None and 1 <= int(q) <= 4}
    if not known or indicator.over_year == "count" or indicator.counted_from != "reports":
        return Projection(indicator.key, None, "none", max(known) if known else None)
    q = max(known)
    if q == 4:
        return Projection(indicator.key, None, "none", 4)
    current = known[q]
    ly = {int(k): to_decimal(v) for k, v in (last_year or {}).items() if v is not None}
    share = None
    if estimate is not None:
        value, method = to_decimal(estimate), "reported"
        path = [(k, current + (value - current) * (k - q) / (4 - q)) for k in range(q, 5)]
    elif indicator.over_year == "flow":
        if ly.get(q) and ly.get(4):
            share = ly[q] / ly[4]
            value = current / share
            method = "seasonal"
            path = [(q, current)]
            for k in range(q + 1, 4):
                path.append(
                    (k, value * ly[k] / ly[4] if ly.get(k) else current + (value - current) * (k - q) / (4 - q))
                )
            path.append((4, value))
        else:
            value = current * Decimal(4) / Decimal(q)
            method = "run_rate"
            path = [(k, current * Decimal(k) / Decimal(q)) for k in range(q, 5)]
    else:
        value, method = current, "latest"
        path = [(k, current) for k in range(q, 5)]
    verdict = judge(indicator, Figure(value, "actual", 4, "projection", "official"), 4)
    status = verdict.status if verdict.status in VERDICT_WORDS else None
    share_pct = round_half_up(share * 100, 2) if share is not None else None
    given_in = estimate_quarter if method == "reported" else None
    return Projection(indicator.key, value, method, q, status, tuple(path), share_pct, given_in)


def indicator_projection(
    con: duckdb.DuckDBPyConnection, year: int, key: str, as_of: int | None = None, subject: str | None = None
) -> tuple[Projection, dict[int, Decimal]]:
    """The projection of one stored indicator as of quarter ``as_of`` (the latest by default),
    with last year's path it used.

    :returns: ``(Projection, last_year_path)``.
    """
    catalogue = load_catalogue(con, year)
    ind = catalogue[key]
    series = indicator_series(con, year, key, as_of, subject, catalogue)
    figures = {int(q): to_decimal(float(v)) for q, v in zip(series["quarter"], series["value"], strict=True) if v == v}
    last = last_year_path(con, year, key, subject)
    # the latest estimate known by the as-of quarter, unless a later figure has overtaken it
    latest = current_year_estimate(series, ind.over_year)
    estimate = None if latest is None else to_decimal(latest)
    given_in = None if latest is None else int(series["year_estimate_quarter"].iloc[-1])
    projection = project_year_end(ind, figures, last, estimate, given_in)
    overtaken = overtaken_year_estimate(series, ind.over_year)
    if overtaken is not None and projection.value is not None:
        projection = replace(projection, overtaken=overtaken)
    return projection, last


def same_period_last_year(
    con: duckdb.DuckDBPyConnection, year: int, quarter: int | None, subject: str | None = None
) -> dict[str, Decimal]:
    """Every indicator's figure at the same period last year, for a report's table.

    As of ``quarter`` (the latest with data when ``None``): the previous year's stored figure
    judged the same way (its attainment report as of that quarter, when its plan has the key and
    the figure is of that very quarter), else this year's "TH cùng kỳ" figure of that quarter.
    Counts (awards) and registrations are left out.

    :returns: ``{key: value}`` in each indicator's unit (keys without a figure are absent).
    """
    years = plan_years_in_db(con)
    if year not in years:
        return {}
    catalogue = load_catalogue(con, year)
    q = quarter or as_of_quarter(con, year)
    if not q:
        return {}
    wanted = {i.key for i in catalogue.indicators if i.counted_from == "reports" and i.over_year != "count"}
    out: dict[str, Decimal] = {}
    if year - 1 in years:
        previous = attainment_report(con, year - 1, q)
        for r in previous.table.to_dict("records"):
            if (
                r["key"] in wanted
                and r["actual"] == r["actual"]
                and r["actual"] is not None
                and r["period"] == f"{year - 1}-Q{q}"
            ):
                out[r["key"]] = to_decimal(float(r["actual"]))
    frame = current_figures(con, year, subject or catalogue.district_unit, max_quarter=q)
    frame = frame[(frame["kind"] == "last_year") & (frame["quarter"] == q)]
    for key, value in zip(frame["key"], frame["value"], strict=True):
        if key in wanted:
            out.setdefault(key, to_decimal(float(value)))
    return out
