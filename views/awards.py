"""Thi đua – Khen thưởng: awards against targets, the honour roll, registration by block."""

import pandas as pd
import streamlit as st

import appkit
from kpi.domain.rules import award_count_keys, registration_share_keys
from kpi.output.export import AWARDS_CHART, chart_file_name, group_period
from kpi.storage.figures import search
from kpi.vn import format_date
from kpi.words import excerpt

ctx = appkit.context()
rep = appkit.report(ctx)
st.title("Thi đua – Khen thưởng")
table = rep.table[rep.table["group"] == "awards"]
# the awards' year, not the quarter's span; "có số liệu ước" only for a figure of this page
st.caption(appkit.as_of_caption(rep, list(table["key"]), group_period(rep, "awards")))
counted = table[table["key"].isin(award_count_keys(rep.catalogue))]
if len(counted):
    st.plotly_chart(
        appkit.load_awards_figure(
            ctx.con, ctx.version, ctx.year, ctx.quarter, appkit.narrow_screen(), appkit.chart_width()
        ),
        config=appkit.chart_config(chart_file_name(AWARDS_CHART, rep)),
        key="awards",
    )
    appkit.png_button(rep, AWARDS_CHART)
    if appkit.narrow_screen():  # a phone: "name — figure — % — word", not a table scrolled sideways
        st.markdown(appkit.summary_list(rep, list(counted["key"])))
    else:
        st.html(appkit.load_summary_html(ctx.con, ctx.version, ctx.year, ctx.quarter, tuple(counted["key"])))
    st.caption(
        "Khen thưởng tính theo **năm thành tích** (quyết định khen thưởng ban hành từ tháng 12 năm đó đến giữa "
        "năm sau); mỗi quyết định – người/tập thể – danh hiệu chỉ tính một lần."
    )

st.header("Đăng ký thi đua theo khối")
share = table[table["key"].isin(registration_share_keys(rep.catalogue))]
for row in share.to_dict("records"):
    st.markdown(
        f"{appkit.status_badge(row['status'])} **{appkit.md(row['name'])}**: "
        f"{appkit.md(appkit.figure_text(row))} (kế hoạch {appkit.md(appkit.target_text(row))})"
    )
registration = appkit.load_registration_status(ctx.con, ctx.version, ctx.year, ctx.quarter)
if not registration.loaded:  # nothing is known of who registered: no unit gets a verdict
    st.info(
        f"Chưa nạp danh sách đăng ký thi đua năm {registration.year}: chưa biết đơn vị nào đã đăng ký. "
        "Tải danh sách ở trang **Tải lên báo cáo**."
    )
else:
    cols = st.columns(max(1, len(registration.blocks)))
    for col, r in zip(cols, registration.blocks.itertuples(), strict=False):
        col.metric(r.block, f"{r.registered}/{r.total}")
    missing = registration.missing
    if len(missing):
        st.warning(
            f"Chưa đăng ký (tính đến {format_date(registration.until)}): "
            + "; ".join(
                f"{appkit.md(u)} ({appkit.md(b)})" for u, b in zip(missing["unit"], missing["block"], strict=True)
            )
        )
    elif len(registration.units):
        st.success("Tất cả đơn vị trong các khối đã đăng ký thi đua.")
    st.caption("Theo danh sách: " + appkit.md("; ".join(registration.lists)))
    status = registration.units
    box = appkit.lazy_expander("Danh sách đăng ký chi tiết", "aw_reg_open", ":material/list_alt:")
    with box:
        if box.open and appkit.narrow_screen():  # a phone: one item per unit, nothing to swipe (black-box)
            with st.container(key="aw_reg_list"):
                st.markdown(appkit.registration_lines(status))
        elif box.open:
            st.dataframe(
                pd.DataFrame(
                    {
                        "Khối thi đua": status["block"],
                        "Cơ quan, đơn vị": status["unit"],
                        "Đã đăng ký": status["registered"].map({True: "Có", False: "Chưa"}),
                        "Ngày đăng ký": [format_date(d) if pd.notna(d) else "" for d in status["registered_on"]],
                        "Số văn bản": status["doc_number"],
                    }
                ),
                hide_index=True,
                width="stretch",
                placeholder="",
                # within the expander's 870 px at 1366: a unit's name whole, not the columns' even
                # shares («Phòng Nông nghiệp và Phát triển nông thô» cut)
                column_config={
                    "Khối thi đua": st.column_config.TextColumn(width=200),
                    "Cơ quan, đơn vị": st.column_config.TextColumn(width=320),
                    "Đã đăng ký": st.column_config.TextColumn(width=95),
                    "Ngày đăng ký": st.column_config.TextColumn(width=115),
                    "Số văn bản": st.column_config.TextColumn(width=140),
                },
            )

#: The honour roll's columns' widths (px): seven columns that add up to 880 px, the table's width
#: at 1366 px beside the sidebar (black-box: 1255 px in a 904-px frame, «Ngày quyết định» cut to
#: «Ng»), a name of the samples on three lines («Tổ Hành chính - Phòng Nông nghiệp và Phát triển
#: nông thôn (tập thể)»). Names, units, awards, decisions and the indicators wrap: the rows grow
#: for a longer one (:func:`appkit.wrapped_layout`: an award with the list's own writing beside
#: it was cut at the third line, black-box).
ROLL_PX = {
    "Họ tên / Tập thể": 189,
    "Cơ quan, đơn vị": 130,
    "Danh hiệu / Hình thức": 160,
    "Cấp khen": 80,
    "Quyết định": 105,
    "Năm": 50,
    "Tính vào": 166,
}
#: An indicator's name in the honour roll's «Tính vào»: the plan's, whole up to this many characters
#: (three lines of its column), else cut between words (kpi.words.excerpt). Its key meant nothing
#: to a reader (black-box: «TD05» explained only under the table).
ROLL_NAME_CHARS = 60


st.header("Danh sách khen thưởng")
roll = appkit.load_award_rows(ctx.con, ctx.version)  # «repeats»: the row a «trùng» repeats
if roll.empty:
    st.info("Chưa nạp danh sách khen thưởng nào. Tải danh sách ở trang **Tải lên báo cáo**.")
else:
    # the award filter the widest: a chosen award is a chip of its full name («Chiến sĩ thi đua cơ sở»
    # was drawn «iến sĩ thi đua cơ sở», scrolled, at 1366 px)
    c1, c2, c3, c4 = st.columns([2, 4, 2, 3])
    years = sorted(roll["achievement_year"].dropna().astype(int).unique(), reverse=True)
    year = c1.selectbox(
        "Năm thành tích", ["Tất cả", *years], index=1 if rep.year in years else 0, key="aw_year", placeholder="Chọn…"
    )
    awards = c2.multiselect(
        "Danh hiệu / hình thức",
        sorted(roll["award_name"].unique()),  # the plan's names: «CSTĐCS» is «Chiến sĩ thi đua cơ sở»
        key="aw_award",
        placeholder="Chọn một hoặc nhiều…",
    )
    kind = c3.selectbox("Tập thể/cá nhân", ["Tất cả", "tập thể", "cá nhân"], key="aw_kind", placeholder="Chọn…")
    query = c4.text_input("Tìm (tên, đơn vị — gõ không dấu cũng được)", key="aw_query")
    scope = roll  # the rows of the year, kind and search chosen, whatever award is picked
    if year != "Tất cả":
        scope = scope[scope["achievement_year"] == year]
    if kind != "Tất cả":
        scope = scope[scope["recipient_kind"] == kind]
    scope = search(
        scope, query, ["recipient", "unit", "award_name", "award_written", "decision_number", "decision_written"]
    )
    shown = scope[scope["award_name"].isin(awards)] if awards else scope
    # awards of the rows on screen that may be one (said in the preview only, before saving): not
    # another year's spellings; of the awards picked, those that may be one of them
    names_here = tuple(sorted(scope["award_name"].unique()))
    if doubts := appkit.load_award_doubts(ctx.con, ctx.version, names_here, tuple(sorted(awards))):
        st.caption(f":material/help: {appkit.md(doubts)}")
    st.caption(f"{len(shown)} dòng · {int(shown['counted'].sum())} tính vào chỉ tiêu")
    # a row repeated in another list is «trùng» too, not «không» (black-box: a supplement's repeat)
    plan = {ind.key: excerpt(ind.name, ROLL_NAME_CHARS) for ind in rep.catalogue.indicators}
    counted_in = [
        plan.get(k, k) if c else ("trùng" if isinstance(rep_, str) else "không")
        for k, c, rep_ in zip(shown["key"], shown["counted"], shown["repeats"], strict=True)
    ]
    decisions = [
        " ngày ".join(p for p in (str(n) if pd.notna(n) else "", format_date(d) if pd.notna(d) else "") if p)
        for n, d in zip(shown["decision_number"], shown["decision_date"], strict=True)
    ]
    names = [
        f"{n} ({k})" if isinstance(k, str) and k else str(n)
        for n, k in zip(shown["recipient"], shown["recipient_kind"], strict=True)
    ]
    # the award by its full name, as the list wrote it in brackets when that differs («CSTĐCS»)
    award_texts = [f"{n} ({a})" if a else n for n, a in zip(shown["award_name"], shown["award_aside"], strict=True)]
    # what «trùng» and «không» mean, under the table (before the list on a phone)
    notes = []
    repeated = shown[~shown["counted"].astype(bool) & shown["repeats"].notna()]
    if len(repeated):
        notes.append("«trùng»: đã tính ở một dòng khác cùng quyết định, người/tập thể và danh hiệu")
    if (~shown["counted"].astype(bool) & shown["repeats"].isna()).any():
        notes.append("«không»: hình thức khen không thuộc chỉ tiêu nào của kế hoạch")
    if appkit.narrow_screen():  # a phone: one line per award, nothing a swipe away (black-box)
        # each line names its indicator as the plan does: a key explained only after the 101st line
        # was no help on a phone (black-box finding); what «trùng» and «không» mean comes first
        if notes:
            st.caption("**Tính vào chỉ tiêu:** " + "; ".join(notes) + ".")
        lines = [
            f"- **{appkit.md(name)}** — {appkit.md(award)}"
            + (f" · cấp khen: {appkit.md(level)}" if isinstance(level, str) and level else "")
            + "".join(f" · {appkit.md(part)}" for part in (unit, decision) if isinstance(part, str) and part)
            + f" · năm {year_} · tính vào: {appkit.md(counted)}"
            + (f" (đã tính ở {appkit.md(where)})" if counted == "trùng" else "")
            for name, award, level, unit, decision, year_, counted, where in zip(
                names,
                award_texts,
                shown["award_level"],
                shown["unit"],
                decisions,
                shown["achievement_year"].astype("string").fillna("?"),
                counted_in,
                shown["repeats"],
                strict=True,
            )
        ]
        st.markdown("\n".join(lines))
    else:
        table = pd.DataFrame(
            {
                "Họ tên / Tập thể": names,
                "Cơ quan, đơn vị": shown["unit"],
                "Danh hiệu / Hình thức": award_texts,
                "Cấp khen": shown["award_level"],
                "Quyết định": decisions,
                "Năm": shown["achievement_year"].astype("string"),
                "Tính vào": counted_in,
            }
        )
        _widths, row_px = appkit.wrapped_layout(table, {column: (px, px) for column, px in ROLL_PX.items()})
        helps = {"Năm": "Năm thành tích", "Tính vào": "Chỉ tiêu của kế hoạch mà dòng này được tính vào"}
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            placeholder="",
            # nothing is pinned: a pinned column is drawn grey, and the names read as disabled (black-box)
            row_height=row_px,
            height=appkit.grid_height(len(table), row_px),
            column_config={
                column: st.column_config.TextColumn(width=px, help=helps.get(column)) for column, px in ROLL_PX.items()
            },
        )
        if notes:
            st.caption("**Tính vào chỉ tiêu:** " + "; ".join(notes) + ".")
        if len(repeated):  # which row each «trùng» repeats: the cell has room for the word only
            said = [
                f"{appkit.md(n)} — {appkit.md(a)} ({appkit.md(f)}, dòng {r}): đã tính ở {appkit.md(w)}"
                for n, a, f, r, w in zip(
                    repeated["recipient"],
                    repeated["award_name"],
                    repeated["file_name"],
                    repeated["row_number"],
                    repeated["repeats"],
                    strict=True,
                )
            ]
            more = f"; và {len(said) - 5} dòng trùng khác" if len(said) > 5 else ""
            st.caption("**Dòng trùng:** " + "; ".join(said[:5]) + more + ".")
