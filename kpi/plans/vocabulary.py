"""The words plans are written in, as data (``data/plan_vocabulary.toml``): the patterns the plan
parser (:mod:`kpi.plans.parse`) builds from them, the abbreviations it expands, and the groups a
heading or a target's own words name."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kpi.config import data_file
from kpi.domain.abbreviations import expand
from kpi.domain.places import PlaceWords, place_words
from kpi.vn import fold
from kpi.words import GROUP_LABELS

__all__ = [
    "VOCABULARY_FILE",
    "PlanVocabulary",
    "plan_vocabulary",
    "plan_groups",
    "group_by_name",
    "heading_group",
    "group_words",
    "groups_named",
    "expand_abbreviations",
    "award_rule",
    "RECIPIENT_UNITS",
    "any_pattern",
    "phrase_re",
]

VOCABULARY_FILE = "plan_vocabulary.toml"


# ---------------------------------------------------------------------------------------------
# Vocabulary


def phrase_re(phrases: list[str], compounds: list[str] = ()) -> re.Pattern:
    """One regex matching any of ``phrases`` as whole words (longest first), lower-case text;
    never where a phrase and the text around it make one of ``compounds`` (:func:`_compound_guards`)."""
    ordered = sorted({p.lower() for p in phrases if p}, key=len, reverse=True)
    alternatives = []
    for p in ordered:
        body = re.escape(p).replace(r"\ ", r"\s+")
        left = r"(?<![\w])" if p[0].isalnum() else ""
        right = r"(?![\w])" if p[-1].isalnum() else ""
        behind, ahead = _compound_guards(p, compounds)
        alternatives.append(behind + left + body + right + ahead)
    return re.compile("|".join(alternatives) or r"(?!x)x")


def _compound_guards(phrase: str, compounds: list[str]) -> tuple[str, str]:
    """Look-arounds that keep ``phrase`` from being read out of a compound («tăng» of «tăng
    cường», «đạt» of «đạt chuẩn»): its last words opening a compound whose next words follow it
    («phấn đấu đạt» before «chuẩn»), or its first words closing one whose words precede it. A
    compound the phrase is whole («giảm thiểu» listed as a direction) is no guard."""
    words = phrase.lower().split()
    behind, ahead = [], []
    for compound in compounds:
        parts = compound.lower().split()
        for k in range(1, min(len(words), len(parts) - 1) + 1):
            if words[-k:] == parts[:k]:  # the compound goes on after the phrase
                rest = r"\s+".join(map(re.escape, parts[k:]))
                ahead.append(rf"(?!\s+{rest}(?![\w]))")
            if words[:k] == parts[-k:]:  # the compound started before it
                # one space between its words (fixed width, as look-behinds must be)
                before = re.escape(" ".join(parts[:-k]) + " ")
                behind.append(rf"(?<!(?<![\w]){before})")
    return "".join(behind), "".join(ahead)


def any_pattern(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x")


@dataclass(frozen=True)
class PlanVocabulary:
    """``data/plan_vocabulary.toml`` compiled (see the file for what each entry means)."""

    raw: dict
    #: The words of a district's and a province's names (``data/places.toml``, shared with the report reader).
    places: PlaceWords = field(default_factory=place_words)

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
        words = d["at_least"] + d["at_most"] + d["decrease"] + d["fillers"] + d.get("increment", []) + d.get("rise", [])
        return phrase_re(words + self.raw["range"]["lead"], self.compounds)

    @property
    def increment(self) -> set[str]:
        return {p.lower() for p in self._list("directions", "increment")}

    @property
    def total_re(self) -> re.Pattern:
        return phrase_re(self._list("directions", "total"))

    @property
    def label_lead_re(self) -> re.Pattern:
        return phrase_re(self._list("directions", "label_lead"), self.compounds)

    @property
    def compounds(self) -> list[str]:
        """Words a direction word is a syllable of, not a direction (``[directions] compounds``)."""
        return self._list("directions", "compounds")

    @property
    def after_re(self) -> re.Pattern:
        d = self.raw["directions"]
        return phrase_re(d["after_at_least"] + d["after_at_most"])

    @property
    def part_of_previous_re(self) -> re.Pattern:
        return phrase_re(self._list("names", "part_of_previous"))

    def _spelled(self, proper: list[str]) -> list[str]:
        """``proper`` and every other spelling of them (``[units.spellings]``: "héc-ta" → "ha")."""
        wanted = {p.lower() for p in proper}
        spellings = self.raw.get("units", {}).get("spellings", {})
        return proper + [k for k, v in spellings.items() if v.lower() in wanted]

    @property
    def known_units_re(self) -> re.Pattern:
        return phrase_re(self._spelled(self._list("units", "known")))

    @property
    def year_lead_re(self) -> re.Pattern:
        return phrase_re(self._list("time", "year_lead"))

    @property
    def range_between(self) -> list[str]:
        return self._list("range", "between")

    @property
    def denominator_re(self) -> re.Pattern:
        """A per-what: a lead, maybe a number, a word ("trên 1 ha", "/1 vạn dân", "mỗi ha") in
        group ``den``; or "một" and one of ``alone`` without a lead ("một hecta") in ``one``."""

        def nouns(words: list[str]) -> str:
            ordered = sorted(self._spelled(words), key=len, reverse=True)
            return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) or r"(?!x)x"

        leads = "|".join(
            rf"(?<![\w]){re.escape(w)}" if w[:1].isalpha() else re.escape(w) for w in self._list("denominators", "lead")
        )
        ones = "|".join(rf"(?<![\w]){re.escape(w)}" for w in self._list("denominators", "one"))
        alone = nouns(self._list("denominators", "alone"))
        return re.compile(
            rf"(?:(?:{leads})\s*(?:(?P<n>\d[\d.,]*|{ones or '(?!x)x'})\s+)?(?P<den>{nouns(self._list('denominators', 'words'))})"
            rf"|(?:{ones or '(?!x)x'})\s+(?P<one>{alone}))(?![\w])",
            re.I,
        )

    def patterns(self, section: str, key: str) -> re.Pattern:
        return any_pattern(self._list(section, key))


@cache
def _load_vocabulary(path: str, mtime: float, data_dir: str | None = None) -> PlanVocabulary:
    del mtime  # part of the cache key: an edited file is read again
    return PlanVocabulary(tomllib.loads(Path(path).read_text(encoding="utf-8")), place_words(data_dir))


def plan_vocabulary(data_dir: Path | None = None) -> PlanVocabulary:
    """The parser's vocabulary: ``<data_dir>/plan_vocabulary.toml``, or the default one.

    :raises tomllib.TOMLDecodeError: the file is not valid TOML.
    """
    path = data_file(data_dir, VOCABULARY_FILE)
    return _load_vocabulary(str(path), path.stat().st_mtime, str(data_dir) if data_dir else None)


def group_words(text: str, vocab: PlanVocabulary) -> str:
    """``text`` folded, without the compounds that hold a group's word but name something else
    (``[groups] not_group_patterns``: «trật tự an toàn xã hội», «môi trường đầu tư»): a group's
    word decides a group only on its own, for a heading and a target's name alike."""
    return vocab.patterns("groups", "not_group_patterns").sub(" ", fold(text))


def heading_group(text: str, vocab: PlanVocabulary) -> str | None:
    """The group a heading names ("a) Về kinh tế" → economic: ``[groups] <group>_patterns``, in
    ``[groups] order``, in its :func:`group_words`), or ``None``."""
    folded = group_words(text, vocab)
    for group in vocab.raw["groups"]["order"]:
        if vocab.patterns("groups", f"{group}_patterns").search(folded):
            return group
    return None


def groups_named(text: str, vocab: PlanVocabulary) -> list[str]:
    """Every group a heading names: a target section's heading sets its targets' group only when
    it names one ("II. CHỈ TIÊU THI ĐUA", "1. Chỉ tiêu kinh tế"), never when it names several
    ("Các chỉ tiêu kinh tế - xã hội chủ yếu")."""
    folded = group_words(text, vocab)
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
    folded = group_words(expand_abbreviations(name, vocab), vocab)
    for group in names.get("order", []):
        if group in plan_groups(vocab) and any_pattern(names.get(group, [])).search(folded):
            return group
    return None


#: The units that count an award's recipients: a figure in one of them, after words naming an award,
#: is a target counted from the award register (``[awards]``).
RECIPIENT_UNITS = ("tập thể", "cá nhân", "tập thể, cá nhân")


def award_rule(name: str, vocab: PlanVocabulary) -> dict | None:
    """The first ``[awards]`` rule whose pattern the words ``name`` match (abbreviations written out,
    folded: "tặng Cờ thi đua của UBND tỉnh" → Cờ thi đua của UBND tỉnh), or ``None``."""
    folded = fold(expand_abbreviations(name, vocab))
    return next((r for r in vocab.raw.get("awards", {}).get("rule", []) if re.search(r["pattern"], folded)), None)


def expand_abbreviations(text: str, vocab: PlanVocabulary) -> str:
    """``text`` with the vocabulary's own ``[abbreviations]`` written out (whole words only), then
    those of the shared table ``data/abbreviations.csv`` (:func:`kpi.domain.abbreviations.expand`,
    as an indicator's name: "Số cá nhân đạt danh hiệu CSTĐCS" → "… chiến sĩ thi đua cơ sở")."""
    for short, long in vocab.raw.get("abbreviations", {}).items():
        text = re.sub(rf"(?<![\w]){re.escape(short)}(?![\w])", long, text)
    return expand(text, "indicator").text
