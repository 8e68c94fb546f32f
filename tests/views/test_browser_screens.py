"""The screens a district office has (issue 14), in headless Debian chromium: every page at
1920×1080 (the projector), 1366×768 (the office laptop) and 390×844 (a phone: its user agent, touch),
with the five samples loaded (the session's one server) and with an empty database (a second server on
a fresh data folder); one browser, one context per screen. On every page:

* no two SVG texts of one chart (labels, annotations, ticks, legend, titles) overlap, no line of a
  chart (target and pro-rata marks, a series' line, an arrow) is drawn through a text, no text leaves
  its chart, and no chart's title lies under its toolbar; no marker sits on an axis or zero line nor
  on another series' marker, an axis's tick figures have one number of decimals, and the labels
  under an x axis's ticks are 12 px apart or more;
* at 1366 and 1920 the summary tables (overview, emulation) do not scroll sideways, so "% KH" and
  "Đánh giá" are in the picture; on the phone those summaries are lists of "name — figure — % — word";
* the phone opens with the sidebar collapsed, the wide screens with it open (presentation mode and
  the print view hide it);
* no label cut short with an ellipsis; no Python traceback, no Streamlit error box, no English word of a library (None, NaN,
  fullCalcOnLoad, "Drag and drop" …) in the page's text;
* the upload page is checked before a file is chosen and with a preview open (a sample sent through
  the file input, its folded parts opened): a report's, an award register's and a correction's
  (its changes, old → new); on the phone each preview's tables are lists and no box scrolls
  within the page;
* on the clerk's pages (data, upload preview, plan, admin, print) no table cuts a text at 1366 and
  1920: Streamlit's grids (their columns and cells read from the grid's own props, each text
  measured in the grid's font) neither cut a cell or a heading nor scroll sideways unless their
  first columns are pinned (the plan editor), the wrapping tables do not scroll sideways nor
  wrap a text short of its cell's width (Streamlit stops a cell's text at 25 rem), no
  input's text or placeholder is wider than its box (the audit's date range);
* on the phone the data page's files are a list, one line per file (name, period, status, figures),
  neither it nor the page scrolling sideways; the upload preview's
  figures and the print view's annex are lists, nothing to swipe, and the print view's charts are the
  phone's charts, not the A4 pictures shrunk; plotly's toolbar is not drawn (a touch screen shows it all
  the time, over titles and the caption above); and anywhere a toolbar's button shown on hover
  covers no text of its chart nor the element above it;
* on the phone the summaries never write a dash for each missing part («— – — –»);
* on the clerk's pages, on every screen, no grid cuts a column at its right edge (it ends at a
  column's edge) and no grid's toolbar lies over the element above it; on the phone the plan
  editor shows each target's key, name and figure whole;
* the plan editor at 1366 and 1920 shows what a clerk reads and edits (name, target, unit,
  direction, when known, over the year) without scrolling sideways, its names not drawn grey, each
  target's «Câu trong kế hoạch» filled and a value per hectare not called a rate; the honour roll
  writes its indicators by name, not by key, its names not grey; the Thi đua page's «Danh sách
  đăng ký chi tiết», opened, is a table on a wide screen and a list on the phone;
* the print view's pictures (each group's chart drawn at the print's width) and the group pages'
  charts at 1366 and 1920 px keep every text inside, with every figure an estimate (the longest
  labels, «… (ước) · tiến độ KH 75 %»),
  and the units' ranking, opened, fits the three screens (its own server: two communes' figures).

One test per page and state (``-k du-lieu`` runs one page): the three screens' contexts are made once
per state and tour the pages in order. Each page's screenshot is saved under
``test-artifacts/screens/<state>/`` with the problems found (``problems-<page>.txt``), so a failure in
CI can be looked at. And nothing leaves the machine (an office LAN without internet: icons, fonts,
favicon): every request made during the tour goes to the server.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest

from kpi.words import STATUS_IN_SENTENCE, STATUS_LABELS
from tests.support.browser import ARTIFACTS, PHONE, SETTLED, Server, browser, ensure_samples, server, wait_for_app  # noqa: F401 - fixtures
from tests.support.samples import SAMPLE_FILES, SAMPLES

pytestmark = pytest.mark.browser

SCREENS = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "390x844": PHONE,
}
#: Every page of app.py's navigation (a file name for its screenshot → its address), presentation
#: mode on a group's screen and on its opening screen.
PAGES = {
    "tong-quan": "/",
    "kinh-te": "/kinh-te",
    "xa-hoi": "/xa-hoi",
    "moi-truong": "/moi-truong",
    "thi-dua-khen-thuong": "/thi-dua-khen-thuong",
    "tai-len": "/tai-len",
    "tai-len-xem-truoc": "/tai-len",  # the same page with a file's preview open
    "tai-len-khen-thuong": "/tai-len",  # … and an award register's (its rows, 14 columns once)
    "tai-len-sua": "/tai-len",  # … and a correction's (what saving it changes, old → new)
    "du-lieu": "/du-lieu",
    "ke-hoach": "/ke-hoach",
    "quan-tri": "/quan-tri",
    "ban-in": "/ban-in",
    "trinh-chieu": "/trinh-chieu?man=2",  # a group's screen: its cards and its chart
    "trinh-chieu-bia": "/trinh-chieu?man=1",  # the opening screen: a card per status, its word whole
}
#: Pages whose first table is a summary of the indicators (no sideways scroll on a wide screen).
SUMMARY_TABLES = ("tong-quan", "thi-dua-khen-thuong")
#: On the phone, a line of those pages' summary as "name — figure — % — word" (the upload
#: preview's figures: "key figure — period · kind · as the file wrote it · cell").
PHONE_LISTS = {
    # the dash ends a line, never starts one; a figure's unit and a status word never split (round 10)
    "tong-quan": "Tổng vốn đầu tư toàn xã hội\u00a0— 2.438,3\u00a0tỷ đồng\u00a0— 73,87\u00a0%\u00a0— Chậm\u00a0tiến\u00a0độ",
    "thi-dua-khen-thuong": (
        "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện\u00a0— 52\u00a0cá nhân\u00a0— 100,00\u00a0%\u00a0— Đạt"
    ),
    # the preview's figures, one per line (black-box: the table needed a swipe from «Ghi trong tệp»)
    # by the plan's name, not «CT01» (black-box: a key meant nothing to a clerk)
    "tai-len-xem-truoc": (
        "Tổng vốn đầu tư toàn xã hội 2.438,3 tỷ đồng — Quý III/2024 · lũy kế · tệp ghi 2.438.300 Triệu đồng · ô F9"
    ),
    # an award register's rows, one per line (black-box: its table cut «Cờ thi đua của Chính ph…»
    # and put the award, its level and decision a sideways scroll away at 1366 px)
    "tai-len-khen-thuong": "Cao Minh Nam (cá nhân), Công an huyện — Bằng khen của Thủ tướng Chính phủ · cấp khen: "
    "Thủ tướng Chính phủ · quyết định: 498/QĐ-TTg ngày 18/04/2025 · năm thành tích: 2024 · tính vào chỉ tiêu: "
    "Số tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen · dòng 7",
    # the A4 annex as items: «Ước cả năm» was a swipe away in the table (black-box)
    # (the six-month estimate: older than Quý III's figure); a rate's figure is «Số tại thời điểm»,
    # not «Lũy kế», which read as a sum (round 10)
    "ban-in": re.compile(
        re.escape(
            "Tổng vốn đầu tư toàn xã hội (tỷ đồng): Lũy kế 2.438,3 · 73,87\u00a0% so KH · Chậm\u00a0tiến\u00a0độ\n"
            "Kế hoạch năm 3.300,9 · Thực hiện kỳ 1.012,3"
        )
        + r"(?s:.*)Số bác sỹ/1 vạn dân \(bác sỹ/vạn dân\): Số tại thời điểm \d"
    ),
    # a correction's changes as items: «N số sẽ thay đổi» needed a swipe inside its table (black-box)
    # (the figure it replaces is whatever the shared server holds: other browser tests store Q1s too)
    "tai-len-sua": re.compile(r"CT01 · Tổng vốn đầu tư toàn xã hội — Quý I/2024 · lũy kế · [\d.,]+ → 530,1 · sửa"),
    # the uploads as items: a file's name broke letter by letter in the table, «Số liệu» a swipe away (black-box)
    "du-lieu": "bao-cao-9-thang-2024.ods — Quý III/2024 (báo cáo 9 tháng) · đang dùng · 30 số liệu, 1 cảnh báo",
    # the plan's targets as items, the grid folded under «Sửa trong bảng» (issue 14: 17 columns to swipe)
    "ke-hoach": "CT01 · Tổng vốn đầu tư toàn xã hội — 3.300,9\u00a0tỷ đồng — tối thiểu (≥)",
}
#: On the phone, the honour roll's line of an award counted toward an indicator names it as the plan
#: does (black-box: «tính vào: TD09» on each of 101 lines, its key only after the last).
ROLL_LINES = {"thi-dua-khen-thuong": "tính vào: Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện"}


def _roll_names_its_indicators(name: str, body: str) -> bool:
    """Whether the phone's honour roll says each line's indicator by name, never by a bare key."""
    return ROLL_LINES[name] in body and not re.search(r"tính vào: [A-Z]{2}\d", body)


#: Pages that hide the sidebar whatever the screen.
NO_SIDEBAR = ("ban-in", "trinh-chieu", "trinh-chieu-bia")
#: Words of Python, pandas, Excel or Streamlit that must never reach a page's text.
LIBRARY_WORDS = re.compile(
    r"Traceback|Exception|\w+Error\b|\bNone\b|\bNaN\b|\bnan\b|\bNaT\b|\bnull\b|\bundefined\b|"
    r"\bTrue\b|\bFalse\b|fullCalcOnLoad|Drag and drop|Browse files|per file|Page not found|"
    r"\bRunning\b|No data|\bdtype\b|\brow_number\b|\brecipient_kind\b|\bregistered_on\b|\bUpload\b|"
    r"\bDownload\b|\bBrowse\b|\bLoading\b|\bSearch\b|\bClear\b|"
    # a chosen file's size as Streamlit writes it («5.5KB») and its name cut in the middle («dieu-c...g-2024»)
    r"\b\d+\.\d+[KMG]?B\b|\b\d+[KMG]B\b|\w\.\.\.\w"
)
#: The page's text as a reader sees it, the tabs not chosen included (a click away): without
#: Material icons' ligature names ("dashboard", drawn as an icon), Streamlit's skip link for keyboard
#: users (off screen until focused) and whatever a style hides.
PAGE_TEXT = """() => {
  const hidden = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (e.matches('[data-testid="stIconMaterial"], [data-testid="stSkipToContent"], script, style')) return true;
      if (e.getAttribute('role') !== 'tabpanel' && getComputedStyle(e).display === 'none') return true;
    }
    return false;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (n.textContent.trim() && !hidden(n.parentElement)) out.push(n.textContent);
  return out.join(' ');
}"""
#: Labels cut short by the page's style ("Tải dự thảo báo c…"): text ending in an ellipsis.
CLIPPED_LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')]
  .filter(e => !e.closest('[data-collapsed="true"]') && e.getClientRects().length && e.textContent.trim()
    && getComputedStyle(e).textOverflow === 'ellipsis'
    && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().slice(0, 50))"""

# Streamlit's own words for screen readers, tooltips and keyboard users (aria-label, title,
# placeholder; the skip link): any that is English — letters of the English alphabet only, as
# "Open", "Help for Kỳ đánh giá", "Show/hide columns" — is reported.
ENGLISH_LABELS = r"""() => {
  const english = v => /^[A-Za-z][A-Za-z .\/-]{3,}$/.test(v) || /^(Help for|Remove|Upload|Page|Cancel upload of) /.test(v);
  const out = [];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
    for (const a of ['aria-label', 'title', 'placeholder']) {
      const v = (el.getAttribute(a) || '').trim();
      if (v && english(v)) out.push(`${a}="${v}"`);
    }
  const skip = document.querySelector('[data-testid="stSkipToContent"]');
  if (skip && english(skip.textContent.trim())) out.push(skip.textContent.trim());
  return [...new Set(out)];
}"""

# Every chart's texts and lines, compared in the page: boxes of two texts intersect (by more than
# a pixel), a line's points (sampled every 2 px) fall inside a text's box, or a text leaves its chart.
CHART_PROBLEMS = r"""() => {
  const problems = [];
  const shrink = (r, d) => ({l: r.left + d, r: r.right - d, t: r.top + d, b: r.bottom - d});
  const meets = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, n) => {
    const svg = chart.querySelector('svg.main-svg');
    if (!svg) { problems.push(`chart ${n}: not drawn`); return; }
    // the figure's box: the SVG's, within the element that holds it (a text past either is cut)
    const outer = svg.getBoundingClientRect(), holder = chart.getBoundingClientRect();
    const frame = {left: Math.max(outer.left, holder.left), right: Math.min(outer.right, holder.right),
                   top: Math.max(outer.top, holder.top), bottom: Math.min(outer.bottom, holder.bottom)};
    const title = (chart.querySelector('.gtitle') || {}).textContent || `chart ${n}`;
    const texts = [...chart.querySelectorAll('svg text')].filter(t => {
      if (!t.textContent.trim()) return false;
      const cs = getComputedStyle(t);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
      const r = t.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    }).map(t => ({text: t.textContent.trim().slice(0, 50), box: shrink(t.getBoundingClientRect(), 1)}));
    const where = `${title.slice(0, 40)}`;
    const bar = chart.querySelector('.modebar'), heading = chart.querySelector('.gtitle');
    if (bar && heading) {  // the toolbar shows on hover, top right: a title under it is clipped then
      const a = bar.getBoundingClientRect(), h = heading.getBoundingClientRect();
      if (a.width > 0 && meets(shrink(a, 0), shrink(h, 1))) problems.push(`${where}: the title lies under the toolbar`);
    }
    for (const t of texts)
      if (t.box.l < frame.left - 1 || t.box.r > frame.right + 1 || t.box.t < frame.top - 1 || t.box.b > frame.bottom + 1)
        problems.push(`${where}: «${t.text}» leaves the chart`);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (meets(texts[i].box, texts[j].box)) problems.push(`${where}: «${texts[i].text}» overlaps «${texts[j].text}»`);
    // markers: none on an axis line or a zero line (the axis's bottom at y = 10 hid half of last
    // year's square), none over another trace's marker (it was under the «(ước)» circle); round 10
    const rule = [...chart.querySelectorAll('path.xlines-above, path.ylines-above, .zerolinelayer path')]
      .filter(p => getComputedStyle(p).display !== 'none' && p.getAttribute('d')).map(p => p.getBoundingClientRect())
      .filter(r => r.width > 0 || r.height > 0).map(r => ({l: r.left - 0.5, r: r.right + 0.5, t: r.top - 0.5, b: r.bottom + 0.5}));
    for (const bg of chart.querySelectorAll('rect.nsewdrag')) {  // the plot's bottom and left edges (its drag area)
      const r = bg.getBoundingClientRect();
      rule.push({l: r.left, r: r.right, t: r.bottom - 0.5, b: r.bottom + 0.5}, {l: r.left - 0.5, r: r.left + 0.5, t: r.top, b: r.bottom});
    }
    const points = [...chart.querySelectorAll('.scatterlayer .trace')].flatMap((trace, k) =>
      [...trace.querySelectorAll('.points path.point')].filter(p => {  // not an invisible one (a label's offset)
        const cs = getComputedStyle(p), shown = (paint, opacity) => paint !== 'none' && parseFloat(opacity) > 0
          && !paint.replace(/\s/g, '').endsWith(',0)');
        return parseFloat(cs.opacity) > 0
          && (shown(cs.fill, cs.fillOpacity) || (parseFloat(cs.strokeWidth) > 0 && shown(cs.stroke, cs.strokeOpacity)));
      }).map(p => ({k, box: shrink(p.getBoundingClientRect(), 1)}))
        .filter(p => p.box.r > p.box.l && p.box.b > p.box.t));
    for (const p of points)
      if (rule.some(r => meets(p.box, r))) problems.push(`${where}: a marker sits on an axis line`);
    for (let i = 0; i < points.length; i++)
      for (let j = i + 1; j < points.length; j++)
        if (points[i].k !== points[j].k && meets(points[i].box, points[j].box))
          problems.push(`${where}: two series' markers overlap`);
    // an axis's ticks: one number of decimals («88,5 / 88» read as two kinds of figure), the
    // figures under an x axis's ticks 12 px apart or more («1.426,0» and «2.438,3» were 8)
    for (const kind of ['ytick', 'xtick']) {
      const ticks = [...chart.querySelectorAll(`g.${kind} text`)].filter(t => t.getBoundingClientRect().width > 0);
      const decimals = new Set(ticks.map(t => t.textContent.trim()).filter(t => /^[\d.,\s%−-]+$/.test(t))
        .map(t => (t.split(',')[1] || '').replace(/\D/g, '').length));
      if (decimals.size > 1) problems.push(`${where}: its ${kind}s mix ${[...decimals].join(' and ')} decimals`);
      if (kind === 'xtick') {
        const boxes = ticks.map(t => t.getBoundingClientRect()).sort((a, b) => a.left - b.left);
        for (let i = 1; i < boxes.length; i++)
          if (boxes[i].left - boxes[i - 1].right < 12 && boxes[i].top < boxes[i - 1].bottom && boxes[i - 1].top < boxes[i].bottom)
            problems.push(`${where}: two tick labels ${Math.round(boxes[i].left - boxes[i - 1].right)} px apart`);
      }
    }
    const lines = [...chart.querySelectorAll('.shapelayer path, .scatterlayer path.js-line, .annotation-arrow-g path')]
      .filter(p => !p.closest('.legend') && getComputedStyle(p).display !== 'none');
    for (const path of lines) {
      const length = path.getTotalLength(), m = path.getScreenCTM();
      if (!length || !m) continue;
      const crossed = new Set();
      for (let d = 0; d <= length; d += 2) {
        const p = path.getPointAtLength(d), x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
        for (const t of texts) {
          const b = shrink({left: t.box.l, right: t.box.r, top: t.box.t, bottom: t.box.b}, 2);
          if (x > b.l && x < b.r && y > b.t && y < b.b) crossed.add(t.text);
        }
      }
      for (const text of crossed) problems.push(`${where}: a line crosses «${text}»`);
    }
  });
  return problems;
}"""


#: A script's function ``gridProps(grid)``, for a Streamlit grid (``st.dataframe``, drawn on a
#: canvas): ``null`` when it is not drawn (a closed expander's or tab's), else its canvas and the
#: props of the component that draws it — its columns with their widths, its rows, its cells —
#: (``props`` ``null`` when they are not found: another Streamlit?) — and ``cellText(cell)``, a
#: cell's text as shown (a choice's label). One piece for :data:`TABLES` and :func:`_each_grid`.
GRID_PROPS = """const gridProps = grid => {
  const canvas = grid.querySelector('canvas[data-testid="data-grid-canvas"]');
  if (!canvas || !canvas.getClientRects().length) return null;
  let fiber = canvas[Object.keys(canvas).find(k => k.startsWith('__reactFiber'))], props = null;
  for (let depth = 0; fiber && depth < 40 && !props; depth++, fiber = fiber.return) {
    const p = fiber.memoizedProps;
    if (p && Array.isArray(p.columns) && typeof p.getCellContent === 'function') props = p;
  }
  return {canvas, props};
};
const cellText = cell => { const d = cell.data;
  return String(d && d.kind === 'dropdown-cell'
    ? (((d.allowedValues || []).find(o => o && (o.value ?? o) === d.value) || {}).label ?? d.value ?? '')
    : cell.displayData ?? cell.data ?? ''); };
const grids = () => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')];"""


def _each_grid(body: str) -> str:
    """A script giving, for each grid of the main area in view whose props are read, what ``body``
    returns (``grid``, ``canvas`` and ``props`` bound; a grid it returns nothing for is left out)."""
    return (
        """() => {
  """
        + GRID_PROPS
        + """
  return grids().map(grid => {
    const {canvas, props} = gridProps(grid) || {};
    if (!props) return null;
"""
        + body
        + """
  }).filter(found => found);
}"""
    )


#: Every table of the main area in view (a closed expander's or tab's is skipped), as the reader
#: sees it: Streamlit's wrapping tables (``st.table``) and its grids (``st.dataframe``, drawn on a
#: canvas: their columns, widths and cells are read from the grid's own props, each text measured
#: in the grid's font). For each: its headings with whether each is in view without scrolling,
#: whether it scrolls sideways, whether its first columns are pinned, the texts it cuts, and (a
#: wrapping table) the texts it wraps short of their cell's width («Nội dung» wrapped at 400 px
#: of its 720-px column at 1366 px: Streamlit's own limit of a cell's text, 25 rem).
TABLES = (
    """() => {
  """
    + GRID_PROPS
    + """
  const measure = document.createElement('canvas').getContext('2d');
  const found = [];
  document.querySelectorAll('[data-testid="stMain"] [data-testid="stTable"]').forEach(table => {
    const box = table.firstElementChild;
    if (!box || !box.getClientRects().length) return;
    const frame = box.getBoundingClientRect();
    const heads = [...table.querySelectorAll('th')].filter(th => th.getClientRects().length)
      .map(th => [th.innerText.trim(), th.getBoundingClientRect().right <= frame.right + 1]);
    const cells = [...table.querySelectorAll('td')].filter(td => td.getClientRects().length);
    const cut = cells.filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.innerText.trim().slice(0, 40));
    // a paragraph on more than one line (no line break of its own) whose text is narrower than its cell
    const short = cells.filter(td => {
      const text = td.querySelector('[data-testid="stMarkdownContainer"]'), p = text && text.querySelector('p');
      if (!p || p.querySelector('br')) return false;
      const cs = getComputedStyle(td), line = parseFloat(getComputedStyle(p).lineHeight) || 21;
      const room = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      return p.getBoundingClientRect().height > 1.5 * line && text.getBoundingClientRect().width < room - 8;
    }).map(td => td.innerText.trim().slice(0, 40));
    found.push({kind: 'table', heads, scrolls: box.scrollWidth > box.clientWidth + 1, pinned: false, cut, short,
                widths: [box.scrollWidth, box.clientWidth]});
  });
  grids().forEach(grid => {
    const drawn = gridProps(grid);
    if (!drawn) return;
    const {canvas, props} = drawn;
    if (!props) { found.push({kind: 'grid', unreadable: true, heads: [], cut: []}); return; }
    const style = getComputedStyle(grid.querySelector('.stDataFrameGlideDataEditor'));
    const pad = parseFloat(style.getPropertyValue('--gdg-cell-horizontal-padding')) || 8;
    const size = parseFloat(style.getPropertyValue('--gdg-base-font-style').split(' ').pop()) || 14;
    measure.font = `${style.getPropertyValue('--gdg-base-font-style')} ${style.getPropertyValue('--gdg-font-family')}`;
    // the lines a row holds (Streamlit's grid wraps only in rows taller than 64 px)
    const lines = Math.max(1, Math.floor((props.rowHeight - 6) / (size * 1.4)));
    const cut = [], heads = [];
    let right = 0;
    props.columns.forEach((col, c) => {
      right += col.width;
      if (col.title) heads.push([col.title, right <= canvas.clientWidth + 1]);
      const heading = measure.measureText(col.title).width + 2 * pad + (col.icon ? 22 : 0);
      if (heading > col.width + 1) cut.push(`heading «${col.title}»`);
      for (let r = 0; r < Math.min(props.rows, 300); r++) {
        const cell = props.getCellContent([c, r]), text = cellText(cell);
        if (!text || cell.kind === 'boolean') continue;
        const room = col.width - 2 * pad, width = measure.measureText(text).width;
        // a wrapped text takes a little more than its width: lines break between words
        const fits = cell.allowWrapping ? Math.ceil(width * 1.1 / room) <= lines : width <= room + 0.5;
        if (!fits) cut.push(`«${text.slice(0, 40)}» in «${col.title}»`);
      }
    });
    const total = props.columns.reduce((sum, col) => sum + col.width, 0);
    found.push({kind: 'grid', heads, scrolls: total > canvas.clientWidth + 1, pinned: props.freezeColumns > 0, cut,
                widths: [total, canvas.clientWidth]});
  });
  return found;
}"""
)
#: The main area's inputs whose text (or placeholder, when empty) does not fit their box: a text
#: measured in its font wider than the field, or a field's box (the date range's two dates side by
#: side, «dd / mm / yyyy – dd» at 1366 px) scrolled or clipped; a text area shorter than its text (it scrolls).
CUT_INPUTS = """() => {
  const measure = document.createElement('canvas').getContext('2d');
  const widgets = '[data-testid="stMain"] :is([data-testid="stDateInput"], [data-testid="stTextInput"], '
    + '[data-testid="stNumberInput"], [data-testid="stTimeInput"], [data-testid="stTextArea"])';
  const cut = [];
  document.querySelectorAll(widgets).forEach(widget => {
    if (!widget.getClientRects().length) return;
    const label = (widget.querySelector('label') || widget).innerText.trim().slice(0, 40);
    for (const box of widget.querySelectorAll('div')) {
      const cs = getComputedStyle(box);
      if (box.clientWidth > 2 && ['auto', 'hidden', 'scroll', 'clip'].includes(cs.overflowX)
          && box.scrollWidth > box.clientWidth + 1) { cut.push(label); return; }
    }
    for (const i of widget.querySelectorAll('input')) {
      if (i.clientWidth <= 2 || ['hidden', 'file', 'checkbox', 'radio', 'date'].includes(i.type)) continue;
      const cs = getComputedStyle(i);
      measure.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (measure.measureText(i.value || i.placeholder || '').width > room + 1) { cut.push(label); return; }
    }
    for (const t of widget.querySelectorAll('textarea')) {  // a box shorter than its text scrolls it
      if (t.clientHeight > 2 && t.scrollHeight > t.clientHeight + 1) { cut.push(label); return; }
    }
  });
  return cut;
}"""
#: Plotly's toolbar: whether any of its buttons is drawn, and any of them that covers a text of its
#: chart (a title, a tick) or the element above the chart (its caption).
TOOLBARS = """() => {
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let drawn = 0;
  const over = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, n) => {
    const buttons = [...chart.querySelectorAll('.modebar-btn')].filter(b => {
      const r = b.getBoundingClientRect(), cs = getComputedStyle(b.closest('.modebar') || b);
      return r.width > 0 && r.height > 0 && cs.display !== 'none' && cs.visibility !== 'hidden';
    });
    drawn += buttons.length;
    const texts = [...chart.querySelectorAll('svg text')].filter(t => t.textContent.trim());
    const above = (chart.closest('[data-testid="stElementContainer"]') || {}).previousElementSibling;
    for (const b of buttons) {
      const r = b.getBoundingClientRect();
      for (const t of texts) if (meets(r, t.getBoundingClientRect())) over.push(`chart ${n}: «${t.textContent.trim().slice(0, 30)}»`);
      if (above && above.innerText && meets(r, above.getBoundingClientRect())) over.push(`chart ${n}: «${above.innerText.trim().slice(0, 30)}» above it`);
    }
  });
  return {drawn, over: [...new Set(over)]};
}"""
#: Every grid of the main area in view, column by column as drawn (read from the grid's own props,
#: as :data:`TABLES`): its heading, whether it is in view without scrolling sideways, whether its
#: cells are drawn faded (grey, as a pinned column's: it reads as one that cannot be edited) and
#: each row's text (a choice's label, as shown).
GRID_COLUMNS = _each_grid("""    let right = 0;
    return props.columns.map((col, c) => {
      right += col.width;
      const cells = [...Array(Math.min(props.rows, 300)).keys()].map(r => props.getCellContent([c, r]));
      return {title: col.title || '', inView: right <= canvas.clientWidth + 1,
              faded: cells.some(cell => cell.style === 'faded'), texts: cells.map(cellText)};
    });""")
#: Each grid in view whose column at its right edge is cut there (black-box: «3.300» for 3.300,9 in
#: the plan editor on a phone, its heading «Nhó» at 1366 px): the grid ends at a column's edge, the
#: columns after it a sideways scroll away.
GRID_EDGES = _each_grid("""    let left = 0;
    for (const col of props.columns) {
      const right = left + col.width;
      if (left < canvas.clientWidth - 1 && right > canvas.clientWidth + 1) return col.title || '(row markers)';
      left = right;
    }
    return null;""")
#: Each grid's toolbar (shown on hover, and for good after a touch on a phone) over the element
#: above the grid (black-box: over the «Địa bàn» box of the plan page at 390 px): the grid's
#: element, the toolbar's box and the previous element's, the bottom of its text.
GRID_TOOLBAR = """grid => {
  const bar = grid.querySelector('[data-testid="stElementToolbar"]');
  const box = grid.closest('[data-testid="stElementContainer"]');
  let above = box && box.previousElementSibling;
  while (above && !above.getClientRects().length) above = above.previousElementSibling;
  if (!bar || !above || !bar.getClientRects().length) return null;
  const r = bar.getBoundingClientRect(), a = above.getBoundingClientRect();
  return r.top < a.bottom - 1 && r.bottom > a.top ? (above.innerText || '').trim().slice(0, 40) || '(an element)' : null;
}"""


def _grid_toolbar_problems(pg) -> list[str]:
    """Each grid of the page hovered (a phone's emulated touch hovers too) and its toolbar's box
    compared with the element above the grid."""
    problems = []
    grids = pg.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    for n in range(grids.count()):
        grid = grids.nth(n)
        if not grid.is_visible():
            continue
        grid.scroll_into_view_if_needed()
        grid.hover(position={"x": 5, "y": 5})
        pg.locator('[data-testid="stElementToolbar"]').first.wait_for(state="attached")
        if (over := grid.evaluate(GRID_TOOLBAR)) is not None:
            problems.append(f"a grid's toolbar lies over «{over}» above it")
    return problems


#: The plan editor's columns a clerk reads and edits, in view at 1366 px without scrolling sideways
#: (black-box: 2,657 px of columns in a 904-px column, the target and unit a scroll away).
PLAN_IN_VIEW = ("Mã", "Chỉ tiêu", "Kế hoạch", "ĐVT", "Chiều", "Khi có số", "Trong năm")
#: How a value per hectare (CT03) adds up across units, in the editor's words: not «(tỷ lệ)»,
#: which it is not (black-box).
PER_HECTARE_ACROSS = "không cộng (tỷ lệ, bình quân)"


#: The plan page's tab bar: its tabs within its width (black-box, issue 14: «Lịch sử thay đổi» a
#: sideways scroll away at 390 px), and the page within the screen.
TAB_BARS = """() => [...document.querySelectorAll('[data-testid="stMain"] [role="tablist"]')]
  .filter(e => e.getClientRects().length).map(e => [e.scrollWidth, e.clientWidth])"""
SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
#: The plan editor's choice of its columns (each choice a set that fits the screen).
PLAN_VIEW_CHOICE = '.st-key-plan_cols [data-testid="stButtonGroup"] button'
#: Every column of the plan editor a clerk may read or edit: each in some choice of columns, none lost.
PLAN_ALL_COLUMNS = (
    "Mã", "Chỉ tiêu", "Kế hoạch", "ĐVT", "Chiều", "Khi có số", "Trong năm", "Nhóm", "Câu trong kế hoạch",
    "Giữa đơn vị", "Số năm trước", "Đếm từ", "Thuộc mã", "Số TT", "Danh hiệu / hình thức", "Đối tượng",
    "Cơ quan tặng thưởng",
)  # fmt: skip


#: The headings of the grids in view, as one text (what a choice of columns changes).
GRID_TITLES = f"() => JSON.stringify(({GRID_COLUMNS})().map(grid => grid.map(c => c.title)))"


def _plan_view_problems(pg) -> list[str]:
    """The plan editor's grid in view as it is: it does not scroll sideways (pinned or not), nor do
    the tab bar and the page."""
    problems = []
    for table in pg.evaluate(TABLES):
        if table["kind"] == "grid" and table.get("scrolls"):
            problems.append(
                f"the grid «{' | '.join(h for h, _ in table['heads'])[:60]}» scrolls sideways {table['widths']}"
            )
    problems += [f"the tab bar scrolls sideways {w}" for w in pg.evaluate(TAB_BARS) if w[0] > w[1] + 1]
    whole, room = pg.evaluate(SIDEWAYS)
    if whole > room + 1:
        problems.append(f"the page scrolls sideways {[whole, room]}")
    return problems


def _plan_views_problems(pg) -> list[str]:
    """The plan page (issue 14, strict): on every screen neither its tab bar nor the page nor the
    targets' grid scrolls sideways, in each of the grid's choices of columns (the phone's grid
    folded under «Sửa trong bảng», opened); every column of the editor is in one of them (nothing
    lost by fitting the screen); on the phone the targets are first a list."""
    folded = pg.locator(FOLDED, has_text="Sửa trong bảng")
    if folded.count():
        folded.first.click()
        pg.locator('[data-testid="stExpander"] details[open] [data-testid="stDataFrame"] canvas').first.wait_for()
        _settle(pg)
    problems, seen = _plan_view_problems(pg), set()
    for columns in pg.evaluate(GRID_COLUMNS):
        seen |= {c["title"] for c in columns}
    choices = pg.locator(PLAN_VIEW_CHOICE)
    for n in range(1, choices.count()):
        drawn = pg.evaluate(GRID_TITLES)
        choices.nth(n).click()
        pg.wait_for_function(f"drawn => ({GRID_TITLES})() !== drawn", arg=drawn)  # the next choice's grid
        _settle(pg)
        problems += [f"columns «{choices.nth(n).inner_text()}»: {p}" for p in _plan_view_problems(pg)]
        for columns in pg.evaluate(GRID_COLUMNS):
            seen |= {c["title"] for c in columns}
            problems += _plan_grid_problems({c["title"]: c for c in columns})
    if choices.count():
        choices.first.click()
        _settle(pg)
    problems += [f"the plan editor's «{t}» is in no choice of columns" for t in PLAN_ALL_COLUMNS if t not in seen]
    return problems


def _grid_problems(pg, name: str) -> list[str]:
    """What is wrong with the grids of the plan editor and the honour roll on a wide screen: a
    column a clerk needs out of view, «Câu trong kế hoạch» empty, a per-hectare value said to be a
    rate, the honour roll's names drawn grey or its «Tính vào» writing keys."""
    problems = []
    for columns in pg.evaluate(GRID_COLUMNS):
        by_title = {c["title"]: c for c in columns}
        if "Trong năm" in by_title:  # the plan editor, its first choice of columns
            problems += [f"the plan editor's «{t}» is out of view" for t in PLAN_IN_VIEW if not by_title[t]["inView"]]
            problems += _plan_grid_problems(by_title)
        if "Tính vào" in by_title:  # the honour roll
            if by_title["Họ tên / Tập thể"]["faded"]:
                problems.append("the honour roll's names are drawn grey, as if disabled")
            keys = sorted({t for t in by_title["Tính vào"]["texts"] if re.fullmatch(r"[A-Z]{2}\d+\w?", t)})
            if keys:
                problems.append(f"the honour roll's «Tính vào» writes keys {keys}, not the indicators' names")
            elif ROLL_LINES[name].removeprefix("tính vào: ") not in by_title["Tính vào"]["texts"]:
                problems.append("the honour roll's «Tính vào» does not name TD09 as the plan does")
    return problems


def _plan_grid_problems(by_title: dict) -> list[str]:
    """The plan editor's columns in view (title → column): its names drawn grey, a target's
    «Câu trong kế hoạch» empty, a per-hectare value said to be a rate."""
    problems = []
    if "Mã" not in by_title or "Chỉ tiêu" not in by_title:
        return problems
    if by_title["Chỉ tiêu"]["faded"]:
        problems.append("the plan editor's names are drawn grey, as if they could not be edited")
    keys = by_title["Mã"]["texts"]  # the last row, empty, is where a target is added
    if "Câu trong kế hoạch" in by_title:
        sentences = [t for t, k in zip(by_title["Câu trong kế hoạch"]["texts"], keys, strict=True) if k]
        if not all(sentences):
            problems.append(f"«Câu trong kế hoạch» is empty for {sentences.count('')} of {len(sentences)} targets")
    if "Giữa đơn vị" in by_title and "CT03" in keys:
        if (across := by_title["Giữa đơn vị"]["texts"][keys.index("CT03")]) != PER_HECTARE_ACROSS:
            problems.append(f"CT03 (triệu đồng/ha) adds up across units as «{across}»")
    return problems


#: The pages whose tables must not cut a text on a wide screen (the clerk's, and the honour roll).
CLERK_TABLES = (
    "tai-len-xem-truoc",
    "tai-len-khen-thuong",
    "tai-len-sua",
    "du-lieu",
    "ke-hoach",
    "quan-tri",
    "ban-in",
    "thi-dua-khen-thuong",
)
#: On the phone, the page's main list, which does not scroll sideways at all (nor does the page):
#: its selector.
PHONE_WHOLE = {
    "du-lieu": ".st-key-data_subs_list",
    # «Danh sách đăng ký chi tiết» opened (:data:`OPENED`): one item per unit, not a grid scrolled
    # sideways with its toolbar over its headings (black-box, 390 px)
    "thi-dua-khen-thuong": ".st-key-aw_reg_list",
    # the audit log, one item per line (black-box: a grid to swipe at 390 px, its toolbar over the count)
    "quan-tri": ".st-key-adm_log_list",
}
#: On the phone, pages without any grid (each of their tables a list; a grid's columns are a swipe away).
PHONE_NO_GRIDS = ("quan-tri", "tai-len-xem-truoc", "tai-len-khen-thuong", "tai-len-sua")
#: On the phone, pages whose charts are drawn for the phone's width (plotly's, the phone layout of
#: the group pages), never pictures drawn for A4 and shrunk to a third (black-box: the print view's
#: text ≈ 5 px at 390 px): for each chart's box, whether it holds a plotly chart and no picture.
PHONE_CHARTS = {
    "ban-in": """() => [...document.querySelectorAll('[class*="st-key-pr_chart_"]')]
      .map(box => !!box.querySelector('[data-testid="stPlotlyChart"]') && !box.querySelector('img'))"""
}
#: Folded parts of a page opened before it is checked (their label → what is drawn once open): the
#: registrations' list, a table on a wide screen and a list on the phone.
OPENED = {
    "thi-dua-khen-thuong": (
        "Danh sách đăng ký chi tiết",
        '[data-testid="stExpander"] details[open] :is([data-testid="stDataFrame"], .st-key-aw_reg_list)',
    )
}
#: The widths (scroll, client) of the page's main area and of each element a selector finds.
WIDTHS = """sel => [document.querySelector('[data-testid="stMain"]'), ...document.querySelectorAll(sel)]
  .filter(e => e).map(e => [e.scrollWidth, e.clientWidth])"""
#: A dash written for each missing part of a line ("— – — –").
DASHES = re.compile(r"—\s*–\s*—|–\s*—\s*–")

#: Phrases a line must not break inside (:func:`kpi.words.keep_phrases`), as a pattern of the page's
#: text (a space either kind): a status word, a quarter's name, a figure and its «%», the footer's
#: «(ghi «(ước)»)», and a spaced dash with what precedes it (a line never starts with «— Chậm tiến độ»).
WHOLE_PHRASES = "|".join(
    [
        *(
            re.escape(w).replace("\\ ", "[ \u00a0]")
            for w in sorted({*STATUS_LABELS.values(), *STATUS_IN_SENTENCE.values()}, key=len, reverse=True)
            if " " in w
        ),
        r"Quý[ \u00a0](?:IV|I{1,3})/\d{4}",
        r"\d[ \u00a0]%",
        r"\(ghi[ \u00a0]«\(ước\)»\)",
        r"\S[ \u00a0][—–]",
    ]
)
#: Pages whose text keeps those phrases on one line: each occurrence (a pattern's source) whose first
#: and last letters lie on different lines (``split``), and each written with a plain space (``loose``:
#: a screen that may wrap it elsewhere). Paragraphs and list items of the main area, not the charts.
SPLIT_PHRASES = """source => {
  const pattern = new RegExp(source, 'g'), split = [], loose = [];
  const blocks = [...document.querySelectorAll('[data-testid="stMain"] :is(p, li)')]
    .filter(b => b.getClientRects().length && !b.querySelector('p, li'));
  for (const block of blocks) {
    const chars = [];
    let text = '';
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) chars.push([n, i]);
      text += n.data;
    }
    const box = k => { const r = document.createRange(); r.setStart(...chars[k]); r.setEnd(chars[k][0], chars[k][1] + 1);
      return r.getBoundingClientRect(); };
    for (const m of text.matchAll(pattern)) {
      const first = box(m.index), last = box(m.index + m[0].length - 1);
      if (Math.abs(first.top - last.top) > Math.max(first.height, last.height) / 2) split.push(m[0]);
      // a badge may wrap its word in a narrow card («Chưa đến kỳ / đánh giá»): appkit.status_badge
      if (m[0].includes(' ') && !chars[m.index][0].parentElement.closest('.stMarkdownBadge')) loose.push(m[0]);
    }
  }
  return {split, loose};
}"""
#: The pages :data:`SPLIT_PHRASES` checks; presentation mode writes every such phrase unbreakable.
PHRASE_PAGES = ("trinh-chieu", "trinh-chieu-bia", "ban-in", "tong-quan")
PRESENTING = ("trinh-chieu", "trinh-chieu-bia")
#: The print view's section tables: each one's column widths, the most lines a unit (ĐVT) takes, the
#: note's type and the tables' (black-box at 1366 px: the widths changed from table to table, ĐVT
#: «tập thể, cá nhân» on 4 lines; at 1920 px the note under them looked tiny).
PRINT_TABLES = """() => {
  const tables = [...document.querySelectorAll('.st-key-pr_doc [data-testid="stTable"] table')];
  const lines = p => Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
  const note = document.querySelector('.st-key-pr_note p'), cell = document.querySelector('.st-key-pr_doc td p');
  return {widths: tables.map(t => [...t.rows[0].cells].map(c => Math.round(c.getBoundingClientRect().width))),
          unitLines: Math.max(0, ...[...document.querySelectorAll('.st-key-pr_doc td:nth-child(3) p')].map(lines)),
          note: note ? parseFloat(getComputedStyle(note).fontSize) : 0,
          cell: cell ? parseFloat(getComputedStyle(cell).fontSize) : 0};
}"""


def _phrase_problems(pg, name: str, screen: str) -> list[str]:
    """Presentation mode, the print view and the overview (round 10): no phrase of
    :data:`WHOLE_PHRASES` broken across lines; presentation mode writes them all unbreakable, and on
    the phone has «Thoát» in its top bar, on the first screen (it was only at the page's end); the
    print view's section tables share their column widths, a unit takes at most two lines and the
    note is in the tables' type."""
    found = pg.evaluate(SPLIT_PHRASES, WHOLE_PHRASES)
    problems = [f"«{p}» is broken across two lines" for p in found["split"]]
    if name in PRESENTING:
        problems += [f"«{p}» is written with a space a line may break at" for p in sorted(set(found["loose"]))]
        if screen == "390x844":
            out = pg.locator(".st-key-pt_top_nav button", has_text="Thoát")
            box = out.bounding_box() if out.count() else None
            if box is None or box["y"] + box["height"] > PHONE["viewport"]["height"]:
                problems.append("«Thoát» is not in the top bar on the first screen")
    if name == "ban-in" and screen != "390x844":
        tables = pg.evaluate(PRINT_TABLES)
        if len({tuple(w) for w in tables["widths"]}) != 1:
            problems.append(f"the section tables' columns do not line up {tables['widths']}")
        if tables["unitLines"] > 2:
            problems.append(f"a unit (ĐVT) takes {tables['unitLines']} lines")
        if tables["note"] < max(13, tables["cell"]):
            problems.append(f"the note's type is {tables['note']} px, the tables' {tables['cell']} px")
    return problems


def _settle(pg) -> None:
    """Wait until the page has run to its end and drawn every chart (Streamlit shows skeletons
    and stale elements until then)."""
    pg.wait_for_function(SETTLED)


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A second server on a fresh data folder: the plan loaded on first start, no report."""
    srv = Server(tmp_path_factory.mktemp("empty"))
    try:
        yield srv
    finally:
        srv.stop()


UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
#: The upload page's states with a file's preview open, and the sample each sends.
UPLOADS = {"tai-len-xem-truoc": "q3", "tai-len-khen-thuong": "awards", "tai-len-sua": "correction"}
#: Any box of the main area that scrolls within the page, either way (on the phone's upload
#: preview: black-box, «Các dòng» scrolled inside itself, a hard thing on a touch screen).
INNER_SCROLLS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(e => {
  if (!e.getClientRects().length || e.matches('[data-testid="stMain"], canvas')) return false;
  const cs = getComputedStyle(e);
  const y = ['auto', 'scroll'].includes(cs.overflowY) && e.scrollHeight > e.clientHeight + 1;
  const x = ['auto', 'scroll'].includes(cs.overflowX) && e.scrollWidth > e.clientWidth + 1;
  return x || y;
}).map(e => (e.innerText || e.dataset.testid || e.tagName).trim().slice(0, 40))"""


def _correction() -> str:
    """The Q1 sample corrected (a later document date, CT01 and CT02 changed, a long note): the
    file a clerk sends to replace the stored Q1 report."""
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLES / SAMPLE_FILES["q1"])
    ws = wb.active
    ws["A5"] = "(Kèm theo Báo cáo số 60/BC-TCKH ngày 15/4/2024 của Phòng Tài chính - Kế hoạch)"
    ws["E11"], ws["F11"], ws["E12"], ws["F12"] = 530.1, 530.1, 200.5, 200.5
    ws["I11"] = (
        "Số liệu điều chỉnh theo báo cáo của Chi cục Thống kê khu vực ngày 12/4/2024, bổ sung vốn ngoài ngân "
        "sách của các doanh nghiệp trên địa bàn huyện chưa tổng hợp kịp trong báo cáo trước"
    )
    path = ARTIFACTS / "sua-bao-cao-quy-1-2024.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return str(path)


def _upload_file(name: str) -> str:
    """The file the upload page's state ``name`` sends."""
    return _correction() if UPLOADS[name] == "correction" else str(SAMPLES / SAMPLE_FILES[UPLOADS[name]])


PREVIEW_DRAWN = "() => ['Sẵn sàng lưu', 'Đã có (lần tải'].some(t => document.body.innerText.includes(t))"


def _open_upload_preview(pg) -> None:
    """A sample sent through the upload page's file input, its preview drawn."""
    pg.set_input_files(UPLOAD_INPUT, [str(SAMPLES / SAMPLE_FILES["q3"])])
    pg.wait_for_function(PREVIEW_DRAWN, timeout=120_000)
    _settle(pg)


def _page_problems(pg, name: str, screen: str, state: str = "samples") -> list[str]:
    """What is wrong with the page in view (see the module's docstring); ``state``: "samples" or
    "empty", the database behind it."""
    problems = list(pg.evaluate(CHART_PROBLEMS))
    text = pg.evaluate(PAGE_TEXT)
    problems += [f"English or a library's word «{m.group(0)}»" for m in LIBRARY_WORDS.finditer(text)]
    problems += [f"«{label}» is cut short" for label in pg.evaluate(CLIPPED_LABELS)]
    problems += [f"Streamlit's English label {label}" for label in pg.evaluate(ENGLISH_LABELS)]
    if pg.locator('[data-testid="stException"]').count():
        problems.append("a Streamlit error box")
    sidebar = pg.locator('[data-testid="stSidebar"]')
    if sidebar.count() and name not in NO_SIDEBAR:
        box = sidebar.bounding_box()
        shown = box is not None and box["x"] + box["width"] > 0 and sidebar.get_attribute("data-collapsed") != "true"
        if shown != (screen != "390x844"):
            problems.append(f"the sidebar is {'open' if shown else 'collapsed'} on first open")
    if name in SUMMARY_TABLES and screen != "390x844":
        # the summary as the browser lays it out: the table within its box, no cell's text wider
        # than its cell (a name is wrapped between words, never cut)
        widths = pg.evaluate(
            "() => [...document.querySelectorAll('.kpi-summary')].map(s => [s.scrollWidth, s.clientWidth,"
            " [...s.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).length])"
        )
        for outer, inner, overflowing in widths:
            if outer > inner + 1:
                problems.append(f"the summary table scrolls sideways {[outer, inner]}")
            if overflowing:
                problems.append(f"{overflowing} cells of the summary table overflow")
    phone = screen == "390x844"
    if name in CLERK_TABLES and not phone:
        for table in pg.evaluate(TABLES):
            where = f"the {table['kind']} «{' | '.join(h for h, _ in table['heads'])[:60]}»"
            if table.get("unreadable"):
                problems.append(f"{where}: its cells cannot be read (another Streamlit?)")
            problems += [f"{where} cuts {cut}" for cut in table["cut"]]
            problems += [f"{where} wraps «{text}» short of its cell" for text in table.get("short", [])]
            if table.get("scrolls") and not table["pinned"]:
                problems.append(f"{where} scrolls sideways {table['widths']}")
        problems += [f"the input «{label}» is cut" for label in pg.evaluate(CUT_INPUTS)]
        if state == "samples" or name == "ke-hoach":  # the empty database has the plan, no award
            problems += _grid_problems(pg, name)
    if name in CLERK_TABLES:  # on every screen: no grid cuts its column at its right edge
        problems += [f"a grid cuts its column «{title}» at its right edge" for title in pg.evaluate(GRID_EDGES)]
        problems += _grid_toolbar_problems(pg)
    if name == "ke-hoach":
        if phone:  # the plan's name whole on the phone too (black-box: «…thi đua yêu nước năm 202»)
            problems += [f"the input «{label}» is cut" for label in pg.evaluate(CUT_INPUTS)]
        problems += _plan_views_problems(pg)
    if name in PHONE_WHOLE and phone:
        # the page and its list within the phone's width (an empty database's page has no list)
        main, *lists = pg.evaluate(WIDTHS, PHONE_WHOLE[name])
        if not lists and state == "samples":
            problems.append(f"no list {PHONE_WHOLE[name]}")
        problems += [f"the list scrolls sideways {w}" for w in lists if w[0] > w[1] + 1]
        if main[0] > main[1] + 1:
            problems.append(f"the page scrolls sideways {main}")
    toolbars = pg.evaluate(TOOLBARS)
    if phone and toolbars["drawn"]:
        problems.append(f"plotly's toolbar is drawn ({toolbars['drawn']} buttons) over the charts' tops")
    problems += [f"a toolbar's button covers {text}" for text in toolbars["over"]]
    if name in PHONE_NO_GRIDS and phone and (grids := pg.locator('[data-testid="stDataFrame"]').count()):
        problems.append(f"{grids} grids, not lists")
    if name in UPLOADS and phone:
        problems += [f"«{box}» scrolls within the page" for box in pg.evaluate(INNER_SCROLLS)]
    if name in PHONE_CHARTS and phone:
        drawn = pg.evaluate(PHONE_CHARTS[name])
        if not drawn or not all(drawn):
            problems.append(f"the charts are not drawn for the phone (a chart each: {drawn})")
    if name in PHRASE_PAGES and state == "samples":
        problems += _phrase_problems(pg, name, screen)
    if name in PHONE_LISTS and phone:
        if dashes := DASHES.findall(text):
            problems.append(f"{len(dashes)} lines write a dash for each missing part («— – — –»), not words")
    return problems


class Tour:
    """The three screens' pages of one state's tour, the requests they made, where they save."""

    def __init__(self, state: str, srv: Server, contexts: dict):
        self.state, self.srv, self.contexts = state, srv, contexts
        self.seen: list[str] = []  # every request of the tour: nothing may leave the machine
        for context in contexts.values():
            context.on("request", lambda request: self.seen.append(request.url))
        self.pages = {screen: context.new_page() for screen, context in contexts.items()}
        for pg in self.pages.values():
            pg.set_default_timeout(90_000)
        self.folder = ARTIFACTS / "screens" / state
        self.folder.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module", params=["samples", "empty"])
def tour(request, browser):  # noqa: F811
    """One browser, one context per screen, made once per state; the samples loaded first for
    "samples"."""
    srv = request.getfixturevalue("server" if request.param == "samples" else "empty_server")
    contexts = {screen: browser.new_context(locale="vi-VN", **options) for screen, options in SCREENS.items()}
    try:
        made = Tour(request.param, srv, contexts)
        if request.param == "samples":
            ensure_samples(made.pages["1920x1080"], srv.url)
        yield made
    finally:
        for context in contexts.values():
            context.close()


FOLDED = '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary'


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_on_the_projector_the_laptop_and_the_phone(tour, name):
    """The page asked for on the three screens at once (the server and the browser work on them
    side by side), then each screen checked in turn (see the module's docstring)."""
    for pg in tour.pages.values():
        if name in UPLOADS:  # the upload page in view: a file chosen, its preview drawn
            # the upload page opened afresh for each file: a new session, its file chooser empty
            if urlparse(pg.url).path != PAGES["tai-len"] or name != "tai-len-xem-truoc":
                pg.goto(tour.srv.url + PAGES["tai-len"])
            pg.locator(UPLOAD_INPUT).wait_for(state="attached")
            pg.set_input_files(UPLOAD_INPUT, [_upload_file(name)])
        else:
            pg.goto(tour.srv.url + PAGES[name], wait_until="commit")
    problems: list[str] = []
    try:
        for screen, pg in tour.pages.items():
            if name in UPLOADS:
                pg.wait_for_function(PREVIEW_DRAWN, timeout=120_000)
                _settle(pg)
                while pg.locator(FOLDED).count():  # its tables in view: columns, rows, figures
                    pg.locator(FOLDED).first.click()
            _settle(pg)
            if name in OPENED and pg.locator(FOLDED, has_text=OPENED[name][0]).count():
                pg.locator(FOLDED, has_text=OPENED[name][0]).first.click()  # a lazy expander: a rerun
                pg.locator(OPENED[name][1]).first.wait_for()
                _settle(pg)
            found = _page_problems(pg, name, screen, tour.state)
            if name in PHONE_LISTS and tour.state == "samples" and screen == "390x844":
                listed, body = PHONE_LISTS[name], pg.inner_text("body")
                if not (listed.search(body) if isinstance(listed, re.Pattern) else listed in body):  # not a table
                    found.append("the summary is not a list of «name — figure — % — word»")
                if name in ROLL_LINES and not _roll_names_its_indicators(name, pg.inner_text("body")):
                    found.append("the honour roll's lines write a key «tính vào: TD09», not the indicator's name")
            problems += [f"{screen} {name}: {p}" for p in found]
            pg.screenshot(path=str(tour.folder / f"{name}-{screen}.png"))
    finally:
        (tour.folder / f"problems-{name}.txt").write_text("\n".join(problems), encoding="utf-8")
    assert problems == []


def test_nothing_leaves_the_machine_during_the_tour(tour):
    """After the tour of every page (run after the pages' tests of the same state): no request to
    any host but the server's."""
    own = urlparse(tour.srv.url).netloc
    web = ("http", "https", "ws", "wss")
    elsewhere = sorted({u for u in tour.seen if urlparse(u).scheme in web and urlparse(u).netloc != own})
    assert len(tour.seen) > 100  # the tour did load the pages
    assert elsewhere == []


def test_a_narrow_window_is_drawn_as_a_phone_whatever_its_user_agent(request, browser):  # noqa: F811
    """A desktop browser's window made narrow (or a phone asking for the desktop site) sends no
    "Mobile": the page measures the window itself, keeps it in a cookie and is drawn once more
    for a phone; a wide window with a phone's User-Agent (a tablet) is drawn wide."""
    srv = request.getfixturevalue("server")
    narrow = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    wide = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, user_agent=PHONE["user_agent"])
    try:
        pg = narrow.new_page()
        ensure_samples(pg, srv.url)
        pg.wait_for_function(f"() => document.body.innerText.includes({PHONE_LISTS['tong-quan']!r})", timeout=90_000)
        assert {c["name"]: c["value"] for c in narrow.cookies()}["kpi_screen"] == "narrow"
        pg = wide.new_page()
        pg.goto(srv.url + "/")
        wait_for_app(pg)
        pg.locator(".kpi-summary").first.wait_for(timeout=90_000)  # the summary as a table
        assert PHONE_LISTS["tong-quan"] not in pg.inner_text("body")
        assert {c["name"]: c["value"] for c in wide.cookies()}["kpi_screen"] == "wide"
    finally:
        narrow.close()
        wide.close()


#: A picture has no toolbar (plotly.js draws one on hover in a page).
NO_TOOLBAR = {"displayModeBar": False}


def test_the_group_charts_keep_every_text_in_their_picture(browser, loaded):  # noqa: F811
    """A group's chart as the print view draws it (:data:`~kpi.output.render.PRINT_WIDTH_PX`, kaleido,
    :func:`appkit.loaders.load_group_pngs`), as a group page does at 1366 and 1920 px beside the
    sidebar (906 and 1460 px measured) and at the narrowest wide chart its texts are made to fit
    (:data:`~kpi.output.charts.WIDE_CHART_MIN_PX`), each drawn by plotly.js in chromium with every
    judged figure an estimate — the longest label a row can have, «… (ước) · tiến độ KH 75 %»; and
    the phone's charts (the print view's and the group pages' at 390 px: 358 px, and the narrowest,
    :data:`~kpi.output.charts.PHONE_CHART_MIN_PX`), the awards' also with only its counts within
    their targets (the axis then shortest: a range's «52 (KH 45–55)» furthest right): none of their
    texts leaves the chart. Black-box (issue 14): the Thi đua – Khen thưởng chart's subtitle ended
    «◆ chỉ tiêu là một kh» at its right edge; «73,37 % — Chậm tiến độ (ước) · tiến độ KH 75 %» lost
    its «%» at 1366 px, in the print view and its PDF; «8 (KH 45–55)» ran past the phone's print
    view. Screenshots in ``test-artifacts/``."""
    from plotly.offline import get_plotlyjs

    from kpi.output.charts import PHONE_CHART_MIN_PX, WIDE_CHART_MIN_PX, group_chart
    from kpi.output.export import group_figure
    from kpi.output.render import PRINT_WIDTH_PX
    from kpi.reporting.attainment_report import attainment_report

    rep = attainment_report(loaded, 2024, 3)
    rep.table.loc[rep.table["actual"].notna(), "basis"] = "estimate"
    groups = list(rep.table["group"].unique())
    assert len(groups) == 4
    awards = rep.table[rep.table["group"] == "awards"]
    within = awards[awards["attainment_pct"].isna() | (awards["attainment_pct"] <= 100)]
    assert (within["direction"] == "range").any()
    context = browser.new_context(locale="vi-VN", viewport={"width": 1600, "height": 800})
    problems = []
    try:
        pg = context.new_page()
        for width in (WIDE_CHART_MIN_PX, PRINT_WIDTH_PX, 906, 1460, PHONE_CHART_MIN_PX, 358):
            narrow = width < WIDE_CHART_MIN_PX
            figures = [group_figure(rep, g, narrow=narrow) for g in groups]
            figures.append(group_chart(within, "awards", rep.period_text, narrow=narrow))
            charts = "".join(
                f'<div data-testid="stPlotlyChart" style="width:{width}px">'
                f"{fig.update_layout(width=width).to_html(full_html=False, include_plotlyjs=False, config=NO_TOOLBAR)}"
                "</div>"
                for fig in figures
            )
            pg.set_content(f"<html><head><script>{get_plotlyjs()}</script></head><body>{charts}</body></html>")
            pg.wait_for_function(
                f"() => document.querySelectorAll('svg.main-svg .gtitle').length >= {len(figures)}", timeout=60_000
            )
            drawn = "".join(pg.eval_on_selector_all("svg text", "ts => ts.map(t => t.textContent)"))
            assert ("Chậm tiến độ (ước) · Tổng vốn" if narrow else "73,87 % — Chậm tiến độ (ước)") in drawn
            pg.screenshot(path=str(ARTIFACTS / f"group-charts-{width}.png"), full_page=True)
            problems += [f"{width} px: {p}" for p in pg.evaluate(CHART_PROBLEMS)]
    finally:
        context.close()
        (ARTIFACTS / "group-charts-problems.txt").write_text("\n".join(problems), encoding="utf-8")
    assert problems == []


@contextmanager
def _screen_page(browser, screen: str):  # noqa: F811
    """A page of a browser context of its own at ``screen`` (one of :data:`SCREENS`), closed after."""
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        yield pg
    finally:
        context.close()


def test_the_opening_screen_writes_every_status_whole(browser, con, cfg):  # noqa: F811
    """Presentation mode's opening screen with six statuses at once (a first quarter's report and
    the award register: Vượt, Đạt, Đúng tiến độ, Chậm tiến độ, Chưa đến kỳ đánh giá, Chưa có số
    liệu), a card each: on the three screens no status word is cut short with an ellipsis
    (black-box: «Chưa đến k…» on the projector at 1366 and 1920 px). Its own server; screenshots in
    ``test-artifacts/screens/cover/``."""
    from tests.support.samples import load

    load(con, cfg, "q1", "awards")
    con.execute("CHECKPOINT")
    con.close()
    srv = Server(cfg.db_path.parent)
    folder = ARTIFACTS / "screens" / "cover"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        for screen in SCREENS:
            with _screen_page(browser, screen) as pg:
                for _ in range(2):  # the first visit measures the window (and may reload): the second is drawn for it
                    pg.goto(srv.url + PAGES["trinh-chieu-bia"])
                    wait_for_app(pg)
                pg.locator('[class*="st-key-pt_tile_no_data"]').wait_for()
                assert pg.locator('[class*="st-key-pt_tile_"]').count() == 6, screen
                problems += [f"{screen}: «{label}» is cut short" for label in pg.evaluate(CLIPPED_LABELS)]
                pg.screenshot(path=str(folder / f"trinh-chieu-bia-{screen}.png"))
    finally:
        srv.stop()
    assert problems == []


#: Nine of the plan's communes, each sending its own report (a file of a long name each): as many
#: files as hid half the last row at 1366 px (black-box).
COMMUNES = ("Dân Quyền", "Hương Nộn", "Dị Nậu", "Thọ Văn", "Lam Sơn", "Bắc Sơn", "Hiền Quan", "Quang Húc", "Tề Lễ")


def test_the_clerks_tables_show_every_row_and_column_whole(browser, con, cfg):  # noqa: F811
    """The data page with a year of nine files of long names (two lines each in the table), and the
    admin's «Tên đã học» with names taught from a file of a long name: at 1366 and 1920 px the files'
    table shows every row (no box of its own scrolling: its last row was half hidden at 1366 px, nine
    files in a 30-rem box) and the taught names' table cuts no text and does not scroll sideways
    (black-box: «Từ tệp» cut at «07c_DS dang ky 2024 (sua 2», a sideways scroll). Its own server;
    screenshots in ``test-artifacts/screens/clerk/``."""
    from kpi.aliases import add_alias
    from kpi.ingest import ingest
    from kpi.reading.report_sheets import ImportOptions
    from tests.support.communes import commune_report
    from tests.support.samples import ACTOR

    for n, commune in enumerate(COMMUNES):
        name = f"Bao cao ket qua thuc hien chi tieu 9 thang 2024 - UBND xa {commune} (ban gui lan {n + 1}).xlsx"
        prep, _committed = ingest(
            con, commune_report(f"Xã {commune}", 3, 93 + n / 10), name, ACTOR, ImportOptions(), cfg
        )
        assert not prep.refused
    taught = (
        ("VP HĐND-UBND huyện", "Văn phòng HĐND và UBND huyện"),
        ("Phòng NN và PTNT", "Phòng Nông nghiệp và Phát triển nông thôn"),
        ("Phòng LĐTB&XH huyện", "Phòng Lao động - Thương binh và Xã hội"),
    )
    for written, unit in taught:
        add_alias(
            con, ACTOR, "unit", written, unit, file_name="07c_DS dang ky 2024 (sua 2 tieu de) - ban chinh thuc.xlsx"
        )
    con.execute("CHECKPOINT")
    con.close()
    srv = Server(cfg.db_path.parent)
    folder = ARTIFACTS / "screens" / "clerk"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        for screen in ("1366x768", "1920x1080"):
            with _screen_page(browser, screen) as pg:
                pg.goto(srv.url + PAGES["du-lieu"])
                wait_for_app(pg)
                assert pg.locator(".st-key-data_subs tbody tr").count() >= len(COMMUNES)
                problems += [f"{screen} du-lieu: «{box}» scrolls within the page" for box in pg.evaluate(INNER_SCROLLS)]
                pg.screenshot(path=str(folder / f"du-lieu-{screen}.png"), full_page=True)
                pg.goto(srv.url + PAGES["quan-tri"])
                wait_for_app(pg)
                pg.get_by_role("tab", name="Tên đã học").click()
                pg.get_by_text("VP HĐND-UBND huyện").first.wait_for(state="attached")
                _settle(pg)
                for table in pg.evaluate(TABLES):
                    problems += [f"{screen} quan-tri: the {table['kind']} cuts {cut}" for cut in table["cut"]]
                    if table.get("scrolls"):
                        problems.append(f"{screen} quan-tri: the {table['kind']} scrolls sideways {table['widths']}")
                pg.screenshot(path=str(folder / f"ten-da-hoc-{screen}.png"), full_page=True)
    finally:
        srv.stop()
        (folder / "problems.txt").write_text("\n".join(problems), encoding="utf-8")
    assert problems == []


def test_the_units_ranking_fits_the_projector_the_laptop_and_the_phone(browser, loaded, cfg):  # noqa: F811
    """«So sánh giữa các đơn vị» opened on the Xã hội page when two communes sent their own figures,
    one of an earlier quarter than the other (its bar's label then names it): on the three screens
    no text leaves the chart (black-box, issue 14: «185,6 (Quý III/202» at 1366 px; on the phone the
    title «…theo đơn v» and both labels cut). Screenshots in ``test-artifacts/screens/ranking/``."""
    from tests.support.communes import send_commune_reports

    send_commune_reports(loaded, cfg, ("Xã Hiền Quan", 3, 93.2), ("Xã Lam Sơn", 2, 95.0))
    loaded.execute("CHECKPOINT")
    loaded.close()
    srv = Server(cfg.db_path.parent)
    folder = ARTIFACTS / "screens" / "ranking"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        for screen in SCREENS:
            with _screen_page(browser, screen) as pg:
                pg.goto(srv.url + PAGES["xa-hoi"])
                wait_for_app(pg)
                pg.locator(FOLDED, has_text="So sánh giữa các đơn vị").first.click()
                pg.wait_for_function(
                    "() => [...document.querySelectorAll('.gtitle')].some(t => t.textContent.includes('theo đơn vị'))"
                )
                _settle(pg)
                ranking = pg.locator('[data-testid="stPlotlyChart"]', has=pg.locator(".gtitle", has_text="theo đơn vị"))
                ranking.scroll_into_view_if_needed()
                assert "(Quý II/2024)" in ranking.text_content()  # the label that was cut
                problems += [f"{screen}: {p}" for p in pg.evaluate(CHART_PROBLEMS)]
                ranking.screenshot(path=str(folder / f"xa-hoi-{screen}.png"))
    finally:
        srv.stop()
    assert problems == []
