"""Identify a report: its year, period, document date, sender and subject, each from the best
evidence or the user's choice, with the issues that hold or refuse the file (the second step of
:func:`kpi.reading.report_sheets.read_report`, after the lines around the table are read).

The rules themselves are in :mod:`kpi.reading.report_period` (period signals, impossible periods
and dates) and :mod:`kpi.reading.report_subject` (sender, subject); this module runs them in the
order a clerk reads the issues and writes the preview's lines.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from kpi.domain.plan import Catalogue
from kpi.reading.checks import DECISIONS
from kpi.reading.layout import TableLayout, find_table, header_fold
from kpi.reading.messages import ERROR, INFO, WARNING, Issue, issue, phrase
from kpi.reading.options import ImportOptions
from kpi.reading.report_period import (
    bare_column_kind,
    check_dates,
    choose_period,
    impossible_periods,
    infer_year,
    off_quarter_periods,
    signals,
)
from kpi.reading.report_place import elsewhere, plan_place
from kpi.reading.report_subject import Subject, closest_units, sender_of, subject_of
from kpi.reading.workbook import Sheet
from kpi.vn import fold, int_to_roman, period_words

__all__ = ["Identity", "identify", "inferred_lines"]


@dataclass(frozen=True)
class Identity:
    """What a report is, each with how it was found (the preview's "Xác định từ")."""

    layout: TableLayout  # read again knowing the year
    year: int | None
    year_how: str
    quarter: int | None
    period_how: str
    sender: str
    sender_how: str
    subject: str
    subject_how: str
    estimate: bool  # the title says the whole report is an estimate ("Ước thực hiện …")
    subject_held: bool = False  # whose figures waits for the user's choice: the preview says "không rõ"


_ESTIMATE_TITLE = re.compile(r"^\(?\s*(uoc|du kien)\b|\buoc (tinh|thuc hien|th)\b")


def identify(sheet, ctx, layout, catalogue, vocab, options, issues: list[Issue], unit_matcher) -> Identity:
    """Year, period, document date, sender and subject from the best evidence (or the user's
    choices), with the issues that hold or refuse the file, in the order a clerk reads them."""
    before = signals(ctx, layout, vocab, None)
    year, year_how = infer_year(ctx, layout, options.year, options.period_parts, before)
    if year and not options.mapping:
        # knowing the year, another year's columns are last year's figures or ignored
        relaid = find_table(sheet, vocab, year, unit_matcher=unit_matcher)
        if relaid is not None:
            layout = relaid
    impossible = impossible_periods(ctx, catalogue.year)  # read once: the period and the year both need it
    found = signals(ctx, layout, vocab, year)
    year, quarter, period_how = _period(sheet.name, found, options, year, issues, bool(impossible))
    year_impossible = _year_issues(sheet.name, impossible, catalogue, options, year, issues)
    layout = _bare_actuals(sheet.name, ctx, layout, vocab, options, quarter, issues)
    if off_quarter := _off_quarter_issues(sheet.name, ctx, layout, vocab, options, issues):
        period_how = phrase("period_held", what=off_quarter)  # not «tiêu đề … chỉ ghi năm (báo cáo năm)»
    date_chosen = _decide_date(ctx, options)
    checked_year = None if year_impossible else year
    issues.extend(check_dates(ctx.doc_date, checked_year, ctx.doc_date_cell, sheet.name, date_chosen))
    sender = sender_of(ctx, catalogue, options.sender, vocab)
    subject = _subject(sheet.name, ctx, catalogue, vocab, options, issues)
    # held for another place (other_place): the sender's doubt is the same fact, said there
    held_elsewhere = any(i.code == "other_place" for i in issues)
    subject = _commune_sender_subject(sender, subject, catalogue, options)
    if _office_unknown_for_district(sheet.name, sender, subject, catalogue, options, issues, held_elsewhere):
        subject = dataclasses.replace(subject, how=phrase("subject_held"))
    elif not sender.value and sender.doubt and not held_elsewhere:
        issues.append(issue(WARNING, "no_sender.doubt", sheet=sheet.name, doubt=sender.doubt))
    elif not sender.value and not held_elsewhere:
        issues.append(issue(WARNING, "no_sender", sheet=sheet.name))
    _date_issues(sheet.name, ctx, date_chosen, issues)
    estimate = bool(_ESTIMATE_TITLE.search(fold(ctx.title)))
    held = any(DECISIONS.get(i.code) == "subject" for i in issues)
    return Identity(
        layout,
        year,
        year_how,
        quarter,
        period_how,
        sender.value,
        sender.how,
        subject.value,
        subject.how,
        estimate,
        held,
    )


def _period(
    sheet_name: str, found, options: ImportOptions, year: int | None, issues: list[Issue], impossible: bool = False
):
    """(year, quarter, how): the period chosen at upload (warned when the file says another), else
    the one the signals give (:func:`~kpi.reading.report_period.choose_period`); none → error,
    unless the file writes a period that cannot exist ("Quý V": held as ``impossible_period``,
    which "no period found" would contradict)."""
    if options.period_parts:
        year, quarter = options.period_parts
        auto_q, auto_how = choose_period(found, [], sheet_name)
        if auto_q and auto_q != quarter:
            issues.append(
                issue(WARNING, "period_overridden", sheet=sheet_name, quarter=quarter, found=auto_q, source=auto_how)
            )
        return year, quarter, phrase("chosen")
    quarter, period_how = choose_period(found, issues, sheet_name)
    if quarter is None and not impossible and not any(i.code == "period_conflict" for i in issues):
        issues.append(issue(ERROR, "no_period", sheet=sheet_name))
    return year, quarter, period_how


def _year_issues(sheet_name: str, impossible, catalogue: Catalogue, options: ImportOptions, year, issues) -> bool:
    """No year, a year without a plan, a period that cannot exist (held unless a period was
    chosen). :returns: whether the year itself cannot be meant ("Quý I/2099"): it is then held,
    not sent to load its plan."""
    year_impossible = year is not None and phrase("year_named", year=year) in [what for what, _w, _c in impossible]
    if year is None:
        issues.append(issue(ERROR, "no_year", sheet=sheet_name))
    elif year != catalogue.year and not year_impossible:
        issues.append(issue(ERROR, "no_plan_year", sheet=sheet_name, year=year, plan_year=catalogue.year))
    for what, where, cell in impossible:
        if options.period_parts:
            issues.append(
                issue(WARNING, "impossible_period.chosen", sheet=sheet_name, cell=cell, where=where, what=what)
            )
        else:
            issues.append(
                issue(
                    ERROR,
                    "impossible_period",
                    sheet=sheet_name,
                    cell=cell,
                    where=where,
                    what=what,
                    plan_year=catalogue.year,
                )
            )
    return year_impossible


#: A quarter named in a header without its number («Thực hiện quý», «Ước TH quý»): the quarter's own.
_QUARTER_WORD = re.compile(r"\b(quy|q)\b")


def _bare_actuals(sheet_name: str, ctx, layout: TableLayout, vocab, options: ImportOptions, quarter, issues):
    """A figure column whose header names no period («Thực hiện», «TH», «Thực hiện kỳ»), in a
    table without a year-to-date column, holds the figures of the period the file names
    (:func:`~kpi.reading.report_period.period_named_as`): months from the year's start («9 tháng»,
    «đến 30/9», a year report) make it the year to date, a quarter («Quý III») the quarter's own.
    A file naming both («quý III và 9 tháng») is held for the clerk (``actual_unclear``, ``--actual``)
    from the second quarter on (in the first both are one figure); never guessed: for a flow, nine
    months taken for a quarter's amount adds them again on top of the half year.

    :returns: the layout with those columns' kind set (the preview says what they were read as).
    """
    bare = [
        c
        for c in layout.value_columns
        if c.kind == "quarter" and c.quarter is None and not _QUARTER_WORD.search(header_fold(c.header))
    ]
    if not bare or quarter is None or options.mapping:
        return layout
    if any(c.kind == "ytd" for c in layout.value_columns):  # «Thực hiện kỳ | Lũy kế»: the period's own
        return layout
    kind, unclear = bare_column_kind(ctx, vocab, quarter, options.actual)
    if unclear:
        headers = ", ".join(f"{c.letter} «{c.header}»" for c in bare)
        issues.append(issue(ERROR, "actual_unclear", sheet=sheet_name, columns=headers, quarter=int_to_roman(quarter)))
    if kind is None:
        return layout
    chosen = {c.index: dataclasses.replace(c, kind=kind, quarter=quarter) for c in bare}
    return dataclasses.replace(layout, columns=tuple(chosen.get(c.index, c) for c in layout.columns))


def _off_quarter_issues(sheet_name: str, ctx, layout, vocab, options: ImportOptions, issues: list[Issue]) -> str:
    """A period that is no quarter's («tháng 10», «Lũy kế 11 tháng», «6 tháng cuối năm», «đợt 1»:
    :func:`~kpi.reading.report_period.off_quarter_periods`): held until the clerk chooses the quarter
    (``period_not_quarter``); said only, once chosen. :returns: the first such words while held, else ""."""
    found = off_quarter_periods(ctx, layout, vocab)
    for what, where, cell in found:
        at = {"sheet": sheet_name, "cell": cell, "where": where, "what": what}
        if options.period_parts:
            issues.append(issue(WARNING, "period_not_quarter.chosen", **at))
        else:
            issues.append(issue(ERROR, "period_not_quarter", **at))
    return found[0][0] if found and not options.period_parts else ""


def _decide_date(ctx, options: ImportOptions) -> bool:
    """The document date decided at upload replaces the file's; :returns: whether one was."""
    if not options.doc_date:
        return False
    ctx.doc_date, ctx.doc_date_cell = options.chosen_doc_date, ""
    ctx.doc_date_source = phrase("chosen") if ctx.doc_date else phrase("chosen_undated")
    return True


def _subject(sheet_name: str, ctx, catalogue: Catalogue, vocab, options: ImportOptions, issues) -> Subject:
    """Whose figures (:func:`~kpi.reading.report_subject.subject_of`); a title block naming another
    district or province (:func:`~kpi.reading.report_place.elsewhere`), two subjects said, or a
    name that is no unit, hold the file for the user's choice."""
    found = subject_of(ctx, catalogue, options.subject, vocab)
    away = None if options.subject else elsewhere(ctx, catalogue, vocab)
    if away:
        issues.append(
            issue(
                ERROR,
                "other_place",
                sheet=sheet_name,
                cell=away.cell,
                line=away.text,
                place=away.place,
                ours=plan_place(catalogue),
            )
        )
        return dataclasses.replace(found, how=phrase("subject_other_place", place=away.place, cell=away.cell))
    if found.conflict:
        issues.append(
            issue(ERROR, "subject_conflict", sheet=sheet_name, cell=found.unknown_ref, conflict=found.conflict)
        )
    if found.unknown:
        closest = closest_units(found.unknown, catalogue)
        issues.append(
            issue(
                ERROR,
                "unknown_subject",
                sheet=sheet_name,
                cell=found.unknown_ref,
                name=found.unknown,
                plan_year=catalogue.year,
                closest=closest,
            )
        )
    if found.unknown or found.conflict:  # held: the preview says it is not known, not "the district by default"
        return dataclasses.replace(found, how=phrase("subject_held"))
    return found


def _commune_sender_subject(sender, subject, catalogue: Catalogue, options: ImportOptions):
    """A commune that sends a report sends its own figures: when nothing else said whose (the
    district only by default), the subject is the sending commune (round 12: «Đơn vị báo cáo: UBND
    xã Tề Lễ» read as the sender, and its figures as the district's — CT01 99,9, 3,03 %). An office
    (Phòng …) reports the district's figures, as before."""
    if options.subject or not sender.value or subject.how != phrase("whole_district"):
        return subject
    kind = catalogue.units.loc[catalogue.units["unit"] == sender.value, "kind"]
    if kind.empty or kind.iloc[0] != "commune":
        return subject
    return dataclasses.replace(subject, value=sender.value, how=phrase("subject_is_sender", how=sender.how))


def _office_unknown_for_district(
    sheet_name: str, sender, subject, catalogue: Catalogue, options: ImportOptions, issues, held_elsewhere: bool
) -> bool:
    """An issuing office that is no unit of the plan («BAN QUẢN LÝ DỰ ÁN …», an abbreviation not
    known) over a report whose subject is only the district by default: its figures may be the
    office's own, and read as the district's they would replace the district's (round 11: a project
    board's 412,7 and a town's 152,3 replaced the district's 2.480,0, under a warning). Held
    (``office_unknown_subject``) until the clerk says whose figures; :returns: whether it was."""
    if sender.value or not sender.unknown_office or held_elsewhere or options.subject:
        return False
    if subject.value != catalogue.district_unit or subject.how != phrase("whole_district"):
        return False
    issues.append(issue(ERROR, "office_unknown_subject", sheet=sheet_name, doubt=sender.doubt))
    return True


def _date_issues(sheet_name: str, ctx, date_chosen: bool, issues: list[Issue]) -> None:
    """Stored undated by choice (info), no date at all (warning), two dates that differ (info)."""
    if ctx.doc_date is None and date_chosen:
        issues.append(issue(INFO, "doc_date_undated", sheet=sheet_name))
    elif ctx.doc_date is None:
        issues.append(issue(WARNING, "no_doc_date", sheet=sheet_name))
    elif ctx.signature_date and ctx.signature_date != ctx.doc_date and not date_chosen:
        issues.append(issue(INFO, "two_dates", sheet=sheet_name, date=ctx.doc_date, signed=ctx.signature_date))


def inferred_lines(sheet: Sheet, ctx, found: Identity) -> list[tuple[str, str, str]]:
    """The preview's (what, value, how) lines of what was identified."""
    year, quarter = found.year, found.quarter
    doc_date = ctx.doc_date.strftime("%d/%m/%Y") if ctx.doc_date else phrase("none")
    lines = [
        (phrase("inferred_sheet"), sheet.name, ""),
        (phrase("inferred_title"), ctx.title or phrase("none"), ctx.title_cell),
        (phrase("inferred_header_rows"), phrase("header_rows", rows=found.layout.header_range), ""),
        (phrase("inferred_year"), str(year or "?"), found.year_how),
        (phrase("inferred_period"), period_words(f"{year}-Q{quarter}") if quarter and year else "?", found.period_how),
        (phrase("inferred_sender"), found.sender or phrase("unknown"), found.sender_how),
        (phrase("inferred_subject"), phrase("unknown") if found.subject_held else found.subject, found.subject_how),
        (phrase("inferred_doc_date"), doc_date, ctx.doc_date_source),
        (phrase("inferred_doc_number"), ctx.doc_number or phrase("none"), ""),
    ]
    for cited in ctx.cited:  # another document the file quotes: said, never taken as its own
        said = f"{cited.words} ngày {cited.date:%d/%m/%Y}" if cited.date else cited.words
        lines.append((phrase("inferred_cited"), said, phrase("cited_not_own", cell=cited.cell)))
    if ctx.unit_note:
        lines.append((phrase("inferred_unit_note"), ctx.unit_note, ctx.unit_note_cell))
    return lines
