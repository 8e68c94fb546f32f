"""PNG pictures drawn on the server (kpi.output.render): Vietnamese glyphs, width, the persistent render
server, no network, and the refusals that keep a missing browser or a hung one from blocking."""

from __future__ import annotations

import io
import os
import subprocess
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from kpi.config import settings
from kpi.errors import RenderFailed, RenderUnavailable
from kpi.output import render
from kpi.output.charts import FONT


def _title_only(text: str) -> np.ndarray:
    """A picture holding only ``text`` (black on white, 48 px, the charts' font), as greyscale."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": text, "x": 0.02, "xanchor": "left", "y": 0.5, "yanchor": "middle"},
        title_font={"size": 48, "color": "black"},
        font={"family": FONT},
        xaxis={"visible": False},
        yaxis={"visible": False},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=160,
    )
    return np.asarray(Image.open(io.BytesIO(render.png(fig, width=800, scale=1))).convert("L"))


def _runs(columns: np.ndarray, gap: int = 3) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for c in columns.tolist():
        if runs and c - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def test_fontconfig_knows_a_font_with_vietnamese_glyphs():
    listed = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True, check=True).stdout
    assert listed.strip(), "no font covers Vietnamese: install fonts-noto-core (see .ci/run)"
    assert render.vietnamese_fonts()


def test_diacritics_are_drawn_where_they_belong_and_nothing_else_changes():
    """ "Tổng thu ngân sách" against "Tong thu ngan sach": the letters are the same pixels; only
    the marks of ổ, â, á differ, each above its own letter. A missing font would draw no text
    (no ink at all); a .notdef box would replace a whole letter (ink in the letters' rows)."""
    accented = _title_only("Tổng thu ngân sách") < 128
    plain = _title_only("Tong thu ngan sach") < 128
    assert plain.sum() > 2000, "the title was not drawn: no font?"
    differ = accented != plain
    runs = _runs(np.where(differ.any(axis=0))[0])
    assert len(runs) == 3, f"expected the marks of ổ, â, á only, got columns {runs}"
    for first, last in runs:
        assert last - first < 40, "a difference wider than one letter"
        letter_top = np.where(plain[:, first : last + 1].any(axis=1))[0].min()
        rows = np.where(differ[:, first : last + 1].any(axis=1))[0]
        assert rows.max() < letter_top, "a difference inside the letter itself (.notdef box?)"
        assert accented[:letter_top, first : last + 1].sum() > 20, "no mark drawn above the letter"


def test_an_exported_picture_is_at_least_2560_px_wide_and_the_browser_stays_warm():
    fig = go.Figure(go.Bar(x=["Quý I", "Quý II"], y=[520.4, 905.6]))
    fig.update_layout(height=470, separators=",.")
    first = render.png(fig)
    with Image.open(io.BytesIO(first)) as img:
        assert img.format == "PNG" and img.size == (render.MIN_WIDTH_PX, 470 * render.EXPORT_SCALE)
    server = render._servers[render.browser_path()]
    pid = server.kaleido.subprocess.pid
    started = time.monotonic()
    render.png(fig)
    warm = time.monotonic() - started
    assert server.kaleido.subprocess.pid == pid, "the second picture must reuse the running browser"
    assert warm < 5, f"a warm picture took {warm:.1f} s"


def test_the_render_browser_cannot_reach_the_network():
    """MathJax off (kaleido would fetch it from a CDN), plotly.js from the local package, and a
    dead proxy for anything else — checked on the running browser itself."""
    render.png(go.Figure(), width=200, scale=1)
    server = render._servers[render.browser_path()]
    index = Path(server.kaleido._index.removeprefix("file://")).read_text()
    assert "https://" not in index and "http://" not in index, index
    argv = Path(f"/proc/{server.kaleido.subprocess.pid}/cmdline").read_bytes().split(b"\0")
    assert b"--proxy-server=" + render._DEAD_PROXY.encode() in argv


def test_no_browser_gives_a_vietnamese_message_at_once():
    started = time.monotonic()
    with pytest.raises(RenderUnavailable) as caught:
        render.png(go.Figure(), cfg=settings(chromium_path=""))
    assert time.monotonic() - started < 2
    assert caught.value.missing == "browser"
    assert (
        "chưa có trình duyệt Chromium" in caught.value.message_vi
        and "apt-get install chromium" in caught.value.message_vi
    )


def test_a_hung_browser_is_stopped_at_the_time_limit_and_killed(tmp_path):
    fake = tmp_path / "chromium-that-hangs"
    fake.write_text("#!/bin/sh\nexec sleep 300\n")
    fake.chmod(0o755)
    cfg = settings(chromium_path=str(fake))
    with pytest.raises(RenderFailed) as caught:
        render.png(go.Figure(), cfg=cfg, timeout=3)
    assert caught.value.cause == "timeout" and "quá 3 giây" in caught.value.message_vi

    def hung_browsers() -> list[str]:
        alive = subprocess.run(["pgrep", "-f", str(fake)], capture_output=True, text=True).stdout.split()
        return [p for p in alive if int(p) != os.getpid()]

    deadline = time.monotonic() + 30  # a bound on waiting for the kill to land, not a timing claim
    while hung_browsers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not hung_browsers(), "the hung browser was left running"
    # The real browser still draws afterwards.
    assert render.png(go.Figure(), width=200, scale=1).startswith(b"\x89PNG")


def test_a_render_over_its_time_limit_fails_cleanly_and_the_next_one_works():
    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    with pytest.raises(RenderFailed):
        render.png(fig, timeout=0.01)
    assert render.png(fig, width=300, scale=1).startswith(b"\x89PNG")
