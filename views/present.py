"""Chế độ trình chiếu: the targets on a projector — one group per screen with its cards and its
chart, big type (≥ 18 px at 1366×768), no sidebar or editing chrome, previous/next, and on every
screen a footer with the district, the period, the data's as-of date and "số liệu ước" when the
screen shows estimates. A group of up to four indicators shows its cards in a row over the chart;
a bigger one its chart on the left and its cards listed on the right, so each screen fits
1920×1080 and 1366×768 without scrolling (issue 14).

The screen is chosen by the ``man`` query parameter (1 = the opening screen, then one per group),
so a link or a reload keeps the place. CSS (layout only: sizes in viewport units so the same
screen fits 1920×1080 and 1366×768) hides the chrome; every text is a Streamlit element, escaped.
"""

import pandas as pd
import streamlit as st

import appkit
from kpi.domain.plan import GROUPS
from kpi.domain.rules import figure_mark
from kpi.output.annex import SECTIONS
from kpi.output.export import foot_line, group_figure, group_period
from kpi.output.status_counts import counts_text, status_counts
from kpi.vn import format_figure, format_pct
from kpi.words import GROUP_LABELS, QUARTER_LABELS, keep_phrases

ctx = appkit.context()
rep = appkit.report(ctx)
meta = rep.catalogue.meta

# Layout only (no user text): hide the sidebar, header, toolbar; sizes follow the screen's height.
st.html(
    """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 2.2vh 3vw 7.5vh 3vw !important; max-width: none !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 1.4vh; }
[class*="st-key-pt_"] [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
[class*="st-key-pt_"] [data-testid="stHeaderActionElements"] { display: none !important; }
.st-key-pt_head h1 { font-size: 5.6vh !important; line-height: 1.15; padding: 0 !important; margin: 0; }
.st-key-pt_head p { font-size: 2.8vh !important; line-height: 1.3; margin: 0; color: #3e4c59; }
.st-key-pt_head { gap: 0.6vh !important; }
[class*="st-key-pt_tile_"] { gap: 0.5vh !important; padding: 1.2vh 1.1vw !important; border-left-width: 1.1vh !important;
  border-left-style: solid !important; }
[class*="st-key-pt_tile_"] p { margin: 0 !important; line-height: 1.28; font-size: 2.4vh !important; }
[class*="st-key-pt_tile_"] p strong { font-size: 2.5vh; }
[class*="st-key-pt_tile_"] h2 { font-size: 5.4vh !important; line-height: 1.12; padding: 0.2vh 0 !important; margin: 0; }
[class*="st-key-pt_tile_"] .stMarkdownBadge { font-size: 2.4vh !important; padding: 0.2vh 0.6vw !important; }
.st-key-pt_grid_small [class*="st-key-pt_tile_"] p { font-size: 3vh !important; }
.st-key-pt_grid_small [class*="st-key-pt_tile_"] p strong { font-size: 3.3vh; }
.st-key-pt_grid_small [class*="st-key-pt_tile_"] h2 { font-size: 8vh !important; }
.st-key-pt_grid_small [class*="st-key-pt_tile_"] .stMarkdownBadge { font-size: 3vh !important; }
.st-key-pt_grid_small [class*="st-key-pt_tile_"] { padding: 2.4vh 1.6vw !important; gap: 1.4vh !important; }
.st-key-pt_cover [class*="st-key-pt_tile_"] h2 { font-size: 12vh !important; }
.st-key-pt_cover [class*="st-key-pt_tile_"] p, .st-key-pt_cover [class*="st-key-pt_tile_"] .stMarkdownBadge
  { font-size: 3.6vh !important; }
.st-key-pt_cover [class*="st-key-pt_tile_"] { padding: 3vh 1.6vw !important; gap: 1.6vh !important; }
.st-key-pt_cover p { font-size: 3.6vh !important; line-height: 1.6; }
.st-key-pt_cover { gap: 4vh !important; }
/* a status word is never cut with «…» on a projector (black-box: «Chưa đến k…» at 1366 and 1920 px):
   it wraps within its card, and five cards or more a row take a smaller type */
[class*="st-key-pt_tile_"] .stMarkdownBadge { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; max-width: 100%; line-height: 1.25; }
.st-key-pt_cover:has([data-testid="stColumn"]:nth-child(5)) [class*="st-key-pt_tile_"] .stMarkdownBadge
  { font-size: 2.8vh !important; }
/* the cover's cards as tall as the tallest (a wrapped word makes one taller) */
.st-key-pt_cover [data-testid="stColumn"] [data-testid="stLayoutWrapper"] { flex: 1 1 auto; }
.st-key-pt_cover [data-testid="stColumn"] [class*="st-key-pt_tile_"] { flex: 1 1 auto; height: 100%; }

.st-key-pt_list [class*="st-key-pt_tile_"] { padding: 0.4vh 0.8vw !important; gap: 0 !important;
  border-left-width: 0.9vh !important; }
.st-key-pt_list [class*="st-key-pt_tile_"] p { font-size: 2.4vh !important; line-height: 1.18; }
.st-key-pt_list [class*="st-key-pt_tile_"] .stMarkdownBadge { font-size: 2.4vh !important; }
.st-key-pt_list { gap: 0.6vh !important; }
.st-key-pt_footer { position: fixed; left: 0; right: 0; bottom: 0; z-index: 99; background: #ffffff;
  border-top: 1px solid #cbd2d9; padding: 0.9vh 3vw !important; }
.st-key-pt_footer p { font-size: 2.4vh !important; margin: 0; color: #3e4c59; }
.st-key-pt_footer button { min-height: 4.8vh; padding: 0 1.2vw; }
.st-key-pt_footer button p { font-size: 2.4vh !important; color: inherit; }
.st-key-pt_top_nav p { font-size: 17px !important; margin: 0 !important; }
.st-key-pt_top_nav button { min-height: 44px; }
@media (max-width: 700px) { .st-key-pt_footer { position: static; padding: 1vh 0 !important; }
  [data-testid="stMainBlockContainer"] { padding-bottom: 2vh !important; } }
</style>"""
)
st.html(appkit.status_border_css())  # each card's left border in its status colour

groups = [g for g in GROUPS if (rep.table["group"] == g).any()]
screens = ["cover", *groups]
try:
    screen = min(max(int(st.query_params.get("man", "1")), 1), len(screens))
except ValueError:
    screen = 1
appkit.open_at_top(f"trinh-chieu-{screen}")  # «Sau ▶» low on a phone's page: the next screen from its top


def go(to: int) -> None:
    st.query_params["man"] = str(to)


def leave(key: str) -> None:
    """«Thoát»: back to the overview, the screen's place dropped."""
    if st.button("Thoát", key=key, width="stretch" if key == "pt_exit" else "content"):
        st.query_params.clear()
        st.switch_page("views/overview.py")


def said(text: str, items: int = 0) -> str:
    """A line of the screen as Markdown (escaped), its phrases kept whole when it wraps
    (:func:`kpi.words.keep_phrases`: «Quý III/2024», «1 đúng tiến độ», «98,58 %» on a phone;
    ``items``: its short « · » items whole too)."""
    return appkit.md(keep_phrases(text, items))


def figure(row: dict) -> str:
    actual = row["actual"]
    if actual is None or pd.isna(actual):
        return "–"
    return format_figure(actual, row["unit"], row["decimals"], row.get("shown_decimals")) + figure_mark(row["basis"])


def older(row: dict) -> str:
    """ " · Quý II" when the figure is of an earlier quarter than the screen's period (its verdict
    is that quarter's: «Chậm tiến độ» of Quý II under a Quý IV heading says when), " · ước cả năm,
    báo cáo 6 tháng" for a year-end estimate judged alone, else ""."""
    period = row.get("period")
    if row.get("kind") == "year_estimate" and isinstance(period, str):  # not the quarter's own figure
        return f" · {appkit.figure_period(row, rep.year)}"
    if not isinstance(period, str) or not rep.as_of or period == f"{rep.year}-Q{rep.as_of}":  # NaN: a count
        return ""
    return f" · {QUARTER_LABELS[int(period[-1]) - 1]}"


def plan_line(row: dict) -> str:
    target = appkit.target_text(row).removesuffix(" " + row["unit"])
    pct = row["attainment_pct"]
    pct_text = "" if pct is None or pd.isna(pct) else f" · {format_pct(pct)}"
    unit = row["unit"] if not (row["actual"] is None or pd.isna(row["actual"])) else ""
    return " · ".join(p for p in (unit, f"KH {target}") if p) + pct_text + older(row)


def chart(group: str, rows: pd.DataFrame) -> None:
    """The group's chart in presentation type (≥ 18 px: readable from the back of the room), its
    marks and labels short (the cards carry the words)."""
    # a phone (presentation mode opened from a link in a chat) gets the phone's chart, which fits its width
    phone = appkit.narrow_screen()
    font = appkit.presentation_font_px(appkit.window_size())  # grows with the screen, like the cards' vh
    fig = (
        group_figure(rep, group, narrow=True) if phone else group_figure(rep, group, narrow=True, slide=True, font=font)
    )
    st.plotly_chart(fig, config={"displayModeBar": False, "staticPlot": True}, theme=None, key=f"pt_chart_{group}")


def card_list(rows: pd.DataFrame) -> None:
    """A big group's cards as a list beside its chart: the name, then figure, % and the word."""
    with st.container(key="pt_list"):
        for row in rows.to_dict("records"):
            with st.container(border=True, key=f"pt_tile_{row['status']}_{row['key']}"):
                pct = row["attainment_pct"]
                pct_text = "" if pct is None or pd.isna(pct) else f" · {format_pct(pct)}"
                st.markdown(
                    f"**{said(row['name'])}**  \n{said(appkit.figure_text(row) + pct_text + older(row))} "
                    + appkit.status_badge(row["status"], wraps=True)
                )


def tiles(rows: pd.DataFrame) -> None:
    records = rows.to_dict("records")
    per_row = 3 if len(records) > 4 else max(len(records), 1)
    size = "small" if len(records) <= 4 else "big"
    with st.container(key=f"pt_grid_{size}"):
        for start in range(0, len(records), per_row):
            for col, row in zip(st.columns(per_row, gap="medium"), records[start : start + per_row], strict=False):
                with col.container(border=True, key=f"pt_tile_{row['status']}_{row['key']}"):
                    st.markdown(f"**{said(row['name'])}**")
                    st.markdown(f"## {said(figure(row))}")
                    st.markdown(said(plan_line(row)))
                    st.markdown(appkit.status_badge(row["status"], wraps=True))


shown = rep.table if screens[screen - 1] == "cover" else rep.table[rep.table["group"] == screens[screen - 1]]
if appkit.narrow_screen():  # a phone lays the footer under the cards, ≈ 2,100 px down: the buttons on top too
    with st.container(horizontal=True, key="pt_top_nav", vertical_alignment="center"):
        st.button("◀ Trước", key="pt_prev_top", on_click=go, args=(screen - 1,), disabled=screen <= 1)
        st.markdown(f"{screen}/{len(screens)}")
        st.button("Sau ▶", key="pt_next_top", on_click=go, args=(screen + 1,), disabled=screen >= len(screens))
        leave("pt_exit_top")  # the way out in reach too, not 2–3 screens down (black-box, round 10)
with st.container(key="pt_head"):
    if screens[screen - 1] == "cover":
        st.title(said(meta.get("title") or f"Kế hoạch năm {rep.year}"))
        st.markdown(said(f"Kết quả thực hiện các chỉ tiêu — {rep.period_text}"))
    else:
        group = screens[screen - 1]
        st.title(said(f"{SECTIONS.get(group, '')}. {GROUP_LABELS[group]}"))
        st.markdown(said(f"{len(shown)} chỉ tiêu: {counts_text(shown['status'])}"))

if screens[screen - 1] == "cover":
    present = status_counts(rep.table["status"])
    with st.container(key="pt_cover"):
        for col, (status, n) in zip(st.columns(max(len(present), 1), gap="medium"), present, strict=False):
            with col.container(border=True, key=f"pt_tile_{status}_count"):
                st.markdown(f"## {n}")
                st.markdown(appkit.status_badge(status, wraps=True))
                st.markdown("chỉ tiêu")
        st.markdown(
            "  \n".join(
                f"**{said(f'{SECTIONS[g]}. {GROUP_LABELS[g]}')}**"
                + said(" — " + counts_text(rep.table.loc[rep.table["group"] == g, "status"]))
                for g in groups
            )
        )
elif len(shown) <= 4:
    tiles(shown)
    chart(screens[screen - 1], shown)
else:
    left, right = st.columns([11, 9], gap="medium")
    with left:
        chart(screens[screen - 1], shown)
    with right:
        card_list(shown)

with st.container(key="pt_footer"):
    left, prev, where, nxt, out = st.columns([14, 2, 1, 2, 2], vertical_alignment="center")
    # a group's own period: the awards' year on Thi đua – Khen thưởng, not the quarter's span
    period = rep.period_text if screens[screen - 1] == "cover" else group_period(rep, screens[screen - 1])
    # each short item whole: «(ghi «(ước)»)» went to the next line alone (black-box, round 10)
    left.markdown(said(foot_line(rep, bool((shown["basis"] == "estimate").any()), period), items=32))
    prev.button("◀ Trước", key="pt_prev", on_click=go, args=(screen - 1,), disabled=screen <= 1, width="stretch")
    where.markdown(f"{screen}/{len(screens)}")
    nxt.button(
        "Sau ▶", key="pt_next", on_click=go, args=(screen + 1,), disabled=screen >= len(screens), width="stretch"
    )
    with out:
        leave("pt_exit")
