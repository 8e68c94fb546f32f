"""A layout the reader did not recognise, described by the user once and reused.

When no header row is found, the upload page lets the user say which column holds the indicator
name and which holds which figure for which period. That choice is a *mapping*::

    {"header_row": 5,                # 1-based: the last row of the header; data starts below it
     "name": "B", "unit": "C",       # column letters (unit may be null)
     "values": {"E": {"kind": "quarter", "quarter": 1, "vintage": "official"},
                "F": {"kind": "ytd"}}}

It is stored per header signature (:func:`kpi.reading.layout.header_signature` of the rows above the
data) in the ``layouts`` table (:mod:`kpi.storage.layouts`) so files of the same layout are read the same way next time, and
it travels in the import options, so the import log lets ``rebuild`` reproduce the result.
"""

from __future__ import annotations

import hashlib

from kpi.reading.layout import Column, TableLayout, Vocabulary, classify_header
from kpi.reading.workbook import Sheet, col_letter, parse_ref
from kpi.vn import clean_text, fold, parse_number

__all__ = [
    "layout_from_mapping",
    "sheet_signature",
    "suggest_mapping",
    "KINDS",
]

KINDS = ("quarter", "ytd", "year_estimate", "last_year", "plan")


def _col(letter: str) -> int:
    return parse_ref(f"{letter.strip().upper()}1")[1]


def layout_from_mapping(sheet: Sheet, mapping: dict, vocab: Vocabulary) -> TableLayout:
    """Build a :class:`TableLayout` from a user's mapping (see the module docstring).

    :raises ValueError: the mapping names no name column or an unknown kind.
    """
    header = int(mapping["header_row"]) - 1
    if not mapping.get("name"):
        raise ValueError("mapping needs the name column")
    columns = []
    roles = {_col(mapping["name"]): "name"}
    if mapping.get("unit"):
        roles[_col(mapping["unit"])] = "unit"
    if mapping.get("key"):
        roles[_col(mapping["key"])] = "key"
    values = {_col(k): v for k, v in (mapping.get("values") or {}).items()}
    for c in range(sheet.width):
        text = clean_text(sheet.value(header, c)) if header >= 0 else ""
        if c in roles:
            columns.append(Column(c, text, roles[c]))
        elif c in values:
            spec = values[c]
            if spec.get("kind") not in KINDS:
                raise ValueError(f"unknown kind {spec.get('kind')!r}")
            columns.append(
                Column(
                    c,
                    text or f"cột {c}",
                    "value",
                    spec["kind"],
                    spec.get("vintage", "official"),
                    spec.get("quarter"),
                    spec.get("year"),
                )
            )
        else:
            columns.append(Column(c, text, "unknown"))
    end = sheet.height
    for r in range(header + 1, sheet.height):
        texts = [fold(v) for v in sheet.rows[r] if isinstance(v, str) and v.strip()]
        if texts and any(Vocabulary.any(vocab.footer, t) for t in texts):
            end = r
            break
    return TableLayout(
        sheet.name, (max(header, 0),), header + 1, end, tuple(columns), 0.0, None, ("bố cục do người dùng khai báo",)
    )


def sheet_signature(sheet: Sheet, header_row: int) -> str:
    """A signature of a layout: the folded texts of its header row (0-based ``header_row``), cell by
    cell. Files made from the same template share it, whatever their title, period or figures."""
    cells = sheet.rows[header_row] if 0 <= header_row < sheet.height else []
    text = "|".join(fold(v) if isinstance(v, str) else "" for v in cells).rstrip("|")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def suggest_mapping(grid: list[list[str]], catalogue, vocab: Vocabulary) -> dict:
    """A first guess for the mapping form, from a sheet's preview (``Prepared.previews``).

    * the name column: the column naming the most indicators of the plan
      (:meth:`kpi.domain.plan.Catalogue.match_indicator`);
    * the header row: the nearest row above the first named indicator with at least two texts;
    * the unit column: a column whose header the vocabulary calls a unit ("ĐVT", "ĐV", "Đơn vị
      tính"), else one whose cells are the plan's units;
    * the value columns: each other column with a number under the header, with the meaning its
      header gives (:func:`kpi.reading.layout.classify_header`), or none when the header says nothing.

    :returns: ``{"header_row": int (1-based), "name": letter, "unit": letter | None,
        "values": {letter: {"kind": …, "quarter": int | None}}}``; ``{}`` when no indicator is named.
    """
    width = max((len(r) for r in grid), default=0)

    def cell(r: int, c: int) -> str:
        return grid[r][c] if r < len(grid) and c < len(grid[r]) else ""

    hits: dict[int, list[int]] = {}
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if len(text) >= 6 and catalogue.match_indicator(text) is not None:
                hits.setdefault(c, []).append(r)
    if not hits:
        return {}
    name_col = max(hits, key=lambda c: (len(hits[c]), -c))
    first = min(hits[name_col])
    header = next(
        (r for r in range(first - 1, -1, -1) if sum(1 for t in grid[r] if t.strip()) >= 2),
        max(first - 1, 0),
    )
    units = {fold(i.unit) for i in catalogue.indicators} | {"ty dong", "trieu dong", "%", "nguoi", "ho"}
    unit_col = None
    for c in range(width):
        if c != name_col and classify_header(cell(header, c), vocab).role == "unit":
            unit_col = c
            break
    if unit_col is None:
        for c in range(width):
            below = [fold(cell(r, c)) for r in hits[name_col]]
            if c != name_col and below and sum(1 for t in below if t in units) >= max(1, len(below) // 2):
                unit_col = c
                break

    def is_number(text: str) -> bool:
        try:
            parse_number(text)
        except Exception:  # noqa: BLE001 - NumberFormatError and friends: not a number
            return False
        return True

    values = {}
    for c in range(width):
        if c in (name_col, unit_col) or not any(is_number(cell(r, c)) for r in hits[name_col]):
            continue
        column = classify_header(cell(header, c), vocab, catalogue.year)
        if column.role not in ("value", "unknown"):
            continue  # "STT", "Mã", "Ghi chú", "So sánh (%)": numbers, but no figure of a plan
        if column.role == "value" and column.kind in KINDS:
            values[col_letter(c)] = {"kind": column.kind, "quarter": column.quarter}
        else:
            values[col_letter(c)] = {"kind": None, "quarter": None}
    return {
        "header_row": header + 1,
        "name": col_letter(name_col),
        "unit": col_letter(unit_col) if unit_col is not None else None,
        "values": values,
    }
