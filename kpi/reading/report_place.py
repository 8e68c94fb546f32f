"""A report whose title block names another district or province than the plan's (black-box
finding: «UBND HUYỆN THANH SƠN» above a report was ready to save as Tam Nông's, «mặc định: báo
cáo của toàn huyện»). It is held for the clerk: a wrong district's figures would replace the
district's own. Which place a line names, and whether it is the plan's, is the rule of a plan's
text (:mod:`kpi.domain.places`); the plan's names are its ``plan.toml`` identity, never code.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi.domain.places import other_place, place_forms, places_in
from kpi.domain.plan import Catalogue
from kpi.reading.layout import Vocabulary
from kpi.reading.report_context import Context

__all__ = ["ElsewhereLine", "elsewhere", "plan_place"]

#: The plan's identity fields that name its place (``plan.toml``).
_OURS = ("district", "place", "authority", "province")


@dataclass(frozen=True)
class ElsewhereLine:
    """A line of the title block that names only places other than the plan's."""

    text: str  # the line as written
    cell: str
    place: str  # the first place it names ("huyện Thanh Sơn")


def _title_block(ctx: Context) -> list[tuple[str, str]]:
    """The lines that say who wrote a report and about where: the admin block, the title, the
    "Cơ quan gửi" / "Số liệu của" lines, the "Kèm theo Báo cáo số … của …" line. Never a line
    quoting another document, a "Kính gửi" line or the signature."""
    lines = list(ctx.admin_lines) + list(ctx.title_lines)
    lines += [(str(ctx.metadata[k][0]), ctx.metadata[k][1]) for k in ("sender", "subject") if k in ctx.metadata]
    if ctx.reference:
        lines.append((ctx.reference, ctx.reference_cell))
    return lines


def elsewhere(ctx: Context, catalogue: Catalogue, vocab: Vocabulary) -> ElsewhereLine | None:
    """The first line of the title block (:func:`_title_block`) that names a district or a province
    that is none of the plan's (:func:`kpi.domain.places.other_place`, each place on its own: «HUYỆN
    TAM NÔNG, TỈNH ĐỒNG THÁP» names another province's Tam Nông), or ``None``."""
    words = vocab.places
    ours = [str(catalogue.meta.get(k) or "") for k in _OURS]
    for text, cell in _title_block(ctx):
        for kind, name in places_in(text, (*words.leads, ""), words.kinds, words):
            if other_place(place_forms(kind, name), ours):
                return ElsewhereLine(text, cell, f"{kind} {name}")
    return None


def plan_place(catalogue: Catalogue) -> str:
    """The plan's place as a clerk says it: "huyện Tam Nông, tỉnh Phú Thọ" (``plan.toml``)."""
    return ", ".join(p for p in (catalogue.meta.get("district"), catalogue.meta.get("province")) if p)
