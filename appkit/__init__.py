"""The app side shared by every page (views/ and app.py), as a package:

* :mod:`appkit.text` — pure text: Markdown escaping, badges, figures as the pages write them, the summary table;
* :mod:`appkit.session` — the connection of the process, the visitor (sign-in, roles), the sidebar, page links, :func:`context`;
* :mod:`appkit.loaders` — cached loaders keyed by the data version;
* :mod:`appkit.upload_session` — what the upload page keeps per browser session;
* :mod:`appkit.widgets` — the error box, provenance, an indicator's block, a group page;
* :mod:`appkit.downloads` — PNG and meeting-file download buttons;
* :mod:`appkit.upload_guard` — Streamlit's upload route refused beyond the limits (``app.py`` installs it).

Pages import this package and stay thin: they read widgets, call :mod:`kpi`, render. Every page
also runs alone (``AppTest.from_file("views/overview.py")``): :func:`context` works without the
sidebar having been drawn. Names are re-exported here so pages write ``appkit.md``, ``appkit.context()``.
"""

from appkit.downloads import (
    DOCX_MIME,
    PPTX_MIME,
    XLSX_MIME,
    meeting_downloads,
    page_png_button,
    png_button,
    render_problem,
)
from appkit.loaders import (
    app_title,
    load_annex_rows,
    load_award_rows,
    load_awards_figure,
    load_figure_history,
    load_group_pngs,
    load_last_year,
    load_projection,
    load_registration_status,
    load_report,
    load_series,
    load_summary_html,
    load_unit_figures,
    overview_cards,
    report,
)
from appkit.session import (
    ADMIN_COMMAND,
    Context,
    _connection,
    context,
    keep_sidebar_state,
    on_server_machine,
    page_link,
    peer_address,
    recovery_banner,
    visitor_address,
)
from appkit.text import (
    BADGE,
    CELL_BG,
    as_of_caption,
    figure_text,
    lost_uploads_text,
    md,
    pct_text,
    presentation_font_px,
    status_badge,
    status_border_css,
    summary_html,
    summary_list,
    summary_table,
    target_text,
    vn_time,
)
from appkit.upload_session import UploadState, saved_entry, saved_in_session, upload_state
from appkit.widgets import (
    database_damage_stop,
    indicator_block,
    narrow_screen,
    preload_chart_library,
    provenance,
    render_group,
    screen_probe,
    show_error,
    toast_done,
    uploaders_in_vietnamese,
    window_size,
)

__all__ = [
    "ADMIN_COMMAND",
    "BADGE",
    "CELL_BG",
    "Context",
    "DOCX_MIME",
    "PPTX_MIME",
    "UploadState",
    "XLSX_MIME",
    "app_title",
    "as_of_caption",
    "context",
    "figure_text",
    "indicator_block",
    "keep_sidebar_state",
    "load_annex_rows",
    "load_award_rows",
    "load_awards_figure",
    "load_figure_history",
    "load_group_pngs",
    "load_last_year",
    "load_projection",
    "load_registration_status",
    "load_report",
    "load_series",
    "load_summary_html",
    "load_unit_figures",
    "lost_uploads_text",
    "md",
    "meeting_downloads",
    "on_server_machine",
    "overview_cards",
    "page_link",
    "page_png_button",
    "pct_text",
    "presentation_font_px",
    "peer_address",
    "png_button",
    "provenance",
    "recovery_banner",
    "render_group",
    "render_problem",
    "report",
    "saved_entry",
    "saved_in_session",
    "show_error",
    "toast_done",
    "database_damage_stop",
    "narrow_screen",
    "preload_chart_library",
    "screen_probe",
    "window_size",
    "summary_html",
    "summary_list",
    "uploaders_in_vietnamese",
    "status_badge",
    "status_border_css",
    "summary_table",
    "target_text",
    "upload_state",
    "visitor_address",
    "vn_time",
    "_connection",
]
