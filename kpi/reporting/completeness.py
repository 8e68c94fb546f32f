"""Who has reported: each reporting unit and period, ``reported``, ``late`` or ``not_due``.

A unit has reported for a period when an active submission names it as its **sender** or its
**subject** for that period (design.md: "from the submissions' senders and subjects"). A period is
due once the reporting deadline after its end has passed — by default 15 days after the quarter's
end (``deadline_days``) — judged at ``today``; a unit that has not reported a due period is late.
The district's own row (UBND huyện) counts its compiled reports.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

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
) -> pd.DataFrame:
    """Reporting status of every unit (the district first, then the blocks' units) per quarter.

    :param quarter: only quarters ≤ this (default: all four).
    :returns: DataFrame ``unit`` str, ``block`` str, ``period`` str ("2024-Q1"), ``status`` str
        (``reported``/``late``/``not_due``), ``status_label`` str, ``submissions`` str (ids).
    """
    catalogue = load_catalogue(con, year)
    today = today or dt.date.today()
    subs = con.execute(
        """
        SELECT submission_id, sender, subject, quarter FROM submissions
        WHERE status = 'active' AND file_kind = 'report' AND year = ?""",
        [year],
    ).fetchdf()
    rows = []
    for unit, block in zip(catalogue.units["unit"], catalogue.units["block"], strict=True):
        for q in range(1, (quarter or 4) + 1):
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
                }
            )
    return pd.DataFrame(rows, columns=["unit", "block", "period", "status", "status_label", "submissions"])
