"""The figures an annex table shows beside the judged one (design.md "Meeting output"): a
quarter's own figure ("Thực hiện kỳ") and the latest year-end estimate ("Ước cả năm"), by the
rules of :mod:`kpi.domain.rules`, :mod:`kpi.domain.quarters` and :mod:`kpi.domain.estimates`."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd

from kpi.domain.estimates import estimate_overtaken, estimate_replaced
from kpi.domain.plan import Catalogue
from kpi.domain.quarters import quarter_amount_stands
from kpi.domain.rules import Figure, basis_of, quarter_from_ytd, quarter_path, vintage_rank, year_figure, year_is_in
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import district_figure_records
from kpi.vn import figure_decimals, format_number, round_half_up
from kpi.words import YTD_WORDS

__all__ = ["period_figures", "not_derived_text", "with_quarter_figures", "NOT_DERIVED_WORDS"]

#: What «Thực hiện kỳ» reads when the quarter cannot be derived (``not_derived``): never a figure.
NOT_DERIVED_WORDS = "không tính được"


def period_figures(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int,
    subject: str | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The two figures an annex table shows beside the judged one, for every indicator of the
    plan as of ``quarter`` (the columns "Thực hiện kỳ" and "Ước cả năm" of the reports'
    annex layout, design.md "Meeting output").

    * ``quarter_value`` — the quarter's own figure: a ``flow``'s amount of that quarter (the
      reported quarter column, else year to date minus the previous quarter's year to date); a
      ``level``'s figure at that quarter; NaN for counts, registrations and when not reported.
    * ``year_estimate`` — the latest year-end estimate ("Ước TH cả năm") of a quarter ≤
      ``quarter``, or NaN — NaN too once the year's own figure is in (:func:`kpi.domain.rules.year_is_in`).
    * ``worked_out`` — ``(ytd of the quarter, ytd of the quarter before, the amount reported)``
      when a report gave the quarter's amount but it does not add up with the years to date in use
      (:func:`kpi.domain.quarters.quarter_amount_stands`), so ``quarter_value`` is their
      difference, a figure no report wrote: the outputs say so (black-box: «1.020,3» beside a
      correction's «1.024,8», an official six months having replaced the estimate it was
      worked out from); else None.
    * ``not_derived`` — ``(ytd, its file, quarter before, ytd before, its file)`` when the
      quarter's amount would be the difference of two years to date that decrease: no figure of
      the plan can be negative (:mod:`kpi.reading.checks`), so the quarter cannot be derived and
      ``quarter_value`` is NaN — the outputs say why, naming both figures and their reports
      (black-box round 8: «Thực hiện kỳ» −1.750,0 tỷ đồng, 3.250,0 − 5.000,0, in the annex and
      the draft); else None.
    * ``overtaken`` — ``(estimate, quarter of its report)`` when that latest estimate was
      overtaken by a later figure (:func:`kpi.domain.estimates.estimate_overtaken`; then
      ``year_estimate`` is NaN), else None: the outputs say it is no longer used.

    :returns: DataFrame in the plan's order: ``key`` str, ``quarter_value`` float (indicator's
        unit) or NaN, ``quarter_basis`` (``actual``/``estimate``/None), ``year_estimate`` float
        or NaN, ``overtaken`` tuple or None, ``worked_out`` tuple or None, ``not_derived`` tuple or None.
    """
    catalogue = catalogue or load_catalogue(con, year)
    subject = subject or catalogue.district_unit
    by_key = district_figure_records(con, catalogue, year, quarter, subject)
    rows = []
    for ind in catalogue.indicators:
        figures = [f for f in by_key.get(ind.key, []) if int(f["quarter"]) <= quarter]
        value, basis, worked_out, not_derived = None, None, None, None
        if ind.counted_from == "reports" and ind.over_year == "flow":
            value, basis, worked_out, not_derived = _flow_quarter(ind, figures, quarter)
        elif ind.counted_from == "reports":
            now = year_figure(ind, figures, quarter)
            if now.value is not None and now.quarter == quarter and now.kind != "year_estimate":
                value, basis = float(now.value), now.basis
        estimates = [f for f in figures if f["kind"] == "year_estimate"]
        newest = max(estimates, key=lambda f: int(f["quarter"])) if estimates else None
        estimate = float(newest["value"]) if newest else None
        overtaken = None
        if newest and estimate_overtaken(
            ind.over_year,
            estimate,
            int(newest["quarter"]),
            quarter_path(ind, figures, quarter),
            estimate_replaced(figures, newest),
        ):  # overtaken by a later figure: history, named in a note (the group page's projection says the same)
            estimate, overtaken = None, (estimate, int(newest["quarter"]))
        if ind.counted_from == "reports":
            year = year_figure(ind, figures, quarter)
            if year.kind != "year_estimate" and year_is_in(year.quarter, year.basis, year.vintage):
                estimate = overtaken = None  # the year's own figure is in: the estimates before it are history
        rows.append(
            {"key": ind.key, "quarter_value": value, "quarter_basis": basis, "year_estimate": estimate}
            | {"overtaken": overtaken, "worked_out": worked_out, "not_derived": not_derived}
        )
    columns = ["key", "quarter_value", "quarter_basis", "year_estimate", "overtaken", "worked_out", "not_derived"]
    return pd.DataFrame(rows, columns=columns).astype({"quarter_value": "float64", "year_estimate": "float64"})


def _flow_quarter(ind, figures: list[dict], quarter: int) -> tuple:
    """A flow's «Thực hiện kỳ» (:func:`period_figures`): ``(value, basis, worked_out, not_derived)``."""
    value, basis, worked_out, not_derived = None, None, None, None
    own = sorted(  # the quarter's amount, unless its year to date is another report's now
        (
            f
            for f in figures
            if int(f["quarter"]) == quarter and f["kind"] == "quarter" and quarter_amount_stands(f, figures)
        ),
        key=lambda f: -vintage_rank(f.get("vintage")),
    )
    if own:
        return float(own[0]["value"]), basis_of(own[0]["vintage"]), None, None
    now = year_figure(ind, figures, quarter)
    before = year_figure(ind, figures, quarter - 1) if quarter > 1 else Figure(Decimal(0), "actual", 0)
    if now.value is None or now.quarter != quarter or now.kind != "ytd":
        return value, basis, worked_out, not_derived
    if before.value is None or before.quarter != quarter - 1:
        return value, basis, worked_out, not_derived
    amount = quarter_from_ytd(now.value, before.value)
    if amount < 0:  # the years to date decrease: one of them is wrong, the quarter is no figure
        return (
            None,
            None,
            None,
            (
                float(now.value),
                now.source.get("file_name") or "",
                quarter - 1,
                float(before.value),
                before.source.get("file_name") or "",
            ),
        )
    value = float(amount)
    basis = "estimate" if "estimate" in (now.basis, before.basis) else "actual"
    reported = [f for f in figures if int(f["quarter"]) == quarter and f["kind"] == "quarter"]
    if reported:  # a report's own amount set aside: the outputs say how this one was worked out
        worked_out = (float(now.value), float(before.value), float(reported[0]["value"]))
    return value, basis, worked_out, not_derived


def not_derived_text(not_derived: tuple, unit: str, places: int) -> str:
    """Why a quarter's amount cannot be derived (``not_derived`` of :func:`period_figures`), in
    words every output shares: "lũy kế cả năm 3.250,0 tỷ đồng (bao-cao-nam.xlsx) nhỏ hơn lũy kế
    9 tháng 5.000,0 tỷ đồng (chi-cuc.xlsx) — lũy kế không thể giảm"."""
    now, now_file, before_q, before, before_file = not_derived
    unit = f" {unit}" if unit else ""

    def one(q: int, value: float, file_name: str) -> str:
        return f"lũy kế {YTD_WORDS[q]} {format_number(value, places)}{unit}" + (f" ({file_name})" if file_name else "")

    return f"{one(before_q + 1, now, now_file)} nhỏ hơn {one(before_q, before, before_file)} — lũy kế không thể giảm"


def with_quarter_figures(con: duckdb.DuckDBPyConnection, report, records: list[dict]) -> list[dict]:
    """``records`` (:func:`kpi.reporting.attainment_report.report_records` of ``report``) each with
    the quarter's own figure of the as-of quarter, as the annex's «Thực hiện kỳ» gives it:
    ``quarter_value`` (rounded half-up to 2 decimals, or null) and ``quarter_note`` — why it is
    null when the quarter cannot be derived (:func:`not_derived_text`), else null."""
    if not report.as_of:
        return [r | {"quarter_value": None, "quarter_note": None} for r in records]
    extra = period_figures(con, report.year, report.as_of, report.subject, report.catalogue).set_index("key")
    out = []
    for r in records:
        value, note = None, None
        if r["key"] in extra.index:
            more = extra.loc[r["key"]]
            if isinstance(more["not_derived"], tuple):
                ind = report.catalogue[r["key"]]
                note = f"{NOT_DERIVED_WORDS}: " + not_derived_text(
                    more["not_derived"], ind.unit, figure_decimals(ind.unit, ind.decimals)
                )
            elif not pd.isna(more["quarter_value"]):
                value = float(round_half_up(more["quarter_value"], 2))
        out.append(r | {"quarter_value": value, "quarter_note": note})
    return out
