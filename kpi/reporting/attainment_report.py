"""The attainment report: every indicator of a year's plan, its figure, verdict and source.

:func:`attainment_report` is what the overview page, ``python -m kpi report``, the annex table and
the deck all show. It reads the current figures (:mod:`kpi.storage.figures`), takes the year's figure of
each indicator and judges it (:mod:`kpi.domain.rules`). As of quarter N (``--quarter N``): figures of
quarters ≤ N, registrations dated on or before the quarter's end, and an award register of the
year at every quarter with final statuses. Without N: as of the latest quarter for which a report
(not a register) has data; with no report loaded, the registration share (TD01) is taken and judged
at the year's end, as ``--quarter 4`` does (a level's Q4 figure is final, design.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pandas as pd

from kpi.domain.estimates import estimate_replaced
from kpi.domain.plan import Catalogue, Indicator
from kpi.domain.quarters import quarter_end
from kpi.domain.rules import (
    Figure,
    compared_as_written,
    judge,
    pro_rata,
    quarter_path,
    year_figure,
)
from kpi.lru import LRU
from kpi.storage.awards import award_counts
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import (
    as_of_quarter,
    current_figures,
    district_figure_records,
    latest_quarter,
    registered_units,
)
from kpi.storage.store import store_state
from kpi.vn import distinct_decimals, figure_decimals, period_words, quarter_words, round_half_up
from kpi.words import REPORT_WORDS, STATUS_LABELS, YTD_WORDS

__all__ = [
    "Report",
    "figure_period_text",
    "figure_quarter",
    "older_quarter",
    "attainment_report",
    "quarter_end",
    "report_records",
    "REPORT_COLUMNS",
    "period_text",
    "indicator_series",
]

REPORT_COLUMNS = [
    "key",
    "group",
    "name",
    "unit",
    "target",
    "direction",
    "decimals",
    "actual",
    "basis",
    "period",
    "attainment_pct",
    "status",
    "status_label",
    "final",
    "compared_with",
    "vintage",
    "kind",
    "file_name",
    "sheet",
    "cell",
    "sender",
    "doc_date",
    "uploaded_by",
    "uploaded_at",
    "submission_id",
    "source",
    "last_year",
    "shown_decimals",
]


def period_text(year: int, quarter: int | None) -> str:
    """How meetings name an as-of period: "Quý III/2024 – lũy kế 9 tháng"."""
    if not quarter:
        return f"Năm {year}"
    return f"{quarter_words(year, quarter)} – lũy kế {YTD_WORDS[quarter]}"


def indicator_period_text(over_year: str, year: int, quarter: int | None) -> str:
    """The as-of period as one indicator's chart names it: a flow or a count adds up over the
    year ("Quý III/2024 – lũy kế 9 tháng", :func:`period_text`); a level is the figure at a
    moment, which nothing adds up ("Quý III/2024 – số tại thời điểm cuối kỳ"; design.md,
    "Attainment": a ``level``'s figure as of a period is the latest figure)."""
    if over_year == "level" and quarter:
        return f"{quarter_words(year, quarter)} – số tại thời điểm cuối kỳ"
    return period_text(year, quarter)


def figure_quarter(row: dict) -> int | None:
    """The quarter of a report row's judged figure ("2024-Q3" → 3), ``None`` for a register's count
    or without a figure — the one reading of ``period`` for the pages, charts and draft."""
    period = row.get("period")
    return int(period[-1]) if isinstance(period, str) and period[-2:-1] == "Q" and period[-1].isdigit() else None


def older_quarter(row: dict, as_of: int | None) -> int | None:
    """The quarter of ``row``'s judged figure when it is older than the as-of quarter (a level's Quý
    III figure judged at Quý IV), else ``None`` — a year-end estimate judged alone says what it is
    itself. The one rule by which the chart's subtitle, the card and the draft say a figure is older
    (black-box: «Quý IV/2024 – số tại thời điểm cuối kỳ» over a Quý III figure)."""
    quarter = figure_quarter(row)
    if not as_of or quarter is None or quarter >= as_of or row.get("kind") == "year_estimate":
        return None
    return quarter


def figure_period_text(over_year: str, year: int, as_of: int | None, row: dict) -> str:
    """:func:`indicator_period_text` of the period of ``row``'s judged figure: the as-of period's
    when the figure is of it; an earlier quarter's, with the one it lacks, when the latest figure
    is older — "Quý III/2024 – số tại thời điểm cuối kỳ (chưa có số Quý IV/2024)" (black-box: an
    indicator's chart said «Quý IV/2024 – số tại thời điểm cuối kỳ» over a Quý III figure). A
    year-end estimate judged alone keeps the as-of words (its chart says what it is)."""
    quarter = older_quarter(row, as_of)
    if quarter is None:
        return indicator_period_text(over_year, year, as_of)
    return f"{indicator_period_text(over_year, year, quarter)} (chưa có số {quarter_words(year, as_of)})"


@dataclass(frozen=True)
class Report:
    """An attainment report.

    :ivar table: one row per indicator in the plan's order, columns :data:`REPORT_COLUMNS`:
        ``actual`` float (indicator's unit) or NaN, ``attainment_pct`` float (rounded half-up to
        2 decimals) or NaN, ``target`` a number or ``[lo, hi]``, ``status`` one of
        :data:`kpi.domain.rules.STATUSES`, ``period`` "2024-Q3" or None, source columns of the
        judged figure (file, sheet, cell, uploaded by/at) or None.
    :ivar as_of: the as-of quarter (None when no report is loaded yet).
    :ivar data_as_of: the latest upload time of the data used (the page's "cập nhật").
    :ivar award_lists, registration_lists: the file names of the active award registers and
        registration lists of ``year``, in upload order — what "loaded" means for every output:
        with none, the award counts are ``not_due``, the registration share ``no_data``, and
        nothing may be said of who registered or which list a figure came from.
    """

    year: int
    as_of: int | None
    subject: str
    table: pd.DataFrame
    catalogue: Catalogue
    data_as_of: dt.datetime | None
    award_lists: tuple[str, ...] = ()
    registration_lists: tuple[str, ...] = ()

    @property
    def period_text(self) -> str:
        return period_text(self.year, self.as_of)

    @property
    def has_estimates(self) -> bool:
        return bool((self.table["basis"] == "estimate").any())


def _num(value) -> float | None:
    if value is None:
        return None
    return float(value)


#: Reports of this process, keyed by (database file, data version, year, quarter, subject): shared
#: by Streamlit's script threads, so locked and bounded (:class:`kpi.lru.LRU`); a newer data
#: version of a database drops that database's older reports (never asked for again).
_REPORTS: LRU[Report] = LRU(max_entries=64)


def attainment_report(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int | None = None,
    subject: str | None = None,
    catalogue: Catalogue | None = None,
) -> Report:
    """Judge every indicator of ``year``'s plan as of ``quarter`` (see the module's docstring).

    Reports are cached in the process per database file, data version (every import, withdrawal,
    restore and plan change bumps it), year, period and subject: a repeated request is a lookup.

    :param subject: a reporting unit (default: the district).
    :raises kpi.errors.NotFound: no plan for ``year``.
    """
    state = store_state(con)  # the file or the lake's catalog; its data version or snapshot id
    cache_key = (state.path, state.version, year, quarter, subject) if state.path else None
    cached = _REPORTS.get(cache_key) if cache_key is not None else None
    if cached is not None:
        return cached
    catalogue = catalogue or load_catalogue(con, year, known=(state.path, state.plan_version))
    report = _attainment_report(con, year, quarter, subject, catalogue, state.fresh)
    if cache_key is not None:
        _REPORTS.discard_where(lambda k: k[0] == cache_key[0] and k[1] < cache_key[1])
        _REPORTS.put(cache_key, report)
    return report


#: What a report needs to know of the stored data besides the figures, in one round trip: the
#: award and registration registers loaded (their file names;
#: :func:`kpi.storage.figures.register_loaded`), and the latest upload. The latest quarter with
#: figures is the subject's own (:func:`kpi.storage.figures.latest_quarter`).
_STATE_SQL = """
SELECT coalesce(list(file_name ORDER BY seq) FILTER (WHERE file_kind = 'awards'), []),
       coalesce(list(file_name ORDER BY seq) FILTER (WHERE file_kind = 'registrations'), []),
       max(uploaded_at)
FROM submissions WHERE status = 'active' AND year = $year
"""


def _attainment_report(
    con, year: int, quarter: int | None, subject: str | None, catalogue: Catalogue, fresh: bool
) -> Report:
    subject = subject or catalogue.district_unit
    award_lists, registration_lists, data_as_of = con.execute(_STATE_SQL, {"year": year}).fetchall()[0]
    awards_in, registrations_in = bool(award_lists), bool(registration_lists)
    figures = district_figure_records(con, catalogue, year, quarter or 4, subject, fresh=fresh)
    # «Mới nhất có số liệu»: the latest quarter with a figure of this subject, never another's
    # (the records as of Q4 are then exactly those as of it: none is of a later quarter)
    as_of = quarter or latest_quarter(figures)
    effective = as_of or 1
    if not quarter:
        figures = {k: [r for r in rows if int(r["quarter"]) <= effective] for k, rows in figures.items()}
    counts = award_counts(con, year) if awards_in else {}
    rows = []
    for ind in unit_indicators(catalogue, subject):
        judged_at = effective
        if ind.counted_from == "awards":
            value = counts.get(ind.key, 0) if awards_in else None
            figure = (
                Figure(Decimal(value), "actual", None, "count", "official", {"file_name": "; ".join(award_lists)})
                if awards_in
                else Figure(None)
            )
        elif ind.counted_from == "registrations":
            figure = _registration_figure(con, catalogue, year, as_of) if registrations_in else Figure(None)
            # judged as of the quarter its figure is taken at: with no report loaded, the year's end,
            # as --quarter 4 judges the same figure (design.md: a level's Q4 figure is final)
            judged_at = figure.quarter or effective
        else:
            figure = year_figure(ind, figures.get(ind.key, []), effective)
        verdict = judge(ind, figure, judged_at, register_loaded=awards_in)
        rows.append(_row(ind, figure, verdict, year, subject, figures.get(ind.key, []), judged_at))
    table = pd.DataFrame({c: [r[c] for r in rows] for c in REPORT_COLUMNS})  # faster than from records
    return Report(year, as_of, subject, table, catalogue, data_as_of, tuple(award_lists), tuple(registration_lists))


def judged_period_words(row: dict, year: int) -> str:
    """The period a report row's figure is of, in words, for every output (pages, command line):
    "Quý III/2024"; a year-end estimate judged alone "ước cả năm, báo cáo 6 tháng" — never the
    quarter of the report that gave it, which read as that quarter's figure (black-box); a count
    settled by the year's decisions (awards) "Năm 2024"; "" without a figure."""
    period = row.get("period")
    if row.get("kind") == "year_estimate" and isinstance(period, str):
        quarter = figure_quarter(row)
        return f"ước cả năm, báo cáo {REPORT_WORDS[quarter]}" if quarter in REPORT_WORDS else "ước cả năm"
    words = period_words(period)
    if words:
        return words
    actual = row.get("actual")
    return "" if actual is None or pd.isna(actual) else f"Năm {year}"


def unit_indicators(catalogue: Catalogue, subject: str) -> tuple:
    """The indicators a report of ``subject`` judges: every one for the district; for another unit
    only those whose district target can be read as the unit's (a rate, a level, a mean) — a unit's
    part of a sum (investment, revenue, model villages) or of the emulation counts has no target
    of its own in the plan, and 50 tỷ of one commune «1,51 % — Chậm tiến độ» against the district's
    3.300,9 is a figure that looks right and means nothing (black-box finding)."""
    if subject == catalogue.district_unit:
        return catalogue.indicators
    return tuple(i for i in catalogue.indicators if i.across_units != "sum" and i.counted_from == "reports")


def left_out_text(report: Report) -> str:
    """What a unit's report leaves out (:func:`unit_indicators`) and why, in one sentence; "" for
    the district's."""
    left = [i.key for i in report.catalogue.indicators if i.key not in set(report.table["key"])]
    if not left:
        return ""
    return (
        f"Không đánh giá {len(left)} chỉ tiêu ({', '.join(left)}): kế hoạch chỉ giao cho toàn huyện, "
        f"{report.subject} không có kế hoạch riêng (chỉ tiêu cộng dồn giữa các đơn vị, thi đua – khen thưởng)."
    )


def _registration_figure(con, catalogue: Catalogue, year: int, as_of: int | None) -> Figure:
    """TD01: registered units ÷ all units of the blocks × 100, as of the as-of period's end (the
    caller knows a registration list is loaded)."""
    q = as_of or 4
    units = registered_units(con, year, quarter_end(year, q))
    value, known, total = catalogue.registration_share(units["unit"])
    return Figure(
        value,
        "actual",
        q,
        "registrations",
        "official",
        {
            "file_name": "; ".join(sorted(set(units["file_name"]))) if len(units) else "",
            "note": f"{known}/{total} đơn vị đã đăng ký",
        },
    )


def _row(ind: Indicator, figure: Figure, verdict, year: int, subject: str, figures: list[dict], as_of: int) -> dict:
    src = figure.source or {}
    pct = verdict.attainment_pct
    last_year = None
    if figure.quarter:
        ly = [f for f in figures if f["kind"] == "last_year" and int(f["quarter"]) == figure.quarter]
        if ly:
            last_year = float(ly[-1]["value"])
    return {
        "key": ind.key,
        "group": ind.group,
        "name": ind.name,
        "unit": ind.unit,
        "target": ind.target_value,
        "direction": ind.direction,
        "decimals": ind.decimals,
        "actual": _num(verdict.actual) if verdict.actual is not None else None,
        "basis": verdict.basis,
        "period": (f"{year}-Q{figure.quarter}" if figure.quarter and ind.over_year != "count" else None),
        # half-up to 2 decimals, or as many more as keep a figure that is not 100 % from reading 100,00 %
        "attainment_pct": float(round_half_up(pct, distinct_decimals(pct, 100, 2))) if pct is not None else None,
        "status": verdict.status,
        "status_label": STATUS_LABELS[verdict.status],
        "final": verdict.final,
        "compared_with": _num(verdict.compared_with),
        "vintage": figure.vintage or None,
        "kind": figure.kind or None,
        "file_name": src.get("file_name"),
        "sheet": src.get("sheet"),
        "cell": src.get("cell"),
        "sender": src.get("sender"),
        "doc_date": src.get("doc_date"),
        "uploaded_by": src.get("uploaded_by"),
        "uploaded_at": src.get("uploaded_at"),
        "submission_id": src.get("submission_id"),
        "source": "; ".join(t for t in (_source_text(figure), _partial_sum_text(figures, figure, year)) if t),
        "last_year": last_year,
        # the decimals the judged figure is written with: the one formatter's, or more where fewer
        # would make it read as the figure its word was decided against (99,996 beside a target of 100)
        "shown_decimals": distinct_decimals(
            verdict.actual, compared_as_written(ind, verdict, as_of), figure_decimals(ind.unit, ind.decimals)
        ),
    }


def _source_text(figure: Figure) -> str:
    """ "bao-cao-quy-1-2024.xlsx, trang «Bieu 01», ô F11" — or the parts of a derived figure."""
    if figure.value is None:
        return ""
    if figure.derived_from:
        return " + ".join(_source_text(p) for p in figure.derived_from)
    src = figure.source or {}
    parts = [str(src.get("file_name") or "")]
    if src.get("sheet"):
        parts.append(f"trang «{src['sheet']}»")
    if src.get("cell"):
        parts.append(f"ô {src['cell']}")
    if src.get("note"):
        parts.append(str(src["note"]))
    return ", ".join(p for p in parts if p)


def _partial_sum_text(figures: list[dict], figure: Figure, year: int) -> str:
    """What is missing when the communes' figures of a later quarter than the one judged do not
    cover every commune (:func:`kpi.storage.figures.district_figure_records`, kind
    ``partial_sum``): "Quý II/2024: mới có số của 1 đơn vị, chưa đủ 12 xã, thị trấn của kế hoạch
    — chưa tính được số toàn huyện"; "" when none."""
    later = [f for f in figures if f["kind"] == "partial_sum" and int(f["quarter"]) > (figure.quarter or 0)]
    if not later:
        return ""
    last = max(later, key=lambda f: (int(f["quarter"]), f["units"]))
    if not last["communes_owed"]:  # the plan lists no commune: nothing says the sum is whole
        return (
            f"{quarter_words(year, int(last['quarter']))}: có số của {last['units']} đơn vị, nhưng kế hoạch "
            "không liệt kê các xã, thị trấn nên chưa tính được số toàn huyện"
        )
    return (
        f"{quarter_words(year, int(last['quarter']))}: mới có số của {last['units']} đơn vị, chưa đủ "
        f"{last['communes_owed']} xã, thị trấn của kế hoạch — chưa tính được số toàn huyện"
    )


def _none(value):
    """None for pandas' missing values (NaN, NA, NaT), else the value."""
    if value is None:
        return None
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def report_records(report: Report) -> list[dict]:
    """The report as design.md's JSON contract: one object per key with at least ``key``,
    ``group``, ``name``, ``unit``, ``target``, ``actual``, ``basis``, ``period``,
    ``attainment_pct``, ``status`` (plus ``status_label``, ``final``, ``direction``, ``source``,
    and ``kind``: what ``actual`` is — ``ytd``, ``quarter``, ``count``, ``registrations`` or
    ``year_estimate``, the year-end estimate of the report of ``period`` when nothing else is
    known, so a reader never takes it for that quarter's figure).
    ``actual`` and ``attainment_pct`` are rounded half-up to 2 decimals."""
    out = []
    for r in report.table.to_dict("records"):
        actual = r["actual"]
        if actual is not None and not pd.isna(actual):
            actual = float(round_half_up(actual, 2))
            actual = int(actual) if actual == int(actual) else actual
        else:
            actual = None
        pct = r["attainment_pct"]  # design.md's contract: 2 decimals (the table may keep more, see _row)
        pct = None if pct is None or pd.isna(pct) else float(round_half_up(pct, 2))
        out.append(
            {
                "key": r["key"],
                "group": r["group"],
                "name": r["name"],
                "unit": r["unit"],
                "target": r["target"],
                "actual": actual,
                "basis": _none(r["basis"]),
                "period": _none(r["period"]),
                "attainment_pct": pct,
                "status": r["status"],
                "status_label": r["status_label"],
                "final": bool(r["final"]),
                "direction": r["direction"],
                "source": _none(r["source"]) or None,
                "kind": _none(r["kind"]),
            }
        )
    return out


def report_json(report: Report) -> str:
    """:func:`report_records` as JSON text (UTF-8, Vietnamese kept)."""
    return json.dumps(report_records(report), ensure_ascii=False, indent=2)


def indicator_series(
    con: duckdb.DuckDBPyConnection,
    year: int,
    key: str,
    as_of: int | None = None,
    subject: str | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """One indicator's path through the year, for its chart: the year's figure as of each quarter
    (a flow's year to date, a level's latest figure), by the same rules as the verdict.

    :returns: DataFrame, one row per quarter 1–4: ``quarter`` int, ``value`` float or NaN (only
        when a figure of that very quarter exists), ``basis`` (``actual``/``estimate``/None),
        ``vintage`` (``official``/``preliminary``/``estimate``/None), ``threshold`` float (a flow's
        target × q/4, a level's target or range lo), ``source`` str,
        ``year_estimate`` float or NaN (the latest year-end estimate known at that quarter),
        ``year_estimate_quarter`` float or NaN (the quarter of the report that gave it),
        ``year_estimate_replaced`` bool (:func:`kpi.domain.estimates.estimate_replaced`).
    """
    catalogue = catalogue or load_catalogue(con, year)
    subject = subject or catalogue.district_unit
    ind = catalogue[key]
    last = as_of or as_of_quarter(con, year, subject, catalogue) or 4
    figures = district_figure_records(con, catalogue, year, 4, subject).get(key, [])
    path = quarter_path(ind, figures, last)
    rows = []
    for q in range(1, 5):
        fig = path.get(q, Figure(None))
        in_quarter = q in path
        estimates = [f for f in figures if f["kind"] == "year_estimate" and int(f["quarter"]) <= min(q, last)]
        newest = max(estimates, key=lambda f: int(f["quarter"])) if estimates else None
        threshold = pro_rata(ind, q)
        rows.append(
            {
                "quarter": q,
                "value": float(fig.value) if in_quarter else None,
                "basis": fig.basis if in_quarter else None,
                "threshold": float(threshold) if threshold is not None else None,
                "source": _source_text(fig) if in_quarter else "",
                "year_estimate": float(newest["value"]) if newest else None,
                "year_estimate_quarter": int(newest["quarter"]) if newest else None,
                # whether its quarter's figure is another report's now (estimate_replaced)
                "year_estimate_replaced": bool(newest) and estimate_replaced(figures, newest),
            }
        )
    return pd.DataFrame(rows).astype(
        {"value": "float64", "threshold": "float64", "year_estimate": "float64", "year_estimate_quarter": "float64"}
    )


def unit_figures(
    con: duckdb.DuckDBPyConnection, year: int, key: str, as_of: int | None = None, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Each reporting unit's own figure for one indicator (per-unit files), judged by the same
    rules as the district's, for ranked bars.

    :returns: DataFrame ``unit`` str, ``block`` str, ``commune`` bool (kind ``commune`` in the
        plan's units), ``value`` float, ``basis`` str, ``quarter``
        int, ``source`` str; the district itself excluded; largest first.
    """
    catalogue = catalogue or load_catalogue(con, year)
    ind = catalogue[key]
    last = as_of or as_of_quarter(con, year, catalogue=catalogue) or 4
    frame = current_figures(con, year, max_quarter=last, keys=[key])
    rows = []
    for subject, group in frame.groupby("subject"):
        if subject == catalogue.district_unit:
            continue
        fig = year_figure(ind, group.to_dict("records"), last)
        if fig.value is None:
            continue
        rows.append(
            {
                "unit": subject,
                "block": catalogue.block_of(subject),
                "commune": subject in catalogue.communes,
                "value": float(fig.value),
                "basis": fig.basis,
                "quarter": fig.quarter,
                "source": _source_text(fig),
            }
        )
    out = pd.DataFrame(rows, columns=["unit", "block", "commune", "value", "basis", "quarter", "source"])
    return out.sort_values("value", ascending=False).reset_index(drop=True)
