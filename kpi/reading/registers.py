"""The two registers: the award register (TD02–TD09, :mod:`kpi.reading.awards`) and the
registration list (TD01, :mod:`kpi.reading.registrations`), both opened by
:mod:`kpi.reading.register_open` (header, columns, title, rows). This module keeps the names its
callers import (``kpi.ingest``, the upload page) and the clerk's view of a register's rows
(:func:`labelled_register`).
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pandas as pd

from kpi.config import data_file
from kpi.reading.awards import read_awards
from kpi.reading.register_open import AWARD_COLUMNS, REGISTRATION_COLUMNS, RegisterRead, find_register
from kpi.reading.registrations import read_registrations

__all__ = [
    "AWARD_COLUMNS",
    "COLUMN_LABELS",
    "REGISTRATION_COLUMNS",
    "RegisterRead",
    "find_register",
    "labelled_register",
    "read_awards",
    "read_registrations",
]


#: The Vietnamese heading of each register column, as the clerk's preview shows it (issue 14, item
#: 8: no code name reaches the clerk). ``sheet`` is not shown: a register is read from one sheet.
#: The preview's Vietnamese heading of each register column (data/output.toml, [register_preview]):
#: the clerk never sees a code name such as ``recipient_kind`` (issue 14, item 8).
COLUMN_LABELS: dict[str, str] = tomllib.loads(data_file(None, "output.toml").read_text(encoding="utf-8"))[
    "register_preview"
]["columns"]


_DATE_COLUMNS = ("registered_on", "decision_date")


def labelled_register(table: pd.DataFrame) -> pd.DataFrame:
    """A register as the clerk reads it: the columns of :data:`COLUMN_LABELS` under their
    Vietnamese headings (in the register's order, ``sheet`` left out), dates as dd/mm/yyyy, whole
    numbers without decimals and missing values as "".

    :param table: :data:`AWARD_COLUMNS` or :data:`REGISTRATION_COLUMNS` rows (``read_*().table``).
    :returns: DataFrame of text, one row per register row.
    """
    from kpi.vn import format_date

    shown = pd.DataFrame(index=table.index)
    for column in (c for c in table.columns if c in COLUMN_LABELS):
        values = table[column]
        if column in _DATE_COLUMNS:
            shown[COLUMN_LABELS[column]] = [format_date(v) if isinstance(v, dt.date) else "" for v in values]
        else:
            shown[COLUMN_LABELS[column]] = ["" if pd.isna(v) else str(v) for v in values]
    return shown.reset_index(drop=True)
