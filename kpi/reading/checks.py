"""Problems found in a file, and the rules that find them.

Every problem is an :class:`Issue` with its sheet and cell, what is wrong and what to do, in
Vietnamese. Readers collect *all* issues of a file in one pass (pandera's lazy validation): a
clerk fixes the file once. Severity ``error`` refuses the whole file; ``warning`` is stored with
the file and shown; ``info`` only explains what was inferred.

Figure rules (:func:`check_figures`), from design.md and the issue on the meaning of figures; the
thresholds, each with its reason, are :mod:`kpi.domain.rules`' (``LARGEST``, ``SHARE_MAX``,
:func:`~kpi.domain.rules.scale_suspect`):

* a figure of ``LARGEST`` (10^15) or more, or not finite — error: no figure of a plan is that
  large (a country's GDP is about 10^7 tỷ đồng, its people about 10^8), and beyond 2^53 ≈ 9·10^15 a
  DOUBLE no longer holds every whole number, so storing it would change it;
* a share (unit %) above 100 — error; a negative figure — error;
* a count (khu, tập thể, cá nhân) that is not a whole number — error;
* a figure about 100× or 1000× its target (a fraction typed without its % format, triệu written
  for tỷ) — held for a decision (``scale_unclear``, black-box finding: 0,95 in a "%" row was stored
  with only a warning): ``scale="as_written"`` stores it as written (then a warning, ``scale``),
  ``scale="fraction"`` multiplies a share's fractions by 100 first (:func:`fractions_as_percent`,
  as a %-formatted cell is read), ``scale="divide_1000"`` divides figures written in a unit 1000×
  smaller (:func:`thousandfold_divided`: triệu đồng under «tỷ đồng»); never a silent rescale;
* a plan column that differs from the catalogue's target after rounding half-up to the target's
  decimals — warning.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kpi.config import DATA_DIR
from kpi.domain.plan import Catalogue, Indicator, unit_nature
from kpi.domain.rules import LARGEST, SHARE_MAX, reads_as_fraction, reads_as_thousandfold, scale_suspect
from kpi.reading.messages import ERROR, INFO, WARNING, Issue, issue, message
from kpi.vn import format_number, round_half_up, short_number, to_decimal

__all__ = [
    "Issue",
    "ERROR",
    "WARNING",
    "INFO",
    "LARGEST",
    "DECISIONS",
    "check_figures",
    "fractions_as_percent",
    "scale_offered",
    "thousandfold_divided",
]

#: Errors that hold a file for a person's decision rather than refuse it for good: the facts
#: cannot be true or are said two ways, and a choice at upload lifts them — on the upload page a
#: box of the preview, on the command line an option — code → what is chosen: ``subject``
#: (``--unit``), ``period`` (``--period``) or ``doc_date`` (``--document-date``). Everything else
#: of severity ``error`` needs the file fixed. See :mod:`kpi.reading.report_sheets` for the rules.
DECISIONS = {
    "unknown_subject": "subject",
    "office_unknown_subject": "subject",
    "district_plan_far": "subject",  # kpi.reading.report_sheets: a commune's plan in a file read as the district's  # kpi.reading.report_identity: an office no unit, --unit
    "subject_conflict": "subject",
    "other_place": "subject",  # report_place: the title block names another district or province
    "no_period": "period",
    "period_conflict": "period",
    "period_contradiction": "period",
    "impossible_period": "period",
    "period_not_quarter": "period",  # kpi.reading.report_period.off_quarter_periods: --period
    "actual_unclear": "actual",  # kpi.reading.report_identity._bare_actuals: --actual quarter|ytd
    "doc_date_future": "doc_date",
    "doc_date_before_year": "doc_date",
    "kind_unclear": "kind",  # kpi.file_kind (issue 13): --kind
    "unmatched_held": "accept_unmatched",  # kpi.file_kind (issue 13): --accept-unmatched
    "no_achievement_year": "year",  # kpi.registers (issue 13): --year
    "register_scope_unclear": "register_as",  # kpi.ingest_registers: --register-as replace|supplement
    "correction_scope_unclear": "correction",  # kpi.ingest_history: --correction partial|whole
    "scale_unclear": "scale",  # check_figures: --scale as-written|fraction
    "ratio_mismatch": "ratios",  # kpi.reading.ratios: --ratios as-written
    "same_meaning_differ": "use_columns",  # kpi.reading.same_meaning: --use-column LETTER
    "replaced_other_unit": "replaced",  # kpi.ingest_replaced: --unit, or --replaced unlinked
    "replaced_other_period": "replaced",  # kpi.ingest_replaced: --period, or --replaced unlinked
}


class _Shown:
    """A figure formatted vi-VN only when a message needs it: every figure a message quotes
    passes here, so a huge one is shortened in this one place (:func:`kpi.vn.short_number`:
    "số quá lớn (309 chữ số, …)", never 309 digits)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __format__(self, spec: str) -> str:
        return short_number(self.value)

    def __str__(self) -> str:
        return short_number(self.value)


def _written_or(text: object, shown: _Shown) -> str:
    """The cell's own text when it is a long digit string (a float would have rounded it), cut
    past 60 characters ("100000000000000… (401 ký tự)"); else the figure vi-VN, shortened."""
    written = text.strip() if isinstance(text, str) else ""
    if 15 < len(written) <= 60:
        return written
    if len(written) > 60:
        return f"{written[:15]}… ({format_number(len(written))} ký tự)"
    return str(shown)


def fractions_as_percent(observations: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The clerk's ``scale="fraction"``: every share's figure that reads as a fraction
    (:func:`kpi.domain.rules.reads_as_fraction`; not the file's copy of the plan) × 100 in decimal
    arithmetic, noted — as a %-formatted cell is read (:mod:`kpi.reading.report_rows`).

    :returns: a copy of ``observations`` (same columns).
    """
    return _rescaled(observations, catalogue, "fraction", Decimal(100), message("note_fraction_chosen"))


def thousandfold_divided(observations: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The clerk's ``scale="divide_1000"``: every figure written in a unit 1000× smaller than the
    plan's (:func:`kpi.domain.rules.reads_as_thousandfold`; the file's copy of the plan too, written
    in the same unit) ÷ 1000 in decimal arithmetic, noted; the cell's own text is kept.

    :returns: a copy of ``observations`` (same columns).
    """
    return _rescaled(observations, catalogue, "divide_1000", Decimal("0.001"), message("note_thousand_chosen"))


def _applies(way: str, ind, kind: str, value) -> bool:
    """Whether the clerk's ``way`` (``fraction`` or ``divide_1000``) changes this figure."""
    if ind is None or value != value:
        return False
    if way == "fraction":
        return kind != "plan" and reads_as_fraction(value, ind.threshold, ind.unit)
    return reads_as_thousandfold(value, ind.threshold, ind.unit, ind.over_year)


def _rescaled(observations: pd.DataFrame, catalogue: Catalogue, way: str, factor: Decimal, note: str) -> pd.DataFrame:
    out = observations.copy()
    for i, (key, kind, value) in enumerate(zip(out["key"], out["kind"], out["value"], strict=True)):
        if not _applies(way, catalogue.by_key.get(key), kind, value):
            continue
        out.iloc[i, out.columns.get_loc("value")] = float(to_decimal(value) * factor)
        if "note" in out:
            old = out.iloc[i, out.columns.get_loc("note")]
            out.iloc[i, out.columns.get_loc("note")] = f"{old}; {note}" if old else note
    return out


def scale_offered(observations: pd.DataFrame, catalogue: Catalogue, way: str) -> bool:
    """Whether the clerk's ``way`` would change a figure of ``observations``: «Tỷ lệ ghi dạng
    phân số: nhân 100» (``fraction``: a share's figure reads as a fraction) or «chia 1000»
    (``divide_1000``: a figure reads as written in a unit 1000× smaller). The upload page offers
    a way only then (black-box: «nhân 100» offered for a poverty rate it then refused, and for
    money, where it means nothing; money in triệu under tỷ had no way but «as written»)."""
    rows = zip(observations["key"], observations["kind"], observations["value"], strict=True)
    return any(_applies(way, catalogue.by_key.get(key), kind, value) for key, kind, value in rows)


def check_figures(
    observations: pd.DataFrame,
    catalogue: Catalogue,
    sheet: str = "",
    data_dir: Path = DATA_DIR,
    scale: str | None = None,
) -> list[Issue]:
    """Check each parsed figure against the rules above, the first rule a figure breaks only.

    :param scale: the clerk's choice for figures about 100× or 1000× their target
        (:attr:`kpi.reading.options.ImportOptions.scale`): ``None`` holds the file
        (``scale_unclear``), ``as_written`` warns only; with ``fraction`` the share fractions were
        already multiplied (:func:`fractions_as_percent`) and any other such figure is still held.

    :param observations: columns ``key`` (str), ``kind`` (str), ``value`` (float, in the
        indicator's unit), ``cell`` (str), ``written`` (str).
    :returns: the issues found, errors and warnings together.
    """
    issues: list[Issue] = []
    if observations.empty:
        return issues
    subjects = observations["subject"] if "subject" in observations else [catalogue.district_unit] * len(observations)
    written = observations["written"] if "written" in observations else [""] * len(observations)
    years = observations["year"] if "year" in observations else [catalogue.year] * len(observations)
    rows = zip(
        observations["key"],
        observations["kind"],
        observations["value"],
        observations["cell"],
        subjects,
        written,
        years,
        strict=True,
    )
    for key, kind, raw_value, cell, subject, text, year in rows:
        ind = catalogue.by_key.get(key)
        if ind is None or (kind == "plan" and year and year != catalogue.year):
            continue  # a plan column of another year is not this year's approved target (round 8 blind)
        figure = _Figure(ind, kind, to_decimal(raw_value), text, subject == catalogue.district_unit, (sheet, cell))
        found = _check_one(figure, unit_nature(ind.unit, data_dir), scale)
        if found is not None:
            issues.append(found)
    return issues


class _Figure:
    """One figure as the rules see it: its indicator, column kind, value (Decimal), the cell's
    own text, whether it is the district's own figure, and where it is (sheet, cell, key)."""

    __slots__ = ("ind", "kind", "value", "text", "district", "shown", "sheet", "cell", "key")

    def __init__(self, ind: Indicator, kind: str, value: Decimal, text: object, district: bool, at: tuple[str, str]):
        self.ind, self.kind, self.value, self.text, self.district = ind, kind, value, text, district
        self.shown = _Shown(value)
        self.sheet, self.cell = at
        self.key = ind.key


def _check_one(figure: _Figure, nature: str, scale: str | None = None) -> Issue | None:
    """The first rule ``figure`` breaks: too large, then a plan column's own rule, then negative,
    share over 100, not whole, scale."""
    if not figure.value.is_finite() or abs(figure.value) >= LARGEST:
        return _too_large(figure)
    if figure.kind == "plan":
        return _plan_differs(figure)
    return _negative(figure) or _share_over_100(figure, nature) or _not_whole(figure, nature) or _scale(figure, scale)


def _too_large(f: _Figure) -> Issue:
    """No figure of a plan reaches :data:`LARGEST` (see the module's rules)."""
    return issue(
        ERROR,
        "too_large",
        sheet=f.sheet,
        cell=f.cell,
        key=f.key,
        name=f.ind.name,
        written=_written_or(f.text, f.shown),
        unit=f.ind.unit,
        largest=format_number(LARGEST),
    )


def _plan_differs(f: _Figure) -> Issue | None:
    """The district's plan column against the approved target, both rounded half-up to the
    target's decimals (a range's band is not compared; a unit's own plan is not the district's)."""
    ind = f.ind
    if not f.district or ind.direction == "range" or ind.target is None:
        return None
    if round_half_up(f.value, ind.decimals) == round_half_up(ind.target, ind.decimals):
        return None
    approved = format_number(ind.target)
    return issue(
        WARNING,
        "plan_differs",
        sheet=f.sheet,
        cell=f.cell,
        key=f.key,
        name=ind.name,
        value=f.shown,
        unit=ind.unit,
        approved=approved,
    )


def _negative(f: _Figure) -> Issue | None:
    """No indicator of the plan can be negative."""
    if f.value >= 0:
        return None
    return issue(ERROR, "negative", sheet=f.sheet, cell=f.cell, key=f.key, name=f.ind.name, value=f.shown)


def _share_over_100(f: _Figure, nature: str) -> Issue | None:
    """A share (unit %) is at most 100."""
    if nature != "share" or f.value <= SHARE_MAX:
        return None
    return issue(ERROR, "share_over_100", sheet=f.sheet, cell=f.cell, key=f.key, name=f.ind.name, value=f.shown)


def _not_whole(f: _Figure, nature: str) -> Issue | None:
    """A count (khu, tập thể, cá nhân) is a whole number."""
    if nature != "count" or f.value == f.value.to_integral_value():
        return None
    return issue(
        ERROR, "not_whole", sheet=f.sheet, cell=f.cell, key=f.key, name=f.ind.name, unit=f.ind.unit, value=f.shown
    )


def _scale(f: _Figure, scale: str | None = None) -> Issue | None:
    """A realised figure 30× its target or more, or at most 0.3 % of a flow's (3 % of a level's)
    target: probably a unit or a percent format mixed up — held (``scale_unclear``) unless the
    clerk said it is right as written (``scale="as_written"``: a warning). A unit's part of a
    summed indicator may be far below the district's target, never 30× above it (round 11: a
    town's 152.300 under «Tỷ đồng», triệu written for tỷ, 46× the district's target, was stored)."""
    ind, value = f.ind, f.value
    reference = ind.threshold
    part_of_sum = not f.district and ind.across_units == "sum"
    if not reference or reference <= 0 or value <= 0:
        return None
    if f.kind not in ("quarter", "ytd", "year_estimate"):
        return None
    if part_of_sum and not scale_suspect(value, reference, ind.over_year, part=True):
        return None
    if not scale_suspect(value, reference, ind.over_year):
        return None
    ratio = float(value / reference)
    off = max(ratio, 1 / ratio)  # «160 lần» for 530.000 against 3.300,9 (a power of ten said «100»)
    times = format_number(round(off, 1 - int(math.floor(math.log10(off)))))
    fields = {
        "name": ind.name,
        "value": f.shown,
        "unit": ind.unit,
        "times": times,
        "reference": format_number(reference),
    }
    at = {"sheet": f.sheet, "cell": f.cell, "key": f.key}
    if scale == "as_written":
        return issue(WARNING, "scale", **at, **fields)
    if reads_as_fraction(value, reference, ind.unit):
        return issue(ERROR, "scale_unclear.share", **at, **fields)
    if reads_as_thousandfold(value, reference, ind.unit, ind.over_year):
        return issue(ERROR, "scale_unclear.thousand", **at, **fields)
    return issue(ERROR, "scale_unclear", **at, **fields)
