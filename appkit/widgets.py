"""Widgets several pages draw: the error box in Vietnamese, provenance of figures, an indicator's block, a group page, page links."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

from appkit.downloads import page_png_button, png_button
from appkit.loaders import (
    load_figure_history,
    load_group_figure,
    load_indicator_figure,
    load_series,
    load_unit_figures,
    report,
)
from appkit.session import Context, context
from appkit.text import (
    SCREEN_COOKIE,
    SCREENS,
    WINDOW_COOKIE,
    as_of_caption,
    chart_library_script,
    figure_period,
    figure_text,
    history_lines,
    interface_words_script,
    md,
    open_at_top_script,
    pace_text,
    pct_text,
    screen_probe_script,
    status_badge,
    table_lines,
    target_text,
    unit_figure_line,
    uploader_css,
)
from kpi.access.audit import actor_words
from kpi.config import settings
from kpi.domain.rules import basis_of, figure_mark
from kpi.errors import KpiError, database_damage
from kpi.reporting.attainment_report import Report, indicator_period_text
from kpi.vn import figure_decimals, format_figure, quarter_words
from kpi.words import GROUP_LABELS, STATUS_LABELS


def database_damage_stop(exc: Exception) -> None:
    """When ``exc`` is DuckDB meeting a damaged block of the database file (found only when a page
    reads it, see :func:`kpi.errors.database_damage`), show the Vietnamese message and stop the
    page instead of Streamlit's English error box; any other exception returns for the caller to
    re-raise."""
    damage = database_damage(exc, str(settings().db_path))
    if damage is not None:
        st.error(md(damage.message_vi))
        st.stop()


def show_error(exc: KpiError) -> None:
    """A core error, in its Vietnamese words (escaped: they quote file and user names)."""
    st.error(md(exc.message_vi))


def lazy_expander(label: str, key: str, icon: str):
    """A collapsed expander whose content is drawn only once it is opened (Streamlit's state
    tracking: opening it reruns the page, ``.open`` says whether it is). A closed expander's
    content is otherwise drawn on every visit though nobody sees it: the figure history's table
    was ≈ 70 ms of the browser's time on each group page (issue 17, bench/run.py)."""
    return st.expander(label, icon=icon, key=key, on_change="rerun")


def provenance(ctx: Context, rep: Report, keys: list[str], key_prefix: str) -> None:
    """ "Số liệu này lấy từ đâu?": for a chosen indicator, the file, sheet and cell of the judged
    figure, who uploaded it and when, and every stored version of it."""
    from kpi.vn import format_date

    table = rep.table.set_index("key")
    options = [k for k in keys if k in table.index]
    if not options:
        return
    box = lazy_expander("Số liệu này lấy từ đâu?", f"{key_prefix}_prov_open", ":material/search:")
    with box:
        if not box.open:
            return
        key = st.selectbox(
            "Chỉ tiêu",
            options,
            key=f"{key_prefix}_prov",
            format_func=lambda k: f"{k} — {table.loc[k, 'name']}",
            placeholder="Chọn…",
        )
        row = table.loc[key].to_dict()
        row["key"] = key
        if row["actual"] is None or pd.isna(row["actual"]):
            why = "" if row["status"] == "no_data" else f" ({STATUS_LABELS[row['status']]})"  # not the same words twice
            st.write(f"Chưa có số liệu{why}.")
            if row.get("source"):  # e.g. the communes' figures that do not yet make the district's
                st.caption(md(row["source"]))
            return
        period = figure_period(row, rep.year)
        lines = [f"**Số được đánh giá:** {md(figure_text(row))} — {md(period)}"]
        if row.get("source"):
            lines.append(f"**Nguồn:** {md(row['source'])}")
        if row.get("sender") and not pd.isna(row.get("sender")):
            lines.append(f"**Cơ quan gửi:** {md(row['sender'])}")
        if row.get("doc_date") is not None and not pd.isna(row.get("doc_date")):
            lines.append(f"**Ngày văn bản:** {format_date(pd.Timestamp(row['doc_date']).date())}")
        if row.get("uploaded_by") and not pd.isna(row.get("uploaded_by")):
            when = pd.Timestamp(row["uploaded_at"]).strftime("%d/%m/%Y %H:%M")
            lines.append(f"**Tải lên bởi:** {md(actor_words(row['uploaded_by']))} lúc {when}")
        st.markdown("  \n".join(lines))
        history = load_figure_history(ctx.con, ctx.version, rep.year, key, rep.subject)
        if len(history):
            from kpi.words import STATUS_WORDS, kind_words

            unit = rep.catalogue[key].unit
            shown = pd.DataFrame(
                {
                    "Kỳ": [quarter_words(rep.year, q) for q in history["quarter"]],
                    "Loại số": [kind_words(k, rep.catalogue[key].over_year) for k in history["kind"]],
                    # the figure in the plan's unit, and what the file wrote with its own unit: a file
                    # in triệu đồng says 1.012.300 for 1.012,3 tỷ đồng (black-box finding: two numbers, no unit)
                    # an estimate marked as on every output (black-box: the six months' 1.426,0 without «(ước)»)
                    f"Số ({unit})": [
                        format_figure(v, unit, rep.catalogue[key].decimals) + figure_mark(basis_of(vintage), vintage)
                        for v, vintage in zip(history["value"], history["vintage"], strict=True)
                    ],
                    "Ghi trong tệp": [
                        f"{w} {u or unit}".strip()
                        for w, u in zip(history["written"], history["written_unit"], strict=True)
                    ],
                    "Tệp": history["file_name"],
                    "Ô": [f"trang «{sh}», ô {c}" for sh, c in zip(history["sheet"], history["cell"], strict=True)],
                    "Tải lên": history["uploaded_at"].dt.strftime("%d/%m/%Y %H:%M"),
                    "Bởi": history["uploaded_by"].map(actor_words),
                    "Trạng thái": [
                        "được dùng"
                        if used
                        # the quarter is the difference of the years to date in use (kpi.domain.quarters)
                        else "không dùng: số quý tính từ lũy kế đang dùng"
                        if worked_out
                        else "không dùng: tệp khác được ưu tiên"
                        if status == "active"
                        else STATUS_WORDS[status]
                        for status, used, worked_out in zip(
                            history["status"], history["used"], history["worked_out"], strict=True
                        )
                    ],
                }
            )
            st.caption("Mọi phiên bản đã lưu của số liệu này (bản bị thay vẫn được giữ):")
            if narrow_screen():  # a phone: one item per version, nothing to swipe (black-box: 523 px in 322)
                st.markdown(history_lines(shown, unit))
            elif len(shown) <= 30:  # a table that wraps its cells: never "Trạng thá", "được dùn" at 1366 px
                st.table(shown, hide_index=True)
            else:
                st.dataframe(shown, hide_index=True, width="stretch", placeholder="")


def table_or_lines(shown: pd.DataFrame, plain: int = 1, last: str | None = None) -> None:
    """A table that wraps its cells on a wide screen; on a phone a list, one item per row
    (:func:`appkit.text.table_lines`, ``plain`` and ``last`` as there): nothing to swipe sideways
    and no box scrolling within the page (black-box, the upload preview at 390 px: «Các dòng»
    scrolled inside itself, the correction's «N số sẽ thay đổi» needed a swipe).

    :param shown: text cells, not yet escaped for Markdown.
    """
    if narrow_screen():
        st.markdown(table_lines(shown, plain, last))
    else:
        st.table(shown.fillna("").astype(str).map(md), hide_index=True)


def grid_or_lines(shown: pd.DataFrame, plain: int = 1, last: str | None = None, **grid) -> None:
    """A grid on a wide screen (``st.dataframe`` of ``shown``, ``grid`` its other options: column
    widths, row height …); on a phone a list, one item per row (:func:`appkit.text.table_lines`,
    ``plain`` and ``last`` as there): nothing to swipe sideways, no toolbar over the line above
    (black-box, 390 px: the admin's tables, the plan reader's «Những đoạn chưa hiểu»).

    :param shown: text cells, not yet escaped for Markdown.
    """
    if narrow_screen():
        st.markdown(table_lines(shown, plain, last))
    else:
        st.dataframe(shown, hide_index=True, width="stretch", placeholder="", **grid)


def uploaders_in_vietnamese() -> None:
    """Streamlit's file chooser in Vietnamese (:func:`appkit.text.uploader_css`, with the limit of
    :func:`kpi.config.upload_limit_mb`). A style alone takes no room on the page (Streamlit puts it
    out of the layout)."""
    from kpi.config import upload_limit_mb

    st.html(uploader_css(upload_limit_mb()))


@functools.cache
def _interface_words() -> dict:
    """``data/interface_words.toml``: Streamlit's own English words and ours in their place."""
    import tomllib

    from kpi.config import data_file

    return tomllib.loads(data_file(None, "interface_words.toml").read_text(encoding="utf-8"))


def interface_in_vietnamese() -> None:
    """Streamlit's own words for screen readers, tooltips and keyboard users in Vietnamese
    (:func:`appkit.text.interface_words_script`). A few bytes of script in the sidebar, nothing shown."""
    with st.sidebar:
        st.html(interface_words_script(_interface_words()), unsafe_allow_javascript=True)


def narrow_screen() -> bool:
    """Whether the browser's window is a phone's, so its charts are drawn narrow
    (:mod:`kpi.output.charts`, issue 14): what the page itself measured (:func:`screen_probe`'s
    cookie) — a phone "requesting the desktop site", a desktop window made narrow, a tablet —
    else, on a first visit, whether its User-Agent says "Mobile" (every phone browser's does)."""
    try:
        measured = st.context.cookies.get(SCREEN_COOKIE)
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no request behind the run (AppTest): a wide screen
        return False
    if measured in SCREENS:
        return measured == "narrow"
    return "Mobile" in agent or "Android" in agent


def window_size() -> tuple[int, int] | None:
    """The browser window's (width, height) in CSS px as the page last measured it
    (:func:`screen_probe`), or ``None`` before it has."""
    try:
        width, height = (int(v) for v in (st.context.cookies.get(WINDOW_COOKIE) or "").split("x"))
    except (ValueError, AttributeError):
        return None
    except Exception:  # noqa: BLE001 - no request behind the run (AppTest)
        return None
    return (width, height) if 200 <= width <= 10000 and 200 <= height <= 10000 else None


#: What a wide page takes beside its charts (CSS px): the sidebar (300 px) and the main column's
#: padding (2 × 80 px) measured 460 px at 1366 and 1920 px; 10 px more to be safe.
_AROUND_CHART_PX = 470


def chart_width() -> int | None:
    """A wide page's chart's width (CSS px) as the window the page measured allows, in steps of
    50 px (one cached figure per step: 850 px at a 1366-px window, 1450 at 1920), or ``None`` on a phone, before the window is measured or
    where it is no wider than the narrowest wide chart (:data:`kpi.output.charts.WIDE_CHART_MIN_PX`,
    what the charts are wrapped for without a width). Titles, subtitles and names are wrapped to it
    (black-box, round 10: at ≈ 600 px on charts 1000–1600 px wide, the right half empty)."""
    from kpi.output.charts import WIDE_CHART_MIN_PX

    size = window_size()
    if narrow_screen() or size is None:
        return None
    width = (size[0] - _AROUND_CHART_PX) // 50 * 50
    return width if width > WIDE_CHART_MIN_PX else None


def chart_config(file_name: str) -> dict:
    """The options of a chart of the pages (:func:`kpi.output.charts.plotly_config`, its PNG named
    ``file_name``); on a phone without plotly's toolbar: a touch screen shows it all the time, over
    the chart's top right where titles and the caption above sit (black-box finding at 390 px),
    and the page's own «Tải biểu đồ (PNG)» button saves the picture there."""
    from kpi.output.charts import plotly_config

    config = plotly_config(file_name)
    if narrow_screen():
        config["displayModeBar"] = False
    return config


def screen_probe(sized_by_window: bool = False) -> None:
    """Measure the window in the browser (the server cannot) and keep it in a cookie; when the
    page was drawn for the other kind of screen — or, ``sized_by_window``, before the window's size
    was known — reload it once. A few bytes of script in the sidebar (mounted, even collapsed),
    nothing shown."""
    with st.sidebar:
        drawn = "narrow" if narrow_screen() else "wide"
        known = not sized_by_window or window_size() is not None
        st.html(screen_probe_script(drawn, known), unsafe_allow_javascript=True)


def open_at_top(place: str) -> None:
    """Show the page from its top whenever it draws another ``place`` than before in this tab
    (:func:`appkit.text.open_at_top_script`): a few bytes of script in the sidebar (mounted, even
    hidden), nothing shown."""
    with st.sidebar:
        st.html(open_at_top_script(place), unsafe_allow_javascript=True)


@functools.cache
def _chart_module() -> str | None:
    """The file name of Streamlit's chart module among its static files (it changes with each
    Streamlit release), or ``None`` where it is not found."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(p.name for p in folder.glob("PlotlyChart.*.js"))
    return found[0] if len(found) == 1 else None


def preload_chart_library() -> None:
    """Have the browser load the chart library while it is idle (:func:`chart_library_script`):
    the first page with a chart then opens without its 0.8 s of compiling. Nothing shown; nothing
    done where the module is not found (another Streamlit release lays its files out otherwise)."""
    chunk = _chart_module()
    if chunk:
        with st.sidebar:
            st.html(chart_library_script(chunk), unsafe_allow_javascript=True)


def indicator_block(ctx: Context, rep: Report, key: str) -> None:
    """One indicator's chart with its projection, status, target and source line under it, its
    PNG, and the units ranked when they report their own figures. An indicator without any
    in-year figure gets one line of text instead of an empty chart."""
    from kpi.output.charts import nothing_to_draw
    from kpi.output.export import chart_file_name, source_line

    table = rep.table.set_index("key")
    row = table.loc[key].to_dict()
    row["key"] = key
    ind = rep.catalogue[key]
    series = load_series(ctx.con, ctx.version, rep.year, key, rep.as_of)
    empty = nothing_to_draw(ind, series, row)
    if empty is not None:
        st.markdown(f"**{md(ind.name)}** ({md(ind.unit)}): {status_badge(row['status'])} {md(empty)}")
        # the district has no in-year figure, but units may have their own: said, never hidden
        # (black-box: a commune's stored «Tỷ lệ hộ nghèo 0,15 %» was shown nowhere)
        for unit in load_unit_figures(ctx.con, ctx.version, rep.year, key, rep.as_of).to_dict("records"):
            st.caption(md(unit_figure_line(unit, ind, rep.year)))
        return
    fig, projection, last_year = load_indicator_figure(
        ctx.con, ctx.version, ctx.year, ctx.quarter, key, narrow_screen(), chart_width()
    )
    st.plotly_chart(fig, config=chart_config(chart_file_name(key, rep)), key=f"chart_{key}")
    lines = [
        f"{status_badge(row['status'])} **{md(figure_text(row))}** · kế hoạch {md(target_text(row))}"
        f" · {md(pct_text(row))}" + (f" ({md(pace)})" if (pace := pace_text(row, ind, rep.year, rep.as_of)) else "")
    ]
    if projection is not None and projection.value is not None:
        lines.append(md(projection.text(ind.unit, figure_decimals(ind.unit, ind.decimals))))
    if rep.as_of and last_year.get(rep.as_of) is not None:
        last = format_figure(last_year[rep.as_of], ind.unit, ind.decimals)
        lines.append(f"Cùng kỳ năm trước: {md(last)} {md(ind.unit)}")
    lines.append(md(source_line(row)))
    st.markdown("  \n".join(lines))
    png_button(rep, key)
    units = load_unit_figures(ctx.con, ctx.version, rep.year, key, rep.as_of)
    if len(units) == 1:  # nothing to rank, but a unit's own figure is said (black-box: stored, never seen)
        st.caption(md(unit_figure_line(units.iloc[0].to_dict(), ind, rep.year)))
    if len(units) >= 2:
        from kpi.output.charts import ranking_chart

        box = lazy_expander(
            f"So sánh giữa các đơn vị ({len(units)} đơn vị có số liệu riêng)",
            f"rank_{key}_open",
            ":material/leaderboard:",
        )
        with box:
            if box.open:
                st.plotly_chart(
                    # the indicator's own period words (a level: «số tại thời điểm cuối kỳ», never «lũy kế»)
                    ranking_chart(
                        units,
                        ind,
                        indicator_period_text(ind.over_year, rep.year, rep.as_of),
                        rep.year,
                        rep.as_of,
                        narrow=narrow_screen(),
                    ),
                    config=chart_config(f"{key}_don-vi"),
                    key=f"rank_{key}",
                )


def render_group(group: str) -> None:
    """A group page (Kinh tế, Xã hội, Môi trường): every indicator against its target; the group's
    chart and its PNG buttons only when one of its indicators has a figure."""
    from kpi.output.export import chart_file_name

    ctx = context()
    rep = report(ctx)
    title = GROUP_LABELS[group]
    st.title(title)
    rows = rep.table[rep.table["group"] == group]
    st.caption(as_of_caption(rep, list(rows["key"])))  # "có số liệu ước" only for this page's figures
    if rows["actual"].isna().all():  # a chart of empty rows says less than a sentence (issue 14)
        st.info(f"Chưa có số liệu nào của nhóm {title} ({rep.period_text}): biểu đồ hiện khi có báo cáo.")
    else:
        page_png_button(rep, group)
        st.plotly_chart(
            load_group_figure(ctx.con, ctx.version, ctx.year, ctx.quarter, group, narrow_screen(), chart_width()),
            config=chart_config(chart_file_name(group, rep)),
            key=f"group_{group}",
        )
        png_button(rep, group)
    for key in rows["key"]:
        st.divider()
        indicator_block(ctx, rep, key)
    provenance(ctx, rep, list(rows["key"]), f"grp_{group}")


#: Streamlit folds a longer toast behind an English «view more»: a toast says at most this much.
TOAST_CHARS = 100


def toast_done(message: str) -> None:
    """A short «done» toast with a material icon (an emoji may have no glyph on an office PC): the
    message's first sentence, cut at a word within :data:`TOAST_CHARS`; the page shows the whole."""
    text = message.split(". ")[0].strip()
    if len(text) > TOAST_CHARS:
        text = text[: TOAST_CHARS - 1].rsplit(" ", 1)[0] + "…"
    st.toast(md(text), icon=":material/check_circle:")
