"""Bảng điều khiển chỉ tiêu thi đua — the Streamlit entry point (thin: navigation and sidebar)."""

from pathlib import Path

import streamlit as st

import appkit
from appkit import upload_guard

ICON = Path(__file__).resolve().parent / "data" / "icon.png"
upload_guard.install()  # first, once per process: uploads refused before Streamlit keeps their bytes

st.set_page_config(
    page_title="Chỉ tiêu thi đua",
    # a file of the project, not ":material/…:", whose favicon Streamlit fetches from fonts.gstatic.com
    # (an office LAN without internet; issue 14)
    page_icon=str(ICON),
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone (< 768 px), open on a wide screen
)

PRESENT = "trinh-chieu"
pages = {
    "Tổng quan": [
        st.Page("views/overview.py", title="Tổng quan", icon=":material/dashboard:", default=True),
        st.Page("views/present.py", title="Chế độ trình chiếu", icon=":material/co_present:", url_path=PRESENT),
        st.Page("views/print.py", title="Bản in (A4 ngang)", icon=":material/print:", url_path="ban-in"),
    ],
    "Theo lĩnh vực": [
        st.Page("views/economic.py", title="Kinh tế", icon=":material/payments:", url_path="kinh-te"),
        st.Page("views/social.py", title="Xã hội", icon=":material/groups:", url_path="xa-hoi"),
        st.Page("views/environment.py", title="Môi trường", icon=":material/eco:", url_path="moi-truong"),
        st.Page(
            "views/awards.py",
            title="Thi đua – Khen thưởng",
            icon=":material/military_tech:",
            url_path="thi-dua-khen-thuong",
        ),
    ],
    "Số liệu": [
        st.Page("views/upload.py", title="Tải lên báo cáo", icon=":material/upload_file:", url_path="tai-len"),
        st.Page("views/data.py", title="Dữ liệu", icon=":material/table_view:", url_path="du-lieu"),
    ],
    "Quản trị": [
        st.Page("views/plan.py", title="Kế hoạch & chỉ tiêu", icon=":material/flag:", url_path="ke-hoach"),
        st.Page(
            "views/admin.py", title="Quản trị hệ thống", icon=":material/admin_panel_settings:", url_path="quan-tri"
        ),
    ],
}
nav = st.navigation(pages)
try:
    if nav.url_path == PRESENT:
        # Presentation mode: no sidebar (the page hides it and all chrome), the period chosen before kept.
        appkit.keep_sidebar_state()
        ctx = appkit.context()
    else:
        ctx = appkit.context(draw_sidebar=True)
    st.set_page_config(page_title=appkit.app_title(ctx.con))  # the district's name is data
    appkit.uploaders_in_vietnamese()  # the file choosers' own words ("Upload", "per file") are English
    appkit.interface_in_vietnamese()  # so are Streamlit's labels for screen readers ("Help for …")
    # a phone's charts are drawn narrow: the window's width, measured in the browser; presentation
    # mode's type grows with the window's height, so it is drawn again once that is known
    appkit.screen_probe(sized_by_window=nav.url_path == PRESENT)
    appkit.preload_chart_library()  # the first chart page does not wait for plotly.js to compile
    nav.run()
except Exception as exc:  # only a damaged database block is answered here; anything else goes on up
    appkit.database_damage_stop(exc)
    raise
