"""Bản in: the overview laid out as the annex table, for the browser's print (Ctrl+P) on A4
landscape — title block, every section I–IV as a table, the groups' charts, the note on terms.

CSS (layout only) sets the page to A4 landscape, hides the app's chrome and lets Streamlit's
scrolling containers grow so every page prints, with table rows never split across pages.
On a phone the annex is a list and the charts are the group pages' phone charts (drawn for its
width), not the A4 pictures shrunk to a third.
"""

import pandas as pd
import streamlit as st

import appkit
from kpi.domain.rules import figure_mark
from kpi.errors import KpiError
from kpi.output.annex import ANNEX_HEADER, SECTIONS, figure_notes, judged_places, quarter_cell
from kpi.output.export import chart_file_name
from kpi.output.status_counts import status_counts
from kpi.vn import format_figure, format_pct
from kpi.words import GROUP_LABELS, JUDGED_FIGURE_WORDS, RANGE_PCT_NOTE, STATUS_LABELS, keep_phrases

ctx = appkit.context()
rep = appkit.report(ctx)
meta = rep.catalogue.meta
narrow = appkit.narrow_screen()

st.html(
    """<style>
@page { size: A4 landscape; margin: 10mm 10mm 12mm 10mm; }
.st-key-pr_doc table { font-size: 0.92rem; width: 100% !important; }
.st-key-pr_doc td, .st-key-pr_doc th { padding: 0.2rem 0.45rem !important; }
.st-key-pr_doc td:nth-child(n+4) p, .st-key-pr_doc th:nth-child(n+4) p { white-space: nowrap !important; }
/* every section's table the same columns (black-box at 1366 px: each table sized its own, the columns did not
   line up down the page, and «tập thể, cá nhân» took 4 lines in a 40-px ĐVT): widths in % of the page's width,
   set on the headings, which are the same in every table; the name takes what is left */
.st-key-pr_doc th:nth-child(1) { width: 4%; } .st-key-pr_doc th:nth-child(3) { width: 11.5%; }
.st-key-pr_doc th:nth-child(4) { width: 10%; } .st-key-pr_doc th:nth-child(5) { width: 9%; }
.st-key-pr_doc th:nth-child(6) { width: 8%; } .st-key-pr_doc th:nth-child(7) { width: 7%; }
.st-key-pr_doc th:nth-child(8) { width: 9.5%; } .st-key-pr_doc th:nth-child(9) { width: 11%; }
.st-key-pr_note p { font-size: 0.92rem !important; line-height: 1.45; color: #3e4c59; }
/* a phone: the names readable (not one word a line); the A4 table then scrolls sideways in its box */
@media screen and (max-width: 700px) { .st-key-pr_doc td:nth-child(2) { min-width: 11em; } }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [class*="st-key-pr_screen"] { display: none !important; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] { height: auto !important; min-height: 0 !important;
    overflow: visible !important; position: static !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr, img, .st-key-pr_head, [class*="st-key-pr_chart_"], [class*="st-key-pr_section_"] { break-inside: avoid; }
  thead { display: table-header-group; }
  [class*="st-key-pr_chart_"] img { max-height: 178mm; width: auto !important; max-width: 100%; }
}
</style>"""
)

with st.container(key="pr_screen"):
    st.info(
        "Bản in tổng quan, khổ A4 ngang: bấm **Ctrl+P** (hoặc menu In của trình duyệt) để in hay lưu PDF. "
        "Thanh bên và các nút không được in."
    )

with st.container(key="pr_doc"):
    with st.container(key="pr_head"):
        left, right = st.columns([2, 3])
        left.markdown(f"**{appkit.md(meta.get('authority_upper') or '')}**")
        right.markdown("**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  \n**Độc lập - Tự do - Hạnh phúc**")
        st.markdown(
            f"### KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {appkit.md(str(meta.get('title') or '').upper())}  \n"
            f"**{appkit.md(rep.period_text)}**"
        )
        st.caption(appkit.as_of_caption(rep))
        st.markdown(
            f"**{len(rep.table)} chỉ tiêu:** "
            + " · ".join(f"{appkit.status_badge(s)} {n}" for s, n in status_counts(rep.table["status"]))
        )

    rows = appkit.load_annex_rows(ctx.con, ctx.version, rep.year, rep.as_of)

    def number(value, basis=None, unit=None, decimals=None, shown=None) -> str:
        if value is None or pd.isna(value):
            return ""
        return format_figure(value, unit, decimals, shown) + figure_mark(basis)

    def pct(value) -> str:
        return "" if value is None or pd.isna(value) else format_pct(value).removesuffix(" %")

    def phone_lines(table: pd.DataFrame, judged: list[str]) -> str:
        """The annex's rows on a phone, each cell under its own heading's words: "**name** (unit):
        Lũy kế 2.438,3 · 73,87 % so KH · **Chậm tiến độ**" (the status word whole), then the target, the quarter's figure
        and the year-end estimate on a second line; a part a row lacks is left out, never a dash.
        ``judged``: each row's words for the figure it is judged on («Số tại thời điểm 10,4»)."""
        items = []
        for r, words in zip(table.to_dict("records"), judged, strict=True):
            name, unit = r[ANNEX_HEADER[1]], r[ANNEX_HEADER[2]]
            head = f"**{name}**" + (f" ({unit})" if unit else "")
            first = [f"{words} {r[ANNEX_HEADER[5]]}"] if r[ANNEX_HEADER[5]] else []
            if r[ANNEX_HEADER[6]]:  # a percentage out of its column is written as on the pages: "73,87 %"
                first.append(f"{r[ANNEX_HEADER[6]]}\u00a0% so KH")
            second = [f"{ANNEX_HEADER[i]} {r[ANNEX_HEADER[i]]}" for i in (3, 4, 7) if r[ANNEX_HEADER[i]]]
            items.append(
                f"- {head}: "
                + " · ".join([*first, f"**{keep_phrases(r[ANNEX_HEADER[8]])}**"])
                + "  \n  "
                + " · ".join(second)
            )
        return "\n".join(items)

    for group in GROUP_LABELS:
        mine = rows[rows["group"] == group] if len(rows) else rows
        if mine.empty:
            continue
        with st.container(key=f"pr_section_{group}"):
            st.markdown(f"**{SECTIONS[group]}. {appkit.md(GROUP_LABELS[group].upper())}**")
            table = pd.DataFrame(
                {
                    ANNEX_HEADER[0]: [str(s) for s in mine["stt"]],
                    ANNEX_HEADER[1]: [appkit.md(n) for n in mine["name"]],
                    ANNEX_HEADER[2]: [appkit.md(u) for u in mine["unit"]],
                    ANNEX_HEADER[3]: [appkit.md(t) for t in mine["target_text"]],
                    ANNEX_HEADER[4]: [
                        appkit.md(
                            quarter_cell(r)
                            or number(
                                r["quarter_value"],
                                r["quarter_basis"],
                                r["unit"],
                                r["decimals"],
                                judged_places(r, r["quarter_value"]),
                            )
                        )
                        for r in mine.to_dict("records")
                    ],
                    ANNEX_HEADER[5]: [
                        appkit.md(number(v, b, u, d, s))
                        for v, b, u, d, s in zip(
                            mine["actual"],
                            mine["basis"],
                            mine["unit"],
                            mine["decimals"],
                            mine["shown_decimals"],
                            strict=True,
                        )
                    ],
                    ANNEX_HEADER[6]: [appkit.md(pct(p)) for p in mine["attainment_pct"]],
                    ANNEX_HEADER[7]: [
                        appkit.md(number(v, "estimate", u, d))
                        for v, u, d in zip(mine["year_estimate"], mine["unit"], mine["decimals"], strict=True)
                    ],
                    ANNEX_HEADER[8]: [STATUS_LABELS[s] for s in mine["status"]],
                }
            )
            if narrow:  # a phone: one item per indicator, nothing to swipe (black-box: «Ước cả năm» was off-screen)
                with st.container(key=f"pr_narrow_{group}"):
                    judged = [JUDGED_FIGURE_WORDS[rep.catalogue[key].over_year] for key in mine["key"]]
                    st.markdown(phone_lines(table, judged))
            else:
                st.table(table, hide_index=True)

    # the note in the table's type, not a caption's (black-box: «Lũy kế…» tiny under the annex at 1920 px)
    st.container(key="pr_note").markdown(
        "Lũy kế: số được đánh giá (chỉ tiêu cộng dồn: lũy kế từ đầu năm; chỉ tiêu thời điểm: số mới nhất; khen thưởng: "
        "theo năm thành tích). «(ước)»: số ước. Chỉ tiêu chỉ có số ước cả năm: «Lũy kế» để trống, % so KH và đánh "
        "giá theo số ước cả năm. " + RANGE_PCT_NOTE + (" " + figure_notes(rows) if len(rows) else "")
    )

    if narrow:  # a phone: the group pages' phone charts, not the A4 pictures shrunk to its width (text ≈ 5 px)
        for group in GROUP_LABELS:
            if (rep.table["group"] == group).any():
                with st.container(key=f"pr_chart_{group}"):
                    st.plotly_chart(
                        appkit.load_group_figure(ctx.con, ctx.version, rep.year, rep.as_of, group, True),
                        config=appkit.chart_config(chart_file_name(group, rep)),
                        key=f"pr_figure_{group}",
                    )
    elif (problem := appkit.render_problem()) is None:
        try:
            images = appkit.load_group_pngs(ctx.con, ctx.version, rep.year, rep.as_of)
        except KpiError as exc:
            st.caption(f"Chưa vẽ được biểu đồ: {exc.message_vi}")
            images = {}
        for group, png in images.items():
            with st.container(key=f"pr_chart_{group}"):
                st.image(png, width="stretch")
    else:
        st.caption(f"Biểu đồ: {problem}")

with st.container(key="pr_screen_links"):
    appkit.page_link("views/overview.py", "", "Về trang Tổng quan", ":material/arrow_back:")
