"""Meeting output: every chart as a figure or a PNG, the annex table (.xlsx) and the deck (.pptx).

The pages and the command line (``python -m kpi export|chart``) call the same functions, so a
picture downloaded from a page, one written by the command line and one pasted in the deck are
the same figure with the same figures (design.md, "Meeting output"; issue 6).

Chart keys (:func:`chart_keys`): an indicator key of the year's plan (``CT01`` … ``TD09``: the
indicator through the year against its target), a group (``economic``, ``social``,
``environment``, ``awards``: the group's indicators as % of plan) or ``khen-thuong`` (award counts
against their targets).
"""

from __future__ import annotations

import io
import zipfile

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kpi.domain.plan import GROUPS
from kpi.domain.rules import award_count_keys
from kpi.errors import NotFound
from kpi.file_names import slug
from kpi.output import render
from kpi.output.charts import add_projection, awards_chart, group_chart, indicator_chart, wrap
from kpi.reporting.attainment_report import (
    Report,
    attainment_report,
    figure_period_text,
    indicator_series,
    judged_period_words,
)
from kpi.reporting.projection import indicator_projection
from kpi.words import GROUP_LABELS

__all__ = [
    "AWARDS_CHART",
    "chart_keys",
    "chart_file_name",
    "source_line",
    "indicator_figure",
    "group_figure",
    "awards_figure",
    "group_period",
    "AWARD_PERIOD",
    "awards_source",
    "chart_figure",
    "chart_png",
    "page_charts",
    "page_pngs",
    "page_zip_name",
    "annex_file_name",
    "deck_file_name",
]

#: The key of the award-count chart (the awards page's chart).
AWARDS_CHART = "khen-thuong"


def _period_slug(report: Report) -> str:
    """ "2024-Q3", or "2024" before any report is loaded."""
    return f"{report.year}-Q{report.as_of}" if report.as_of else str(report.year)


#: The word of a page that is not a group (a group's is its label's slug, :func:`_file_word`).
_PAGE_WORDS = {"overview": "tong-quan"}


def _file_word(key: str) -> str:
    """The word a clerk sees in a file name for a chart key or a page: an indicator key as it is
    ("CT01"), a group by its Vietnamese label without diacritics ("economic" → "kinh-te",
    "awards" → "thi-dua-khen-thuong", as the pages' links), "overview" → "tong-quan"."""
    if key in GROUP_LABELS:
        return slug(GROUP_LABELS[key])
    return _PAGE_WORDS.get(key, key)


def chart_file_name(key: str, report: Report) -> str:
    """A chart's file name without extension, of its key and the as-of period: "CT01_2024-Q3",
    "kinh-te_2024-Q3" for the group chart of ``economic``."""
    return f"{_file_word(key)}_{_period_slug(report)}"


def annex_file_name(report: Report) -> str:
    """ "phu-luc-chi-tieu_2024-Q3.xlsx"."""
    return f"phu-luc-chi-tieu_{_period_slug(report)}.xlsx"


def deck_file_name(report: Report) -> str:
    """ "trinh-chieu-chi-tieu_2024-Q3.pptx"."""
    return f"trinh-chieu-chi-tieu_{_period_slug(report)}.pptx"


def chart_keys(report: Report) -> list[str]:
    """Every chart key of the report's plan: indicator keys, then groups, then ``khen-thuong``."""
    return [*report.table["key"], *[g for g in GROUPS if (report.table["group"] == g).any()], AWARDS_CHART]


def _date(value) -> str:
    return f"{pd.Timestamp(value):%d/%m/%Y}" if value is not None and not pd.isna(value) else ""


def source_line(row: dict) -> str:
    """The source line under an indicator's chart: "Nguồn: bao-cao-9-thang-2024.ods, trang
    «Quy III», ô F9, cập nhật 20/11/2024" (design.md: "Nguồn: báo cáo …, cập nhật dd/mm/yyyy")."""
    text = f"Nguồn: {row['source']}" if row.get("source") else "Nguồn: chưa có báo cáo"
    when = _date(row.get("uploaded_at"))
    return f"{text}, cập nhật {when}" if when else text


def _group_source(report: Report, rows: pd.DataFrame) -> str:
    files = sorted({f for name in rows["file_name"].dropna() for f in str(name).split("; ") if f})
    text = "Nguồn: " + ("; ".join(files) if files else "chưa có báo cáo")
    when = _date(report.data_as_of)
    return f"{text}, cập nhật {when}" if when else text


def _row(report: Report, key: str) -> dict:
    table = report.table.set_index("key")
    if key not in table.index:
        raise NotFound(f"Không có chỉ tiêu «{key}» trong kế hoạch năm {report.year}.")
    row = table.loc[key].to_dict()
    row["key"] = key
    return row


def indicator_figure(
    report: Report,
    key: str,
    series: pd.DataFrame,
    projection=None,
    last_year: dict | None = None,
    narrow: bool = False,
    width: int | None = None,
) -> go.Figure:
    """One indicator's chart (:func:`kpi.output.charts.indicator_chart`) with its source line and,
    when given, the year-end projection and last year's path (:func:`kpi.output.charts.add_projection`),
    so the picture taken to a meeting is the chart on screen.

    An indicator not read from reports (awards, registrations) is drawn as its bar against the
    target (:func:`kpi.output.charts.awards_chart`), as it has no path through the year.

    :param series: :func:`kpi.reporting.attainment_report.indicator_series` of ``key`` as of ``report.as_of``.
    :param projection: :class:`kpi.reporting.projection.Projection` or ``None``.
    :param last_year: ``{quarter: value}`` of last year (:func:`kpi.reporting.projection.last_year_path`).
    :param narrow: drawn for a phone's width (:mod:`kpi.output.charts`).
    :param width: a wide chart's width (px) as the page measured it (texts wrapped to it), else ``None``.
    :raises NotFound: ``key`` is not in the plan.
    """
    row = _row(report, key)
    ind = report.catalogue[key]
    if ind.counted_from != "reports":
        rows = report.table[report.table["key"] == key]
        if ind.counted_from == "awards":
            source = awards_source(report)
        elif not report.registration_lists:
            source = f"Nguồn: chưa nạp danh sách đăng ký thi đua năm {report.year}"
        else:
            source = source_line(row)
        return awards_chart(
            rows,
            report.year,
            AWARD_PERIOD.format(year=report.year) if ind.counted_from == "awards" else report.period_text,
            source=source,
            title=f"{wrap(ind.name, 70)} ({ind.unit})",
            narrow=narrow,
            width=width,
        )
    period = figure_period_text(ind.over_year, report.year, report.as_of, row)
    fig = indicator_chart(ind, series, row, period, source_line(row), narrow=narrow, width=width)
    if projection is not None or last_year:
        add_projection(fig, ind, projection, last_year, narrow=narrow)
    return fig


def group_figure(
    report: Report, group: str, narrow: bool = False, slide: bool = False, font: int = 14, width: int | None = None
) -> go.Figure:
    """A group's chart: its indicators as % of plan (:func:`kpi.output.charts.group_chart`); ``narrow``
    for a phone, ``slide`` for the deck (no title inside), ``font`` its smallest type on a slide,
    ``width`` a wide chart's width (px) as the page measured it."""
    rows = report.table[report.table["group"] == group]
    source = _group_source(report, rows)
    period = group_period(report, group)
    return group_chart(rows, group, period, source=source, narrow=narrow, slide=slide, font=font, width=width)


#: The period of award counts: the year of the achievements, whatever quarter the page is at
#: (black-box: «Quý III/2024 – lũy kế 9 tháng» over counts the cards judge «Năm 2024»).
AWARD_PERIOD = "Năm {year} (theo năm thành tích)"
#: What a group's indicator other than an award count is, by ``counted_from`` (:func:`group_period`).
_OTHER_WORDS = {"registrations": "đăng ký thi đua"}


def group_period(report: Report, group: str) -> str:
    """The period a group's chart, slide and page name: the report's ("Quý III/2024 – lũy kế 9
    tháng"); for a group of award counts the year of the achievements (:data:`AWARD_PERIOD`, "Năm
    2024 (theo năm thành tích)"), and when the group also judges another figure (the registration
    share, of the quarter) its period in the brackets: "Năm 2024 (khen thưởng theo năm thành tích;
    đăng ký thi đua: Quý III/2024)". The print view's award chart said «Quý III/2024 – lũy kế 9
    tháng» over the awards of «Năm 2024» (black-box finding)."""
    rows = report.table[report.table["group"] == group]
    counts = rows["key"].isin(award_count_keys(report.catalogue))
    if not counts.any():
        return report.period_text
    others = {}
    for row in rows[~counts].to_dict("records"):
        if period := judged_period_words(row, report.year):
            kind = _OTHER_WORDS.get(report.catalogue[row["key"]].counted_from, "chỉ tiêu khác")
            others.setdefault(kind, []).append(period)
    if not others:
        return AWARD_PERIOD.format(year=report.year)
    said = "; ".join(f"{kind}: {', '.join(dict.fromkeys(periods))}" for kind, periods in others.items())
    return f"Năm {report.year} (khen thưởng theo năm thành tích; {said})"


#: How a foot line says that some figure shown is an estimate (the figures carry «(ước)»).
ESTIMATES_NOTE = "có số liệu ước (ghi «(ước)»)"


def foot_line(report: Report, estimates: bool, period: str | None = None, *, caption: bool = False) -> str:
    """The line under a slide, a presentation screen or a page's title: the authority, the period
    (``period``: a group's own, :func:`group_period`; else the report's), the data's date, and
    :data:`ESTIMATES_NOTE` when ``estimates`` (a figure shown is an estimate). ``caption``: a
    page's caption under its title (which names the authority): «Kỳ: …», the time too.

    Example: "UBND huyện Tam Nông · Quý III/2024 – lũy kế 9 tháng · số liệu cập nhật 20/11/2026 ·
    có số liệu ước (ghi «(ước)»)"; caption "Kỳ: Quý III/2024 – lũy kế 9 tháng · số liệu cập nhật
    20/11/2026 10:05"."""
    period = period or report.period_text
    parts = [f"Kỳ: {period}"] if caption else [str(report.catalogue.meta.get("authority") or ""), period]
    if report.data_as_of is not None and not pd.isna(report.data_as_of):
        parts.append(
            f"số liệu cập nhật {pd.Timestamp(report.data_as_of):{'%d/%m/%Y %H:%M' if caption else '%d/%m/%Y'}}"
        )
    if estimates:
        parts.append(ESTIMATES_NOTE)
    return " · ".join(p for p in parts if p)


def awards_figure(report: Report, narrow: bool = False, slide: bool = False, width: int | None = None) -> go.Figure:
    """Award counts against their targets (:func:`kpi.output.charts.awards_chart`): the awards group's
    indicators counted in units (TD02 …), not the registration share; its source line
    (:func:`awards_source`) names only the award lists loaded."""
    table = report.table
    rows = table[table["key"].isin(award_count_keys(report.catalogue))]
    period = AWARD_PERIOD.format(year=report.year)
    return awards_chart(
        rows, report.year, period=period, source=awards_source(report), narrow=narrow, slide=slide, width=width
    )


def awards_source(report: Report) -> str:
    """The awards chart's source line: the award lists of the year in use, by file name, with the
    counting rule — or that none is loaded (black-box finding: "Nguồn: danh sách khen thưởng đã nạp"
    stood under a chart of targets when no list was loaded)."""
    if not report.award_lists:
        return f"Nguồn: chưa nạp danh sách khen thưởng thành tích năm {report.year} (mới có kế hoạch)"
    files = "; ".join(report.award_lists)
    return f"Nguồn: {files} (mỗi quyết định – người/tập thể – danh hiệu tính một lần)"


def chart_figure(con: duckdb.DuckDBPyConnection, report: Report, key: str) -> go.Figure:
    """The figure of any chart key (see the module docstring).

    :raises NotFound: an unknown key, with the keys that exist.
    """
    if key in GROUPS:
        return group_figure(report, key)
    if key == AWARDS_CHART:
        return awards_figure(report)
    if key not in set(report.table["key"]):
        raise NotFound(
            f"Không có biểu đồ «{key}». Hãy dùng mã chỉ tiêu ({report.table['key'].iloc[0]} … "
            f"{report.table['key'].iloc[-1]}), tên nhóm ({', '.join(GROUPS)}) hoặc {AWARDS_CHART}."
        )
    series = indicator_series(con, report.year, key, report.as_of, report.subject, report.catalogue)
    projection, last_year = None, None
    if report.catalogue[key].counted_from == "reports":
        projection, last_year = indicator_projection(con, report.year, key, report.as_of, report.subject)
    return indicator_figure(report, key, series, projection, last_year)


def chart_png(con: duckdb.DuckDBPyConnection, year: int, key: str, quarter: int | None = None) -> bytes:
    """One chart as PNG bytes, 2560 px wide (:mod:`kpi.output.render`), as of ``quarter`` (default:
    the latest quarter with a report).

    :raises NotFound: no plan for ``year`` or an unknown key.
    :raises RenderUnavailable: no browser or no Vietnamese font on this machine.
    :raises RenderFailed: the picture took longer than the time limit.
    """
    render.check()
    report = attainment_report(con, year, quarter)
    return render.png(chart_figure(con, report, key))


def page_charts(report: Report, page: str) -> list[str]:
    """The chart keys a page shows, in its order: a group page (``economic``, ``social``,
    ``environment``) shows its group chart then each indicator; ``awards`` the award counts;
    ``overview`` every group chart."""
    if page == "overview":
        return [g for g in GROUPS if (report.table["group"] == g).any()]
    if page == "awards":
        return [AWARDS_CHART]
    if page not in GROUPS:
        raise NotFound(f"Không có trang «{page}».")
    return [page, *report.table.loc[report.table["group"] == page, "key"]]


def page_pngs(con: duckdb.DuckDBPyConnection, year: int, page: str, quarter: int | None = None) -> bytes:
    """Every chart of a page as PNG files in one .zip, each named by :func:`chart_file_name`.

    :raises NotFound, RenderUnavailable, RenderFailed: as :func:`chart_png`.
    """
    render.check()
    report = attainment_report(con, year, quarter)
    keys = page_charts(report, page)
    images = render.pngs([chart_figure(con, report, k) for k in keys])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for key, data in zip(keys, images, strict=True):
            zf.writestr(chart_file_name(key, report) + ".png", data)
    return out.getvalue()


def page_zip_name(report: Report, page: str) -> str:
    """The .zip of a page's charts (:func:`page_pngs`), named with the words of its charts'
    files: "bieu-do_kinh-te_2024-Q3.zip" for ``economic``, "bieu-do_tong-quan_2024-Q3.zip"."""
    return f"bieu-do_{_file_word(page)}_{_period_slug(report)}.zip"
