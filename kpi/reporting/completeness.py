"""Who has reported: each reporting unit and period, ``reported``, ``late`` or ``not_due``.

A unit has reported for a period when an active submission names it as its **sender** or its
**subject** for that period (design.md: "from the submissions' senders and subjects"). A period is
due once the reporting deadline after its end has passed — by default 15 days after the quarter's
end (``deadline_days``) — judged at ``today``; a unit that has not reported a due period is late.
The district's own row (UBND huyện) counts its compiled reports.

Only the units that owe a report are listed, and only for the quarters they owe
(:mod:`kpi.reporting.obligations`: the plan's ``obligations.csv``, else the units that have reported before;
issue 14, item 9). :attr:`kpi.reporting.obligations.Obligations.rule` states the rule in words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from kpi.reporting.obligations import Obligations, obligations
from kpi.storage.catalogue import load_catalogue

__all__ = ["completeness", "COMPLETENESS_LABELS"]

COMPLETENESS_LABELS = {"reported": "Đã báo cáo", "late": "Chậm báo cáo", "not_due": "Chưa đến hạn"}


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def completeness(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int | None = None,
    today: dt.date | None = None,
    deadline_days: int = 15,
    data_dir: Path | None = None,
    owed: Obligations | None = None,
) -> pd.DataFrame:
    """Reporting status of every unit that owes a report (the district first, then the blocks'
    units) per quarter it owes.

    :param quarter: only quarters ≤ this (default: all four).
    :param data_dir: where the plan's ``obligations.csv`` is looked for (default: the project's
        data folder); ``owed`` given instead is used as it is.
    :returns: DataFrame ``unit`` str, ``block`` str, ``period`` str ("2024-Q1"), ``status`` str
        (``reported``/``late``/``not_due``), ``status_label`` str, ``submissions`` str (ids),
        ``indicators`` str (the keys it owes, "CT01, CT02, …").
    :raises kpi.errors.PlanError: the obligations file is wrong (:func:`kpi.reporting.obligations.obligations`).
    """
    catalogue = load_catalogue(con, year)
    owed = owed or obligations(con, year, data_dir)
    today = today or dt.date.today()
    subs = con.execute(
        """
        SELECT submission_id, sender, subject, quarter FROM submissions
        WHERE status = 'active' AND file_kind = 'report' AND year = ?""",
        [year],
    ).fetchdf()
    rows = []
    for unit, block in _owing_units(catalogue, owed):
        for q in (q for q in owed.quarters_of(unit) if q <= (quarter or 4)):
            mine = subs[(subs["quarter"] == q) & ((subs["sender"] == unit) | (subs["subject"] == unit))]
            if len(mine):
                status = "reported"
            elif today > _quarter_end(year, q) + dt.timedelta(days=deadline_days):
                status = "late"
            else:
                status = "not_due"
            rows.append(
                {
                    "unit": unit,
                    "block": block,
                    "period": f"{year}-Q{q}",
                    "status": status,
                    "status_label": COMPLETENESS_LABELS[status],
                    "submissions": ", ".join(f"#{i}" for i in mine["submission_id"]),
                    "indicators": ", ".join(owed.keys_of(unit)),
                }
            )
    columns = ["unit", "block", "period", "status", "status_label", "submissions", "indicators"]
    return pd.DataFrame(rows, columns=columns)


def _owing_units(catalogue, owed: Obligations) -> list[tuple[str, str]]:
    """(unit, block) of the units that owe something: the plan's units in their order, then any
    other unit that has reported before (block "")."""
    plan = dict(zip(catalogue.units["unit"], catalogue.units["block"], strict=True))
    owing = set(owed.owed["unit"])
    listed = [(u, b) for u, b in plan.items() if u in owing]
    return listed + [(u, "") for u in dict.fromkeys(owed.owed["unit"]) if u not in plan]
