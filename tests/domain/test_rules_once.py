"""Each rule of the ledger is written once (issue 15, item 2): the rules module
(:mod:`kpi.domain.rules`) and the words module (:mod:`kpi.words`) own them, and this test walks every
Python file of ``kpi/``, ``appkit/`` and ``views/`` and fails where another one spells one of them —
in Python or in an SQL string (f-string parts included):

* the vintage rank: ``WHEN 'official' THEN …`` in SQL, or a dict of vintages to numbers (or back);
* the active-version rank: an ordering on ``doc_date`` (``doc_date DESC NULLS LAST``,
  ``doc_date IS NOT NULL``);
* the series key: ``coalesce(sender, '')`` spelled in SQL;
* half a unit of the last decimal: ``0.5 * 10 ** -d`` (float or Decimal);
* awards told from the registration share by the unit: ``table["unit"] == "%"``;
* the status colours and their tints of :mod:`kpi.words` written as hex elsewhere;
* the quarters' names as a list ("Quý I", "Quý II", …), the year-to-date words as a dict;
* the "(ước)" / "(sơ bộ)" mark after a figure written as a literal.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb
import pytest

from kpi.domain import rules
from kpi.vn import to_decimal
from kpi.words import STATUS_COLORS, STATUS_TINTS
from tests.support.paths import PROJECT

ROOT = PROJECT
#: The modules that own the rules (and so may spell them).
OWNERS = {"kpi/domain/rules.py", "kpi/words.py"}
VINTAGES = {"official", "preliminary", "estimate"}

_WHEN_VINTAGE = re.compile(r"WHEN\s+'(official|preliminary|estimate)'", re.IGNORECASE)
_VERSION_ORDER = re.compile(r"doc_date\s+(DESC|IS\s+NOT\s+NULL)", re.IGNORECASE)
_SERIES_SENDER = re.compile(r"coalesce\(\s*(\w+\.)?sender\s*,", re.IGNORECASE)
_COLOURS = {c.lstrip("#").lower() for c in (*STATUS_COLORS.values(), *STATUS_TINTS.values())}
_HEX = re.compile(r"#?\b([0-9a-fA-F]{6})\b")
_QUARTER_NAME = re.compile(r"^Quý (I|II|III|IV)$")


def _sources() -> list[Path]:
    files = []
    for top in ("kpi", "appkit", "views"):
        files += sorted((ROOT / top).rglob("*.py"))
    return [f for f in files if f.relative_to(ROOT).as_posix() not in OWNERS]


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decimal" and node.args:
        arg = node.args[0]
        text = _string(arg)
        if text is not None:
            try:
                return float(text)
            except ValueError:
                return None
        return _number(arg)
    return None


def _half_unit(node: ast.BinOp) -> bool:
    """``0.5 * 10 ** …`` (or Decimal("0.5") * Decimal(10) ** …), either way round."""
    if not isinstance(node.op, ast.Mult):
        return False
    for half, power in ((node.left, node.right), (node.right, node.left)):
        if _number(half) == 0.5 and isinstance(power, ast.BinOp) and isinstance(power.op, ast.Pow):
            if _number(power.left) == 10:
                return True
    return False


def _unit_is_percent(node: ast.Compare) -> bool:
    """``frame["unit"] == "%"`` / ``!= "%"``: a table's rows told apart by the unit."""
    left = node.left
    is_unit_column = isinstance(left, ast.Subscript) and _string(left.slice) == "unit"
    return (
        is_unit_column
        and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops)
        and any(_string(c) == "%" for c in node.comparators)
    )


def _vintage_rank_dict(node: ast.Dict) -> bool:
    """A dict of two or more vintages to numbers, or of numbers to vintages: a rank."""
    pairs = [(_string(k) if k is not None else None, v) for k, v in zip(node.keys, node.values, strict=True)]
    forward = [k for k, v in pairs if k in VINTAGES and _number(v) is not None]
    backward = [
        _string(v) for k, v in zip(node.keys, node.values, strict=True) if k is not None and _number(k) is not None
    ]
    return len(forward) >= 2 or len([v for v in backward if v in VINTAGES]) >= 2


def _ytd_words(node: ast.Dict) -> bool:
    values = [_string(v) or "" for v in node.values]
    return any(v.endswith("cả năm") for v in values) and any(re.fullmatch(r"\d tháng", v) for v in values)


def findings(source: str, name: str) -> list[str]:
    """Where ``source`` (one module's text) spells a rule the rules or words module owns."""
    out: list[str] = []
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        text = _string(node)
        if text is not None:
            if _WHEN_VINTAGE.search(text):
                out.append(f"{where}: the vintage rank in SQL (use rules.vintage_rank_sql)")
            if _VERSION_ORDER.search(text):
                out.append(f"{where}: the version rank in SQL (use rules.version_order_sql / version_key_sql)")
            if _SERIES_SENDER.search(text):
                out.append(f"{where}: the series key in SQL (use rules.series_where_sql / same_series_sql)")
            for hex_code in _HEX.findall(text):
                if hex_code.lower() in _COLOURS:
                    out.append(f"{where}: status colour #{hex_code} (use kpi.words.STATUS_COLORS / STATUS_TINTS)")
            if text.strip() in ("(ước)", "(sơ bộ)"):
                out.append(f"{where}: the figure's mark {text!r} (use rules.figure_mark / words.ESTIMATE_MARK)")
        elif isinstance(node, ast.BinOp) and _half_unit(node):
            out.append(f"{where}: half a unit of the last decimal (use rules.within_half_unit)")
        elif isinstance(node, ast.Compare) and _unit_is_percent(node):
            out.append(f"{where}: awards told from the share by the unit (use rules.award_count_keys)")
        elif isinstance(node, ast.Dict) and _vintage_rank_dict(node):
            out.append(f"{where}: a vintage rank as a dict (use rules.vintage_rank / vintage_of_rank)")
        elif isinstance(node, ast.Dict) and _ytd_words(node):
            out.append(f"{where}: the year-to-date words (use kpi.words.YTD_WORDS)")
        elif isinstance(node, (ast.List, ast.Tuple)):
            names = [_string(e) or "" for e in node.elts]
            if sum(bool(_QUARTER_NAME.match(n)) for n in names) >= 2:
                out.append(f"{where}: the quarters' names (use kpi.words.QUARTER_LABELS)")
    return out


def test_no_module_spells_a_rule_the_rules_module_owns():
    found = []
    for path in _sources():
        found += findings(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, "Rules spelled outside kpi/domain/rules.py and kpi/words.py:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "SQL = \"ORDER BY CASE o.vintage WHEN 'official' THEN 3 WHEN 'preliminary' THEN 2 ELSE 1 END DESC\"",
        "sql = f\"max(CASE {c} WHEN 'estimate' THEN 1 END)\"",
        '_ORDER = {"official": 0, "preliminary": 1, "estimate": 2}',
        '_OF_RANK = {3: "official", 2: "preliminary", 1: "estimate"}',
        'Q = "ORDER BY s.doc_date DESC NULLS LAST, s.seq DESC"',
        "W = \"file_kind = ? AND coalesce(sender, '') = ?\"",
        "ok = abs(a - b) <= 0.5 * 10 ** (-d) + 1e-9",
        'ok = abs(a - b) > Decimal("0.5") * Decimal(10) ** -d',
        'rows = table[table["unit"] != "%"]',
        'css = "border-left-color: #005a9c;"',
        'fill = "CFE3F5"',
        'x = ["Quý I", "Quý II", "Quý III", "Quý IV"]',
        'tail = {1: "3 tháng", 2: "6 tháng", 3: "9 tháng", 4: "cả năm"}',
        'text = figure + (" (ước)" if basis == "estimate" else "")',
    ],
)
def test_each_spelling_is_found(source):
    assert findings(source, "example.py")


@pytest.mark.parametrize(
    "source",
    [
        'words = {"official": "", "preliminary": "sơ bộ", "estimate": "ước"}',  # words, not a rank
        'if unit == "%": pass',  # formatting a percentage, not telling awards from shares
        'vintage = "official"',
        'note = "(ước): số ước thực hiện"',
        "x = value * 1.5",
    ],
)
def test_what_is_not_a_rule_is_left_alone(source):
    assert not findings(source, "example.py")


def test_the_generated_sql_ranks_as_the_python_rules_do():
    """The SQL fragments are the Python rules: DuckDB orders vintages and versions as
    :func:`~kpi.domain.rules.vintage_rank` and :func:`~kpi.domain.rules.version_rank` do."""
    import datetime as dt

    con = duckdb.connect()
    vintages = ["estimate", "official", "preliminary", "other"]
    ranks = con.execute(f"SELECT v, {rules.vintage_rank_sql('v')} FROM unnest(?) AS t(v)", [vintages]).fetchall()
    assert {v: r for v, r in ranks} == {"estimate": 1, "official": 3, "preliminary": 2, "other": 1}
    assert [rules.vintage_rank(v) for v in ("official", "preliminary", "estimate")] == [3, 2, 1]
    assert rules.vintage_of_rank(2) == "preliminary" and rules.worst_vintage(["official", "estimate"]) == "estimate"

    versions = [
        (1, None, 5),
        (2, dt.date(2024, 4, 10), 1),
        (3, dt.date(2024, 4, 10), 2),
        (4, dt.date(2024, 3, 1), 9),
        (5, None, 7),
    ]
    con.execute("CREATE TABLE sub (id INT, doc_date DATE, seq INT)")
    con.executemany("INSERT INTO sub VALUES (?, ?, ?)", versions)
    in_sql = [r[0] for r in con.execute(f"SELECT id FROM sub s ORDER BY {rules.version_order_sql('s')}").fetchall()]
    in_python = [v[0] for v in sorted(versions, key=lambda v: rules.version_rank(v[1], v[2]), reverse=True)]
    assert in_sql == in_python == [3, 2, 4, 5, 1]
    below = con.execute(
        f"SELECT a.id, b.id FROM sub a, sub b WHERE {rules.version_key_sql('a')} < {rules.version_key_sql('b')}"
    ).fetchall()
    assert len(below) == 10 and (1, 5) in below and (5, 4) in below and (2, 3) in below


def test_the_series_key_and_the_half_unit():
    assert rules.series_key("report", None, "Huyện Tam Nông", 2024, 3.0) == (
        "report",
        "",
        "Huyện Tam Nông",
        2024,
        3,
        "",
    )
    assert rules.series_key("awards", "Phòng Nội vụ", None, 2024, 3) == ("awards", "Phòng Nội vụ", "", 2024, None, "")
    assert rules.series_key("report", "", "", 2024, float("nan"))[4] is None
    # a supplementary register is a series of its own (its part, kept in the stored options)
    assert rules.series_key("awards", "", "", 2024, None, "đợt 2")[-1] == "đợt 2"
    assert rules.register_part('{"part": "bổ sung"}') == "bổ sung" and rules.register_part(None) == ""
    assert rules.half_unit(1) == to_decimal("0.05") and rules.half_unit(0) == to_decimal("0.5")
    # 520,4 + 905,6 = 1.426,0 exactly; 1.426,05 is still within half a unit of one decimal, 1.426,06 is not
    assert rules.within_half_unit(rules.ytd_from_quarter(520.4, 905.6), 1426.0, 1)
    assert rules.within_half_unit(1426.05, 1426.0, 1)
    assert not rules.within_half_unit(1426.06, 1426.0, 1)
    assert rules.quarter_from_ytd(to_decimal("1426.0"), to_decimal("520.4")) == to_decimal("905.6")
    assert rules.written_decimals("1.426,0") == 1 and rules.written_decimals("2.438.300") == 0
