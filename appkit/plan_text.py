"""The plan page's proposal as a phone shows it: one block per proposed target, as the product's
other phone lists (:func:`appkit.text.summary_list`), where its grid scrolled «Khớp mã» and the
notes sideways (black-box, 390 px)."""

from __future__ import annotations

import pandas as pd

from appkit.text import md
from kpi.plans.source import DIRECTION_WORDS


def proposal_lines(frame: pd.DataFrame) -> str:
    """The proposal's rows (:func:`kpi.plans.source.editor_frame`, as edited, «Khớp mã» in words):
    one Markdown item per target, "**Mã · name** — figure unit — direction — match", its note on
    the next line. A part that is empty is left out (never a dash)."""

    def cell(r: dict, column: str) -> str:
        value = r.get(column)
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()

    items = []
    for r in frame.to_dict("records"):
        if not (cell(r, "name") or cell(r, "target")):
            continue
        head = " · ".join(md(x) for x in (cell(r, "key"), cell(r, "name")) if x)
        figure = "\u00a0".join(md(x) for x in (cell(r, "target"), cell(r, "unit")) if x)  # one line
        direction = DIRECTION_WORDS.get(cell(r, "direction"), cell(r, "direction"))
        parts = [f"**{head}**", figure, md(direction), md(cell(r, "match"))]
        item = "- " + " — ".join(p for p in parts if p)
        if cell(r, "note"):
            item += f"  \n  *{md(cell(r, 'note'))}*"
        items.append(item)
    return "\n".join(items)
