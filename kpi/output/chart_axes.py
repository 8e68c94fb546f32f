"""The y axis of an indicator chart (:mod:`kpi.output.charts`): a range that keeps every marker
clear of the axis line and of the plot's top, and ticks that all carry the same number of decimals.

Black-box findings (round 10): last year's «Cùng kỳ năm trước» square at y = 10 sat on the x axis
line, half hidden, because the range was widened by only 5 % of the span (≈ 1 px on a narrow span);
and the ticks read «88,5 / 88 / 87,5 / 87» (plotly's ``~r`` drops a zero) beside figures written
87,60 and 87,84.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

__all__ = ["CLEAR_PX", "fit_y", "tick_step"]

#: How far (px) a marker's centre stays from the plot's bottom (the x axis line) and top: the
#: largest marker's radius (13–14 px across plus its 3-px line, ≈ 8,5 px) and a gap of ≥ 5 px.
CLEAR_PX = 14


def _marker_values(fig: go.Figure) -> list[float]:
    """The y of every point drawn as a marker (lines-only traces, such as the pro-rata line from
    «Đầu năm» 0, carry none; a marker of size 0 is no marker)."""
    found = []
    for trace in fig.data:
        if "markers" not in str(trace.mode or "") or trace.y is None:
            continue
        sizes = trace.marker.size if isinstance(trace.marker.size, (list, tuple)) else None
        for i, y in enumerate(trace.y):
            if y is None or (isinstance(y, float) and math.isnan(y)):
                continue
            if sizes is not None and i < len(sizes) and not sizes[i]:
                continue
            found.append(float(y))
    return found


def tick_step(span: float, ticks: int) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) giving at most about ``ticks`` ticks over ``span``."""
    raw = span / max(ticks - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))


def _decimals(step: float) -> int:
    return max(0, math.ceil(-math.log10(step) - 1e-9))


def fit_y(fig: go.Figure, values: list[float], plot_px: int, ticks: int) -> go.Figure:
    """Widen the y range (``[low, high]`` set by the chart) so that each marker and each of
    ``values`` (figures about to be drawn) sits :data:`CLEAR_PX` px or more inside a plot of
    ``plot_px`` px — never on the x axis line — then tick it every round step, each tick with the
    step's decimals (``,.1f`` with the charts' separators ",.": «87,0 / 87,5 / 88,0»).

    A range starting at 0 or above keeps starting there or above (no negative tick under counts
    and rates): a marker at 0 itself stays on the axis, as a zero is read there."""
    if fig.layout.yaxis.range is None:
        return fig
    low, high = (float(v) for v in fig.layout.yaxis.range)
    floor = 0.0 if low >= 0 else None
    drawn = [*values, *_marker_values(fig)]
    if drawn:
        lowest, highest = min(drawn), max(drawn)
        low, high = min(low, lowest), max(high, highest)
        share = CLEAR_PX / plot_px
        for _ in range(4):  # the clearance is a share of the span it widens: a few rounds settle it
            span = high - low
            low, high = min(low, lowest - share * span), max(high, highest + share * span)
        if floor is not None:
            low = max(low, floor)
    step = tick_step(high - low, ticks)
    fig.update_yaxes(range=[low, high], tickmode="linear", tick0=0, dtick=step, tickformat=f",.{_decimals(step)}f")
    return fig
