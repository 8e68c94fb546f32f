"""A plan document's structure (:mod:`kpi.plans.parse`, "Where targets are read"): its headings
and their levels, the targets of its tables, and its identity (title, number, date, authority,
place) from its first lines."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kpi.domain.places import PlaceWords, place_after, place_forms
from kpi.plans.clause_numbers import find_candidates
from kpi.plans.clauses import (
    DEFAULT_DIRECTION,
    Found,
    bulleted,
    capitalise,
    complete_unit,
    is_rate,
    normalise_unit,
    parse_clause,
    strip_numbering,
)
from kpi.plans.text import Block, PlanDocument
from kpi.plans.unparsed import CHANGES
from kpi.plans.vocabulary import PlanVocabulary, any_pattern, groups_named, heading_group
from kpi.vn import fold

__all__ = ["Part", "read_heading", "by_form", "ends_targets", "number_levels", "table_targets", "document_meta"]

# ---------------------------------------------------------------------------------------------
# Document structure


@dataclass
class _Heading:
    """A heading line: its *kind* of numbering (``roman``, ``upper``, ``dotted1``, ``dotted2``,
    ``letter``, ``paren``, ``caps`` for an unnumbered upper-case line, ``plain`` for an unnumbered
    target heading in lower case ("Các chỉ tiêu": ``[sections] plain_patterns``), ``md2`` or ``style1`` for a
    heading of the format itself, ``group`` for an unnumbered group heading, ``form`` for a heading
    known by its form alone: :func:`by_form`)."""

    kind: str
    text: str
    group: str | None
    targets: bool
    level: int = 0


#: The most words of a heading known by its form alone (:func:`by_form`).
FORM_WORDS = 12


def read_heading(block: Block, vocab: PlanVocabulary, following: Block | None = None) -> _Heading | None:
    """A line that opens a section, or ``None`` (a line with a target figure never does);
    ``following`` is the block after it (a heading known by its form is followed by items)."""
    text, _numbering, kind = strip_numbering(block.text)
    if find_candidates(text, vocab):
        return None
    words = text.split()
    if not words or len(words) > 16 or text.endswith((";", ",")):
        return None
    folded = fold(text).strip(" .:")
    targets = bool(vocab.patterns("sections", "target_patterns").search(folded)) and not vocab.patterns(
        "sections", "not_target_patterns"
    ).search(folded)
    group = heading_group(text, vocab)
    if not kind:
        if block.heading:
            kind = f"style{block.heading}"
        elif group and len(words) <= 8 and not targets:
            kind = "group"
        elif text.upper() == text and any(ch.isalpha() for ch in text):
            kind = "caps"
        elif targets and vocab.patterns("sections", "plain_patterns").search(folded):
            kind = "plain"  # "Các chỉ tiêu" alone on its line
        elif not targets and by_form(block, following, vocab):
            kind = "form"  # "Nhiệm vụ trọng tâm", "Quốc phòng, an ninh" above their items
        else:
            return None
    return _Heading(kind, text, group, targets)


def by_form(block: Block, following: Block | None, vocab: PlanVocabulary) -> bool:
    """Whether an unnumbered line is a heading by its form: no bullet, a capital first, at most
    :data:`FORM_WORDS` words, no figure, not closed as a sentence or an item is («.», «;», «,»),
    and followed by items — a table, a line with a bullet or a number, a line with a figure, or a
    sentence — never by a line that goes on with it (in lower case: a sentence broken in two)."""
    text = block.text.strip()
    if bulleted(text) or not text[:1].isupper() or len(text.split()) > FORM_WORDS or text.endswith((".", ";", ",")):
        return False
    if following is None:
        return False
    if following.kind == "table":
        return True
    after = following.text.strip()
    if not after[:1].isupper() and not bulleted(after) and not strip_numbering(after)[2]:
        return False
    return bool(
        bulleted(after) or strip_numbering(after)[2] or find_candidates(after, vocab) or after.endswith((".", ";"))
    )


def ends_targets(text: str, vocab: PlanVocabulary) -> bool:
    """Whether a heading's words open what follows the targets — tasks, measures, who does what
    (``[sections] end_patterns``, at its start: "Nhiệm vụ trọng tâm", "3. Tổ chức thực hiện") —
    and name no targets with them ("Nhiệm vụ và chỉ tiêu năm 2025": ``end_not_patterns``)."""
    folded = fold(strip_numbering(text)[0]).strip(" .:")
    return bool(vocab.patterns("sections", "end_patterns").search(folded)) and not vocab.patterns(
        "sections", "end_not_patterns"
    ).search(folded)


#: The kinds of headings without a number of their own (:class:`_Heading`; ``style…`` too).
UNNUMBERED = frozenset({"caps", "group", "form", *(f"style{n}" for n in range(1, 10))})

#: The levels of unnumbered headings, below every numbered one: a group heading ("Về kinh tế") and
#: a heading known by its form ("Quốc phòng, an ninh") the lowest, a target heading in lower case
#: ("Các chỉ tiêu") just above them.
PLAIN_LEVELS = {"plain": 98, "group": 99, "form": 99}


def number_levels(headings: dict[int, _Heading]) -> None:
    """Levels by order of first appearance of each kind of numbering (plans number their
    levels I./1./a), or A./I./1., or 1./1.1./-): the first kind seen is level 1. An
    unnumbered heading is below every numbered level (:data:`PLAIN_LEVELS`)."""
    order: dict[str, int] = {}
    for number in sorted(headings):
        h = headings[number]
        if h.kind in PLAIN_LEVELS:
            h.level = PLAIN_LEVELS[h.kind]
            continue
        order.setdefault(h.kind, len(order) + 1)
        h.level = order[h.kind]


@dataclass
class Part:
    """Where :func:`kpi.plans.parse.parse_plan` is: inside the targets' part or not (a text without target headings
    is read whole), the level that part ends at, and the group heading in force.

    :ivar series: the part was opened by a heading naming a group ("1. Các chỉ tiêu kinh tế"): a
        sibling heading naming another group ("3. Về thi đua, khen thưởng") is the next section of
        that series, unless its words end the series (``[sections] series_end_patterns``).
    :ivar plain: the part was opened by an unnumbered heading in lower case ("Các chỉ tiêu"), below
        every numbered level: a numbered heading naming a group ("1. Về kinh tế") is its next
        section, any other ends it.
    """

    has_sections: bool
    inside: bool = False
    level: int = 0
    series: bool = False
    plain: bool = False
    group: str | None = None
    group_level: int = 0

    def __post_init__(self) -> None:
        self.inside = not self.has_sections

    def heading(self, h, vocab: PlanVocabulary) -> str:
        """Move past heading ``h``: "section" when it is a section of the targets' part (listed in
        :attr:`PlanProposal.sections`), "no_figure" for a heading inside the part naming no group
        (listed as not understood), else ""."""
        if h.targets and h.kind != "group":
            if not (self.inside and self.has_sections and h.level > self.level):
                # A target heading under an open target part ("1. Các chỉ tiêu kinh tế" under
                # "II. CHỈ TIÊU THI ĐUA") is one of its subsections: the part stays open to its
                # own end, so a sibling worded otherwise ("4. Về công tác thi đua") is read.
                self.inside, self.level, self.series = True, h.level, bool(h.group)
                self.plain = h.kind == "plain"
            self.group = h.group if h.group and len(groups_named(h.text, vocab)) == 1 else None
            self.group_level = h.level
            return "section"
        if self.inside and h.kind in UNNUMBERED and ends_targets(h.text, vocab):
            # "Nhiệm vụ trọng tâm", "MỘT SỐ GIẢI PHÁP", "### Giải pháp": no number says how deep it
            # is, its words say what follows — tasks, read as targets they were proposed as ones (a
            # numbered one keeps its level's rule: «4. Nhiệm vụ thi đua, khen thưởng» under «II. CÁC
            # CHỈ TIÊU» is one of its subsections)
            self.inside = False
            return ""
        if self.inside and self.has_sections and h.level <= self.level:
            folded = fold(h.text)
            ends = vocab.patterns("sections", "series_end_patterns").search(folded) or vocab.patterns(
                "sections", "sibling_not_patterns"
            ).search(folded)
            if (self.series and h.level == self.level or self.plain) and h.group and not ends:
                # the series' next group section; under "Các chỉ tiêu" (no number), "1. Về kinh tế"
                self.group, self.group_level = h.group, h.level
                return "section"
            sibling = vocab.patterns("sections", "sibling_patterns").search(folded)
            if h.level == self.level and sibling and not ends:
                # "III. CÔNG TÁC KHEN THƯỞNG" beside "II. HỆ THỐNG CHỈ TIÊU": more targets
                self.group = h.group if h.group and len(groups_named(h.text, vocab)) == 1 else None
                self.group_level = h.level
                return "section"
            self.inside = False
            return ""
        if self.inside and h.group:
            self.group, self.group_level = h.group, h.level
            return ""
        if self.inside and h.kind != "group":
            # "3. Quốc phòng – an ninh" after "2. Môi trường": not environment; an unnumbered one
            # ("Quốc phòng, an ninh" under "a) Về xã hội") is of no known depth: its targets' group
            # is asked, never the one above by default — unless it only leads into them ("…, cụ thể:")
            form = h.kind == "form" and not h.text.endswith(":")
            if self.group is not None and (h.level <= self.group_level or form):
                self.group = None
            return "no_figure"
        return ""


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


def table_targets(block: Block, vocab: PlanVocabulary, group: str | None):
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
    found: list[Found] = []
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
        if not find_candidates(target, vocab):
            stt = cell(row, "number")
            g = heading_group(name, vocab)
            if g and not target and not unit_cell_of(row):
                group = g
            elif name or target:
                leftovers.append((source, "row"))
            continue
        unit_cell = cell(row, "unit")
        text = target if not unit_cell or re.search(r"[^\d\s.,%\-–]", target.replace("đến", "")) else target
        subfound, left = parse_clause(f"{name}: {text}", vocab)
        if not subfound:  # a cut not understood says why («giảm 30%» of an amount), else: no figure
            leftovers.append((source, next((w for _t, w in left if w in CHANGES), "row")))
            continue
        f = subfound[0]
        if unit_cell:
            written = normalise_unit(unit_cell, vocab)
            f.unit = complete_unit(written, f.name, vocab)
            if f.unit != "%" and f.cand.percent:
                f.note = "; ".join(x for x in (f.note, "số ghi kèm «%»") if x)
            elif written == "%" and f.direction == "decrease_by":
                pass
            if written != "%" and f.direction == "decrease_by" and not is_rate(f.name, written, vocab):
                f.direction, f.direction_from = ">=", DEFAULT_DIRECTION
        f.source = source
        stt = cell(row, "number")
        if stt:
            f.plan_no = stt
        base = cell(row, "baseline")
        if base:
            bc = find_candidates(base, vocab)
            if bc and bc[0].hi is None:
                f.baseline = bc[0].lo
        found.append(f)
        groups.append(group)
    return found, groups, leftovers, True


# ---------------------------------------------------------------------------------------------
# The document's identity


def _first_place(lines: list[str], leads, kinds, words: PlaceWords) -> tuple[str, str] | None:
    for line in lines:
        found = place_after(line, leads, kinds, words)
        if found:
            return found
    return None


def document_meta(document: PlanDocument, vocab: PlanVocabulary) -> dict:
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
    numbers = any_pattern(spec["number_patterns"])
    dates = [re.compile(p) for p in spec["date_patterns"]]
    for index, line in enumerate(header):
        folded = fold(line)
        if not meta["title"] and any_pattern(spec["title_patterns"]).search(folded):
            title = line
            if len(line.split()) <= 2 and index + 1 < len(header):
                title = f"{line} {header[index + 1]}"  # "KẾ HOẠCH" on a line of its own
            words = title.split()
            caps = [w.upper() == w and len(w) > 1 and any(c.isalpha() for c in w) for w in words]
            words = [w.lower() if c else w for w, c in zip(words, caps, strict=True)]
            lead = caps.index(False) if False in caps else len(words)
            if 0 < lead < len(words) and len(words[lead]) > 1 and words[lead][1:].islower():
                words[lead] = words[lead].lower()  # "KẾ HOẠCH Phát động …" → "Kế hoạch phát động …"
            meta["title"] = capitalise(" ".join(words))
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
    words = vocab.places
    place = _first_place(lines, words.leads, words.district_kinds, words)
    if place:
        meta["district"], meta["place"], meta["authority"] = place_forms(*place)
        meta["authority_upper"] = meta["authority"].upper()
    province = _first_place(lines, [""], words.province_kinds[:1], words)
    if province:
        meta["province"] = f"{province[0]} {province[1]}"
    return meta
