"""A report or a register whose title block names another district or province than the plan's
(black-box finding: «UBND HUYỆN THANH SƠN» above a report was ready to save as Tam Nông's, «mặc
định: báo cáo của toàn huyện»; an award list headed «UBND HUYỆN CẨM KHÊ» was stored as the
district's). It is held for the clerk: a wrong district's figures would replace the district's
own, a wrong district's awards would count toward its targets. Which place a line names, and
whether it is the plan's, is the rule of a plan's text (:mod:`kpi.domain.places`); the plan's
names are its ``plan.toml`` identity, never code.

A register's own header is the lines above its header row, read as a report's (the admin block,
the title, the «Kèm theo Quyết định số … của …» line; :func:`kpi.reading.report_context.read_context`):
its award rows, whoever gave each award, are never its header (:func:`register_elsewhere`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi.domain.places import other_place_named, other_region, region_in
from kpi.domain.plan import Catalogue
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import ERROR, Issue, issue, phrase
from kpi.reading.report_context import Context, read_context
from kpi.reading.workbook import Sheet

__all__ = ["ElsewhereLine", "elsewhere", "plan_names", "plan_place", "register_elsewhere"]

#: The plan's identity fields that name its place (``plan.toml``).
_OURS = ("district", "place", "authority", "province")


@dataclass(frozen=True)
class ElsewhereLine:
    """A line of the title block that names only places other than the plan's."""

    text: str  # the line as written
    cell: str
    place: str  # the first place it names ("huyện Thanh Sơn", "khu vực Cẩm Khê - Thanh Ba")


def _title_block(ctx: Context) -> list[tuple[str, str, bool]]:
    """The lines that say who wrote a report and about where, each with whether it names who sent
    it (only there is a region of other places held: «TỶ LỆ THẤT NGHIỆP KHU VỰC THÀNH THỊ» in a
    title is no office's region): the admin block, the title, the "Cơ quan gửi" / "Số liệu của" lines, the "Kèm theo
    Báo cáo số … của …" line. Never a line quoting another document, a "Kính gửi" line or the
    signature."""
    lines = [(t, c, True) for t, c in ctx.admin_lines] + [(t, c, False) for t, c in ctx.title_lines]
    lines += [
        (str(ctx.metadata[k][0]), ctx.metadata[k][1], k == "sender") for k in ("sender", "subject") if k in ctx.metadata
    ]
    if ctx.reference:
        lines.append((ctx.reference, ctx.reference_cell, False))
    return lines


def elsewhere(ctx: Context, catalogue: Catalogue, vocab: Vocabulary) -> ElsewhereLine | None:
    """The first line of the title block (:func:`_title_block`) that names a district or a province
    that is none of the plan's (:func:`kpi.domain.places.other_place`, each place on its own: «HUYỆN
    TAM NÔNG, TỈNH ĐỒNG THÁP» names another province's Tam Nông), or a sender's region of other
    places only (:func:`kpi.domain.places.other_region`: «CHI CỤC THỐNG KÊ KHU VỰC CẨM KHÊ - THANH
    BA»; «… KHU VỰC TAM NÔNG - THANH THỦY» serves the plan's place too, and the places of such a
    region are the plan's on any line: «LIÊN HUYỆN THANH THỦY - TAM NÔNG»), or ``None``."""
    words = vocab.places
    ours = plan_names(catalogue)
    for text, cell, sender in _title_block(ctx):
        region = region_in(text, words)
        away = region is not None and other_region(region, ours)
        if away and sender:
            return ElsewhereLine(text, cell, region.said)
        # the places of the plan's own region are its: «LIÊN HUYỆN THANH THỦY - TAM NÔNG»
        served = region.names if region and not away else ()
        if place := other_place_named(text, ours, words, served):
            return ElsewhereLine(text, cell, place)
    return None


def plan_names(catalogue: Catalogue) -> list[str]:
    """The plan's names of its place (``plan.toml``: district, place, authority, province), the
    ``ours`` of :func:`kpi.domain.places.other_place`."""
    return [str(catalogue.meta.get(k) or "") for k in _OURS]


def plan_place(catalogue: Catalogue) -> str:
    """The plan's place as a clerk says it: "huyện Tam Nông, tỉnh Phú Thọ" (``plan.toml``)."""
    return ", ".join(p for p in (catalogue.meta.get("district"), catalogue.meta.get("province")) if p)


def register_elsewhere(
    sheet: Sheet, header_row: int, catalogue: Catalogue, vocab: Vocabulary
) -> tuple[Issue, tuple[str, str, str]] | None:
    """A register whose own header (the lines above its header row) names another district or
    province (:func:`elsewhere`), held as a report is (``other_place``, lifted by the same choice:
    whose it is, ``--unit``), with the preview's line that says so; ``None`` when it names none.

    :param header_row: the register's header row (0-based), :attr:`kpi.reading.registers.RegisterRead.header_row`.
    """

    def unit_matcher(text):
        m = catalogue.match_unit(text)
        return m.value if m else None

    ctx = read_context(sheet, header_row, sheet.height, vocab, unit_matcher)
    away = elsewhere(ctx, catalogue, vocab)
    if away is None:
        return None
    held = issue(
        ERROR,
        "other_place.register",
        sheet=sheet.name,
        cell=away.cell,
        line=away.text,
        place=away.place,
        ours=plan_place(catalogue),
        district=catalogue.district_unit,
    )
    said = (
        phrase("inferred_register_owner"),
        phrase("unknown"),
        phrase("subject_other_place", place=away.place, cell=away.cell),
    )
    return held, said
