"""Which district or province a text names, and whether it is the plan's own: one rule for a
plan's text (whose plan it is: :func:`kpi.plans.structure.document_meta`, and the warning of
:func:`kpi.plans.review.other_district`) and for a report's title block (a report of another
district is held: :mod:`kpi.reading.report_place`).

The words are data (``data/places.toml``): the leads of an issuing body ("UBND", "Ủy ban nhân
dân"), the kinds of a district and of a province ("huyện", "thị xã", "tỉnh" …), the words after a
kind that make a body or a phrase rather than a place ("Huyện ủy", "huyện giao"), and the words
that end a name written in capitals ("HUYỆN TAM NÔNG QUÝ II": the name is "Tam Nông"), and the
words before the places an office of a region serves ("CHI CỤC THỐNG KÊ KHU VỰC TAM NÔNG - THANH
THỦY": :func:`region_in`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kpi.config import data_file
from kpi.vn import clean_text, fold, match_key

__all__ = [
    "PlaceWords",
    "Region",
    "place_words",
    "places_in",
    "place_after",
    "place_forms",
    "other_place",
    "other_place_named",
    "region_in",
    "other_region",
]

PLACES_FILE = "places.toml"
_PUNCTUATION = ",.;:“”\"'()"
_MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class PlaceWords:
    """``data/places.toml`` (see the file for what each list means); the word lists by
    :func:`kpi.vn.match_key`."""

    leads: tuple[str, ...]
    district_kinds: tuple[str, ...]
    province_kinds: tuple[str, ...]
    not_names: frozenset[str]
    name_ends: frozenset[str]
    region_leads: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind, a district's first ("thành phố" is both)."""
        return tuple(dict.fromkeys(self.district_kinds + self.province_kinds))


@lru_cache(maxsize=4)
def _load(path: str) -> PlaceWords:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return PlaceWords(
        leads=tuple(raw["leads"]),
        district_kinds=tuple(raw["district_kinds"]),
        province_kinds=tuple(raw["province_kinds"]),
        not_names=frozenset(match_key(w) for w in raw.get("not_names", [])),
        name_ends=frozenset(match_key(w) for w in raw.get("name_ends", [])),
        region_leads=tuple(raw.get("region_leads", [])),
    )


def place_words(data_dir: Path | str | None = None) -> PlaceWords:
    """The place words of ``<data_dir>/places.toml``, or the default data folder's."""
    return _load(str(data_file(data_dir, PLACES_FILE)))


def _kind_at(words: list[str], i: int, kinds: Iterable[str]) -> bool:
    """Whether ``words[i:]`` starts with a kind of place ("TỈNH", "thành phố")."""
    for kind in kinds:
        n = len(kind.split())
        if [match_key(w.strip(_PUNCTUATION)) for w in words[i : i + n]] == match_key(kind).split():
            return True
    return False


def _name_after(rest: str, led: bool, caps: bool, words: PlaceWords) -> str:
    """The place's name at the start of ``rest`` (the text after a kind), or "": its capitalised
    words, at most four, the first no word of ``not_names``, ended by a word of ``name_ends`` or
    a kind. A line in capitals says nothing by its case, so there a name without a lead before its
    kind counts only when the line, a punctuation mark, a dash, a kind or a word that ends names
    follows it ("… NĂM 2024 HUYỆN THANH SƠN"; not "CHỈ TIÊU HUYỆN ĐỀ RA CHO CÁC XÃ")."""
    tokens = rest.split()
    name: list[str] = []
    stop = len(tokens)  # the token after the name; -1: the name's last word ends in punctuation
    for i, token in enumerate(tokens):
        core = token.strip(_PUNCTUATION)
        if not core or not core[0].isalpha() or not core[0].isupper():
            stop = i
            break
        key = match_key(core)
        if not name and key in words.not_names:
            return ""
        if name and (key in words.name_ends or _kind_at(tokens, i, words.kinds)):
            stop = i
            break
        name.append(core)
        if core != token:
            stop = -1
            break
        if len(name) == _MAX_NAME_WORDS:
            stop = i + 1
            break
    if not name or (caps and not led and not _closes(tokens, stop, words)):
        return ""
    written = " ".join(name)
    return written.title() if written.upper() == written else written


def _closes(tokens: list[str], at: int, words: PlaceWords) -> bool:
    """Whether the token at ``at`` closes a name before it: none (the line's end, or the name's
    own punctuation at -1), a dash or a punctuation mark, a word that ends names, a kind."""
    if at < 0 or at >= len(tokens):
        return True
    token = tokens[at]
    core = token.strip(_PUNCTUATION)
    if not core or token[0] in _PUNCTUATION or re.fullmatch(r"[-–—]+", core):
        return True
    return match_key(core) in words.name_ends or _kind_at(tokens, at, words.kinds)


def places_in(text: str, leads: Iterable[str], kinds: Iterable[str], words: PlaceWords) -> list[tuple[str, str]]:
    """``(kind, name)`` of each place ``text`` names after one of ``leads`` ("" for none) and a
    kind ("UBND huyện Tam Nông" → ("huyện", "Tam Nông")), in the order written."""
    cleaned = clean_text(text)
    lower = cleaned.lower()
    caps = not any(ch.islower() for ch in cleaned)
    found: dict[int, tuple[str, str]] = {}  # by where the name starts: once, a lead's reading first
    for lead in leads:
        for kind in kinds:
            pattern = (re.escape(lead.lower()) + r"\s+" if lead else "") + re.escape(kind.lower()) + r"\s+"
            for m in re.finditer(r"(?<![\w])" + pattern, lower):
                name = _name_after(cleaned[m.end() :], bool(lead), caps, words)
                if name and m.end() not in found:
                    found[m.end()] = (kind, name)
    return [found[at] for at in sorted(found)]


def place_after(text: str, leads: Iterable[str], kinds: Iterable[str], words: PlaceWords) -> tuple[str, str] | None:
    """The first place ``text`` names after one of ``leads`` and a kind (:func:`places_in`), or ``None``."""
    found = places_in(text, leads, kinds, words)
    return found[0] if found else None


def place_forms(kind: str, name: str) -> tuple[str, str, str]:
    """The ways a plan writes its place: its district ("huyện Tam Nông"), its name ("Tam Nông"),
    its people's committee ("UBND huyện Tam Nông")."""
    return f"{kind} {name}", name, f"UBND {kind} {name}"


def other_place(theirs: Iterable[str], ours: Iterable[str]) -> bool:
    """Whether a text's names of its place (``theirs``: :func:`place_forms`) are another place
    than the plan's (``ours``: its district, place, authority, province): both said, and none of
    them one of ours (compared by :func:`kpi.vn.match_key`). A text that names no place, or a plan
    that names none, is never another's."""
    their_keys = {match_key(t) for t in theirs} - {""}
    our_keys = {match_key(o) for o in ours} - {""}
    return bool(their_keys and our_keys and not their_keys & our_keys)


def other_place_named(text: str, ours: Iterable[str], words: PlaceWords, served: Iterable[str] = ()) -> str:
    """The first district or province ``text`` names (after a lead or not: «Chủ tịch UBND huyện Cẩm
    Khê», «UBND TỈNH …», :func:`places_in`) that is not the plan's (:func:`other_place` of its
    :func:`place_forms` against ``ours``), as «huyện Cẩm Khê»; ``""`` when it names none or only the
    plan's. A place named without its name («UBND tỉnh», «Chủ tịch UBND huyện») is no other place.
    ``served``: names that are the plan's all the same (the places of the plan's own region). One
    rule for a title block (:func:`kpi.reading.report_place.elsewhere`) and for who gave an award
    (:mod:`kpi.reading.awards`)."""
    served_keys = {match_key(n) for n in served}
    for kind, name in places_in(text, (*words.leads, ""), words.kinds, words):
        if match_key(name) not in served_keys and other_place(place_forms(kind, name), ours):
            return f"{kind} {name}"
    return ""


@dataclass(frozen=True)
class Region:
    """The region an office serves, as a line names it (:func:`region_in`)."""

    office: str  # the line up to and with the region's lead: "CHI CỤC THỐNG KÊ KHU VỰC"
    lead: str  # the lead as ``data/places.toml`` writes it: "khu vực"
    names: tuple[str, ...]  # the places it names: ("Tam Nông", "Thanh Thủy")

    @property
    def said(self) -> str:
        """The region as a clerk reads it: "khu vực Cẩm Khê - Thanh Ba"."""
        return f"{self.lead} {' - '.join(self.names)}"


#: Between the places of a region: a dash, a comma, a semicolon, "và".
_REGION_JOIN = re.compile(r"\s*(?:[-,;]|\bvà\b)\s*", re.IGNORECASE)
#: A region's number, never a place: "CHI CỤC THUẾ KHU VỰC I", "… KHU VỰC XII".
_ROMAN = re.compile(r"[IVXLC]+")


def region_in(text: str, words: PlaceWords) -> Region | None:
    """The region ``text`` names after a lead of ``region_leads`` ("khu vực", "liên huyện", matched
    without diacritics), its places joined by dashes, commas or "và" ("CHI CỤC THỐNG KÊ KHU VỰC TAM
    NÔNG - THANH THỦY" → "Tam Nông", "Thanh Thủy"); ``None`` when it names none. A place is one to
    four capitalised words (title case when written in capitals), ended as a place's name is
    (``name_ends``, a kind); the list ends at the first part that is no such name, and a region's
    number ("KHU VỰC I") or a lower-case phrase ("khu vực nông thôn") names no place."""
    cleaned = clean_text(text)
    tokens = cleaned.split(" ")
    folded = [fold(t) for t in tokens]
    for lead in words.region_leads:
        n = len(lead.split())
        for i in range(len(tokens) - n):
            if folded[i : i + n] != fold(lead).split():
                continue
            names = _region_names(" ".join(tokens[i + n :]), words)
            if names:
                return Region(" ".join(tokens[: i + n]), lead, names)
    return None


def _region_names(rest: str, words: PlaceWords) -> tuple[str, ...]:
    """The places at the start of ``rest`` (:func:`region_in`), in the order written."""
    names: list[str] = []
    for part in _REGION_JOIN.split(rest):
        name: list[str] = []
        for token in part.split():
            core = token.strip(_PUNCTUATION)
            if not core.isalpha() or not core[0].isupper() or _ROMAN.fullmatch(core):
                break
            if name and (match_key(core) in words.name_ends or _kind_at(part.split(), len(name), words.kinds)):
                break
            name.append(core)
            if core != token or len(name) == _MAX_NAME_WORDS:
                break
        if not name or (not names and match_key(name[0]) in words.name_ends):
            break
        written = " ".join(name)
        names.append(written.title() if written.upper() == written else written)
        if len(name) < len(part.split()):  # the part goes on after its name: the list ends there
            break
    return tuple(names)


def other_region(region: Region, ours: Iterable[str]) -> bool:
    """Whether a region (:func:`region_in`) is another place's: :func:`other_place` of its places,
    all of them together — "khu vực Tam Nông - Thanh Thủy" is the plan's when one of them is its
    place — compared without diacritics, as the sender's office of the region is found
    (:func:`kpi.reading.report_subject.sender_of`: a line typed without them names its region all the
    same)."""
    return other_place([fold(n) for n in region.names], [fold(o) for o in ours])
