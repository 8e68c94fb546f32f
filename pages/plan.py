"""Kế hoạch & chỉ tiêu: the year's targets (admins edit them; everyone else is told who can)."""

import pandas as pd
import streamlit as st

import appkit
from kpi.plan import GROUP_LABELS, load_catalogue
from kpi.vn import format_number

ctx = appkit.context()
st.title("Kế hoạch & chỉ tiêu")
if not ctx.can("edit_targets"):
    st.warning(
        "Chỉ **quản trị viên** mới xem và sửa được trang này. Hãy đăng nhập bằng tài khoản quản trị "
        "(ô đăng nhập ở thanh bên)."
    )
    st.stop()
catalogue = load_catalogue(ctx.con, ctx.year)
meta = catalogue.meta
st.caption(f"{appkit.md(meta.get('title') or '')} — {appkit.md(meta.get('authority') or '')}")
st.dataframe(
    pd.DataFrame(
        [
            {
                "Mã": i.key,
                "Nhóm": GROUP_LABELS[i.group],
                "Chỉ tiêu": i.name,
                "ĐVT": i.unit,
                "Kế hoạch": (
                    f"{format_number(i.lo)}–{format_number(i.hi)}"
                    if i.direction == "range"
                    else format_number(i.target)
                ),
                "Chiều": i.direction,
                "Cộng dồn trong năm": i.over_year,
                "Giữa các đơn vị": i.across_units,
                "Khi có số": i.when_known,
            }
            for i in catalogue.indicators
        ]
    ),
    hide_index=True,
    width="stretch",
)
