"""Who sent a report and whose figures it holds (the identify step of
:func:`kpi.reading.report_sheets.read_report`; design.md, "Periods, senders and subjects").

The sender is the unit chosen at upload, a "Cơ quan gửi" line, the admin block's issuing office
(:func:`sender_of`), or the unit the reference names ("… của UBND xã X"). The subject — whose
figures — is the unit chosen at upload, a "Số liệu của" line, a unit the title names, a commune's
"UBND xã …" admin block, else the whole district; a name there that matches no unit is returned
as unknown, and a "Số liệu của" line naming the district against a title naming a commune as a
conflict: both refuse the file rather than put a commune's figures in the district's place.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kpi.domain.places import other_region, region_in
from kpi.domain.plan import Catalogue
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import excerpt, phrase
from kpi.reading.report_context import Context, body_line
from kpi.vn import clean_text, fold

__all__ = ["Sender", "Subject", "sender_of", "subject_of", "closest_units"]


@dataclass(frozen=True)
class Sender:
    """Who sent a report and how that was found; ``value`` "" when unknown, and then ``doubt``
    says why when the admin block named an office that cannot be trusted (a phrase for the
    ``no_sender`` warning), "" when the file names no sender at all."""

    value: str
    how: str
    doubt: str = ""
    #: the admin block names an issuing office that is no unit of the plan (not only no block)
    unknown_office: bool = False


#: A dash joining the parts of a one-line admin block ("UBND HUYỆN X - PHÒNG Y", "… – …").
_DASH = re.compile(r"\s*[-–—]\s*")


def sender_of(ctx: Context, catalogue: Catalogue, chosen: str | None, vocab: Vocabulary) -> Sender:
    """The sending unit and how it was found, in order: the unit chosen at upload; a "Cơ quan
    gửi" line; the admin block's issuing office (:func:`_admin_sender`); the admin block's lines
    read together ("PHÒNG TÀI CHÍNH -" | "KẾ HOẠCH"); the unit the reference names ("… của Phòng
    Tài chính - Kế hoạch)"). An office under another people's committee than the plan's district
    is never read as the plan's unit of that name (``doubt``, and no sender)."""
    if chosen:
        m = catalogue.match_unit(chosen)
        return Sender(m.value if m else chosen, phrase("chosen"))
    if "sender" in ctx.metadata:
        text, ref = str(ctx.metadata["sender"][0]), ctx.metadata["sender"][1]
        m = catalogue.match_unit(text)
        return Sender(m.value if m else clean_text(text), phrase("cell", cell=ref))
    lines = ctx.admin_lines
    found, final = _admin_sender(lines, catalogue, vocab)
    if found.value or final:
        return found
    for k in range(len(lines) - 1):
        unit = _unit_named(" ".join(t for t, _ in lines[k:]), catalogue)
        if unit:
            return Sender(unit, phrase("admin_block", cell=lines[k][1]))
    if ctx.reference:
        tail = re.split(r"\b(?:của|cua)\b", ctx.reference, flags=re.I)
        if len(tail) > 1:
            m = catalogue.match_unit(tail[-1].strip(" )."))
            if m:
                return Sender(m.value, phrase("line", text=ctx.reference))
    return found


def _admin_sender(lines: list[tuple[str, str]], catalogue: Catalogue, vocab: Vocabulary) -> tuple[Sender, bool]:
    """The issuing office of the admin block, and whether that answer is final.

    Vietnamese documents put the issuing body at the top left (Nghị định 30/2020/NĐ-CP, Phụ lục I):
    the superior body, then the issuing office, in two lines or in one joined by a dash ("UBND
    HUYỆN TAM NÔNG - PHÒNG TÀI CHÍNH - KẾ HOẠCH"). The issuing office is the block's last line
    that names a body (``[document] council`` and ``body`` of ``data/vocabulary.toml``) or a unit;
    its superior the part before the dash, else the line above it. :returns: the office's unit,
    or no sender with the ``doubt`` when its name is no unit of the plan (not final: the lines
    read together or the reference may still tell), when one line can be read as two units, or
    when its superior is another people's committee than the plan's district (final)."""
    named = []
    for text, ref in _continued(lines):
        offices = _offices_in(text, catalogue, vocab)
        if offices or body_line(fold(text), vocab):
            named.append((text, ref, offices))
    if not named:
        return Sender("", ""), False
    text, ref, offices = named[-1]
    if not offices:
        return Sender("", "", phrase("office_not_in_plan", cell=ref, office=text), unknown_office=True), False
    if len({unit for unit, _office, _superior in offices}) > 1:
        said = phrase("or").join(f"«{unit}»" for unit in dict.fromkeys(u for u, _o, _s in offices))
        return Sender("", "", phrase("offices_two_ways", cell=ref, line=text, offices=said)), True
    unit, office, superior = offices[0]
    above = superior or (named[-2][0] if len(named) >= 2 else "")
    if not superior and above and _unit_named(f"{above} {text}", catalogue) == unit:
        above = ""  # one name in two lines ("ỦY BAN NHÂN DÂN" | "XÃ HIỀN QUAN"), not a superior
    if _foreign_superior(above, unit, catalogue, vocab):
        district = catalogue.district_unit
        return Sender(
            "", "", phrase("office_under_other", cell=ref, office=office, superior=above, district=district)
        ), True
    if superior:
        return Sender(unit, phrase("admin_block_office", cell=ref, office=office, superior=superior)), True
    return Sender(unit, phrase("admin_block", cell=ref)), True


def _continued(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The admin block's lines with a line ending in a dash joined to the next ("PHÒNG TÀI CHÍNH -"
    | "KẾ HOẠCH" → "PHÒNG TÀI CHÍNH - KẾ HOẠCH", at the first line's cell)."""
    out: list[tuple[str, str]] = []
    for text, ref in lines:
        if out and out[-1][0].endswith(("-", "–", "—")):
            out[-1] = (f"{out[-1][0]} {text}", out[-1][1])
        else:
            out.append((text, ref))
    return out


def _offices_in(text: str, catalogue: Catalogue, vocab: Vocabulary) -> list[tuple[str, str, str]]:
    """``(unit, office as written, superior as written)`` of each way one admin line names a unit:
    the whole line (the superior ""), or a one-line block split at a dash where both parts name a
    body and the part after it is a unit ("UBND HUYỆN TAM NÔNG - PHÒNG TÀI CHÍNH - KẾ HOẠCH" splits
    only at its first dash: "KẾ HOẠCH" names no body)."""
    unit = _unit_named(text, catalogue) or _unit_named(_region_narrowed(text, catalogue, vocab), catalogue)
    if unit:
        return [(unit, text, "")]
    found = []
    for dash in _DASH.finditer(text):
        superior, office = text[: dash.start()].strip(), text[dash.end() :].strip()
        if not (superior and office and body_line(fold(office), vocab)):
            continue
        if not (body_line(fold(superior), vocab) or _unit_named(superior, catalogue)):
            continue
        unit = _unit_named(office, catalogue)
        if unit:
            found.append((unit, office, superior))
    return found


def _region_narrowed(text: str, catalogue: Catalogue, vocab: Vocabulary) -> str:
    """An office of a region that names the plan's place among its places ("CHI CỤC THỐNG KÊ KHU
    VỰC TAM NÔNG - THANH THỦY": :func:`kpi.domain.places.region_in`) as the plan's office of that
    region ("CHI CỤC THỐNG KÊ KHU VỰC Tam Nông"); "" when the line names no region or the region not
    the plan's place (black-box finding: such a block gave «Cơ quan gửi (không rõ)»; a region of
    other places only is held: :func:`kpi.reading.report_place.elsewhere`)."""
    place = catalogue.meta.get("place", "")
    region = region_in(text, vocab.places)
    if not place or region is None or other_region(region, [place]):
        return ""
    return f"{region.office} {place}"


def _unit_named(text: str, catalogue: Catalogue) -> str | None:
    """The unit ``text`` names, also when it ends with the plan's own district or place ("PHÒNG
    TÀI CHÍNH - KẾ HOẠCH HUYỆN TAM NÔNG", "CÔNG AN HUYỆN TAM NÔNG"; ``plan.toml`` ``district``,
    ``place``)."""
    forms = [text]
    for place in (catalogue.meta.get("district", ""), catalogue.meta.get("place", "")):
        words, drop = clean_text(text).split(" "), clean_text(place).split(" ")
        if place and len(words) > len(drop) and fold(" ".join(words[-len(drop) :])) == fold(place):
            forms.append(" ".join(words[: -len(drop)]).strip(" -–—,"))
    for form in forms:
        m = catalogue.match_unit(form, abbreviated=True)  # «UBND TT HƯNG HÓA»: the town (round 11)
        if m:
            return m.value
    return None


def _foreign_superior(superior: str, unit: str, catalogue: Catalogue, vocab: Vocabulary) -> bool:
    """Whether an office's superior body rules it out as the plan's unit: a unit of the plan other
    than its district, or a people's committee or council that is not the plan's district ("UBND
    HUYỆN THANH SƠN - PHÒNG TÀI CHÍNH - KẾ HOẠCH" is another district's office). The district's own
    superior (the province) and a line agency's (Sở Y tế, Bảo hiểm xã hội tỉnh) never do."""
    district = catalogue.district_unit
    if not superior or unit == district:
        return False
    named = _unit_named(superior, catalogue)
    if named:
        return named != district
    return Vocabulary.any(vocab.council, fold(superior))


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
            return Subject(unit.value, phrase("title", title=excerpt(ctx.title, 120)))
    if not whole:
        for place in _PLACE.finditer(title_f):
            unit = _place_unit(place, catalogue)
            if unit and unit != district:
                return Subject(unit, phrase("title", title=excerpt(ctx.title, 120)))
        for place in _PLACE_NAMED.finditer(title_f):
            if place.group(2).split()[0] not in _NOT_A_PLACE and not unknown[0]:
                unknown = (_original_words(ctx.title, place, 1), ctx.title_cell)
        lines = ctx.admin_lines
        candidates = list(lines) + [(f"{a[0]} {b[0]}", a[1]) for a, b in zip(lines, lines[1:], strict=False)]
        # the office of a one-line block ("HUYỆN TAM NÔNG - UBND XÃ HIỀN QUAN") under the plan's district
        candidates += [
            (office, ref)
            for text, ref in lines
            for unit, office, superior in _offices_in(text, catalogue, vocab)
            if superior and not _foreign_superior(superior, unit, catalogue, vocab)
        ]
        for text, ref in candidates:
            if not re.match(r"^(ubnd|uy ban nhan dan)\b", fold(text)):
                continue
            unit = catalogue.match_unit(text, abbreviated=True)
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
