"""Reading a plan's targets from its own words: a :class:`PlanDocument` → a :class:`PlanProposal`.

Every word the parser relies on is data (``data/plan_vocabulary.toml``, loaded by
:func:`plan_vocabulary`); this module holds only the rules below (issue 8, "Directions from the
words"; indicators-2024.md for the 2024 plan's reading).

Where targets are read
    In sections whose heading names targets ("2. Mục tiêu cụ thể"), up to the next heading of
    the same or a higher level (I. > 1. > 1.1 / a) ), and in tables anywhere that have a name
    column and a target column. A text without such a heading is read whole. Group headings
    ("a) Về kinh tế", "B. LĨNH VỰC XÃ HỘI") set the group of the targets under them.

How a line becomes targets
    A line is cut at ";" into clauses. In a clause, every number is a *candidate* unless it is
    inside brackets (a note: "(tăng 03 khu so với năm 2023)"), a year ("năm 2024", "2021-2025"),
    a date or document number ("16/7/2021", "19/CT-TTg"), part of a word ("Covid-19"), a
    denominator ("/1 vạn dân", "trên 1 ha") or a count of the plan's own parts ("20 chỉ tiêu chủ
    yếu", "3 khâu đột phá": ``[not_targets]``). Two numbers joined by "-", "–", "đến", "tới"
    (optionally after "từ") are one range candidate; "N/M" before a word ("duy trì 12/12 xã") is a
    count N of M (``[fractions]``); "1.250 tỷ 300 triệu đồng" is one amount, 1.250,3 tỷ đồng
    (``[money]``); "từ 2% xuống còn 1,5%", "tăng từ 75% lên 80%" is one figure, the second, with
    the move's direction and the first as its baseline (``[range] from_down``/``from_up``). Then,
    left to right:

    * **leading** — nothing but bullets and value words before it ("05 tập thể, 14 cá nhân được
      Chủ tịch UBND tỉnh tặng Bằng khen", "100% cơ quan đơn vị đăng ký thi đua"): its unit is the
      longest known unit after it; its name is made of the words after the unit(s) — "Số tập thể
      được …", "Tỷ lệ cơ quan …". Several leading figures joined by "," or "và" share those words
      (two targets from one clause).
    * **trailing** — after a label, followed by at most a few unit words and then a delimiter
      ("," ";" "." "(" the end, "trở lên" …): "Tổng thu ngân sách nhà nước: 805 tỷ đồng". Its label
      is the text since the previous target; with colons, the words before the last colon are the
      label and anything before an earlier colon is an *intro* ("Tỷ lệ nghèo đa chiều duy trì mức
      giảm hàng năm: Tỷ lệ hộ nghèo: 0,17%, tỷ lệ hộ cận nghèo: 0,22%") that gives none of its
      targets a direction (kept as their note).
    * anything else is a number inside a label ("trẻ em dưới 5 tuổi") and stays in the name.

Direction (first that applies)
    a range → ``range``; a rate named as its cut ("Tỷ lệ giảm nghèo đạt 4%") → ``decrease_by``;
    "giảm 5%" of a count ("Số vụ …") → not understood (``relative_cut``); the words right before
    the figure (its *value phrase*, nearest word first): a ``decrease`` word directly before the figure of a rate → ``decrease_by`` (never
    "giảm xuống còn", an at-most phrase), an at-most word → ``<=``, an at-least word → ``>=``;
    "trở lên"/"trở xuống" right after the figure; a direction word opening the label ("Duy trì
    …"); the name ("nghèo", "lao động nông nghiệp" → ``<=``); else ``>=``.

Groups
    The group heading the target is under ("a) Về kinh tế"; a numbered heading naming no group
    ends the one before it), else the matched catalogue key's, else the award register's, else
    the target's own words (``[groups.names]``: water, waste, forest → environment …), else none:
    ``group`` is "" and the reviewer is asked (:data:`NO_GROUP`), never the economy by default.
    The groups are :func:`plan_groups`: the seed's four and those the vocabulary declares.

Units
    Proposed normalised: lower case, known spellings replaced, completed by the denominator the
    name carries ("126,8 triệu đồng" + "trên 1 ha" → "triệu đồng/ha"; "10,4 Bác sỹ" + "/1 vạn
    dân" → "bác sỹ/vạn dân"); ``source_text`` keeps the wording as written.

Keys
    A target's name is matched against the base catalogue (the year's plan, or the previous
    year's) by :meth:`Catalogue.match_indicator` (name and aliases, abbreviations expanded),
    then by word overlap (``similar``, flagged for review); unmatched targets get key ``None``.

Nothing is stored here: the proposal is what the admin reviews, edits and confirms
(:mod:`kpi.plans.source`). Every piece of a target section that yields no target is listed in
:attr:`PlanProposal.unparsed` — shown, not dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from kpi.config import data_file
from kpi.domain.plan import Catalogue, Indicator, json_number, target_json
from kpi.errors import NumberFormatError
from kpi.plans.text import Block, PlanDocument
from kpi.vn import clean_text, fold, match_key, parse_number
from kpi.words import GROUP_LABELS

__all__ = [
    "PlanVocabulary",
    "ProposedTarget",
    "Unparsed",
    "PlanProposal",
    "plan_vocabulary",
    "parse_plan",
    "normalise_unit",
    "proposed_kinds",
    "plan_groups",
    "group_by_name",
    "NO_GROUP",
]

VOCABULARY_FILE = "plan_vocabulary.toml"
#: The note of a target whose group neither a heading nor its words give (the reviewer chooses).
NO_GROUP = "chưa rõ thuộc nhóm nào (không có đề mục nhóm, tên không nói lên nhóm) — hãy chọn nhóm"


# ---------------------------------------------------------------------------------------------
# Vocabulary


def _phrase_re(phrases: list[str]) -> re.Pattern:
    """One regex matching any of ``phrases`` as whole words (longest first), lower-case text."""
    ordered = sorted({p.lower() for p in phrases if p}, key=len, reverse=True)
    alternatives = []
    for p in ordered:
        body = re.escape(p).replace(r"\ ", r"\s+")
        left = r"(?<![\w])" if p[0].isalnum() else ""
        right = r"(?![\w])" if p[-1].isalnum() else ""
        alternatives.append(left + body + right)
    return re.compile("|".join(alternatives) or r"(?!x)x")


def _any(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x")


@dataclass(frozen=True)
class PlanVocabulary:
    """``data/plan_vocabulary.toml`` compiled (see the file for what each entry means)."""

    raw: dict

    def _list(self, section: str, key: str) -> list[str]:
        return list(self.raw.get(section, {}).get(key, []))

    # -- phrases -------------------------------------------------------------------------------
    @property
    def at_least(self) -> set[str]:
        return {p.lower() for p in self._list("directions", "at_least")}

    @property
    def at_most(self) -> set[str]:
        return {p.lower() for p in self._list("directions", "at_most")}

    @property
    def decrease(self) -> set[str]:
        return {p.lower() for p in self._list("directions", "decrease")}

    @property
    def value_word_re(self) -> re.Pattern:
        d = self.raw["directions"]
        return _phrase_re(d["at_least"] + d["at_most"] + d["decrease"] + d["fillers"] + self.raw["range"]["lead"])

    @property
    def label_lead_re(self) -> re.Pattern:
        return _phrase_re(self._list("directions", "label_lead"))

    @property
    def after_re(self) -> re.Pattern:
        d = self.raw["directions"]
        return _phrase_re(d["after_at_least"] + d["after_at_most"])

    @property
    def part_of_previous_re(self) -> re.Pattern:
        return _phrase_re(self._list("names", "part_of_previous"))

    @property
    def known_units_re(self) -> re.Pattern:
        return _phrase_re(self._list("units", "known"))

    @property
    def year_lead_re(self) -> re.Pattern:
        return _phrase_re(self._list("time", "year_lead"))

    @property
    def range_between(self) -> list[str]:
        return self._list("range", "between")

    @property
    def denominator_re(self) -> re.Pattern:
        words = sorted(self._list("denominators", "words"), key=len, reverse=True)
        leads = "|".join(r"\btrên" if w == "trên" else re.escape(w) for w in self._list("denominators", "lead"))
        nouns = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        return re.compile(rf"(?:{leads})\s*(?:(?P<n>\d[\d.,]*|một)\s+)?(?P<den>{nouns})(?![\w])", re.I)

    def patterns(self, section: str, key: str) -> re.Pattern:
        return _any(self._list(section, key))


@cache
def _load_vocabulary(path: str, mtime: float) -> PlanVocabulary:
    del mtime  # part of the cache key: an edited file is read again
    return PlanVocabulary(tomllib.loads(Path(path).read_text(encoding="utf-8")))


def plan_vocabulary(data_dir: Path | None = None) -> PlanVocabulary:
    """The parser's vocabulary: ``<data_dir>/plan_vocabulary.toml``, or the default one.

    :raises tomllib.TOMLDecodeError: the file is not valid TOML.
    """
    path = data_file(data_dir, VOCABULARY_FILE)
    return _load_vocabulary(str(path), path.stat().st_mtime)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ProposedTarget:
    """One target the parser found, as proposed for review.

    :ivar key: the catalogue key it matched, or ``None``.
    :ivar name: the catalogue's name when it matched (a key keeps its name across years), else
        the plan's own words tidied (numbering, direction words and "trong đó" removed).
    :ivar label: the label as the plan writes it.
    :ivar unit: normalised (lower case, completed by the name's denominator).
    :ivar target: the figure for ``>=``, ``<=``, ``decrease_by`` (a cut in percentage points);
        ``None`` for a range, whose ends are ``lo`` and ``hi``.
    :ivar decimals: decimals the figure is written with (the rounding rule of design.md).
    :ivar direction: ``>=``, ``<=``, ``range`` or ``decrease_by``; ``direction_from`` says why
        (Vietnamese, shown in the review table).
    :ivar group: one of :func:`plan_groups`, or "" when neither a heading nor the name gives
        one (the reviewer is asked: :data:`NO_GROUP` in ``note``).
    :ivar source_text: the clause or table row it came from, as written.
    :ivar number: the block (line, paragraph or table) of the document it came from.
    :ivar parent: the key of the target it is part of ("trong đó"), if that one has a key.
    :ivar note: what the plan says around it that is not a target (intro, brackets, extra words).
    :ivar match: how ``key`` was found: ``exact``, ``loose``, ``folded``, ``similar`` or ``""``.
    :ivar baseline: last year's figure, when the plan gives one (a table's "Ước TH" column).
    :ivar of_total: M of "duy trì N/M xã …" (the target is N, a count; M is said in ``note``).
    :ivar over_year, across_units, when_known, counted_from, award, recipient, conferred_by:
        how figures combine and where they come from: the catalogue's for a matched key, else
        proposed from the vocabulary's ``[kinds]``, ``[awards]`` and ``[registrations]``.
    """

    key: str | None
    name: str
    label: str
    unit: str
    target: Decimal | None
    lo: Decimal | None
    hi: Decimal | None
    decimals: int
    direction: str
    direction_from: str
    group: str
    source_text: str
    number: int
    plan_no: str = ""
    parent: str = ""
    note: str = ""
    match: str = ""
    baseline: Decimal | None = None
    over_year: str = ""
    across_units: str = ""
    when_known: str = ""
    counted_from: str = "reports"
    award: str = ""
    recipient: str = ""
    conferred_by: str = ""
    of_total: Decimal | None = None
    parent_index: int | None = field(default=None, compare=False)

    @property
    def target_value(self):
        """A number, or ``[lo, hi]`` for a range (the JSON form: :func:`kpi.domain.plan.target_json`)."""
        return target_json(self.direction, self.target, self.lo, self.hi)

    @property
    def target_text(self) -> str:
        """The target as ``indicators.csv`` writes it: "3300.9", "1-2"."""
        if self.direction == "range":
            return f"{_plain(self.lo)}-{_plain(self.hi)}"
        return _plain(self.target)

    def record(self) -> dict:
        """The JSON object of ``python -m kpi plan import --format json``."""
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "target": self.target_value,
            "direction": self.direction,
            "group": self.group,
            "source_text": self.source_text,
            "label": self.label,
            "decimals": self.decimals,
            "direction_from": self.direction_from,
            "match": self.match or None,
            "parent": self.parent or None,
            "plan_no": self.plan_no or None,
            "note": self.note or None,
            "baseline": json_number(self.baseline),
            "over_year": self.over_year,
            "across_units": self.across_units,
            "when_known": self.when_known,
            "counted_from": self.counted_from,
            "award": self.award or None,
            "recipient": self.recipient or None,
            "conferred_by": self.conferred_by or None,
            "of_total": json_number(self.of_total),
            "line": self.number,
        }


@dataclass(frozen=True)
class Unparsed:
    """A piece of a target section that gave no target: shown to the admin, never dropped.

    :ivar why: ``no_figure`` (words without a figure), ``intro`` (words before a colon that
        introduce targets), ``no_name`` (a figure without words naming it), ``table`` (a table
        without a name and a target column), ``row`` (a table row without a figure),
        ``relative_cut`` ("Số vụ … giảm 5%": a relative cut of a count, which no direction holds).
    """

    number: int
    text: str
    why: str

    WHY_WORDS = {
        "no_figure": "không có số liệu — không phải chỉ tiêu?",
        "intro": "lời dẫn trước dấu «:» (không quyết định chiều của chỉ tiêu)",
        "no_name": "có số nhưng chưa hiểu là chỉ tiêu gì (hãy thêm vào bảng nếu là chỉ tiêu)",
        "table": "bảng không có cột «Chỉ tiêu» và cột «Kế hoạch»",
        "row": "dòng bảng không có số kế hoạch",
        "relative_cut": "giảm tương đối («giảm 5%» của một số đếm, không phải điểm phần trăm) — hãy nhập tay",
    }

    @property
    def why_text(self) -> str:
        return self.WHY_WORDS.get(self.why, self.why)


@dataclass(frozen=True)
class PlanProposal:
    """What the parser proposes for one plan document.

    :ivar targets: in the document's order.
    :ivar unparsed: pieces of target sections that gave no target.
    :ivar meta: the plan's identity as read: ``title``, ``doc_number``, ``doc_date``
        (``datetime.date`` or ``None``), ``district``, ``authority``, ``authority_upper``,
        ``place``, ``province``, ``year`` (int or ``None``); "" when not found.
    :ivar sections: headings of the target sections read (empty: the whole text was read).
    """

    document: PlanDocument
    targets: tuple[ProposedTarget, ...]
    unparsed: tuple[Unparsed, ...]
    meta: dict
    sections: tuple[str, ...]

    def records(self) -> list[dict]:
        return [t.record() for t in self.targets]


# ---------------------------------------------------------------------------------------------
# Numbers in a clause


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


_NUMBER = re.compile(r"(?<![\w/.,])(\d+(?:[.,]\d+)*)(?![\w/]|[.,]\d)")


@dataclass
class _Cand:
    start: int
    end: int  # after the number (and "%" when written against it)
    lo: Decimal
    hi: Decimal | None
    text: str
    percent: bool
    decimals: int
    of: Decimal | None = None  # "12/12 xã": a count (lo) of this many
    scale: str = ""  # "1.250 tỷ 300 triệu đồng": the larger money word, the amount's unit
    from_level: Decimal | None = None  # "từ 2% xuống còn 1,5%": the level it starts from
    way: str = ""  # "<=" ("… xuống còn Y") or ">=" ("… lên Y") of a from-to figure


_FRACTION = re.compile(r"(?<![\w/.,])(\d{1,4})\s*/\s*(\d{1,4})(?![\w/]|[.,]\d)(?=\s+[^\W\d])")


def _fractions(text: str, lower: str, vocab: PlanVocabulary) -> list[_Cand]:
    """ "Duy trì 12/12 xã đạt chuẩn": counts N of M (``[fractions]``); N ≤ M, never a date or a
    document's number (a number after "ngày", "số" …)."""
    not_after = re.compile("(?:" + _phrase_re(vocab._list("fractions", "not_after")).pattern + r")\s*$")
    out = []
    for m in _FRACTION.finditer(text):
        n, of = Decimal(m.group(1)), Decimal(m.group(2))
        if not 0 < n <= of or not_after.search(lower[max(0, m.start() - 16) : m.start()]):
            continue
        if vocab.patterns("not_targets", "after_patterns").search(fold(text[m.end() : m.end() + 40].lstrip())):
            continue  # "3/5 chỉ tiêu": the plan's own parts
        out.append(_Cand(m.start(), m.end(), n, None, m.group(0), False, 0, of=of))
    return out


def _money(text: str, raw: list[_Cand], vocab: PlanVocabulary) -> list[_Cand]:
    """ "1.250 tỷ 300 triệu đồng" → one amount, 1.250,3 with the unit "tỷ …" (``[money]``): a
    figure, a larger money word, a figure, a smaller one; "1 nghìn 250 tỷ đồng" → 1.250 "tỷ …": a
    figure and a counting word ("nghìn") smaller than the last word, then fewer than that count."""
    scale = {k.lower(): Decimal(v) for k, v in vocab.raw.get("money", {}).get("scale", {}).items()}
    if not scale:
        return raw
    words = "|".join(sorted(map(re.escape, scale), key=len, reverse=True))
    out: list[_Cand] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if i + 1 < len(raw) and c.hi is None and not c.percent and c.of is None:
            d = raw[i + 1]
            big = re.match(rf"\s+({words})\s+$", text[c.end : d.start], flags=re.I)
            small = re.match(rf"\s+({words})(?!\w)", text[d.end :], flags=re.I)
            if big and small and not d.percent and d.hi is None:
                b, s = scale[big.group(1).lower()], scale[small.group(1).lower()]
                unit_word = big.group(1) if s < b else small.group(1)
                if s < b:
                    value = c.lo + d.lo * s / b
                elif b < s and d.lo < b:  # "1 nghìn 250 tỷ đồng": the first word counts the last
                    value = c.lo * b + d.lo
                else:
                    value = None
                if value is not None:
                    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
                    end = d.end + small.end()
                    out.append(
                        _Cand(c.start, end, value, None, text[c.start : end], False, _decimals(value), scale=unit_word)
                    )
                    i += 2
                    continue
        out.append(c)
        i += 1
    return out


def _paren_depths(text: str) -> list[int]:
    depths, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
            depths.append(depth)
            continue
        depths.append(depth)
        if ch == ")" and depth:
            depth -= 1
    return depths


def _read_number(token: str) -> Decimal | None:
    try:
        value = parse_number(token, "vi").value
    except NumberFormatError:
        return None
    return value


def _candidates(text: str, vocab: PlanVocabulary) -> list[_Cand]:
    """Numbers of a clause that may be targets, ranges merged (see the module's rules)."""
    depths = _paren_depths(text)
    lower = text.lower()
    raw: list[_Cand] = []
    year_lo, year_hi = vocab.raw["time"]["first_year"], vocab.raw["time"]["last_year"]
    year_lead = vocab.year_lead_re
    denominators = [(m.start(), m.end()) for m in vocab.denominator_re.finditer(lower)]
    periods = _phrase_re(vocab._list("time", "periods"))
    ordinal = re.compile("(?:" + _phrase_re(vocab._list("ordinals", "lead")).pattern + r")\s+$")
    counts_parts = vocab.patterns("not_targets", "after_patterns")
    fractions = _fractions(text, lower, vocab)
    for m in _NUMBER.finditer(text):
        start, end = m.span(1)
        if depths[start] > 0:
            continue
        before = text[:start]
        if before.endswith("-") and len(before) >= 2 and before[-2].isalpha():
            continue  # Covid-19
        if any(ds <= start < de for ds, de in denominators):
            continue
        if ordinal.search(lower[max(0, start - 12) : start]):
            continue  # "con thứ 3": part of a name
        value = _read_number(m.group(1))
        if value is None:
            continue
        if before.endswith("-") and (len(before) == 1 or before[-2] in " \t(:"):
            # "đạt -100 tỷ đồng": a minus against the figure is kept, for the target check to
            # refuse; "12 - 15" (spaced) and "12-15" (a range) never reach here with a sign
            value, start = -value, start - 1
        is_year = value == value.to_integral_value() and year_lo <= value <= year_hi and "," not in m.group(1)
        if is_year:
            tail = lower[:start].rstrip()
            lead = year_lead.search(tail[-24:]) if tail else None
            joined = re.match(r"\s*-\s*(\d{4})\b", text[end:]) or re.search(r"\b\d{4}\s*-\s*$", text[:start])
            if (lead and lead.end() == len(tail[-24:])) or joined:
                continue
        following = periods.match(lower[end:].lstrip())
        if following and text[end : end + 1].isspace():
            continue  # "05 năm", "6 tháng": a length of time
        percent = False
        pm = re.match(r"\s?%", text[end:])
        if pm:
            percent = True
            end += pm.end()
        elif counts_parts.search(fold(text[end : end + 40].lstrip())):
            continue  # "20 chỉ tiêu chủ yếu", "3 khâu đột phá": the plan counting its own parts
        raw.append(_Cand(start, end, value, None, m.group(1), percent, _decimals(value)))
    raw = _money(text, sorted(raw + [f for f in fractions if depths[f.start] == 0], key=lambda c: c.start), vocab)
    merged = _from_to(text, lower, _ranges(text, lower, raw, vocab), vocab)
    return merged


def _from_to(text: str, lower: str, raw: list[_Cand], vocab: PlanVocabulary) -> list[_Cand]:
    """ "từ 2% xuống còn 1,5%", "tăng từ 45 lên 50": one figure, the second, whose direction is
    the move's (``[range] from_down`` / ``from_up``) and whose baseline is the first."""
    ways = [("<=", vocab._list("range", "from_down")), (">=", vocab._list("range", "from_up"))]
    verbs = "|".join(re.escape(v.lower()) for v in vocab._list("range", "from_verbs"))
    out: list[_Cand] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if i + 1 < len(raw) and c.hi is None and raw[i + 1].hi is None:
            d = raw[i + 1]
            lead = re.search(r"(?:^|\s)từ\s+$", lower[: c.start])
            gap = re.sub(r"\s+", " ", lower[c.end : d.start]).strip()
            way = next((w for w, words in ways if gap in words), "")
            if lead and way:
                start = lead.start() + (1 if lead.group(0)[0].isspace() else 0)
                verb = re.search(rf"(?:^|\s)(?:{verbs})\s+$", lower[:start]) if verbs else None
                if verb:  # "tăng từ 75% lên 80%": the verb is the move's, not the name's
                    start = verb.start() + (1 if verb.group(0)[0].isspace() else 0)
                out.append(replace(d, start=start, text=text[start : d.end], from_level=c.lo, way=way))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


def _ranges(text: str, lower: str, raw: list[_Cand], vocab: PlanVocabulary) -> list[_Cand]:
    """Ranges: "45 đến 55", "01 - 02", "từ 12 đến 15" (the first's "%" may be repeated or not)."""
    between = "|".join((r"\s*-\s*" if w == "-" else r"\s+" + re.escape(w) + r"\s+") for w in vocab.range_between)
    merged: list[_Cand] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if i + 1 < len(raw):
            d = raw[i + 1]
            gap = text[c.end : d.start]
            lead = re.search(r"(?:^|\s)từ\s+$", lower[: c.start])
            worded = lead is not None or not re.fullmatch(r"\s*-\s*", gap)
            # "từ 15 đến 12" is a range even upside down (the target check refuses it); two
            # figures joined by a bare dash only when they rise ("12 - 15", not "2024 - 5")
            plain = c.of is None and d.of is None and not c.scale and not d.scale
            if plain and re.fullmatch(f"(?:{between})", gap, flags=re.I) and (d.lo >= c.lo or worded):
                start = lead.start() + (1 if lead.group(0)[0].isspace() else 0) if lead else c.start
                merged.append(
                    _Cand(
                        start,
                        d.end,
                        c.lo,
                        d.lo,
                        text[start : d.end],
                        c.percent or d.percent,
                        max(c.decimals, d.decimals),
                    )
                )
                i += 2
                continue
        merged.append(c)
        i += 1
    return merged


# ---------------------------------------------------------------------------------------------
# Words around a figure


_HARD_DELIMITER = re.compile(r"[;:()]|[,.](?=\s|$)|$")
_SEPARATORS = re.compile(r"^[\s,;.\-–]*(?:(?:và|hoặc)\s+)?", re.I)
_BULLET = re.compile(r"^\s*(?:[-+*•·–]\s*)+")
_NUMBERING = re.compile(
    r"^\s*(?:\((?P<paren>\d{1,3}|[a-zđ])\)|(?P<dotted>\d{1,2}(?:\.\d{1,2})*)[.)](?=\s)"
    r"|(?P<subdotted>\d{1,2}(?:\.\d{1,2})+)(?=\s)|(?P<letter>[a-zđ])[.)](?=\s)"
    r"|(?P<roman>[IVX]{1,4})[.)](?=\s)|(?P<upper>[A-ZĐ])[.)](?=\s)"
    r"|(?P<article>(?:Điều|Mục|Phần|Chương)\s+\d{1,2})[.:](?=\s))\s*"
)


def _strip_numbering(text: str) -> tuple[str, str, str]:
    """(text without bullets and numbering, the numbering as written, its kind:
    ``roman``, ``upper``, ``dotted``, ``letter``, ``paren`` or "")."""
    text = _BULLET.sub("", text)
    m = _NUMBERING.match(text)
    if not m:
        return text.strip(), "", ""
    kind = next(k for k, v in m.groupdict().items() if v)
    numbering = m.group(0).strip()
    if kind in ("dotted", "subdotted"):
        kind = f"dotted{numbering.rstrip('.)').count('.') + 1}"
    return text[m.end() :].strip(), numbering, kind


def _peel_end(text: str, word_re: re.Pattern) -> tuple[list[str], str]:
    """Value words at the end of ``text`` (nearest the figure first) and what remains before."""
    words: list[str] = []
    rest = text.rstrip()
    while rest:
        low = rest.lower()
        found = None
        for m in word_re.finditer(low):
            if m.end() == len(low) and (found is None or m.start() < found.start()):
                found = m
        if found is None:
            break
        words.append(re.sub(r"\s+", " ", found.group(0)))
        rest = rest[: found.start()].rstrip()
    return words, rest


def _after_figure(text: str, c: _Cand, vocab: PlanVocabulary) -> dict:
    """What follows a figure up to the next delimiter: its unit words, and whether the figure
    ends a clause (``trailing``) — at most four words before a delimiter or "trở lên"."""
    rest = text[c.end :]
    stop = _HARD_DELIMITER.search(rest)
    segment = rest[: stop.start()] if stop else rest
    known = vocab.known_units_re.match(rest.lstrip().lower())
    lead = len(rest) - len(rest.lstrip())
    if known and not c.percent and lead + known.end() > len(segment):
        # "cho 01 - 02 tập thể, cá nhân": a known unit that holds a comma
        segment = rest[: lead + known.end()]
        stop = _HARD_DELIMITER.search(rest, len(segment))
    after = vocab.after_re.search(segment.lower())
    soft_stop = re.search(r"\s(?:so với|và|trong đó)\s", " " + segment.lower() + " ")
    cut = len(segment)
    if after:
        cut = min(cut, after.start())
    if soft_stop:
        cut = min(cut, max(soft_stop.start() - 1, 0))
    unit_words = segment[:cut].strip()
    words = unit_words.split()
    trailing = len(words) <= 4 or (c.percent and len(words) <= 6)
    if stop and rest[stop.start() : stop.start() + 1] == ":" and (cut == len(segment) or after):
        # "dưới 5 tuổi suy dinh dưỡng: 8%", "OCOP đạt 3 sao trở lên: 6 - 8 sản phẩm": a number
        # of a label before its colon
        trailing = False
    return {"unit_words": unit_words, "trailing": trailing, "end": c.end + len(segment[:cut].rstrip())}


def normalise_unit(written: str, vocab: PlanVocabulary) -> str:
    """A unit as proposed: lower case, known spellings replaced, no spaces around "/"."""
    unit = clean_text(written).lower().strip(" .,;:")
    unit = re.sub(r"\s*/\s*", "/", unit)
    spellings = {k.lower(): v for k, v in vocab.raw.get("units", {}).get("spellings", {}).items()}
    for written_form, proper in sorted(spellings.items(), key=lambda kv: len(kv[0]), reverse=True):
        # word by word: "45 ngàn tỉ" → "nghìn tỷ" ("tỉ" = "tỷ", "ngàn" = "nghìn")
        unit = re.sub(rf"(?<![\w.]){re.escape(written_form)}(?![\w])", proper, unit)
    return unit


def _denominator(label: str, vocab: PlanVocabulary) -> str:
    """The per-what of a name: "/1 vạn dân" → "vạn dân", "trên 1 ha" → "ha", "/10.000 dân" →
    "10.000 dân"; "" when the name has none."""
    found = None
    for m in vocab.denominator_re.finditer(label.lower()):
        found = m
    if found is None:
        return ""
    n = found.group("n")
    den = re.sub(r"\s+", " ", found.group("den"))
    if n and n not in ("1", "01", "một"):
        return f"{n} {den}"
    return den


def _complete_unit(unit: str, label: str, vocab: PlanVocabulary) -> str:
    if not unit or unit == "%" or "/" in unit:
        return unit
    den = _denominator(label, vocab)
    return f"{unit}/{den}" if den else unit


def _capitalise(text: str) -> str:
    text = text.strip(" ,;:.-")
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------------------------------------
# Directions and names


@dataclass
class _Found:
    """A target found in a clause before matching (internal)."""

    label: str
    name: str
    unit: str
    cand: _Cand
    direction: str
    direction_from: str
    source: str
    note: str = ""
    plan_no: str = ""
    part_of_previous: bool = False
    baseline: Decimal | None = None


def _is_rate(name: str, unit: str, vocab: PlanVocabulary) -> bool:
    return unit == "%" or bool(vocab.patterns("names", "rate_patterns").search(fold(name)))


def _direction(
    cand: _Cand,
    value_words: list[str],
    after_words: str,
    lead_words: list[str],
    name: str,
    unit: str,
    vocab: PlanVocabulary,
) -> tuple[str, str, str]:
    """(direction, why in Vietnamese, a note) by the module's rules."""
    if cand.hi is not None:
        return "range", f"khoảng «{cand.text}»", ""
    if cand.way:
        return cand.way, f"«{cand.text}»", ""
    cut = vocab.patterns("names", "decrease_patterns").search(fold(name))
    if cut and unit == "%":
        return "decrease_by", f"tên «{name[: cut.end()]}» (mức giảm so với năm trước)", ""
    note = ""
    for i, word in enumerate(value_words):
        if word in vocab.decrease:
            folded = fold(name)
            if i == 0 and unit == "%" and vocab.patterns("names", "count_patterns").search(folded):
                if not vocab.patterns("names", "rate_patterns").search(folded):
                    # "Số vụ phạm pháp giảm 5%": a relative cut of a count, not percentage points
                    return "", f"«{word}» một số phần trăm của một số đếm (giảm tương đối)", ""
            if i == 0 and _is_rate(name, unit, vocab):
                return "decrease_by", f"«{word}» ngay trước số (giảm so với năm trước)", ""
            if i == 0:
                note = f"«{word} …» của một số không phải tỷ lệ: chưa hiểu (giảm tương đối?)"
            continue
        if word in vocab.at_most:
            return "<=", f"«{word}»", note
        if word in vocab.at_least:
            return ">=", f"«{word}»", note
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
    return ">=", "mặc định (không có từ chỉ chiều)", note


def _clean_label(label: str, vocab: PlanVocabulary) -> tuple[str, list[str], bool, str]:
    """A label → (name words, direction words opening it, whether it is part of the previous
    target, numbering)."""
    text, numbering, _kind = _strip_numbering(clean_text(label))
    text = _SEPARATORS.sub("", text)
    part = False
    m = vocab.part_of_previous_re.match(text.lower())
    if m:
        part = True
        text = text[m.end() :].lstrip(" ,:")
    lead_words: list[str] = []
    while True:
        m = vocab.label_lead_re.match(text.lower())
        if not m or m.end() >= len(text.rstrip()):
            break
        lead_words.append(re.sub(r"\s+", " ", m.group(0)))
        text = text[m.end() :].lstrip(" ,:")
    _words, text = _peel_end(text, vocab.value_word_re)
    return text.strip(" ,;:.-"), lead_words, part, numbering


def _split_pre(pre: str) -> tuple[str, str]:
    """The text between the previous target and a figure → (intro, label + value words).
    Colons inside brackets are ignored."""
    depths = _paren_depths(pre)
    colons = [i for i, ch in enumerate(pre) if ch == ":" and depths[i] == 0]
    if not colons:
        return "", pre
    last = colons[-1]
    head, tail = pre[:last], pre[last + 1 :]
    earlier = [i for i in colons[:-1]]
    return (pre[: earlier[-1]] if earlier else ""), (head[(earlier[-1] + 1) if earlier else 0 :] + ":" + tail)


def _label_and_value(pre: str, vocab: PlanVocabulary) -> tuple[str, str, list[str]]:
    """(intro, label, value words nearest-first) for a trailing figure."""
    pre = _SEPARATORS.sub("", pre)
    intro, rest = _split_pre(pre)
    if ":" in rest:
        label, tail = rest.rsplit(":", 1)
        words, head = _peel_end(tail, vocab.value_word_re)
        if head.strip(" ,"):
            # Words after the colon name the target: the part before it is an intro.
            intro = ": ".join(p for p in (intro, label) if p.strip())
            label = head
        return intro.strip(), label.strip(), words
    words, head = _peel_end(rest, vocab.value_word_re)
    return intro.strip(), head.strip(), words


def _unit_and_words(words: str, vocab: PlanVocabulary) -> tuple[str, str]:
    """Words after a trailing figure → (its unit, words that belong to the name): a known unit
    followed by more words ("ha rừng tập trung" → "ha", "rừng tập trung"); else all of them are
    the unit. A unit completed by "/…" ("triệu đồng/người/năm") is never split."""
    m = vocab.known_units_re.match(words.lower())
    if not m or not re.match(r"\s+[^\W\d]", words[m.end() :]):
        return words, ""
    return words[: m.end()], words[m.end() :].strip()


def _leading_unit(text: str, c: _Cand, vocab: PlanVocabulary) -> tuple[str, int]:
    """Unit right after a leading figure (the longest known unit, else "%", else one word) and
    where it ends."""
    if c.percent:
        return "%", c.end
    rest = text[c.end :]
    if c.scale:  # "1.250 tỷ 300 triệu đồng": the larger word and what follows the smaller one
        m = vocab.known_units_re.match(f"{c.scale} {rest.lstrip()}".lower())
        end = max(m.end() - len(c.scale) - 1, 0) if m else 0
        return f"{c.scale} {rest.lstrip()[:end]}".strip(), c.end + len(rest) - len(rest.lstrip()) + end
    lead = len(rest) - len(rest.lstrip())
    m = vocab.known_units_re.match(rest.lstrip().lower())
    if m:
        return rest.lstrip()[: m.end()], c.end + lead + m.end()
    w = re.match(r"\S+", rest.lstrip())
    if not w:
        return "", c.end
    return w.group(0).strip(",;."), c.end + lead + w.end()


# ---------------------------------------------------------------------------------------------
# A clause → targets


def _parse_clause(text: str, vocab: PlanVocabulary, numbering: str = "") -> tuple[list[_Found], list[tuple[str, str]]]:
    """Targets of one clause and the pieces it leaves unread (``(text, why)``)."""
    cands = _candidates(text, vocab)
    found: list[_Found] = []
    leftovers: list[tuple[str, str]] = []
    pos = 0
    chain: list[tuple[_Cand, str, list[str]]] = []  # leading figures waiting for their shared words
    last_trailing: _Found | None = None

    def trailing(c: _Cand, after: dict, intro: str, label: str, value_words: list[str], shared: bool) -> int:
        """Add a trailing target; returns where it ends."""
        end = after["end"]
        tail = text[end:]
        after_m = vocab.after_re.match(tail.lstrip().lower())
        after_words = ""
        if after_m:
            after_words = after_m.group(0)
            end += len(tail) - len(tail.lstrip()) + after_m.end()
        note = ""
        paren = re.match(r"\s*\(([^()]*)\)", text[end:])
        if paren:
            note = clean_text(paren.group(1))
            end += paren.end()
        compared = re.match(r"\s*(so với[^,;()]*?)\s*(?=[,;()]|[.]\s|[.]?$)", text[end:], flags=re.I)
        if compared:
            note = "; ".join(x for x in (note, clean_text(compared.group(1))) if x)
            end += compared.end()
        name_words, lead_words, part, label_no = _clean_label(label, vocab)
        unit_words, named = _unit_and_words(after["unit_words"], vocab)
        if named and not c.scale:
            name_words = f"{name_words} {named}"  # "Trồng mới 800 ha rừng tập trung": "ha", "… rừng tập trung"
        else:
            unit_words = after["unit_words"]
        unit = normalise_unit(f"{c.scale} {unit_words}", vocab) if not c.percent else "%"
        extra = after["unit_words"] if c.percent else ""
        if extra:
            note = "; ".join(x for x in (note, f"sau số ghi «{extra}»") if x)
        if intro:
            note = "; ".join(x for x in (f"lời dẫn: «{intro}»", note) if x)
        if not name_words:
            leftovers.append((text[pos:end].strip(" ,;"), "no_name"))
            return end
        name = _capitalise(name_words)
        if shared and found:
            # "Bằng khen của Chủ tịch UBND tỉnh: 06 tập thể và 15 cá nhân": one label, two targets.
            first = found[-1]
            if not first.name.endswith(f"({first.unit})"):
                first.name = f"{first.name} ({first.unit})"
            name = f"{name} ({unit})"
        direction, why, dnote = _direction(c, value_words, after_words, lead_words, name_words, unit, vocab)
        if not direction:
            leftovers.append((text[pos:end].strip(" ,;"), "relative_cut"))
            return end
        found.append(
            _Found(
                label=label.strip(),
                name=name,
                unit=_complete_unit(unit, name_words, vocab),
                cand=c,
                direction=direction,
                direction_from=why,
                source=text.strip(),
                note="; ".join(x for x in (note, dnote) if x),
                plan_no=label_no or numbering,
                part_of_previous=part,
            )
        )
        return end

    i = 0
    while i < len(cands):
        c = cands[i]
        pre = text[pos : c.start]
        peeled, rest_label = _peel_end(_SEPARATORS.sub("", pre), vocab.value_word_re)
        bare = not rest_label.strip(" ,;:.-")
        if bare and last_trailing is not None and not chain:
            after = _after_figure(text, c, vocab)
            if after["trailing"]:
                pos = trailing(c, after, "", last_trailing.label, peeled, shared=True)
                last_trailing = found[-1] if found else None
                i += 1
                continue
        if bare:
            # A leading figure: its unit, then the words naming it (shared with the figures
            # before it when only "," or "và" separates them).
            unit, unit_end = _leading_unit(text, c, vocab)
            nxt = cands[i + 1].start if i + 1 < len(cands) else len(text)
            between = text[unit_end:nxt]
            chain.append((c, unit, peeled))
            if i + 1 < len(cands) and not _SEPARATORS.sub("", between).strip():
                pos = unit_end
                i += 1
                continue
            words = between
            if ":" in words:
                colon = words.index(":")
                comma = words.rfind(",", 0, colon)
                words = words[:comma] if comma >= 0 else ""
                pos = unit_end + (comma + 1 if comma >= 0 else 0)
            else:
                pos = nxt
            after = vocab.after_re.match(words.strip().lower())
            after_words = after.group(0) if after else ""
            if after:
                words = words.strip()[after.end() :]
            shared, note = _split_note(words)
            shared = re.sub(r"[\s,;.]*(?:và|hoặc)?\s*$", "", shared).strip(" ,;.")
            if not shared:
                leftovers.append((text[chain[0][0].start : pos].strip(), "no_name"))
                chain = []
                i += 1
                continue
            for cc, cunit, cwords in chain:
                cunit_n = normalise_unit(cunit, vocab)
                if cunit_n == "%":
                    name = f"{vocab.raw['names']['share_prefix']} {shared}"
                else:
                    name = f"{vocab.raw['names']['count_prefix']} {clean_text(cunit).lower()} {shared}"
                direction, why, dnote = _direction(cc, cwords, after_words, [], name, cunit_n, vocab)
                found.append(
                    _Found(
                        label=shared,
                        name=_capitalise(name),
                        unit=_complete_unit(cunit_n, shared, vocab),
                        cand=cc,
                        direction=direction,
                        direction_from=why,
                        source=text.strip(),
                        note="; ".join(x for x in (note, dnote) if x),
                        plan_no=numbering,
                    )
                )
            chain = []
            last_trailing = None
            i += 1
            continue
        after = _after_figure(text, c, vocab)
        if not after["trailing"]:
            i += 1  # a number inside a label ("dưới 5 tuổi"): it stays in the name
            continue
        intro, label, value_words = _label_and_value(pre, vocab)
        if intro:
            leftovers.append((intro, "intro"))
        count = len(found)
        pos = trailing(c, after, intro, label, value_words, shared=False)
        last_trailing = found[-1] if len(found) > count else None
        i += 1
    rest = text[pos:].strip(" ,;.")
    if chain:
        leftovers.append((text[chain[0][0].start :].strip(), "no_name"))
    elif rest and (not found or _words_left(rest)):
        # A clause whose figures named nothing we could read is "not understood", not "no figure".
        leftovers.append((rest, "no_name" if cands and not found else "no_figure"))
    return found, leftovers


def _words_left(text: str) -> bool:
    return bool(re.search(r"\w{2,}", text))


def _split_note(words: str) -> tuple[str, str]:
    """Words naming a leading target, and a bracketed remark after them (a note)."""
    m = re.search(r"\(([^()]*)\)\s*[.;,]?\s*$", words)
    if m:
        return words[: m.start()], clean_text(m.group(1))
    return words, ""


def _split_clauses(text: str) -> list[str]:
    """A line cut at ";" (outside brackets)."""
    depths = _paren_depths(text)
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch == ";" and depths[i] == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


# ---------------------------------------------------------------------------------------------
# Document structure


@dataclass
class _Heading:
    """A heading line: its *kind* of numbering (``roman``, ``upper``, ``dotted1``, ``dotted2``,
    ``letter``, ``paren``, ``caps`` for an unnumbered upper-case line, ``md2`` or ``style1`` for a
    heading of the format itself, ``group`` for an unnumbered group heading)."""

    kind: str
    text: str
    group: str | None
    targets: bool
    level: int = 0


def _group_of(text: str, vocab: PlanVocabulary) -> str | None:
    folded = fold(text)
    for group in vocab.raw["groups"]["order"]:
        if vocab.patterns("groups", f"{group}_patterns").search(folded):
            return group
    return None


def _groups_named(text: str, vocab: PlanVocabulary) -> list[str]:
    """Every group a heading names: a target section's heading sets its targets' group only when
    it names one ("II. CHỈ TIÊU THI ĐUA", "1. Chỉ tiêu kinh tế"), never when it names several
    ("Các chỉ tiêu kinh tế - xã hội chủ yếu")."""
    folded = fold(text)
    return [g for g in vocab.raw["groups"]["order"] if vocab.patterns("groups", f"{g}_patterns").search(folded)]


def plan_groups(vocab: PlanVocabulary | None = None) -> dict[str, str]:
    """The groups a plan's targets may have → their Vietnamese labels: the seed's four
    (:data:`kpi.domain.plan.GROUP_LABELS`) and those the vocabulary declares (``[groups.labels]``)."""
    vocab = vocab or plan_vocabulary()
    return {**GROUP_LABELS, **vocab.raw.get("groups", {}).get("labels", {})}


def group_by_name(name: str, vocab: PlanVocabulary) -> str | None:
    """The group a target's own words place it in (``[groups.names]``: water, waste, forest →
    environment; poverty, labour, health, education, culture → society …), or ``None``: then
    the reviewer is asked, never the economy by default."""
    names = vocab.raw.get("groups", {}).get("names", {})
    folded = fold(_expand(name, vocab))
    for group in names.get("order", []):
        if group in plan_groups(vocab) and _any(names.get(group, [])).search(folded):
            return group
    return None


def _heading(block: Block, vocab: PlanVocabulary) -> _Heading | None:
    """A line that opens a section, or ``None`` (a line with a target figure never does)."""
    text, _numbering, kind = _strip_numbering(block.text)
    if _candidates(text, vocab):
        return None
    words = text.split()
    if not words or len(words) > 16 or text.endswith((";", ",")):
        return None
    folded = fold(text).strip(" .:")
    targets = bool(vocab.patterns("sections", "target_patterns").search(folded)) and not vocab.patterns(
        "sections", "not_target_patterns"
    ).search(folded)
    group = _group_of(text, vocab)
    if not kind:
        if block.heading:
            kind = f"style{block.heading}"
        elif group and len(words) <= 8 and not targets:
            kind = "group"
        elif text.upper() == text and any(ch.isalpha() for ch in text):
            kind = "caps"
        else:
            return None
    return _Heading(kind, text, group, targets)


def _levels(headings: dict[int, _Heading]) -> None:
    """Levels by order of first appearance of each kind of numbering (plans number their
    levels I./1./a), or A./I./1., or 1./1.1./-): the first kind seen is level 1. An
    unnumbered group heading ("Về kinh tế") is below every other level."""
    order: dict[str, int] = {}
    for number in sorted(headings):
        h = headings[number]
        if h.kind == "group":
            h.level = 99
            continue
        order.setdefault(h.kind, len(order) + 1)
        h.level = order[h.kind]


# ---------------------------------------------------------------------------------------------
# Tables


def _table_columns(row: tuple[str, ...], vocab: PlanVocabulary) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        f = fold(cell).strip(" .:")
        if not f:
            continue
        for role in ("number", "note", "unit", "name", "target", "baseline"):
            if role in roles:
                continue
            if vocab.patterns("table", f"{role}_patterns").search(f):
                if role == "baseline" and "target" in roles and roles["target"] == index:
                    continue
                roles[role] = index
                break
    return roles


def _table_targets(block: Block, vocab: PlanVocabulary, group: str | None):
    """Targets of a table: ``(found, group per found, leftovers, header found)``."""
    rows = block.rows
    header_at, roles = None, {}
    for r, row in enumerate(rows[:4]):
        roles = _table_columns(row, vocab)
        if "name" in roles and "target" in roles:
            header_at = r
            break
    if header_at is None:
        return [], [], [(" | ".join(rows[0]) if rows else "", "table")], False
    found: list[_Found] = []
    groups: list[str | None] = []
    leftovers: list[tuple[str, str]] = []

    def cell(row, role):
        index = roles.get(role)
        return row[index] if index is not None and index < len(row) else ""

    def unit_cell_of(row):
        return cell(row, "unit")

    for row in rows[header_at + 1 :]:
        name = cell(row, "name")
        target = cell(row, "target")
        if not name and not target:
            continue
        source = " | ".join(c for c in row if c)
        if not _candidates(target, vocab):
            stt = cell(row, "number")
            g = _group_of(name, vocab)
            if g and not target and not unit_cell_of(row):
                group = g
            elif name or target:
                leftovers.append((source, "row"))
            continue
        unit_cell = cell(row, "unit")
        text = target if not unit_cell or re.search(r"[^\d\s.,%\-–]", target.replace("đến", "")) else target
        subfound, _left = _parse_clause(f"{name}: {text}", vocab)
        if not subfound:
            leftovers.append((source, "row"))
            continue
        f = subfound[0]
        if unit_cell:
            written = normalise_unit(unit_cell, vocab)
            f.unit = _complete_unit(written, f.name, vocab)
            if f.unit != "%" and f.cand.percent:
                f.note = "; ".join(x for x in (f.note, "số ghi kèm «%»") if x)
            elif written == "%" and f.direction == "decrease_by":
                pass
            if written != "%" and f.direction == "decrease_by" and not _is_rate(f.name, written, vocab):
                f.direction, f.direction_from = ">=", "mặc định (không có từ chỉ chiều)"
        f.source = source
        stt = cell(row, "number")
        if stt:
            f.plan_no = stt
        base = cell(row, "baseline")
        if base:
            bc = _candidates(base, vocab)
            if bc and bc[0].hi is None:
                f.baseline = bc[0].lo
        found.append(f)
        groups.append(group)
    return found, groups, leftovers, True


# ---------------------------------------------------------------------------------------------
# The document's identity


def _place_after(text: str, leads: list[str], kinds: list[str]) -> tuple[str, str] | None:
    """("huyện", "Tam Nông") from "… UBND huyện Tam Nông phát động …" (capitalised words after
    a lead and a kind of place), or ``None``."""
    lower = text.lower()
    for lead in leads:
        for kind in kinds:
            pattern = (re.escape(lead.lower()) + r"\s+" if lead else "") + re.escape(kind.lower()) + r"\s+"
            for m in re.finditer(r"(?<![\w])" + pattern, lower):
                words = []
                for w in text[m.end() :].split():
                    core = w.strip(",.;:“”\"'()")
                    if not core or not core[0].isupper() or not core[0].isalpha():
                        break
                    words.append(core)
                    if core != w or len(words) == 4:
                        break
                if words:
                    name = " ".join(words)
                    if name.upper() == name:
                        name = name.title()
                    return kind, name
    return None


def _first_place(lines: list[str], leads: list[str], kinds: list[str]) -> tuple[str, str] | None:
    for line in lines:
        found = _place_after(line, leads, kinds)
        if found:
            return found
    return None


def _meta(document: PlanDocument, vocab: PlanVocabulary) -> dict:
    spec = vocab.raw["document"]
    lines = [b.text for b in document.blocks if b.kind == "line"]
    header = lines[: int(spec.get("header_lines", 15))]
    meta = {
        "title": "",
        "doc_number": "",
        "doc_date": None,
        "district": "",
        "authority": "",
        "authority_upper": "",
        "place": "",
        "province": "",
        "year": None,
    }
    numbers = _any(spec["number_patterns"])
    dates = [re.compile(p) for p in spec["date_patterns"]]
    for index, line in enumerate(header):
        folded = fold(line)
        if not meta["title"] and _any(spec["title_patterns"]).search(folded):
            title = line
            if len(line.split()) <= 2 and index + 1 < len(header):
                title = f"{line} {header[index + 1]}"  # "KẾ HOẠCH" on a line of its own
            words = title.split()
            caps = [w.upper() == w and len(w) > 1 and any(c.isalpha() for c in w) for w in words]
            words = [w.lower() if c else w for w, c in zip(words, caps, strict=True)]
            lead = caps.index(False) if False in caps else len(words)
            if 0 < lead < len(words) and len(words[lead]) > 1 and words[lead][1:].islower():
                words[lead] = words[lead].lower()  # "KẾ HOẠCH Phát động …" → "Kế hoạch phát động …"
            meta["title"] = _capitalise(" ".join(words))
        m = numbers.search(folded)
        if m and not meta["doc_number"]:
            written = line[m.start(1) : m.end(1)] if len(folded) == len(line) else m.group(1).upper()
            meta["doc_number"] = re.sub(r"\s+", "", written).upper().replace("Đ", "Đ")
        for pattern in dates:
            d = pattern.search(folded)
            if d and meta["doc_date"] is None:
                try:
                    meta["doc_date"] = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
                except ValueError:
                    pass
    year = re.search(r"\bnam (\d{4})\b", fold(meta["title"]))
    if year:
        meta["year"] = int(year.group(1))
    place = _first_place(lines, spec["authority_lead"], spec["place_kinds"])
    if place:
        kind, name = place
        meta["place"] = name
        meta["district"] = f"{kind} {name}"
        meta["authority"] = f"UBND {kind} {name}"
        meta["authority_upper"] = meta["authority"].upper()
    province = _first_place(lines, [""], spec["province_kinds"][:1])
    if province:
        meta["province"] = f"{province[0]} {province[1]}"
    return meta


# ---------------------------------------------------------------------------------------------
# Matching to the catalogue


_WORD = re.compile(r"\w+")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(re.sub(r"\([^)]*\)", " ", text))))


def _expand(text: str, vocab: PlanVocabulary) -> str:
    for short, long in vocab.raw.get("abbreviations", {}).items():
        text = re.sub(rf"(?<![\w]){re.escape(short)}(?![\w])", long, text)
    return text


def _match(catalogue: Catalogue | None, f: _Found, vocab: PlanVocabulary) -> tuple[Indicator | None, str]:
    """The catalogue indicator a found target is, and how it was matched."""
    if catalogue is None:
        return None, ""
    forms = [f.name, f.label, _expand(f.name, vocab), _expand(f.label, vocab)]
    if f.unit == "%" and not vocab.patterns("names", "rate_patterns").search(fold(f.name)):
        forms.append(f"{vocab.raw['names']['share_prefix']} {f.name}")
    for form in dict.fromkeys(x for x in forms if x):
        m = catalogue.match_indicator(form)
        if m is not None:
            return catalogue[m.value], m.how
    kinds = proposed_kinds(f.name, f.unit, "", vocab)
    if kinds["award"]:
        key = catalogue.award_key(kinds["award"], f.unit)
        if key is None and "," not in f.unit:
            key = next(
                (
                    i.key
                    for i in catalogue.indicators
                    if i.award == kinds["award"] and match_key(i.recipient) == match_key(f.unit)
                ),
                None,
            )
        if key is not None:
            return catalogue[key], "award"
    mine = _tokens(_expand(f.name, vocab))
    if len(mine) < 2:
        return None, ""
    scores: dict[str, float] = {}
    entries = [(ind.name, ind.key) for ind in catalogue.indicators]
    entries += [(a, k) for a, k in catalogue.aliases.items() if k in catalogue.by_key]
    for written, key in entries:
        theirs = _tokens(_expand(written, vocab))
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        scores[key] = max(scores.get(key, 0.0), score)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < 0.7:
        return None, ""
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.1:
        return None, ""
    ind = catalogue[ranked[0][0]]
    if f.unit and catalogue.measure(f.unit, ind) is None and match_key(f.unit) != match_key(ind.unit):
        return None, ""
    return ind, "similar"


def proposed_kinds(name: str, unit: str, group: str, vocab: PlanVocabulary) -> dict:
    """How a target the catalogue does not know combines, from the vocabulary's ``[kinds]``,
    ``[awards]`` and ``[registrations]``."""
    folded = fold(_expand(name, vocab))
    out = {"counted_from": "reports", "award": "", "recipient": "", "conferred_by": ""}
    if vocab.patterns("registrations", "patterns").search(folded):
        out.update(over_year="level", across_units="none", when_known="quarterly", counted_from="registrations")
        return out
    recipients = {"tập thể", "cá nhân", "tập thể, cá nhân"}
    if unit in recipients:
        for rule in vocab.raw.get("awards", {}).get("rule", []):
            if re.search(rule["pattern"], folded):
                out.update(
                    over_year="count",
                    across_units="sum",
                    when_known="year-end",
                    counted_from="awards",
                    award=rule["award"],
                    recipient=unit,
                    conferred_by=rule.get("conferred_by", ""),
                )
                return out
    share = unit == "%" or "/" in unit or bool(vocab.patterns("kinds", "average_patterns").search(folded))
    flow = not share and bool(vocab.patterns("kinds", "flow_patterns").search(folded))
    over_year = "flow" if flow else "level"
    across = "none" if share else "sum"
    year_end = group == "awards" or bool(vocab.patterns("kinds", "year_end_patterns").search(folded))
    out.update(over_year=over_year, across_units=across, when_known="year-end" if year_end else "quarterly")
    return out


# ---------------------------------------------------------------------------------------------
# The whole document


def parse_plan(
    document: PlanDocument, catalogue: Catalogue | None = None, vocab: PlanVocabulary | None = None
) -> PlanProposal:
    """Propose the targets of ``document`` (see the module's rules).

    :param catalogue: the catalogue to match names against (the year's plan, or the previous
        year's); ``None`` proposes every target with key ``None``.
    :param vocab: :func:`plan_vocabulary` (the default data folder's when omitted).
    :returns: a :class:`PlanProposal`; never raises on odd text (what it cannot read is listed
        in ``unparsed``).
    """
    vocab = vocab or plan_vocabulary()
    headings = {b.number: h for b in document.blocks if b.kind == "line" and (h := _heading(b, vocab))}
    _levels(headings)
    has_sections = any(h is not None and h.targets for h in headings.values())
    inside = not has_sections
    section_level = 0
    group: str | None = None
    group_level = 0
    sections: list[str] = []
    found: list[_Found] = []
    groups: list[str | None] = []
    numbers: list[int] = []
    unparsed: list[Unparsed] = []
    for block in document.blocks:
        if block.kind == "table":
            tfound, tgroups, left, header = _table_targets(block, vocab, group)
            if header or inside:
                found.extend(tfound)
                groups.extend(tgroups)
                numbers.extend([block.number] * len(tfound))
                unparsed.extend(Unparsed(block.number, t, w) for t, w in left if t)
                if tgroups:
                    group = tgroups[-1]
            continue
        h = headings.get(block.number)
        if h is not None:
            if h.targets and h.kind != "group":
                inside, section_level = True, h.level
                sections.append(h.text)
                group = h.group if h.group and len(_groups_named(h.text, vocab)) == 1 else None
                group_level = h.level
                continue
            if inside and has_sections and h.level <= section_level:
                inside = False
                continue
            if inside and h.group:
                group, group_level = h.group, h.level
                continue
            if inside and h.kind != "group":
                if group is not None and h.level <= group_level:
                    group = None  # "3. Quốc phòng – an ninh" after "2. Môi trường": not environment
                unparsed.append(Unparsed(block.number, block.text, "no_figure"))
            continue
        if not inside:
            continue
        text, numbering, _kind = _strip_numbering(block.text)
        for clause in _split_clauses(text):
            cfound, left = _parse_clause(clause, vocab, numbering)
            found.extend(cfound)
            groups.extend([group] * len(cfound))
            numbers.extend([block.number] * len(cfound))
            unparsed.extend(Unparsed(block.number, t, w) for t, w in left if t)
    targets = _finish(found, groups, numbers, catalogue, vocab)
    return PlanProposal(document, tuple(targets), tuple(_dedupe(unparsed)), _meta(document, vocab), tuple(sections))


def _dedupe(items: list[Unparsed]) -> list[Unparsed]:
    seen, out = set(), []
    for item in items:
        k = (item.number, item.text, item.why)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _finish(
    found: list[_Found],
    groups: list[str | None],
    numbers: list[int],
    catalogue: Catalogue | None,
    vocab: PlanVocabulary,
) -> list[ProposedTarget]:
    """Match each found target to the catalogue, fill in group, kinds and parents; a key is
    given once (a second target matching the same key keeps ``None``, with a note)."""
    out: list[ProposedTarget] = []
    used: dict[str, int] = {}
    for index, (f, group, number) in enumerate(zip(found, groups, numbers, strict=True)):
        ind, how = _match(catalogue, f, vocab)
        note = f.note
        if ind is not None and ind.key in used:
            note = "; ".join(x for x in (note, f"trùng tên với chỉ tiêu {ind.key} ở trên — hãy kiểm tra") if x)
            ind, how = None, ""
        parent_index = None
        if f.part_of_previous:
            parent_index = next((j for j in range(index - 1, -1, -1) if not found[j].part_of_previous), None)
        grp = group or (ind.group if ind is not None else None)
        name = ind.name if ind is not None else f.name
        if ind is None and parent_index is not None:
            name = f"{found[parent_index].name}, trong đó {f.name[:1].lower()}{f.name[1:]}"
        if ind is not None:
            kinds = {
                "over_year": ind.over_year,
                "across_units": ind.across_units,
                "when_known": ind.when_known,
                "counted_from": ind.counted_from,
                "award": ind.award,
                "recipient": ind.recipient,
                "conferred_by": ind.conferred_by,
            }
        else:
            kinds = proposed_kinds(f.name, f.unit, grp or "", vocab)
            if grp is None and kinds["counted_from"] != "reports":
                grp = "awards"
        if grp is None:
            grp = group_by_name(f.name, vocab)
        if grp not in plan_groups(vocab):
            grp = ""  # asked: the review shows it empty, and confirming needs a group
            note = "; ".join(x for x in (note, NO_GROUP) if x)
        unit = f.unit
        if ind is not None and unit != ind.unit:
            factor = catalogue.measure(unit, ind) if unit else Decimal(1)
            if factor == 1:
                unit = ind.unit
            else:
                note = "; ".join(x for x in (note, f"ĐVT khác kế hoạch đang có («{ind.unit}») — hãy kiểm tra") if x)
        c = f.cand
        target = None if c.hi is not None else c.lo
        decimals = c.decimals
        if ind is not None and how == "similar":
            note = "; ".join(x for x in (note, f"khớp gần đúng với «{ind.name}» — hãy kiểm tra") if x)
        if c.of is not None:
            of = f"«{c.text}»: {_plain(c.lo)} trên tổng số {_plain(c.of)} {unit}".rstrip()
            note = "; ".join(x for x in (note, of) if x)
        proposed = ProposedTarget(
            key=ind.key if ind is not None else None,
            name=name,
            label=clean_text(f.label),
            unit=unit,
            target=target,
            lo=c.lo if c.hi is not None else None,
            hi=c.hi,
            decimals=decimals,
            direction=f.direction,
            direction_from=f.direction_from,
            group=grp,
            source_text=clean_text(f.source),
            number=number,
            plan_no=f.plan_no,
            note=note,
            match=how,
            baseline=f.baseline if f.baseline is not None else c.from_level,
            parent_index=parent_index,
            of_total=c.of,
            **kinds,
        )
        if ind is not None:
            used[ind.key] = index
        out.append(proposed)
    # Parents: the key of the target a "trong đó" part belongs to (or the catalogue's own).
    final = []
    for t in out:
        parent = ""
        if t.parent_index is not None and out[t.parent_index].key:
            parent = out[t.parent_index].key
        elif t.key and catalogue is not None and catalogue.by_key[t.key].parent:
            parent = catalogue.by_key[t.key].parent
        final.append(replace(t, parent=parent))
    return final
