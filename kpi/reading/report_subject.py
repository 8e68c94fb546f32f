"""Who sent a report and whose figures it holds (the identify step of
:func:`kpi.reading.report_sheets.read_report`; design.md, "Periods, senders and subjects").

The sender is the unit chosen at upload, a "Cơ quan gửi" line, the admin block's unit, or the
unit the reference names ("… của UBND xã X"). The subject — whose figures — is the unit chosen at
upload, a "Số liệu của" line, a unit the title names, a commune's "UBND xã …" admin block, else
the whole district; a name there that matches no unit is returned as unknown, and a "Số liệu
của" line naming the district against a title naming a commune as a conflict: both refuse the
file rather than put a commune's figures in the district's place.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kpi.domain.plan import Catalogue
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import phrase
from kpi.reading.report_context import Context
from kpi.vn import clean_text, fold

__all__ = ["Subject", "sender_of", "subject_of", "closest_units"]


def sender_of(ctx: Context, catalogue: Catalogue, chosen: str | None) -> tuple[str, str]:
    """The sending unit and how it was found (see the module's docstring); ``("", "")`` if none."""
    if chosen:
        m = catalogue.match_unit(chosen)
        return (m.value if m else chosen), phrase("chosen")
    if "sender" in ctx.metadata:
        text, ref = str(ctx.metadata["sender"][0]), ctx.metadata["sender"][1]
        m = catalogue.match_unit(text)
        return (m.value if m else clean_text(text)), phrase("cell", cell=ref)
    found = None
    lines = ctx.admin_lines
    for text, ref in lines:
        m = catalogue.match_unit(text)
        if m:
            found = (m.value, phrase("admin_block", cell=ref))
    if found is None and len(lines) >= 2:
        joined = " ".join(t for t, _ in lines)
        m = catalogue.match_unit(joined)
        if m:
            found = (m.value, phrase("admin_block", cell=lines[0][1]))
    if found:
        return found
    if ctx.reference:
        tail = re.split(r"\b(?:của|cua)\b", ctx.reference, flags=re.I)
        if len(tail) > 1:
            m = catalogue.match_unit(tail[-1].strip(" )."))
            if m:
                return m.value, phrase("line", text=ctx.reference)
    return "", ""


#: A commune-level place named in a title or an admin line: "xã Lam Sơn", "thị trấn Hưng Hoá"
#: (folded text), cut before a dash, a bracket, a comma or the next period word.
_PLACE = re.compile(r"\b(xa|thi tran|phuong)\s+((?:(?!quy\b|nam\b|thang\b|ky\b|giai doan\b|den\b)[a-z0-9]+\s*){1,4})")
#: Where a title names *one* place for sure: after a dash, "của" or "tại" ("… NĂM 2024 - XÃ X"),
#: not "kinh tế - xã hội", "các xã, thị trấn" or "xã viên".
_PLACE_NAMED = re.compile(r"(?:[-–:]|\bcua|\btai)\s*" + _PLACE.pattern)
_NOT_A_PLACE = {"hoi", "vien", "thi", "tran", "xa", "phuong", "tren", "trong", "dia", "va", "cua", "tai", "huyen"}


@dataclass(frozen=True)
class Subject:
    """Whose figures a report holds, how that was found, and a name the file gives that is no
    unit of the catalogue (``unknown``, at cell ``unknown_ref``): such a file is refused rather
    than read as the district's."""

    value: str
    how: str
    unknown: str = ""
    unknown_ref: str = ""
    conflict: str = ""  # the file names two subjects (the message's core); refused like unknown


def subject_of(ctx: Context, catalogue: Catalogue, chosen: str | None, vocab: Vocabulary) -> Subject:
    """The reporting unit a report's figures describe (design.md, "Periods, senders and subjects").

    In order: the unit chosen at upload; a "Số liệu của" line; a unit named in the title (after
    "của"/"tại", or a "xã …"/"thị trấn …" anywhere in it); a commune's "UBND xã …" admin block;
    else the whole district. A name given by the line, the title or the admin block that matches
    no unit is returned as ``unknown``: reading a commune's figures as the district's would
    silently replace the district's year.
    """
    district = catalogue.district_unit
    if chosen:
        m = catalogue.match_unit(chosen)
        return Subject(m.value if m else chosen, phrase("chosen"))
    if "subject" in ctx.metadata:
        text, ref = str(ctx.metadata["subject"][0]), ctx.metadata["subject"][1]
        m = catalogue.match_unit(text)
        says_district = (m is not None and m.value == district) or (
            m is None and _names_district(text, catalogue, vocab)
        )
        if says_district:
            # The template's default "Số liệu của: UBND huyện …" left as it was by a commune's clerk
            # whose title or letterhead names the commune: the two disagree, and guessing either
            # way could put a commune's figures in the district's place.
            other = _subject_from_text(ctx, catalogue, vocab)
            kind = catalogue.units.loc[catalogue.units["unit"] == other.value, "kind"]
            # only a commune's figures are its own; an office ("của Phòng Tài chính - Kế hoạch")
            # reports the district's figures, so the line saying the district is then right
            if other.value != district and not other.unknown and not kind.empty and kind.iloc[0] == "commune":
                return Subject(
                    district,
                    phrase("cell", cell=ref),
                    conflict=phrase(
                        "subject_lines_differ",
                        cell=ref,
                        written=clean_text(text),
                        other_source=other.how,
                        other=other.value,
                    ),
                    unknown_ref=ref,
                )
            return Subject(district, phrase("cell", cell=ref))
        if m:
            return Subject(m.value, phrase("cell", cell=ref))
        if clean_text(text):
            # the file says whose figures these are: an unknown name there is decisive
            return Subject(district, phrase("whole_district"), clean_text(text), ref)
    return _subject_from_text(ctx, catalogue, vocab)


def _subject_from_text(ctx: Context, catalogue: Catalogue, vocab: Vocabulary) -> Subject:
    """The subject the title or the admin block names (see :func:`subject_of`)."""
    district = catalogue.district_unit
    unknown = ("", "")
    title_f = fold(ctx.title)
    whole = Vocabulary.any(vocab.whole_district, title_f)
    m = vocab.subject_lead.search(title_f)
    if m and not whole:
        # Words after "của"/"tại" in the title, cut at the next period word.
        tail = re.split(r"\b(quy|nam|thang|ky|giai doan|den)\b", m.group(2))[0].strip(" -,.")
        unit = catalogue.match_unit(tail)
        if unit and unit.value != district:
            return Subject(unit.value, phrase("title", title=ctx.title[:80]))
    if not whole:
        for place in _PLACE.finditer(title_f):
            unit = _place_unit(place, catalogue)
            if unit and unit != district:
                return Subject(unit, phrase("title", title=ctx.title[:80]))
        for place in _PLACE_NAMED.finditer(title_f):
            if place.group(2).split()[0] not in _NOT_A_PLACE and not unknown[0]:
                unknown = (_original_words(ctx.title, place, 1), ctx.title_cell)
        lines = ctx.admin_lines
        candidates = list(lines) + [(f"{a[0]} {b[0]}", a[1]) for a, b in zip(lines, lines[1:], strict=False)]
        for text, ref in candidates:
            if not re.match(r"^(ubnd|uy ban nhan dan)\b", fold(text)):
                continue
            unit = catalogue.match_unit(text)
            if unit and unit.value != district:
                kind = catalogue.units.loc[catalogue.units["unit"] == unit.value, "kind"]
                if not kind.empty and kind.iloc[0] == "commune":
                    return Subject(unit.value, phrase("admin_block_commune", cell=ref))
            place = _PLACE.match(re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", fold(text)))
            if place and not unit and not unknown[0]:
                unknown = (_original_words(text, place), ref)
    return Subject(district, phrase("whole_district"), *unknown)


def closest_units(name: str, catalogue: Catalogue) -> str:
    """ " (có phải «Xã Lam Sơn»?)" — the units whose folded names are closest (difflib), or ""."""

    def bare(text: str) -> str:  # compare names without "xã"/"thị trấn"/"phòng", which all share
        return re.sub(r"^(ubnd\s+)?(xa|thi tran|phuong|phong|ubnd)\s+", "", fold(text))

    by_bare = {bare(str(u)): str(u) for u in catalogue.units["unit"]}
    close = difflib.get_close_matches(bare(name), list(by_bare), n=2, cutoff=0.8)
    if not close:
        return ""
    return phrase("did_you_mean", names=phrase("or").join(f"«{by_bare[c]}»" for c in close))


def _names_district(text: str, catalogue: Catalogue, vocab: Vocabulary) -> bool:
    """Whether a "Số liệu của" text means the whole district ("toàn huyện", "Huyện Tam Nông",
    "huyện Tam Nông, tỉnh Phú Thọ")."""
    folded = fold(text)
    core = re.sub(r"^(ubnd|uy ban nhan dan)\s+", "", fold(catalogue.district_unit))
    bare = re.sub(r"^(huyen|thi xa|thanh pho|quan)\s+", "", core)
    if Vocabulary.any(vocab.whole_district, folded) or folded in core:
        return True
    return bool(bare) and bare in folded and not _PLACE.search(folded)


def _place_unit(place: re.Match, catalogue: Catalogue) -> str | None:
    """The unit a "xã …" match names, trying its words from the longest: "xa huong non 2024" → Xã Hương Nộn."""
    words = place.group(2).split()
    for n in range(len(words), 0, -1):
        unit = catalogue.match_unit(f"{place.group(1)} {' '.join(words[:n])}")
        if unit:
            return unit.value
    return None


def _original_words(text: str, place: re.Match, group: int = 0) -> str:
    """The place as written (with its diacritics): the same words of ``text`` as the folded match
    (``group`` 1 and 2 of :data:`_PLACE_NAMED` are the place without its lead)."""
    words = clean_text(text).split()
    folded = [fold(w) for w in words]
    wanted = (place.group(0) if group == 0 else f"{place.group(group)} {place.group(group + 1)}").split()
    for i in range(len(folded) - len(wanted) + 1):
        if folded[i : i + len(wanted)] == wanted:
            return " ".join(words[i : i + len(wanted)]).strip(" -,.;:()")
    return place.group(0)
