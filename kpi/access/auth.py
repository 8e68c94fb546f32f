"""Who may do what: roles, users, password hashes, sign-in, the set-up code.

This module holds the users (:func:`add_user`, :func:`remove_user`, :func:`list_users`) and the
client's address; it re-exports, for its callers, the roles and the role check
(:mod:`kpi.access.roles`), sign-in with its failure hold (:mod:`kpi.access.signin`) and the
set-up code (:mod:`kpi.access.setup`).

Roles, from least to most: ``viewer`` (looks), ``editor`` (uploads, corrects, withdraws own
submissions), ``admin`` (targets, units, users, restoring history, backups). Every write function
of :mod:`kpi` calls :func:`require` with the acting user, so a role that may not write gets a
:class:`~kpi.errors.PermissionDenied` whatever the interface; pages only hide what this refuses.

No name grants a role (issue 16, finding 4). Who acts is one of:

* the **command line's operator**: an :class:`Operator`, an object that only code makes
  (:func:`operator`, called by :mod:`kpi.cli`'s commands); whoever can run the command line can
  open the database file anyway. Its text, ``cli:<OS user>``, is what the audit log shows; a name
  starting with ``cli:`` can never be given to a user (:func:`validate_name`), and the text
  itself grants nothing.
* a **visitor of the app**: a :class:`Visitor` (its text is the signed-in user's name or
  :data:`ANONYMOUS`), marked by the app with whether it is *trusted for set-up*: it connects from
  the server machine itself (loopback address) or typed the set-up code.
* plain text: a caller inside the server's own Python process (scripts, tests). It has the stored
  role of that name, and, while no admin exists, is the local operator.

Until the first admin exists (**set-up mode**, :func:`open_mode`) every visitor may look (viewer),
and only a visitor trusted for set-up may write (admin), so an install is never open to the LAN by
accident; the set-up code (:func:`ensure_setup_code`) is printed in the server's console and
written to ``setup-code.txt`` beside the database, as Jupyter's token and Grafana's first admin
do. The last admin can be neither removed nor demoted.

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` defaults, RFC 9106: 64 MiB,
3 passes). A sign-in (:func:`sign_in`) is refused without checking the password while the user
name or the client address is held back (:data:`FAILURE_POLICY`); failures are counted in the
database (table ``signin_failures``) and written to the audit log; one password is checked at a
time and a stored hash asking for more than :data:`MAX_HASH_MEMORY_KIB` is not checked.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

import duckdb
import pandas as pd

from kpi.access.audit import record
from kpi.access.roles import (
    ANONYMOUS,
    NAME_MAX,
    RESERVED_PREFIXES,
    ROLES,
    Operator,
    Visitor,
    can,
    logged_text,
    open_mode,
    operator,
    require,
    role_of,
    validate_name,
    visitor,
)
from kpi.access.setup import check_setup_code, discard_setup_code, ensure_setup_code, setup_code_path
from kpi.access.signin import (
    FAILURE_POLICY,
    MAX_HASH_MEMORY_KIB,
    UNKNOWN_ADDRESS,
    FailurePolicy,
    SigninResult,
    clear_failures,
    hash_password,
    sign_in,
    verify_password,
)
from kpi.errors import KpiError, NotFound
from kpi.storage.database import scalar, write_lock
from kpi.words import ROLE_LABELS

__all__ = [
    "ROLES",
    "ANONYMOUS",
    "NAME_MAX",
    "Operator",
    "Visitor",
    "SigninResult",
    "operator",
    "visitor",
    "validate_name",
    "require",
    "role_of",
    "open_mode",
    "add_user",
    "remove_user",
    "list_users",
    "sign_in",
    "verify_password",
    "clear_failures",
    "can",
    "client_address",
    "is_local_address",
    "is_server_machine",
    "setup_code_path",
    "ensure_setup_code",
    "check_setup_code",
    "discard_setup_code",
    "RESERVED_PREFIXES",
    "FailurePolicy",
    "FAILURE_POLICY",
    "UNKNOWN_ADDRESS",
    "MAX_HASH_MEMORY_KIB",
]


# -- users ------------------------------------------------------------------------------------------


def _admins(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT count(*) FROM users WHERE role = 'admin'") or 0


def _last_admin_refusal(name: str) -> KpiError:
    return KpiError(
        f"Không thể bỏ quyền quản trị của «{name}»: đây là quản trị viên cuối cùng. "
        "Hãy tạo một quản trị viên khác trước (nếu không, ứng dụng sẽ trở về chế độ thiết lập)."
    )


def _first_user_refusal(name: str, role: str) -> KpiError:
    return KpiError(
        f"Chưa có quản trị viên nên người dùng đầu tiên phải là quản trị viên: không tạo «{name}» với vai "
        f"trò «{ROLE_LABELS.get(role, role)}». Hãy tạo quản trị viên trước (chế độ thiết lập chỉ kết thúc khi đã "
        "có quản trị viên), rồi thêm các người dùng khác."
    )


def add_user(con: duckdb.DuckDBPyConnection, actor: str, name: str, role: str, password: str, unit: str = "") -> None:
    """Create (or replace: role, password, unit) a user with an Argon2id password hash; the change
    and its ``user_add`` audit row are one transaction.

    While no admin exists (set-up mode, :func:`open_mode`) only an admin may be created: set-up
    mode ends with the first admin, and a first user of another role would leave it open with a
    user list that looks finished (issue 14, a black-box tester made an editor first and was told
    set-up mode had ended).

    :raises ValueError: a name refused by :func:`validate_name`, an unknown role, a password
        shorter than 8 characters.
    :raises KpiError: the change would demote the last admin; a role other than ``admin`` while
        no admin exists.
    :raises PermissionDenied: ``actor`` is not an admin (in set-up mode: not the command line, not
        on the server machine, no set-up code).
    """
    require(con, actor, "manage_users")
    name = validate_name(name)
    if role not in ROLES:
        raise ValueError(f"Vai trò «{role}» không hợp lệ; chọn một trong: {', '.join(ROLES)}.")
    if len(password) < 8:
        raise ValueError("Mật khẩu phải có ít nhất 8 ký tự.")
    if len(password) > 1024:
        raise ValueError("Mật khẩu dài quá 1.024 ký tự.")
    unit = logged_text(unit.strip(), 200)
    digest = hash_password(password)
    now = dt.datetime.now().replace(microsecond=0)
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
            if role != "admin" and _admins(con) == 0:
                raise _first_user_refusal(name, role)
            old = scalar(con, "SELECT role FROM users WHERE name = ?", [name])
            if old == "admin" and role != "admin" and _admins(con) <= 1:
                raise _last_admin_refusal(name)
            con.execute("DELETE FROM users WHERE name = ?", [name])
            con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", [name, role, digest, unit, now, str(actor)])
            record(con, str(actor), "user_add", detail=f"{name} ({role})", at=now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def remove_user(con: duckdb.DuckDBPyConnection, actor: str, name: str) -> None:
    """Delete a user and write ``user_remove``, in one transaction.

    :raises NotFound: no such user.
    :raises KpiError: ``name`` is the last admin (removing it would reopen set-up mode).
    """
    require(con, actor, "manage_users")
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
            role = scalar(con, "SELECT role FROM users WHERE name = ?", [name])
            if role is None:
                raise NotFound(f"Không có người dùng «{logged_text(name)}».")
            if role == "admin" and _admins(con) <= 1:
                raise _last_admin_refusal(name)
            con.execute("DELETE FROM users WHERE name = ?", [name])
            con.execute("DELETE FROM signin_failures WHERE kind = 'name' AND key = ?", [name])
            record(con, str(actor), "user_remove", detail=name)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def list_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Users without their hashes: ``name``, ``role``, ``unit``, ``created_at``, ``created_by``."""
    return con.execute("SELECT name, role, unit, created_at, created_by FROM users ORDER BY name").fetchdf()


# -- the client's address ---------------------------------------------------------------------------


def _in(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:10.0.0.5 (a dual-stack socket) is 10.0.0.5
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: tuple[str, ...] = ()) -> str | None:
    """The client's address: the socket's peer, unless the peer is one of ``trusted_proxies``
    (addresses or networks, setting ``KPI_TRUSTED_PROXIES``), in which case the right-most
    address of ``X-Forwarded-For`` that is not itself a trusted proxy (a client can write any
    left part of that header; only what the trusted proxies appended counts). ``None``: unknown.
    """
    if not peer:
        return None
    if not forwarded_for or not _in(peer, trusted_proxies):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted_proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return None  # a garbled hop: the client is unknown
    return hops[0] if hops else peer


def is_local_address(address: str | None) -> bool:
    """True for a loopback address (127.0.0.0/8, ::1, ::ffff:127.0.0.1): the server machine itself.
    An unknown address (``None``) is not local."""
    if not isinstance(address, str) or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def is_server_machine(
    peer: str | None, forwarded_for: str | None, trusted_proxies: tuple[str, ...] = (), proxied: bool = False
) -> bool:
    """Whether the visitor is on the server machine itself: its address (:func:`client_address`)
    is loopback, and the request was not relayed by a proxy that is not listed (``proxied``: it
    carries ``X-Forwarded-For``, ``Forwarded`` or ``X-Real-IP``): a reverse proxy on the server
    connects from 127.0.0.1 for every visitor, and must not make them all local."""
    if (proxied or forwarded_for) and not _in(peer or "", trusted_proxies):
        return False
    return is_local_address(client_address(peer, forwarded_for, trusted_proxies))
