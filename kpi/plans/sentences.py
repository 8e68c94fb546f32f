"""The plan's own sentence for each target of a stored plan that was loaded without them.

A plan confirmed from its document keeps, for each target, the clause it was read from
(``indicators.source_text``, shown as «Câu trong kế hoạch» on the plan page). A plan seeded from a
data folder (``data/plans/<year>/indicators.csv``) has no such column, though its ``plan.toml``
names the plan's own text, kept with it in ``plan_documents`` (black-box: the column was empty for
every target of the seed plan). :func:`fill_source_texts` reads that document with the same parser
as an upload (:func:`kpi.plans.parse.parse_plan`) against the year's own catalogue and writes each
matched key's clause. Only years none of whose targets has a sentence are read, so a plan confirmed
from a document, or one an admin edited since, is left as it is; a key matched only by word overlap
(``similar``, flagged for review on an upload) gets no sentence.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kpi.plans.parse import parse_plan, plan_vocabulary
from kpi.plans.text import text_document
from kpi.storage.catalogue import load_catalogue
from kpi.storage.database import bump_plan_version

__all__ = ["fill_source_texts"]

#: How a key matched that is trusted to name the target's own clause (``similar`` is a guess).
_TRUSTED = ("exact", "alias", "loose", "folded", "award")


def fill_source_texts(con: duckdb.DuckDBPyConnection, data_dir: Path | None = None) -> list[int]:
    """Write the plan's sentence into each target of every year whose stored plan has none at all
    and that keeps its plan document (its newest version). Runs in the caller's transaction; bumps
    the plan version when it wrote anything.

    :returns: the years given sentences.
    """
    years = [
        int(r[0])
        for r in con.execute(
            "SELECT year FROM indicators GROUP BY year HAVING max(length(coalesce(source_text, ''))) = 0 "
            "INTERSECT SELECT year FROM plan_documents ORDER BY year"
        ).fetchall()
    ]
    filled = []
    for year in years:
        file_name, text = con.execute(
            "SELECT file_name, text FROM plan_documents WHERE year = ? ORDER BY version DESC LIMIT 1", [year]
        ).fetchone()
        if not text:
            continue
        proposal = parse_plan(
            text_document(text, file_name or ""), load_catalogue(con, year), plan_vocabulary(data_dir)
        )
        sentences: dict[str, str] = {}
        for target in proposal.targets:
            if target.key and target.match in _TRUSTED and target.source_text:
                sentences.setdefault(target.key, target.source_text)
        for key, sentence in sentences.items():
            con.execute(
                "UPDATE indicators SET source_text = ? WHERE year = ? AND key = ? AND coalesce(source_text, '') = ''",
                [sentence, year, key],
            )
        if sentences:
            filled.append(year)
    if filled:
        bump_plan_version(con)
    return filled
