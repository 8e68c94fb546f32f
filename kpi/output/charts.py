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
from kpi.vn import format_number, format_pct
from kpi.words import GROUP_LABELS, STATUS_COLORS, STATUS_LABELS

__all__ = [
    "indicator_chart",
    "add_projection",
    "awards_chart",
    "group_chart",
    "ranking_chart",
    "wrap",
    "FONT",
    "STATUS_PATTERNS",
    "plotly_config",
]

#: A font stack with full Vietnamese coverage (Noto Sans / DejaVu Sans are installed by .ci/run).
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
_INK = "#1f2933"
_TARGET = "#4b5563"
_QUARTERS = ["Quý I", "Quý II", "Quý III", "Quý IV"]
#: Margins (px) above and under the plot of the bar charts: title and subtitle; axis title and source.
_TOP, _BOTTOM = 100, 110


def wrap(text: str, width: int = 42) -> str:
    """Wrap a long Vietnamese name over lines (plotly's ``<br>``) instead of clipping it."""
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


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


def _layout(fig: go.Figure, title: str, subtitle: str, source: str, height: int, bottom: int = 120) -> go.Figure:
    """Title, subtitle, vi-VN separators, fonts and the source line under the plot.

    The top margin grows with the title's lines (a long name is wrapped, never clipped); the
    source line sits ``bottom - 26`` px under the plot, inside the bottom margin."""
    extra = 26 * (_lines(title) - 1) + 20 * (_lines(subtitle) - 1)
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 15}},
            "x": 0.01,
            "xanchor": "left",
            "y": 1 - 18 / (height + extra),
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 19, "color": _INK},
        },
        separators=",.",
        font={"family": FONT, "size": 14, "color": _INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height + extra,
        margin={"l": 70, "r": 30, "t": 100 + extra, "b": bottom},
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0, "font": {"size": 13}},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(showgrid=False, linecolor="#9aa5b1", tickfont={"size": 14})
    fig.update_yaxes(gridcolor="#e4e7eb", zerolinecolor="#9aa5b1", tickformat=",~r")
    if source:
        fig.add_annotation(
            text=source,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-(bottom - 26),
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


def indicator_chart(ind: Indicator, series: pd.DataFrame, row: dict, period: str, source: str) -> go.Figure:
    """One indicator through the year against its target.

    A ``flow`` is drawn as its cumulative year to date per quarter against the pro-rata line
    (target × q/4) that ends on the year's target, the pro-rata figure of the as-of quarter
    labelled with its value; a ``level`` as its quarterly path against the target line (a band
    for a range), on an axis fitted to the figures (not from zero, so a 92,8 → 94,1 % path is
    visible; the ticks say where it stands). Estimates are hollow markers and "(ước)"; the
    year-end estimate, when known, is a diamond at Quý IV. The four quarters are always on the
    axis.

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
    flow = ind.over_year == "flow"
    categories = (["Đầu năm"] if flow else []) + x
    # An invisible trace holds every quarter on the axis even before any figure is known.
    fig.add_trace(
        go.Scatter(x=categories, y=[None] * len(categories), showlegend=False, hoverinfo="skip", mode="markers")
    )
    if flow:
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
        as_of = next((q for q in (4, 3, 2, 1) if q in set(series.loc[series["value"].notna(), "quarter"])), None)
        if as_of and as_of < 4:
            due = float(series.loc[series["quarter"] == as_of, "threshold"].iloc[0])
            fig.add_annotation(
                x=x[as_of - 1],
                y=due,
                text=f"Tiến độ KH đến hết {x[as_of - 1]}: {format_number(due, decimals)}",
                showarrow=True,
                arrowhead=0,
                ax=-90,
                ay=-46,
                font={"size": 13, "color": _TARGET},
                bgcolor="rgba(255,255,255,0.85)",
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
                layer="below",
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
            annotation_bgcolor="rgba(255,255,255,0.85)",
        )
    actual = series[series["value"].notna()]
    estimate_mask = actual["basis"] == "estimate"
    vintages = actual["vintage"] if "vintage" in actual else actual["basis"]
    labels = [
        format_number(v, decimals) + (" (ước)" if b == "estimate" else " (sơ bộ)" if g == "preliminary" else "")
        for v, b, g in zip(actual["value"], actual["basis"], vintages, strict=True)
    ]
    # Each label on the side away from the target line (below it when behind), so neither hides.
    positions = [
        "bottom right" if (v < (t if flow else float(ind.threshold or 0))) else "top left"
        for v, t in zip(actual["value"], actual["threshold"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=[x[q - 1] for q in actual["quarter"]],
            y=actual["value"],
            name=name,
            mode="lines+markers+text",
            text=labels,
            textposition=positions,
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
    last_estimate = None
    if len(estimates):
        last_estimate = float(estimates.iloc[-1]["year_estimate"])
        fig.add_trace(
            go.Scatter(
                x=["Quý IV"],
                y=[last_estimate],
                name="Ước cả năm",
                mode="markers+text",
                text=[format_number(last_estimate, decimals) + " (ước cả năm)"],
                textposition="bottom left" if last_estimate < float(ind.threshold or 0) else "top left",
                marker={"size": 14, "symbol": "diamond-open", "color": _INK, "line": {"width": 2}},
                hovertemplate="Ước cả năm: %{y:,.2f} " + unit + "<extra></extra>",
            )
        )
    if actual.empty:
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
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=categories)
    marks = _finite([*actual["value"], last_estimate, ind.threshold, ind.lo, ind.hi, ind.target])
    if flow or not marks:
        top = max(marks or [1.0])
        fig.update_yaxes(range=[0, top * 1.18])
    else:
        lo, hi = min(marks), max(marks)
        pad = max((hi - lo) * 0.35, abs(hi) * 0.01, 0.05)
        fig.update_yaxes(range=[max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad])
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


def awards_chart(
    rows: pd.DataFrame,
    year: int,
    period: str | None = None,
    source: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """The award targets (TD02–TD09 and the like): the count of each against its target, a range
    drawn as a band, each bar labelled with the count, the target and the status word.

    :param rows: rows of the attainment report whose group is ``awards`` and unit is a count:
        ``name``, ``unit``, ``actual``, ``target``, ``direction``, ``status``.
    :param period: the as-of period named in the subtitle ("Quý III/2024 – lũy kế 9 tháng").
    :param source: the source line (default: the award register).
    :param title: instead of "Khen thưởng thành tích năm … so với kế hoạch" (one indicator's chart).
    """
    rows = rows.iloc[::-1]
    names = [wrap(n, 44) for n in rows["name"]]
    fig = go.Figure()
    colours = [STATUS_COLORS.get(s, _INK) for s in rows["status"]]
    values = [0 if pd.isna(v) else v for v in rows["actual"]]
    targets = []
    for target, direction in zip(rows["target"], rows["direction"], strict=True):
        if direction == "range":
            targets.append(f"KH {format_number(target[0], 0)}–{format_number(target[1], 0)}")
        else:
            targets.append(f"KH {format_number(target, 0)}")
    fig.add_trace(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker={
                "color": colours,
                "line": {"color": _INK, "width": 1},
                "pattern": {"shape": [STATUS_PATTERNS.get(s, "") for s in rows["status"]], "fgcolor": "white"},
            },
            text=[
                (f"{format_number(v, 0)} / {t} — " if not pd.isna(a) else f"{t} — ") + STATUS_LABELS.get(s, "")
                for v, a, s, t in zip(values, rows["actual"], rows["status"], targets, strict=True)
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
        else:
            fig.add_shape(
                type="line",
                x0=target,
                x1=target,
                y0=i - 0.45,
                y1=i + 0.45,
                line={"color": _TARGET, "width": 3, "dash": "dot"},
            )
    top = max([*values, *[t[1] if isinstance(t, list) else t for t in rows["target"]], 1])
    unit = rows["unit"].iloc[0] if len(rows) == 1 else "số tập thể / cá nhân"
    fig.update_yaxes(tickfont={"size": 13}, automargin=True)
    fig.update_xaxes(title={"text": unit}, range=[0, top * 1.45])
    subtitle = f"{period or f'Năm {year}'} · vạch chấm: mức kế hoạch, vùng xám: khoảng kế hoạch"
    fig = _layout(
        fig,
        title or f"Khen thưởng thành tích năm {year} so với kế hoạch (số tập thể, cá nhân)",
        subtitle,
        source or "Nguồn: danh sách khen thưởng đã nạp (mỗi quyết định – người/tập thể – danh hiệu tính một lần)",
        _TOP + _BOTTOM + 40 + 62 * len(rows),
        bottom=_BOTTOM,
    )
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 40})
    return fig


def group_chart(rows: pd.DataFrame, group: str, period: str, source: str = "") -> go.Figure:
    """A group's indicators as % of target (or of the range's minimum), with a 100 % line, each
    bar labelled with its % and status word; indicators without a figure show their status only.
    During the year a flow's pro-rata share (q/4 of the year's target, from ``compared_with``)
    is marked on its bar, since it is judged against that, not against 100 %.

    :param rows: rows of the attainment report: ``name``, ``attainment_pct``, ``status``,
        ``basis``, and (optional) ``target``, ``compared_with``, ``direction``, ``final``.
    :param source: the source line ("Nguồn: …").
    """
    rows = rows.iloc[::-1]
    names = [wrap(n, 46) for n in rows["name"]]
    pct = [0 if pd.isna(p) else p for p in rows["attainment_pct"]]
    due = []
    for r in rows.to_dict("records"):
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
            due.append(compared / target * 100)
        else:
            due.append(None)
    fig = go.Figure(
        go.Bar(
            y=names,
            x=pct,
            orientation="h",
            marker={
                "color": [STATUS_COLORS.get(s, _INK) for s in rows["status"]],
                "line": {"color": _INK, "width": 1},
                "pattern": {"shape": [STATUS_PATTERNS.get(s, "") for s in rows["status"]], "fgcolor": "white"},
            },
            text=[
                ("\u2003\u2003" if d is not None and 0 <= d - p < 12 else "")
                + (format_pct(p) + " — " if not pd.isna(a) else "")
                + STATUS_LABELS.get(s, "")
                + (" (ước)" if b == "estimate" else "")
                + (f" · tiến độ KH {format_pct(d, 0)}" if d is not None else "")
                for p, a, s, b, d in zip(pct, rows["attainment_pct"], rows["status"], rows["basis"], due, strict=True)
            ],
            textposition="outside",
            textfont={"size": 14},
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f} %<extra></extra>",
        )
    )
    for i, d in enumerate(due):
        if d is not None:
            fig.add_shape(
                type="line",
                x0=d,
                x1=d,
                y0=i - 0.48,
                y1=i + 0.48,
                line={"color": _INK, "width": 3, "dash": "dash"},
            )
    fig.add_vline(
        x=100,
        line={"color": _TARGET, "width": 2, "dash": "dot"},
        layer="below",
        annotation_text="100 % kế hoạch",
        annotation_position="top",
        annotation_font={"size": 12, "color": _TARGET},
    )
    fig.update_xaxes(title={"text": "% so với kế hoạch"}, ticksuffix=" %", range=[0, max(150, max(pct) * 1.5)])
    fig.update_yaxes(tickfont={"size": 13}, automargin=True)
    subtitle = period + (
        " · vạch gạch: tiến độ kế hoạch đến kỳ (KH × quý/4)" if any(d is not None for d in due) else ""
    )
    fig = _layout(
        fig,
        f"{GROUP_LABELS.get(group, group)}: mức độ hoàn thành kế hoạch (% so với kế hoạch)",
        subtitle,
        source,
        _TOP + (_BOTTOM if source else 70) + 40 + 62 * len(rows),
        bottom=_BOTTOM if source else 70,
    )
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 40})
    return fig


def ranking_chart(
    frame: pd.DataFrame, ind: Indicator, period: str, year: int | None = None, as_of: int | None = None
) -> go.Figure:
    """Units ranked by an indicator (per-commune files): ``unit``, ``value`` columns, and
    ``quarter``/``basis`` (:func:`kpi.report.unit_figures`). A unit whose latest figure is of
    another quarter than ``as_of`` (it has not reported yet) carries that period on its bar —
    "12,5 (Quý I/2024)" — and an estimate "(ước)": bars of different periods are never shown as alike.
    """
    from kpi.vn import quarter_words

    frame = frame.sort_values("value")
    labels = []
    for value, quarter, basis in zip(
        frame["value"],
        frame["quarter"] if "quarter" in frame else [None] * len(frame),
        frame["basis"] if "basis" in frame else [""] * len(frame),
        strict=True,
    ):
        text = format_number(value)
        if basis in ("estimate", "year_estimate"):
            text += " (ước)"
        if year is not None and as_of is not None and quarter is not None and int(quarter) != as_of:
            text += f" ({quarter_words(year, int(quarter))})"
        labels.append(text)
    fig = go.Figure(
        go.Bar(
            y=frame["unit"],
            x=frame["value"],
            orientation="h",
            text=labels,
            textposition="outside",
            marker={"color": "#005a9c"},
            cliponaxis=False,
        )
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(title={"text": ind.unit})
    fig = _layout(fig, f"{wrap(ind.name, 70)} theo đơn vị ({ind.unit})", period, "", 120 + 34 * len(frame), bottom=60)
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 80})
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
