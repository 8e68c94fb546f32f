"""The audit log: who did what, when, to which file — written by every write, read by the admin page.

Every write of :mod:`kpi` leaves one row in ``audit_log`` (``logged_at``, ``actor``, ``action``,
``sha256``, ``file_name``, ``detail``), inside the same transaction as the change it records:

==========================  =====================================================================
action                      written by
==========================  =====================================================================
``upload``                  :func:`kpi.ingest.commit` (the file's sha256, what it became)
``supersede``               :func:`kpi.ingest.commit` (which earlier version it replaced)
``refuse``                  :func:`kpi.ingest.log_refusal` (sha256 and reasons; nothing else kept)
``withdraw``, ``restore``   :mod:`kpi.history`
``target_change``           :func:`kpi.targets.change_target` (``unit_change``: a unit's block)
``user_add``, ``user_remove``  :mod:`kpi.auth`
``signin_failed``           :func:`kpi.auth.verify_password`
``denied``                  :func:`kpi.auth.require` (a role tried what it may not do)
``backup``, ``restore_backup``, ``rebuild``  :mod:`kpi.backup`, :mod:`kpi.rebuild`
``wal_set_aside``           :func:`kpi.store.open_database` (a WAL that could not be replayed)
``recovery_acknowledged``   :func:`kpi.store.acknowledge_recovery`
==========================  =====================================================================

:func:`audit_entries` filters it for the admin page; :func:`audit_csv` exports it with every cell
that a spreadsheet would run as a formula neutralised (:func:`neutralize_formula`).
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd

__all__ = [
    "ACTION_LABELS",
    "record",
    "audit_entries",
    "audit_actions",
    "audit_actors",
    "audit_csv",
    "neutralize_formula",
]

#: Vietnamese words for each action (the admin page's filter and table).
ACTION_LABELS = {
    "upload": "tải lên",
    "supersede": "thay bản trước",
    "refuse": "từ chối tệp",
    "withdraw": "rút báo cáo",
    "restore": "khôi phục phiên bản",
    "target_change": "sửa chỉ tiêu",
    "unit_change": "sửa khối thi đua của đơn vị",
    "plan": "nạp kế hoạch",
    "user_add": "thêm người dùng",
    "user_remove": "xoá người dùng",
    "signin_failed": "đăng nhập sai",
    "denied": "bị từ chối quyền",
    "backup": "sao lưu",
    "restore_backup": "khôi phục từ bản sao lưu",
    "rebuild": "dựng lại từ tệp gốc",
    "wal_set_aside": "nhật ký WAL hỏng được để riêng",
    "recovery_acknowledged": "đã xem cảnh báo phục hồi",
}

_COLUMNS = ["logged_at", "actor", "action", "sha256", "file_name", "detail"]


def record(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    action: str,
    sha256: str | None = None,
    file_name: str | None = None,
    detail: str = "",
    at: dt.datetime | None = None,
) -> None:
    """Append one audit row (in the caller's transaction, under the caller's write lock)."""
    con.execute(
        "INSERT INTO audit_log (logged_at, actor, action, sha256, file_name, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [at or dt.datetime.now().replace(microsecond=0), actor, action, sha256, file_name, detail[:4000]],
    )


def audit_entries(
    con: duckdb.DuckDBPyConnection,
    actions: list[str] | None = None,
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str | None = None,
    limit: int | None = 5000,
) -> pd.DataFrame:
    """Audit rows, newest first, filtered.

    :param actions: only these actions (``None`` or empty: all).
    :param actor: only this actor (exact name).
    :param since, until: dates, inclusive.
    :param text: a case-insensitive substring of the file name, detail or sha256.
    :returns: DataFrame ``logged_at`` timestamp, ``actor``, ``action``, ``sha256``, ``file_name``,
        ``detail`` (str, ``""`` for none).
    """
    where, params = ["TRUE"], []
    if actions:
        where.append("action IN (SELECT unnest(?))")
        params.append(list(actions))
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if since:
        where.append("logged_at >= ?")
        params.append(dt.datetime.combine(since, dt.time.min))
    if until:
        where.append("logged_at < ?")
        params.append(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    if text and text.strip():
        where.append(
            "(coalesce(file_name, '') ILIKE ? ESCAPE '\\' OR coalesce(detail, '') ILIKE ? ESCAPE '\\' "
            "OR coalesce(sha256, '') ILIKE ? ESCAPE '\\')"
        )
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern, pattern]
    sql = (
        "SELECT logged_at, actor, action, sha256, file_name, detail FROM audit_log WHERE "
        + " AND ".join(where)
        + " ORDER BY logged_at DESC, rowid DESC"
    )
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    frame = con.execute(sql, params).fetchdf()
    for column in ("actor", "sha256", "file_name", "detail"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def audit_actions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The actions present in the log (for the filter), most frequent first."""
    return [r[0] for r in con.execute("SELECT action FROM audit_log GROUP BY action ORDER BY count(*) DESC").fetchall()]


def audit_actors(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Everyone who appears in the log (for the filter), alphabetically."""
    return [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT actor FROM audit_log WHERE actor IS NOT NULL AND actor <> '' ORDER BY actor"
        ).fetchall()
    ]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "｜", "＝", "＋", "－", "＠")


def neutralize_formula(value: object) -> object:
    """A text a spreadsheet would run as a formula ("=HYPERLINK(…)", "+1", "@SUM", "-2+3") gets a
    leading apostrophe, so Excel and LibreOffice show it as text (OWASP "CSV injection"). Numbers
    and other values pass unchanged."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def audit_csv(frame: pd.DataFrame) -> bytes:
    """The audit rows as CSV (UTF-8 with BOM so Excel shows Vietnamese), Vietnamese headers,
    timestamps as dd/mm/yyyy HH:MM:SS, no cell that a spreadsheet would run as a formula."""
    out = pd.DataFrame(
        {
            "Thời điểm": pd.to_datetime(frame["logged_at"]).dt.strftime("%d/%m/%Y %H:%M:%S"),
            "Người thực hiện": frame["actor"],
            "Hành động": frame["action"],
            "Diễn giải": frame["action"].map(ACTION_LABELS).fillna(""),
            "Tên tệp": frame["file_name"],
            "sha256": frame["sha256"],
            "Chi tiết": frame["detail"],
        }
    )
    out = out.map(neutralize_formula)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
