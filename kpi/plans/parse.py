"""Reading a plan's targets from its own words: a :class:`PlanDocument` → a :class:`PlanProposal`.

Every word the parser relies on is data (``data/plan_vocabulary.toml``, loaded by
:func:`plan_vocabulary`); this module holds only the rules below (issue 8, "Directions from the
words"; indicators-2024.md for the 2024 plan's reading).

Where targets are read
    In sections whose heading names targets ("2. Mục tiêu cụ thể"), up to the next heading of
    the same or a higher level (I. > 1. > 1.1 / a) ), and in tables anywhere that have a name
    column and a target column. A text without such a heading is read whole. Group headings
    ("a) Về kinh tế", "B. LĨNH VỰC XÃ HỘI") set the group of the targets under them. A target
    heading under an open target section ("1. Các chỉ tiêu kinh tế" under "II. CHỈ TIÊU THI
    ĐUA") is one of its subsections: the section still ends at its own level, so every
    subsection is read whatever its heading's words ("4. Về công tác thi đua, khen thưởng").
    A heading without a number is known by its form too (a short line with no figure above its
    items: :func:`kpi.plans.structure.by_form`); one whose words open the tasks after the
    targets ("Nhiệm vụ trọng tâm", "MỘT SỐ GIẢI PHÁP": ``[sections] end_patterns``) ends the
    part, any other is a subsection whose targets' group is asked.

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
    a range → ``range``, unless the words would make its one figure a cut («Tỷ lệ hộ nghèo giảm
    từ 3% đến 4%»): then ``decrease_by`` of its low end, the clerk asked (``CUT_BAND``); a rate named as its cut ("Tỷ lệ giảm nghèo đạt 4%") → ``decrease_by``;
    "giảm 5%" of what is not named as a rate ("Số vụ … giảm 5%", "Giảm 30% lượng rác thải nhựa",
    "Hộ nghèo giảm 1,5%") → not understood (``relative_cut``, ``unclear_cut``:
    :func:`kpi.plans.directions.relative_cut`), never a «Tỷ lệ …» invented; "tăng 9,2%" of an amount →
    its growth rate, ≥, named «Tốc độ tăng …» and never matched by the amount's name; of a rate or of
    what is unclear → not understood (``rise_of_rate``, ``unclear_rise``:
    :func:`kpi.plans.directions.rise_reading`); the words right before
    the figure (its *value phrase*, nearest word first): a ``decrease`` word directly before the figure of a rate → ``decrease_by`` (never
    "giảm xuống còn", an at-most phrase), an at-most word → ``<=``, an at-least word → ``>=``;
    "trở lên"/"trở xuống" right after the figure; a direction word opening the label ("Duy trì
    …"); the name ("nghèo", "lao động nông nghiệp" → ``<=``); else ``>=``. A direction word is one
    only on its own, never a syllable of a compound (``[directions] compounds``: "tăng cường",
    "tăng trưởng", "giảm nghèo" stay in the name; "giảm thiểu" is a direction, read whole).

Groups
    The group heading the target is under ("a) Về kinh tế"; a numbered heading naming no group
    ends the one before it), else the matched catalogue key's, else the award register's, else
    the target's own words (``[groups.names]``: water, waste, forest → environment …), else none:
    ``group`` is "" and the reviewer is asked (:data:`NO_GROUP`), never the economy by default.
    The groups are :func:`plan_groups`: the seed's four and those the vocabulary declares.

Units
    Proposed normalised: lower case, known spellings replaced, completed by the denominator the
    name carries ("126,8 triệu đồng" + "trên 1 ha" → "triệu đồng/ha"; "10,4 Bác sỹ" + "/1 vạn
    dân" → "bác sỹ/vạn dân"); ``source_text`` keeps the wording as written. A target in another
    magnitude of the unit of the indicator it is, or may be, is proposed in that unit, its figure
    converted («0,14 tỷ đồng/ha» → 140 triệu đồng/ha, :data:`CONVERTED`; the factor is
    :meth:`Catalogue.measure`'s, a per-what's numerator's without a row of its own).

Keys
    A target's name is matched against the base catalogue (the year's plan, or the previous
    year's) by :meth:`Catalogue.match_indicator` (name and aliases, abbreviations expanded:
    ``exact`` when the plan writes the indicator's own name, ``alias`` when another name the
    aliases table knows — the name wins when one form gives each), then by word overlap
    (``similar``, flagged for review); unmatched targets get key ``None`` and, when the catalogue
    has keys they may be, those keys offered (:data:`MAYBE`: names sharing half their words, a
    unit of the indicator's measure counting toward it — :func:`kpi.plans.matching.near_keys`).
    Collectives and individuals a plan counts apart for an award the catalogue counts together
    («Bằng khen: 02 tập thể và 03 cá nhân», TD03) are one target, their sum, the clerk asked
    (:func:`kpi.plans.matching.counted_together`).

Nothing is stored here: the proposal is what the admin reviews, edits and confirms
(:mod:`kpi.plans.source`). Every piece of a target section that yields no target, and every
piece outside the target part that holds a figure (a bare year aside), is listed in
:attr:`PlanProposal.unparsed` — shown, not dropped.

The parser's modules, in :mod:`kpi.plans`: ``vocabulary`` (the words as data, the groups they
name), ``clause_numbers`` (the candidate numbers of a clause), ``clauses`` (a clause → targets:
labels), ``directions`` (a target's direction from its words), ``units`` (a unit normalised and completed), ``structure`` (headings and their levels, tables, the document's
identity), ``matching`` (keys from the catalogue, kinds proposed), ``unparsed`` (what was not understood,
and why) and this one (the proposal).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from kpi.domain.plan import Catalogue, Indicator, json_number, target_json
from kpi.plans.clause_numbers import Candidate, find_candidates, plain_number
from kpi.plans.clauses import Found, normalise_unit, parse_clause, split_clauses, strip_numbering
from kpi.plans.matching import counted_together, match_target, near_keys, proposed_kinds
from kpi.plans.structure import Part, document_meta, number_levels, read_heading, table_targets
from kpi.plans.text import Block, PlanDocument
from kpi.plans.unparsed import Unparsed
from kpi.plans.vocabulary import PlanVocabulary, group_by_name, plan_groups, plan_vocabulary
from kpi.vn import clean_text, decimals_of

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
    "INCREMENT",
    "TOTAL",
    "ADDED",
    "SIMILAR",
    "AWARD_KEPT",
    "MAYBE",
    "CONVERTED",
]

# A proposal's notes are read in a grid cell of three lines (views/plan.py): each says what to check
# in a few words, and never repeats what another column shows (the matched name is the row's name).

#: The note of a target whose group neither a heading nor its words give (the reviewer chooses;
#: the page says why above the grid).
NO_GROUP = "chưa rõ thuộc nhóm nào — hãy chọn nhóm"
#: The note of a target matched by similar words only (its name is then the catalogue's).
SIMILAR = "tên chỉ gần giống tên trong kế hoạch trước — hãy kiểm tra"

#: The note of a target given last year's key by its award, who confers it and its recipient though
#: the plan words it otherwise («Đề nghị Thủ tướng Chính phủ tặng Bằng khen …»): to what it was matched.
AWARD_KEPT = "cùng danh hiệu, đối tượng với {key} năm {year} — giữ mã, hãy kiểm tra"
#: The note of a new target (no key) that may be one of the catalogue's: the reviewer decides.
MAYBE = "có thể là {keys} năm {year} — nếu đúng, hãy ghi mã đó vào cột «Mã»"

#: The note of a target the plan writes in another magnitude of its indicator's unit («0,14 tỷ
#: đồng/ha» for CT03's «triệu đồng/ha»): proposed converted (the «KH» and «ĐVT» columns show it),
#: what was written kept here.
CONVERTED = "văn bản ghi «{written}»"
#: The note of a target whose figure is added this year ("Có thêm 3 trường …"), not a total.
INCREMENT = "«{word}»: số tăng thêm trong năm, không phải tổng số — hãy kiểm tra"
#: The note of a target whose clause gives what is added and the total ("Tăng thêm 5 khu …, nâng
#: tổng số lên 25 khu"): the target is the total …
TOTAL = "chỉ tiêu là tổng số («{total}»), thêm trong năm «{added}» — hãy kiểm tra"
#: … unless the matched indicator is added up over the year: then it is what is added.
ADDED = "chỉ tiêu cộng dồn trong năm là số thêm «{added}», không phải tổng số («{total}») — hãy kiểm tra"

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
    :ivar match: how ``key`` was found: ``exact`` (its own name), ``alias`` (another name
        aliases.csv knows: «tên gọi khác đã biết», never «đúng tên»), ``loose``, ``folded``,
        ``award``, ``similar`` or ``""``.
    :ivar baseline: last year's figure, when the plan gives one (a table's "Ước TH" column).
    :ivar of_total: M of "duy trì N/M xã …" (the target is N, a count; M is said in ``note``).
    :ivar maybe: the catalogue's keys a new target (``key`` ``None``) may be (:data:`MAYBE`), for
        the reviewer to accept one (:mod:`kpi.plans.review`).
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
    maybe: tuple[str, ...] = ()
    parent_index: int | None = field(default=None, compare=False)

    @property
    def target_value(self):
        """A number, or ``[lo, hi]`` for a range (the JSON form: :func:`kpi.domain.plan.target_json`)."""
        return target_json(self.direction, self.target, self.lo, self.hi)

    @property
    def target_text(self) -> str:
        """The target as ``indicators.csv`` writes it: "3300.9", "1-2"."""
        if self.direction == "range":
            return f"{plain_number(self.lo)}-{plain_number(self.hi)}"
        return plain_number(self.target)

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
    blocks = document.blocks
    headings = {
        b.number: h
        for i, b in enumerate(blocks)
        if b.kind == "line" and (h := read_heading(b, vocab, blocks[i + 1] if i + 1 < len(blocks) else None))
    }
    number_levels(headings)
    part = Part(has_sections=any(h.targets for h in headings.values()))
    sections: list[str] = []
    found: list[Found] = []
    groups: list[str | None] = []
    numbers: list[int] = []
    unparsed: list[Unparsed] = []
    for block in document.blocks:
        if block.kind == "table":
            tfound, tgroups, left, header = table_targets(block, vocab, part.group)
            if not header and not part.inside:
                unparsed.extend(_outside(block, vocab))
            if header or part.inside:
                found.extend(tfound)
                groups.extend(tgroups)
                numbers.extend([block.number] * len(tfound))
                unparsed.extend(Unparsed(block.number, t, w) for t, w in left if t)
                if tgroups:
                    part.group = tgroups[-1]
            continue
        h = headings.get(block.number)
        if h is not None:
            seen = part.heading(h, vocab)
            if seen == "section":
                sections.append(h.text)
            elif seen == "no_figure":
                unparsed.append(Unparsed(block.number, block.text, "no_figure"))
            continue
        if not part.inside:
            unparsed.extend(_outside(block, vocab))
            continue
        text, numbering, _kind = strip_numbering(block.text)
        for clause in split_clauses(text):
            cfound, left = parse_clause(clause, vocab, numbering)
            found.extend(cfound)
            groups.extend([part.group] * len(cfound))
            numbers.extend([block.number] * len(cfound))
            unparsed.extend(Unparsed(block.number, t, w) for t, w in left if t)
    targets = _finish(found, groups, numbers, catalogue, vocab)
    return PlanProposal(
        document, tuple(targets), tuple(_dedupe(unparsed)), document_meta(document, vocab), tuple(sections)
    )


def _outside(block: Block, vocab: PlanVocabulary) -> list[Unparsed]:
    """The pieces of a block outside the target part that hold a figure (``outside``): listed for
    the reviewer to judge, never dropped silently (a section the headings' words did not mark as
    targets may hold some). A bare year ("Xuân Giáp Thìn 2024") is not a figure here."""
    if block.kind == "table":
        pieces = [" | ".join(c for c in row if c) for row in block.rows]
    else:
        pieces = [c.strip() for c in split_clauses(strip_numbering(block.text)[0])]
    return [
        Unparsed(block.number, p, "outside")
        for p in pieces
        if any(_figure(c, vocab) for c in find_candidates(p, vocab))
    ]


def _figure(c: Candidate, vocab: PlanVocabulary) -> bool:
    """Whether a candidate is a figure rather than a bare year (an integer between the
    vocabulary's first and last year, without "%", range, fraction or money word)."""
    time = vocab.raw["time"]
    year = c.lo == c.lo.to_integral_value() and time["first_year"] <= c.lo <= time["last_year"]
    return not (year and c.hi is None and c.of is None and not c.percent and not c.scale)


def _dedupe(items: list[Unparsed]) -> list[Unparsed]:
    seen, out = set(), []
    for item in items:
        k = (item.number, item.text, item.why)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _finish(
    found: list[Found],
    groups: list[str | None],
    numbers: list[int],
    catalogue: Catalogue | None,
    vocab: PlanVocabulary,
) -> list[ProposedTarget]:
    """Match each found target to the catalogue, fill in group, kinds and parents; a key is
    given once (a second target matching the same key keeps ``None``, with a note), after the
    recipients the catalogue counts together are one target (:func:`counted_together`)."""
    found, kept = counted_together(found, catalogue, vocab)
    groups, numbers = [groups[i] for i in kept], [numbers[i] for i in kept]
    out: list[ProposedTarget] = []
    used: set[str] = set()
    for index, (f, group, number) in enumerate(zip(found, groups, numbers, strict=True)):
        ind, how = match_target(catalogue, f, vocab)
        notes, near = [f.note], []
        if ind is not None and ind.key in used:
            notes.append(f"trùng tên với chỉ tiêu {ind.key} ở trên — hãy kiểm tra")
            ind, how = None, ""
        elif ind is None and catalogue is not None and (near := near_keys(catalogue, f, vocab, used)):
            notes.append(MAYBE.format(keys=" hoặc ".join(near), year=catalogue.year))
        elif how == "award":
            notes.append(AWARD_KEPT.format(key=ind.key, year=catalogue.year))
        parent_index = None
        if f.part_of_previous:
            parent_index = next((j for j in range(index - 1, -1, -1) if not found[j].part_of_previous), None)
        name = ind.name if ind is not None else f.name
        if ind is None and parent_index is not None:
            name = f"{found[parent_index].name}, trong đó {f.name[:1].lower()}{f.name[1:]}"
        if f.total is not None:
            f = _total_or_added(f, ind, notes)
        grp, kinds = _group_and_kinds(f, group, ind, vocab, notes)
        f, unit = _in_plan_unit(f, ind, near, catalogue, notes, vocab)
        out.append(
            replace(_proposed(f, ind, how, name, grp, unit, number, parent_index, kinds, notes), maybe=tuple(near))
        )
        if ind is not None:
            used.add(ind.key)
    return _with_parents(out, catalogue)


def _total_or_added(f: Found, ind: Indicator | None, notes: list[str]) -> Found:
    """A target whose clause gives both what is added and the total it brings to: the total (a
    stock, or an indicator not added up over the year), else what is added; the other in the note."""
    words = {"total": f.total_words, "added": f.cand.text}
    if ind is not None and ind.over_year == "flow":
        notes.append(ADDED.format(**words))
        return f
    notes.append(TOTAL.format(**words))
    return replace(f, cand=f.total, increment="")


def _group_and_kinds(
    f: Found, group: str | None, ind: Indicator | None, vocab: PlanVocabulary, notes: list[str]
) -> tuple[str, dict]:
    """The target's group and how its figures combine: the heading's group, else the matched
    indicator's, else "awards" for an award or registration target, else the name's
    (:func:`group_by_name`); "" (and :data:`NO_GROUP` added to ``notes``) when none of them is one
    of :func:`plan_groups`. The kinds are the matched indicator's, else :func:`proposed_kinds`."""
    grp = group or (ind.group if ind is not None else None)
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
        notes.append(NO_GROUP)
    if f.increment:
        notes.append(INCREMENT.format(word=f.increment))
        if ind is None and kinds["counted_from"] == "reports" and f.unit != "%" and "/" not in f.unit:
            kinds["over_year"] = "flow"  # what is added up over the year, not the stock
    return grp, kinds


def _in_plan_unit(
    f: Found,
    ind: Indicator | None,
    near: list[str],
    catalogue: Catalogue | None,
    notes: list[str],
    vocab: PlanVocabulary,
) -> tuple[Found, str]:
    """(the target, its unit) in the unit of the indicator it is (``ind``) or may be (``near``, all
    of one unit, when the plan gives a unit) whenever the plan's is a measure of it: the figure
    converted when the plan writes another magnitude («0,14 tỷ đồng/ha» → 140 triệu đồng/ha,
    :data:`CONVERTED` in ``notes``). Else the plan's own unit, and a matched one says it differs."""
    unit = f.unit
    units = {catalogue[k].unit for k in near} if ind is None and unit and catalogue is not None else set()
    plan = ind if ind is not None else catalogue[near[0]] if len(units) == 1 else None
    if plan is None or unit == plan.unit:
        return f, unit
    factor = catalogue.measure(unit, plan) if unit else Decimal(1)
    if factor is None:
        if ind is not None:
            notes.append(f"ĐVT khác kế hoạch đang có («{ind.unit}») — hãy kiểm tra")
        return f, unit
    if factor != 1:
        notes.append(CONVERTED.format(written=_as_written(f.cand, unit, vocab)))
        f = replace(f, cand=_converted(f.cand, factor), baseline=_times(f.baseline, factor))
    return f, plan.unit


def _as_written(c: Candidate, unit: str, vocab: PlanVocabulary) -> str:
    """A figure and its unit as the plan wrote them: a mixed amount's text holds its money words
    already («2 nghìn tỉ 350 triệu» + «đồng», never «… triệu tỷ đồng»)."""
    scale = normalise_unit(c.scale, vocab) if c.scale else ""
    if scale and unit.startswith(scale):
        unit = unit[len(scale) :].strip()
    return f"{c.text} {unit}".strip()


def _times(value: Decimal | None, factor: Decimal) -> Decimal | None:
    """``value`` × ``factor`` as the plan would write it (no exponent, no trailing zeros)."""
    return None if value is None else Decimal(plain_number((value * factor).normalize()))


def _converted(c: Candidate, factor: Decimal) -> Candidate:
    """A candidate's figures × ``factor``, its decimals those of the figures converted."""
    lo, hi = _times(c.lo, factor), _times(c.hi, factor)
    decimals = max(decimals_of(plain_number(v)) for v in (lo, hi) if v is not None)
    return replace(c, lo=lo, hi=hi, from_level=_times(c.from_level, factor), decimals=decimals)


def _proposed(
    f: Found,
    ind: Indicator | None,
    how: str,
    name: str,
    group: str,
    unit: str,
    number: int,
    parent_index: int | None,
    kinds: dict,
    notes: list[str],
) -> ProposedTarget:
    """The :class:`ProposedTarget` of a found target; a loose match and an "N/M" count add their
    notes to ``notes``, which are joined by "; "."""
    c = f.cand
    band = c.hi is not None and f.direction == "range"
    if ind is not None and how == "similar":
        notes.append(SIMILAR)
    if c.of is not None:
        notes.append(f"«{c.text}»: {plain_number(c.lo)} trên tổng số {plain_number(c.of)} {unit}".rstrip())
    return ProposedTarget(
        key=ind.key if ind is not None else None,
        name=name,
        label=clean_text(f.label),
        unit=unit,
        # a band read as a cut proposes its low end (kpi.plans.directions.CUT_BAND says so)
        target=None if band else c.lo,
        lo=c.lo if band else None,
        hi=c.hi if band else None,
        decimals=c.decimals,
        direction=f.direction,
        direction_from=f.direction_from,
        group=group,
        source_text=clean_text(f.source),
        number=number,
        plan_no=f.plan_no,
        note="; ".join(x for x in notes if x),
        match=how,
        baseline=f.baseline if f.baseline is not None else c.from_level,
        parent_index=parent_index,
        of_total=c.of,
        **kinds,
    )


def _with_parents(out: list[ProposedTarget], catalogue: Catalogue | None) -> list[ProposedTarget]:
    """Parents: the key of the target a "trong đó" part belongs to (or the catalogue's own)."""
    final = []
    for t in out:
        parent = ""
        if t.parent_index is not None and out[t.parent_index].key:
            parent = out[t.parent_index].key
        elif t.key and catalogue is not None and catalogue.by_key[t.key].parent:
            parent = catalogue.by_key[t.key].parent
        final.append(replace(t, parent=parent))
    return final
