"""Bản in: the overview laid out as the annex table, for the browser's print (Ctrl+P) on A4
landscape — title block, every section I–IV as a table, the groups' charts, the note on terms.

CSS (layout only) sets the page to A4 landscape, hides the app's chrome and lets Streamlit's
scrolling containers grow so every page prints, with table rows never split across pages.
"""

import pandas as pd
import streamlit as st

import appkit
from kpi.domain.rules import STATUSES, figure_mark
from kpi.errors import KpiError
from kpi.output.annex import ANNEX_HEADER, SECTIONS, judged_places, overtaken_note
from kpi.vn import format_figure, format_pct
from kpi.words import GROUP_LABELS, RANGE_PCT_NOTE, STATUS_LABELS

#: On a phone the annex's columns (:data:`ANNEX_HEADER`) in this order, so the name, the figure
#: judged, % KH and the word are in view and the others a swipe away (black-box finding at 390 px:
#: the A4 table scrolled sideways with only «STT | Chỉ tiêu» in view); the unit joins the name, the
#: row number is left out.
PHONE_ORDER = (1, 5, 6, 8, 3, 4, 7)

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
.st-key-pr_doc td:nth-child(2) { width: 40%; }
/* a phone: the names readable (not one word a line); the A4 table then scrolls sideways in its box */
@media screen and (max-width: 700px) { .st-key-pr_doc td:nth-child(2) { min-width: 11em; } }
/* a phone's order (PHONE_ORDER): the name wraps in 8.5 em, the figure and % KH on one line, the word wraps */
[class*="st-key-pr_narrow_"] td:nth-child(1) { min-width: 8.5em; width: auto; }
[class*="st-key-pr_narrow_"] td:nth-child(2) { min-width: 0; width: auto; }
[class*="st-key-pr_narrow_"] td:is(:nth-child(2), :nth-child(3)) p { white-space: nowrap !important; }
[class*="st-key-pr_narrow_"] td:nth-child(4) p { white-space: normal !important; }
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
        counts = rep.table["status"].value_counts()
        st.markdown(
            f"**{len(rep.table)} chỉ tiêu:** "
            + " · ".join(f"{appkit.status_badge(s)} {counts[s]}" for s in STATUSES if counts.get(s))
        )

    rows = appkit.load_annex_rows(ctx.con, ctx.version, rep.year, rep.as_of)

    def number(value, basis=None, unit=None, decimals=None, shown=None) -> str:
        if value is None or pd.isna(value):
            return ""
        return format_figure(value, unit, decimals, shown) + figure_mark(basis)

    def pct(value) -> str:
        return "" if value is None or pd.isna(value) else format_pct(value).removesuffix(" %")

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
                            number(
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
            if narrow:  # a phone: the name (with its unit), the figure, % KH and the word in view
                table[ANNEX_HEADER[1]] = [
                    f"{n} ({u})" if u else n
                    for n, u in zip(table[ANNEX_HEADER[1]], table[ANNEX_HEADER[2]], strict=True)
                ]
                table = table[[ANNEX_HEADER[i] for i in PHONE_ORDER]]
                with st.container(key=f"pr_narrow_{group}"):
                    st.table(table, hide_index=True)
            else:
                st.table(table, hide_index=True)

    st.caption(
        "Lũy kế: số được đánh giá (chỉ tiêu cộng dồn: lũy kế từ đầu năm; chỉ tiêu thời điểm: số mới nhất; khen thưởng: "
        "theo năm thành tích). «(ước)»: số ước. Chỉ tiêu chỉ có số ước cả năm: «Lũy kế» để trống, % so KH và đánh "
        "giá theo số ước cả năm. " + RANGE_PCT_NOTE + (" " + overtaken_note(rows) if len(rows) else "")
    )

    problem = appkit.render_problem()
    if problem is None:
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
