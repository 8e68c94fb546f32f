"""The Vietnamese words several layers show: status words and colours, group labels, the words for
kinds of figures, submissions and files. Data only (no imports), at the bottom of the layers, so a
reader or the audit log does not import storage or the rules for a dictionary of words.

The keys are the codes stored and computed elsewhere: statuses :data:`kpi.domain.rules.STATUSES`,
groups :data:`kpi.domain.plan.GROUPS`, figure kinds of ``observations.kind``, submission statuses
of ``submissions.status``, file kinds of ``submissions.kind``.
"""

from __future__ import annotations

import re

__all__ = [
    "excerpt",
    "keep_phrases",
    "STATUS_LABELS",
    "STATUS_COLORS",
    "STATUS_TINTS",
    "RANGE_PCT_NOTE",
    "GROUP_LABELS",
    "ACROSS_UNITS_WORDS",
    "COUNTED_FROM_WORDS",
    "ALIAS_MATCH_WORDS",
    "PLAN_MATCH_WORDS",
    "PLAN_NEW_WORDS",
    "PLAN_MATCH_HINTS",
    "OVER_YEAR_WORDS",
    "WHEN_KNOWN_WORDS",
    "KIND_WORDS",
    "LEVEL_YTD_WORDS",
    "kind_words",
    "STATUS_WORDS",
    "SAVE_STATUS_WORDS",
    "HISTORY_ONLY_NOTE",
    "FILE_KIND_WORDS",
    "ROLE_LABELS",
    "PERMISSION_WORDS",
    "ESTIMATE_MARK",
    "PRELIMINARY_MARK",
    "VINTAGE_WORDS",
    "QUARTER_LABELS",
    "YTD_WORDS",
    "REPORT_WORDS",
    "report_period_words",
]

#: The words on screen (design.md): always the word with the colour, never colour alone.
STATUS_LABELS = {
    "exceeded": "Vượt",
    "met": "Đạt",
    "not_met": "Không đạt",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm tiến độ",
    "not_due": "Chưa đến kỳ đánh giá",
    "no_data": "Chưa có số liệu",
}
#: The same words inside a sentence ("3 chậm tiến độ, 2 đúng tiến độ"): the label with a small letter.
STATUS_IN_SENTENCE = {k: v[0].lower() + v[1:] for k, v in STATUS_LABELS.items()}
#: Colours that survive a projector and a greyscale print (Okabe–Ito based, distinct lightness).
STATUS_COLORS = {
    "exceeded": "#005a9c",
    "met": "#1b7f3b",
    "not_met": "#b3261e",
    "on_track": "#3a9a5b",
    "behind": "#d97706",
    "not_due": "#8a8f98",
    "no_data": "#c9ccd1",
}
#: Light tints of the same colours, for the status cell of a table (app, deck): dark text stays
#: readable on them, in greyscale too; the word is always written in the cell.
STATUS_TINTS = {
    "exceeded": "#cfe3f5",
    "met": "#d3ecd9",
    "not_met": "#f6d3d0",
    "on_track": "#e0f1e5",
    "behind": "#fde6c4",
    "not_due": "#eceef1",
    "no_data": "#f4f5f7",
}
#: How a range's percentage is read (the one wording for every note under a table, chart or annex).
RANGE_PCT_NOTE = (
    "% KH của chỉ tiêu giao theo khoảng (ví dụ 45–55): 100 % khi trong khoảng; trên khoảng là thực hiện/mức "
    "tối đa, dưới khoảng là thực hiện/mức tối thiểu."
)

#: After a figure judged on an estimate, on every output (design.md, "Attainment": "(ước)" beside a
#: figure judged on an estimate); after a preliminary figure where vintages are shown.
ESTIMATE_MARK = " (ước)"
PRELIMINARY_MARK = " (sơ bộ)"
#: A stored figure's vintage (:data:`kpi.domain.rules.VINTAGES`) in a table's column ("" official).
VINTAGE_WORDS = {"official": "", "preliminary": "sơ bộ", "estimate": "ước"}

#: The quarters as a chart's axis names them.
QUARTER_LABELS = ("Quý I", "Quý II", "Quý III", "Quý IV")
#: The span a year to date covers at each quarter's end, as meetings say it ("lũy kế 9 tháng";
#: design.md: a six-month report is Q2, a nine-month report Q3, a year report Q4).
YTD_WORDS = {1: "3 tháng", 2: "6 tháng", 3: "9 tháng", 4: "cả năm"}
#: A quarter's report by what it covers, as offices name them ("báo cáo quý I", "báo cáo 6 tháng").
REPORT_WORDS = {**YTD_WORDS, 1: "quý I"}


def report_period_words(year: object, quarter: object = None) -> str:
    """A file's period as the office names its report: (2024, 1) → "Quý I/2024", (2024, 2) →
    "Quý II/2024 (báo cáo 6 tháng)", 3 → "… (báo cáo 9 tháng)", 4 → "… (báo cáo cả năm)"; without a
    quarter (None, NaN: a register) "Năm 2024"; without a year "". A half-year report named only
    «Quý II/2024» read as one quarter's (black-box, December 2026).
    """

    def number(value: object) -> int | None:
        try:
            return int(value)  # None, NaN, pandas' NA and "" are no number
        except (TypeError, ValueError):
            return None

    year, quarter = number(year), number(quarter)
    if year is None:
        return ""
    if quarter not in YTD_WORDS:
        return f"Năm {year}"
    label = f"{QUARTER_LABELS[quarter - 1]}/{year}"
    return label if quarter == 1 else f"{label} (báo cáo {YTD_WORDS[quarter]})"


#: The plan's groups (section II.2 a–d of the plan).
GROUP_LABELS = {
    "economic": "Kinh tế",
    "social": "Xã hội",
    "environment": "Môi trường",
    "awards": "Thi đua – Khen thưởng",
}

#: How a target's figures of the reporting units make the district's (``indicators.across_units``),
#: as the plan editor offers it. Not summed is every target that is no count or amount: a share in %,
#: and as much a value per something (per hectare, per 10,000 people) or an average, whose district
#: figure is reported as such (indicators-2024.md); «(tỷ lệ)» alone read wrong for «triệu đồng/ha»
#: (black-box finding). One wording that fits them all: the editor's choice cannot differ by row.
ACROSS_UNITS_WORDS = {"sum": "cộng các đơn vị", "none": "không cộng (tỷ lệ, bình quân)"}
#: How a target's figure adds up over the year, when it is known, and what counts it (the plan
#: editor's choices, its change lines and its history).
OVER_YEAR_WORDS = {"flow": "cộng dồn (lũy kế)", "level": "số tại thời điểm", "count": "đếm trong năm"}
#: The figure a row is judged on, by how the target adds up over the year, where a row says it in
#: words of its own (the print view's phone lines; the annex's column heading «Lũy kế» covers all
#: three, explained in its note): a rate's «Lũy kế 10,4» read as a sum (round 10).
JUDGED_FIGURE_WORDS = {"flow": "Lũy kế", "level": "Số tại thời điểm", "count": "Số đạt trong năm"}
WHEN_KNOWN_WORDS = {"quarterly": "hằng quý", "year-end": "cuối năm"}
COUNTED_FROM_WORDS = {"reports": "báo cáo", "registrations": "danh sách đăng ký", "awards": "danh sách khen thưởng"}
#: How a name matched through another name the aliases table knows (``Match.how == "alias"``), said
#: alike by the upload's rows and the plan's proposal (never «đúng tên»: the name is not the plan's).
ALIAS_MATCH_WORDS = "tên gọi khác đã biết"
#: How a plan's proposed target found its key (``ProposedTarget.match``): the proposal's «Khớp mã».
PLAN_MATCH_WORDS = {
    "exact": "đúng tên",
    "alias": ALIAS_MATCH_WORDS,
    "loose": "gần đúng tên",
    "folded": "không dấu",
    "similar": "gần giống",
    "award": "theo danh hiệu",
}
#: «Khớp mã» of a target given no key: a new target.
PLAN_NEW_WORDS = "mới"
#: What the «Khớp mã» words a clerk may not guess mean: one short sentence each, under the grid
#: (black-box: the hint explained «Gần giống» only).
PLAN_MATCH_HINTS = {
    "alias": "kế hoạch ghi tên khác của chỉ tiêu năm trước mà danh mục tên gọi đã biết, nên giữ mã cũ.",
    "award": "câu chữ khác nhưng cùng danh hiệu, cơ quan tặng và đối tượng với chỉ tiêu năm trước, nên giữ mã cũ.",
    "similar": "tên chỉ gần giống tên năm trước — hãy kiểm tra lại.",
}

#: Vietnamese words for kinds and statuses of stored figures and submissions (tables, history).
KIND_WORDS = {
    "quarter": "số của quý",
    "ytd": "lũy kế",
    "year_estimate": "ước cả năm",
    "last_year": "cùng kỳ năm trước",
    "plan": "kế hoạch trong tệp",
}
#: A level's year-to-date column is the figure at the period's end, which nothing adds up (a rate
#: «Thực hiện 6 tháng» is the rate at June's end, not a sum; design.md, "Attainment"); the same
#: words as its chart's period (:func:`kpi.reporting.attainment_report.indicator_period_text`).
LEVEL_YTD_WORDS = "số tại thời điểm cuối kỳ"


def kind_words(kind: str, over_year: str | None = None) -> str:
    """A stored figure's kind in words (:data:`KIND_WORDS`); a ``level`` indicator's ``ytd`` is
    :data:`LEVEL_YTD_WORDS` (black-box: a rate's «Thực hiện 6 tháng» was labelled «lũy kế»)."""
    if kind == "ytd" and over_year == "level":
        return LEVEL_YTD_WORDS
    return KIND_WORDS.get(kind, kind)


STATUS_WORDS = {"active": "đang dùng", "superseded": "đã bị thay (lưu lịch sử)", "withdrawn": "đã rút"}
#: The upload preview's status of a file that can be saved: one that changes figures in use, and
#: one that only goes to history (:func:`kpi.preview.history_only`: a black-box file older than
#: every figure in use read «Sẵn sàng lưu» like one that changes them).
SAVE_STATUS_WORDS = {
    "ready": "Sẵn sàng lưu",
    "history_only": "Chỉ thêm vào lịch sử · không thay đổi số liệu",  # short: a badge does not wrap at 390 px
}
#: Why a report of its own series only goes to history (:func:`kpi.preview.history_only`), ``{files}``
#: the uploads whose figures stay in use.
HISTORY_ONLY_NOTE = (
    "Mọi số của tệp này đều đã có số đang dùng từ {files} — có ngày văn bản sau hoặc nguồn tin cậy hơn: khi "
    "lưu, tệp chỉ được thêm vào lịch sử, không số nào đang hiển thị thay đổi."
)
FILE_KIND_WORDS = {
    "report": "Báo cáo chỉ tiêu",
    "awards": "Danh sách khen thưởng",
    "registrations": "Danh sách đăng ký thi đua",
}

#: The roles of :data:`kpi.access.auth.ROLES` in Vietnamese.
ROLE_LABELS = {"viewer": "xem", "editor": "cập nhật số liệu", "admin": "quản trị"}
#: Vietnamese words of each permission (the audit log's ``denied`` rows name one).
PERMISSION_WORDS = {
    "view": "xem số liệu",
    "upload": "tải lên báo cáo",
    "withdraw": "rút báo cáo",
    "restore": "khôi phục phiên bản",
    "edit_targets": "sửa chỉ tiêu kế hoạch",
    "edit_units": "sửa danh mục đơn vị",
    "manage_users": "quản lý người dùng",
    "backup": "sao lưu / khôi phục",
    "rebuild": "dựng lại cơ sở dữ liệu",
    "map_layout": "khai báo mẫu biểu",
    "manage_aliases": "xoá tên đã học",
}


def excerpt(text: object, limit: int) -> str:
    """``text`` for quoting in a message, at most ``limit`` characters: cut between words, «…»
    marking the cut («BÁO CÁO KẾT QUẢ … QUÝ I…», never «… QUÝ I N»; black-box finding)."""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–") + "…"


NBSP = "\u00a0"
#: The phrases a line on a screen must not break inside (:func:`keep_phrases`): a status word, a
#: quarter's name («Quý III/2024»), a year («năm 2024»), a number and the word or sign after it
#: («98,58 %», «2.438,3 tỷ đồng», «9 tháng», «1 đúng tiến độ»), a spaced dash kept at the end of its
#: line (never «— Chậm tiến độ» starting one), a short bracket kept with the word it explains.
_STATUS_PHRASES = re.compile(
    "|".join(
        re.escape(w)
        for w in sorted({*STATUS_LABELS.values(), *STATUS_IN_SENTENCE.values()}, key=len, reverse=True)
        if " " in w
    )
)
_QUARTER_PHRASE = re.compile(r"\b(Quý|quý) (?=(?:IV|I{1,3})\b)")
_YEAR_PHRASE = re.compile(r"\b([Nn]ăm|KH) (?=\d)")
_NUMBER_THEN = re.compile(r"(?<=\d) (?=[^\s·—–\-|])")
_DASH_AFTER = re.compile(r" (?=[–—] )")
_SHORT_BRACKET = re.compile(r" (\((?:[^()\n]|\([^()\n]*\))+\))")


def keep_phrases(text: str, items: int = 0) -> str:
    """``text`` with no-break spaces inside the phrases a screen's line must not break
    (black-box on a 390-px phone: «Quý / III/2024», «1 đúng tiến / độ», «Chậm tiến / độ», a line
    starting with «— Chậm tiến độ»; on the projector «(ghi «(ước)»)» alone on the footer's second
    line): a status word, a quarter («Quý III»), a year («năm 2024»), a number with the word or
    sign after it («98,58 %», «9 tháng», «3 chậm tiến độ»), the space before a spaced dash (the
    dash ends a line, never starts one), and a bracket of at most 24 characters with the word
    before it («ước (ghi «(ước)»)»). ``items``: each « · »-separated item of at most that many
    characters kept whole too (a footer: «có số liệu ước (ghi «(ước)»)» goes to the next line
    whole, not «(ghi «(ước)»)» alone). Only spaces change: safe on escaped Markdown.

    >>> keep_phrases("Quý III/2024 – lũy kế 9 tháng · 1 đúng tiến độ") == (
    ...     "Quý\u00a0III/2024\u00a0– lũy kế 9\u00a0tháng · 1\u00a0đúng\u00a0tiến\u00a0độ")
    True
    """
    if items:
        text = " · ".join(p.replace(" ", NBSP) if len(p) <= items else p for p in text.split(" · "))
    text = _STATUS_PHRASES.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    text = _QUARTER_PHRASE.sub(r"\1" + NBSP, text)
    text = _YEAR_PHRASE.sub(r"\1" + NBSP, text)
    text = _NUMBER_THEN.sub(NBSP, text)
    text = _DASH_AFTER.sub(NBSP, text)
    return _SHORT_BRACKET.sub(
        lambda m: (NBSP + m.group(1).replace(" ", NBSP)) if len(m.group(1)) <= 24 else m.group(0), text
    )
