"""Corrections and their history: withdrawing a submission, restoring an earlier version.

Nothing is ever deleted: a withdrawn submission keeps its figures with status ``withdrawn``; a
restored version becomes active again and the version it replaces becomes ``superseded``. Both
actions are written to the import log (so ``rebuild`` replays them) and to the audit log, and
bump the data version.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from kpi.access.audit import record
from kpi.access.auth import can, require, role_of
from kpi.domain.rules import register_part, series_key, series_where_sql, version_rank
from kpi.errors import KpiError, NotFound, PermissionDenied
from kpi.storage.database import bump_version, transaction, write_lock
from kpi.storage.store import next_seq

__all__ = ["can_withdraw", "withdraw_submission", "restore_submission"]


def _submission(con, submission_id: int) -> dict:
    frame = con.execute("SELECT * FROM submissions WHERE submission_id = ?", [submission_id]).fetchdf()
    if frame.empty:
        raise NotFound(f"Không có lần tải #{submission_id}.")
    return frame.iloc[0].to_dict()


def _may_withdraw(con, actor: str | None, sub: dict) -> bool:
    return can(con, actor, "withdraw") and (role_of(con, actor) == "admin" or sub["uploaded_by"] == actor)


def can_withdraw(con: duckdb.DuckDBPyConnection, actor: str | None, submission_id: int) -> bool:
    """Whether ``actor`` may withdraw this submission: an admin any, an editor only their own
    uploads (the roles in :mod:`kpi.access.auth`); ``False`` for an unknown submission. What the data page asks
    before offering the button; :func:`withdraw_submission` applies the same rule."""
    try:
        sub = _submission(con, submission_id)
    except NotFound:
        return False
    return _may_withdraw(con, actor, sub)


def _series(con, sub: dict) -> list[tuple]:
    """Every version of ``sub``'s series (:func:`kpi.domain.rules.series_key`), oldest upload first."""
    part = register_part(sub.get("options"))
    key = series_key(sub["file_kind"], sub["sender"], sub["subject"], sub["year"], sub["quarter"], part)
    return con.execute(
        f"SELECT submission_id, status, doc_date, seq FROM submissions WHERE {series_where_sql()} ORDER BY seq",
        list(key),
    ).fetchall()


def _log(con, action: str, sub: dict, actor: str, reason: str, at: dt.datetime, log: bool) -> None:
    if log:
        seq = next_seq(con)
        con.execute(
            "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, '{}', ?, ?)",
            [seq, at, action, sub["sha256"], sub["file_name"], actor, reason],
        )
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
        [at, actor, action, sub["sha256"], sub["file_name"], f"#{sub['submission_id']} {reason}".strip()],
    )


def withdraw_submission(
    con: duckdb.DuckDBPyConnection,
    submission_id: int,
    actor: str,
    reason: str = "",
    at: dt.datetime | None = None,
    log: bool = True,
    *,
    require_reason: bool = False,
) -> str:
    """Withdraw a submission (an editor may withdraw their own uploads, an admin any); the best
    remaining version of its series becomes active again.

    :param reason: why; kept in the submission's status note ("Rút bởi … lúc …: <reason>"), the
        import log (replayed by ``rebuild``) and the audit log.
    :param require_reason: refuse without a reason (what a person withdrawing from a page must
        give); replays and older callers may leave it empty.
    :returns: a Vietnamese message.
    :raises KpiError: ``require_reason`` and no reason; nothing is changed.
    :raises NotFound, PermissionDenied:
    """
    require(con, actor, "withdraw")
    reason = (reason or "").strip()
    if require_reason and not reason:
        raise KpiError(f"Hãy ghi lý do rút lần tải #{submission_id} (ví dụ: gửi nhầm tệp, số liệu sai). Chưa rút gì.")
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        sub = _submission(con, submission_id)
        if not _may_withdraw(con, actor, sub):
            # refused like kpi.access.auth.require refuses: with its "denied" row, so the attempt is seen
            record(
                con,
                actor,
                "denied",
                sub["sha256"],
                sub["file_name"],
                f"withdraw #{submission_id} (tải lên bởi {sub['uploaded_by']}; chỉ quản trị viên rút được)",
            )
            raise PermissionDenied(actor, "rút báo cáo do người khác tải lên", "admin")
        if sub["status"] == "withdrawn":
            return f"Lần tải #{submission_id} đã được rút trước đó."
        with transaction(con):
            was_active = sub["status"] == "active"
            changed = [submission_id]
            con.execute(
                "UPDATE submissions SET status = 'withdrawn', status_note = ? WHERE submission_id = ?",
                [f"Rút bởi {actor} lúc {at:%d/%m/%Y %H:%M}" + (f": {reason}" if reason else ""), submission_id],
            )
            if was_active:
                remaining = [r for r in _series(con, sub) if r[1] != "withdrawn"]
                if remaining:
                    best = max(remaining, key=lambda r: version_rank(r[2], r[3]))
                    con.execute(
                        "UPDATE submissions SET status = 'active', status_note = ? WHERE submission_id = ?",
                        [f"Dùng lại sau khi rút #{submission_id}", best[0]],
                    )
                    changed.append(best[0])
            _log(con, "withdraw", sub, actor, reason, at, log)
            bump_version(con, figures_of=changed)
    return f"Đã rút lần tải #{submission_id} ({sub['file_name']})."


def restore_submission(
    con: duckdb.DuckDBPyConnection,
    submission_id: int,
    actor: str,
    reason: str = "",
    at: dt.datetime | None = None,
    log: bool = True,
) -> str:
    """Make an earlier (superseded or withdrawn) version the active one of its series; the
    current active version becomes superseded. Admins only.

    :returns: a Vietnamese message. :raises NotFound, PermissionDenied:
    """
    require(con, actor, "restore")
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        sub = _submission(con, submission_id)
        if sub["status"] == "active":
            return f"Lần tải #{submission_id} đang được dùng."
        with transaction(con):
            changed = [submission_id]
            for sid, status, _d, _s in _series(con, sub):
                if status == "active":
                    changed.append(sid)
                    con.execute(
                        "UPDATE submissions SET status = 'superseded', status_note = ? WHERE submission_id = ?",
                        [f"Được thay khi khôi phục #{submission_id}", sid],
                    )
            con.execute(
                "UPDATE submissions SET status = 'active', status_note = ? WHERE submission_id = ?",
                [f"Khôi phục bởi {actor} lúc {at:%d/%m/%Y %H:%M}" + (f": {reason}" if reason else ""), submission_id],
            )
            _log(con, "restore", sub, actor, reason, at, log)
            bump_version(con, figures_of=changed)
    return f"Đã khôi phục lần tải #{submission_id} ({sub['file_name']}) làm bản đang dùng."
