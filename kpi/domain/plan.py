"""The plan as data: each year's indicators and targets, their aliases, units and awards.

Nothing of the plan is written in Python. The files under ``data/`` are the source:

* ``data/plans/<year>/plan.toml`` — the plan's identity (district, authority, title, number);
* ``data/plans/<year>/indicators.csv`` — one row per target (key, name, unit, target or range,
  direction, how figures combine over the year and across units, when known, group, and for
  awards the legal award name, recipient and conferring authority);
* ``data/plans/<year>/units.csv`` — the reporting units and their emulation blocks;
* ``data/aliases.csv``, ``data/measures.csv``, ``data/awards.csv``, ``data/unit_aliases.csv`` —
  the ways reports write indicator names, units of measure, award names and unit names.

This module is the pure model (no DuckDB): :class:`Indicator`, :class:`Catalogue`, :class:`Match`,
the groups, target parsing and the files' reading. The files are loaded into DuckDB on first start
(:func:`kpi.storage.catalogue.seed_plans`, called by :mod:`kpi.bootstrap`); from then on the
database is the truth (admins edit targets there) and :func:`kpi.storage.catalogue.load_catalogue`
reads one year's :class:`Catalogue` from it. Keys are those of ``docs/indicators-2024.md``.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from kpi.config import DATA_DIR, data_file
from kpi.domain.measures import Measures
from kpi.errors import NotFound, PlanError
from kpi.vn import clean_text, decimals_of, fold, format_number, match_key

__all__ = [
    "GROUPS",
    "Indicator",
    "Catalogue",
    "Match",
    "parse_target",
    "json_number",
    "target_json",
    "target_problems",
    "unit_nature",
    "without_own_place",
]

#: Groups in the plan's order (section II.2 a–d) and their Vietnamese labels.
GROUPS = ("economic", "social", "environment", "awards")
DIRECTIONS = (">=", "<=", "range", "decrease_by")


@dataclass(frozen=True)
class Indicator:
    """One target of the plan.

    :ivar target: the target for ``>=``, ``<=`` and ``decrease_by`` (a cut in percentage points);
        ``None`` for a range.
    :ivar lo, hi: the inclusive band of a ``range`` target.
    :ivar decimals: decimals the target is written with (rounding rule of design.md).
    :ivar baseline: last year's year-end figure, for ``decrease_by`` targets.
    :ivar counted_from: where the figure comes from: ``reports`` (quarterly reports),
        ``registrations`` (the registration list, TD01) or ``awards`` (the award register).
    """

    key: str
    name: str
    unit: str
    group: str
    direction: str
    over_year: str
    across_units: str
    when_known: str
    target: Decimal | None
    lo: Decimal | None = None
    hi: Decimal | None = None
    decimals: int = 0
    plan_no: str = ""
    parent: str = ""
    award: str = ""
    recipient: str = ""
    conferred_by: str = ""
    baseline: Decimal | None = None
    sort: int = 0
    counted_from: str = "reports"

    @property
    def target_value(self):
        """The target as JSON wants it: a number, or ``[lo, hi]`` for a range."""
        return target_json(self.direction, self.target, self.lo, self.hi)

    @property
    def threshold(self) -> Decimal | None:
        """The figure an actual is compared with: the target, the range's lo, or for
        ``decrease_by`` the baseline minus the cut (``None`` without a baseline)."""
        if self.direction == "range":
            return self.lo
        if self.direction == "decrease_by":
            if self.baseline is None or self.target is None:
                return None
            return self.baseline - self.target
        return self.target


def json_number(value: Decimal | None):
    """A Decimal as JSON writes it: a whole number as ``int`` (3 not 3.0), else ``float``; ``None`` stays."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def target_json(direction: str, target: Decimal | None, lo: Decimal | None, hi: Decimal | None):
    """A target as JSON wants it — a number, or ``[lo, hi]`` for a range — for the catalogue's
    indicators and the plan parser's proposals alike."""
    if direction == "range":
        return [json_number(lo), json_number(hi)]
    return json_number(target)


_RANGE_TEXT = re.compile(r"(-?[^-]+)-(-?[^-]+)")


def parse_target(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None, int]:
    """A target as written in ``indicators.csv``: "3300.9", "1-2" (a range) → (target, lo, hi,
    decimals). Accepts Vietnamese decimals too ("72,89") and a minus sign ("-5", "-5-3"), so that
    :func:`target_problems` can say what is wrong with a negative target.

    :raises decimal.InvalidOperation: not a number or a range of two numbers.
    """
    text = clean_text(text).replace(" ", "")
    if not text:
        return None, None, None, 0
    if "-" in text[1:]:
        m = _RANGE_TEXT.fullmatch(text)
        if m is None:
            raise InvalidOperation(text)
        lo_s, hi_s = m.groups()
        lo, hi = Decimal(lo_s.replace(",", ".")), Decimal(hi_s.replace(",", "."))
        return None, lo, hi, max(decimals_of(lo_s), decimals_of(hi_s))
    return Decimal(text.replace(",", ".")), None, None, decimals_of(text)


@lru_cache(maxsize=4)
def _award_leading_words(data_dir: Path) -> tuple[tuple[str, ...], ...]:
    """``data/register_words.toml`` ``[award_names] leading``: folded word groups, longest first."""
    path = data_file(data_dir, "register_words.toml")
    if not path.exists():
        return ()
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("award_names", {}).get("leading", [])
    return tuple(sorted((tuple(fold(w).split()) for w in raw), key=len, reverse=True))


def without_leading_words(text: str, data_dir: Path = DATA_DIR) -> str:
    """An award name without the words written before it that are not part of it ("Danh hiệu
    Chiến sĩ thi đua cấp tỉnh" → "Chiến sĩ thi đua cấp tỉnh"); unchanged when nothing would remain."""
    words = re.split(r"\s+", clean_text(text).lstrip(" :-–"))
    folded = [fold(w).strip(":") for w in words]
    for lead in _award_leading_words(data_dir):
        n = len(lead)
        if len(words) > n and tuple(folded[:n]) == lead:
            return " ".join(words[n:]).lstrip(" :-–")
    return clean_text(text)


def without_own_place(text: str, places: tuple[str, ...]) -> str:
    """``text`` with the plan's own ``places`` (:attr:`Catalogue.own_places`) by their kind alone, as
    the plan's award names write them («… UBND tỉnh Phú Thọ» → «… UBND tỉnh»); another place's name
    is kept (not the plan's award). Words compared by :func:`kpi.vn.match_key` («HUYỆN», «Hoá»)."""
    words = clean_text(text).split(" ")
    for place in places:
        named = [match_key(w) for w in clean_text(place).split(" ")]
        if len(named) < 2:
            continue
        n, out, i = len(named), [], 0
        while i < len(words):
            if [match_key(w.rstrip(".,;:")) for w in words[i : i + n]] == named:
                out.append(words[i] + words[i + n - 1][len(words[i + n - 1].rstrip(".,;:")) :])
                i += n
            else:
                out.append(words[i])
                i += 1
        words = out
    return " ".join(words)


@lru_cache(maxsize=4)
def _natures(data_dir: Path) -> dict[str, str]:
    path = data_file(data_dir, "unit_natures.csv")
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["unit"].strip().casefold(): r["nature"].strip() for r in csv.DictReader(fh)}


def unit_nature(unit: str, data_dir: Path = DATA_DIR) -> str:
    """``amount``, ``rate``, ``share`` or ``count`` for a catalogue unit (``data/unit_natures.csv``),
    ``""`` if unknown. Both sides use it: a plan's targets (:func:`target_problems`) and the figures
    of a report (:mod:`kpi.reading.checks`)."""
    return _natures(data_dir).get(unit.strip().casefold(), "")


def target_problems(target_text: str, unit: str, data_dir: Path | None = None) -> list[str]:
    """What is wrong with a target (or a range's low and high) of an indicator measured in
    ``unit``, each in Vietnamese with what to do; empty when it may be stored. The rules are
    those of the figures (:mod:`kpi.reading.checks`), for the plan's side:

    * no target, low or high is negative;
    * a share (a unit whose nature is ``share`` in ``data/unit_natures.csv``: %) is at most 100;
    * a range's low is not above its high;
    * a count (``count``: khu, tập thể, cá nhân) is a whole number.

    Every path that stores a target checks it here: the targets editor and a plan read from its
    document (:func:`kpi.plans.source.confirm_plan`), one target changed
    (:func:`kpi.plans.targets.change_target`), and the data folder's ``indicators.csv``
    (:func:`read_plan_dir`).

    :param target_text: as in ``indicators.csv`` ("3300.9", "45-55"); empty gives no problem
        (a missing target is the caller's to refuse).
    """
    try:
        target, lo, hi, _decimals = parse_target(target_text or "")
    except (InvalidOperation, ValueError):
        return [f"kế hoạch «{target_text}» không phải là một số hay một khoảng (ví dụ 3.300,9 hoặc 45–55)"]
    nature = unit_nature(unit or "", Path(data_dir) if data_dir is not None else DATA_DIR)
    if lo is not None and hi is not None:
        parts = [("mức thấp của khoảng", lo), ("mức cao của khoảng", hi)]
    elif target is not None:
        parts = [("kế hoạch", target)]
    else:
        return []
    problems = []
    for what, value in parts:
        shown = format_number(value, None)
        if value < 0:
            problems.append(f"{what} {shown} là số âm — chỉ tiêu không được âm, hãy nhập số từ 0 trở lên")
        elif nature == "share" and value > 100:
            problems.append(f"{what} {shown} % vượt quá 100 % — hãy nhập một tỷ lệ từ 0 đến 100")
        if nature == "count" and value != value.to_integral_value():
            problems.append(
                f"{what} {shown} {unit} không phải là số nguyên — chỉ tiêu đếm số {unit}, hãy nhập một số nguyên"
            )
    if lo is not None and hi is not None and lo > hi:
        problems.append(
            f"khoảng {format_number(lo, None)}–{format_number(hi, None)} có mức thấp lớn hơn mức cao — "
            "hãy viết mức thấp trước, mức cao sau (ví dụ 45–55)"
        )
    return problems


@dataclass(frozen=True)
class Match:
    """How a written name matched a catalogue entry: ``how`` is ``exact`` (its own name, after
    cleaning), ``alias`` (another name the aliases table knows for it: "Tổng vốn đầu tư phát triển
    toàn xã hội" of CT01 «Tổng vốn đầu tư toàn xã hội»), ``loose`` (after dropping bullets,
    numbering, parentheses or "trong đó:"), or ``folded`` (only without diacritics — the caller
    warns). An indicator's name is its own with or without its bracketed words on either side
    (:meth:`Catalogue.names_itself`): «Số khu dân cư … kiểu mẫu» is CT09's «… kiểu mẫu (lũy kế)»."""

    value: str
    how: str
    note: str = ""  # for ``abbreviation`` / ``similar``: what was expanded, which spelling matched


def _by_words(
    text: str, context: str, exact: dict[str, str], names: Callable[[], dict[str, str]], by_words: bool
) -> Match | None:
    """The fallback of the ``match_*`` methods (issue 13), only when ``by_words`` (a register's or
    report's row name, never a header, a title or a plan's sentence): the name with its
    abbreviations written out (:func:`kpi.abbreviations.expand`) matched exactly
    (``how="abbreviation"``), else by its words (:func:`kpi.abbreviations.similar`,
    ``how="similar"``); ``None`` otherwise.

    :param names: a function giving plan name → value (called only when matching by words).
    """
    from kpi.domain.abbreviations import expand, similar

    if not by_words:
        return None
    expanded = expand(text, context)
    said = ", ".join(f"{a} = {e}" for a, e in expanded.used)
    if expanded.used and match_key(expanded.text) in exact:
        return Match(exact[match_key(expanded.text)], "abbreviation", f"viết tắt: {said}")
    found = similar(expanded.text, {expand(n, context).text: v for n, v in names().items()})
    if found.how == "similar":
        return Match(found.value, "similar", f"viết tắt: {said}" if said else "")
    return None


def _loose_forms(text: str) -> list[str]:
    """Forms of a row's name to try after the exact one: without bullets/numbering, without
    parenthesised parts, without a "trong đó:" lead, without place words at its end
    (:func:`kpi.domain.abbreviations.without_place_tail`)."""
    from kpi.domain.abbreviations import without_place_tail

    forms = []
    s = clean_text(text)
    s1 = re.sub(r"^(?:[-+*•·–]\s*|\(?\d+(?:\.\d+)*[.)]\s*|[a-zđ][.)]\s+)+", "", s, flags=re.I)
    forms.append(s1)
    s2 = re.sub(r"\s*\([^)]*\)", "", s1).strip()
    forms.append(s2)
    s3 = re.sub(r"^(?:trong đó|trđ|tr\.đó)\s*:?\s*", "", s2, flags=re.I)
    forms.append(s3)
    forms.append(without_place_tail(s3))
    return [f for f in dict.fromkeys(forms) if f and f != s]


def _bare_name(text: str) -> str:
    """A name's words as :meth:`Catalogue.names_itself` compares them: :func:`match_key`, without
    bracketed words or punctuation ("Tỷ lệ cơ quan, đơn vị …" = "tỷ lệ cơ quan đơn vị …")."""
    return " ".join(re.findall(r"\w+", match_key(re.sub(r"\([^)]*\)", " ", text))))


def _indexes(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(written form, value) pairs → an exact index by :func:`match_key` and a loose one by
    :func:`fold`; the first pair wins on a clash."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for written, value in pairs:
        exact.setdefault(match_key(written), value)
        folded.setdefault(fold(written), value)
    return exact, folded


_UNSEEN = object()
#: The most answers one catalogue remembers (:attr:`Catalogue._memo`) before it starts again.
_MEMO_SIZE = 20_000


@dataclass(frozen=True)
class Catalogue:
    """One year's plan: indicators, reporting units and the lookup tables used to read reports.

    :ivar indicators: in the plan's order.
    :ivar units: DataFrame ``unit`` (str), ``block`` (str, "" for the district), ``kind``
        (``district``/``commune``/``agency``), ``sort`` (int).
    """

    year: int
    meta: dict
    indicators: tuple[Indicator, ...]
    units: pd.DataFrame
    aliases: dict[str, str] = field(default_factory=dict)  # alias as written -> key
    unit_aliases: dict[str, str] = field(default_factory=dict)  # alias -> unit
    # (written, unit, factor) rows of measures.csv: one written form may be several units' ("triệu
    # đồng" is 0,001 tỷ đồng, and a per-head income's own "triệu đồng/người")
    measures: tuple[tuple[str, str, Decimal], ...] = ()
    award_aliases: dict[str, str] = field(default_factory=dict)  # alias -> award

    # -- indicators ----------------------------------------------------------------------------
    @cached_property
    def by_key(self) -> dict[str, Indicator]:
        return {i.key: i for i in self.indicators}

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self.by_key[key]
        except KeyError:
            raise NotFound(f"Không có chỉ tiêu «{key}» trong kế hoạch năm {self.year}.") from None

    @cached_property
    def _name_index(self) -> tuple[dict[str, str], dict[str, str]]:
        pairs = [(ind.name, ind.key) for ind in self.indicators]
        pairs += [(ind.key, ind.key) for ind in self.indicators]
        pairs += [(alias, key) for alias, key in self.aliases.items() if key in self.by_key]
        return _indexes(pairs)

    @cached_property
    def _memo(self) -> dict:
        """Answers of :meth:`match_indicator` and :meth:`measure` by their arguments: a register-like
        sheet names a few indicators and units over 10⁵ rows (issue 17: ≈ 1.2 s of the big sheet's
        wait was the same names matched again). Emptied when it grows past :data:`_MEMO_SIZE`."""
        return {}

    def _remembered(self, key: tuple, work):
        memo = self._memo
        found = memo.get(key, _UNSEEN)
        if found is _UNSEEN:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            found = memo[key] = work()
        return found

    def match_indicator(self, text: str, by_words: bool = False) -> Match | None:
        """The indicator a report's row names, by its name or an alias (see :class:`Match`);
        ``by_words``: also by similarity (:func:`_by_words`). Remembered per text (:attr:`_memo`)."""
        return self._remembered(("indicator", text, by_words), lambda: self._match_indicator(text, by_words))

    def _match_indicator(self, text: str, by_words: bool) -> Match | None:
        exact, folded = self._name_index
        k = match_key(text)
        if not k:
            return None
        if k in exact:
            own = _bare_name(text) in self._own_names(exact[k])
            return Match(exact[k], "exact" if own else "loose" if self.names_itself(text, exact[k]) else "alias")
        for form in _loose_forms(text):
            fk = match_key(form)
            if fk in exact:
                return Match(exact[fk], "loose" if self.names_itself(text, exact[fk]) else "alias")
        for form in [text, *_loose_forms(text)]:
            f = fold(form)
            if f in folded:
                return Match(folded[f], "folded")
        return _by_words(text, "indicator", exact, lambda: self._word_names, by_words)

    def names_itself(self, text: str, key: str) -> bool:
        """Whether ``text`` is indicator ``key``'s own name (or its key) rather than another name
        the aliases table knows: compared word for word (:func:`_bare_name`: case, punctuation and
        bracketed words aside — "(lũy kế)", "(tính theo doanh thu giá hiện hành)" are notes, not
        another name), also after bullets, numbering and a "trong đó:" lead are dropped."""
        own = self._own_names(key)
        return any(_bare_name(form) in own for form in [text, *_loose_forms(text)])

    def _own_names(self, key: str) -> set[str]:
        """Indicator ``key``'s name and its key as :func:`_bare_name` forms (empty for a key the
        catalogue does not have)."""
        ind = self.by_key.get(key)
        return {_bare_name(ind.name), _bare_name(ind.key)} if ind is not None else set()

    @cached_property
    def _word_names(self) -> dict[str, str]:
        """Indicator names and aliases → key, for matching by words."""
        names = {i.name: i.key for i in self.indicators}
        names.update((a, k) for a, k in self.aliases.items() if k in self.by_key)
        return names

    def near_indicators(self, text: str) -> tuple[str, ...]:
        """Keys of the plan names ``text`` is close to without matching, to offer as «Đây là: …»
        (:func:`kpi.domain.abbreviations.near`: its head word beyond the generic ones in the name,
        at most three), issue 13."""
        from kpi.domain.abbreviations import expand, near

        return near(
            expand(text, "indicator").text, {expand(n, "indicator").text: k for n, k in self._word_names.items()}
        )

    # -- units of measure ----------------------------------------------------------------------
    @cached_property
    def _measures(self) -> Measures:
        return Measures(self.measures)

    def measure(self, written: str, indicator: Indicator) -> Decimal | None:
        """Factor turning a figure written in ``written`` into the indicator's unit, or ``None``
        when the unit is not one the indicator can be expressed in (:meth:`Measures.factor`: a
        row of measures.csv, or a per-what's numerator — "tỷ đồng/ha" is 1.000 "triệu đồng/ha").
        An empty unit gives 1. Remembered per (written, the indicator's unit) (:attr:`_memo`)."""
        return self._remembered(
            ("measure", written, indicator.unit), lambda: self._measures.factor(written, indicator.unit)
        )

    # -- reporting units -----------------------------------------------------------------------
    @cached_property
    def district_unit(self) -> str:
        rows = self.units[self.units["kind"] == "district"]
        if rows.empty:
            raise PlanError(f"Danh mục đơn vị năm {self.year} thiếu dòng của huyện (kind=district).")
        return str(rows["unit"].iloc[0])

    @cached_property
    def communes(self) -> list[str]:
        """The plan's communes (kind ``commune``), in its order: together they make up the district
        (:func:`kpi.storage.figures.district_figure_records` sums them only when all are there)."""
        return list(self.units.loc[self.units["kind"] == "commune", "unit"])

    @cached_property
    def block_units(self) -> pd.DataFrame:
        """Units that belong to an emulation block (the district itself excluded)."""
        return self.units[self.units["kind"] != "district"].reset_index(drop=True)

    def registration_share(self, registered) -> tuple[Decimal | None, int, int]:
        """The registration share as the plan defines it (TD01, indicators-2024.md): units of the
        blocks registered ÷ all units of the blocks × 100 — ``(share, registered, all)``, the names
        ``registered`` that are units of the blocks counted once; ``share`` ``None`` without units.
        The one rule of the report (:mod:`kpi.reporting.attainment_report`) and of the upload
        preview (:mod:`kpi.ingest_registers`)."""
        units = set(self.block_units["unit"])
        known, total = len(units & set(registered)), len(units)
        return (Decimal(known) / Decimal(total) * 100 if total else None), known, total

    @cached_property
    def _unit_index(self) -> tuple[dict[str, str], dict[str, str]]:
        pairs = [(unit, unit) for unit in self.units["unit"]]
        district = self.district_unit
        place = self.meta.get("district", "")
        if place:
            pairs += [(a, district) for a in (place, f"UBND {place}", f"Ủy ban nhân dân {place}")]
        known = set(self.units["unit"])
        # Shared alias files may name another district's units: only this catalogue's count.
        pairs += [(alias, unit) for alias, unit in self.unit_aliases.items() if unit in known]
        return _indexes(pairs)

    def match_unit(self, text: str, by_words: bool = False, abbreviated: bool = False) -> Match | None:
        """The reporting unit a text names ("UBND xã Hiền Quan", "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "Thị trấn Hưng Hoá"), or ``None``. A commune's "UBND"/"Ủy ban nhân dân" prefix is dropped.
        ``abbreviated`` (implied by ``by_words``): a name whose abbreviations written out name a unit
        exactly («TT Hưng Hóa», «UBND TT Hưng Hóa» → Thị trấn Hưng Hóa; a table's column of a commune,
        round 11; a registration list's row, round 12), never by similar words."""
        exact, folded = self._unit_index
        cleaned = clean_text(text).strip(" .:;,()")
        if not cleaned:
            return None
        forms = [cleaned]
        words = cleaned.split(" ")
        if fold(words[0]) == "ubnd" and len(words) > 1:
            forms.append(" ".join(words[1:]))
        elif fold(" ".join(words[:4])) == "uy ban nhan dan" and len(words) > 4:
            forms.append(" ".join(words[4:]))
        for form in forms:
            if match_key(form) in exact:
                return Match(exact[match_key(form)], "exact")
        for form in forms:
            if fold(form) in folded:
                return Match(folded[fold(form)], "folded")
        if abbreviated or by_words:
            from kpi.domain.abbreviations import expand

            for form in forms:  # «UBND TT Hưng Hóa»: without its «UBND» too
                # «TT. Hưng Hóa», «TT.Hưng Hóa»: the abbreviation's dot goes with it
                expanded = expand(clean_text(re.sub(r"(?<=\w)\.(?=\s*\w)", " ", form)), "unit")
                if expanded.used and match_key(expanded.text) in exact:
                    said = ", ".join(f"{a} = {e}" for a, e in expanded.used)
                    return Match(exact[match_key(expanded.text)], "abbreviation", f"viết tắt: {said}")
        return _by_words(cleaned, "unit", exact, lambda: {u: u for u in self.units["unit"]}, by_words)

    def block_of(self, unit: str) -> str:
        rows = self.units[self.units["unit"] == unit]
        return "" if rows.empty else str(rows["block"].iloc[0])

    # -- awards --------------------------------------------------------------------------------
    @cached_property
    def _award_index(self) -> tuple[dict[str, str], dict[str, str]]:
        pairs = [(ind.award, ind.award) for ind in self.indicators if ind.award]
        pairs += list(self.award_aliases.items())
        return _indexes(pairs)

    def match_award(self, text: str, by_words: bool = False) -> Match | None:
        """The plan's award name for a register's award text (legal names mapped to the plan's
        words: "Chiến sĩ thi đua cơ sở" is what the plan calls "CSTĐ cấp huyện"). Remembered per
        text (:attr:`_memo`): a register repeats a few award names over its rows."""
        return self._remembered(("award", text, by_words), lambda: self._match_award(text, by_words))

    def _match_award(self, text: str, by_words: bool) -> Match | None:
        exact, folded = self._award_index
        text = without_leading_words(without_own_place(text, self.own_places))
        k = match_key(text)
        if k in exact:
            return Match(exact[k], "exact")
        f = fold(text)
        if f in folded:
            return Match(folded[f], "folded")
        return _by_words(
            text,
            "award",
            exact,
            lambda: {**{ind.award: ind.award for ind in self.indicators if ind.award}, **self.award_aliases},
            by_words,
        )

    @property
    def own_places(self) -> tuple[str, ...]:
        """The plan's own province and district (``plan.toml``), for :func:`without_own_place`."""
        return tuple(p for p in (self.meta.get("province", ""), self.meta.get("district", "")) if clean_text(p))

    def award_recipient_kinds(self, award: str) -> frozenset[str]:
        """The recipient kinds (:func:`kpi.vn.match_key` of «tập thể», «cá nhân») the plan's
        indicators of ``award`` count; remembered per award (a register repeats a few)."""
        return self._remembered(
            ("award_kinds", award),
            lambda: frozenset(
                match_key(k)
                for ind in self.indicators
                if ind.award and match_key(ind.award) == match_key(award)
                for k in ind.recipient.split(",")
            ),
        )

    def award_key(self, award: str, recipient_kind: str) -> str | None:
        """The TD key counting (award, recipient kind), or ``None`` (counts toward no target).

        :param recipient_kind: ``"tập thể"`` or ``"cá nhân"``.
        """
        return self._remembered(("award_key", award, recipient_kind), lambda: self._award_key(award, recipient_kind))

    def _award_key(self, award: str, recipient_kind: str) -> str | None:
        rk = match_key(recipient_kind)
        for ind in self.indicators:
            if ind.award and match_key(ind.award) == match_key(award):
                allowed = {match_key(x) for x in ind.recipient.split(",")}
                if rk in allowed:
                    return ind.key
        return None
