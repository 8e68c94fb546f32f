"""A report's own ratio columns against its figures (blind round 7, finding 2).

A ratio column («% so KH», «So sánh (%) TH/KH», «So cùng kỳ (%)») is never stored
(:func:`kpi.reading.layout.classify_header`: ``derived``), but it is the file's own word on its
figures: when it disagrees with them, one of the two is wrong, and a figure stored wrong looks
right. The black-box file had its plan values under «Thực hiện 6 tháng» and its actuals under «%
so KH»: every actual equal to its target, the file's own ratios 86,1 / 99,2 / 18 — stored as met.

For each matched row and each ratio column whose numbers are ratios (a difference, a growth, a
verdict are not checked: the vocabulary's ``[columns] ratio_other``), the file's ratio must be one
of the row's figures (this quarter, year to date, year estimate) over a base the header names
(``ratio_plan``: the file's plan column, else the approved target of the district's figure;
``ratio_last_year``: the last-year column; neither or both: any), × 100 — within rounding: each
figure's half unit of its written decimals (a whole number is exact), the ratio's own half unit,
and 0,1 % of the ratio. A ratio written as a fraction (0,95 for 95 %) agrees too. For an indicator
whose target is a ceiling (lower is better) a ratio to the plan agrees either way round: the
figure over its plan (TH/KH, as most files compute every row — blind round 8, finding 4: a right
year report was held as shifted) or the plan over the figure (KH/TH, the higher-is-better reading
of a ceiling); a message naming what the figures give says the latter.

A disagreement holds the file (``ratio_mismatch``, a decision of :data:`kpi.reading.checks.DECISIONS`)
rather than warn: the blind round's file showed «Sẵn sàng lưu · 1 cảnh báo» and the wrong figures
were stored unnoticed; the clerk fixes the file, or says the figures are right as written
(``ImportOptions.ratios = "as_written"``: then a warning). When every row checked against the
plan disagrees and each of its figures equals its plan exactly, the column is said once as
shifted (``ratio_mismatch.shifted``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kpi.domain.plan import Catalogue
from kpi.domain.rules import half_unit, scale_suspect, written_decimals
from kpi.reading.layout import Column, TableLayout, Vocabulary, header_fold
from kpi.reading.messages import ERROR, WARNING, Issue, issue, phrase
from kpi.reading.numbers import cell_number, own_decimals
from kpi.reading.workbook import Sheet, parse_ref
from kpi.vn import column_convention, distinct_decimals, format_number, to_decimal

__all__ = ["check_ratios"]

#: The figures a ratio is of, in the order a message names one.
_ACTUALS = ("ytd", "quarter", "year_estimate")
_SLACK = Decimal("0.001")  # 0,1 % of the ratio: a ratio computed from unrounded figures


@dataclass(frozen=True)
class _Figure:
    """One figure a ratio may be made of: its value (Decimal, the plan's unit) and half unit, where
    it is, and how a message names it (a phrase id of the base, the column's header)."""

    value: Decimal
    half: Decimal
    cell: str
    what: str  # "plan", "target", "last_year" for a base; the kind for an actual
    column: str = ""


@dataclass(frozen=True)
class _Miss:
    """A row whose ratio agrees with none of its figures: what the message shows."""

    row: int
    label: str
    key: str
    ratio: Decimal
    decimals: int  # the ratio's as the file writes it: the computed ratio is written alike
    cell: str
    actual: _Figure
    base: _Figure
    computed: Decimal


def check_ratios(
    sheet: Sheet,
    layout: TableLayout,
    observations: list[dict],
    catalogue: Catalogue,
    vocab: Vocabulary,
    subject: str,
    as_written: bool = False,
) -> list[Issue]:
    """The file's own ratios against its figures (see the module): the issues, held (``error``)
    unless ``as_written`` (then ``warning``)."""
    rows: dict[int, list[dict]] = {}
    for o in observations:
        rows.setdefault(parse_ref(o["cell"])[0], []).append(o)
    issues: list[Issue] = []
    for col in layout.columns:
        base_kinds = _bases(col, vocab)
        if not base_kinds or not rows:
            continue
        misses, checked = [], 0
        convention = column_convention([t for t in (sheet.value(r, col.index) for r in rows) if isinstance(t, str)])
        for r, figures in rows.items():
            mine = [o for o in figures if o["subject"] == (col.subject or subject)]
            ratio, decimals = _ratio(sheet, r, col, convention, mine)
            if ratio is None or not mine:
                continue
            found = _row_check(ratio, decimals, mine, base_kinds, catalogue, r, col)
            if found is None:
                continue
            checked += 1
            if isinstance(found, _Miss):
                misses.append(found)
        issues += _said(misses, checked, col, sheet.name, as_written)
    return issues


def _bases(col: Column, vocab: Vocabulary) -> tuple[str, ...]:
    """What a ratio column compares with: ``plan`` and/or ``last_year``; ``()`` for no ratio."""
    if col.role != "derived" or col.hidden:
        return ()
    h = header_fold(col.header)
    words = vocab.columns
    if Vocabulary.any(words.get("ratio_other", ()), h):
        return ()
    plan = Vocabulary.any(words.get("ratio_plan", ()), h)
    last_year = Vocabulary.any(words.get("ratio_last_year", ()), h)
    if plan == last_year:
        return ("plan", "last_year")
    return ("plan",) if plan else ("last_year",)


def _ratio(sheet: Sheet, r: int, col: Column, convention: tuple[str, bool], figures: list[dict]):
    """The ratio cell as a percentage (a %-formatted 0,95 is 95) and the decimals the file writes
    it with («47,2» → 1, a text «47,20 %» → 2), or ``(None, 0)`` (no number: a verdict's word, an
    empty cell — nothing said about it, the column is not stored)."""
    if not figures:
        return None, 0
    label = figures[0]["row_label"]
    value, written, percent = cell_number(sheet, r, col.index, *convention, [], label)
    if value is None or not value.is_finite() or value < 0:
        return None, 0
    ratio = value * 100 if percent == "format" else value
    typed = (r, col.index) not in sheet.formulas and isinstance(sheet.value(r, col.index), str)
    return ratio, written_decimals(written) if typed else own_decimals(ratio)


def _half(o: dict) -> Decimal:
    """Half a unit of a figure's last written decimal, in the plan's unit (a formula's: of its
    value's); a whole number is exact."""
    written = str(o["written"] or "")
    decimals = own_decimals(o["value"]) if written.startswith("=") else written_decimals(written)
    return half_unit(decimals) * to_decimal(o["factor"]) if decimals else Decimal(0)


def _row_check(
    ratio: Decimal, decimals: int, figures: list[dict], base_kinds, catalogue: Catalogue, r: int, col: Column
):
    """``None`` when nothing can be checked (no figure or no base), ``True`` when the ratio agrees
    with one pair of figures, else the :class:`_Miss` its message shows."""
    o0 = figures[0]
    ind = catalogue.by_key.get(o0["key"])
    if ind is None:
        return None
    by_kind = {o["kind"]: o for o in figures}
    district = o0["subject"] == catalogue.district_unit
    reference = ind.threshold if district else None
    actuals = [
        _Figure(to_decimal(by_kind[k]["value"]), _half(by_kind[k]), by_kind[k]["cell"], k, by_kind[k]["column_label"])
        for k in _ACTUALS
        # a figure ~100× or 1000× its target is held for its scale already (kpi.reading.checks): the
        # clerk's choice there (× 100, ÷ 1000, as written) settles it, not its ratio
        if k in by_kind and not (reference and reference > 0 and _off_scale(by_kind[k]["value"], reference, ind))
    ]
    bases = []
    if "plan" in base_kinds and "plan" in by_kind:
        bases.append(
            _Figure(to_decimal(by_kind["plan"]["value"]), _half(by_kind["plan"]), by_kind["plan"]["cell"], "plan")
        )
    if "plan" in base_kinds and district and ind.direction in (">=", "<=") and ind.target:
        bases.append(_Figure(to_decimal(ind.target), Decimal(0), "", "target"))
    if "last_year" in base_kinds and "last_year" in by_kind:
        o = by_kind["last_year"]
        bases.append(_Figure(to_decimal(o["value"]), _half(o), o["cell"], "last_year"))
    pairs = [(a, b) for a in actuals for b in bases if b.value > 0 and a.value >= 0]
    if not pairs:
        return None
    ceiling = ind.direction == "<="
    if any(_agrees(ratio, a, b) or (ceiling and b.what != "last_year" and _agrees(ratio, b, a)) for a, b in pairs):
        return True
    a, b = pairs[0]
    computed = (b.value / a.value if ceiling and b.what != "last_year" and a.value else a.value / b.value) * 100
    return _Miss(r + 1, o0["row_label"], o0["key"], ratio, decimals, f"{col.letter}{r + 1}", a, b, computed)


def _off_scale(value, reference: Decimal, ind) -> bool:
    number = to_decimal(value)
    return number > 0 and scale_suspect(number, reference, ind.over_year)


def _agrees(ratio: Decimal, a: _Figure, b: _Figure) -> bool:
    """Whether ``ratio`` (or ``ratio`` × 100: a fraction) is a / b × 100 within rounding."""
    if b.value <= 0:
        return False
    low_b = b.value - b.half
    lo = (a.value - a.half) / (b.value + b.half) * 100
    hi = (a.value + a.half) / low_b * 100 if low_b > 0 else Decimal("Infinity")
    lo, hi = lo * (1 - _SLACK), hi * (1 + _SLACK)
    own = half_unit(min(6, max(0, -ratio.normalize().as_tuple().exponent)))
    return any(v + own >= lo and v - own <= hi for v in (ratio, ratio * 100))


def _said(misses: list[_Miss], checked: int, col: Column, sheet: str, as_written: bool) -> list[Issue]:
    """The issues of one ratio column: one line when the column looks shifted, else one a row."""
    severity = WARNING if as_written else ERROR
    if not misses:
        return []
    shifted = (
        len(misses) >= 2
        and len(misses) == checked
        and all(m.base.what in ("plan", "target") and m.actual.value == m.base.value for m in misses)
        and len({m.actual.column for m in misses}) == 1
    )
    if shifted:
        first = misses[0]
        return [
            issue(
                severity,
                "ratio_mismatch.shifted_kept" if as_written else "ratio_mismatch.shifted",
                sheet=sheet,
                cell=first.cell,
                key=first.key,
                actual_letter=first.actual.cell.rstrip("0123456789"),
                actual_column=first.actual.column,
                count=len(misses),
                rows=", ".join(str(m.row) for m in misses),
                values="; ".join(format_number(m.actual.value) for m in misses),
                letter=col.letter,
                column=col.header,
                ratios="; ".join(format_number(m.ratio) for m in misses),
            )
        ]
    return [
        issue(
            severity,
            "ratio_mismatch.kept" if as_written else "ratio_mismatch",
            sheet=sheet,
            cell=m.cell,
            key=m.key,
            row=m.row,
            label=m.label,
            column=col.header,
            ratio=format_number(m.ratio, m.decimals),
            actual_column=m.actual.column,
            actual=format_number(m.actual.value),
            actual_cell=m.actual.cell,
            base=_base_words(m.base),
            # with the decimals the file's ratio has, or the fewest more that tell the two apart: 45,44
            # beside the file's 47,2 read as two different ways of writing (a black-box finding)
            computed=format_number(m.computed, distinct_decimals(m.computed, m.ratio, m.decimals)),
        )
        for m in misses
    ]


def _base_words(b: _Figure) -> str:
    """«kế hoạch trong tệp 87,84 (ô D7)», «kế hoạch đã duyệt 87,84», «số cùng kỳ 92 (ô D9)»."""
    if b.what == "target":
        return phrase("ratio_base.target", value=format_number(b.value))
    return phrase(
        "ratio_base.plan" if b.what == "plan" else "ratio_base.last_year", value=format_number(b.value), cell=b.cell
    )
