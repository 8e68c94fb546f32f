"""Download buttons: chart PNGs, a page's PNGs, the meeting files (annex, deck, draft report)."""

from __future__ import annotations

import streamlit as st

from appkit.session import _connection, page_link
from kpi.config import settings
from kpi.reporting.attainment_report import Report
from kpi.storage.store import cursor as store_cursor

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_problem() -> str | None:
    """Why PNG pictures (and the deck) cannot be made on this server, in words; else ``None``.
    When they can, the render server is started in the background so the first one is warm."""
    from kpi.output import render

    problem = render.problem()
    if problem is not None:
        return problem.message_vi
    render.warm()
    return None


def _deferred(make):
    """A download's data built only when the button is clicked, on Streamlit's own thread, with
    its own cursor of the process's connection (a cursor is not shared between threads)."""
    root = _connection(str(settings().db_path))

    def build() -> bytes:
        con = store_cursor(root)
        try:
            return make(con)
        finally:
            con.close()

    return build


def png_button(rep: Report, key: str) -> None:
    """ "Tải ảnh PNG" of one chart (2560 px wide), or why it cannot be made here."""
    from kpi.output.export import chart_file_name, chart_png

    problem = render_problem()
    if problem:
        st.caption(f"Ảnh PNG: {problem}")
        return
    year, quarter = rep.year, rep.as_of
    st.download_button(
        "Tải ảnh PNG",
        data=_deferred(lambda con: chart_png(con, year, key, quarter)),
        file_name=chart_file_name(key, rep) + ".png",
        mime="image/png",
        icon=":material/image:",
        key=f"png_{key}",
        on_click="ignore",
    )


def page_png_button(rep: Report, page: str) -> None:
    """ "Tải mọi biểu đồ của trang (.zip)"."""
    from kpi.output.export import page_pngs, page_zip_name

    if render_problem():
        return
    year, quarter = rep.year, rep.as_of
    st.download_button(
        "Tải mọi biểu đồ của trang (PNG, .zip)",
        data=_deferred(lambda con: page_pngs(con, year, page, quarter)),
        file_name=page_zip_name(rep, page),
        mime="application/zip",
        icon=":material/photo_library:",
        key=f"pngs_{page}",
        on_click="ignore",
    )


def meeting_downloads(rep: Report, key_prefix: str) -> None:
    """The overview's meeting output in one row (wrapped on a narrow screen): the annex table
    (.xlsx), the deck (.pptx), the print view, presentation mode and the draft report (.docx)."""
    from kpi.output.annex import write_annex
    from kpi.output.deck import write_deck
    from kpi.output.export import annex_file_name, deck_file_name
    from kpi.output.report_draft import draft_file_name, write_draft

    year, quarter = rep.year, rep.as_of
    # one row that wraps (a row of five columns cut the labels to "Tải dự thảo báo c…" at 1366 px)
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.download_button(
        "Tải phụ lục (.xlsx)",
        data=_deferred(lambda con: write_annex(con, year, quarter)),
        file_name=annex_file_name(rep),
        mime=XLSX_MIME,
        icon=":material/table:",
        key=f"{key_prefix}_annex",
        on_click="ignore",
        width="content",
    )
    problem = render_problem()
    row.download_button(
        "Tải bài trình chiếu (.pptx)",
        data=_deferred(lambda con: write_deck(con, year, quarter)),
        file_name=deck_file_name(rep),
        mime=PPTX_MIME,
        icon=":material/slideshow:",
        key=f"{key_prefix}_deck",
        on_click="ignore",
        disabled=problem is not None,
        help=problem,
        width="content",
    )
    with row:
        page_link("views/print.py", "ban-in", "Bản in (A4 ngang)", ":material/print:")
    with row:
        page_link("views/present.py", "trinh-chieu", "Chế độ trình chiếu", ":material/co_present:")
    row.download_button(
        "Tải dự thảo báo cáo (.docx)",
        data=_deferred(lambda con: write_draft(con, year, quarter)),
        file_name=draft_file_name(rep),
        mime=DOCX_MIME,
        icon=":material/description:",
        key=f"{key_prefix}_draft",
        on_click="ignore",
        width="content",
    )
