"""Cached loaders: the report, series, histories, projections, annex rows and chart pictures, keyed by the data version so an upload shows at once."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from appkit.session import Context
from appkit.text import figure_period, figure_text, md, pct_text, status_badge, summary_html, summary_table, target_text
from kpi.reporting.attainment_report import Report, attainment_report, indicator_series
from kpi.storage.catalogue import plan_years_in_db
from kpi.words import GROUP_LABELS


@st.cache_data(show_spinner=False, max_entries=64)
def load_report(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None, subject: str | None = None
) -> Report:
    """:func:`kpi.reporting.attainment_report.attainment_report`, cached per data version, year, period and subject."""
    return attainment_report(_con, year, quarter, subject)


@st.cache_data(show_spinner=False, max_entries=256)
def load_series(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, quarter: int | None
) -> pd.DataFrame:
    """:func:`kpi.reporting.attainment_report.indicator_series`, cached like :func:`load_report`."""
    return indicator_series(_con, year, key, quarter)


@st.cache_data(show_spinner=False, max_entries=256)
def load_figure_history(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, subject: str | None
) -> pd.DataFrame:
    """:func:`kpi.storage.figures.figure_history`, cached like :func:`load_report`."""
    from kpi.storage.figures import figure_history

    return figure_history(_con, year, key, subject)


@st.cache_data(show_spinner=False, max_entries=256)
def load_unit_figures(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, quarter: int | None
) -> pd.DataFrame:
    """:func:`kpi.reporting.attainment_report.unit_figures`, cached like :func:`load_report`."""
    from kpi.reporting.attainment_report import unit_figures

    return unit_figures(_con, year, key, quarter)


@st.cache_data(show_spinner=False, max_entries=256)
def load_projection(_con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, quarter: int | None):
    """:func:`kpi.reporting.projection.indicator_projection` (projection, last year's path), cached."""
    from kpi.reporting.projection import indicator_projection

    return indicator_projection(_con, year, key, quarter)


@st.cache_data(show_spinner=False, max_entries=64)
def load_last_year(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> dict:
    """:func:`kpi.reporting.projection.same_period_last_year`, cached."""
    from kpi.reporting.projection import same_period_last_year

    return same_period_last_year(_con, year, quarter)


@st.cache_resource(show_spinner=False, max_entries=256)
def load_indicator_figure(
    _con: duckdb.DuckDBPyConnection,
    version: int,
    year: int,
    quarter: int | None,
    key: str,
    narrow: bool,
    width: int | None = None,
):
    """An indicator's chart (:func:`kpi.output.export.indicator_figure`), built once per data
    version, year, period, key and screen (``width``: a wide chart's px, :func:`appkit.widgets.chart_width`): building a plotly figure costs ≈ 30 ms of CPU
    (validation), ten of them were 73 % of the Xã hội page's run (bench/run.py, issue 17).

    ``cache_resource``, not ``cache_data``: unpickling a figure validates it again; the figure is
    shared by every session and only read (``st.plotly_chart`` serialises it).

    :returns: ``(figure, projection, last_year)`` — the projection and last year's path are also
        written under the chart.
    """
    from kpi.output.export import indicator_figure

    rep = load_report(_con, version, year, quarter)
    ind = rep.catalogue[key]
    series = load_series(_con, version, year, key, rep.as_of)
    projection, last_year = None, {}
    if ind.counted_from == "reports":
        projection, last_year = load_projection(_con, version, year, key, rep.as_of)
    figure = indicator_figure(rep, key, series, projection, last_year, narrow=narrow, width=width)
    return figure, projection, last_year


@st.cache_resource(show_spinner=False, max_entries=64)
def load_group_figure(
    _con: duckdb.DuckDBPyConnection,
    version: int,
    year: int,
    quarter: int | None,
    group: str,
    narrow: bool,
    width: int | None = None,
):
    """A group's chart (:func:`kpi.output.export.group_figure`), cached like :func:`load_indicator_figure`."""
    from kpi.output.export import group_figure

    return group_figure(load_report(_con, version, year, quarter), group, narrow, width=width)


@st.cache_resource(show_spinner=False, max_entries=16)
def load_awards_figure(
    _con: duckdb.DuckDBPyConnection,
    version: int,
    year: int,
    quarter: int | None,
    narrow: bool,
    width: int | None = None,
):
    """The award counts' chart (:func:`kpi.output.export.awards_figure`), cached like
    :func:`load_indicator_figure` (building it was a third of the Thi đua page's run, issue 17)."""
    from kpi.output.export import awards_figure

    return awards_figure(load_report(_con, version, year, quarter), narrow, width=width)


@st.cache_data(show_spinner=False, max_entries=32)
def load_registration_status(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None):
    """:func:`kpi.reporting.registration.registration_blocks` of the report of ``year`` as of
    ``quarter`` (whether a registration list is loaded, each block's units), cached per data version.

    :returns: :class:`kpi.reporting.registration.RegistrationBlocks`."""
    from kpi.reporting.registration import registration_blocks

    return registration_blocks(_con, load_report(_con, version, year, quarter))


@st.cache_data(show_spinner=False, max_entries=16)
def load_award_rows(_con: duckdb.DuckDBPyConnection, version: int) -> pd.DataFrame:
    """The honour roll (:func:`kpi.storage.awards.award_rows`, every year), cached per data version."""
    from kpi.storage.awards import award_rows

    return award_rows(_con, None)


@st.cache_data(show_spinner=False, max_entries=64)
def load_award_doubts(
    _con: duckdb.DuckDBPyConnection, version: int, names: tuple[str, ...], chosen: tuple[str, ...] = ()
) -> str:
    """What the honour roll's filter says of the awards ``names`` on screen that may be one, those
    naming one of the ``chosen`` awards when some are (:func:`kpi.reading.registers.roll_doubts`
    of the roll's naming, :func:`kpi.storage.awards.roll_naming`), cached per data version."""
    from kpi.reading.registers import roll_doubts
    from kpi.storage.awards import roll_naming

    return roll_doubts(roll_naming(_con), names, chosen)


@st.cache_data(show_spinner=False, max_entries=64)
def load_summary_html(
    _con: duckdb.DuckDBPyConnection,
    version: int,
    year: int,
    quarter: int | None,
    keys: tuple[str, ...] | None = None,
    last_year: bool = False,
) -> str:
    """The summary table of the report (:func:`appkit.text.summary_html`) — of ``keys`` only when
    given, with last year's column when ``last_year`` and known — built once per data version."""
    rep = load_report(_con, version, year, quarter)
    before = load_last_year(_con, version, year, rep.as_of) if last_year else None
    return summary_html(summary_table(rep, list(keys) if keys is not None else None, last_year=before or None))


def report(ctx: Context) -> Report:
    return load_report(ctx.con, ctx.version, ctx.year, ctx.quarter)


def app_title(con: duckdb.DuckDBPyConnection) -> str:
    """The browser tab's title: "Chỉ tiêu thi đua — <authority of the latest plan>" (data, not code)."""
    years = plan_years_in_db(con)
    if not years:
        return "Chỉ tiêu thi đua"
    from kpi.plans.source import plan_meta

    authority = plan_meta(con, max(years)).get("authority") or ""
    return f"Chỉ tiêu thi đua — {authority}" if authority else "Chỉ tiêu thi đua"


@st.cache_data(show_spinner=False, max_entries=32)
def load_annex_rows(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> pd.DataFrame:
    """:func:`kpi.output.annex.annex_rows` of the report as of ``quarter``, cached like :func:`load_report`."""
    from kpi.output.annex import annex_rows

    return annex_rows(_con, attainment_report(_con, year, quarter))


@st.cache_data(show_spinner=False, max_entries=16)
def load_group_pngs(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> dict[str, bytes]:
    """Every group's chart as PNG (:mod:`kpi.output.render`), keyed by group, for the print view.

    :raises kpi.errors.RenderUnavailable, kpi.errors.RenderFailed: see :func:`kpi.output.render.pngs`.
    """
    from kpi.output import render
    from kpi.output.export import group_figure

    rep = attainment_report(_con, year, quarter)
    groups = [g for g in GROUP_LABELS if (rep.table["group"] == g).any()]
    figures = [group_figure(rep, g) for g in groups]
    # Streamlit sends an image at most 1,460 px wide and resizes a wider one on every run (≈ 0,1 s
    # of the server's CPU each): drawn at 900 × 1,6 = 1,440 px it is sent as drawn
    return dict(zip(groups, render.pngs(figures, width=render.PRINT_WIDTH_PX, scale=1.6), strict=True))


@st.cache_data(show_spinner=False, max_entries=32)
def overview_cards(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> list:
    """The overview's cards as ``[(group, [markdown of each card])]`` in the plan's order, built
    once per data version: one Markdown element per card (name, figure, target and %, status
    word and the figure's period in words, "Quý III/2024") keeps a rerun's element count, and its time, low."""
    rep = load_report(_con, version, year, quarter)
    out = []
    for group in GROUP_LABELS:
        rows = rep.table[rep.table["group"] == group].to_dict("records")
        cards = [
            f"**{md(row['name'])}**\n\n#### {md(figure_text(row))}\n\n"
            # a no-break space before "%": a narrow card (1366 px, four a row) wrapped "99,73 / %"
            f"Kế hoạch: {md(target_text(row))} · {md(pct_text(row))}  \n".replace(" %", "\u00a0%")
            + status_badge(row["status"])
            + (f" · {md(figure_period(row, rep.year))}" if figure_period(row, rep.year) else "")
            for row in rows
        ]
        if cards:
            out.append((group, cards))
    return out
