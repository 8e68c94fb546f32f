"""Who owes a report: which units report which indicators for which quarters, as data of the plan.

The obligations of a year's plan are in ``<data_dir>/plans/<year>/obligations.csv``, one row per
unit (issue 14, item 9)::

    unit,indicators,periods,source
    UBND huyện Tam Nông,economic social environment,Q1 Q2 Q3 Q4,"Kế hoạch 2024, mục II.2"

* ``unit`` — a unit of the plan's ``units.csv``;
* ``indicators`` — indicator keys (``CT01``), group names (``economic``, ``social``,
  ``environment``, ``awards``) or ``*`` (every indicator counted from reports), separated by spaces,
  commas or semicolons;
* ``periods`` — quarters ``Q1``…``Q4`` (or a span ``Q1-Q4``), separated the same way;
* ``source`` — where the obligation is written (free text, shown to people).

Lines starting with ``#`` are comments. When the plan has no such file, the units that have
reported before (the sender or subject of an active report of this year or an earlier one) owe
every indicator counted from reports in every quarter (the issue's default). A unit that owes
nothing is not listed in the table of who is late (:func:`kpi.reporting.completeness.completeness`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from kpi.config import DATA_DIR
from kpi.domain.plan import GROUPS
from kpi.errors import PlanError
from kpi.storage.catalogue import load_catalogue
from kpi.vn import int_to_roman
from kpi.words import GROUP_LABELS

__all__ = ["Obligations", "obligations", "obligations_file"]

_SEPARATORS = re.compile(r"[\s,;]+")
_QUARTER = re.compile(r"Q([1-4])(?:-Q([1-4]))?", re.IGNORECASE)


@dataclass(frozen=True)
class Obligations:
    """The reporting obligations of one year's plan.

    :ivar year: the plan's year.
    :ivar owed: DataFrame ``unit`` str, ``keys`` tuple[str] (indicator keys, plan order),
        ``quarters`` tuple[int] (1–4), ``source`` str; one row per unit that owes something.
    :ivar origin: ``plan`` (read from ``obligations.csv``) or ``reported_before`` (no file: the
        units that have reported before).
    :ivar path: the file read (or looked for).
    :ivar named_sets: ``{words: keys}``, the sets of keys the rule names in words instead of keys
        (every indicator taken from reports; each group of the plan), so a unit's line reads
        «mọi chỉ tiêu lấy từ báo cáo (14)», not «14 chỉ tiêu (CT01…CT11)».
    """

    year: int
    owed: pd.DataFrame
    origin: str
    path: Path
    named_sets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def quarters_of(self, unit: str) -> tuple[int, ...]:
        """The quarters ``unit`` owes a report for (empty when it owes nothing)."""
        rows = self.owed[self.owed["unit"] == unit]
        return tuple(sorted({q for qs in rows["quarters"] for q in qs}))

    def keys_of(self, unit: str) -> tuple[str, ...]:
        """The indicator keys ``unit`` reports (empty when it owes nothing)."""
        rows = self.owed[self.owed["unit"] == unit]
        return tuple(dict.fromkeys(k for ks in rows["keys"] for k in ks))

    @property
    def rule(self) -> str:
        """One Vietnamese sentence stating who is counted and why (shown under the table and by
        ``python -m kpi report --completeness``)."""
        if self.origin == "plan":
            listed = "; ".join(
                f"{unit} — {_keys_words(self.keys_of(unit), self.named_sets)}, {_quarter_words(self.quarters_of(unit))}"
                for unit in dict.fromkeys(self.owed["unit"])
            )
            return (
                f"Chỉ tính các đơn vị phải báo cáo theo kế hoạch năm {self.year}: {listed or 'không đơn vị nào'}. "
                "Đơn vị không phải báo cáo chỉ tiêu nào thì không được liệt kê."
            )
        return (
            f"Kế hoạch năm {self.year} chưa ghi đơn vị nào phải báo cáo: chỉ tính các đơn vị đã từng gửi "
            "báo cáo hoặc là đối tượng "
            f"của một báo cáo ({len(self.owed)} đơn vị), mỗi quý. Đơn vị chưa từng báo cáo thì không được liệt kê."
        )


def obligations_file(year: int, data_dir: Path | None = None) -> Path:
    """Where a year's obligations are written: ``<data_dir>/plans/<year>/obligations.csv``."""
    return Path(data_dir or DATA_DIR) / "plans" / str(year) / "obligations.csv"


def obligations(con: duckdb.DuckDBPyConnection, year: int, data_dir: Path | None = None) -> Obligations:
    """Who owes which report in ``year`` (see the module's docstring for the file and the default).

    :raises PlanError: the file names a unit, an indicator or a quarter the plan does not have
        (Vietnamese, with the line).
    """
    catalogue = load_catalogue(con, year)
    report_keys = [i.key for i in catalogue.indicators if i.counted_from == "reports"]
    named = ((f"mọi chỉ tiêu lấy từ báo cáo ({len(report_keys)})", tuple(report_keys)),) + tuple(
        (f"nhóm {GROUP_LABELS.get(g, g)} ({len(ks)} chỉ tiêu)", tuple(ks))
        for g in GROUPS
        if (ks := [i.key for i in catalogue.indicators if i.group == g])
    )
    path = obligations_file(year, data_dir)
    if not path.exists():
        units = _reported_before(con, year, list(catalogue.units["unit"]))
        owed = pd.DataFrame(
            {
                "unit": units,
                "keys": [tuple(report_keys)] * len(units),
                "quarters": [(1, 2, 3, 4)] * len(units),
                "source": ["đã từng báo cáo"] * len(units),
            },
            columns=["unit", "keys", "quarters", "source"],
        )
        return Obligations(year, owed, "reported_before", path, named)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", skip_blank_lines=True)
    missing = {"unit", "indicators", "periods"} - set(table.columns)
    if missing:
        raise PlanError(f"Tệp {path.name} của kế hoạch năm {year} thiếu cột: {', '.join(sorted(missing))}.")
    known_units = set(catalogue.units["unit"])
    groups = {g: [i.key for i in catalogue.indicators if i.group == g] for g in GROUPS}
    all_keys = [i.key for i in catalogue.indicators]
    rows, problems = [], []
    for line, row in enumerate(table.to_dict("records"), start=2):
        unit = row["unit"].strip()
        if unit not in known_units:
            problems.append(f"dòng {line}: đơn vị «{unit}» không có trong danh sách đơn vị của kế hoạch")
            continue
        keys: list[str] = []
        for word in _words(row["indicators"]):
            if word == "*":
                keys += report_keys
            elif word in groups:
                keys += groups[word]
            elif word.upper() in all_keys:
                keys.append(word.upper())
            else:
                problems.append(f"dòng {line}: «{word}» không phải mã chỉ tiêu hay nhóm chỉ tiêu của kế hoạch")
        quarters: set[int] = set()
        for word in _words(row["periods"]):
            m = _QUARTER.fullmatch(word)
            if m is None:
                problems.append(f"dòng {line}: kỳ «{word}» phải viết Q1, Q2, Q3, Q4 hoặc Q1-Q4")
                continue
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            quarters.update(range(lo, hi + 1))
        if keys and quarters:
            order = {k: n for n, k in enumerate(all_keys)}
            rows.append(
                {
                    "unit": unit,
                    "keys": tuple(sorted(set(keys), key=order.get)),
                    "quarters": tuple(sorted(quarters)),
                    "source": (row.get("source") or "").strip(),
                }
            )
    if problems:
        raise PlanError(
            f"Tệp {path.name} của kế hoạch năm {year} có chỗ sai: " + "; ".join(problems) + ". Hãy sửa tệp."
        )
    return Obligations(year, pd.DataFrame(rows, columns=["unit", "keys", "quarters", "source"]), "plan", path, named)


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(text.strip()) if w]


def _reported_before(con: duckdb.DuckDBPyConnection, year: int, plan_units: list[str]) -> list[str]:
    """Units named as sender or subject of an active report of ``year`` or earlier, in the order
    of the plan's units (others after, by name)."""
    named = {
        u
        for (u,) in con.execute(
            """
            SELECT sender FROM submissions WHERE status = 'active' AND file_kind = 'report' AND year <= ?
            UNION SELECT subject FROM submissions WHERE status = 'active' AND file_kind = 'report' AND year <= ?""",
            [year, year],
        ).fetchall()
        if u
    }
    return [u for u in plan_units if u in named] + sorted(named - set(plan_units))


def _keys_words(keys: tuple[str, ...], named_sets: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> str:
    """A unit's indicators in words: a named set whole («nhóm Kinh tế (4 chỉ tiêu)»), else each key
    (a range «CT01…CT11» hid which of the 14 keys between were meant: black-box finding)."""
    if not keys:
        return "không chỉ tiêu nào"
    parts, rest = [], list(keys)
    for words, members in named_sets:
        if members and set(members) <= set(rest):
            parts.append(words)
            rest = [k for k in rest if k not in members]
    if rest:
        parts.append("chỉ tiêu " + ", ".join(rest))
    return " và ".join(parts)


def _quarter_words(quarters: tuple[int, ...]) -> str:
    return "quý " + ", ".join(int_to_roman(q) for q in quarters)
