"""The choices a user (or the command line) makes for one file: period, year, subject, sender,
sheet, mapping, document date, kind… Stored in the import log so ``rebuild`` reproduces the result;
:mod:`kpi.reading.report_sheets` re-exports :class:`ImportOptions` where its callers find it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["ImportOptions", "NO_DATE_WORDS"]

_PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class ImportOptions:
    """Choices a user (or the command line) makes for one file; stored in the import log so
    ``rebuild`` reproduces the result.

    :ivar period: "2024-Q1" … "2024-Q4" overrides the inferred period.
    :ivar subject: the reporting unit the figures describe (``--unit``).
    :ivar sheet: the sheet to read instead of the best one found.
    :ivar mapping: for an unrecognised layout: ``{"header_row": int (1-based), "name": "B",
        "unit": "C" | None, "values": {"E": {"kind": "quarter", "quarter": 1, "vintage":
        "official"}, …}}``; for a register whose headings were not found, its own layout:
        ``{"register": "registrations" | "awards", "header_row": int, "columns": {"unit": "B",
        "registration_doc": "C", …}}`` (:func:`kpi.reading.register_open.given_register`).
    :ivar strict: warnings refuse the file too.
    :ivar doc_date: the document date decided by the user when the file's is impossible
        (:func:`check_dates`): "2024-04-05", or "none" to store the file as undated (it then ranks
        below every dated version). Replaces the date read from the file.
    :ivar kind: the file's kind chosen by the clerk when the evidence does not settle it
        (:mod:`kpi.file_kind`); only that kind's reader is tried.
    :ivar accept_unmatched: store a file held for rows that count toward nothing.
    :ivar register_as: for a register that would replace the list in use without its title saying
        whether it is a correction or a supplement (:mod:`kpi.ingest_registers`): ``replace`` (the
        full list again) or ``supplement`` (added beside the lists in use).
    :ivar correction: for a report that would replace the version in use of its series while
        lacking figures that version has (:func:`kpi.ingest_history.correction_gaps`): ``partial``
        (stored beside the version in use; per figure the later document wins) or ``whole`` (it
        replaces the version in use; the figures it lacks are no longer used, kept in history).
    :ivar scale: for a report with a figure about 100× or 1000× off its target
        (:func:`kpi.domain.rules.scale_suspect`): ``as_written`` (stored as the file writes it) or
        ``fraction`` (a share written as a fraction without its % format: ×100, as a %-formatted
        cell is read) or ``divide_1000`` (figures written in a unit 1000× smaller than the plan's,
        triệu đồng under «tỷ đồng»: ÷1000), or ``fraction+divide_1000`` (both, each on the figures
        it applies to: a file with a share as a fraction and money in triệu).
    :ivar ratios: for a report whose own ratio columns («% so KH») disagree with its figures
        (:mod:`kpi.reading.ratios`: perhaps a shifted column): ``as_written`` stores the figures as
        the file writes them (a warning stays).
    :ivar use_columns: for a report with two columns of one meaning that disagree
        (:mod:`kpi.reading.same_meaning`): the letter of the column that counts, one per such
        group (the others are not stored).
    :ivar replaced: for a report that says it replaces a report stored as another unit's or
        another period's (:mod:`kpi.ingest_replaced`): ``unlinked`` stores it all the same, not as
        the replacement of that report (a warning stays).
    :ivar reinstate: the original sent again after a correction that says it replaces it
        (:func:`kpi.ingest_history.decide`): use it again, replacing the correction; without it
        the original is kept as history only.
    :ivar actual: for a report whose figure column names no period («Thực hiện») under a title naming
        both a quarter and months from the year's start («quý III và 9 tháng»): ``quarter`` (the
        quarter's own figures) or ``ytd`` (from the year's start).
    """

    period: str | None = None
    year: int | None = None
    subject: str | None = None
    sender: str | None = None
    sheet: str | None = None
    mapping: dict | None = None
    strict: bool = False
    doc_date: str | None = None
    kind: str | None = None  # "report" | "awards" | "registrations": the clerk's choice (issue 13)
    accept_unmatched: bool = False  # store although rows count toward nothing (issue 13)
    register_as: str | None = None  # "replace" | "supplement": the clerk's choice (kpi.ingest_registers)
    correction: str | None = None  # "partial" | "whole": the clerk's choice (kpi.ingest_history)
    scale: str | None = None  # "as_written" | "fraction" | "divide_1000" | "fraction+divide_1000" (kpi.reading.checks)
    ratios: str | None = (
        None  # "as_written": the file's own ratios disagree, its figures are right (kpi.reading.ratios)
    )
    replaced: str | None = None  # "unlinked": the report it names is another unit's or period's (kpi.ingest_replaced)
    reinstate: bool = False  # the original sent again replaces the correction that replaced it
    use_columns: tuple[str, ...] | None = None  # kpi.reading.same_meaning: the columns that count
    actual: str | None = None  # "quarter" | "ytd": a bare «Thực hiện» column (kpi.reading.report_identity)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}

    @classmethod
    def from_dict(cls, raw: dict | None) -> ImportOptions:
        raw = raw or {}
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})

    @property
    def period_parts(self) -> tuple[int, int] | None:
        if not self.period:
            return None
        m = _PERIOD_RE.match(self.period.strip().upper())
        if not m:
            raise ValueError(self.period)
        return int(m.group(1)), int(m.group(2))

    @property
    def chosen_doc_date(self) -> dt.date | None:
        """The decided document date (``None`` for "none": undated); only when ``doc_date`` is set.

        :raises ValueError: neither YYYY-MM-DD nor "none".
        """
        text = (self.doc_date or "").strip().casefold()
        if text in NO_DATE_WORDS:
            return None
        return dt.date.fromisoformat(text)


#: What a user types for "store it without a document date" (``--document-date none``).
NO_DATE_WORDS = ("none", "khong", "không")
