"""Abbreviations as data, and names matched by their words (issue 13, sections 1 and 3).

Vietnamese administrative writing abbreviates ("Tỷ lệ tham gia BHYT", "BK Chủ tịch UBND tỉnh",
"CSTĐCS"): ``data/abbreviations.csv`` (``abbreviation,expansion,context,source``) holds the forms,
with a ``context`` (``indicator``, ``award``, ``unit``, ``header``, ``recipient``) where one form has
two meanings ("TH" is "thực hiện" in a report, "trường tiểu học" in a unit's name); an empty context
applies everywhere. A form is recognised as written (all capitals, «TTg») and, when its lower case
could not be ordinary words (:func:`kpi.spelling.reads_as_words`: «ubnd», «gk», «ct ubnd», not
«ca»), in lower case too: lists typed in lower case write «giấy khen chủ tịch ubnd huyện» (black-box
finding, December 2026: two awards of one). A capitalised form («Ubnd», «Ca») is never one. Of the
table only «CA» (công an) could be a word («ca»: a shift, to sing) and stays capitals-only.
``source`` names the public document that uses the form (Nghị định
30/2020/NĐ-CP for UBND and HĐND, award and emulation decisions of provinces, Thông tư 51/2023/TT-BTC
for NSNN …: a document number and the address where it was read), or ``common usage`` where none
was found; the reader ignores it.

:func:`expand` writes a name out before matching; :func:`similar` matches a written name to one of
the plan's names by its content words: all of them (once expanded) in one plan name, in order, and
covering at least half of that name's content words, is a match "by similarity" (the caller warns
naming both spellings); two such names is no match and a question; at least half but not all of
them in one name is "close" (the caller lists it and, for reports, holds the file).
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kpi.config import DATA_DIR, data_file
from kpi.spelling import reads_as_words
from kpi.vn import clean_text, match_key

__all__ = [
    "MAX_NEAR",
    "Expanded",
    "Similar",
    "content_words",
    "expand",
    "forms_in",
    "near",
    "similar",
    "without_place_tail",
]

_DEFAULT_DATA = DATA_DIR

#: Syllables that carry no meaning of their own in a name (as :func:`kpi.vn.match_key` writes them).
_STOP = frozenset(
    match_key(w) for w in "và của các những trên trong cho với đã được là tại theo ở từ đến năm về".split()
)


@dataclass(frozen=True)
class Expanded:
    """A name written out: ``text`` and the (abbreviation, expansion) pairs used, in order."""

    text: str
    used: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Similar:
    """How a written name relates to a set of plan names by its words.

    :ivar how: ``similar`` (one name holds all its words: ``value`` is that name's value),
        ``ambiguous`` (two or more do: ``candidates``), ``close`` (at least half but not all of its
        words are in one name: ``candidates``) or ``""`` (nothing near).
    """

    how: str
    value: str = ""
    candidates: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=8)
def _table(data_dir: str) -> tuple[tuple[str, str, str], ...]:
    path = Path(data_dir) / "abbreviations.csv"
    if not path.exists():
        path = _DEFAULT_DATA / "abbreviations.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            (clean_text(r["abbreviation"]), clean_text(r["expansion"]), clean_text(r.get("context") or ""))
            for r in csv.DictReader(fh)
        ]
    # longest first: "CSTĐCS" before "CSTĐ", "CT UBND" before "CT"
    return tuple(sorted((r for r in rows if r[0] and r[1]), key=lambda r: -len(r[0])))


def _forms(context: str, data_dir: Path | None) -> list[tuple[str, str]]:
    """(abbreviation, expansion) pairs that apply in ``context``: a context-specific row wins over
    a general one; a row of another context does not apply."""
    table = _table(str(data_dir or _DEFAULT_DATA))
    chosen: dict[str, str] = {}
    for abbr, expansion, ctx in table:
        if ctx == context:
            chosen[abbr] = expansion
    for abbr, expansion, ctx in table:
        if not ctx:
            chosen.setdefault(abbr, expansion)
    return sorted(chosen.items(), key=lambda p: -len(p[0]))


@lru_cache(maxsize=16)
def _pattern(context: str, data_dir: str) -> tuple[re.Pattern | None, dict[str, str], dict[str, str]]:
    """The pattern of the forms of ``context``, their expansions, and each text it matches → its
    form (a lower-case writing → the form, see the module)."""
    forms = _forms(context, Path(data_dir))
    if not forms:
        return None, {}, {}
    written = {a: a for a, _e in forms}
    for a, _e in forms:
        if a.lower() != a and not reads_as_words(a):
            written.setdefault(a.lower(), a)
    alternation = "|".join(re.escape(w) for w in sorted(written, key=len, reverse=True))
    # a whole token: not inside a longer word of letters
    return re.compile(rf"(?<![\w&-])({alternation})(?![\w&])"), dict(forms), written


def expand(text: str, context: str = "", data_dir: Path | None = None, keep: frozenset[str] = frozenset()) -> Expanded:
    """``text`` with its abbreviations written out (as written or in lower case when that could
    not be words: "TT" and "tt" are abbreviations, "Tt" is not; "CA" is, "ca" is not — see the
    module). Memoized (pure for a given data folder).

    :param keep: abbreviations a reader knows as written (:func:`forms_in` of the plan's names):
        inside what is written out they are written back («CT UBND» → «Chủ tịch UBND» when the
        plan writes «UBND»), and alone they stay.

    >>> expand("Tỷ lệ tham gia BHYT", "indicator").text
    'Tỷ lệ tham gia bảo hiểm y tế'
    >>> expand("GK CT UBND huyện", "award", keep=frozenset({"UBND"})).text
    'giấy khen Chủ tịch UBND huyện'
    >>> expand("giấy khen ct ubnd huyện", "award", keep=frozenset({"UBND"})).text
    'giấy khen Chủ tịch UBND huyện'
    """
    return _expand(clean_text(text), context, str(data_dir or _DEFAULT_DATA), keep)


def forms_in(names, context: str = "", data_dir: Path | None = None) -> frozenset[str]:
    """The abbreviations ``names`` themselves write («UBND» of «Bằng khen của Chủ tịch UBND tỉnh»)."""
    return frozenset(a for name in names for a, _e in expand(name, context, data_dir).used)


@lru_cache(maxsize=65536)
def _expand(cleaned: str, context: str, data_dir: str, keep: frozenset[str] = frozenset()) -> Expanded:
    pattern, forms, written = _pattern(context, data_dir)
    if pattern is None or not cleaned:
        return Expanded(cleaned)
    used: list[tuple[str, str]] = []
    kept = [(forms[a], a) for a in sorted(keep & forms.keys(), key=lambda a: -len(forms[a]))]

    def sub(m: re.Match) -> str:
        abbr = written[m.group(1)]  # «ubnd» is «UBND»: kept, it is written as the plan does
        if abbr in keep:
            return abbr
        out = forms[abbr]
        for expansion, form in kept:
            out = re.sub(rf"(?<!\w){re.escape(expansion)}(?!\w)", form, out)
        used.append((abbr, out))
        return out

    out = pattern.sub(sub, cleaned)
    return Expanded(clean_text(out), tuple(dict.fromkeys(used)))


def content_words(text: str) -> list[str]:
    """The syllables of a name that carry meaning, case folded with their diacritics ("cờ" is not
    "cơ"), without stop words, numbers or marks."""
    words = re.findall(r"\w+", match_key(text))
    return [w for w in words if w not in _STOP and not w.isdigit()]


def _in_order(words: list[str], name_words: list[str]) -> bool:
    it = iter(name_words)
    return all(any(w == n for n in it) for w in words)


def similar(written: str, names: dict[str, str]) -> Similar:
    """Relate ``written`` (already expanded) to ``names`` (plan name → value); see the module."""
    words = content_words(written)
    if len(words) < 2:
        return Similar("")
    full: list[str] = []
    close: list[str] = []
    for name, value in names.items():
        nw = content_words(name)
        if not nw:
            continue
        present = [w for w in words if w in nw]
        if len(present) == len(words):
            if _in_order(words, nw) and 2 * len(set(words)) >= len(set(nw)):
                full.append(value)
            else:
                close.append(value)
        elif 2 * len(present) >= len(words):
            close.append(value)
    full = list(dict.fromkeys(full))
    if len(full) == 1:
        return Similar("similar", full[0], tuple(full))
    if len(full) > 1:
        return Similar("ambiguous", "", tuple(full))
    close = list(dict.fromkeys(close))
    return Similar("close", "", tuple(close)) if close else Similar("")


#: The most names offered as «Đây là: …» for one row: more, equally near, is offering none.
MAX_NEAR = 3


@lru_cache(maxsize=4)
def _indicator_words(data_dir: str) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """``data/vocabulary.toml`` ``[indicator_names]``: (place tails, generic words) as
    :func:`kpi.vn.match_key` word tuples, longest first."""
    path = data_file(data_dir, "vocabulary.toml")
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("indicator_names", {})

    def words(key: str) -> tuple[tuple[str, ...], ...]:
        found = (tuple(re.findall(r"\w+", match_key(w))) for w in table.get(key, []))
        return tuple(sorted(found, key=len, reverse=True))

    return words("place_tails"), words("generic_words")


def without_place_tail(text: str, data_dir: Path | None = None) -> str:
    """A row's name without the words at its end that only place it («… trên địa bàn xã», «… của
    xã», «… toàn xã»); unchanged when it has none, or nothing would remain."""
    tails, _generic = _indicator_words(str(data_dir or _DEFAULT_DATA))
    words = clean_text(text).split()
    keys = [match_key(w).strip(".,;:") for w in words]
    for tail in tails:
        n = len(tail)
        if len(words) > n and tuple(keys[-n:]) == tail:
            return " ".join(words[:-n]).rstrip(" ,;:-–")
    return clean_text(text)


def _specific_words(text: str, data_dir: str) -> list[str]:
    """:func:`content_words` of ``text`` without the generic words of the indicators' names."""
    _tails, generic = _indicator_words(data_dir)
    words = re.findall(r"\w+", match_key(text))
    out, i = [], 0
    while i < len(words):
        skip = next((len(g) for g in generic if tuple(words[i : i + len(g)]) == g), 0)
        if skip:
            i += skip
            continue
        if words[i] not in _STOP and not words[i].isdigit():
            out.append(words[i])
        i += 1
    return out


def near(written: str, names: dict[str, str], data_dir: Path | None = None) -> tuple[str, ...]:
    """The values of the names ``written`` (already expanded) is close to without matching, to
    offer as «Đây là: …»: close by :func:`similar`, holding its first word beyond the generic ones
    (its head: «vốn» of «Vốn ngân sách nhà nước»), the nearest by those words only; none when it
    has no such word, or more than :data:`MAX_NEAR` are equally near."""
    found = similar(written, names)
    if found.how not in ("close", "ambiguous"):
        return ()
    specific = _specific_words(written, str(data_dir or _DEFAULT_DATA))
    if not specific:
        return ()
    scores: dict[str, int] = {}
    for name, value in names.items():
        name_words = set(content_words(name))
        if value in found.candidates and specific[0] in name_words:
            scores[value] = max(scores.get(value, 0), sum(w in name_words for w in specific))
    best = max(scores.values(), default=0)
    nearest = tuple(v for v in found.candidates if scores.get(v) == best)
    return nearest if 0 < len(nearest) <= MAX_NEAR else ()
