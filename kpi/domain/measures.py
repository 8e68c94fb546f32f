"""Units of measure: the factor turning a figure written in one unit into another (the rows of
``data/measures.csv``, as a :class:`kpi.domain.plan.Catalogue` holds them).

A row says how a written form is counted in a unit ("triệu đồng" is 0,001 "tỷ đồng"; "tr.đ/ha"
is 1 "triệu đồng/ha"). A per-what unit "N/D" needs no row of its own: it is "M/D" times the
factor of N into M, the per-what D the same ("0,14 tỷ đồng/ha" is 140 "triệu đồng/ha", "đồng/ha"
0,000001 of it) — N into M directly, or through a unit both are counted in ("tỷ đồng" is 1.000
"triệu đồng" because "triệu đồng" is 0,001 "tỷ đồng"). Only rows of plain units (no "/") make a
numerator's factor, so a per-head income's own row ("triệu đồng" = "triệu đồng/người") never
does, and a numerator no row counts in money ("tạ/ha", "tấn/ha") never converts into money."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from kpi.vn import clean_text, fold, match_key

__all__ = ["Measures", "unit_form"]


def unit_form(written: str) -> str:
    """A unit of measure as compared: cleaned, no spaces around "/", no enclosing brackets."""
    text = clean_text(written).strip("()[] ")
    return re.sub(r"\s*/\s*", "/", text)


def _keys(text: str) -> tuple[str, str]:
    """A unit's exact key (:func:`match_key`) and its loose one (:func:`fold`)."""
    return match_key(text), fold(text)


@dataclass(frozen=True)
class Measures:
    """The rows ``(written, unit, factor)`` of ``measures.csv``; :meth:`factor` reads them."""

    rows: tuple[tuple[str, str, Decimal], ...] = ()

    @cached_property
    def _index(self) -> tuple[dict, dict]:
        """(written form, unit) → factor, exact by :func:`match_key` and loose by :func:`fold` of
        the written form; the first row wins on a clash."""
        exact: dict[tuple[str, str], Decimal] = {}
        folded: dict[tuple[str, str], Decimal] = {}
        for written, unit, factor in self.rows:
            text = unit_form(written)
            exact.setdefault((match_key(text), match_key(unit)), factor)
            folded.setdefault((fold(text), match_key(unit)), factor)
        return exact, folded

    @cached_property
    def _plain(self) -> tuple[dict, dict]:
        """A plain written form (no "/") → {a plain unit it is counted in: factor}, exact and loose."""
        exact: dict[str, dict[str, Decimal]] = {}
        folded: dict[str, dict[str, Decimal]] = {}
        for written, unit, factor in self.rows:
            text = unit_form(written)
            if "/" in text or "/" in unit:
                continue
            key, loose = _keys(text)
            exact.setdefault(key, {}).setdefault(match_key(unit), factor)
            folded.setdefault(loose, {}).setdefault(match_key(unit), factor)
        return exact, folded

    def factor(self, written: str, unit: str) -> Decimal | None:
        """Factor turning a figure written in ``written`` into ``unit``, or ``None`` when it is not
        a measure of it: the same unit, a row, else a per-what's numerator (module docstring). An
        empty ``written`` gives 1."""
        text, target = unit_form(written), unit_form(unit)
        if not text or match_key(text) == match_key(target):
            return Decimal(1)
        exact, folded = self._index
        found = exact.get((match_key(text), match_key(unit)))
        if found is None:
            found = folded.get((fold(text), match_key(unit)))
        if found is None and "/" in text and "/" in target:
            (num, den), (to_num, to_den) = text.split("/", 1), target.split("/", 1)
            if match_key(den) == match_key(to_den) or fold(den) == fold(to_den):
                found = self._numerator(num, to_num)
        return found

    def _numerator(self, written: str, unit: str) -> Decimal | None:
        """Factor of a plain ``written`` into a plain ``unit``: 1 when they are the same, else
        through a unit both are counted in (itself, or a row's)."""
        if match_key(written) == match_key(unit):
            return Decimal(1)
        mine, theirs = self._counted_in(written), self._counted_in(unit)
        common = next((base for base in mine if base in theirs), None)
        return None if common is None else mine[common] / theirs[common]

    def _counted_in(self, text: str) -> dict[str, Decimal]:
        """{unit: factor} a plain ``text`` is counted in: itself (1) and the rows' units."""
        exact, folded = self._plain
        key, loose = _keys(text)
        return {key: Decimal(1), **folded.get(loose, {}), **exact.get(key, {})}
