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
  for tỷ) — warning, never a silent rescale;
* a plan column that differs from the catalogue's target after rounding half-up to the target's
  decimals — warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kpi.config import DATA_DIR
from kpi.domain.plan import Catalogue, unit_nature
from kpi.domain.rules import LARGEST, SHARE_MAX, scale_suspect
from kpi.vn import format_number, round_half_up, short_number, to_decimal

__all__ = ["Issue", "ERROR", "WARNING", "INFO", "LARGEST", "DECISIONS", "check_figures"]

ERROR, WARNING, INFO = "error", "warning", "info"

#: Errors that hold a file for a person's decision rather than refuse it for good: the facts
#: cannot be true or are said two ways, and a choice at upload lifts them — on the upload page a
#: box of the preview, on the command line an option — code → what is chosen: ``subject``
#: (``--unit``), ``period`` (``--period``) or ``doc_date`` (``--document-date``). Everything else
#: of severity ``error`` needs the file fixed. See :mod:`kpi.reading.report_sheets` for the rules.
DECISIONS = {
    "unknown_subject": "subject",
    "subject_conflict": "subject",
    "no_period": "period",
    "period_conflict": "period",
    "period_contradiction": "period",
    "impossible_period": "period",
    "doc_date_future": "doc_date",
    "doc_date_before_year": "doc_date",
    "kind_unclear": "kind",  # kpi.file_kind (issue 13): --kind
    "unmatched_held": "accept_unmatched",  # kpi.file_kind (issue 13): --accept-unmatched
    "no_achievement_year": "year",  # kpi.registers (issue 13): --year
}


@dataclass(frozen=True)
class Issue:
    """One problem of a file.

    :ivar severity: ``error`` (the file is refused), ``warning`` (stored and shown) or ``info``.
    :ivar code: a stable machine code (``not_a_number``, ``share_over_100``, ``plan_differs``…).
    :ivar message: Vietnamese: what is wrong and what to do.
    """

    severity: str
    code: str
    message: str
    sheet: str = ""
    cell: str = ""
    key: str = ""

    def where(self) -> str:
        """ "trang «Bieu 01», ô E12" — the place in words, or ""."""
        parts = []
        if self.sheet:
            parts.append(f"trang «{self.sheet}»")
        if self.cell:
            parts.append(f"ô {self.cell}")
        return ", ".join(parts)

    def text(self) -> str:
        """The whole message with its place: "[trang «Bieu 01», ô E12] …"."""
        where = self.where()
        return f"[{where}] {self.message}" if where else self.message


class _Row:
    __slots__ = ("key", "kind", "cell", "subject")

    def __init__(self, key, kind, cell, subject):
        self.key, self.kind, self.cell, self.subject = key, kind, cell, subject


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


def check_figures(
    observations: pd.DataFrame, catalogue: Catalogue, sheet: str = "", data_dir: Path = DATA_DIR
) -> list[Issue]:
    """Check each parsed figure against the rules above.

    :param observations: columns ``key`` (str), ``kind`` (str), ``value`` (float, in the
        indicator's unit), ``cell`` (str), ``written`` (str).
    :returns: the issues found, errors and warnings together.
    """
    issues: list[Issue] = []
    if observations.empty:
        return issues
    subjects = observations["subject"] if "subject" in observations else [catalogue.district_unit] * len(observations)
    written = observations["written"] if "written" in observations else [""] * len(observations)
    rows = zip(
        observations["key"],
        observations["kind"],
        observations["value"],
        observations["cell"],
        subjects,
        written,
        strict=True,
    )
    for key, kind, raw_value, cell, subject, text in rows:
        row = _Row(key, kind, cell, subject)
        ind = catalogue.by_key.get(key)
        if ind is None:
            continue
        value = to_decimal(raw_value)
        nature = unit_nature(ind.unit, data_dir)
        shown = _Shown(value)
        if not value.is_finite() or abs(value) >= LARGEST:
            issues.append(
                Issue(
                    ERROR,
                    "too_large",
                    f"«{ind.name}» có số quá lớn ({_written_or(text, shown)} {ind.unit}), vượt mọi giá trị có thể có của "
                    f"chỉ tiêu (từ {format_number(LARGEST)} trở lên). Có thể ô bị dán nhầm một dãy số "
                    "hoặc mã; hãy sửa lại số liệu.",
                    sheet,
                    row.cell,
                    row.key,
                )
            )
            continue
        district = row.subject == catalogue.district_unit
        if row.kind == "plan":
            if not district:
                continue  # a unit's own plan is not the district's target
            expected = ind.target if ind.direction != "range" else ind.lo
            if expected is not None and ind.direction != "range":
                if round_half_up(value, ind.decimals) != round_half_up(expected, ind.decimals):
                    issues.append(
                        Issue(
                            WARNING,
                            "plan_differs",
                            f"Kế hoạch của «{ind.name}» trong tệp là {shown} {ind.unit}, khác kế hoạch "
                            f"đã duyệt {format_number(expected)} {ind.unit}. Số liệu vẫn được đánh giá theo "
                            "kế hoạch đã duyệt; nếu kế hoạch đã điều chỉnh, hãy báo quản trị viên.",
                            sheet,
                            row.cell,
                            row.key,
                        )
                    )
            continue
        if value < 0:
            issues.append(
                Issue(
                    ERROR,
                    "negative",
                    f"«{ind.name}» có số âm ({shown}): chỉ tiêu này không thể âm. Hãy sửa lại số liệu.",
                    sheet,
                    row.cell,
                    row.key,
                )
            )
            continue
        if nature == "share" and value > SHARE_MAX:
            issues.append(
                Issue(
                    ERROR,
                    "share_over_100",
                    f"«{ind.name}» là tỷ lệ nhưng có giá trị {shown} % (trên 100 %). Hãy kiểm tra lại "
                    "(có thể nhập nhầm số tuyệt đối).",
                    sheet,
                    row.cell,
                    row.key,
                )
            )
            continue
        if nature == "count" and value != value.to_integral_value():
            issues.append(
                Issue(
                    ERROR,
                    "not_whole",
                    f"«{ind.name}» đếm bằng {ind.unit} nên phải là số nguyên, nhưng tệp ghi {shown}. Hãy sửa lại.",
                    sheet,
                    row.cell,
                    row.key,
                )
            )
            continue
        reference = ind.threshold
        part_of_sum = not district and ind.across_units == "sum"
        if (
            reference
            and reference > 0
            and value > 0
            and not part_of_sum
            and row.kind in ("quarter", "ytd", "year_estimate")
        ):
            if scale_suspect(value, reference, ind.over_year):
                times = Decimal(10) ** abs(round(math.log10(float(value / reference))))
                issues.append(
                    Issue(
                        WARNING,
                        "scale",
                        f"«{ind.name}»: {shown} {ind.unit} lệch khoảng {format_number(times)} lần so với "
                        f"kế hoạch {format_number(reference)} {ind.unit}. Có thể nhầm đơn vị (triệu/tỷ "
                        "đồng) hoặc tỷ lệ ghi dạng phân số mà thiếu định dạng %. Số liệu được lưu đúng "
                        "như tệp ghi; hãy kiểm tra.",
                        sheet,
                        row.cell,
                        row.key,
                    )
                )
    return issues
