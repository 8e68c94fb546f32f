"""Tổng quan: how every target stands — cards per group, the summary table, the period."""

import streamlit as st

import appkit
from kpi.demo import load_samples
from kpi.errors import KpiError
from kpi.output.status_counts import status_counts
from kpi.words import GROUP_LABELS, RANGE_PCT_NOTE, STATUS_LABELS

ctx = appkit.context()
rep = appkit.report(ctx)
meta = rep.catalogue.meta
st.title(f"Tổng quan năm {rep.year}")
st.caption(
    f"{appkit.md(meta.get('title') or '')} — {appkit.md(meta.get('authority', ''))}  \n{appkit.as_of_caption(rep)}"
)
appkit.meeting_downloads(rep, "ov")

if rep.as_of is None and rep.table["actual"].isna().all():
    st.info(
        f"**Chưa có số liệu nào cho năm này.** Kế hoạch năm đã được nạp sẵn ({len(rep.table)} chỉ tiêu). "
        "Để bắt đầu:\n\n"
        "1. Vào trang **Tải lên báo cáo**, chọn các tệp báo cáo quý (.xlsx, .xls, .ods), danh sách đăng ký "
        "thi đua và danh sách khen thưởng; xem trước rồi bấm **Lưu**. Có thể tải **mẫu báo cáo** ở trang đó.\n"
        "2. Hoặc nạp 5 báo cáo mẫu (quý I, 6 tháng, 9 tháng, đăng ký thi đua, khen thưởng) để xem thử."
    )
    if ctx.can("upload") and st.button("Nạp 5 báo cáo mẫu", type="primary", key="ov_samples"):
        try:
            results = load_samples(ctx.con, ctx.actor, ctx.cfg)
        except KpiError as exc:
            appkit.show_error(exc)
        else:
            st.success(appkit.md(" ".join(r.message for r in results)))
            st.rerun()

counts = status_counts(rep.table["status"])
for col, (status, n) in zip(st.columns(len(counts) or 1), counts, strict=False):
    col.markdown(f"{appkit.status_badge(status)}  \n**{n}** chỉ tiêu")

for group, cards in appkit.overview_cards(ctx.con, ctx.version, rep.year, ctx.quarter):
    st.subheader(GROUP_LABELS[group])
    for start in range(0, len(cards), 4):
        for col, card in zip(st.columns(4), cards[start : start + 4], strict=False):
            col.container(border=True).markdown(card)

st.subheader(f"Bảng tổng hợp {len(rep.table)} chỉ tiêu")
if appkit.narrow_screen():  # a phone: a table's columns would be slivers; one line per indicator instead
    st.markdown(appkit.summary_list(rep))
else:
    st.html(appkit.load_summary_html(ctx.con, ctx.version, ctx.year, ctx.quarter, last_year=True))
st.caption(
    "Đánh giá: "
    + " · ".join(f"{w}" for w in STATUS_LABELS.values())
    + ". «(ước)»: đánh giá trên số ước. "
    + RANGE_PCT_NOTE
)
appkit.provenance(ctx, rep, list(rep.table["key"]), "ov")
