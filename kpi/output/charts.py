"""Charts as plotly ``graph_objects`` figures (never plotly.express: 3× slower warm reruns here).

Every chart is meeting-grade (design.md, "Meeting output"): a Vietnamese title with unit and
period, the target line or band on the chart and labelled with its value, vi-VN numbers
(``separators=",."``), the status as a **word** beside its colour, a source line, long
Vietnamese names wrapped rather than clipped, and line styles and markers that still tell the
series apart on a projector or a greyscale print. Builders return figures; only pages call
``st.plotly_chart``.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from kpi.domain.plan import Indicator
from kpi.domain.rules import figure_mark, year_is_in
from kpi.output.chart_axes import fit_y
from kpi.reporting.attainment_report import indicator_period_text, judged_period_words
from kpi.reporting.projection import current_year_estimate
from kpi.vn import figure_decimals, format_figure, format_number, format_pct
from kpi.words import ESTIMATE_MARK, GROUP_LABELS, QUARTER_LABELS, STATUS_COLORS, STATUS_LABELS

__all__ = [
    "indicator_chart",
    "add_projection",
    "awards_chart",
    "group_chart",
    "ranking_chart",
    "wrap",
    "nothing_to_draw",
    "FONT",
    "STATUS_PATTERNS",
    "plotly_config",
    "SLIDE_WIDTH_PX",
    "SLIDE_MIN_FONT_PX",
    "figure_fonts",
    "text_px",
    "LABEL_OFFSET_PX",
    "marks_note",
    "WIDE_CHART_MIN_PX",
]

#: A font stack with full Vietnamese coverage (Noto Sans / DejaVu Sans are installed by .ci/run).
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
_INK = "#1f2933"
_TARGET = "#4b5563"
_QUARTERS = list(QUARTER_LABELS)
#: The units' ranked bars: the status palette's blue, one colour for all (a unit's figure is not judged).
_UNIT_BAR = STATUS_COLORS["exceeded"]
#: Margins (px) above and under the plot of the bar charts: title and subtitle; axis title and source.
_TOP, _BOTTOM = 100, 110
#: The letters of a subtitle's line on a wide chart (15-px type): 96 × 15 × 0,56 ≈ 810 px fits the
#: narrowest wide chart, the print view's (:data:`kpi.output.render.PRINT_WIDTH_PX`, 900 px) and a
#: group page's at 1366 px beside the sidebar (≈ 870 px). Unwrapped, the awards group's subtitle (its
#: period, the dotted mark and the range's diamond: ≈ 170 letters) ran off the print view's picture at
#: «◆ chỉ tiêu là một kh…» (black-box finding, issue 14).
SUBTITLE_LETTERS = 96
#: The narrowest wide chart (px) its texts are made to fit: the subtitle's lines
#: (:data:`SUBTITLE_LETTERS`) and a group chart's labels past its bars (:func:`_fit_labels`); the
#: print view's (900 px) and a group page's at 1366 px (906 px) are a little wider.
WIDE_CHART_MIN_PX = 810
#: The narrowest phone's chart (px): a 360-px phone's screen less the page's margins (at 390 px the
#: chart is 358 px wide). A phone's group chart's labels are made to fit it: a range's «8 (KH 45–55)»
#: ran past its right edge in the print view at 390 px (black-box finding).
PHONE_CHART_MIN_PX = 328
#: The width of a letter (em) a line of a wide chart's title or names is wrapped at when the chart's
#: width is known: its Vietnamese text measured ≈ 0,39–0,42 em a letter in the 19-px bold titles and
#: 0,46 in a 15-px subtitle with its figures (screenshots at 1366 and 1920 px); a little over that,
#: so a line of wider letters still fits.
_WRAP_EM, _WRAP_EM_BOLD = 0.5, 0.48


def letters(width: int, size: float, bold: bool = False, margins: int = 40) -> int:
    """How many letters a line of ``size``-px type holds across a chart ``width`` px wide, less
    ``margins`` px. Black-box (round 10): titles, subtitles and the group charts' names wrapped
    at ≈ 600 px on charts 1000–1600 px wide («…khu dân cư / tập trung (%)»)."""
    return max(20, int((width - margins) / (size * (_WRAP_EM_BOLD if bold else _WRAP_EM))))


def wrap(text: str, width: int = 42) -> str:
    """Wrap a long Vietnamese name over lines (plotly's ``<br>``) instead of clipping it: lines of at
    most ``width`` characters (a longer word stays whole), cut between words, never at a word's hyphen.

    No widow: when the last line would be one word under a line of two or more, that line's last
    word moves down, if the last line then still fits ``width``. Vietnamese writes a word in
    syllables, so a lone last syllable splits a word: «bảo hiểm y / tế», «đăng ký thi / đua», «cấp /
    tỉnh» become «bảo hiểm / y tế», «đăng ký / thi đua», «… / cấp tỉnh» (black-box finding)."""
    # never inside a hyphenated word: a file name «bao-cao-9-thang-2024.ods» was cut «bao- / cao-9-…»
    # in a phone's source line (black-box, round 10); lines break between words, «; » between files
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    if len(lines) >= 2 and len(lines[-1].split()) == 1 and len(lines[-2].split()) >= 2:
        rest, word = lines[-2].rsplit(maxsplit=1)
        if len(f"{word} {lines[-1]}") <= width:
            lines[-2:] = [rest, f"{word} {lines[-1]}"]
    return "<br>".join(lines) or text


#: Fill patterns by status, so bars stay apart in a greyscale print where the three dark status
#: colours (Vượt, Đạt, Không đạt) look alike; the status word is always written beside them too.
STATUS_PATTERNS = {
    "exceeded": "+",
    "met": "",
    "not_met": "x",
    "on_track": "",
    "behind": "/",
    "not_due": ".",
    "no_data": "",
}


def _lines(text: str) -> int:
    return text.count("<br>") + 1


def _layout(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    height: int,
    bottom: int = 120,
    narrow: bool = False,
    width: int | None = None,
) -> go.Figure:
    """Title, subtitle, vi-VN separators, fonts and the source line under the plot.

    The top margin grows with the title's and the subtitle's lines (a long name is wrapped, never
    clipped; a subtitle at :data:`SUBTITLE_LETTERS` letters a line); the source line sits ``bottom - 26`` px under the plot, inside the bottom margin. ``narrow`` (a
    phone, ≈ 360 px): title, subtitle and source wrapped short, smaller type, the title below the
    chart toolbar's row so the toolbar never covers it. ``width``: a wide chart's width in px as the
    page measured it (:func:`letters`), its title and subtitle wrapped to it instead of to the
    narrowest wide chart."""
    if narrow:
        title = "<br>".join(wrap(part.replace("<br>", " "), 34) for part in [title])
        subtitle = wrap(subtitle.replace("<br>", " "), 46)
        source = wrap(source, 42) if source else source
    elif width:
        title = wrap(title.replace("<br>", " "), letters(width, 19, bold=True))
        subtitle = "<br>".join(wrap(line, letters(width, 15)) for line in subtitle.split("<br>"))
    else:
        subtitle = "<br>".join(wrap(line, SUBTITLE_LETTERS) for line in subtitle.split("<br>"))
    below_toolbar = 34 if narrow else 0
    extra = 24 * (_lines(title) - 1) + 18 * (_lines(subtitle) - 1) + below_toolbar
    foot = 16 * (_lines(source) - 1) if source else 0
    bottom += foot
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 13 if narrow else 15}},
            "x": 0.01,
            "xanchor": "left",
            "y": 1 - (18 + below_toolbar) / (height + extra + foot),
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 17 if narrow else 19, "color": _INK},
        },
        separators=",.",
        font={"family": FONT, "size": 13 if narrow else 14, "color": _INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height + extra + foot,
        margin={"l": 70, "r": 30, "t": 100 + extra, "b": bottom},
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0, "font": {"size": 13}},
        hoverlabel={"font": {"family": FONT}},
    )
    # figures in full with the separators, never SI's «20k / 140k» (English; round 11, the units'
    # ranking of a town's 152.300): a numeric axis's ticks are «20.000 … 140.000»
    fig.update_xaxes(
        showgrid=False,
        linecolor="#9aa5b1",
        tickfont={"size": 13 if narrow else 14},
        tickangle=0,
        exponentformat="none",
        separatethousands=True,
    )
    fig.update_yaxes(
        gridcolor="#e4e7eb", zerolinecolor="#9aa5b1", tickformat=",~r", exponentformat="none", separatethousands=True
    )
    if source:
        fig.add_annotation(
            text=source,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-(bottom - 26 - foot),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"size": 12, "color": "#52606d"},
            align="left",
        )
    return fig


def _status_text(row: dict) -> str:
    words = STATUS_LABELS.get(row.get("status", ""), "")
    pct = row.get("attainment_pct")
    if pct is not None and not pd.isna(pct):
        return f"Đánh giá: <b>{words}</b> — {format_pct(pct)} so với kế hoạch"
    return f"Đánh giá: <b>{words}</b>"


def _target_label(ind: Indicator) -> str:
    if ind.direction == "range":
        return f"Kế hoạch: {format_number(ind.lo)}–{format_number(ind.hi)} {ind.unit}"
    word = {">=": "tối thiểu", "<=": "tối đa", "decrease_by": "giảm"}.get(ind.direction, "")
    return f"Kế hoạch năm ({word}): {format_number(ind.target)} {ind.unit}"


def _finite(values) -> list[float]:
    return [float(v) for v in values if v is not None and not pd.isna(v)]


def _year_is_in(series: pd.DataFrame) -> bool:
    """The year's own figure is in: Quý IV has an actual (not an estimate, not preliminary).
    Then the year-end estimates made earlier are history, not drawn beside it (issue 14)."""
    q4 = series[(series["quarter"] == 4) & series["value"].notna()]
    vintages = q4["vintage"] if "vintage" in q4 else [None] * len(q4)
    return not q4.empty and all(year_is_in(4, b, v) for b, v in zip(q4["basis"], vintages, strict=True))


def nothing_to_draw(ind: Indicator, series: pd.DataFrame, row: dict) -> str | None:
    """The one line of text that replaces an indicator's chart when it has no in-year figure
    (a tall chart with nothing on it says less than a sentence; issue 14), else ``None``.

    "Chưa có số liệu thực hiện trong năm; đánh giá theo số ước cả năm, báo cáo 6 tháng: 125,0 triệu đồng/ha (ước)."
    or "Chưa có số liệu thực hiện trong năm." — never the status word: the line is shown beside it
    (:func:`appkit.widgets.indicator_block`'s badge; black-box: «Chưa đến kỳ đánh giá … (Chưa đến kỳ
    đánh giá)», «Chậm tiến độ … — Chậm tiến độ.»).

    :param series: :func:`kpi.reporting.attainment_report.indicator_series` (for an indicator read from reports);
        for awards and registrations the row's ``actual`` decides.
    """
    if ind.counted_from != "reports":
        actual = row.get("actual")
        if actual is not None and not pd.isna(actual):
            return None
    elif series["value"].notna().any():
        return None
    actual = row.get("actual")
    if row.get("basis") == "estimate" and actual is not None and not pd.isna(actual):
        figure = format_figure(actual, ind.unit, ind.decimals, row.get("shown_decimals"))
        said = judged_period_words(row, 0) if row.get("kind") == "year_estimate" else "ước cả năm"
        return f"Chưa có số liệu thực hiện trong năm; đánh giá theo số {said}: {figure} {ind.unit} (ước)."
    return "Chưa có số liệu thực hiện trong năm."


#: How far (in categories) a phone's indicator chart's x axis runs past its first and last ticks.
_X_END_NARROW = 0.2
#: The plot's own height (px) in an indicator chart, between its title and its foot.
_PLOT_PX, _PLOT_PX_NARROW = 290, 250


def indicator_chart(
    ind: Indicator,
    series: pd.DataFrame,
    row: dict,
    period: str,
    source: str,
    narrow: bool = False,
    width: int | None = None,
) -> go.Figure:
    """One indicator through the year against its target.

    A ``flow`` is drawn as its cumulative year to date per quarter against the pro-rata line
    (target × q/4) that ends on the year's target; a ``level`` as its quarterly path against the
    target line (a band for a range), on an axis fitted to the figures (not from zero, so a 92,8 →
    94,1 % path is visible). Estimates are hollow markers. The year-end estimate, when known, is a
    diamond at Quý IV — until the year's own figure is in (then the estimates made before it are
    not drawn). The four quarters are always on the axis.

    Nothing is written over the plot, where labels collided with the lines and with each other
    (issue 14): each quarter's figure is written under its tick ("Quý II / 1.426,0 (ước)"), and
    the target, the pro-rata figure of the as-of quarter, the year-end estimate and (see
    :func:`add_projection`) the projection are named with their values in the legend below the
    plot, one entry a line, above the source line.

    :param series: :func:`kpi.reporting.attainment_report.indicator_series`.
    :param row: the indicator's row of :func:`kpi.reporting.attainment_report.attainment_report` (status, % …).
    :param period: "Quý III/2024 – lũy kế 9 tháng".
    :param source: "Nguồn: …" line.
    :param narrow: a phone's chart (≈ 360 px).
    :param width: a wide chart's width (px) as the page measured it: its title wrapped to it.
    """
    colour = STATUS_COLORS.get(row.get("status", ""), _INK)
    fig = go.Figure()
    x = _QUARTERS
    unit = ind.unit
    decimals = figure_decimals(unit, ind.decimals)
    flow = ind.over_year == "flow"
    categories = (["Đầu năm"] if flow else []) + x
    # An invisible trace holds every quarter on the axis even before any figure is known.
    fig.add_trace(
        go.Scatter(x=categories, y=[None] * len(categories), showlegend=False, hoverinfo="skip", mode="markers")
    )
    actual = series[series["value"].notna()]
    if flow:
        as_of = next((q for q in (4, 3, 2, 1) if q in set(actual["quarter"])), None)
        due = ""
        if as_of and as_of < 4:
            value = float(series.loc[series["quarter"] == as_of, "threshold"].iloc[0])
            due = f"; hết {x[as_of - 1]}: {format_number(value, decimals)}"
        fig.add_trace(
            go.Scatter(
                x=["Đầu năm", *x],
                y=[0, *series["threshold"].tolist()],
                name=f"Tiến độ kế hoạch (KH × quý/4{due})",
                mode="lines",
                line={"color": _TARGET, "dash": "dash", "width": 2},
                text=[
                    f"{q}: {format_figure(v, unit, decimals)} {unit}"
                    for q, v in zip(["Đầu năm", *x], [0, *series["threshold"].tolist()], strict=True)
                ],
                hovertemplate="%{text}<extra>tiến độ kế hoạch</extra>",
            )
        )
        name = "Lũy kế thực hiện"
    else:
        name = "Thực hiện (số tại thời điểm)"
    if ind.direction == "range":
        fig.add_hrect(
            y0=float(ind.lo), y1=float(ind.hi), fillcolor="#9aa5b1", opacity=0.25, line_width=0, layer="below"
        )
        fig.add_trace(  # the band's legend entry
            go.Scatter(
                x=[None],
                y=[None],
                name=_target_label(ind),
                mode="markers",
                marker={"symbol": "square", "size": 14, "color": "rgba(154,165,177,0.5)"},
            )
        )
    else:
        fig.add_hline(y=float(ind.threshold or 0), line={"color": _TARGET, "width": 2, "dash": "dot"})
        fig.add_trace(  # the target line's legend entry, with its value
            go.Scatter(
                x=[None],
                y=[None],
                name=_target_label(ind),
                mode="lines",
                line={"color": _TARGET, "width": 2, "dash": "dot"},
            )
        )
    estimate_mask = actual["basis"] == "estimate"
    vintages = actual["vintage"] if "vintage" in actual else actual["basis"]
    judged, judged_decimals = row.get("actual"), row.get("shown_decimals")
    figures, marks = {}, {}
    for q, v, b, g in zip(actual["quarter"], actual["value"], actual["basis"], vintages, strict=True):
        # the judged figure with the decimals that keep it from reading as its target (99,996)
        figures[x[int(q) - 1]] = format_figure(v, unit, ind.decimals, judged_decimals if v == judged else None)
        marks[x[int(q) - 1]] = figure_mark(b, g)
    labels = {tick: figures[tick] + marks[tick] for tick in figures}
    fig.add_trace(
        go.Scatter(
            x=[x[q - 1] for q in actual["quarter"]],
            y=actual["value"],
            name=name,
            mode="lines+markers",
            # "Quý II: 1.426,0 tỷ đồng (ước)": the mark after the unit, as every output writes it
            text=[f"{x[q - 1]}: {figures[x[q - 1]]} {unit}{marks[x[q - 1]]}" for q in actual["quarter"]],
            line={"color": colour, "width": 4},
            marker={
                "size": 13,
                "color": ["white" if e else colour for e in estimate_mask],
                "line": {"color": colour, "width": 3},
                "symbol": "circle",
            },
            hovertemplate="%{text}<extra></extra>",  # the figure as the page writes it, never %{x}'s tick
        )
    )
    last_estimate = None if _year_is_in(series) else current_year_estimate(series, ind.over_year)
    if last_estimate is not None:
        fig.add_trace(
            go.Scatter(
                x=["Quý IV"],
                y=[last_estimate],
                name=f"Ước cả năm: {format_figure(last_estimate, unit, ind.decimals)}",
                mode="markers",
                marker={"size": 14, "symbol": "diamond-open", "color": _INK, "line": {"width": 2}},
                text=[f"Ước cả năm: {format_figure(last_estimate, unit, ind.decimals)} {unit}"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    if actual.empty:  # (pages write one line instead, kpi.output.charts.nothing_to_draw; a PNG says it)
        fig.add_annotation(
            text="Chưa có số liệu thực hiện trong năm"
            + ("; đánh giá theo số ước cả năm" if last_estimate is not None else ""),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.95,
            showarrow=False,
            font={"size": 16, "color": "#52606d"},
            bgcolor="rgba(255,255,255,0.9)",
        )
    # Each quarter's figure under its tick: never on a line, never on another label.
    ticks = []
    for category in categories:
        head = "Đầu<br>năm" if category == "Đầu năm" and narrow else category
        figure = labels.get(category)
        if figure and narrow and " (" in figure:
            figure = figure.replace(" (", "<br>(")
        ticks.append(f"{head}<br><b>{figure}</b>" if figure else head)
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=categories,
        tickvals=categories,
        ticktext=ticks,
        # fixed: last year's axis (x2, add_projection) is laid on it; a phone's axis ends closer
        # to its first and last ticks, so its ticks are further apart: «1.426,0» and «2.438,3» were
        # 8 px apart at 390 px (black-box, round 10)
        range=[-_X_END_NARROW, len(categories) - 1 + _X_END_NARROW] if narrow else [-0.5, len(categories) - 0.5],
    )
    marks = _finite([*actual["value"], last_estimate, ind.threshold, ind.lo, ind.hi, ind.target])
    if flow or not marks:
        top = max(marks or [1.0])
        fig.update_yaxes(range=[0, top * 1.12])
    else:
        lo, hi = min(marks), max(marks)
        pad = max((hi - lo) * 0.25, abs(hi) * 0.01, 0.05)
        fig.update_yaxes(range=[max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad])
    fig.update_yaxes(title={"text": unit, "font": {"size": 13}})
    title = f"{wrap(ind.name, 70)} ({unit})"
    fig = _layout(fig, title, f"{period} · {_status_text(row)}", source, 400, narrow=narrow, width=width)
    fig.update_layout(margin={"l": 60 if narrow else 70, "r": 16 if narrow else 30})
    if narrow:  # the figures under the ticks a size smaller on a phone (with the shorter axis: ≥ 16 px apart)
        fig.layout.xaxis.tickfont.size = 12
    return _fit_y(_foot(fig, narrow), [], narrow)


def _foot(fig: go.Figure, narrow: bool) -> go.Figure:
    """Under an indicator chart's plot, from the top: the ticks with the figures, the legend (one
    entry a line), the source line — their heights summed so none covers another."""
    ticks = max(_lines(str(t)) for t in fig.layout.xaxis.ticktext or ["x"]) * 18 + 10
    legend = sum(22 + 17 * (_lines(t.name) - 1) for t in fig.data if t.showlegend is not False and t.name) + 6
    source = next((a for a in fig.layout.annotations if a.yref == "paper" and a.y == 0 and a.yshift), None)
    source_px = (16 * _lines(source.text) + 8) if source is not None else 0
    bottom = ticks + legend + source_px
    top = fig.layout.margin.t or 100
    height = top + (_PLOT_PX_NARROW if narrow else _PLOT_PX) + bottom
    plot = _PLOT_PX_NARROW if narrow else _PLOT_PX
    fig.update_layout(
        height=height,
        margin={"b": bottom},
        legend={
            "orientation": "v",
            "yref": "paper",
            "y": -ticks / plot,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "font": {"size": 13},
            "itemwidth": 30,
        },
    )
    if source is not None:
        source.yshift = -(ticks + legend)
    return fig


def add_projection(
    fig: go.Figure, ind: Indicator, projection, last_year: dict | None = None, narrow: bool = False
) -> go.Figure:
    """Draw onto an :func:`indicator_chart` the year-end projection and last year's path.

    The projection (:class:`kpi.reporting.projection.Projection`) is a dashed line from the last figure
    to Quý IV ending in an open marker; its legend entry names the projected figure, the verdict
    it implies ("Dự kiến đạt / không đạt") and the method. When it is the office's own year-end
    estimate (method ``reported``) it replaces the estimate's diamond: one entry "Ước cả năm (báo
    cáo): 3.350,0 — Dự kiến vượt", never the estimate beside a projection with another verdict. Last year's figures (``{quarter:
    value}``, :func:`kpi.reporting.projection.last_year_path`) are a thin grey dotted line "Cùng kỳ năm
    trước", broken at a quarter without a figure. Either may be missing (nothing is drawn for it).

    :returns: ``fig`` (changed in place).
    """
    if last_year:
        # every quarter on x, None where last year has no figure: the line breaks there (a line from
        # Quý II to Quý IV through Quý III drew a figure nobody reported; black-box finding)
        quarters = range(1, len(_QUARTERS) + 1)
        fig.add_trace(
            go.Scatter(
                x=_last_year_x(fig, narrow),
                xaxis="x2",
                y=[float(last_year[q]) if q in last_year else None for q in quarters],
                name="Cùng kỳ năm trước",
                mode="lines+markers",
                connectgaps=False,
                line={"color": "#9aa5b1", "width": 2, "dash": "dot"},
                marker={"size": 8, "symbol": "square", "color": "#9aa5b1"},
                text=[
                    f"{_QUARTERS[q - 1]} năm trước: {format_figure(last_year[q], ind.unit, ind.decimals)} {ind.unit}"
                    if q in last_year
                    else ""
                    for q in quarters
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    if projection is None or projection.value is None or not projection.path:
        return _fit_y(_foot(fig, narrow), [float(v) for v in (last_year or {}).values()], narrow)
    colour = STATUS_COLORS.get(projection.status or "", _INK)
    xs = [_QUARTERS[q - 1] for q, _v in projection.path]
    ys = [float(v) for _q, v in projection.path]
    label = f"{format_figure(projection.value, ind.unit, ind.decimals)} — {projection.verdict_text}"
    reported = projection.method == "reported"
    if reported:  # the office's own estimate is the projection: one entry, its diamond, its verdict
        fig.data = [t for t in fig.data if not str(t.name or "").startswith("Ước cả năm")]
        name = f"<b>{projection.reported_words}:{'<br>' if narrow else ' '}{label}</b>"
    else:
        method = projection.method_text if not narrow else ""
        name = f"<b>Dự kiến cả năm: {label}</b>" + (f"<br>({method})" if method else "")
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            name=name,
            mode="lines+markers",
            line={"color": colour, "width": 3, "dash": "dash"},
            marker={
                "size": [0] * (len(xs) - 1) + [14 if reported else 13],
                "symbol": "diamond-open" if reported else "circle-open",
                "color": colour,
                "line": {"width": 3},
            },
            # the line starts at the last reported figure: that point is the figure, not a projection
            # (it said "Quý III (dự kiến): 2.438,3" over the solid Quý III point; black-box finding)
            text=[
                f"{x}{'' if i == 0 else ' (dự kiến)'}: {format_figure(v, ind.unit, ind.decimals)} {ind.unit}"
                for i, (x, v) in enumerate(zip(xs, ys, strict=True))
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    # the projection's Quý IV end and last year's whole path inside the y range
    return _fit_y(_foot(fig, narrow), ys + [float(v) for v in (last_year or {}).values()], narrow)


def _fit_y(fig: go.Figure, values: list[float], narrow: bool) -> go.Figure:
    """Widen the y axis so that every one of ``values`` is drawn (a line in the legend whose
    points fall outside the plot was a line nobody sees; issue 14), each marker clear of the axis
    line, and tick it with one number of decimals (:func:`kpi.output.chart_axes.fit_y`)."""
    return fit_y(fig, values, _PLOT_PX_NARROW if narrow else _PLOT_PX, 5 if narrow else 7)


#: How far (in quarters) last year's markers sit left of their quarter's tick: its square beside,
#: never under, this year's circle at the same quarter (black-box: «Tổng vốn đầu tư» Quý II's grey
#: square was hidden under the open «(ước)» circle). ≥ 14 px apart on the narrowest chart of each
#: kind: a flow's five categories over ≈ 710 px (wide) or ≈ 250 px (a phone).
_LAST_YEAR_SHIFT, _LAST_YEAR_SHIFT_NARROW = 0.14, 0.3


def _last_year_x(fig: go.Figure, narrow: bool) -> list[float]:
    """Last year's x for each quarter, on a second, hidden x axis (``x2``) laid over the category
    axis (a category axis takes no position between its categories): the quarter's position less
    :data:`_LAST_YEAR_SHIFT`."""
    categories = list(fig.layout.xaxis.categoryarray)
    shift = _LAST_YEAR_SHIFT_NARROW if narrow else _LAST_YEAR_SHIFT
    fig.update_layout(
        xaxis2={"overlaying": "x", "range": list(fig.layout.xaxis.range), "visible": False, "fixedrange": True}
    )
    return [categories.index(q) - shift for q in _QUARTERS]


#: Row geometry of the bar charts (in y units, one unit = :data:`_ROW_PX` px): the bar, each line of
#: the name written above it, and the gap to the next row.
_ROW_PX = 46
_BAR, _NAME_LINE, _GAP = 0.52, 0.42, 0.3


def _row_names(records: list[dict], lead_with_status: bool) -> list[str]:
    """The rows' names; on a phone (``lead_with_status``) the status word, with «(ước)» as the
    desktop's label writes it, leads each name ("Chậm tiến độ (ước) · …")."""
    if not lead_with_status:
        return [r["name"] for r in records]
    return [f"{STATUS_LABELS.get(r['status'], '')}{figure_mark(r.get('basis'))} · {r['name']}" for r in records]


def _bar_rows(fig: go.Figure, names: list[str], narrow: bool, width: int | None = None) -> list[float]:
    """Lay out one row per name, the first at the top: the name (wrapped) left-aligned *above*
    its bar, so a long Vietnamese name never touches the axis nor is cut on a phone, and no line
    of the chart crosses it (every mark spans its own bar only). Returns each row's bar centre
    (y) and sets the y axis (hidden: the names are the labels). ``width``: a wide chart's width in
    px as the page measured it, the names wrapped to it (their line spans the plot, 16 px a side)."""
    width = 40 if narrow else letters(width, 14) if width else 64
    centres, top = [], 0.0
    for name in names:
        text = wrap(name, width)
        top -= _NAME_LINE * _lines(text)
        fig.add_annotation(
            text=text,
            xref="paper",
            x=0,
            y=top,
            yanchor="bottom",
            xanchor="left",
            showarrow=False,
            align="left",
            font={"size": 14, "color": _INK},
        )
        centres.append(top - 0.06 - _BAR / 2)
        top -= _BAR + 0.06 + _GAP
    fig.update_yaxes(visible=False, range=[top + _GAP / 2, 0.05], fixedrange=True)
    return centres


#: A slide's picture (kpi.output.deck): its width in CSS px, one row's height, the smallest type (px).
SLIDE_WIDTH_PX, _SLIDE_ROW_PX, SLIDE_MIN_FONT_PX = 880, 34, 14
#: A group slide's picture: at most as tall as the body under its key lines (four lines, one of them
#: wrapped: ≈ 4,75 in of the picture's 12,3 in, so ≈ 340 px at :data:`SLIDE_WIDTH_PX`), its rows as
#: tall as that allows up to :data:`_SLIDE_ROW_MAX_PX` (three rows took the top third of the body,
#: black-box finding); a row of :data:`_SLIDE_TWO_LINES_PX` or more holds a label on two lines.
SLIDE_BODY_PX, _SLIDE_ROW_MAX_PX, _SLIDE_TWO_LINES_PX = 340, 64, 40


def _slide_rows(
    fig: go.Figure, names: list[str], font: int = SLIDE_MIN_FONT_PX, row_px: int = _SLIDE_ROW_PX
) -> list[float]:
    """A slide's rows: the names as the y axis's labels on the left (a slide is wide and short,
    and its title is the slide's own), one unit per row, the first at the top. A slide's row of
    ``row_px`` that holds three lines of names has them shorter: a narrower names' column leaves
    the bars and their labels more of the picture."""
    centres = [-float(i) for i in range(len(names))]
    letters = 40 if len(names) <= 4 else 34
    if font <= SLIDE_MIN_FONT_PX:
        letters = 34 if row_px >= 3 * round(font * 1.3) else 46
    fig.update_yaxes(
        tickvals=centres,
        ticktext=[wrap(n, letters) for n in names],
        tickfont={"size": font},
        range=[-len(names) + 0.45, 0.55],
        automargin=True,
        fixedrange=True,
        showgrid=False,
        ticklabelstandoff=max(4, font // 3),  # the names never touch the axis
    )
    return centres


def _slide_bottom(axis_title: str, font: int) -> int:
    """The margin under a slide's plot: the ticks, then the axis's title under them, each a line of
    its type (54 px at 14 px); without a title the ticks only."""
    return max(54, round(font * 3.4)) if axis_title else round(font * 2.2)


def _slide_row_px(rows: int, axis_title: str) -> int:
    """A group slide's row height (px): as tall as :data:`SLIDE_BODY_PX` allows, between
    :data:`_SLIDE_ROW_PX` and :data:`_SLIDE_ROW_MAX_PX`."""
    room = (SLIDE_BODY_PX - 8 - _slide_bottom(axis_title, SLIDE_MIN_FONT_PX)) // max(rows, 1)
    return max(_SLIDE_ROW_PX, min(_SLIDE_ROW_MAX_PX, room))


def _slide_layout(
    fig: go.Figure, rows: int, axis_title: str, font: int = SLIDE_MIN_FONT_PX, row_px: int = _SLIDE_ROW_PX
) -> go.Figure:
    """No title, subtitle or source inside a slide's picture (the slide has them); every text
    at least :data:`SLIDE_MIN_FONT_PX` px on a :data:`SLIDE_WIDTH_PX` px wide figure (``font``:
    a bigger smallest type, for presentation mode, whose chart takes its column's width; an empty
    ``axis_title``: none, the ticks only); ``row_px``: a slide's row height (:func:`_slide_row_px`)."""
    bottom = _slide_bottom(axis_title, font)
    fig.update_layout(
        separators=",.",
        font={"family": FONT, "size": font + 1, "color": _INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=SLIDE_WIDTH_PX if font <= SLIDE_MIN_FONT_PX else None,
        # a row holds a name of two lines: 34 px at 14 px type, 52 px at 18 px
        height=(row_px if font <= SLIDE_MIN_FONT_PX else round(font * 2.9)) * rows + 8 + bottom + 2 * (font - 14),
        margin={"l": 10, "r": 10, "t": 8, "b": bottom},
        showlegend=False,
        bargap=0,
    )
    fig.update_xaxes(
        title={"text": axis_title, "font": {"size": font}, "standoff": max(8, font // 2)},
        showgrid=False,
        linecolor="#9aa5b1",
        tickfont={"size": font},
        tickangle=0,
    )
    return fig


#: The width of a letter of the charts' font (Noto Sans), in em: its Vietnamese text measured ≈ 0,48–0,50
#: em a letter in the rendered slide pictures (labels, names); 0,56 leaves room for digits (0,57 em).
_EM_PER_LETTER = 0.56
#: How far a bar's label starts past its end (px): the radius of the invisible marker it is set off by.
LABEL_OFFSET_PX = 12


def text_px(text: str, size: float) -> float:
    """The estimated width (px) of ``text``'s longest line (lines split at ``<br>``) at ``size`` px:
    letters × size × :data:`_EM_PER_LETTER` (an overestimate of the charts' font)."""
    return max(len(line) for line in str(text).split("<br>")) * size * _EM_PER_LETTER


def _fit_labels(
    ends: list[float], texts: list[str], high: float, plot: float, right: float, font: float, two_lines: bool = True
) -> tuple[list[str], float]:
    """Make room past the bars for every row's label in a plot ``plot`` px wide (``right`` px of
    margin beyond it): a label that would run past the figure's edge at the x range ``[0, high]``
    is written on two lines, broken at its first « · » (the pro-rata part: "73,37 % — Chậm tiến
    độ (ước)" over "tiến độ KH 75 %"); then the range grows until each label, started
    :data:`LABEL_OFFSET_PX` past its row's end, ends inside the figure. Returns the labels and the
    range's new end. One rule for the screen, the print view and the slides: a fixed range cut
    "73,87 % — Chậm tiến độ · tiến độ KH 75 %" at a slide's right edge, and «… (ước) · tiến độ KH
    75 %» lost its «%» at 1366 px and in the print view; on a slide one long line pushed the axis to
    350 % for figures under 75 % (black-box findings). ``two_lines``: whether a row holds a label of
    two lines (a slide's short rows do not: there the range grows instead)."""

    def room(text: str) -> float:  # px the bar's part of the row may take beside its label
        return plot + right - 2 - LABEL_OFFSET_PX - text_px(text, font)

    fitted = []
    for end, text in zip(ends, texts, strict=True):
        if two_lines and " · " in text and end * plot / high > room(text):
            text = text.replace(" · ", "<br>", 1)
        fitted.append(text)
        high = max(high, end * plot / max(room(text), plot * 0.25))
    return fitted, high


def _fit_slide_labels(fig: go.Figure, ends: list[float], texts: list[str], font: int) -> go.Figure:
    """A slide's picture has a fixed width (:data:`SLIDE_WIDTH_PX`): the names' column is set to
    their estimated width (plotly's automargin would only widen it), so the plot's width in px is
    known, and the labels are fitted past the bars (:func:`_fit_labels`; on two lines where the
    rows are :data:`_SLIDE_TWO_LINES_PX` tall)."""
    names = fig.layout.yaxis.ticktext or [""]
    standoff = fig.layout.yaxis.ticklabelstandoff or 0
    left = 10 + round(max(text_px(n, font) for n in names)) + standoff
    right = fig.layout.margin.r or 0
    low, high = fig.layout.xaxis.range
    rows = len(names)
    two_lines = (fig.layout.height - fig.layout.margin.t - fig.layout.margin.b) / rows >= _SLIDE_TWO_LINES_PX
    texts, high = _fit_labels(ends, texts, high, SLIDE_WIDTH_PX - left - right, right, font, two_lines)
    fig.update_layout(margin={"l": left})
    fig.update_xaxes(range=[low, high])
    _set_labels(fig, texts)
    return fig


def _set_labels(fig: go.Figure, texts: list[str]) -> None:
    """The rows' labels (:func:`_bar_labels`' trace) set to ``texts``."""
    for trace in fig.data:
        if trace.name == "nhãn":
            trace.text = texts


def _bar_height(centres: list[float]) -> int:
    return int(round((-(centres[-1] if centres else 0) + _BAR / 2 + _GAP) * _ROW_PX)) + 10


def _status_bars(fig: go.Figure, y: list, x: list, rows: list[dict], name: str, hover: str) -> None:
    """Horizontal bars coloured and patterned by each row's status (the word is in the label)."""
    fig.add_trace(
        go.Bar(
            y=y,
            x=x,
            orientation="h",
            width=_BAR,
            marker={
                "color": [STATUS_COLORS.get(r["status"], _INK) for r in rows],
                "line": {"color": _INK, "width": 1},
                "pattern": {"shape": [STATUS_PATTERNS.get(r["status"], "") for r in rows], "fgcolor": "white"},
            },
            customdata=[r["name"] for r in rows],
            name=name,
            hovertemplate=hover,
        )
    )


def _bar_labels(
    fig: go.Figure, ends: list[float], centres: list[float], texts: list[str], colours: list[str], font: int = 14
) -> None:
    """Each row's label just past the furthest thing drawn on it (bar, target mark, band), so no
    mark cuts through it."""
    fig.add_trace(
        go.Scatter(
            x=ends,
            y=centres,
            mode="markers+text",
            # an invisible marker as wide as a range's diamond: plotly sets the text off by its radius
            marker={"size": 24, "color": "rgba(0,0,0,0)"},
            text=texts,
            textposition="middle right",
            textfont={"size": font, "color": colours},
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
            name="nhãn",
        )
    )


def _segment(fig: go.Figure, x: float, y: float, dash: str, colour: str = _TARGET, width: int = 3) -> None:
    fig.add_shape(
        type="line",
        x0=x,
        x1=x,
        y0=y - _BAR / 2 - 0.06,
        y1=y + _BAR / 2 + 0.06,
        line={"color": colour, "width": width, "dash": dash},
    )


def _band(fig: go.Figure, x0: float, x1: float, y: float) -> None:
    fig.add_shape(
        type="rect",
        x0=x0,
        x1=x1,
        y0=y - _BAR / 2 - 0.06,
        y1=y + _BAR / 2 + 0.06,
        fillcolor="#9aa5b1",
        opacity=0.35,
        line={"color": _TARGET, "width": 2, "dash": "dot"},
        layer="below",
    )


#: How far (px) a range's diamond (18 px across) stays from the plot's left edge: its half and a gap.
_DIAMOND_CLEAR_PX = 16


def _marker(fig: go.Figure, xs: list[float], ys: list[float], colours: list[str], hover: list[str]) -> None:
    """The count of a range: a diamond on its band (never a bar: its length would read as a %)."""
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"symbol": "diamond", "size": 18, "color": colours, "line": {"color": _INK, "width": 1.5}},
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
            cliponaxis=False,
            name="khoảng",
        )
    )


def _range_text(target) -> str:
    return f"{format_number(target[0], 0)}–{format_number(target[1], 0)}"


def _awards_x(fig: go.Figure, top: float, unit: str, narrow: bool, diamonds: bool) -> None:
    """The awards chart's count axis, to ``top`` and room for the labels past it. With ``diamonds``
    (a range's count) it starts left of 0 by a diamond's half and a gap on the narrowest chart of
    its kind, and draws no zero line: a count of 2 on a 0–96 axis sat on that line at the plot's
    left edge on a phone (black-box, round 10); the bars start at 0 all the same."""
    high = top * (1.75 if narrow else 1.6)
    plot = (PHONE_CHART_MIN_PX if narrow else WIDE_CHART_MIN_PX) - 32
    low = -high * _DIAMOND_CLEAR_PX / (plot - _DIAMOND_CLEAR_PX) if diamonds else 0
    fig.update_xaxes(title={"text": unit}, range=[low, high], nticks=5 if narrow else 8, zeroline=not diamonds)


def awards_chart(
    rows: pd.DataFrame,
    year: int,
    period: str | None = None,
    source: str | None = None,
    title: str | None = None,
    narrow: bool = False,
    slide: bool = False,
    font: int = SLIDE_MIN_FONT_PX,
    width: int | None = None,
) -> go.Figure:
    """The award targets (TD02–TD09 and the like): the count of each against its target. A
    plain target is a bar with a dotted mark at the target; a range is its band with the count
    as a diamond on it (design.md: ranges as bands with counts, never bars). Each row's name is
    written above it and its label after it: "6 (KH 5) — Vượt", as every output writes a count.

    :param rows: rows of the attainment report whose group is ``awards`` and unit is a count:
        ``name``, ``unit``, ``actual``, ``target``, ``direction``, ``status``.
    :param period: the as-of period named in the subtitle ("Quý III/2024 – lũy kế 9 tháng").
    :param source: the source line (:func:`kpi.output.export.awards_source`: the lists loaded).
    :param title: instead of "Khen thưởng thành tích năm … so với kế hoạch" (one indicator's chart).
    :param narrow: a phone's chart (≈ 360 px): shorter labels, the status word with the name.
    :param slide: a slide's picture (:data:`SLIDE_WIDTH_PX` wide, no title, names on the left);
        with ``font`` > 14 presentation mode's chart (its column's width, that smallest type).
    :param width: a wide chart's width (px) as the page measured it: title, subtitle and names wrapped to it.
    """
    records = rows.to_dict("records")
    fig = go.Figure()
    names = _row_names(records, narrow and not slide)
    centres = _slide_rows(fig, names, font) if slide else _bar_rows(fig, names, narrow, width)
    colours = [STATUS_COLORS.get(r["status"], _INK) for r in records]
    bar_x, bar_y, bar_rows, ends, texts = [], [], [], [], []
    dots = ([], [], [], [])
    for r, y, colour in zip(records, centres, colours, strict=True):
        actual = r["actual"]
        known = actual is not None and not pd.isna(actual)
        value = float(actual) if known else 0.0
        count = format_figure(value, r["unit"], 0)
        if r["direction"] == "range":
            lo, hi = (float(t) for t in r["target"])
            _band(fig, lo, hi, y)
            target = f"KH {_range_text(r['target'])}"
            if known:
                dots[0].append(value)
                dots[1].append(y)
                dots[2].append(colour)
                dots[3].append(f"{count} ({target})")
            end = max(hi, value)
        else:
            goal = float(r["target"])
            bar_x.append(value)
            bar_y.append(y)
            bar_rows.append(r)
            _segment(fig, goal, y, "dot")
            target = f"KH {format_number(goal, 0)}"
            end = max(goal, value)
        word = "" if narrow else " — " + STATUS_LABELS.get(r["status"], "")
        texts.append((f"{count} ({target})" if known else target) + word)
        ends.append(end)
    _status_bars(fig, bar_y, bar_x, bar_rows, "Thực hiện", "%{customdata}: %{x}<extra></extra>")
    if dots[0]:
        _marker(fig, *dots)
    _bar_labels(fig, ends, centres, texts, colours, font if slide else 14)
    top = max([*ends, 1])
    unit = records[0]["unit"] if len(records) == 1 else "số tập thể / cá nhân"
    _awards_x(fig, top, unit, narrow, diamonds=bool(dots[0]) and not slide)
    if slide:
        fig = _slide_layout(fig, len(records), unit, font)
        return _fit_slide_labels(fig, ends, texts, font) if font <= SLIDE_MIN_FONT_PX else fig
    subtitle = f"{period or f'Năm {year}'} · vạch chấm: mức kế hoạch; vùng xám: khoảng kế hoạch, ◆ số đạt được"
    title = title or f"Khen thưởng thành tích năm {year} so với kế hoạch (số tập thể, cá nhân)"
    return _bars_frame(fig, title, subtitle, source, centres, 90 + (20 if narrow else 0), narrow, width)


def _bars_frame(
    fig: go.Figure, title: str, subtitle: str, source: str, centres: list[float], bottom: int, narrow: bool, width
) -> go.Figure:
    """A bar chart's title, subtitle and source (:func:`_layout`) around its rows, ``bottom`` px
    under the plot for the axis's title and the source line."""
    fig = _layout(
        fig, title, subtitle, source, _TOP + bottom + _bar_height(centres), bottom=bottom, narrow=narrow, width=width
    )
    fig.update_layout(showlegend=False, margin={"l": 16, "r": 16}, bargap=0)
    return fig


#: What a range's diamond on a % axis means (group charts, the deck's note under them).
RANGE_NOTE = "◆ chỉ tiêu là một khoảng: 100 % khi số đạt trong khoảng"


def group_chart(
    rows: pd.DataFrame,
    group: str,
    period: str,
    source: str = "",
    narrow: bool = False,
    slide: bool = False,
    font: int = SLIDE_MIN_FONT_PX,
    width: int | None = None,
) -> go.Figure:
    """A group's indicators as % of plan: a bar to its % with a dotted mark at 100 %, each
    labelled with its % and status word; indicators without a figure show their status only.
    During the year a flow's pro-rata share (q/4 of the year's target, from ``compared_with``)
    is a dashed mark on its bar, since it is judged against that, not against 100 %.

    A **range** is never a % bar (design.md): its row is a diamond at its attainment — 100 %
    anywhere inside the band, the count ÷ hi above it, ÷ lo below it (:func:`kpi.domain.rules.judge`),
    so the chart and the table say the same percentage — labelled with the count and the band,
    "52 (KH 45–55) — Đạt". No band is drawn on a % axis: scaled to it, a band would put 52 of
    45–55 at 94,5 % beside a table saying 100,00 % (the awards chart, on counts, draws the band).
    Names are written above their bars; each label sits past the furthest mark of its row, so
    no line crosses a text.

    :param rows: rows of the attainment report: ``name``, ``attainment_pct``, ``status``,
        ``basis``, and (optional) ``target``, ``compared_with``, ``direction``, ``final``,
        ``actual``, ``unit``, ``decimals``.
    :param source: the source line ("Nguồn: …").
    :param narrow: a phone's chart (≈ 360 px): the status word with the name, the % alone after the bar.
    :param slide: a slide's picture (:data:`SLIDE_WIDTH_PX` wide, no title, names on the left);
        with ``font`` > 14 presentation mode's chart (its column's width, that smallest type).
    :param width: a wide chart's width (px) as the page measured it: title, subtitle and names wrapped to it.
    """
    records = rows.to_dict("records")
    fig = go.Figure()
    names = _row_names(records, narrow and not slide)
    row_px = _slide_row_px(len(records), "")
    centres = _slide_rows(fig, names, font, row_px) if slide else _bar_rows(fig, names, narrow, width)
    colours = [STATUS_COLORS.get(r["status"], _INK) for r in records]
    bar_x, bar_y, bar_rows, ends, texts = [], [], [], [], []
    dots = ([], [], [], [])
    for r, y, colour in zip(records, centres, colours, strict=True):
        pct = r.get("attainment_pct")
        has_pct = pct is not None and not pd.isna(pct)
        actual = r.get("actual")
        known = actual is not None and not pd.isna(actual)
        words = STATUS_LABELS.get(r.get("status", ""), "") + figure_mark(r.get("basis"))
        if r.get("direction") == "range" and isinstance(r.get("target"), (list, tuple)):
            position = float(pct) if has_pct else 0.0
            count = format_figure(actual, r.get("unit"), 0) if known else ""
            target = f"KH {_range_text(r['target'])}"
            if known:
                dots[0].append(position)
                dots[1].append(y)
                dots[2].append(colour)
                dots[3].append(f"{count} {r.get('unit', '')} ({target})")
            label = f"{count} ({target})" if known else target
            texts.append(label if narrow else f"{label} — {words}")
            ends.append(max(100.0, position))
            continue
        value = float(pct) if has_pct else 0.0
        bar_x.append(value)
        bar_y.append(y)
        bar_rows.append(r)
        _segment(fig, 100, y, "dot", _TARGET, 2)
        end = max(value, 100.0)
        due = _due_pct(r)
        extra = ""
        if due is not None:
            _segment(fig, due, y, "dash", _INK, 3)
            extra = f" · tiến độ KH {format_pct(due, 0)}"
        pct_text = format_pct(value) if has_pct else ""
        if narrow:  # the status word (and its «(ước)») is in the name already: only a % (nothing past an empty row)
            texts.append(pct_text)
        else:
            texts.append((f"{pct_text} — " if pct_text else "") + words + extra)
        ends.append(end)
    _status_bars(fig, bar_y, bar_x, bar_rows, "% kế hoạch", "%{customdata}: %{x:.2f} %<extra></extra>")
    if dots[0]:
        _marker(fig, *dots)
    _bar_labels(fig, ends, centres, texts, colours, font if slide else 14)
    top = max(ends or [100.0])
    high = max(130.0 if narrow else 150.0, top * (1.3 if narrow else 1.55))
    if not slide:  # the labels fit the narrowest chart of its kind (its margins: 16 px a side)
        texts, high = _fit_labels(ends, texts, high, (PHONE_CHART_MIN_PX if narrow else WIDE_CHART_MIN_PX) - 32, 16, 14)
        _set_labels(fig, texts)
    fig.update_xaxes(title={"text": "% so với kế hoạch"}, ticksuffix=" %", range=[0, high], nticks=5 if narrow else 8)
    if slide:
        if font > SLIDE_MIN_FONT_PX:  # presentation mode: the axis says what the bars are
            fig.update_xaxes(range=[0, max(150.0, top * (1.45 if narrow else 1.75))])
            return _slide_layout(fig, len(records), "% so với kế hoạch", font)
        # a slide's picture: no axis title (the slide's key lines say "% so với kế hoạch"), so a
        # group of nine fits at full width under them; the axis a little past the furthest mark, and
        # as far as the labels need (_fit_slide_labels: it ran to 350 % for figures under 75 %)
        fig.update_xaxes(range=[0, max(130.0, top * 1.15)])
        fig = _slide_layout(fig, len(records), "", font, row_px)
        return _fit_slide_labels(fig, ends, texts, font)
    note = marks_note(fig)
    bottom = (_BOTTOM - 10 if source else 60) + (20 if narrow else 0)  # the axis title, then the source under it
    fig = _layout(
        fig,
        f"{GROUP_LABELS.get(group, group)}: mức độ hoàn thành kế hoạch (% so với kế hoạch)",
        period + (f" · {note}" if note else ""),
        source,
        _TOP + bottom + _bar_height(centres),
        bottom=bottom,
        narrow=narrow,
        width=width,
    )
    fig.update_layout(showlegend=False, margin={"l": 16, "r": 16}, bargap=0)
    return fig


#: The words of each mark a group's chart may draw: (short, for a slide's key line; long, the subtitle).
_MARK_WORDS = {
    "dot": ("vạch chấm: 100\u00a0% KH", "vạch chấm: 100\u00a0% kế hoạch"),
    "dash": ("vạch gạch: tiến độ KH đến kỳ", "vạch gạch: tiến độ kế hoạch đến kỳ (KH × quý/4)"),
}


def marks_note(fig: go.Figure, short: bool = False) -> str:
    """What a group's chart's marks mean, read from what the figure draws (one rule for the
    screen's subtitle and the slide's key line): "vạch chấm" when a dotted line (100 %) is drawn,
    "vạch gạch" when a dashed one (a flow's pro-rata target) is, :data:`RANGE_NOTE` when a range's
    diamond is; "" when none is. A legend naming a mark the chart does not draw sent readers of the
    Xã hội slide looking for a dashed line (black-box finding).

    :param short: the slide's words ("KH" for "kế hoạch", no formula).
    """
    dashes = {shape.line.dash for shape in fig.layout.shapes if shape.type == "line"}
    notes = [words[0 if short else 1] for dash, words in _MARK_WORDS.items() if dash in dashes]
    if any(trace.name == "khoảng" and trace.x is not None and len(trace.x) for trace in fig.data):
        notes.append(RANGE_NOTE)
    return "; ".join(notes)


def _due_pct(r: dict) -> float | None:
    """A flow's pro-rata share of its target during the year (75 at Q3), or ``None``."""
    target, compared = r.get("target"), r.get("compared_with")
    if (
        not r.get("final", True)
        and r.get("direction") == ">="
        and isinstance(target, (int, float))
        and target
        and compared is not None
        and not pd.isna(compared)
        and abs(compared - target) > 1e-9
    ):
        return float(compared) / float(target) * 100
    return None


def _ranked_units(frame: pd.DataFrame, ind: Indicator, year: int | None) -> tuple[pd.DataFrame, list[str]]:
    """The units :func:`ranking_chart` ranks, lowest first, and the lines under it naming the others:
    an agency's own figure beside communes', a flow's year to date of an earlier quarter."""
    from kpi.vn import quarter_words

    frame = frame.sort_values("value")
    notes = []
    if "commune" in frame and frame["commune"].any() and not frame["commune"].all():
        # communes are ranked among themselves: an agency's own figure (Phòng Y tế's 96,0 % led the
        # communes' health insurance ranking, black-box round 2) is another kind of figure
        others = frame[~frame["commune"].astype(bool)]
        frame = frame[frame["commune"].astype(bool)]
        notes.append(
            "Không xếp cùng các xã, thị trấn: "
            + "; ".join(
                f"{u} ({format_figure(v, ind.unit, ind.decimals)} {ind.unit})"
                for u, v in zip(others["unit"], others["value"], strict=True)
            )
        )
    if ind.over_year == "flow" and "quarter" in frame and len(frame) and year is not None:
        latest = int(frame["quarter"].max())
        behind = frame[frame["quarter"] < latest]
        frame = frame[frame["quarter"] == latest]
        if len(behind):
            notes.append(
                f"Chưa có số {quarter_words(year, latest)}, không xếp hạng: "
                + "; ".join(
                    f"{u} ({quarter_words(year, int(q))}: {format_figure(v, ind.unit, ind.decimals)} {ind.unit})"
                    for u, q, v in zip(behind["unit"], behind["quarter"], behind["value"], strict=True)
                )
            )
    return frame, notes


def ranking_chart(
    frame: pd.DataFrame,
    ind: Indicator,
    period: str,
    year: int | None = None,
    as_of: int | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Units ranked by an indicator (per-commune files): ``unit``, ``value`` columns, and
    ``quarter``/``basis`` (:func:`kpi.reporting.attainment_report.unit_figures`). The subtitle names
    the period of the figures ranked: ``period`` (the as-of quarter's words) when the latest of them
    is of ``as_of``, else that latest quarter's own words (:func:`indicator_period_text`): two
    communes' Quý III figures at Quý IV are «Quý III/2024 – lũy kế 9 tháng», never «Quý IV/2024 –
    lũy kế cả năm», whose figures are not there (black-box finding, issue 14). A unit whose figure
    is of another quarter than that one carries its period on its bar — "12,5 (Quý I/2024)" — and
    an estimate "(ước)": bars of different periods are never shown as alike.
    A flow's year to date of an earlier quarter is not ranked at all (six months' sum beside nine
    months' reads as the unit doing less: black-box, December 2026): the bars are the units of the
    latest quarter any has, and the line under the chart names the others with their figure.
    With a ``commune`` column, communes are ranked among themselves and the other units (an
    agency's own figure) are named under the chart.

    Every label fits: the x axis ends at the longest bar and the right margin is the longest
    label's estimated width (:func:`text_px`), whatever the chart's width («185,6 (Quý III/202» was
    cut at 1366 px behind a fixed 80-px margin). ``narrow`` (a phone, ≈ 360 px): the title wrapped
    short (:func:`_layout`) and a label's period under its figure.
    """
    from kpi.vn import quarter_words

    frame, notes = _ranked_units(frame, ind, year)
    shown = as_of
    if year is not None and "quarter" in frame and frame["quarter"].notna().any():
        shown = int(frame["quarter"].max())  # the period of the figures ranked
        if shown != as_of:
            period = indicator_period_text(ind.over_year, year, shown)
    labels = []
    for value, quarter, basis in zip(
        frame["value"],
        frame["quarter"] if "quarter" in frame else [None] * len(frame),
        frame["basis"] if "basis" in frame else [""] * len(frame),
        strict=True,
    ):
        text = format_figure(value, ind.unit, ind.decimals)
        if basis in ("estimate", "year_estimate"):
            text += ESTIMATE_MARK
        if year is not None and shown is not None and quarter is not None and int(quarter) != shown:
            text += f"{'<br>' if narrow else ' '}({quarter_words(year, int(quarter))})"
        labels.append(text)
    fig = go.Figure(
        go.Bar(
            y=frame["unit"],
            x=frame["value"],
            orientation="h",
            text=labels,
            textposition="outside",
            textfont={"size": 14},
            constraintext="none",  # plotly shrank the labels to ≈ 10 px to fit them beside short bars
            marker={"color": _UNIT_BAR},
            cliponaxis=False,
        )
    )
    values = _finite(frame["value"])
    # a phone's plot beside the units' names is ≈ 100 px: four ticks at most («0 20 40 60 80» were
    # 8 px apart, the browser's check of round 10)
    fig.update_xaxes(range=[min([0.0, *values]), max([0.0, *values]) or 1.0], nticks=4 if narrow else None)
    fig.update_yaxes(automargin=True)
    source = "<br>".join(wrap(note, 110) for note in notes)
    height = 160 + 44 * len(frame)
    title = f"{ind.name} theo đơn vị ({ind.unit})"
    fig = _layout(fig, title if narrow else wrap(title, 70), period, source, height, bottom=70, narrow=narrow)
    # the bar's label starts ≈ 3 px past its end: the margin holds the longest, with a little to spare
    right = 16 + round(max([text_px(t, 14) for t in labels] or [0]))
    fig.update_layout(showlegend=False, margin={"l": 20, "r": max(30, right)})
    return fig


def figure_fonts(fig: go.Figure) -> list[float]:
    """Every font size (px) a figure's texts are drawn with: layout, title, axes' ticks and
    titles, annotations, traces' text — what a slide's readability is measured on (kpi.output.deck)."""
    base = fig.layout.font.size or 12
    sizes = [base]
    if fig.layout.title.text:
        sizes.append(fig.layout.title.font.size or base)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.visible is not False:
            sizes.append(axis.tickfont.size or base)
            if axis.title.text:
                sizes.append(axis.title.font.size or base)
    sizes += [a.font.size or base for a in fig.layout.annotations]
    for trace in fig.data:
        if getattr(trace, "text", None) is not None and "text" in (getattr(trace, "mode", None) or "text"):
            size = trace.textfont.size
            sizes += list(size) if isinstance(size, (list, tuple)) else [size or base]
    return sizes


#: The chart toolbar's words in Vietnamese: plotly.js takes a locale's dictionary in the chart's
#: config (``locales``), keyed by its English text (plotly.js src/locale-en.js); Streamlit ships no
#: Vietnamese locale of its own, so without this the tooltips were English (issue 14).
_TOOLBAR_WORDS = {
    "Download plot as a png": "Tải ảnh PNG",
    "Download plot as a PNG": "Tải ảnh PNG",
    "Fullscreen": "Toàn màn hình",
    "Exit fullscreen": "Thoát toàn màn hình",
    "Download plot": "Tải ảnh",
    "Zoom": "Phóng to vùng chọn",
    "Pan": "Kéo biểu đồ",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Reset axes": "Về như ban đầu",
    "Autoscale": "Vừa khung",
    "Reset view": "Về như ban đầu",
    "Double-click to zoom back out": "Bấm đúp để trở về",
    "Show closest data on hover": "Hiện số gần nhất khi rê chuột",
    "Compare data on hover": "So sánh số khi rê chuột",
    "Toggle Spike Lines": "Bật/tắt đường dóng",
    "Box Select": "Chọn vùng",
    "Lasso Select": "Chọn tự do",
    "Produced with Plotly.js": "Vẽ bằng Plotly.js",
}


def plotly_config(file_name: str) -> dict:
    """The chart toolbar's options: the camera saves a PNG at 3× scale named by key and period,
    no plotly logo, no editing tools, its words in Vietnamese (:data:`_TOOLBAR_WORDS`)."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 3},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
        "locale": "vi",
        "locales": {"vi": {"dictionary": _TOOLBAR_WORDS}},
    }
