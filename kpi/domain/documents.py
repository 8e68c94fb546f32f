"""Which stored document a quoted one is: a report says it replaces «Báo cáo số 45/BC-TCKH ngày
08/4/2024» (:class:`kpi.reading.report_context.Cited`), a stored report carries its own number and
date (``submissions.doc_number``, ``doc_date``). One rule for the preview's look-up
(:mod:`kpi.ingest_replaced`), the supersede decision (:func:`kpi.ingest_history.decide`) and the
history of the Dữ liệu page (:mod:`kpi.storage.replaced`)."""

from __future__ import annotations

import datetime as dt
import re

from kpi.vn import fold

__all__ = ["number_key", "same_document", "same_number"]


def number_key(number: object) -> str:
    """A document number as compared: folded (case and diacritics: «QĐ» and «QD» are one), without
    spaces and without the punctuation around it — «45 / BC-TCKH.» → ``"45/bc-tckh"``; "" for none."""
    if number is None or (isinstance(number, float) and number != number):
        return ""
    return re.sub(r"\s+", "", fold(str(number))).strip(".,;:-()")


def same_number(quoted: object, stored: object) -> bool:
    """Whether two document numbers are one (:func:`number_key`); an empty one is no number."""
    key = number_key(quoted)
    return bool(key) and key == number_key(stored)


def same_document(quoted_number: object, quoted_date: dt.date | None, number: object, date: dt.date | None) -> bool:
    """Whether the document quoted as ``quoted_number`` of ``quoted_date`` is the stored one of
    ``number`` and ``date``: the same number (:func:`same_number`), and the same date when both
    give one — a quote without a date, or a report stored without one, is told by its number (the
    caller keeps such a look-up within the file's year: numbers start again each year)."""
    if not same_number(quoted_number, number):
        return False
    return quoted_date is None or date is None or quoted_date == date
