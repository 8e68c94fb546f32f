"""Changing one year's target, or a unit's emulation block, with history: admins only.

A target change is one transaction: the indicator's target columns, a ``target_history`` row
(who, when, old → new, why), an import-log entry (so ``rebuild`` replays it after re-seeding the
plan), an audit row (``target_change``) and a bump of the data version. The same for a unit's
block (``unit_change``). Nothing is deleted: the history keeps every earlier value.

(The plan editor of issue 8 — whole plans read from their text — builds on these or replaces
them; either way a change goes through :func:`kpi.access.auth.require` and leaves these rows.)
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import InvalidOperation
from pathlib import Path

import duckdb

from kpi.access.audit import record
from kpi.access.auth import require
from kpi.domain.plan import parse_target, target_problems
from kpi.errors import NotFound, PlanError
from kpi.storage.database import bump_plan_version, transaction, write_lock
from kpi.storage.store import next_seq

__all__ = ["change_target", "change_unit_block"]


def change_target(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    year: int,
    key: str,
    target_text: str,
    reason: str,
    at: dt.datetime | None = None,
    log: bool = True,
    data_dir: Path | None = None,
) -> str:
    """Set indicator ``key``'s target for ``year`` to ``target_text`` ("805", "72,89", "45-55").

    :param reason: why (kept in the history; required — a target is a decision of the plan).
    :param data_dir: the data folder whose ``unit_natures.csv`` says which units are shares and
        counts (default: the project's).
    :returns: a Vietnamese message.
    :raises PermissionDenied: ``actor`` is not an admin.
    :raises NotFound: no such indicator in that year's plan.
    :raises PlanError: the text is not a target, a range for a single-valued indicator (or the
        reverse), no reason was given, or the target breaks a rule of the plan
        (:func:`kpi.domain.plan.target_problems`: negative, a share above 100, a range's low above its
        high, a count not whole). Nothing is stored.
    """
    require(con, actor, "edit_targets")
    target, lo, hi, decimals = _read_target(target_text, reason)
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        old_text = _check_against_plan(con, year, key, target_text, lo, data_dir)
        with transaction(con):
            _store_target(con, year, key, target, lo, hi, target_text.strip(), decimals)
            con.execute(
                "INSERT INTO target_history VALUES (?, ?, ?, ?, 'target', ?, ?, ?)",
                [at, actor, year, key, old_text, target_text.strip(), reason.strip()],
            )
            if log:
                options = json.dumps({"year": year, "key": key, "target": target_text.strip()}, ensure_ascii=False)
                seq = next_seq(con)
                con.execute(
                    "INSERT INTO import_log VALUES (?, ?, 'target', NULL, NULL, ?, ?, ?)",
                    [seq, at, options, actor, reason.strip()],
                )
            record(
                con,
                actor,
                "target_change",
                detail=f"{year} {key}: {old_text} → {target_text.strip()} ({reason})",
                at=at,
            )
            bump_plan_version(con)
    return f"Đã sửa chỉ tiêu {key} năm {year}: {old_text} → {target_text.strip()}."


def _read_target(target_text: str, reason: str) -> tuple:
    """``(target, lo, hi, decimals)`` of :func:`kpi.domain.plan.parse_target`.

    :raises PlanError: no reason, not a target, or empty.
    """
    if not reason or not reason.strip():
        raise PlanError("Hãy ghi lý do sửa chỉ tiêu (ví dụ: số văn bản điều chỉnh kế hoạch).")
    try:
        target, lo, hi, decimals = parse_target(target_text)
    except (InvalidOperation, ValueError) as exc:
        raise PlanError(
            f"«{target_text}» không phải là một chỉ tiêu (một số như 12,5 hoặc một khoảng như 10-20)."
        ) from exc
    if target is None and lo is None:
        raise PlanError("Chỉ tiêu không được để trống.")
    return target, lo, hi, decimals


def _check_against_plan(con, year: int, key: str, target_text: str, lo, data_dir: Path | None) -> str:
    """The indicator's current target text, once the new one fits it: the plan's rules for its
    unit (:func:`kpi.domain.plan.target_problems`), a range for a range and a number for a number.

    :raises NotFound: no such indicator in that year's plan.
    :raises PlanError: the new target does not fit.
    """
    rows = con.execute(
        "SELECT direction, target_text, name, unit FROM indicators WHERE year = ? AND key = ?", [year, key]
    ).fetchall()
    if not rows:
        raise NotFound(f"Kế hoạch năm {year} không có chỉ tiêu «{key}».")
    direction, old_text, name, unit = rows[0]
    wrong = target_problems(target_text, unit or "", data_dir)
    if wrong:
        raise PlanError(f"Chưa sửa chỉ tiêu {key} «{name}» năm {year}: " + "; ".join(wrong) + ".")
    if (direction == "range") != (lo is not None):
        raise PlanError(
            f"Chỉ tiêu {key} «{name}» là một khoảng (ví dụ 10-20)."
            if direction == "range"
            else f"Chỉ tiêu {key} «{name}» là một số."
        )
    return old_text


def _store_target(con, year: int, key: str, target, lo, hi, text: str, decimals: int) -> None:
    """The indicator's target columns (a number, or a range's ends) and its text as written."""
    con.execute(
        "UPDATE indicators SET target = ?, target_lo = ?, target_hi = ?, target_text = ?, decimals = ? "
        "WHERE year = ? AND key = ?",
        [
            float(target) if target is not None else None,
            float(lo) if lo is not None else None,
            float(hi) if hi is not None else None,
            text,
            decimals,
            year,
            key,
        ],
    )


def change_unit_block(
    con: duckdb.DuckDBPyConnection, actor: str, year: int, unit: str, block: str, reason: str = ""
) -> str:
    """Move a reporting unit to another emulation block for ``year`` (admins only).

    :raises PermissionDenied, NotFound:
    """
    require(con, actor, "edit_units")
    at = dt.datetime.now().replace(microsecond=0)
    with write_lock:
        old = con.execute("SELECT block FROM units WHERE year = ? AND unit = ?", [year, unit]).fetchall()
        if not old:
            raise NotFound(f"Năm {year} không có đơn vị «{unit}».")
        with transaction(con):
            con.execute("UPDATE units SET block = ? WHERE year = ? AND unit = ?", [block, year, unit])
            con.execute(
                "INSERT INTO target_history VALUES (?, ?, ?, ?, 'block', ?, ?, ?)",
                [at, actor, year, unit, old[0][0], block, reason],
            )
            record(con, actor, "unit_change", detail=f"{year} {unit}: khối {old[0][0]} → {block}", at=at)
            bump_plan_version(con)
    return f"Đã chuyển {unit} sang khối {block} (năm {year})."
