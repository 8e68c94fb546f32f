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
* **No figure**: ``not_due`` when the indicator is settled at year end and the year is not over
  (as of Q1–Q3; or no award register yet), ``no_data`` when a figure was due — as of Q4 a year-end
  indicator's figure is due.
* **attainment_pct**: ``>=`` actual / target × 100; ``<=`` target / actual × 100 (none when the
  actual is 0, which is ``exceeded``); ``range`` actual / lo × 100 below the band, 100 inside it, actual / hi × 100 above it (so above
  100 always means ``exceeded`` and a figure inside its band never reads "200 %"; design.md,
  changed December 2026);
  ``decrease_by`` the cut achieved / the cut planned × 100.

The ledger's rules live here too, each once, with the SQL fragments storage runs generated from the
same tables (design.md, "Storage" and "Periods, senders and subjects, and what a column means"):
which vintage wins (:data:`VINTAGES`, :func:`vintage_rank_sql`), which version of a series is active
(:func:`version_rank`, :func:`version_order_sql`), what a series is (:func:`series_key`,
:func:`series_where_sql`), year to date ↔ quarter amount, the half-unit tolerance, the plausibility
thresholds of a figure and how award counts are told from the registration share
(:func:`award_count_keys`). ``tests/domain/test_rules_once.py`` fails when code elsewhere spells one of them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from kpi.domain.plan import Catalogue, Indicator
from kpi.vn import figure_decimals, round_half_up, to_decimal
from kpi.words import ESTIMATE_MARK, PRELIMINARY_MARK

__all__ = [
    "STATUSES",
    "FINAL_STATUSES",
    "Figure",
    "Verdict",
    "year_figure",
    "quarter_path",
    "judge",
    "pro_rata",
    "progress_target",
    "VINTAGES",
    "vintage_rank",
    "vintage_of_rank",
    "worst_vintage",
    "basis_of",
    "vintage_rank_sql",
    "figure_series_sql",
    "winner_number_sql",
    "version_rank",
    "version_order_sql",
    "version_key_sql",
    "series_key",
    "register_part",
    "series_where_sql",
    "same_series_sql",
    "ytd_from_quarter",
    "quarter_from_ytd",
    "half_unit",
    "within_half_unit",
    "written_decimals",
    "LARGEST",
    "SHARE_MAX",
    "scale_suspect",
    "far_from_previous",
    "FRACTION_MAX",
    "reads_as_fraction",
    "reads_as_thousandfold",
    "award_count_keys",
    "registration_share_keys",
    "figure_mark",
    "year_is_in",
]

STATUSES = ("exceeded", "met", "not_met", "on_track", "behind", "not_due", "no_data")
FINAL_STATUSES = ("exceeded", "met", "not_met")

# --- The ledger: which stored figure is used -----------------------------------------------------

#: A figure's vintages, best first. Among figures of one subject, indicator, period and kind, an
#: official figure beats a preliminary one beats an estimate ("a later vintage of the same figure
#: replaces the earlier", design.md "Periods, senders and subjects…"); then the version rank.
VINTAGES = ("official", "preliminary", "estimate")
#: A vintage's rank, higher wins: official 3, preliminary 2, estimate 1 (an unknown vintage 0).
_VINTAGE_RANK = {v: len(VINTAGES) - i for i, v in enumerate(VINTAGES)}


def vintage_rank(vintage: str | None) -> int:
    """The rank of a vintage, higher wins (:data:`VINTAGES`): official 3 … estimate 1, else 0."""
    return _VINTAGE_RANK.get(vintage or "", 0)


def vintage_of_rank(rank: int) -> str:
    """The vintage of a rank (:func:`vintage_rank_sql`'s number back to its word); official
    when the rank is unknown."""
    return next((v for v, r in _VINTAGE_RANK.items() if r == rank), VINTAGES[0])


def worst_vintage(vintages) -> str:
    """The weakest of several vintages: what a figure derived from them is (a year to date from an
    official and an estimated part is an estimate)."""
    return min(vintages, key=vintage_rank)


def basis_of(vintage: str | None) -> str:
    """``estimate`` for a figure whose vintage is an estimate, else ``actual`` (design.md,
    "Attainment": a figure that is only an estimate never gets a final status)."""
    return "estimate" if vintage == VINTAGES[-1] else "actual"


def vintage_rank_sql(column: str) -> str:
    """:func:`vintage_rank` in SQL, generated from :data:`VINTAGES`: ``CASE o.vintage WHEN
    'official' THEN 3 WHEN 'preliminary' THEN 2 ELSE 1 END`` (the last vintage is the ELSE)."""
    whens = " ".join(f"WHEN '{v}' THEN {_VINTAGE_RANK[v]}" for v in VINTAGES[:-1])
    return f"CASE {column} {whens} ELSE {_VINTAGE_RANK[VINTAGES[-1]]} END"


#: The columns of ``observations`` that identify one stored figure's series: the subject,
#: indicator, period (year and quarter) and kind ("the same subject, period, indicator and kind",
#: design.md).
FIGURE_SERIES = ("year", "subject", "key", "quarter", "kind")


def figure_series_sql(alias: str) -> str:
    """:data:`FIGURE_SERIES` as a column list for PARTITION BY / GROUP BY: ``o.subject, o.key, …``."""
    return ", ".join(f"{alias}.{c}" for c in FIGURE_SERIES)


def winner_number_sql(observation: str, submission: str) -> str:
    """``row_number()`` of each stored figure within its :data:`FIGURE_SERIES`, the winner 1:
    the best vintage, then the submission's version order (:func:`version_order_sql`)."""
    return (
        f"row_number() OVER (PARTITION BY {figure_series_sql(observation)} "
        f"ORDER BY {vintage_rank_sql(observation + '.vintage')} DESC, {version_order_sql(submission)})"
    )


# --- The ledger: which version of a series is active ---------------------------------------------


def version_rank(doc_date: dt.date | None, seq) -> tuple:
    """The rank of a submission within its series, higher wins: a version with a document date
    beats one without, a later document date beats an earlier one, and on the same date (or both
    undated) the later upload (``seq``) wins (design.md, "Periods, senders and subjects…")."""
    return (doc_date is not None, doc_date or dt.date.min, seq)


def version_order_sql(alias: str) -> str:
    """:func:`version_rank` as an ORDER BY, best first."""
    return f"{alias}.doc_date IS NOT NULL DESC, {alias}.doc_date DESC NULLS LAST, {alias}.seq DESC"


def version_key_sql(alias: str) -> str:
    """:func:`version_rank` as an SQL row value, comparable with ``<`` and by ``arg_max``."""
    return f"({alias}.doc_date IS NOT NULL, coalesce({alias}.doc_date, DATE '0001-01-01'), {alias}.seq)"


#: What identifies a series of submissions — versions of one document, of which one is active —
#: column → how it is compared: the file kind, the sender, the subject (no sender or subject is
#: ""), the year, the period (a report's quarter; a register has none, stored NULL) and a register's
#: part (:func:`register_part`): "" for the main list, a supplementary list's own label ("bổ sung",
#: "đợt 2"), kept in the submission's stored options — a supplement is added alongside the lists in
#: use, never a version of them (black-box finding: a 4-row "danh sách khen thưởng bổ sung" replaced
#: the 97-row register).
_SERIES = {
    "file_kind": "{}",
    "sender": "coalesce({}, '')",
    "subject": "coalesce({}, '')",
    "year": "{}",
    "quarter": "{}",
    "options": "coalesce(json_extract_string({}, '$.part'), '')",
}
_NULLABLE = {"year", "quarter"}


def series_key(file_kind: str, sender, subject, year, quarter, part: str = "") -> tuple:
    """The series of a submission as the values :func:`series_where_sql` takes, in
    :data:`_SERIES`'s order: no sender or subject is ""; a register's quarter (or a missing one,
    None/NaN) is None; ``part`` is a register's part (:func:`register_part`), "" for a report."""
    known = quarter is not None and quarter == quarter and file_kind == "report"
    return (file_kind, sender or "", subject or "", year, int(quarter) if known else None, part or "")


def register_part(options_json) -> str:
    """A stored submission's register part: ``"part"`` of its options (JSON text, or ``None``),
    "" for a main list or a report."""
    try:
        raw = json.loads(options_json or "{}")
    except (TypeError, ValueError):
        return ""
    return str(raw.get("part") or "") if isinstance(raw, dict) else ""


def series_where_sql(alias: str = "") -> str:
    """An SQL condition on ``submissions`` for one series, with one ``?`` per value of
    :func:`series_key` (NULL matches NULL: a register's period)."""
    prefix = f"{alias}." if alias else ""
    return " AND ".join(
        f"{how.format(prefix + c)} {'IS NOT DISTINCT FROM' if c in _NULLABLE else '='} ?" for c, how in _SERIES.items()
    )


def same_series_sql(a: str, b: str) -> str:
    """An SQL condition: submissions ``a`` and ``b`` are of one series."""
    return " AND ".join(
        f"{how.format(f'{a}.{c}')} {'IS NOT DISTINCT FROM' if c in _NULLABLE else '='} {how.format(f'{b}.{c}')}"
        for c, how in _SERIES.items()
    )


# --- Year to date and quarter amounts ------------------------------------------------------------


def ytd_from_quarter(previous_ytd, own):
    """A flow's year to date from the previous quarter's year to date and this quarter's own
    amount (before Q1 the year to date is 0). Derived when answering, never stored (design.md,
    "Storage")."""
    return previous_ytd + own


def quarter_from_ytd(ytd, previous_ytd):
    """A flow's quarter amount from two years to date: the inverse of :func:`ytd_from_quarter`."""
    return ytd - previous_ytd


# --- How far two written figures may differ -------------------------------------------------------

#: Slack for figures that passed through binary floats (a cell's 1690.4999999999998).
_FLOAT_SLACK = Decimal("1e-9")


def half_unit(decimals: int) -> Decimal:
    """Half a unit of the last decimal: 1 → 0.05, 0 → 0.5 (Decimal, exact)."""
    return Decimal(5).scaleb(-(int(decimals) + 1))


def within_half_unit(a, b, decimals: int) -> bool:
    """Whether two figures agree within half a unit of the last decimal written, in decimal
    arithmetic (design.md: "a flow's quarter amounts and year to date must agree with earlier
    quarters within half a unit of the report's last decimal"; a district's figure and its
    units' sum likewise)."""
    return abs(to_decimal(a) - to_decimal(b)) <= half_unit(decimals) + _FLOAT_SLACK


def written_decimals(written) -> int:
    """Decimals a figure was written with: "1.426,0" → 1, "520,4" → 1, "2.438.300" → 0."""
    text = str(written or "").strip().rstrip("%").strip()
    if "," in text:
        return len(text.rsplit(",", 1)[1])
    return 0


# --- Plausibility of a figure ---------------------------------------------------------------------

#: The smallest magnitude refused as "too large": no figure of a plan is that large (a country's
#: GDP is about 10^7 tỷ đồng, its people about 10^8), and beyond 2^53 ≈ 9·10^15 a DOUBLE no longer
#: holds every whole number, so storing it would change it.
LARGEST = Decimal(10) ** 15
#: A share (unit %) above this is refused: a part cannot exceed its whole.
SHARE_MAX = Decimal(100)
#: A figure this many times its target or more is warned about as a scale slip (triệu written for
#: tỷ, a fraction typed without its % format: about 100× or 1000×); 30 leaves room for honest
#: over-achievement.
_SCALE_HIGH = Decimal(30)
#: … and one this small a part of it: a flow's early quarter may be a small part of the year
#: (0.3 %), a level is near its target all year (3 %).
_SCALE_LOW = {"flow": Decimal("0.003")}
_SCALE_LOW_OTHER = Decimal("0.03")
#: A level more than half again, or less than half, its previous quarter's figure is warned
#: about: a level moves slowly, so such a jump is more likely a typing slip than news.
_FAR_ABOVE, _FAR_BELOW = Decimal("1.5"), Decimal("0.5")
#: A percent figure at most this (and its indicator's target above it) reads as a fraction (0,941
#: for 94,1 %): shares near 0–1.5 % exist (a poverty rate of 0,17 %), so only a figure far below
#: its own indicator's scale counts.
FRACTION_MAX = 1.5


def reads_as_fraction(value, reference, unit: str | None) -> bool:
    """Whether a share's figure (unit "%") may be a fraction typed without its % format (0,95 for
    95 %; 0,0015 for a poverty rate of 0,15 %): at most :data:`FRACTION_MAX`, about 100× off its
    target (:func:`scale_suspect`) while × 100 it is not. A figure near its target is a percent
    already (a poverty rate of 0,15 % against 0,17 %); without a target, one at most
    :data:`FRACTION_MAX` may be a fraction. Black-box (December 2026): a poverty rate written
    0,0015 was offered «nhân 100» on screen and refused it."""
    if unit != "%" or not 0 < value <= FRACTION_MAX:
        return False
    if reference is None or reference <= 0:
        return reference is None
    value, reference = to_decimal(value), to_decimal(reference)
    return scale_suspect(value, reference, "level") and not scale_suspect(value * 100, reference, "level")


def reads_as_thousandfold(value, reference, unit: str | None, over_year: str) -> bool:
    """Whether a figure that is not a share may be written in a unit 1000× smaller than the plan's
    (triệu đồng under a «tỷ đồng» heading): at least 30× its target while ÷ 1000 it is not
    (:func:`scale_suspect`) — the clerk's «chia 1000» then divides it (never silently)."""
    if unit == "%" or reference is None or reference <= 0 or not value or value <= 0:
        return False
    value, reference = to_decimal(value), to_decimal(reference)
    return value / reference >= _SCALE_HIGH and not scale_suspect(value / 1000, reference, over_year)


def scale_suspect(value: Decimal, reference: Decimal, over_year: str, part: bool = False) -> bool:
    """Whether ``value`` is about 100× or 1000× off its target ``reference`` (both > 0): the
    ratio is ≥ 30, or ≤ 0.003 for a flow (≤ 0.03 otherwise); for a ``part`` of a summed whole (a
    commune's share of the district's figure) only ≥ 30 — a part may be small, never 30× the
    whole's target. Never a silent rescale (design.md, "Numbers and text"): the file is held until
    the clerk says the figure is right as written or, for a share, a fraction to multiply by 100
    (:mod:`kpi.reading.checks`)."""
    ratio = value / reference
    if part:
        return ratio >= _SCALE_HIGH
    return ratio >= _SCALE_HIGH or ratio <= _SCALE_LOW.get(over_year, _SCALE_LOW_OTHER)


def far_from_previous(value, previous) -> bool:
    """Whether a level's figure is far from its previous quarter's (more than 1.5× or less than
    0.5× a positive previous figure)."""
    value, previous = to_decimal(value), to_decimal(previous)
    return previous > 0 and (value > previous * _FAR_ABOVE or value < previous * _FAR_BELOW)


# --- Awards and the registration share ------------------------------------------------------------


def award_count_keys(catalogue: Catalogue) -> list[str]:
    """The indicators counted from award registers (TD02 …), in the plan's order — told by
    ``counted_from``, never by the unit: the registration share (TD01) is counted from the
    registration lists and is the awards group's one percentage."""
    return [i.key for i in catalogue.indicators if i.counted_from == "awards"]


def registration_share_keys(catalogue: Catalogue) -> list[str]:
    """The indicators counted from registration lists (TD01), in the plan's order."""
    return [i.key for i in catalogue.indicators if i.counted_from == "registrations"]


def year_is_in(quarter: int | None, basis: str | None, vintage: str | None) -> bool:
    """Whether a year's own figure is in: a figure of Quý IV that is neither an estimate nor
    preliminary. From then on the year-end estimates made earlier are history: no chart, table
    or annex shows them beside it (issue 14, "Year end")."""
    return quarter == 4 and basis == "actual" and vintage != "preliminary"


def figure_mark(basis: str | None, vintage: str | None = None) -> str:
    """What follows a figure as written on every output: " (ước)" when it is judged on an
    estimate (design.md, "Attainment": "(ước)" beside a figure judged on an estimate), " (sơ bộ)"
    for a preliminary figure where the caller shows vintages, else ""."""
    if basis == "estimate":
        return ESTIMATE_MARK
    return PRELIMINARY_MARK if vintage == "preliminary" else ""


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
    return max(rows, key=lambda r: (vintage_rank(r.get("vintage", "")), r.get("rank", 0)))


def _figure(row: dict, basis: str | None = None, kind: str | None = None, parts: tuple = ()) -> Figure:
    vintage = row.get("vintage", "official")
    return Figure(
        value=to_decimal(row["value"]),
        basis=basis or basis_of(vintage),
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
                value = ytd_from_quarter(prev.value if prev else Decimal(0), to_decimal(own["value"]))
                parts = ((prev,) if prev else ()) + (_figure(own, kind="quarter"),)
                vintage = worst_vintage(p.vintage for p in parts)
                ytd[q] = Figure(value, basis_of(vintage), q, "ytd", vintage, dict(own), parts)
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


def quarter_path(indicator: Indicator, figures: list[dict], last: int = 4) -> dict[int, Figure]:
    """The year's figure (:func:`year_figure`) as of each quarter 1…``last`` for which a figure of
    that very quarter exists — not a year-end estimate, not an earlier quarter's figure carried
    on: the points of an indicator's chart, last year's path of a projection.

    :returns: ``{quarter: Figure}``, only the quarters with their own figure.
    """
    path = {}
    for q in range(1, last + 1):
        figure = year_figure(indicator, figures, q)
        if figure.value is not None and figure.quarter == q and figure.kind != "year_estimate":
            path[q] = figure
    return path


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


def compared_as_written(indicator: Indicator, verdict: Verdict, as_of: int) -> Decimal | None:
    """The figure a verdict's word was decided against, as outputs write it, so that the judged
    figure can be written with the decimals that keep the two apart (:func:`kpi.vn.distinct_decimals`):
    at a final status the target (a cut's threshold), for a range the bound crossed (none inside
    the band); during the year the progress target (:func:`progress_target`); ``None`` without a
    figure."""
    actual = verdict.actual
    if actual is None:
        return None
    if verdict.final:
        if indicator.direction == "range":
            if indicator.lo is not None and actual < indicator.lo:
                return indicator.lo
            if indicator.hi is not None and actual > indicator.hi:
                return indicator.hi
            return None
        return indicator.threshold
    return progress_target(indicator, as_of)


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
        # at the year's end (as of Q4) a year-end indicator's figure is due: «Chưa có số liệu»,
        # never «Chưa đến kỳ đánh giá» in the year's own view (black-box round 9: CT06b)
        status = "not_due" if indicator.when_known == "year-end" and as_of < 4 else "no_data"
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
