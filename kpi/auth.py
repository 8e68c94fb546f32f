"""Who may do what: roles, users, password hashes, sign-in.

Roles, from least to most: ``viewer`` (looks), ``editor`` (uploads, corrects, withdraws own
submissions), ``admin`` (targets, units, users, restoring history, backups). Every write function
of :mod:`kpi` calls :func:`require` with the acting user, so a role that may not write gets a
:class:`~kpi.errors.PermissionDenied` whatever the interface; pages only hide what this refuses.

* A fresh install with no users runs **open**: every actor may do everything (the README's first
  run works), and the app says so with the command that creates the first admin.
* The command line acts as the local operator: an actor ``cli:<OS user>`` is an admin (whoever
  can open the database file is trusted).
* Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` defaults, RFC 9106); a
  failed sign-in is slowed and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kpi.errors import NotFound, PermissionDenied
from kpi.store import scalar, write_lock

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "PERMISSION_WORDS",
    "ANONYMOUS",
    "require",
    "role_of",
    "open_mode",
    "add_user",
    "remove_user",
    "list_users",
    "verify_password",
    "can",
]

ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "xem", "editor": "cập nhật số liệu", "admin": "quản trị"}
ANONYMOUS = "khách"

#: action → the least role allowed.
_NEEDED = {
    "view": "viewer",
    "upload": "editor",
    "withdraw": "editor",
    "restore": "admin",
    "edit_targets": "admin",
    "edit_units": "admin",
    "manage_users": "admin",
    "backup": "admin",
    "rebuild": "admin",
    "map_layout": "editor",
}
_ACTION_WORDS = {
    "view": "xem số liệu",
    "upload": "tải lên báo cáo",
    "withdraw": "rút báo cáo",
    "restore": "khôi phục phiên bản",
    "edit_targets": "sửa chỉ tiêu kế hoạch",
    "edit_units": "sửa danh mục đơn vị",
    "manage_users": "quản lý người dùng",
    "backup": "sao lưu / khôi phục",
    "rebuild": "dựng lại cơ sở dữ liệu",
    "map_layout": "khai báo mẫu biểu",
}
#: Vietnamese words of each permission (the audit log's ``denied`` rows name one).
PERMISSION_WORDS = _ACTION_WORDS
_FAILED_SIGNIN_DELAY_S = 1.0
_hasher = PasswordHasher()
#: Verified against when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("không có người dùng này")


def open_mode(con: duckdb.DuckDBPyConnection) -> bool:
    """True while no user exists: everyone may do everything."""
    return (scalar(con, "SELECT count(*) FROM users") or 0) == 0


def role_of(con: duckdb.DuckDBPyConnection, actor: str | None) -> str | None:
    """The actor's role: ``admin`` for ``cli:*``, the stored role of a user, ``admin`` for
    anyone while the install is open, else ``None`` (not signed in / unknown)."""
    if actor and actor.startswith("cli:"):
        return "admin"
    if open_mode(con):
        return "admin"
    if not actor or actor == ANONYMOUS:
        return None
    return scalar(con, "SELECT role FROM users WHERE name = ?", [actor])


def can(con: duckdb.DuckDBPyConnection, actor: str | None, action: str) -> bool:
    """Whether ``actor`` may do ``action`` (see :data:`_NEEDED`)."""
    role = role_of(con, actor)
    return role is not None and ROLES.index(role) >= ROLES.index(_NEEDED[action])


def require(con: duckdb.DuckDBPyConnection, actor: str | None, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``action``; a refusal is written to
    the audit log (``denied``), so attempts past what the pages hide are seen.

    Call it before opening the write's transaction (the audit row is its own write).
    """
    if can(con, actor, action):
        return
    from kpi.audit import record

    with write_lock:
        try:
            record(
                con,
                actor or ANONYMOUS,
                "denied",
                detail=f"{action} (vai trò: {role_of(con, actor) or 'chưa đăng nhập'})",
            )
        except duckdb.Error:  # a read-only connection, or inside a failed transaction: refuse anyway
            pass
    raise PermissionDenied(actor or ANONYMOUS, _ACTION_WORDS.get(action, action), _NEEDED[action])


def add_user(con: duckdb.DuckDBPyConnection, actor: str, name: str, role: str, password: str, unit: str = "") -> None:
    """Create (or replace) a user with an Argon2id password hash.

    :raises ValueError: unknown role, empty name, or a password shorter than 8 characters.
    :raises PermissionDenied: ``actor`` is not an admin (the first user may be created by anyone
        while the install is open, e.g. from the command line).
    """
    require(con, actor, "manage_users")
    name = name.strip()
    if role not in ROLES:
        raise ValueError(f"Vai trò «{role}» không hợp lệ; chọn một trong: {', '.join(ROLES)}.")
    if not name:
        raise ValueError("Tên người dùng không được để trống.")
    if len(password) < 8:
        raise ValueError("Mật khẩu phải có ít nhất 8 ký tự.")
    digest = _hasher.hash(password)
    now = dt.datetime.now().replace(microsecond=0)
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM users WHERE name = ?", [name])
            con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", [name, role, digest, unit, now, actor])
            con.execute(
                "INSERT INTO audit_log VALUES (?, ?, 'user_add', NULL, NULL, ?)", [now, actor, f"{name} ({role})"]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def remove_user(con: duckdb.DuckDBPyConnection, actor: str, name: str) -> None:
    """Delete a user. :raises NotFound: no such user."""
    require(con, actor, "manage_users")
    with write_lock:
        if scalar(con, "SELECT count(*) FROM users WHERE name = ?", [name]) == 0:
            raise NotFound(f"Không có người dùng «{name}».")
        con.execute("DELETE FROM users WHERE name = ?", [name])
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, 'user_remove', NULL, NULL, ?)",
            [dt.datetime.now().replace(microsecond=0), actor, name],
        )


def list_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Users without their hashes: ``name``, ``role``, ``unit``, ``created_at``, ``created_by``."""
    return con.execute("SELECT name, role, unit, created_at, created_by FROM users ORDER BY name").fetchdf()


def verify_password(con: duckdb.DuckDBPyConnection, name: str, password: str) -> bool:
    """Check a sign-in. A failure is slowed (about a second) and written to the audit log."""
    digest = scalar(con, "SELECT password_hash FROM users WHERE name = ?", [name])
    ok = False
    try:
        ok = _hasher.verify(digest or _DUMMY_HASH, password) and bool(digest)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        time.sleep(_FAILED_SIGNIN_DELAY_S)
        with write_lock:
            con.execute(
                "INSERT INTO audit_log VALUES (?, ?, 'signin_failed', NULL, NULL, ?)",
                [dt.datetime.now().replace(microsecond=0), name, "sai tên hoặc mật khẩu"],
            )
    return ok
