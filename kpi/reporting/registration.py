"""Who has registered for the year's emulation, by block — only when a registration list is loaded.

Black-box finding (December 2026): with no registration list loaded, the emulation page listed
every unit of the blocks as «Chưa đăng ký» in a warning and showed 0/6 per block, as if every unit
had failed to register, while nothing was known. "Loaded" is the report's own decision
(:attr:`kpi.reporting.attainment_report.Report.registration_lists`: an active registration list of
the year), so the page, the overview, the annex and ``python -m kpi report`` say the same: with no
list the registration share (TD01) is «Chưa có số liệu» and no unit gets a verdict.

Units are counted as the registration share is (:func:`kpi.reporting.attainment_report.attainment_report`):
registered on or before the end of the report's quarter (the year's end when no report is
loaded), among the units of the blocks of the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from kpi.reporting.attainment_report import Report, quarter_end
from kpi.storage.figures import registration_status

__all__ = ["RegistrationBlocks", "registration_blocks"]

_UNIT_COLUMNS = ["block", "unit", "registered", "registered_on", "doc_number"]


@dataclass(frozen=True)
class RegistrationBlocks:
    """The registration of the blocks' units for a report's year.

    :ivar lists: file names of the registration lists in use (upload order); empty: none loaded.
    :ivar until: the date registrations are counted up to (the end of the report's quarter).
    :ivar units: DataFrame ``block``, ``unit``, ``registered`` bool, ``registered_on`` date or NaT,
        ``doc_number`` (the plan's order); no rows when no list is loaded (nothing is known).
    :ivar blocks: DataFrame ``block``, ``registered`` int, ``total`` int (the blocks' order); no
        rows when no list is loaded.
    """

    year: int
    lists: tuple[str, ...]
    until: dt.date
    units: pd.DataFrame
    blocks: pd.DataFrame

    @property
    def loaded(self) -> bool:
        return bool(self.lists)

    @property
    def missing(self) -> pd.DataFrame:
        """The units not registered by :attr:`until` (``block``, ``unit``, …); none when not loaded."""
        return self.units[~self.units["registered"].astype(bool)]


def registration_blocks(con: duckdb.DuckDBPyConnection, report: Report) -> RegistrationBlocks:
    """Each block's units and whether they registered for ``report.year`` (see the module)."""
    until = quarter_end(report.year, report.as_of or 4)
    if not report.registration_lists:
        return RegistrationBlocks(
            report.year,
            (),
            until,
            pd.DataFrame(columns=_UNIT_COLUMNS).astype({"registered": bool}),
            pd.DataFrame(columns=["block", "registered", "total"]),
        )
    units = registration_status(con, report.catalogue, report.year, until)
    blocks = (
        units.groupby("block", sort=False)
        .agg(registered=("registered", "sum"), total=("unit", "count"))
        .reset_index()
        .astype({"registered": int, "total": int})
    )
    return RegistrationBlocks(report.year, tuple(report.registration_lists), until, units, blocks)
