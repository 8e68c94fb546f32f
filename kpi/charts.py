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

from kpi.attainment import STATUS_COLORS, STATUS_LABELS
from kpi.plan import GROUP_LABELS, Indicator
from kpi.vn import format_number, format_pct

__all__ = [
    "indicator_chart",
    "add_projection",
    "awards_chart",
    "group_chart",
    "ranking_chart",
    "wrap",
    "FONT",
    "plotly_config",
]

#: A font stack with full Vietnamese coverage (Noto Sans / DejaVu Sans are installed by .ci/run).
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
_INK = "#1f2933"
_TARGET = "#4b5563"
_QUARTERS = ["Quý I", "Quý II", "Quý III", "Quý IV"]


def wrap(text: str, width: int = 42) -> str:
    """Wrap a long Vietnamese name over lines (plotly's ``<br>``) instead of clipping it."""
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def _layout(fig: go.Figure, title: str, subtitle: str, source: str, height: int) -> go.Figure:
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 15}},
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 19, "color": _INK},
        },
        separators=",.",
        font={"family": FONT, "size": 14, "color": _INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 70, "r": 30, "t": 100, "b": 120},
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0, "font": {"size": 13}},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(showgrid=False, linecolor="#9aa5b1", tickfont={"size": 14})
    fig.update_yaxes(gridcolor="#e4e7eb", zerolinecolor="#9aa5b1", tickformat=",~r", rangemode="tozero")
    if source:
        fig.add_annotation(
            text=source,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-88,
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
        prefix = "so với mức tối thiểu" if row.get("direction") == "range" else "so với kế hoạch"
        return f"Đánh giá: <b>{words}</b> — {format_pct(pct)} {prefix}"
    return f"Đánh giá: <b>{words}</b>"


def _target_label(ind: Indicator) -> str:
    if ind.direction == "range":
        return f"Kế hoạch: {format_number(ind.lo)}–{format_number(ind.hi)} {ind.unit}"
    word = {">=": "tối thiểu", "<=": "tối đa", "decrease_by": "giảm"}.get(ind.direction, "")
    return f"Kế hoạch năm ({word}): {format_number(ind.target)} {ind.unit}"


def indicator_chart(ind: Indicator, series: pd.DataFrame, row: dict, period: str, source: str) -> go.Figure:
    """One indicator through the year against its target.

    A ``flow`` is drawn as its cumulative year to date per quarter against the pro-rata line
    (target × q/4) that ends on the year's target; a ``level`` as its quarterly path against the
    target line (a band for a range). Estimates are hollow markers on a dotted line; the
    year-end estimate, when known, is a diamond at Quý IV.

    :param series: :func:`kpi.report.indicator_series`.
    :param row: the indicator's row of :func:`kpi.report.attainment_report` (status, % …).
    :param period: "Quý III/2024 – lũy kế 9 tháng".
    :param source: "Nguồn: …" line.
    """
    colour = STATUS_COLORS.get(row.get("status", ""), _INK)
    fig = go.Figure()
    x = _QUARTERS
    unit = ind.unit
    decimals = max(ind.decimals, 1) if unit != "khu" else 0
    if ind.over_year == "flow":
        fig.add_trace(
            go.Scatter(
                x=["Đầu năm", *x],
                y=[0, *series["threshold"].tolist()],
                name="Tiến độ kế hoạch (KH × quý/4)",
                mode="lines",
                line={"color": _TARGET, "dash": "dash", "width": 2},
                hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra>tiến độ kế hoạch</extra>",
            )
        )
        name = "Lũy kế thực hiện"
    else:
        if ind.direction == "range":
            fig.add_hrect(
                y0=float(ind.lo),
                y1=float(ind.hi),
                fillcolor="#9aa5b1",
                opacity=0.25,
                line_width=0,
                annotation_text=_target_label(ind),
                annotation_position="top left",
                annotation_font={"size": 13, "color": _TARGET},
            )
        name = "Thực hiện (số tại thời điểm)"
    if ind.direction != "range":
        fig.add_hline(
            y=float(ind.threshold or 0),
            line={"color": _TARGET, "width": 2, "dash": "dot"},
            annotation_text=_target_label(ind),
            annotation_position="top left",
            annotation_font={"size": 13, "color": _TARGET},
        )
    actual = series[series["value"].notna()]
    estimate_mask = actual["basis"] == "estimate"
    vintages = actual["vintage"] if "vintage" in actual else actual["basis"]
    labels = [
        format_number(v, decimals) + (" (ước)" if b == "estimate" else " (sơ bộ)" if g == "preliminary" else "")
        for v, b, g in zip(actual["value"], actual["basis"], vintages, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=[x[q - 1] for q in actual["quarter"]],
            y=actual["value"],
            name=name,
            mode="lines+markers+text",
            text=labels,
            textposition="top center",
            textfont={"size": 14, "color": colour},
            line={"color": colour, "width": 4},
            marker={
                "size": 13,
                "color": ["white" if e else colour for e in estimate_mask],
                "line": {"color": colour, "width": 3},
                "symbol": "circle",
            },
            hovertemplate="%{x}: %{text} " + unit + "<extra></extra>",
        )
    )
    estimates = series[series["year_estimate"].notna()]
    if len(estimates):
        last = estimates.iloc[-1]["year_estimate"]
        fig.add_trace(
            go.Scatter(
                x=["Quý IV"],
                y=[last],
                name="Ước cả năm",
                mode="markers+text",
                text=[format_number(last, decimals) + " (ước)"],
                textposition="middle left",
                marker={"size": 14, "symbol": "diamond-open", "color": _INK, "line": {"width": 2}},
                hovertemplate="Ước cả năm: %{y:,.2f} " + unit + "<extra></extra>",
            )
        )
    fig.update_xaxes(categoryorder="array", categoryarray=(["Đầu năm"] if ind.over_year == "flow" else []) + x)
    fig.update_yaxes(title={"text": unit, "font": {"size": 13}})
    title = f"{wrap(ind.name, 70)} ({unit})"
    return _layout(fig, title, f"{period} · {_status_text(row)}", source, 470)


def add_projection(fig: go.Figure, ind: Indicator, projection, last_year: dict | None = None) -> go.Figure:
    """Draw onto an :func:`indicator_chart` the year-end projection and last year's path.

    The projection (:class:`kpi.projection.Projection`) is a dashed line from the last figure
    to Quý IV, ending in an open marker labelled with the projected figure and the verdict it
    implies ("Dự kiến đạt / không đạt"), the method named in the legend. Last year's figures
    (``{quarter: value}``, :func:`kpi.projection.last_year_path`) are a thin grey dotted line
    "Cùng kỳ năm trước". Either may be missing (nothing is drawn for it).

    :returns: ``fig`` (changed in place).
    """
    decimals = max(ind.decimals, 1) if ind.unit != "khu" else 0
    if last_year:
        quarters = sorted(last_year)
        fig.add_trace(
            go.Scatter(
                x=[_QUARTERS[q - 1] for q in quarters],
                y=[float(last_year[q]) for q in quarters],
                name="Cùng kỳ năm trước",
                mode="lines+markers",
                line={"color": "#9aa5b1", "width": 2, "dash": "dot"},
                marker={"size": 8, "symbol": "square", "color": "#9aa5b1"},
                hovertemplate="%{x} năm trước: %{y:,.2f} " + ind.unit + "<extra></extra>",
            )
        )
    if projection is None or projection.value is None or not projection.path:
        return fig
    colour = STATUS_COLORS.get(projection.status or "", _INK)
    xs = [_QUARTERS[q - 1] for q, _v in projection.path]
    ys = [float(v) for _q, v in projection.path]
    label = f"{format_number(projection.value, decimals)} — {projection.verdict_text}"
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            name=f"Dự kiến cả năm ({projection.method_text})",
            mode="lines+markers",
            text=[""] * (len(xs) - 1) + [label],
            line={"color": colour, "width": 3, "dash": "dash"},
            marker={
                "size": [0] * (len(xs) - 1) + [13],
                "symbol": "circle-open",
                "color": colour,
                "line": {"width": 3},
            },
            hovertemplate="%{x} (dự kiến): %{y:,.2f} " + ind.unit + "<extra></extra>",
        )
    )
    # The verdict away from the target line, the estimate and the last figure: below, with an arrow.
    fig.add_annotation(
        x=xs[-1],
        y=ys[-1],
        text=f"<b>{label}</b>",
        showarrow=True,
        arrowcolor=colour,
        ax=-10,
        ay=100,
        xanchor="right",
        font={"size": 13, "color": colour},
        bgcolor="rgba(255,255,255,0.85)",
    )
    # One more legend row: move the source line (at the paper's foot) down with it.
    extra = 26
    fig.update_layout(height=(fig.layout.height or 470) + extra, margin={"b": (fig.layout.margin.b or 120) + extra})
    for note in fig.layout.annotations:
        if note.yref == "paper" and note.y == 0 and note.yshift:
            note.yshift -= extra
    return fig


def awards_chart(rows: pd.DataFrame, year: int) -> go.Figure:
    """The award targets (TD02–TD09 and the like): the count of each against its target, a range
    drawn as a band, each bar labelled with the count, the target and the status word.

    :param rows: rows of the attainment report whose group is ``awards`` and unit is a count:
        ``name``, ``actual``, ``target``, ``direction``, ``status``.
    """
    rows = rows.iloc[::-1]
    names = [wrap(n, 44) for n in rows["name"]]
    fig = go.Figure()
    colours = [STATUS_COLORS.get(s, _INK) for s in rows["status"]]
    values = [0 if pd.isna(v) else v for v in rows["actual"]]
    fig.add_trace(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker={"color": colours, "line": {"color": _INK, "width": 1}},
            text=[
                f"{format_number(v, 0)} — {STATUS_LABELS.get(s, '')}" if not pd.isna(a) else STATUS_LABELS.get(s, "")
                for v, a, s in zip(values, rows["actual"], rows["status"], strict=True)
            ],
            textposition="outside",
            textfont={"size": 14},
            name="Thực hiện",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    for i, (target, direction) in enumerate(zip(rows["target"], rows["direction"], strict=True)):
        if direction == "range":
            lo, hi = target
            fig.add_shape(
                type="rect",
                x0=lo,
                x1=hi,
                y0=i - 0.45,
                y1=i + 0.45,
                fillcolor="#9aa5b1",
                opacity=0.30,
                line={"color": _TARGET, "width": 2, "dash": "dot"},
                layer="above",
            )
            label = f"KH {format_number(lo, 0)}–{format_number(hi, 0)}"
            xpos = hi
        else:
            fig.add_shape(
                type="line",
                x0=target,
                x1=target,
                y0=i - 0.45,
                y1=i + 0.45,
                line={"color": _TARGET, "width": 3, "dash": "dot"},
            )
            label = f"KH {format_number(target, 0)}"
            xpos = target
        fig.add_annotation(
            x=xpos,
            y=i + 0.42,
            text=label,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 12, "color": _TARGET},
        )
    fig.update_yaxes(tickfont={"size": 13}, automargin=True)
    fig.update_xaxes(title={"text": "số tập thể / cá nhân"}, rangemode="tozero")
    fig = _layout(
        fig,
        f"Khen thưởng thành tích năm {year} so với kế hoạch",
        "Vạch chấm: mức kế hoạch · vùng xám: khoảng kế hoạch",
        "Nguồn: danh sách khen thưởng đã nạp",
        110 + 62 * len(rows),
    )
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 140, "t": 100, "b": 80})
    return fig


def group_chart(rows: pd.DataFrame, group: str, period: str) -> go.Figure:
    """A group's indicators as % of target (or of the range's minimum), with a 100 % line, each
    bar labelled with its % and status word; indicators without a figure show their status only."""
    rows = rows.iloc[::-1]
    names = [wrap(n, 46) for n in rows["name"]]
    pct = [0 if pd.isna(p) else p for p in rows["attainment_pct"]]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=pct,
            orientation="h",
            marker={"color": [STATUS_COLORS.get(s, _INK) for s in rows["status"]], "line": {"color": _INK, "width": 1}},
            text=[
                (format_pct(p) + " — " if not pd.isna(a) else "")
                + STATUS_LABELS.get(s, "")
                + (" (ước)" if b == "estimate" else "")
                for p, a, s, b in zip(pct, rows["attainment_pct"], rows["status"], rows["basis"], strict=True)
            ],
            textposition="outside",
            textfont={"size": 14},
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f} %<extra></extra>",
        )
    )
    fig.add_vline(
        x=100,
        line={"color": _TARGET, "width": 2, "dash": "dot"},
        annotation_text="100 % kế hoạch",
        annotation_position="top",
        annotation_font={"size": 12, "color": _TARGET},
    )
    fig.update_xaxes(title={"text": "% so với kế hoạch"}, ticksuffix=" %", range=[0, max(130, max(pct) * 1.25)])
    fig.update_yaxes(tickfont={"size": 13}, automargin=True)
    fig = _layout(
        fig, f"{GROUP_LABELS.get(group, group)}: mức độ hoàn thành kế hoạch", period, "", 120 + 58 * len(rows)
    )
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 200, "t": 90, "b": 60})
    return fig


def ranking_chart(frame: pd.DataFrame, ind: Indicator, period: str) -> go.Figure:
    """Units ranked by an indicator (per-commune files): ``unit``, ``value`` columns."""
    frame = frame.sort_values("value")
    fig = go.Figure(
        go.Bar(
            y=frame["unit"],
            x=frame["value"],
            orientation="h",
            text=[format_number(v) for v in frame["value"]],
            textposition="outside",
            marker={"color": "#005a9c"},
            cliponaxis=False,
        )
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(title={"text": ind.unit})
    fig = _layout(fig, f"{wrap(ind.name, 70)} theo đơn vị ({ind.unit})", period, "", 120 + 34 * len(frame))
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 80, "t": 90, "b": 60})
    return fig


def plotly_config(file_name: str) -> dict:
    """The chart toolbar's options: the camera saves a PNG at 3× scale named by key and period,
    no plotly logo, no editing tools."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 3},
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
        "locale": "vi",
    }
