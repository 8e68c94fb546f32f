"""The audit log: who did what, when, to which file — written by every write, read by the admin page.

Every write of :mod:`kpi` leaves one row in ``audit_log`` (``logged_at``, ``actor``, ``action``,
``sha256``, ``file_name``, ``detail``), inside the same transaction as the change it records:

==========================  =====================================================================
action                      written by
==========================  =====================================================================
``upload``                  :func:`kpi.ingest.commit` (the file's sha256, what it became)
``supersede``               :func:`kpi.ingest.commit` (which earlier version it replaced)
``refuse``                  :func:`kpi.ingest.log_refusal` (sha256 and reasons; nothing else kept)
``withdraw``, ``restore``   :mod:`kpi.submissions`
``target_change``           :func:`kpi.plans.targets.change_target` (``unit_change``: a unit's block)
``plan_confirm``, ``plan_edit``, ``plan_copy``  :func:`kpi.plans.source.confirm_plan`, :func:`kpi.plans.source.copy_plan`
``user_add``, ``user_remove``  :mod:`kpi.access.auth`
``signin_failed``, ``signin_locked``  :func:`kpi.access.auth.sign_in`, :func:`kpi.access.auth.check_setup_code`
``signin_unlocked``         :func:`kpi.access.auth.clear_failures`
``denied``                  :func:`kpi.access.auth.require` (a role tried what it may not do)
``backup``, ``restore_backup``, ``rebuild``  :mod:`kpi.backup`, :mod:`kpi.rebuild`
``wal_set_aside``           :func:`kpi.bootstrap.open_database` (a WAL that could not be replayed)
``recovery_acknowledged``   :func:`kpi.bootstrap.acknowledge_recovery`
==========================  =====================================================================

:func:`audit_entries` filters it for the admin page (with the reason typed for a change, kept in
the import log); :func:`audit_table` puts it in Vietnamese words (actions by :data:`ACTION_LABELS`,
file kinds, statuses and roles in the details) for the page and :func:`audit_csv` exports that
table with every cell that a spreadsheet would run as a formula neutralised
(:func:`neutralize_formula`).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import duckdb
import pandas as pd

from kpi.vn import period_words
from kpi.words import FILE_KIND_WORDS, PERMISSION_WORDS, ROLE_LABELS, STATUS_WORDS, excerpt

__all__ = [
    "actor_words",
    "SYSTEM_ACTOR",
    "ACTION_LABELS",
    "record",
    "audit_entries",
    "audit_actions",
    "audit_actors",
    "audit_csv",
    "audit_table",
    "detail_words",
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
    "plan_confirm": "nạp kế hoạch từ văn bản",
    "plan_edit": "sửa kế hoạch",
    "plan_copy": "tạo kế hoạch năm mới",
    "alias_add": "ghi nhớ tên",
    "alias_remove": "xoá tên đã học",
    "user_add": "thêm người dùng",
    "user_remove": "xoá người dùng",
    "signin_failed": "đăng nhập sai",
    "signin_locked": "tạm khoá đăng nhập",
    "signin_unlocked": "bỏ tạm khoá đăng nhập",
    "denied": "bị từ chối quyền",
    "backup": "sao lưu",
    "restore_backup": "khôi phục từ bản sao lưu",
    "rebuild": "dựng lại từ tệp gốc",
    "wal_set_aside": "nhật ký WAL hỏng được để riêng",
    "commit_lost": "lần tải đã lưu bị mất",
    "recovery_acknowledged": "đã xem cảnh báo phục hồi",
}

#: The import-log action written with each audited change that carries a reason (SQL over an
#: audit row); other actions match nothing.
_LOGGED_AS = (
    "CASE action WHEN 'plan_confirm' THEN 'plan' WHEN 'plan_edit' THEN 'plan' WHEN 'plan_copy' THEN 'plan' "
    "WHEN 'target_change' THEN 'target' WHEN 'withdraw' THEN 'withdraw' WHEN 'restore' THEN 'restore' END"
)


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
        ``detail``, ``reason`` (str, ``""`` for none). ``reason`` is what the person typed as the
        reason of a plan change, a target change, a withdrawal or a restore: the note of the
        import-log entry written in the same transaction (same time, actor, file and kind).
    """
    where, params = ["TRUE"], []
    if actions:
        where.append("a.action IN (SELECT unnest(?))")
        params.append(list(actions))
    if actor:
        where.append("a.actor = ?")
        params.append(actor)
    if since:
        where.append("a.logged_at >= ?")
        params.append(dt.datetime.combine(since, dt.time.min))
    if until:
        where.append("a.logged_at < ?")
        params.append(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    if text and text.strip():
        where.append(
            "(coalesce(a.file_name, '') ILIKE ? ESCAPE '\\' OR coalesce(a.detail, '') ILIKE ? ESCAPE '\\' "
            "OR coalesce(a.sha256, '') ILIKE ? ESCAPE '\\')"
        )
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern, pattern]
    # The nth audited change of a (time, actor, file, kind) pairs with the nth import-log entry of
    # the same: both are written in one transaction, in the same order (two plan edits in one
    # second by one admin keep their own reasons).
    sql = (
        "WITH a AS (SELECT *, rowid AS rid, " + _LOGGED_AS + " AS kind FROM audit_log), "
        "numbered AS (SELECT *, row_number() OVER (PARTITION BY logged_at, actor, sha256, kind ORDER BY rid) AS n"
        " FROM a), "
        "r AS (SELECT logged_at, actor, sha256, action AS kind, note,"
        " row_number() OVER (PARTITION BY logged_at, actor, sha256, action ORDER BY seq) AS n FROM import_log) "
        "SELECT a.logged_at, a.actor, a.action, a.sha256, a.file_name, a.detail, r.note AS reason "
        "FROM numbered a LEFT JOIN r ON r.kind = a.kind AND r.n = a.n AND r.logged_at = a.logged_at"
        " AND r.actor IS NOT DISTINCT FROM a.actor AND r.sha256 IS NOT DISTINCT FROM a.sha256"
        " WHERE " + " AND ".join(where) + " ORDER BY a.logged_at DESC, a.rid DESC"
    )
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    frame = con.execute(sql, params).fetchdf()
    for column in ("actor", "sha256", "file_name", "detail", "reason"):
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


_UPLOAD_DETAIL = re.compile(r"#(\d+) (\w+) (\S+) → (\w+)(.*)", re.S)
_ROLE_DETAIL = re.compile(r"(.*) \((\w+)\)", re.S)
_DENIED_DETAIL = re.compile(r"(\w+) \(vai trò: (.*)\)", re.S)


def detail_words(action: str, detail: str) -> str:
    """An audit row's detail with the code's words in Vietnamese: an upload's "#5 registrations
    2024 → active" reads "#5 danh sách đăng ký thi đua năm 2024 → đang dùng" (file kind and
    status by :data:`kpi.words.FILE_KIND_WORDS` and ``STATUS_WORDS``, the period by
    :func:`kpi.vn.period_words`); a user's role ("vanthu (editor)" → "vanthu (cập nhật số liệu)")
    and a refused permission likewise. Other details are Vietnamese already and pass unchanged,
    as does any text not in these shapes."""
    text = detail or ""
    if action == "upload" and (m := _UPLOAD_DETAIL.fullmatch(text)):
        sid, kind, period, status, rest = m.groups()
        if kind in FILE_KIND_WORDS and status in STATUS_WORDS:
            kind_words = FILE_KIND_WORDS[kind][:1].lower() + FILE_KIND_WORDS[kind][1:]
            when = period_words(period)
            when = "năm" + when[3:] if when.startswith("Năm") else when
            return f"#{sid} {kind_words} {when} → {STATUS_WORDS[status]}{rest}"
    elif action == "user_add" and (m := _ROLE_DETAIL.fullmatch(text)):
        name, role = m.groups()
        if role in ROLE_LABELS:
            return f"{name} ({ROLE_LABELS[role]})"
    elif action == "denied" and (m := _DENIED_DETAIL.fullmatch(text)):
        permission, role = m.groups()
        return f"{PERMISSION_WORDS.get(permission, permission)} (vai trò: {ROLE_LABELS.get(role, role)})"
    return text


#: The actor the program itself writes as (first start, recovery checks: kpi.bootstrap).
#: The actor of a visitor not signed in (:func:`kpi.access.roles.visitor`).
ANONYMOUS = "khách"
SYSTEM_ACTOR = "system"


def actor_words(actor: str | None) -> str:
    """Who acted, as people read it: the program itself is «hệ thống» (never "system"); the
    command line's operator "cli:ten" is «ten (dòng lệnh)»; a visitor not signed in (in set-up
    mode, the only one who may write before the first admin exists) «người chưa đăng nhập», not
    «khách», which read as a guest who uploaded (black-box); a user is their name."""
    actor = actor or ""
    if actor == SYSTEM_ACTOR:
        return "hệ thống"
    if actor == ANONYMOUS:
        return "người chưa đăng nhập"
    if actor.startswith("cli:"):
        return f"{actor[4:]} (dòng lệnh)"
    return actor


#: A folder path inside a detail ("/srv/kpi/backups/kpi-2024.duckdb", "C:\\KPI\\sao-luu\\x.duckdb").
_FOLDERS = re.compile(r"(?<![^\s(«])(?:[A-Za-z]:)?(?:[\\/][^\s\\/«»()]+)+[\\/](?=[^\s\\/]+)")


#: The characters of a detail the admin page's grid shows: three lines of its 245-px column.
SCREEN_DETAIL_CHARS = 72


def audit_table(frame: pd.DataFrame, screen: bool = False) -> pd.DataFrame:
    """:func:`audit_entries` rows as people read them (the admin page's table and the CSV):
    "Thời điểm" (dd/mm/yyyy HH:MM:SS), "Người thực hiện", "Hành động" (:data:`ACTION_LABELS`,
    the code's name only for an action without words), "Diễn giải" (the reason typed, if any),
    "Tên tệp", "sha256", "Chi tiết" (:func:`detail_words`).

    :param screen: for the page's grid: a folder path in a detail is written «…/» before its file's
        name (a path has no space to wrap at, and a grid cuts it: «/tmp/pytest-of-root/…/b»), and a
        detail longer than its three lines (:data:`SCREEN_DETAIL_CHARS`) ends «…» between words —
        a refusal's whole reason runs to a paragraph; the CSV keeps every detail whole."""
    reasons = frame["reason"] if "reason" in frame else pd.Series([""] * len(frame), index=frame.index)
    details = [detail_words(a, d) for a, d in zip(frame["action"], frame["detail"], strict=True)]
    if screen:
        details = [excerpt(_FOLDERS.sub("…/", d), SCREEN_DETAIL_CHARS) if isinstance(d, str) else d for d in details]
    return pd.DataFrame(
        {
            "Thời điểm": pd.to_datetime(frame["logged_at"]).dt.strftime("%d/%m/%Y %H:%M:%S"),
            "Người thực hiện": [actor_words(a) for a in frame["actor"]],
            "Hành động": [ACTION_LABELS.get(a, a) for a in frame["action"]],
            "Diễn giải": reasons.fillna("").astype(str),
            "Tên tệp": frame["file_name"],
            "sha256": frame["sha256"],
            "Chi tiết": details,
        }
    )


def audit_csv(frame: pd.DataFrame) -> bytes:
    """The audit rows (:func:`audit_entries`) as CSV in the words of :func:`audit_table` (UTF-8
    with BOM so Excel shows Vietnamese), no cell that a spreadsheet would run as a formula."""
    out = audit_table(frame).map(neutralize_formula)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
