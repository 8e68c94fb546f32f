"""A target's direction from its words (:mod:`kpi.plans.parse`, "Direction"): the words right
before its figure, after it, opening its label, or its name — and the one reading no direction
holds, a percentage cut of what is not named as a rate — of an amount or a count («Giảm 5% số vụ
…», «Số vụ … giảm 5%», «Giảm 30% lượng rác thải nhựa»: 5 % fewer than last year's figure, not 5
percentage points) or of anything else («Hộ nghèo giảm 1,5%») — which is asked of the reviewer
whatever the word order."""

from __future__ import annotations

import re
from dataclasses import replace

from kpi.plans.clause_numbers import Candidate
from kpi.plans.vocabulary import PlanVocabulary
from kpi.vn import fold, format_number

__all__ = [
    "CUT_BAND",
    "DEFAULT_DIRECTION",
    "ONLY_NEXT",
    "direction_of",
    "growth_name",
    "increment_word",
    "is_amount",
    "is_rate",
    "listed",
    "named_rate",
    "relative_cut",
    "rise_reading",
    "rise_word",
]

#: The note of a cut written as a band («giảm từ 3% đến 4%»): a cut is one figure (the catalogue holds
#: no band of cuts), so its low end is proposed — the least the plan asks — and the clerk asked.
CUT_BAND = "mức giảm ghi là khoảng «{text}»: đề xuất mức thấp {lo} điểm % — hãy kiểm tra"
#: Why a target's direction is "≥" when no word gives one.
DEFAULT_DIRECTION = "mặc định (không có từ chỉ chiều)"
#: The note of a figure without a direction word listed before one with its own («06 tập thể và
#: không quá 15 cá nhân»): the word is the next figure's only, this one is ≥ by default — asked.
ONLY_NEXT = "«{word}» chỉ nói về «{next}»; số này không có từ chỉ chiều, tạm để tối thiểu (≥) — hãy kiểm tra"


def listed(words: list[str], vocab: PlanVocabulary) -> bool:
    """Whether ``words`` (a figure's value words) hold a direction word of their own."""
    return any(w in vocab.at_least or w in vocab.at_most or w in vocab.decrease for w in words)


def is_rate(name: str, unit: str, vocab: PlanVocabulary) -> bool:
    """Whether a target is a rate or share: its unit is "%" or its name says so ("Tỷ lệ …")."""
    return unit == "%" or bool(vocab.patterns("names", "rate_patterns").search(fold(name)))


def named_rate(name: str, vocab: PlanVocabulary) -> bool:
    """Whether a name says it is a rate or share («Tỷ lệ …», «Tỷ trọng …»: ``[names] rate_patterns``)
    or a rate's cut («Tỷ lệ giảm …», «Mức giảm …»: ``decrease_patterns``) — what a cut in percentage
    points is of. A figure written with «%» is not enough: «lượng rác thải nhựa giảm 30%» is no rate."""
    folded = fold(name)
    return bool(
        vocab.patterns("names", "rate_patterns").search(folded)
        or vocab.patterns("names", "decrease_patterns").search(folded)
    )


def is_amount(name: str, vocab: PlanVocabulary) -> bool:
    """Whether a name is an amount or a count («Số vụ …», «Lượng rác thải …», «Tổng giá trị …», «Tai
    nạn giao thông»: ``[names] amount_patterns``), not a rate."""
    return bool(vocab.patterns("names", "amount_patterns").search(fold(name))) and not named_rate(name, vocab)


def relative_cut(words: list[str], name: str, unit: str, vocab: PlanVocabulary) -> str:
    """Why a percentage cut is not understood (:class:`kpi.plans.parse.Unparsed`), or "": a decrease
    word among ``words`` (a figure's value words and those opening its label) before a percentage
    of ``name`` that is not named as a rate (:func:`named_rate`; ``name`` is what the percentage is
    of, without the «Tỷ lệ» a leading figure's name gets). Of an amount («Số vụ … giảm 5%», «Giảm
    30% lượng rác thải nhựa»: :func:`is_amount`) it is ``relative_cut``: N % fewer than last year's
    figure, which is not known here; of anything else («Hộ nghèo giảm 1,5%») ``unclear_cut``: a rate
    the plan does not name, or a relative cut. Either way the reviewer is asked, whatever the word
    order — never a cut in points of a «Tỷ lệ …» the plan did not write."""
    if unit != "%" or named_rate(name, vocab) or not any(w in vocab.decrease for w in words):
        return ""
    return "relative_cut" if is_amount(name, vocab) else "unclear_cut"


def rise_word(words: list[str], vocab: PlanVocabulary) -> str:
    """The rise word («tăng»: ``[directions] rise``) among a figure's words (nearest first) that
    makes the figure what a thing grows by, or "": none when a word nearer the figure says where to
    («Tăng tỷ lệ … lên 98%» is a level: ``[range] from_up``)."""
    to = {w.lower() for w in vocab._list("range", "from_up")}
    rise = {w.lower() for w in vocab._list("directions", "rise")}
    for word in words:
        if word in to:
            return ""
        if word in rise:
            return word
    return ""


def rise_reading(words: list[str], name: str, unit: str, vocab: PlanVocabulary) -> str:
    """What a rise word among ``words`` (:func:`rise_word`) makes of a percentage of ``name``: of an
    amount («Tổng giá trị sản xuất tăng 9,2%») or a growth rate already, ``growth`` — the target is
    its growth rate over last year, named so (:func:`growth_name`), never «Tổng giá trị sản xuất
    tăng»; of a rate («Tỷ lệ … tăng 2%»: 2 points over last year's, which no direction holds)
    ``rise_of_rate``; of anything else ``unclear_rise`` — both asked. "" without a rise word or a
    percentage (a count «tăng 500 hộ» is what is added: :func:`increment_word`)."""
    if unit != "%" or not rise_word(words, vocab):
        return ""
    if vocab.patterns("names", "growth_patterns").search(fold(name)) or is_amount(name, vocab):
        return "growth"
    return "rise_of_rate" if named_rate(name, vocab) else "unclear_rise"


def growth_name(name: str, vocab: PlanVocabulary) -> str:
    """The name of an amount's growth rate: «Tổng giá trị sản xuất» → «Tốc độ tăng tổng giá trị sản
    xuất» (``[names] growth_prefix``); a name that is one already, unchanged."""
    if vocab.patterns("names", "growth_patterns").search(fold(name)):
        return name
    first = name[:1].lower() if name[1:2].islower() else name[:1]  # «GRDP» stays
    return f"{vocab.raw['names']['growth_prefix']} {first}{name[1:]}"


def direction_of(
    cand: Candidate,
    value_words: list[str],
    after_words: str,
    lead_words: list[str],
    name: str,
    unit: str,
    vocab: PlanVocabulary,
) -> tuple[str, str, str]:
    """(direction, why in Vietnamese, a note) by the module's rules; no direction ("") for a cut or
    a rise not understood — a percentage one (:func:`relative_cut`, :func:`rise_reading`) or a cut
    by a number of what is no rate («Số vụ tai nạn giảm 50 vụ»: ``absolute_cut``, 50 fewer than last
    year's, never at least 50) — its :class:`~kpi.plans.parse.Unparsed` why second. A band read as a cut («Tỷ lệ hộ
    nghèo giảm từ 3% đến 4%»: a cut of 3 to 4 points, never the rate itself between 3 and 4 %) is
    ``decrease_by`` with :data:`CUT_BAND` as its note: a cut has one figure, the band's low end is
    proposed (:func:`kpi.plans.parse.parse_plan`) and the clerk asked; a band of a relative cut
    («Giảm 5 - 10% số vụ …») is not understood, as one figure is."""
    if cand.hi is not None:
        one, why, note = direction_of(replace(cand, hi=None), value_words, after_words, lead_words, name, unit, vocab)
        if one in ("decrease_by", ""):
            band = CUT_BAND.format(text=cand.text, lo=format_number(cand.lo))
            return one, why, "; ".join(x for x in (note, band) if x) if one else ""
        return "range", f"khoảng «{cand.text}»", ""
    if cand.way:
        return cand.way, f"«{cand.text}»", ""
    cut = vocab.patterns("names", "decrease_patterns").search(fold(name))
    if cut and unit == "%":
        return "decrease_by", f"tên «{name[: cut.end()]}» (mức giảm so với năm trước)", ""
    rise = rise_reading([*value_words, *lead_words], name, unit, vocab)
    not_understood = relative_cut([*value_words, *lead_words], name, unit, vocab) or rise.replace("growth", "")
    if not_understood:  # "Số vụ phạm pháp giảm 5%", "Tỷ lệ … tăng 2%": no direction; why, as Unparsed says it
        return "", not_understood, ""
    note = ""
    for i, word in enumerate(value_words):
        if word in vocab.decrease:
            if i == 0 and is_rate(name, unit, vocab):
                return "decrease_by", f"«{word}» ngay trước số (giảm so với năm trước)", ""
            if i == 0:  # "Số vụ tai nạn giảm 50 vụ": 50 fewer than last year's, never at least 50
                return "", "absolute_cut", ""
            continue
        if word in vocab.at_most:
            return "<=", f"«{word}»", note
        if word in vocab.at_least:
            return ">=", f"«{word}»", note
    if rise:  # "Tổng giá trị sản xuất tăng 9,2%": its growth rate, at least that
        word = rise_word([*value_words, *lead_words], vocab)
        return ">=", f"«{word}» trước số (tốc độ tăng so với năm trước)", note
    lead_cut = next((w for w in lead_words if w in vocab.decrease), None)
    if lead_cut and unit == "%":
        # "Giảm tỷ lệ hộ nghèo (từ) 0,5% (trở lên)": the verb opens the label and no word before the
        # figure says where to ("xuống còn" would be a ceiling, above): a cut in percentage points
        return "decrease_by", f"«{lead_cut}» đầu chỉ tiêu (giảm so với năm trước)", note
    if lead_cut and not is_rate(name, unit, vocab):  # "Giảm số vụ cháy 20 vụ": as above
        return "", "absolute_cut", ""
    after = after_words.lower()
    if after:
        word = re.sub(r"\s+", " ", after)
        if word in {w.lower() for w in vocab._list("directions", "after_at_most")}:
            return "<=", f"«{word}»", note
        if word in {w.lower() for w in vocab._list("directions", "after_at_least")}:
            return ">=", f"«{word}»", note
    for word in lead_words:
        if word in vocab.at_most:
            return "<=", f"«{word}» đầu chỉ tiêu", note
        if word in vocab.at_least:
            return ">=", f"«{word}» đầu chỉ tiêu", note
    folded = fold(name)
    m = vocab.patterns("names", "at_most_patterns").search(folded)
    if m and not vocab.patterns("names", "not_at_most_patterns").search(folded):
        words = name[m.start() : m.end()] if len(folded) == len(name) else m.group(0)
        return "<=", f"tên có «{words.strip()}»", note
    return ">=", DEFAULT_DIRECTION, note


def increment_word(value_words: list[str], vocab: PlanVocabulary, unit: str = "") -> str:
    """The first of a figure's value words saying it is added this year ("có thêm"; a rise word
    before a figure that is no percentage, «Số hộ dùng điện tăng 500 hộ»: :func:`rise_word`), or ""."""
    word = next((w for w in value_words if w.lower() in vocab.increment), "")
    return word or (rise_word(value_words, vocab) if unit != "%" else "")
