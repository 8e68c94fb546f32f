"""Attainment: every rule that turns figures and targets into a verdict, in one module.

Pure functions over plain values (no database, no Streamlit). Source: design.md, "Attainment:
the rules"; indicators-2024.md for directions, ranges and how figures combine.

* **The year's figure as of a quarter** (:func:`year_figure`): a ``flow`` is its year to date
  (reported, or the previous year to date plus the quarter's own amount); a ``level`` is its
  latest figure (the year-to-date column before the quarter column of the same report); an
  indicator with no in-year figure is judged on its latest year-end estimate. Among figures of
  one period, official beats preliminary beats estimate.
* **Comparison** of the figure as reported with the target, exactly, in decimal arithmetic (no
  rounding of either to the other's decimals; design.md, changed December 2026): better →
  ``exceeded``, equal → ``met``, worse → ``not_met``, so the word and the percentage always agree;
  a range (inclusive) is ``not_met`` below lo, ``met`` inside, ``exceeded`` above hi;
  ``decrease_by`` compares with last year's figure minus the cut, lower being better.
* **Final statuses** once the year's figure is in — Q4 data for ``flow``/``level``; for awards as
  soon as a register of the achievement year is loaded. **During the year**: ``on_track`` or
  ``behind`` — a flow's year to date against target × q/4 (q = the as-of quarter), a level's
  latest figure against the target (a range's lo). A figure that is only an estimate never gets a
  final status.
* **No figure**: ``not_due`` when the indicator is settled at year end (or no award register yet),
  ``no_data`` when a figure was due.
* **attainment_pct**: ``>=`` actual / target × 100; ``<=`` target / actual × 100 (none when the
  actual is 0, which is ``exceeded``); ``range`` actual / lo × 100 below the band, 100 inside it, actual / hi × 100 above it (so above
  100 always means ``exceeded`` and a figure inside its band never reads "200 %"; design.md,
  changed December 2026);
  ``decrease_by`` the cut achieved / the cut planned × 100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kpi.domain.plan import Indicator
from kpi.vn import figure_decimals, round_half_up, to_decimal

__all__ = [
    "STATUSES",
    "FINAL_STATUSES",
    "Figure",
    "Verdict",
    "year_figure",
    "judge",
    "pro_rata",
    "progress_target",
]

STATUSES = ("exceeded", "met", "not_met", "on_track", "behind", "not_due", "no_data")
FINAL_STATUSES = ("exceeded", "met", "not_met")
_VINTAGE_RANK = {"official": 3, "preliminary": 2, "estimate": 1}


@dataclass(frozen=True)
class Figure:
    """The figure an indicator is judged on.

    :ivar value: in the indicator's unit, or ``None``.
    :ivar basis: ``actual`` or ``estimate`` (the figure's vintage is an estimate, or it is a
        year-end estimate); ``None`` without a figure.
    :ivar quarter: the quarter of the submission the figure came from.
    :ivar source: provenance of the figure (file, sheet, cell, uploaded by/at …), or of each
        part when it was derived (``parts``).
    """

    value: Decimal | None
    basis: str | None = None
    quarter: int | None = None
    kind: str = ""
    vintage: str = ""
    source: dict = field(default_factory=dict)
    derived_from: tuple = ()


@dataclass(frozen=True)
class Verdict:
    """An indicator's verdict as of a quarter.

    :ivar attainment_pct: unrounded (callers round half-up to 2 decimals for display).
    :ivar compared_with: the figure the actual was compared with (target, pro-rata target, lo).
    """

    key: str
    status: str
    final: bool
    actual: Decimal | None
    basis: str | None
    quarter: int | None
    attainment_pct: Decimal | None
    compared_with: Decimal | None


def _best(rows: list[dict]) -> dict | None:
    """The winning figure among candidates of one period and kind (official first)."""
    if not rows:
        return None
    return max(rows, key=lambda r: (_VINTAGE_RANK.get(r.get("vintage", ""), 0), r.get("rank", 0)))


def _figure(row: dict, basis: str | None = None, kind: str | None = None, parts: tuple = ()) -> Figure:
    vintage = row.get("vintage", "official")
    return Figure(
        value=to_decimal(row["value"]),
        basis=basis or ("estimate" if vintage == "estimate" else "actual"),
        quarter=int(row["quarter"]),
        kind=kind or row.get("kind", ""),
        vintage=vintage,
        source={k: v for k, v in row.items() if k not in ("value",)},
        derived_from=parts,
    )


def year_figure(indicator: Indicator, figures: list[dict], as_of: int) -> Figure:
    """The figure ``indicator`` is judged on as of quarter ``as_of``.

    :param figures: the resolved stored figures of one subject for this indicator and year —
        dicts with ``quarter`` (int), ``kind`` (``quarter``/``ytd``/``year_estimate``/…),
        ``vintage``, ``value`` (float) and any provenance fields.
    :returns: a :class:`Figure` (``value`` ``None`` when nothing is known).
    """
    by: dict[tuple[int, str], list[dict]] = {}
    for row in figures:
        q = int(row["quarter"])
        if q <= as_of:
            by.setdefault((q, row["kind"]), []).append(row)
    pick = {k: _best(v) for k, v in by.items()}
    if indicator.over_year == "flow":
        ytd: dict[int, Figure] = {}
        for q in range(1, as_of + 1):
            reported = pick.get((q, "ytd"))
            own = pick.get((q, "quarter"))
            if reported is not None:
                ytd[q] = _figure(reported, kind="ytd")
            elif own is not None and (q == 1 or (q - 1) in ytd):
                prev = ytd.get(q - 1)
                value = to_decimal(own["value"]) + (prev.value if prev else Decimal(0))
                parts = ((prev,) if prev else ()) + (_figure(own, kind="quarter"),)
                vintages = [p.vintage for p in parts]
                vintage = min(vintages, key=lambda v: _VINTAGE_RANK.get(v, 0))
                ytd[q] = Figure(
                    value, "estimate" if vintage == "estimate" else "actual", q, "ytd", vintage, dict(own), parts
                )
        if ytd:
            return ytd[max(ytd)]
    elif indicator.over_year == "level":
        for q in range(as_of, 0, -1):
            for kind in ("ytd", "quarter"):
                row = pick.get((q, kind))
                if row is not None:
                    return _figure(row)
    estimates = [(q, row) for (q, kind), row in pick.items() if kind == "year_estimate" and row is not None]
    if estimates:
        q, row = max(estimates, key=lambda e: e[0])
        return _figure(row, basis="estimate", kind="year_estimate")
    return Figure(None)


def pro_rata(indicator: Indicator, as_of: int) -> Decimal | None:
    """The threshold of the year's progress, unrounded: a flow's target × q/4, a level's target
    (a range's lo; a ``decrease_by`` its baseline minus the cut). Charts draw it as a share."""
    threshold = indicator.threshold
    if threshold is None:
        return None
    if indicator.over_year == "flow":
        return threshold * Decimal(as_of) / Decimal(4)
    return threshold


def progress_target(indicator: Indicator, as_of: int) -> Decimal | None:
    """The progress target as it is written on every screen and in the samples' README: the
    pro-rata threshold in the decimals every output writes the indicator's figures with
    (:func:`kpi.vn.figure_decimals`: a count none, a measured figure max(1, the target's
    decimals)), half-up — 3.300,9 × 1/4 = 825,225 → 825,2; 805 × 3/4 = 603,75 → 603,8 (not 604, which
    a draft would then subtract from). During the year the figure as reported is compared with it
    exactly (design.md)."""
    threshold = pro_rata(indicator, as_of)
    if threshold is None:
        return None
    return round_half_up(threshold, figure_decimals(indicator.unit, indicator.decimals))


def _lower_is_better(indicator: Indicator) -> bool:
    return indicator.direction in ("<=", "decrease_by")


def judge(indicator: Indicator, figure: Figure, as_of: int, register_loaded: bool = False) -> Verdict:
    """The verdict on ``figure`` as of quarter ``as_of`` (see the module's rules).

    :param register_loaded: for awards (``count``): a register of the achievement year is loaded
        (then the count is final, even when it is 0).
    """
    key = indicator.key
    if indicator.over_year == "count":
        if not register_loaded:
            return Verdict(key, "not_due", False, None, None, None, None, None)
        figure = figure if figure.value is not None else Figure(Decimal(0), "actual")
    if figure.value is None:
        status = "not_due" if indicator.when_known == "year-end" else "no_data"
        return Verdict(key, status, False, None, None, None, None, None)
    actual = figure.value
    final = figure.basis == "actual" and (indicator.over_year == "count" or (figure.quarter == 4 and as_of == 4))
    pct = _attainment_pct(indicator, actual)
    if final:
        status = _final_status(indicator, actual)
        compared = indicator.threshold
    else:
        compared = pro_rata(indicator, as_of)
        if compared is None:
            status = "no_data"
        else:
            written = progress_target(indicator, as_of)
            good = actual <= written if _lower_is_better(indicator) else actual >= written
            status = "on_track" if good else "behind"
    return Verdict(key, status, final, actual, figure.basis, figure.quarter, pct, compared)


def _final_status(indicator: Indicator, actual: Decimal) -> str:
    """``exceeded`` / ``met`` / ``not_met`` by exact decimal comparison of the figure as reported."""
    if indicator.direction == "range":
        if actual < indicator.lo:
            return "not_met"
        return "exceeded" if actual > indicator.hi else "met"
    threshold = indicator.threshold
    if threshold is None:
        return "no_data"
    if actual == threshold:
        return "met"
    better = actual < threshold if _lower_is_better(indicator) else actual > threshold
    return "exceeded" if better else "not_met"


def _attainment_pct(indicator: Indicator, actual: Decimal) -> Decimal | None:
    if indicator.direction == "range":
        if indicator.lo and actual < indicator.lo:
            return actual / indicator.lo * 100
        if indicator.hi and actual > indicator.hi:
            return actual / indicator.hi * 100
        return Decimal(100)
    if indicator.direction == "decrease_by":
        if indicator.baseline is None or not indicator.target:
            return None
        return (indicator.baseline - actual) / indicator.target * 100
    target = indicator.target
    if target is None:
        return None
    if indicator.direction == "<=":
        return target / actual * 100 if actual else None
    return actual / target * 100 if target else None
