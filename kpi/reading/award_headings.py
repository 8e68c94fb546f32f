"""The rows and lines of an award register that are not awards but say which award the rows below
receive (issue 13, black-box a1–a2): a section heading ("I. TẬP THỂ": the recipients' kind,
:func:`section_heading`), an award heading row ("1. Bằng khen …" alone on its row:
:func:`award_heading`, read by :func:`award_in_heading` into the plan's award and its decision),
and a title naming exactly one award for every row (:func:`title_award`).
"""

from __future__ import annotations

import datetime as dt
import re

from kpi.domain.plan import Catalogue
from kpi.reading.checks import INFO, Issue
from kpi.reading.file_kind import register_words
from kpi.reading.messages import issue, phrase
from kpi.reading.register_cells import cell_text, decision_parts
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import fold, match_key

__all__ = ["award_heading", "award_in_heading", "section_heading", "title_award", "title_award_issue"]


def section_heading(sheet: Sheet, r: int, cols: dict[str, int]) -> str | None:
    """``tập thể`` / ``cá nhân`` when row ``r`` is a section heading of an award register ("I. TẬP
    THỂ", "B. Khen thưởng cá nhân": one text, no award), else ``None``."""
    texts = [cell_text(v) for v in sheet.rows[r] if isinstance(v, str) and cell_text(v)]
    if not texts or len(texts) > 2 or ("award" in cols and cell_text(sheet.value(r, cols["award"]))):
        return None
    text = " ".join(texts)
    words = register_words()
    if words.any("recipients", "collective_heading", text):
        return "tập thể"
    if words.any("recipients", "individual_heading", text):
        return "cá nhân"
    return None


def award_heading(sheet: Sheet, r: int) -> str:
    """The award row ``r`` names when it is an award heading of a register without an award
    column ("1. Bằng khen của Chủ tịch UBND tỉnh" alone on its row, above the recipients who
    received it), else ``""``."""
    from kpi.domain.abbreviations import expand

    texts = [cell_text(v) for v in sheet.rows[r] if isinstance(v, str) and cell_text(v)]
    if not texts or len(texts) > 2 or sum(1 for v in sheet.rows[r] if v not in (None, "")) > 2:
        return ""
    text = re.sub(r"^(?:[ivxIVX]+|[a-zA-Z]|\d+)\s*[.)/-]\s*", "", texts[-1])
    return text if register_words().any("awards", "words", expand(text, "award").text) else ""


def _awards_named(text: str, catalogue: Catalogue) -> list[str]:
    """The plan's awards named inside ``text`` (their names or aliases, abbreviations written out on
    both sides, whole words), longest first; a name inside a longer one found is not counted again."""
    from kpi.domain.abbreviations import expand

    written = fold(expand(text, "award").text)
    names = [(ind.award, ind.award) for ind in catalogue.indicators if ind.award]
    names += list(catalogue.award_aliases.items())
    spans = []
    for name, award in names:
        folded = fold(expand(name, "award").text)
        if folded:
            pattern = r"(?<!\w)" + re.escape(folded) + r"(?!\w)"
            spans += [(m.start(), m.end(), award) for m in re.finditer(pattern, written)]
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, award in spans:
        if all(end <= k[0] or start >= k[1] for k in kept):
            kept.append((start, end, award))
    return [award for _s, _e, award in kept]


def _honour_roll_named(text: str) -> list[str]:
    """The honour-roll awards (``[awards] honour_roll``) named inside ``text``, as written from the
    name on (abbreviations written out); ``[]`` when folding moved the text's positions."""
    from kpi.domain.abbreviations import expand

    expanded = expand(text, "award").text
    written = fold(expanded)
    if len(expanded) != len(written):
        return []
    found = (pattern.search(written) for pattern in register_words().pats("awards", "honour_roll"))
    return [expanded[m.start() :].strip(" .,:;") for m in found if m]


def _decision_in(text: str) -> tuple[str, dt.date | None]:
    """The decision number and date written in a heading or title line, or ``("", date)``."""
    number, date = decision_parts(text)
    return (number if re.search(r"\d\s*/", number) else ""), date


def title_award(sheet: Sheet, header: int, catalogue: Catalogue) -> tuple[str, str, dt.date | None, str] | None:
    """(award, decision number, decision date, cell) when the lines above a register's header name
    exactly one award of the plan (else exactly one of the honour roll): "DANH SÁCH Tập thể, cá nhân
    được tặng Bằng khen của Chủ tịch UBND tỉnh … (Kèm theo Quyết định số 247/QĐ-UBND ngày 24 tháng 01
    năm 2025 …)" → every row's award and decision (black-box a1); else ``None``."""
    lines = [
        (cell_ref(r, c), cell_text(v)) for r in range(header) for c, v in enumerate(sheet.rows[r]) if isinstance(v, str)
    ]
    lines = [(cell, t) for cell, t in lines if t]
    for named in (lambda t: _awards_named(t, catalogue), _honour_roll_named):
        found = [(cell, award) for cell, t in lines for award in named(t)]
        awards = {match_key(a) for _c, a in found}
        if len(awards) == 1:
            break
    else:
        return None
    number, date = "", None
    for _cell, t in lines:
        if re.search(r"\b(quyet dinh|qd)\b", fold(t)) and (decision := _decision_in(t))[0]:
            number, date = decision
            break
    return found[0][1], number, date, found[0][0]


def title_award_issue(sheet_name: str, award: str, number: str, date, cell: str) -> Issue:
    if not number:
        decision = ""
    elif date:
        decision = phrase("by_decision_dated", number=number, date=date)
    else:
        decision = phrase("by_decision", number=number)
    return issue(INFO, "award_from_title", sheet=sheet_name, cell=cell, award=award, decision=decision)


#: An achievement year an award heading names: «(thành tích năm 2023)», «thành tích 2023».
_ACHIEVEMENT_YEAR = re.compile(r"\bthanh tich(?:\s+nam)?\s+((?:19|20)\d\d)\b")


def heading_year(heading: str) -> int | None:
    """The achievement year an award heading row names for the rows under it, else ``None``."""
    m = _ACHIEVEMENT_YEAR.search(fold(heading))
    return int(m.group(1)) if m else None


def award_in_heading(heading: str, catalogue: Catalogue) -> tuple[str, str, dt.date | None]:
    """What an award heading row says: (award name, decision number, decision date).

    The award is the plan's award (or an alias of one) named **inside** the heading, the longest
    found once abbreviations are written out on both sides ("Quyết định số 512/QĐ-TTg … tặng Cờ thi
    đua của Chính phủ" → "Cờ thi đua của Chính phủ"); else a known award of the honour roll named in
    it (``register_words.toml`` ``[awards] honour_roll``: "… công nhận danh hiệu Lao động tiên
    tiến" → "Lao động tiên tiến"); else the heading as written (an award name not understood, asked).
    The decision number and date written in the heading apply to the rows below it (black-box a2).
    """
    number, date = _decision_in(heading)
    named = _awards_named(heading, catalogue) or _honour_roll_named(heading)
    return (named[0] if named else heading), number, date
