"""The words of the draft report (:mod:`kpi.output.report_draft`), section by section: which
sentence each indicator gets, the summary, the indicators behind and the units furthest behind,
the emulation lines — strings only; :mod:`kpi.output.report_draft` lays them out in the .docx.

Every figure comes from :func:`kpi.reporting.attainment_report.attainment_report` (through
:func:`report_records`), the award register and the registration list (:mod:`kpi.storage.figures`),
and is written by the product's one number formatter, as the app, the annex, the deck and the
command line write it (issue 14, "one formatter"): a figure, a gap or a change in points with
:func:`kpi.vn.figure_decimals` decimals (a count none, a measured figure max(1, its target's
decimals), more where the report table's ``shown_decimals`` asks), a target in its own decimals
(:func:`kpi.vn.format_number`), a % of plan with two (:func:`kpi.vn.format_pct`). The words live
in ``data/report_draft.toml`` (one sentence per state and direction, with named fields;
:func:`load_phrases`); who the authority is, its parent, who receives the report and who signs it
in the ``[report]`` table of the plan's ``plan.toml`` (:func:`document_fields`).
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from kpi.config import DATA_DIR, settings
from kpi.domain.plan import GROUPS, Indicator
from kpi.domain.rules import progress_target
from kpi.output.status_counts import counts_text
from kpi.reporting.attainment_report import (
    Report,
    figure_quarter,
    older_quarter,
    quarter_end,
    report_records,
    unit_figures,
)
from kpi.storage.awards import award_rows
from kpi.storage.figures import registration_status
from kpi.vn import (
    format_date,
    format_figure,
    format_number,
    format_pct,
    int_to_roman,
    quarter_words,
    round_half_up,
    to_decimal,
)
from kpi.words import GROUP_LABELS

__all__ = [
    "PHRASES_FILE",
    "load_phrases",
    "document_fields",
    "NBSP",
    "quantity",
    "figure",
    "indicator_sentence",
    "period_title",
    "draft_records",
    "intro",
    "summary",
    "results",
    "behind",
    "closing",
]

#: The template of the draft's words (an office edits it; no code changes).
PHRASES_FILE = DATA_DIR / "report_draft.toml"


def load_phrases(path: Path | str | None = None) -> dict:
    """The draft's words: ``data/report_draft.toml`` or the file at ``path`` (same tables).

    :raises FileNotFoundError, tomllib.TOMLDecodeError: the file is missing or not TOML.
    """
    return tomllib.loads(Path(path or PHRASES_FILE).read_text(encoding="utf-8"))


def document_fields(year: int, phrases: dict, data_dir: Path | None = None) -> dict:
    """Who issues, receives and signs the report: the ``[report]`` table of the data folder's
    ``plans/<year>/plan.toml`` (else the nearest earlier year's), over the template's
    ``[document]`` defaults.

    :returns: ``parent`` (str, may be empty), ``code`` ("BC-UBND"), ``recipients`` (list of str),
        ``signer_for``, ``signer_title``, ``signer_name``.
    """
    fields = dict(phrases.get("document", {}))
    base = Path(data_dir or settings().data_dir) / "plans"
    years = sorted((int(p.name) for p in base.glob("*") if p.name.isdigit() and int(p.name) <= year), reverse=True)
    for y in years:
        toml = base / str(y) / "plan.toml"
        if toml.exists():
            written = tomllib.loads(toml.read_text(encoding="utf-8")).get("report")
            if written:
                fields.update(written)
                break
    return fields


# ---------------------------------------------------------------------------------------------
# Sentences


#: Between a figure and its unit: a no-break space, so "72,5 %" is never split across lines.
NBSP = "\u00a0"


def figure(value, unit: str | None, decimals: int | None, shown=None) -> str:
    """An indicator's figure without its unit, as every output writes it (:func:`kpi.vn.format_figure`):
    (125, "triệu đồng/ha", 1) → "125,0"; (18, "khu", 0) → "18"; (72.5, "%", 2) → "72,50".

    :param decimals: the target's decimals (:attr:`kpi.domain.plan.Indicator.decimals`).
    :param shown: the report table's ``shown_decimals`` (more decimals where fewer would make the
        figure read as its target), or ``None``.
    """
    return format_figure(value, unit, decimals, shown)


def quantity(value, unit: str, decimals: int | None = None, shown=None) -> str:
    """A figure with its unit, by the product's one formatter (:func:`figure`): (2438.3, "tỷ
    đồng", 1) → "2.438,3 tỷ đồng"; (0.18, "%", 2) → "0,18 %"; joined by a no-break space."""
    number = figure(value, unit, decimals, shown)
    if unit == "%":
        return f"{number}{NBSP}%"
    return f"{number}{NBSP}{unit}" if unit else number


def target_quantity(value, unit: str, decimals: int | None) -> str:
    """A target with its unit in its own decimals (the plan's, :func:`kpi.vn.format_number`):
    (3300.9, "tỷ đồng", 1) → "3.300,9 tỷ đồng"; (805, "tỷ đồng", 0) → "805 tỷ đồng"."""
    number = format_number(value, int(decimals or 0))
    return f"{number}{NBSP}{unit}" if unit else number


def _pct(value, decimals: int = 2) -> str:
    """:func:`kpi.vn.format_pct` (a % of plan: two decimals) with a no-break space before the sign."""
    return format_pct(value, decimals).replace(" %", NBSP + "%")


def _direction(direction: str) -> str:
    return {"<=": "lower", "decrease_by": "lower", "range": "range"}.get(direction, "higher")


def _sentence_key(phrases: dict, over: str, direction: str, state: str) -> str:
    table = phrases["sentence"]
    for key in (f"{over}_{direction}_{state}", f"{over}_{state}", f"{direction}_{state}", state):
        if key in table:
            return key
    raise KeyError(f"{over}_{direction}_{state}")


def _change(phrases: dict, actual: Decimal, last_year: Decimal, unit: str, decimals: int | None = None) -> str:
    """ "tăng 12,3 % so với cùng kỳ" (a rate: in percentage points, with the figure's decimals,
    :func:`figure`), from last year's figure of the same period."""
    words = phrases["change"]
    if actual == last_year:
        return words["same"]
    if unit == "%":
        change = f"{figure(abs(actual - last_year), unit, decimals)}{NBSP}{words['points']}"
    else:
        if not last_year:
            return ""
        change = _pct(round_half_up(abs(actual / last_year - 1) * 100, 1), 1)  # a growth rate: one decimal
    return words["up" if actual > last_year else "down"].format(change=change)


def indicator_sentence(
    row: dict, indicator: Indicator, as_of: int | None, year: int, phrases: dict, decisions: str = ""
) -> str:
    """One indicator's sentence, chosen by its state, direction and how it adds up over the year.

    :param row: a record of :func:`kpi.reporting.attainment_report.report_records` plus ``kind`` (``ytd``,
        ``year_estimate``…) and ``last_year`` (float or None) of the report's table.
    :param decisions: the award decisions in words, for the awards.
    :raises KeyError: the template has no sentence for the state (nor a fallback).
    """
    fields = _fields(row, indicator, as_of, year, phrases, decisions)
    over = indicator.over_year
    if over == "flow" and (row.get("kind") == "year_estimate" or row["status"] not in ("on_track", "behind")):
        over = "level"
    direction = _direction(indicator.direction)
    text = phrases["sentence"][_sentence_key(phrases, over, direction, row["status"])].format(**fields)
    last_year = row.get("last_year")
    if row.get("actual") is not None and last_year is not None and not pd.isna(last_year) and over != "count":
        change = _change(phrases, to_decimal(row["actual"]), to_decimal(last_year), indicator.unit, indicator.decimals)
        if change and text.endswith("."):
            text = f"{text[:-1]}, {change}."
    return text


def _fields(row: dict, ind: Indicator, as_of: int | None, year: int, phrases: dict, decisions: str = "") -> dict:
    q = as_of or 4
    periods = phrases["period"]
    unit = ind.unit
    actual = row.get("actual")
    basis = row.get("basis") or "actual"
    if row.get("kind") == "year_estimate":
        basis = "year_estimate"
    verb = phrases["verb"].get(f"{_direction(ind.direction)}_{basis}", phrases["verb"]["higher_actual"])
    progress = progress_target(ind, q)
    threshold = ind.threshold
    pct = row.get("attainment_pct")
    shown = row.get("shown_decimals")
    gap = ""
    if actual is not None:
        against = progress if ind.over_year == "flow" and row.get("kind") != "year_estimate" else threshold
        if against is not None:
            # a gap is a difference of two figures: written with the figure's decimals
            diff = abs(to_decimal(actual) - against)
            gap = (
                f"{figure(diff, unit, ind.decimals, shown)}{NBSP}{phrases['change']['points']}"
                if unit == "%"
                else quantity(diff, unit, ind.decimals, shown)
            )
    # the figure said as "the target": a cut's is last year's figure minus the cut (ind.threshold)
    target = None if ind.direction == "range" else ind.threshold if ind.direction == "decrease_by" else ind.target
    return {
        "name": row["name"],
        # what a year to date covers is the figure's own period (a Q3 figure at the year end is "9 tháng")
        "span": str(periods["span"][str(figure_quarter(row) or q)]).format(year=year),
        "until": str(periods["until"][str(q)]).format(year=year),
        "year": year,
        "verb": verb,
        "unit": unit,
        "actual": _actual_words(row, ind, q, year, phrases) if actual is not None else "",
        "actual_number": figure(actual, unit, ind.decimals, shown) if actual is not None else "",
        "target": target_quantity(target, unit, ind.decimals) if target is not None else "",
        "lo": format_number(ind.lo, ind.decimals) if ind.lo is not None else "",
        "hi": format_number(ind.hi, ind.decimals) if ind.hi is not None else "",
        "pct": _pct(pct) if pct is not None else "",
        # the pro-rata target is rounded to the figure's decimals (progress_target): written so
        "progress": quantity(progress, unit, ind.decimals) if progress is not None else "",
        "gap": gap,
        "decisions": decisions,
    }


def _actual_words(row: dict, ind: Indicator, as_of: int, year: int, phrases: dict) -> str:
    """The judged figure with its unit, and the period it is of when that is not the report's
    (black-box: «Số bác sỹ/1 vạn dân đạt 10,4 …, đúng tiến độ» in the year's report was the
    figure of Quý III): "10,4 bác sỹ/vạn dân (số liệu Quý III/2024)". A year-end estimate says
    what it is in its verb ("cả năm ước đạt")."""
    written = quantity(row["actual"], ind.unit, ind.decimals, row.get("shown_decimals"))
    quarter = older_quarter(row, as_of)
    if quarter is None:
        return written
    return phrases["figure"]["other_quarter"].format(actual=written, quarter=quarter_words(year, quarter))


def _behind_sentence(row: dict, ind: Indicator, as_of: int | None, year: int, phrases: dict) -> str:
    """The indicator in "Những chỉ tiêu chậm tiến độ": its figure and the gap to the pro-rata
    target (a flow) or to the target (a level, an estimate)."""
    fields = _fields(row, ind, as_of, year, phrases)
    words = phrases["behind"]
    lower = _direction(ind.direction) == "lower"
    if ind.direction == "range":
        key = "range"
    elif ind.over_year == "flow" and row.get("kind") != "year_estimate" and not row.get("final"):
        key = "flow_lower" if lower else "flow"
    else:
        key = "level_lower" if lower else "level"
        if ind.over_year == "flow":
            fields["target"] = target_quantity(ind.target, ind.unit, ind.decimals)
    return words[key].format(**fields)


def _units_behind(con, report: Report, ind: Indicator, phrases: dict, limit: int = 3) -> str:
    """The units furthest behind, where units report their own figures of a rate (a flow or a
    count summed over units has no per-unit target): those worse than the target, worst first.

    "Lowest" and "highest" compare units, so like with like: only the units whose figure is of the
    latest quarter any unit has, and nothing at all unless at least two units have one of it
    (black-box: «Đơn vị có số liệu thấp nhất: Xã Hiền Quan» when it was the only commune that sent
    that quarter's figure)."""
    if ind.over_year != "level" or ind.across_units == "sum" or ind.counted_from != "reports" or ind.threshold is None:
        return ""
    frame = unit_figures(con, report.year, ind.key, report.as_of, report.catalogue)
    frame = frame[frame["quarter"].notna()]
    if frame.empty:
        return ""
    frame = frame[frame["quarter"] == frame["quarter"].max()]
    if len(frame) < 2:
        return ""
    lower = _direction(ind.direction) == "lower"
    values = frame["value"].map(to_decimal)
    worse = frame[values > ind.threshold] if lower else frame[values < ind.threshold]
    if worse.empty:
        return ""
    worse = worse.sort_values("value", ascending=not lower).head(limit)
    words = phrases["behind"]
    items = []
    for r in worse.to_dict("records"):
        value = quantity(r["value"], ind.unit, ind.decimals)
        if report.as_of and int(r["quarter"]) != report.as_of:
            items.append(
                words["unit_other_quarter"].format(unit=r["unit"], value=value, quarter=_quarter(r["quarter"]))
            )
        else:
            items.append(words["unit"].format(unit=r["unit"], value=value))
    return words["units_lower" if lower else "units"].format(units=", ".join(items))


def _quarter(q) -> str:
    return f"quý {int_to_roman(int(q))}"


def _decisions(awards: pd.DataFrame, key: str, phrases: dict) -> str:
    """ "Quyết định số 247/QĐ-UBND ngày 24/01/2025" for each decision of the key's counted awards."""
    if awards.empty:
        return ""
    rows = awards[(awards["key"] == key) & awards["counted"]]
    seen: list[tuple[str, str]] = []
    for number, date in zip(rows["decision_number"], rows["decision_date"], strict=True):
        day = format_date(pd.Timestamp(date).date()) if date is not None and not pd.isna(date) else ""
        if (str(number), day) not in seen:
            seen.append((str(number), day))
    words = phrases["emulation"]
    return "; ".join(
        words["decision"].format(number=n, date=d) if d else words["decision_undated"].format(number=n) for n, d in seen
    )


# ---------------------------------------------------------------------------------------------
# The sections' words


def period_title(report: Report, phrases: dict) -> str:
    """ "Quý III/2024", "6 tháng đầu năm 2024", "năm 2024"."""
    return str(phrases["period"]["title"][str(report.as_of or 4)]).format(year=report.year)


def draft_records(report: Report) -> list[dict]:
    """The report's records (:func:`report_records`), each with ``kind``, ``last_year`` and
    ``shown_decimals`` of the report's table, and its ``actual`` and ``attainment_pct`` as judged
    (the JSON rounds them to two decimals: 99,996 would read 100,00 beside "Không đạt"; NaN as None)."""
    records = report_records(report)
    wanted = ("kind", "last_year", "shown_decimals", "actual", "attainment_pct")
    columns = [c for c in wanted if c in report.table.columns]
    extra = report.table.set_index("key")[columns].to_dict("index")
    for r in records:
        r.update(
            {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in extra[r["key"]].items()}
        )
    return records


def intro(report: Report, phrases: dict) -> str:
    """The opening paragraph: the plan, the authority and the period."""
    meta = report.catalogue.meta
    authority = str(meta.get("authority") or "")
    return phrases["text"]["intro"].format(
        plan=meta.get("title") or "", authority=authority, period=period_title(report, phrases)
    )


def summary(records: list[dict], phrases: dict) -> str:
    """ "Trong 24 chỉ tiêu: 10 vượt, 6 đạt, …" (``[summary]``): the indicators counted by status."""
    labels = phrases["summary"]
    said = counts_text((r["status"] for r in records), labels, format_number)
    return labels["lead"].format(total=format_number(len(records)), counts=said)


def results(
    con: duckdb.DuckDBPyConnection, report: Report, records: list[dict], phrases: dict
) -> list[tuple[str, list[str]]]:
    """Part I, one section per group in the plan's order: ``(heading "1. Kinh tế", paragraphs)``,
    an indicator's sentence each (:func:`indicator_sentence`); the registrations' lines and, before
    the awards, their lead; each award as "- …" with its decisions."""
    awards = award_rows(con, report.year)
    by_group: dict[str, list[dict]] = {}
    for r in records:
        by_group.setdefault(r["group"], []).append(r)
    groups = [g for g in GROUPS if g in by_group]
    return [
        (f"{n}. {GROUP_LABELS.get(group, group)}", _group_lines(con, report, by_group[group], awards, phrases))
        for n, group in enumerate(groups, start=1)
    ]


def _group_lines(con, report: Report, rows: list[dict], awards: pd.DataFrame, phrases: dict) -> list[str]:
    lines: list[str] = []
    for r in rows:
        ind = report.catalogue[r["key"]]
        if ind.counted_from == "registrations":
            lines += _registration(con, report, r, phrases)
            if any(report.catalogue[x["key"]].counted_from == "awards" for x in rows):
                lines.append(phrases["emulation"]["awards_lead"].format(year=report.year))
            continue
        decisions = _decisions(awards, r["key"], phrases) if ind.counted_from == "awards" else ""
        line = indicator_sentence(r, ind, report.as_of, report.year, phrases, decisions)
        lines.append(("- " if ind.counted_from == "awards" else "") + line)
    return lines


def behind(con: duckdb.DuckDBPyConnection, report: Report, records: list[dict], phrases: dict) -> tuple[str, list[str]]:
    """Part II: ``(heading, paragraphs)``. During the year the indicators behind; at the year end
    (a final figure of a report's indicator) those not met, and those behind without a final
    figure; each "- …" with the gap (:func:`_behind_sentence`) and the units furthest behind."""
    final = bool(
        report.as_of == 4 and any(r["final"] for r in records if report.catalogue[r["key"]].counted_from == "reports")
    )
    words = phrases["behind"]
    if not final:
        late = [r for r in records if r["status"] == "behind"]
        return phrases["text"]["part_behind"], _behind_lines(con, report, late, phrases) or [words["none"]]
    # at year end: those not met, then those still behind without a final figure, each under its own
    # words (black-box: nine «chậm tiến độ» under «Những chỉ tiêu không đạt kế hoạch»)
    not_met = [r for r in records if r["status"] == "not_met"]
    late = [r for r in records if r["status"] == "behind"]
    if not late:
        return phrases["text"]["part_behind_final"], _behind_lines(con, report, not_met, phrases) or [
            words["none_final"]
        ]
    lines = [words["lead_not_met"], *_behind_lines(con, report, not_met, phrases)] if not_met else []
    lines += [words["lead_behind_final"], *_behind_lines(con, report, late, phrases)]
    return phrases["text"]["part_behind_both"], lines


def _behind_lines(con, report: Report, rows: list[dict], phrases: dict) -> list[str]:
    """Each row of part II as "- …" with its gap (:func:`_behind_sentence`) and the units furthest behind."""
    lines = []
    for r in rows:
        ind = report.catalogue[r["key"]]
        line = "- " + _behind_sentence(r, ind, report.as_of, report.year, phrases)
        units = _units_behind(con, report, ind, phrases)
        lines.append(f"{line} {units}" if units else line)
    return lines


def closing(report: Report, phrases: dict) -> str:
    """The closing paragraph, before the signature."""
    authority = str(report.catalogue.meta.get("authority") or "")
    return phrases["text"]["closing"].format(period=period_title(report, phrases), authority=authority)


def _registration(con, report: Report, row: dict, phrases: dict) -> list[str]:
    """ "Có 30/30 cơ quan, đơn vị đăng ký thi đua, đạt 100 %." and who has not."""
    words = phrases["emulation"]
    if row["actual"] is None:
        return [words["no_registration"]]
    status = registration_status(con, report.catalogue, report.year, quarter_end(report.year, report.as_of or 4))
    registered = int(status["registered"].sum())
    lines = [
        words["registration"].format(
            registered=format_number(registered),
            total=format_number(len(status)),
            pct=quantity(row["actual"], "%", report.catalogue[row["key"]].decimals, row.get("shown_decimals")),
        )
    ]
    missing = status.loc[~status["registered"], "unit"].tolist()
    lines.append(words["not_registered"].format(units=", ".join(missing)) if missing else words["all_registered"])
    return lines
