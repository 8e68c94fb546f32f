"""What makes two award rows one award, and who confers an award: one rule each, for every list.

**One award** (design.md: "each (decision, recipient, unit, award) once"): two rows are the same
award when their :func:`award_identity` is equal — within one register (a duplicate row, warned
by :mod:`kpi.reading.awards`) and across the registers in use (a row of a main list repeated in a
supplementary list counts once, :func:`kpi.storage.awards.award_rows`; what replacing a list
changes, :mod:`kpi.ingest_registers`). Black-box finding (December 2026): rows were one award only
when the four parts matched as exact text, so «Ông Lê Văn A» and «Lê Văn A», «Đ/c Nguyễn Thị B»
and «bà nguyễn thị b», doubled spaces and NFD diacritics counted twice. The parts are compared as:

* the **recipient** by :func:`person_key`: honorifics and titles before a name
  (``data/honorifics.csv``: Ông, Bà, Đ/c, Đồng chí, Anh, Chị, Cô, Thầy, ThS., Đại úy …) dropped,
  then Unicode NFC, case and spaces folded, tone placement made canonical
  (:func:`kpi.vn.match_key`). **Diacritics are kept**: «Lê Văn Á» and «Lê Văn A» are two people,
  and an honorific is matched with its diacritics («Cồ Văn Nam» keeps «Cồ»: it is a surname, not
  «Cô»). An honorific is dropped only when at least two words remain (a Vietnamese full name has
  two or more), so «Cô Tư» stays as written;
* the **decision number** by :func:`decision_key`: «123/QĐ-UBND», «123/QĐ-UBND », «Số 123/QĐ-UBND»,
  «123 / QĐ - UBND», «0123/QD-UBND» are one decision (a number is a code: its spaces, a leading
  «Số»/«Quyết định số», leading zeros, case and diacritics carry no meaning);
* the **unit** and the **award** by :func:`kpi.vn.match_key` (the plan's unit and award when the
  reader matched them, else as written). A row without a unit is its recipient's own: a
  collective is its own unit, so «Công an huyện» of a list without a unit column is «Công an
  huyện» under «Công an huyện» of another (black-box finding, round 9: a supplement's repeat of
  a collective's Cờ thi đua counted twice, TD04 «2 · 200,00 % · Vượt»); a recipient written
  with its unit in brackets and no unit of its own, «Nguyễn Thị Lan (Phòng Y tế)», is that name
  under that unit. A person without a unit stays apart from the same name under a unit: that is
  said as a doubt, never merged.

**Never merge two people**: a doubt is two rows — same name under another unit, another award or
another decision; a name with other letters or other diacritics; anything after the name («Lê Văn
A (Trưởng phòng)»).

**Who confers an award** («Cấp khen» of the honour roll, :func:`award_level`): the award's own name
says it for most awards («Bằng khen của Chủ tịch UBND tỉnh» → Chủ tịch UBND tỉnh, ``data/award_levels.csv``
from Luật Thi đua, khen thưởng 2022, Điều 80–82 and the plan's targets); else the list's «Cấp khen»
cell (its words mapped by the same table, else as written); else :data:`LEVEL_UNKNOWN`. The same
rule for every row, whichever list it came from: a supplementary list without a «Cấp khen» column
gets the same level as the main list's rows of the same award (black-box finding: its rows were
blank in the annex). The name read is the resolved one, never the abbreviation: a supplement's
«TTLĐXS» is «Tập thể lao động xuất sắc» (black-box finding: «Không rõ» beside the main list's
«Chủ tịch UBND tỉnh» for the same award).

**The name an award is shown by** (:func:`award_name`: honour roll, its filter and search, the
annex): the plan's award the reader resolved, else the name with its abbreviations written out
(``data/abbreviations.csv``: «GK» → «Giấy khen»). Black-box finding: a supplement writing «CSTĐCS»
had its own entry in the honour roll's filter, and «Chiến sĩ thi đua cơ sở» counted 52 rows while
the target card counted 55.

**One award however it is spelled** (:func:`award_key`, :func:`award_naming`): two spellings of an
award no target counts are one award when they differ only in case, spaces, punctuation, tone
placement, abbreviations (``data/abbreviations.csv``: «CT» = «Chủ tịch», «UBND» = «Ủy ban nhân
dân»), words written before the name («Danh hiệu …») or words that name nothing
(``data/register_words.toml`` ``[award_names] same_without``: «của»). Black-box finding: «Giấy
khen Chủ tịch UBND huyện» and «Giấy khen của Chủ tịch UBND huyện» were two options of the honour
roll's filter, counted apart. The honour roll, its filter, the annex and the upload preview show
one name per award (:class:`AwardNaming`, built by :func:`award_naming` over the same rows: the
lists in use, and the file previewed), the list's own writing beside it. **Never merged**: any
other word — another conferring body or level («… UBND huyện» / «… UBND xã», «Bằng khen Bộ» /
«Bằng khen tỉnh»). Spellings that differ only by words that may or may not name another body
(``[award_names] doubtful``: «cấp», «Chủ tịch», «UBND»), or where one is the other with words
added («Giấy khen» / «Giấy khen Chủ tịch UBND huyện»), stay apart and are said to the clerk
(:attr:`AwardNaming.doubts`).
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kpi.config import DATA_DIR, data_file
from kpi.domain.abbreviations import expand, forms_in
from kpi.domain.plan import without_leading_words, without_own_place
from kpi.spelling import iy_fold
from kpi.vn import clean_text, fold, match_key

__all__ = [
    "LEVEL_UNKNOWN",
    "AwardNaming",
    "award_identity",
    "award_key",
    "award_naming",
    "award_level",
    "award_name",
    "decision_key",
    "first_of_award",
    "person_key",
    "title_and_organisation",
    "written_aside",
]

#: «Cấp khen» of a row whose award's name does not say who confers it and whose list does not
#: either: written out, so the honour roll never shows a blank that reads as data lost.
LEVEL_UNKNOWN = "Không rõ (danh sách không ghi)"

#: Trailing marks of a word that are not part of it when matching honorifics ("TS." = "TS", "Ông:").
_MARKS = ".:,;"


def _word(text: str) -> str:
    return match_key(text).rstrip(_MARKS)


@lru_cache(maxsize=4)
def _honorifics(path: str) -> tuple[tuple[str, ...], ...]:
    """The honorifics of ``data/honorifics.csv`` as word tuples (:func:`_word`), longest first."""
    with open(path, encoding="utf-8", newline="") as f:
        words = {tuple(_word(w) for w in clean_text(r["honorific"]).split(" ")) for r in csv.DictReader(f)}
    return tuple(sorted((w for w in words if all(w)), key=len, reverse=True))


@lru_cache(maxsize=65536)
def person_key(recipient: str) -> str:
    """The key one recipient is known by when rows are told apart (see the module).

    >>> person_key("Đ/c  Nguyễn Thị B") == person_key("bà nguyễn thị b") == person_key("Nguyễn Thị B")
    True
    >>> person_key("Lê Văn Á") == person_key("Lê Văn A")
    False
    """
    words = clean_text(recipient).split(" ")
    honorifics = _honorifics(str(DATA_DIR / "honorifics.csv"))
    head, dot, tail = words[0].rpartition(".")
    if dot and head and tail and (_word(head),) in honorifics:  # "ThS.Lê Thị D": a title glued to the name
        words = [head + dot, tail, *words[1:]]
    stripped = True
    while stripped:
        stripped = False
        keys = tuple(_word(w) for w in words)
        for h in honorifics:
            if keys[: len(h)] == h and len(words) - len(h) >= 2:
                words = words[len(h) :]
                stripped = True
                break
    return match_key(" ".join(words))


_DECISION_LEAD = re.compile(r"^(?:quyet dinh so|qd so|so)\s*[:.]?\s*")


@lru_cache(maxsize=65536)
def decision_key(number: str) -> str:
    """A decision number as compared (see the module): «Số 0123 / QĐ-UBND » → ``"123/qd-ubnd"``."""
    text = _DECISION_LEAD.sub("", fold(number or ""))
    text = re.sub(r"\s+", "", text).rstrip(".,;")
    return re.sub(r"^0+(?=\d)", "", text)


def award_identity(
    decision_number: str, recipient: str, unit: str, award: str, places: tuple[str, ...] = ()
) -> tuple[str, str, str, str]:
    """What makes a row one award: (decision, recipient, unit, award) as compared (see the module).

    :param unit: the plan's unit, else the unit as written; ``award`` the plan's award, else as
        written (compared by :func:`award_key`: «Giấy khen của CT UBND huyện» is «Giấy khen Chủ
        tịch UBND huyện»; ``places`` the plan's own, :attr:`kpi.domain.plan.Catalogue.own_places`).
    """
    if not clean_text(unit) and (named := _UNIT_AFTER_NAME.fullmatch(clean_text(recipient))):
        recipient, unit = named.group(1), named.group(2)  # «Nguyễn Thị Lan (Phòng Y tế)», no unit
    person = person_key(recipient or "")
    return (
        decision_key(decision_number or ""),
        person,
        match_key(unit or "") or person,  # no unit: the recipient's own (a collective is its unit)
        award_key(award or "", places),
    )


#: A recipient written with its unit in brackets after the name, «Nguyễn Thị Lan (Phòng Y tế)».
_UNIT_AFTER_NAME = re.compile(r"(.+?)\s*\(([^()]+)\)")


def first_of_award(rows: list[tuple[str, str, str, str, bool]], places: tuple[str, ...] = ()) -> list[int | None]:
    """For each award row of the registers in use, in the order they count (upload, then row), the
    position of the earlier row it repeats **across lists**, else ``None``: the first earlier row
    with the same :func:`award_identity` that is not itself a duplicate within its own list — the
    row that was counted (:func:`kpi.storage.awards.award_rows` counts the first, once). A row
    that is a duplicate within its list (``own`` false) gets ``None``: its list says which row it
    repeats. Black-box finding (December 2026): a supplement's repeat of a main-list row read
    «Tính vào: không» («not an award of any target») instead of «trùng».

    :param rows: ``(decision_number, recipient, unit, award, own)`` per row, ``award`` the plan's
        award else as written, ``own`` false for a duplicate within its list; ``places`` the
        plan's own (:func:`award_key`).
    :returns: one position (index into ``rows``) or ``None`` per row.
    """
    first: dict[tuple[str, str, str, str], int] = {}
    found: list[int | None] = []
    for i, (decision, recipient, unit, award, own) in enumerate(rows):
        if not own:
            found.append(None)
            continue
        identity = award_identity(decision, recipient, unit, award, places)
        found.append(first.get(identity))
        first.setdefault(identity, i)
    return found


@lru_cache(maxsize=4)
def _levels(path: str) -> tuple[tuple[str, re.Pattern], ...]:
    with open(path, encoding="utf-8", newline="") as f:
        return tuple((clean_text(r["level"]), re.compile(r["pattern"])) for r in csv.DictReader(f))


def _level_named(text: str) -> str:
    folded = fold(text or "")
    if not folded:
        return ""
    for level, pattern in _levels(str(DATA_DIR / "award_levels.csv")):
        if pattern.search(folded):
            return level
    return ""


@lru_cache(maxsize=4096)
def award_level(award: str, award_written: str, written_level: str, places: tuple[str, ...] = ()) -> str:
    """«Cấp khen» of one award row (see the module): the list's own «Cấp khen» cell when it has one
    (its words mapped by ``data/award_levels.csv``: «CT UBND huyện» → «Chủ tịch UBND huyện»; as
    written when it names a place, so «Chủ tịch UBND huyện Cẩm Khê» is never shown as the plan's
    «Chủ tịch UBND huyện»: round 8 blind finding 2; the plan's own ``places`` are its plain level:
    «Chủ tịch UBND tỉnh Phú Thọ» → «Chủ tịch UBND tỉnh», :func:`kpi.domain.plan.without_own_place`);
    else who the award's name says confers it
    (the plan's award, else as written with its abbreviations written out: «TTLĐXS» is read as
    «Tập thể lao động xuất sắc», the name a main list writes whole); else :data:`LEVEL_UNKNOWN`.

    >>> award_level("Bằng khen của Chủ tịch UBND tỉnh", "BK UBND tỉnh", "")
    'Chủ tịch UBND tỉnh'
    >>> award_level("Tập thể lao động xuất sắc", "TTLĐXS", "")
    'Chủ tịch UBND tỉnh'
    >>> award_level("", "GK", "")
    'Không rõ (danh sách không ghi)'
    >>> award_level("Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cơ sở", "Chủ tịch UBND huyện Cẩm Khê")
    'Chủ tịch UBND huyện Cẩm Khê'
    >>> award_level("", "Giấy khen", "CT UBND huyện")
    'Chủ tịch UBND huyện'
    """
    written = without_own_place(clean_text(written_level), places)
    if written:
        return written if _names_place(written) else (_level_named(written) or written)
    for text in (award, expand(award_written, "award").text):
        if level := _level_named(text):
            return level
    return LEVEL_UNKNOWN


def _names_place(text: str) -> bool:
    """Whether ``text`` names a district or a province by its name (:func:`kpi.domain.places.places_in`)."""
    from kpi.domain.places import place_words, places_in

    words = place_words()
    return bool(places_in(text, (*words.leads, ""), words.kinds, words))


@lru_cache(maxsize=4096)
def award_name(award: str, award_written: str, keep: frozenset[str] = frozenset()) -> str:
    """The name an award row is shown, filtered and searched by (see the module): the plan's award
    the reader resolved («CSTĐCS» → «Chiến sĩ thi đua cơ sở»); else the name as written with the
    abbreviations ``data/abbreviations.csv`` knows written out («GK» → «Giấy khen»), ``keep``
    (:func:`kpi.domain.abbreviations.forms_in` of the plan's award names) staying as the plan writes
    them; else as written.

    >>> award_name("Chiến sĩ thi đua cơ sở", "CSTĐCS")
    'Chiến sĩ thi đua cơ sở'
    >>> award_name("", "LĐTT")
    'Lao động tiên tiến'
    """
    if clean_text(award):
        return clean_text(award)
    written = expand(award_written, "award", keep=keep)
    text = written.text
    return text[:1].upper() + text[1:]


def written_aside(name: str, award_written: str) -> str:
    """How the list wrote an award when that is not its shown :func:`award_name` («CSTĐCS»),
    else ``""``: the honour roll shows it beside the name, so the file's words can be found."""
    written = clean_text(award_written)
    return written if match_key(written) != match_key(name) else ""


@lru_cache(maxsize=4)
def _name_words(path: str) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """``[award_names] same_without`` and ``doubtful`` of ``register_words.toml`` as word tuples
    (:func:`kpi.vn.match_key`), longest first."""
    with open(path, "rb") as f:
        table = tomllib.load(f).get("award_names", {})

    def groups(name: str) -> tuple[tuple[str, ...], ...]:
        found = {tuple(_words(w)) for w in table.get(name, [])}
        return tuple(sorted((g for g in found if g), key=len, reverse=True))

    return groups("same_without"), groups("doubtful")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", match_key(text))


@lru_cache(maxsize=4)
def _organisation_starts(path: str) -> tuple[tuple[str, ...], ...]:
    """``[recipients] organisation_starts`` of ``register_words.toml`` as word tuples, longest first."""
    with open(path, "rb") as f:
        found = {tuple(_words(w)) for w in tomllib.load(f).get("recipients", {}).get("organisation_starts", [])}
    return tuple(sorted((g for g in found if g), key=len, reverse=True))


def title_and_organisation(written: str) -> tuple[str, str]:
    """A person's «Chức vụ, đơn vị công tác» as ``(title, body)``: «Giáo viên Trường TH Thọ Văn»
    → ("Giáo viên", "Trường TH Thọ Văn"); «Phó Trưởng Công an huyện» → ("Phó Trưởng", "Công an
    huyện"); «Kế toán, Trạm Y tế xã Tề Lễ» → ("Kế toán", "Trạm Y tế xã Tề Lễ"). The body starts at
    the first capitalised word after the first that begins a body's name (``data/register_words.toml``
    ``[recipients] organisation_starts``, diacritics kept: «Trường» the school, never «trưởng» the
    head). A text that starts with a body's name is all body — «Trạm Y tế Xã Tề Lễ» is no title and
    a commune — unless that name comes again («Thanh tra viên Thanh tra huyện»: a title made of it);
    one that names no body after its first word is ``("", written)`` (round 7 blind finding 15: the
    annex's «Cơ quan, đơn vị» read «Giáo viên Trường TH Thọ Văn»)."""
    text = clean_text(written)
    words = text.split(" ")
    keys = [_word(w) for w in words]
    starts = _organisation_starts(str(data_file(None, "register_words.toml")))

    def opening(i: int) -> tuple[str, ...] | None:
        return next((g for g in starts if tuple(keys[i : i + len(g)]) == g), None)

    first = opening(0)
    for i in range(1, len(words)):
        found = opening(i) if words[i][:1].isupper() else None
        # a text that starts with a body's word is that body, unless a title made of that word
        # comes first: «Thanh tra viên Thanh tra huyện», «Tổ trưởng Tổ dân phố số 3»
        if found and (first is None or found == first):
            return " ".join(words[:i]).rstrip(" ,;:-–"), " ".join(words[i:])
    return "", text


def _without(words: tuple[str, ...], groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """``words`` without any of the word ``groups`` (longest first)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        group = next((g for g in groups if words[i : i + len(g)] == g), None)
        if group:
            i += len(group)
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


@lru_cache(maxsize=65536)
def award_key(award: str, places: tuple[str, ...] = ()) -> str:
    """The key every spelling of one award shares (see the module): words written before the name
    dropped, the plan's own ``places`` by their kind alone («UBND huyện Tam Nông» → «UBND huyện»,
    :func:`kpi.domain.plan.without_own_place`), abbreviations written out (in lower case too),
    case, tone placement, the i/y of «sĩ»/«sỹ» (:func:`kpi.spelling.iy_fold`), punctuation and
    spaces folded, the words of ``same_without`` left out; diacritics and every other word kept.

    >>> award_key("Giấy khen của CT  UBND huyện.") == award_key("GIẤY KHEN CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN")
    True
    >>> award_key("Giấy khen Chủ tịch UBND huyện") == award_key("Giấy khen Chủ tịch UBND xã")
    False
    """
    same, _doubtful = _name_words(str(data_file(None, "register_words.toml")))
    written = without_own_place(without_leading_words(clean_text(award)), places)
    expanded = iy_fold(match_key(re.sub(r"[^\w]+", " ", expand(written, "award").text)))
    return " ".join(_without(tuple(_words(expanded)), same))


def _may_be_one(a: str, b: str) -> bool:
    """Whether two award keys may name one award (see the module): the same once the doubtful words
    are left out, or one the other with words added at its end (at least two words in common)."""
    _same, doubtful = _name_words(str(data_file(None, "register_words.toml")))
    wa, wb = _without(tuple(a.split()), doubtful), _without(tuple(b.split()), doubtful)
    short, long_ = sorted((wa, wb), key=len)
    return wa == wb or (len(short) >= 2 and long_[: len(short)] == short)


def _tidy(name: str, keep: frozenset[str]) -> str:
    """A shown name without the marks a cell leaves at its end («Giấy khen …, »), a body the plan
    abbreviates written as the plan does («Chủ tịch Uỷ ban nhân dân huyện» → «Chủ tịch UBND huyện»)."""
    words = clean_text(name).strip(" .,;:-").split(" ")
    for form in sorted(keep, key=len, reverse=True):
        whole = tuple(match_key(w) for w in expand(form, "award").text.split(" "))
        n, i, out = len(whole), 0, []
        while i < len(words):
            if n > 1 and tuple(match_key(w) for w in words[i : i + n]) == whole:
                out.append(form)
                i += n
            else:
                out.append(words[i])
                i += 1
        words = out
    return " ".join(words)


@dataclass(frozen=True)
class AwardNaming:
    """The name each award is shown by, one per :func:`award_key`, for a set of award rows
    (:func:`award_naming`): the honour roll (the lists in use) and the upload preview (the lists in
    use that stay and the file) ask the same object, so a spelling reads the same on both.

    :ivar shown: ``{award_key: name}``.
    :ivar keep: the abbreviations the plan's award names write (:func:`kpi.domain.abbreviations.forms_in`).
    :ivar doubts: groups of shown names that may be one award and are kept apart (see the module).
    :ivar places: the plan's own places (:func:`award_key`).
    :ivar pairs: the links that make :attr:`doubts`, two shown names each (:meth:`doubts_among`).
    """

    shown: dict[str, str] = field(default_factory=dict)
    keep: frozenset[str] = frozenset()
    doubts: tuple[tuple[str, ...], ...] = ()
    places: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    def name(self, award: str, award_written: str) -> str:
        """The plan's ``award`` the reader resolved, else the name of the award's key."""
        if clean_text(award):
            return clean_text(award)
        return self.shown.get(award_key(award_written, self.places)) or award_name("", award_written, self.keep)

    def aside(self, award: str, award_written: str) -> str:
        """How the list wrote the award when that is not its shown name (:func:`written_aside`)."""
        return written_aside(self.name(award, award_written), award_written)

    def doubts_about(self, names: Iterable[str]) -> list[tuple[str, ...]]:
        """The :attr:`doubts` that name one of ``names`` (a preview's own awards)."""
        wanted = set(names)
        return [d for d in self.doubts if wanted & set(d)]

    def doubts_among(self, names: Iterable[str], chosen: Iterable[str] = ()) -> list[tuple[str, ...]]:
        """The groups of ``names`` that may be one award — the awards of the rows a page shows (one
        year's, one kind's), not every list's: only the :attr:`pairs` both of whose names are
        among them, chained as :attr:`doubts` are; with ``chosen`` (awards picked in a filter), the
        groups that name one of them."""
        have, wanted = set(names), set(chosen)
        groups = _groups([p for p in self.pairs if p[0] in have and p[1] in have])
        return [tuple(g) for g in groups if not wanted or wanted & set(g)]


def award_naming(
    rows: Iterable[tuple[str, str]], plan_awards: Iterable[str] = (), places: tuple[str, ...] = ()
) -> AwardNaming:
    """One name per award for ``rows`` (``(award, award_written)``: the plan's award the reader
    resolved, else ``""``, and the award as the list wrote it): the plan's award of the key when
    the plan has one; else, of the key's spellings with their abbreviations written out
    (:func:`award_name`) and the plan's own ``places`` by their kind alone (as the plan's award
    names write them: «… UBND huyện», :func:`kpi.domain.plan.without_own_place`), the one most
    rows write — not all capitals, ties the first in alphabetical order — so the choice does not
    depend on which list came first.

    >>> n = award_naming([("", "Giấy khen của Chủ tịch UBND huyện"), ("", "Giấy khen CT UBND huyện"),
    ...                   ("", "GIẤY KHEN CỦA CT UBND HUYỆN"), ("", "Giấy khen Chủ tịch UBND huyện")],
    ...                  ["Bằng khen của Chủ tịch UBND tỉnh"])
    >>> n.name("", "Giấy khen của CT Ủy ban nhân dân huyện")
    'Giấy khen Chủ tịch UBND huyện'
    >>> n.aside("", "GIẤY KHEN CỦA CT UBND HUYỆN")
    'GIẤY KHEN CỦA CT UBND HUYỆN'
    """
    rows = list(rows)
    plan = [clean_text(a) for a in plan_awards if clean_text(a)]
    keep = forms_in(tuple(plan), "award")
    shown = {award_key(a, places): a for a in plan}
    spellings: dict[str, Counter] = {}
    for award, written in rows:
        if clean_text(award):
            shown.setdefault(award_key(award, places), clean_text(award))
        elif key := award_key(written or "", places):
            name = _tidy(award_name("", without_own_place(written, places), keep), keep)
            spellings.setdefault(key, Counter())[name] += 1
    for key, counted in spellings.items():
        if key not in shown:
            shown[key] = min(counted, key=lambda n: (n.upper() == n, -counted[n], n))
    used = sorted({*spellings, *(award_key(a, places) for a, _w in rows if clean_text(a))})
    plan_keys = {award_key(a, places) for a in plan}
    pairs = [
        (a, b)
        for i, a in enumerate(used)
        for b in used[i + 1 :]
        if not (a in plan_keys and b in plan_keys) and _may_be_one(a, b)
    ]
    doubts = tuple(sorted(tuple(sorted(shown[k] for k in g)) for g in _groups(pairs)))
    linked = tuple(sorted({tuple(sorted((shown[a], shown[b]))) for a, b in pairs if shown[a] != shown[b]}))
    return AwardNaming(shown, keep, doubts, tuple(places), linked)


def _groups(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """The keys ``pairs`` link, one group per chain of links («A» ~ «B» ~ «C»: one), each sorted."""
    group_of: dict[str, set[str]] = {}
    for a, b in pairs:
        joined = group_of.get(a, {a}) | group_of.get(b, {b})
        for k in joined:
            group_of[k] = joined
    return sorted({tuple(sorted(g)) for g in group_of.values()})
