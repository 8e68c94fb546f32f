"""Text for the pages: Markdown escaping, badges and cell colours, figures, targets and percentages as
the pages write them, the summary table (as HTML that wraps)."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape

import pandas as pd

from kpi.access.audit import actor_words
from kpi.domain.rules import STATUSES, figure_mark, progress_target
from kpi.reporting.attainment_report import Report, judged_period_words, older_quarter
from kpi.vn import format_date, format_figure, format_number, format_pct, quarter_words
from kpi.words import (
    ESTIMATE_MARK,
    GROUP_LABELS,
    STATUS_COLORS,
    STATUS_LABELS,
    STATUS_TINTS,
    STATUS_WORDS,
    keep_phrases,
    report_period_words,
)

#: Streamlit badge colours for each status (always shown with the status word).
BADGE = {
    "exceeded": "blue",
    "met": "green",
    "not_met": "red",
    "on_track": "green",
    "behind": "orange",
    "not_due": "gray",
    "no_data": "gray",
}


#: Background colours of the status cell in tables (light, readable in greyscale too).
CELL_BG = STATUS_TINTS


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>:$~"})


def md(text: object) -> str:
    """Escape text from data (names, file names) before putting it in Markdown: no user text is
    ever rendered as HTML or as Markdown markup."""
    return str(text if text is not None else "").translate(_MD_SPECIAL)


def vn_time(text: object) -> str:
    """An ISO time as Vietnamese write it: "2024-05-06 08:15:00" → "08:15 ngày 06/05/2024"; other
    text is returned as it is."""
    try:
        return dt.datetime.fromisoformat(str(text)).strftime("%H:%M ngày %d/%m/%Y")
    except ValueError:
        return str(text or "")


def lost_uploads_text(notice: dict) -> str:
    """What a recovery notice's ``lost`` uploads were and what to do, in Markdown (data escaped)."""
    lost = notice.get("lost") or []
    items = "; ".join(
        f"«{md(x['file_name'])}» ({quarter_words(x['year'], x['quarter']) if x.get('year') else 'không rõ kỳ'}, "
        f"tải lên lúc {md(vn_time(x['uploaded_at']))} bởi {md(actor_words(x['actor']))}; tệp gốc `{md(x['raw'])}`)"
        for x in lost
    )
    kept = f" Nhật ký ghi (WAL) lúc đó được giữ riêng tại `{md(notice['wal'])}`." if notice.get("wal") else ""
    return (
        f"Lúc {md(vn_time(notice['at']))}, sổ ghi nạp cho thấy {len(lost)} lần tải đã lưu thành công nhưng không còn trong "
        "cơ sở dữ liệu (nhật ký ghi WAL bị cắt cụt sau sự cố, hoặc cơ sở dữ liệu được khôi phục từ bản sao lưu "
        f"cũ hơn): {items}.{kept} Hãy tải lại từng tệp (tệp gốc vẫn còn trong kho `data/raw/`) ở trang "
        "**Tải lên báo cáo** với cùng lựa chọn, rồi xác nhận ở trang **Quản trị hệ thống**."
    )


def figure_text(row: dict, with_unit: bool = True) -> str:
    """ "2.438,3 tỷ đồng", "125 triệu đồng/ha (ước)", or "–"."""
    actual = row.get("actual")
    if actual is None or pd.isna(actual):
        return "–"
    text = format_figure(actual, row.get("unit"), row.get("decimals"), row.get("shown_decimals"))
    if with_unit:
        text += f" {row['unit']}"
    return text + figure_mark(row.get("basis"), row.get("vintage"))


def target_text(row: dict) -> str:
    target = row["target"]
    if isinstance(target, list):
        return f"{format_number(target[0])}–{format_number(target[1])} {row['unit']}"
    return f"{format_number(target)} {row['unit']}"


def pct_text(row: dict) -> str:
    pct = row.get("attainment_pct")
    if pct is None or pd.isna(pct):
        return "–"
    return format_pct(pct)


def pace_text(row: dict, indicator, year: int, as_of: int | None) -> str:
    """What an in-year word was decided against, so that «Chậm tiến độ» reads beside a year-end
    estimate that foresees the target met (black-box finding): "tiến độ đến Quý III/2024:
    2.475,7 tỷ đồng" — the progress target of :func:`kpi.domain.rules.progress_target`, written
    as every output writes the indicator's figures; "" at a final status or without a quarter."""
    if row.get("status") not in ("on_track", "behind") or not as_of:
        return ""
    threshold = progress_target(indicator, as_of)
    if threshold is None:
        return ""
    figure = format_figure(threshold, indicator.unit, indicator.decimals)
    said = f"tiến độ đến {quarter_words(year, as_of)}: {figure} {indicator.unit}"
    if (quarter := older_quarter(row, as_of)) is not None:
        # the chart's pace line stops at the figure's quarter: say the figure is older (black-box round 5)
        said += f"; số mới nhất là của {quarter_words(year, quarter)}"
    return said


def unit_figure_line(unit: dict, indicator, year: int) -> str:
    """The one unit reporting its own figure of an indicator, where there is nothing to rank:
    "Số liệu riêng của đơn vị: Xã Hiền Quan — 95,2 tỷ đồng (Quý II/2024)"; ``unit`` a row of
    :func:`kpi.reporting.attainment_report.unit_figures` (``unit``, ``value``, ``quarter``, ``basis``)."""
    figure = format_figure(unit["value"], indicator.unit, indicator.decimals) + figure_mark(unit.get("basis"))
    quarter = unit.get("quarter")
    when = f" ({quarter_words(year, quarter)})" if quarter is not None and not pd.isna(quarter) else ""
    return f"Số liệu riêng của đơn vị: {unit['unit']} — {figure} {indicator.unit}{when}"


def status_badge(status: str, wraps: bool = False) -> str:
    """Markdown for a status: the word in a coloured badge (never colour alone). ``wraps``: for a
    badge that may wrap (presentation mode's cards), its last two words kept together («Chưa đến kỳ
    / đánh giá», never «… đánh / giá»)."""
    words = STATUS_LABELS.get(status, status)
    if wraps:
        words = "\u00a0".join(words.rsplit(" ", 1))
    return f":{BADGE.get(status, 'gray')}-badge[{md(words)}]"


def summary_table(rep: Report, keys: list[str] | None = None, last_year: dict | None = None) -> pd.DataFrame:
    """The report as a table of text, one row per indicator: key, group, name, unit, target,
    actual, its period, (with ``last_year`` from :func:`load_last_year`, "Cùng kỳ năm trước"),
    % KH and the status word — every figure written by :mod:`kpi.vn`'s one formatter. The pages
    show it through :func:`summary_html`; the data keeps every column (a test, a download)."""
    table = rep.table if keys is None else rep.table[rep.table["key"].isin(keys)]
    rows = []
    for r in table.to_dict("records"):
        extra = {}
        if last_year is not None:
            value = last_year.get(r["key"])
            extra["Cùng kỳ năm trước"] = format_figure(value, r["unit"], r["decimals"]) if value is not None else "–"
        rows.append(
            {
                "Mã": r["key"],
                "Nhóm": GROUP_LABELS.get(r["group"], r["group"]),
                "Chỉ tiêu": r["name"],
                "ĐVT": r["unit"],
                "Kế hoạch": target_text(r).removesuffix(" " + r["unit"]),
                "Thực hiện": figure_text(r, with_unit=False),
                "Kỳ số liệu": figure_period(r, rep.year),
                **extra,
                "% KH": pct_text(r),
                "Đánh giá": STATUS_LABELS[r["status"]],
            }
        )
    return pd.DataFrame(rows)


#: The summary table's columns as shown (:func:`summary_html`): short headings, and how each cell
#: sits — ``name`` wraps between words, ``num`` right-aligned on one line, ``word`` on one line.
#: The key and the group are not shown (the cards are grouped already).
SUMMARY_SHOWN = {
    "Chỉ tiêu": ("Chỉ tiêu", "name"),
    "ĐVT": ("ĐVT", "unit"),
    "Kế hoạch": ("KH", "num"),
    "Thực hiện": ("Thực hiện", "num"),
    "Kỳ số liệu": ("Kỳ", "word"),
    "Cùng kỳ năm trước": ("Cùng kỳ", "num"),
    "% KH": ("% KH", "num"),
    "Đánh giá": ("Đánh giá", "word"),
}
_STATUS_OF_WORD = {word: status for status, word in STATUS_LABELS.items()}


def summary_html(table: pd.DataFrame) -> str:
    """:func:`summary_table` as an HTML table that fits the page's width (issue 14): names and
    units wrap between words instead of being cut mid-word (Streamlit's grid draws each row on one
    line), figures stay on one line, the status is its word on its tint. Every text is escaped;
    each row carries its indicator's key (``data-key``). A style sheet of constants comes first."""
    shown = [c for c in SUMMARY_SHOWN if c in table.columns]
    head = "".join(f'<th class="{SUMMARY_SHOWN[c][1]}">{escape(SUMMARY_SHOWN[c][0])}</th>' for c in shown)
    body = []
    for row in table.to_dict("records"):
        cells = []
        for c in shown:
            kind = SUMMARY_SHOWN[c][1]
            text = escape(str(row[c]))
            if c == "Đánh giá":
                tint = CELL_BG.get(_STATUS_OF_WORD.get(row[c], "no_data"), CELL_BG["no_data"])
                text = f'<span class="kpi-pill" style="background:{tint}">{text}</span>'
            cells.append(f'<td class="{kind}">{text}</td>')
        body.append(f'<tr data-key="{escape(str(row["Mã"]))}">{"".join(cells)}</tr>')
    return (
        SUMMARY_CSS
        + '<div class="kpi-summary"><table><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )


#: The summary table's style (constants only; tests/test_static_safety.py checks every sheet).
SUMMARY_CSS = (
    "<style>"
    ".kpi-summary{overflow-x:auto;margin:0 0 0.5rem 0}"
    ".kpi-summary table{width:100%;border-collapse:collapse;font-size:0.875rem;line-height:1.35}"
    ".kpi-summary th{text-align:left;font-weight:600;color:#555b66;padding:6px 8px;"
    "border-bottom:1px solid #d5d8dd;white-space:nowrap}"
    ".kpi-summary td{padding:4px 8px;border-bottom:1px solid #e6e8ec;vertical-align:top;line-height:1.5}"
    ".kpi-summary .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".kpi-summary .word{white-space:nowrap}"
    ".kpi-summary td.unit{min-width:4.5em}"
    ".kpi-summary td.name{min-width:12em}"
    ".kpi-summary tbody tr:hover{background:#f7f8fa}"
    ".kpi-pill{display:inline-block;padding:0 9px;border-radius:11px;color:#1f2328;white-space:nowrap;line-height:1.5}"
    "</style>"
)


#: The period a row's figure is of, in words: the one rule of every output.
figure_period = judged_period_words


def summary_list(rep: Report, keys: list[str] | None = None) -> str:
    """The summary table on a phone, where its columns would be slivers scrolled sideways: one
    Markdown line per indicator, "**name** — figure — % KH — the status on its colour"; a figure
    of a quarter before the report's own names it ("1.426,0 tỷ đồng (Quý I/2024)"), as the
    desktop table's «Kỳ» column does. A part
    that is missing is left out rather than written as a dash (a line of dashes, «— – — –», read
    as a mistake on a phone): an indicator without a figure reads "**name** — the status", whose
    word says it ("Chưa có số liệu"), or "**name** — chưa có số liệu — the status" when its status
    says something else. Its phrases are kept whole (:func:`kpi.words.keep_phrases`): the dash
    ends a line, a status word and a figure with its unit are never split."""
    table = rep.table if keys is None else rep.table[rep.table["key"].isin(keys)]
    current = f"{rep.year}-Q{rep.as_of}" if rep.as_of else None
    lines = []
    for r in table.to_dict("records"):
        parts = [f"**{md(r['name'])}**"]
        if figure_text(r) != "–":
            estimate = r.get("kind") == "year_estimate"  # «(ước)» is said by its period's words
            figure = md(figure_text(r).removesuffix(ESTIMATE_MARK) if estimate else figure_text(r))
            if isinstance(r.get("period"), str) and (r["period"] != current or estimate):
                # a figure of an earlier quarter, or the year's estimate, says so
                figure += f" ({md(figure_period(r, rep.year))})"
            parts.append(figure)
            if pct_text(r) != "–":
                # the sign stays with its number when the line wraps («100,00» / «% —» at 390 px)
                parts.append(md(pct_text(r)).replace(" %", "\u00a0%"))
        elif r["status"] != "no_data":
            parts.append(md(STATUS_LABELS["no_data"].lower()))
        parts.append(status_badge(r["status"]))
        # its phrases whole: a line began with a lone «— Chậm tiến độ» at 390 px (black-box, round 10)
        lines.append("- " + keep_phrases(" — ".join(parts)))
    return "\n".join(lines)


def submission_lines(subs: pd.DataFrame) -> str:
    """The uploads of the Dữ liệu page on a phone, where its table broke a file's name letter by
    letter and put «Số liệu» a sideways scroll away (black-box, 390 px): one Markdown item per
    upload, "**bao-cao-9-thang-2024.ods** — Quý III/2024 (báo cáo 9 tháng) · đang dùng · 30 số
    liệu, 1 cảnh báo", as the product's other phone lists (:func:`summary_list`); its warnings and
    notes counted when it has any (:func:`upload_counts`).

    :param subs: :func:`kpi.storage.figures.submissions`' rows: ``file_name``, ``year``,
        ``quarter`` (None for a register), ``status``, ``n_figures``, ``n_warnings``, ``n_notes``.
    """
    return "\n".join(
        f"- **{md(r['file_name'])}** — {md(report_period_words(r['year'], r['quarter']))}"
        f" · {md(STATUS_WORDS.get(r['status'], r['status']))}"
        f" · {md(upload_counts(r))}"
        for r in subs.to_dict("records")
    )


def upload_counts(sub: dict | pd.Series) -> str:
    """An upload's figures, warnings and notes in words, those of none left out: "30 số liệu, 1
    cảnh báo", "97 số liệu, 1 cảnh báo, 1 ghi chú", "44 số liệu" (black-box: «0 cảnh báo» said
    beside the upload's one note). ``sub``: a row of :func:`kpi.storage.figures.submissions`."""
    return (
        count_words(
            {
                "số liệu": int(sub["n_figures"]),
                "cảnh báo": int(sub["n_warnings"]),
                "ghi chú": int(sub.get("n_notes", 0)),
            }
        )
        or "0 số liệu"
    )


def registration_lines(units: pd.DataFrame) -> str:
    """The Thi đua page's «Danh sách đăng ký chi tiết» on a phone, where its table scrolled sideways
    under its own toolbar (black-box, 390 px): each block's name, then one Markdown item per unit of
    it, "**Xã Dân Quyền** — đã đăng ký ngày 03/02/2024 · văn bản 55/ĐK-TĐ" or "**Xã …** — **chưa
    đăng ký**", as the product's other phone lists (:func:`summary_list`). A date or number the
    list lacks is left out.

    :param units: :func:`kpi.storage.figures.registration_status`' rows: ``block``, ``unit``,
        ``registered``, ``registered_on`` (a date or NaT), ``doc_number``; in the blocks' order.
    """
    parts, block = [], None
    for r in units.to_dict("records"):
        if r["block"] != block:
            block = r["block"]
            parts.append(f"\n**{md(block)}**\n" if block else "\n")
        if r["registered"]:
            done = "đã đăng ký" + (f" ngày {format_date(r['registered_on'])}" if pd.notna(r["registered_on"]) else "")
            done += f"\u00a0· văn bản {md(r['doc_number'])}" if r["doc_number"] else ""  # «·» ends its line
        else:
            done = "**chưa đăng ký**"
        parts.append(f"- **{md(r['unit'])}** — {done}")
    return "\n".join(parts).strip()


def as_of_caption(rep: Report, keys: list[str] | None = None, period: str | None = None) -> str:
    """ "Kỳ: Quý III/2024 – lũy kế 9 tháng · số liệu cập nhật 20/11/2026 10:05 · có số liệu ước".

    :param keys: the indicators the page shows (default: all): "có số liệu ước" only when one of
        them is judged on an estimate (black-box: the Thi đua page said so with none on it).
    :param period: the page's period instead of the report's (the awards' year,
        :func:`kpi.output.export.group_period`).
    """
    from kpi.output.export import foot_line

    shown = rep.table if keys is None else rep.table[rep.table["key"].isin(keys)]
    return foot_line(rep, bool((shown["basis"] == "estimate").any()), period, caption=True)


# --- style sheets built from constants (tests/test_static_safety.py calls each and checks it is CSS only)


def status_border_css() -> str:
    """Each presentation card's left border in its status colour (:data:`kpi.words.STATUS_COLORS`);
    "no data" takes "not due"'s grey, its own being too light for a border on white."""
    rules = "\n".join(
        f'[class*="st-key-pt_tile_{s}"] {{ border-left-color: {STATUS_COLORS["not_due" if s == "no_data" else s]} !important; }}'
        for s in STATUSES
    )
    return f"<style>{rules}</style>"


#: A grid's toolbar (add a row, columns, search, full screen) is drawn 44 px tall above the grid's
#: top, on hover and on a phone after a touch for good: over the element above it, 16 px away
#: (black-box: over the «Địa bàn» box at 390 px, over the audit's «5 dòng …» line). Each grid gets
#: the 28 px more room it needs.
GRID_TOOLBAR_ROOM = "[data-testid='stElementContainer']:has([data-testid='stDataFrame']) {margin-top: 1.75rem}"


#: Streamlit stops a wrapping table's text at 25 rem (400 px), whatever its column's width: a
#: sentence wrapped at half its 720-px column at 1366 px (black-box: the Dữ liệu page's «Nội dung»).
TABLE_CELL_TEXT = "[data-testid='stTable'] td [data-testid='stMarkdownContainer'] {max-width: none}"

#: Streamlit loads an element's code on its first use in a tab (a table, a button, a chart) and
#: draws an empty grey box in its place meanwhile (its «skeleton»), even when the code is already
#: there: the upload preview showed one above «Kỳ báo cáo» (black-box at 1920 px). The place is
#: kept, left blank.
NO_SKELETON = "[data-testid='stSkeleton'] {visibility: hidden}"


def uploader_css(limit_mb: int) -> str:
    """Streamlit's file chooser in Vietnamese: its button says "Upload" and its limit "20MB per
    file", with no option to change either (Streamlit 1.67); this sheet hides those words and writes
    «Chọn tệp» and «tối đa N MB mỗi tệp» in their place (``limit_mb``: a whole number of MB). It
    also hides the one English button Streamlit adds to plotly's toolbar ("Fullscreen"), gives
    a grid's toolbar room of its own above the grid (:data:`GRID_TOOLBAR_ROOM`), wraps a
    chosen file's and a chosen option's whole name in its chip, lets a wrapping table's text
    (``st.table``) use its column's whole width (:data:`TABLE_CELL_TEXT`), and draws no empty grey
    box where an element waits for its code (:data:`NO_SKELETON`).

    The one style sheet of every page (app.py) for Streamlit's own widgets."""
    zone = '[data-testid="stFileUploaderDropzone"]'
    notes = '[data-testid="stFileUploaderDropzoneInstructions"]'
    return (
        f"<style>{zone} button [data-testid='stMarkdownContainer'] p {{display: none}}"
        f"{zone} button [data-testid='stMarkdownContainer']::after {{content: 'Chọn tệp'}}"
        f"{notes} span {{display: none}}"
        f"{notes} > div::after {{content: 'tối đa {int(limit_mb)} MB mỗi tệp'; font-size: 0.875rem; opacity: 0.6}}"
        # Streamlit's own button in plotly's toolbar has an English title only (the chart's own
        # buttons are in Vietnamese: kpi.output.charts.plotly_config); the element's toolbar keeps one
        ".modebar-btn[data-title='Fullscreen'] {display: none}"
        # a chosen file's whole name (appkit.interface_in_vietnamese writes it back) wraps in its chip
        "[data-testid='stFileChipName'] {white-space: normal; overflow-wrap: anywhere; text-overflow: clip}"
        f"{GRID_TOOLBAR_ROOM}{TABLE_CELL_TEXT}{NO_SKELETON}"
        # a chosen option's whole name wraps in its chip, the chips one under another in a box that
        # grows: an award was cut at 1366 px («…khen của Chủ tịch UBND hu…», the box scrolled sideways)
        ".stMultiSelect [data-testid='stMultiSelectTagsContainer'] {flex-wrap: wrap; height: auto; overflow: visible}"
        ".stMultiSelect div:has(> [data-testid='stMultiSelectTagsContainer']) {height: auto; max-height: none}"
        ".stMultiSelect [data-tag] {height: auto; max-width: 100%}"
        ".stMultiSelect [data-tag] > span {white-space: normal; overflow: visible; text-overflow: clip; max-width: none}"
        "</style>"
    )


_WORDS = """<script>
(() => {
  if (window.__kpiWords) return;
  window.__kpiWords = true;
  const words = %s;
  const attributes = ["aria-label", "title", "placeholder"];
  const selector = '[aria-label], [title], [placeholder], a[data-testid], button[data-testid], [data-testid="stFileChip"], ' +
    '[role="alert"], [data-testid="stTooltipErrorContent"], [role="option"] > *, ' +
    '[data-testid="stDataFrameColumnVisibilityMenu"] label > span';
  // "Select {n} matches" → a pattern whose {n} is a number, kept in the Vietnamese
  const escape = (text) => text.replace(/[.*+?^$()|[\\]\\\\{}]/g, "\\\\$&");
  const counted = words.counted.map(([english, vietnamese]) =>
    [new RegExp("^" + escape(english).replace("\\\\{n\\\\}", "(\\\\d+)") + "$"), vietnamese]);
  const said = (name, value) => {
    if (!value) return null;
    if (Object.hasOwn(words.labels, value)) return words.labels[value];
    if (name !== "aria-label") return null;
    for (const [english, vietnamese] of words.prefixes)
      if (value.startsWith(english)) return vietnamese + value.slice(english.length);
    for (const [english, vietnamese] of words.suffixes)
      if (value.endsWith(english) && /^[\\w ]+$/.test(value)) return vietnamese;
    return null;
  };
  // a file's size as Vietnamese writes it: "5.5KB" → "5,5 KB"
  const size = (text) => text.replace(/\\b(\\d+)(?:\\.(\\d+))?(B|KB|MB|GB)\\b/g,
    (m, whole, part, unit) => whole + (part ? "," + part : "") + " " + unit);
  const chip = '[data-testid="stFileChip"]';
  const mend = (el) => {
    for (const name of attributes) {
      const value = el.getAttribute(name);
      let better = said(name, value);
      if (better === null && name === "aria-label" && el.matches(chip) && size(value) !== value) better = size(value);
      if (better !== null) el.setAttribute(name, better);
    }
    if (el.childElementCount === 0 && Object.hasOwn(words.texts, el.textContent))
      el.textContent = words.texts[el.textContent];
    for (const [english, vietnamese] of el.childElementCount === 0 ? counted : []) {
      const found = english.exec(el.textContent);
      if (found) el.textContent = vietnamese.replace("{n}", found[1]);
    }
    // the chooser's own refusal of a file over the limit (its chip's alert and hover tooltip)
    const tooLarge = el.childElementCount === 0 && /^(?:Error: )?File must be (\\S+) or smaller\\.?$/.exec(el.textContent);
    if (tooLarge) el.textContent = "Tệp quá lớn: tối đa " + size(tooLarge[1]) + " mỗi tệp";
    if (el.matches(chip)) {  // a chosen file: its whole name (Streamlit cuts it «dieu-c...g-2024.xlsx»), its size
      const name = el.querySelector('[data-testid="stFileChipName"]');
      if (name && name.title && name.textContent !== name.title) name.textContent = name.title;
      const bytes = name && name.nextElementSibling;
      if (bytes && bytes.childElementCount === 0 && size(bytes.textContent) !== bytes.textContent)
        bytes.textContent = size(bytes.textContent);
    }
  };
  const walk = (node) => {
    if (node.nodeType !== 1) return;
    if (node.matches(selector)) mend(node);
    for (const el of node.querySelectorAll(selector)) mend(el);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") mend(r.target);
      else if (r.type === "characterData") {
        // a text changed in place (a list's option drawn again: «Select all» → «Select 2 matches»)
        const parent = r.target.parentElement;
        const host = parent && (parent.closest(chip) || (parent.matches(selector) ? parent : null));
        if (host) mend(host);
      } else {
        for (const n of r.addedNodes) walk(n.nodeType === 3 && n.parentElement ? n.parentElement.closest(chip) || n : n);
      }
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: attributes,
  });
  walk(document.body);
})();
</script>"""


def interface_words_script(words: dict) -> str:
    """A script that writes Streamlit's own English words in Vietnamese wherever they appear, now
    and as the page changes (a ``MutationObserver``), once per tab: whole ``aria-label``,
    ``title`` and ``placeholder`` texts (``words["labels"]``), ``aria-label`` beginnings such as
    "Help for …" whose rest is our own words (``words["prefixes"]``, longest first), whole
    ``aria-label`` texts ending so, "description icon" (``words["suffixes"]``: the rest is an
    icon's English name), and the whole
    text of Streamlit's own links and buttons (``words["texts"]``, its skip link for keyboard users)
    and of a list's options («Select all» of a multiselect's list, and of a table's «Hiện/ẩn cột»
    menu), and texts with a number in them
    (``words["counted"]``: "Select {n} matches", the number kept).

    ``words`` is ``data/interface_words.toml`` as read (three tables of English → Vietnamese
    text); it is written into the script as JSON with ``<`` escaped, so no text of it can end the
    script element. Issue 14 (8): Streamlit has no Vietnamese locale.
    """
    table = {
        "labels": dict(words.get("labels", {})),
        "prefixes": sorted(words.get("prefixes", {}).items(), key=lambda kv: -len(kv[0])),
        "suffixes": sorted(words.get("suffixes", {}).items(), key=lambda kv: -len(kv[0])),
        "texts": dict(words.get("texts", {})),
        "counted": sorted(words.get("counted", {}).items()),
    }
    return _WORDS % json.dumps(table, ensure_ascii=False).replace("<", "\\u003c")


#: A window narrower than this (CSS px) is a phone's: its charts are drawn narrow.
NARROW_BELOW_PX = 700
#: The cookie :func:`screen_probe_script` writes, and its two values.
SCREEN_COOKIE = "kpi_screen"
SCREENS = ("narrow", "wide")
#: The cookie with the window's size in CSS px, "1920x1080" (presentation mode sizes its chart's type by it).
WINDOW_COOKIE = "kpi_window"

_PROBE = """<script>
(() => {{
  const measured = window.innerWidth < {limit} ? "narrow" : "wide";
  document.cookie = "{cookie}=" + measured + "; path=/; max-age=31536000; SameSite=Lax";
  document.cookie = "{window_cookie}=" + window.innerWidth + "x" + window.innerHeight + "; path=/; SameSite=Lax";
  // a page sized by the window, unmeasured, is drawn again only when it is the tab's first page:
  // later, a reload would lose what was chosen in the session (the period in the sidebar)
  const unsized = !{window_known} && !window.__kpiProbed;
  window.__kpiProbed = true;
  if ((measured !== "{drawn}" || unsized) && !sessionStorage.getItem("{cookie}_reloaded")) {{
    sessionStorage.setItem("{cookie}_reloaded", "1");
    window.location.reload();
  }}
}})();
</script>"""


def screen_probe_script(drawn: str, window_known: bool = True) -> str:
    """The one script a page runs (:func:`appkit.widgets.screen_probe`): it measures the window,
    keeps "narrow" or "wide" in the cookie :data:`SCREEN_COOKIE`, and when the page was ``drawn``
    for the other kind of screen reloads it once per tab (so a browser that keeps no cookie is
    never reloaded again and again) — also when ``window_known`` is false and the page is the
    tab's first: a page sized by the window (presentation mode's type) drawn before the window
    was measured (black-box: 18 px labels on a link opened at 1920, where 25 px is the size).
    Reached from another page of the tab, it is not reloaded (the session's choices would be
    lost; the server sees cookies of the tab's first request only). Built from constants only;
    ``drawn`` is one of :data:`SCREENS`.

    :raises ValueError: ``drawn`` is anything else.
    """
    if drawn not in SCREENS:
        raise ValueError(drawn)
    return _PROBE.format(
        limit=NARROW_BELOW_PX,
        cookie=SCREEN_COOKIE,
        window_cookie=WINDOW_COOKIE,
        drawn=drawn,
        window_known="true" if window_known else "false",
    )


_PRELOAD = """<script>
(() => {{
  if (window.__kpiChartsLoading) return;
  window.__kpiChartsLoading = true;
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 1));
  const start = () => {{
    observer.disconnect();
    const index = document.querySelector('script[type="module"][src*="/index."]');
    if (index) import(new URL("./{chunk}", index.src).href).catch(() => {{}});
  }};
  const later = () => setTimeout(() => idle(start, {{ timeout: 4000 }}), {quiet_ms});
  let timer = later();
  const observer = new MutationObserver(() => {{
    clearTimeout(timer);
    timer = later();
  }});
  observer.observe(document.body, {{ subtree: true, childList: true, characterData: true }});
}})();
</script>"""
#: How long the page must have been still (no change drawn) before the chart library is loaded:
#: the page in view is finished and its reader is reading (issue 17).
PRELOAD_QUIET_MS = 1000


def chart_library_script(chunk: str) -> str:
    """A script that loads Streamlit's chart module (plotly.js, 4.7 MB: ≈ 0.8 s of a browser's
    main thread to compile and run, issue 17) once the page in view has been still for
    :data:`PRELOAD_QUIET_MS` and the browser is idle, once per tab, so the first page with a chart
    does not wait for it: a module is evaluated once per tab, and Streamlit's own ``import()`` of
    the same address later finds it ready. ``chunk`` is the module's file name
    among Streamlit's static files (:func:`appkit.widgets.preload_chart_library`); the address is
    resolved beside Streamlit's own entry module, so a server under a path prefix works too.

    :raises ValueError: ``chunk`` is not a file name of the form ``PlotlyChart.<hash>.js``.
    """
    if not re.fullmatch(r"PlotlyChart\.[A-Za-z0-9_-]+\.js", chunk):
        raise ValueError(chunk)
    return _PRELOAD.format(chunk=chunk, quiet_ms=PRELOAD_QUIET_MS)


def table_lines(shown: pd.DataFrame, plain: int = 1, last: str | None = None) -> str:
    """A table as a phone shows it, where its columns were slivers or a sideways swipe away (the
    product's phone lists, :func:`summary_list`): one Markdown item per row, "**first column** —
    the next ``plain`` columns as they are · the others after their heading («heading: value»)",
    the column ``last`` at the end as «heading value» ("dòng 7"); empty parts left out.

    :param shown: the table, text cells (not yet escaped for Markdown).
    """
    items = []
    for record in shown.fillna("").astype(str).to_dict("records"):
        tail = record.pop(last, "") if last is not None else ""
        (_, name), *rest = record.items()
        parts = [
            value if n < plain else f"{heading[:1].lower()}{heading[1:]}: {value}"
            for n, (heading, value) in enumerate(rest)
            if value
        ]
        parts.append(f"{last[:1].lower()}{last[1:]} {tail}" if last is not None and tail else "")
        said = " · ".join(p for p in parts if p)
        items.append(f"- **{md(name)}**" + (f" — {md(said)}" if said else ""))
    return "\n".join(items)


def register_lines(shown: pd.DataFrame) -> str:
    """A register's preview as a phone shows it (:func:`kpi.reading.registers.register_preview`;
    the table needed a sideways swipe): :func:`table_lines`, "**Cao Minh Nam (cá nhân), Công
    an huyện** — Bằng khen của Thủ tướng Chính phủ · cấp khen: Thủ tướng Chính phủ · quyết định:
    498/QĐ-TTg ngày 18/04/2025 · năm thành tích: 2024 · tính vào chỉ tiêu: Số tập thể, cá nhân được
    Thủ tướng Chính phủ tặng Bằng khen · dòng 7": the
    second column in bold, the third as it is, the others after their heading, the row («Dòng»,
    the first column) last.

    :param shown: the preview, text cells, «Dòng» first.
    """
    return table_lines(shown, last=shown.columns[0])


def count_words(counts: dict[str, int]) -> str:
    """Counts said in words, those of none left out (a «0 cảnh báo» beside a note is noise):
    ``{"số liệu": 30, "cảnh báo": 0, "ghi chú": 1}`` → "30 số liệu, 1 ghi chú"."""
    return ", ".join(f"{format_number(n)} {word}" for word, n in counts.items() if n)


#: A grid's row height in px that holds three lines of wrapped text, so a long name, award or unit
#: wraps instead of being cut (Streamlit's grid wraps text only in rows taller than 64 px; black-box
#: finding at 1366 px: «Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy» cut).
WRAPPED_ROW_PX = 68
#: A line more of a wrapped grid's row, in px.
LINE_PX = 20
#: The width in px a character of the grid's font (14 px) takes at most on average (Vietnamese,
#: lower case, with the room lost where a line breaks between words): how many fit on a line.
CHAR_PX = 7.5
#: The most lines a row grows to (a longer text is read elsewhere: a plan's sentence in its document).
MOST_LINES = 8


#: The height in px of a grid's heading row and its borders (Streamlit 1.67's dataframe).
GRID_HEADING_PX = 38


def grid_height(rows: int, row_px: int, most_rows: int = 8) -> int:
    """The height in px of a grid that shows ``rows`` rows of ``row_px`` whole, ``most_rows`` at
    most (the rest a scroll inside it away). Streamlit's own height stops near 400 px whatever
    the rows' height: an honour roll of four awards with long names, its rows of five lines,
    showed three and no sign of the fourth under «4 dòng» (black-box, round 9)."""
    return GRID_HEADING_PX + max(1, min(rows, most_rows)) * row_px


def wrapped_layout(frame: pd.DataFrame, wrapped: dict[str, tuple[int, int]]) -> tuple[dict[str, int], int]:
    """The widths of a grid's wrapped columns (``wrapped``: column → its width and its most, in
    px) and its row height, so that every text is read whole (black-box: «Ghi chú» cut at the
    bottom, «… hãy kiểm tra»; an award with the list's own writing beside it cut at the third
    line of the honour roll): a column widens for a long text up to its most, then every row grows
    from three lines (:data:`WRAPPED_ROW_PX`) up to :data:`MOST_LINES`."""
    widths, lines = {}, 3
    for column, (px, most) in wrapped.items():
        longest = int(frame[column].fillna("").astype(str).str.len().max() or 0) if column in frame else 0
        widths[column] = min(most, max(px, int(-(-longest // 3) * CHAR_PX) + 16))
        per_line = max(1, int((widths[column] - 16) / CHAR_PX))
        lines = max(lines, -(-longest // per_line))
    return widths, WRAPPED_ROW_PX + (min(lines, MOST_LINES) - 3) * LINE_PX


#: The width (px) of the grid's first column in an editor with rows to add or delete: its check
#: boxes (Streamlit 1.67's data editor; measured in the browser by tests/views/test_browser_screens.py).
ROW_MARKER_PX = 32
#: The grid's border, left and right (px).
GRID_BORDER_PX = 2


def grid_edge_css(key: str, widths: list[int]) -> str:
    """A grid wider than its room, ending at a column's edge instead of cutting the column there
    (black-box: «3.300» for 3.300,9 on a phone, the heading «Nhó» at 1366 px): for each room
    between two columns' edges (a CSS container query on the element of ``key``), the grid is as
    wide as the columns that fit whole; the others are a sideways scroll away, as before.

    :param key: the start of the element's key (``st-key-<key>…``): letters, digits, ``_``.
    :param widths: the grid's columns' widths in px, in order, its row markers' first.
    :raises ValueError: ``key`` is anything else.
    """
    if not re.fullmatch(r"[a-z0-9_]+", key):
        raise ValueError(key)
    element = f'[class*="st-key-{key}"]'
    edges = [GRID_BORDER_PX + sum(int(w) for w in widths[: n + 1]) for n in range(len(widths))]
    rules = [f"{element} {{ container-type: inline-size; }}"]
    for edge, after in zip(edges, edges[1:], strict=False):
        rules.append(
            f"@container (min-width: {edge}px) and (max-width: {after - 0.5}px) {{ "
            f'{element} [data-testid="stDataFrameResizable"] {{ width: {edge}px !important; }} }}'
        )
    return "<style>" + "\n".join(rules) + "</style>"


def history_lines(shown: pd.DataFrame, unit: str) -> str:
    """The stored versions of a figure as a phone shows them (``Số liệu này lấy từ đâu?``; its
    table was 523 px wide in 322, black-box): one Markdown item each, "**Quý III/2024 · lũy kế:**
    2.438,3 tỷ đồng (tệp ghi 2.438.300 Triệu đồng) — được dùng", then on its own line the file, the
    sheet and cell, when and by whom it was uploaded. What the file wrote is left out when it
    says the same as the figure.

    :param shown: the provenance table (:func:`appkit.widgets.provenance`): «Kỳ», «Loại số», «Số
        (unit)», «Ghi trong tệp», «Tệp», «Ô», «Tải lên», «Bởi», «Trạng thái», text.
    :param unit: the indicator's unit (the plan's).
    """
    items = []
    for r in shown.fillna("").astype(str).to_dict("records"):
        figure = f"{r[f'Số ({unit})']} {unit}".strip()
        written = r["Ghi trong tệp"]
        said = "" if not written or written.casefold() == figure.casefold() else f" (tệp ghi {written})"
        first = f"**{md(r['Kỳ'])} · {md(r['Loại số'])}:** {md(figure + said)} — {md(r['Trạng thái'])}"
        where = ", ".join(p for p in (r["Tệp"], r["Ô"]) if p)
        upload = f"tải lên {r['Tải lên']}" if r["Tải lên"] else ""
        if r["Bởi"]:
            upload = f"{upload} bởi {r['Bởi']}".strip()
        items.append(f"- {first}  \n  " + md(" · ".join(p for p in (where, upload) if p)))
    return "\n".join(items)


_TO_TOP = """<script>
(() => {
  const place = %s;
  if (window.__kpiPlace === place) return;
  window.__kpiPlace = place;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  for (let box = main; box; box = box.parentElement) if (box.scrollTop) box.scrollTop = 0;
  window.scrollTo(0, 0);
})();
</script>"""


def open_at_top_script(place: str) -> str:
    """A script that scrolls the page to its top when the tab shows another ``place`` than it
    last did (a presentation screen: ``"trinh-chieu-3"``), and leaves the page where it is when
    the same place is drawn again (a rerun of the same screen). Streamlit keeps the scroll of
    its main area across reruns, so a screen changed by a button low on the page opened scrolled
    down (black-box, 390×844: «Sau ▶» sits under the cards, and the next screen opened at its
    footer, title and cards above the window). Every scrolled box around the page's main block is
    set back to its top, and the window too. ``place`` is written as a JSON string (``<``
    escaped), so no text of it can end the script element."""
    return _TO_TOP % json.dumps(place, ensure_ascii=False).replace("<", "\\u003c")


def presentation_font_px(window: tuple[int, int] | None) -> int:
    """The smallest type of presentation mode's chart: 18 px on a 768-px-high window (readable
    from the back of a room, issue 14), growing with the window's height like the cards' type
    (which is sized in ``vh``): 25 px at 1080, at most 30."""
    height = window[1] if window else 768
    return max(18, min(30, round(18 * height / 768)))
