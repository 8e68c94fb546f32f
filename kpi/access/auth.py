"""Who may do what: roles, users, password hashes, sign-in, the set-up code.

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
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kpi.access.audit import record
from kpi.errors import KpiError, NotFound, PermissionDenied
from kpi.storage.database import scalar, write_lock
from kpi.words import PERMISSION_WORDS

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
]

ROLES = ("viewer", "editor", "admin")
ANONYMOUS = "khách"
#: Longest user name, in characters (after NFC normalisation).
NAME_MAX = 64
#: Prefixes no user name may start with (the command line's operator is ``cli:<OS user>``).
RESERVED_PREFIXES = ("cli:",)

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
    "manage_aliases": "admin",
}
_hasher = PasswordHasher()
#: Verified against when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("không có người dùng này")
#: Largest Argon2 memory cost (KiB) a stored hash may ask of one check: argon2-cffi's default, 64 MiB.
MAX_HASH_MEMORY_KIB = 65536
#: One password check at a time in this process: parallel sign-ins cannot multiply the 64 MiB.
_verify_lock = threading.Lock()


# -- who acts ---------------------------------------------------------------------------------------


class Operator(str):
    """The command line's operator (an admin), made only by :func:`operator`. Its text
    (``cli:<OS user>``) is what the audit log shows; the same text as a plain ``str`` grants nothing."""

    __slots__ = ()


class Visitor(str):
    """A visitor of the app: the signed-in user's name, or :data:`ANONYMOUS`. ``setup_trusted``:
    connects from the server machine itself or typed the set-up code (matters only in set-up mode)."""

    setup_trusted: bool

    def __new__(cls, name: str, setup_trusted: bool = False) -> Visitor:
        obj = super().__new__(cls, name)
        obj.setup_trusted = bool(setup_trusted)
        return obj


def operator(os_user: str | None = None) -> Operator:
    """The command line's operator, ``cli:<OS user>`` (``cli:unknown`` where the OS names nobody)."""
    if os_user is None:
        import getpass

        try:
            os_user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name in some containers
            os_user = "unknown"
    return Operator(f"cli:{os_user}")


def visitor(name: str | None, setup_trusted: bool = False) -> Visitor:
    """The app's actor for a session: ``name`` (signed in) or :data:`ANONYMOUS`."""
    return Visitor(name or ANONYMOUS, setup_trusted)


_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


#: Characters that look like a colon (ratio, fullwidth, small, modifier, Armenian, Hebrew …): a name
#: "cli∶x" reads as the command line's operator in a list of users or in the audit log.
_COLON_LOOKALIKES = str.maketrans(
    dict.fromkeys("\u2236\ua789\ufe13\ufe55\uff1a\u02d0\u02f8\u0589\u05c3\u16ec\u1804", ":")
)


def _skeleton(name: str) -> str:
    """What a name looks like, for the reserved-name check: NFKC (fullwidth "ｃｌｉ" → "cli"), colon
    look-alikes as ":", case folded, spaces around removed (a black-box tester's finding)."""
    return unicodedata.normalize("NFKC", name).translate(_COLON_LOOKALIKES).casefold().strip()


def _name_problem(name: str) -> str | None:
    if not name:
        return "Tên người dùng không được để trống."
    if len(name) > NAME_MAX:
        return f"Tên người dùng dài quá {NAME_MAX} ký tự."
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} or c in _BIDI for c in name):
        return "Tên người dùng có ký tự điều khiển hoặc ký tự đổi chiều chữ; chỉ dùng chữ, số và dấu câu thường."
    if _skeleton(name).startswith(RESERVED_PREFIXES) or _skeleton(name) == _skeleton(ANONYMOUS):
        return (
            f"Tên «{name}» dành riêng cho hệ thống (không được bắt đầu bằng «cli:» hay là «{ANONYMOUS}»); "
            "hãy chọn tên khác."
        )
    return None


def validate_name(name: str) -> str:
    """A user name as stored: NFC-normalised, outer spaces removed.

    :raises ValueError: (Vietnamese) empty; longer than :data:`NAME_MAX` characters; a control,
        format (zero-width, bidirectional override or isolate: U+202A–202E, U+2066–2069,
        U+200E/F), surrogate or unassigned character, or a line break; a reserved name
        (``cli:…``, :data:`ANONYMOUS`). Checked before anything is stored or hashed.
    """
    if not isinstance(name, str):
        raise ValueError("Tên người dùng không hợp lệ.")
    if len(name) > 4 * NAME_MAX:  # before normalising a huge text
        raise ValueError(f"Tên người dùng dài quá {NAME_MAX} ký tự.")
    name = unicodedata.normalize("NFC", name).strip()
    problem = _name_problem(name)
    if problem:
        raise ValueError(problem)
    return name


def _shown(text: str, limit: int = NAME_MAX) -> str:
    """A typed text as the audit log keeps it: at most ``limit`` characters, each control, format
    or bidirectional character written as ``\\uXXXX`` (a 4 MB name is stored as 64 characters)."""
    text = str(text)[: limit + 1]
    out = "".join(c if unicodedata.category(c)[0] not in "CZ" or c == " " else f"\\u{ord(c):04x}" for c in text[:limit])
    return out + ("…" if len(text) > limit else "")


def open_mode(con: duckdb.DuckDBPyConnection) -> bool:
    """True while no admin exists (set-up mode): visitors may look; only the server machine, the
    set-up code, the command line and the server's own Python code may write."""
    return (scalar(con, "SELECT count(*) FROM users WHERE role = 'admin'") or 0) == 0


def role_of(con: duckdb.DuckDBPyConnection, actor: str | None) -> str | None:
    """The actor's role (see the module docstring).

    :returns: ``admin`` for an :class:`Operator`; in set-up mode ``admin`` for a visitor trusted
        for set-up and for plain text, else the visitor's stored role or ``viewer``; otherwise the
        stored role of the name, ``None`` for :data:`ANONYMOUS`, ``None`` and unknown names.
    """
    if isinstance(actor, Operator):
        return "admin"
    stored = None
    if actor and actor != ANONYMOUS:
        stored = scalar(con, "SELECT role FROM users WHERE name = ?", [str(actor)])
    if open_mode(con):
        if not isinstance(actor, Visitor) or actor.setup_trusted:
            return "admin"
        return stored or "viewer"
    return stored


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
    with write_lock:
        try:
            record(
                con,
                str(actor or ANONYMOUS),
                "denied",
                detail=f"{action} (vai trò: {role_of(con, actor) or 'chưa đăng nhập'})",
            )
        except duckdb.Error:  # a read-only connection, or inside a failed transaction: refuse anyway
            pass
    raise PermissionDenied(str(actor or ANONYMOUS), PERMISSION_WORDS.get(action, action), _NEEDED[action])


def _admins(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT count(*) FROM users WHERE role = 'admin'") or 0


def _last_admin_refusal(name: str) -> KpiError:
    return KpiError(
        f"Không thể bỏ quyền quản trị của «{name}»: đây là quản trị viên cuối cùng. "
        "Hãy tạo một quản trị viên khác trước (nếu không, ứng dụng sẽ trở về chế độ thiết lập)."
    )


def add_user(con: duckdb.DuckDBPyConnection, actor: str, name: str, role: str, password: str, unit: str = "") -> None:
    """Create (or replace: role, password, unit) a user with an Argon2id password hash; the change
    and its ``user_add`` audit row are one transaction.

    :raises ValueError: a name refused by :func:`validate_name`, an unknown role, a password
        shorter than 8 characters.
    :raises KpiError: the change would demote the last admin.
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
    unit = _shown(unit.strip(), 200)
    digest = _hasher.hash(password)
    now = dt.datetime.now().replace(microsecond=0)
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
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
                raise NotFound(f"Không có người dùng «{_shown(name)}».")
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


# -- sign-in ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailurePolicy:
    """How failed sign-ins hold back a user name or a client address (counted in the database).

    After ``n`` failures in a row (``n`` ≥ 2; one slip costs nothing) the next attempt waits
    ``delay_s * 2**(n-2)`` seconds; from
    ``lock_after`` failures on it is locked ``lock_min * 2**(n-lock_after)`` minutes, at most
    ``lock_max_min``. A count whose last failure is older than ``forget_after_h`` hours starts
    again at zero; a successful sign-in clears its name's count."""

    delay_s: float = 1.0
    lock_after: int = 5
    lock_min: float = 1.0
    lock_max_min: float = 60.0
    forget_after_h: float = 24.0

    def hold(self, failures: int) -> dt.timedelta:
        if failures <= 1:
            return dt.timedelta(0)
        if failures < self.lock_after:
            return dt.timedelta(seconds=self.delay_s * 2 ** (failures - 2))
        return dt.timedelta(minutes=min(self.lock_min * 2 ** (failures - self.lock_after), self.lock_max_min))


FAILURE_POLICY = FailurePolicy()
#: The key counted for a client whose address is unknown (every such client shares it).
UNKNOWN_ADDRESS = "không rõ"


@dataclass(frozen=True)
class SigninResult:
    """What :func:`sign_in` decided. ``ok``; ``name``: the stored name signed in (``None`` if not);
    ``held_until``: the attempt was not checked because the name or address is held back until
    then; ``message_vi``: what to tell the person (``""`` when ok)."""

    ok: bool
    name: str | None = None
    held_until: dt.datetime | None = None
    message_vi: str = ""


_WRONG = "Sai tên đăng nhập hoặc mật khẩu."


def _held_until(con, keys: list[tuple[str, str]], now: dt.datetime, policy: FailurePolicy) -> dt.datetime | None:
    latest = None
    for kind, key in keys:
        row = con.execute(
            "SELECT failures, last_failed FROM signin_failures WHERE kind = ? AND key = ?", [kind, key]
        ).fetchall()
        if not row:
            continue
        failures, last = row[0]
        if now - last > dt.timedelta(hours=policy.forget_after_h):
            continue
        until = last + policy.hold(failures)
        if until > now and (latest is None or until > latest):
            latest = until
    return latest


def _count_failure(con, keys, now, policy, actor: str, detail: str) -> dt.datetime | None:
    """Count one failure for each key and audit it (``signin_failed``; ``signin_locked`` when a
    key reaches the lock). Returns until when the keys are now held back."""
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
            for kind, key in keys:
                row = con.execute(
                    "SELECT failures, last_failed FROM signin_failures WHERE kind = ? AND key = ?", [kind, key]
                ).fetchall()
                failures = row[0][0] if row and now - row[0][1] <= dt.timedelta(hours=policy.forget_after_h) else 0
                failures += 1
                con.execute("DELETE FROM signin_failures WHERE kind = ? AND key = ?", [kind, key])
                con.execute("INSERT INTO signin_failures VALUES (?, ?, ?, ?)", [kind, key, failures, now])
                if failures >= policy.lock_after:
                    what = "tên đăng nhập" if kind == "name" else "địa chỉ"
                    record(
                        con,
                        actor,
                        "signin_locked",
                        detail=f"{what} {_shown(key)}: khoá {policy.hold(failures)} sau {failures} lần sai",
                        at=now,
                    )
            record(con, actor, "signin_failed", detail=detail, at=now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return _held_until(con, keys, now, policy)


def _held_message(until: dt.datetime, now: dt.datetime) -> str:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    wait = f"{seconds} giây" if seconds < 120 else f"{(seconds + 59) // 60} phút"
    return f"Đã nhập sai nhiều lần: hãy thử lại sau {wait} (lúc {until:%H:%M:%S})."


def _check(digest: str | None, password: str) -> bool:
    """Argon2 check of ``password``, one at a time in this process, refusing a hash that asks
    for more memory than :data:`MAX_HASH_MEMORY_KIB`."""
    target = digest or _DUMMY_HASH
    try:
        if extract_parameters(target).memory_cost > MAX_HASH_MEMORY_KIB:
            return False
        with _verify_lock:
            return _hasher.verify(target, password) and bool(digest)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in(
    con: duckdb.DuckDBPyConnection,
    name: str,
    password: str,
    address: str | None = None,
    now: dt.datetime | None = None,
    policy: FailurePolicy = FAILURE_POLICY,
) -> SigninResult:
    """Check a sign-in typed in the app's form, resisting guessing across sessions.

    The name is checked by :func:`validate_name` first (a refused name is a failure, stored at
    most as :data:`NAME_MAX` escaped characters). While the name or ``address`` (the client's,
    :func:`client_address`; ``None`` counts as :data:`UNKNOWN_ADDRESS`) is held back by earlier
    failures (:class:`FailurePolicy`), the attempt is refused *without* checking the password;
    else the password is checked (:func:`_check`). A failure is counted for both the name and
    the address in ``signin_failures`` and audited (``signin_failed``, ``signin_locked``); a
    success clears the name's count. Nothing sleeps: the delay is a time before which the next
    attempt is refused, whatever session or thread makes it.
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    where = address or UNKNOWN_ADDRESS
    try:
        clean = validate_name(name)
    except ValueError:
        clean = None
    shown = clean or _shown(name)
    keys = [("address", where)] + ([("name", clean)] if clean else [])
    until = _held_until(con, keys, now, policy)
    if until is not None:
        return SigninResult(False, held_until=until, message_vi=_held_message(until, now))
    ok = False
    if clean is not None and len(password) <= 1024:
        digest = scalar(con, "SELECT password_hash FROM users WHERE name = ?", [clean])
        ok = _check(digest, password)
    if ok:
        with write_lock:
            con.execute("DELETE FROM signin_failures WHERE kind = 'name' AND key = ?", [clean])
        return SigninResult(True, name=clean)
    detail = f"sai tên hoặc mật khẩu (địa chỉ {_shown(where)})"
    if clean is None:
        detail = f"tên không hợp lệ (địa chỉ {_shown(where)})"
    until = _count_failure(con, keys, now, policy, shown, detail)
    message = _WRONG if until is None or until - now < dt.timedelta(minutes=1) else _held_message(until, now)
    return SigninResult(False, held_until=until, message_vi=message)


def clear_failures(con: duckdb.DuckDBPyConnection, actor: str, name: str | None = None) -> int:
    """Forget failed sign-ins (``python -m kpi user unlock [NAME]``): every count, or only the
    user name ``name``'s; audited (``signin_unlocked``) with the change. Returns how many counts
    were dropped. :raises PermissionDenied: ``actor`` is not an admin."""
    require(con, actor, "manage_users")
    if name:
        params = [name]
        count_sql = "SELECT count(*) FROM signin_failures WHERE kind = 'name' AND key = ?"
        delete_sql = "DELETE FROM signin_failures WHERE kind = 'name' AND key = ?"
    else:
        params = []
        count_sql, delete_sql = "SELECT count(*) FROM signin_failures", "DELETE FROM signin_failures"
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
            count = scalar(con, count_sql, params) or 0
            con.execute(delete_sql, params)
            record(con, str(actor), "signin_unlocked", detail=_shown(name) if name else "tất cả")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return count


def verify_password(con: duckdb.DuckDBPyConnection, name: str, password: str, address: str | None = None) -> bool:
    """:func:`sign_in`'s verdict alone (``True`` when the name and password match and nothing
    holds the attempt back)."""
    return sign_in(con, name, password, address).ok


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


# -- the set-up code --------------------------------------------------------------------------------


def setup_code_path(db_path: Path | str) -> Path:
    """Where the set-up code is written: ``setup-code.txt`` beside the database."""
    return Path(db_path).parent / "setup-code.txt"


def ensure_setup_code(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> str | None:
    """In set-up mode, the set-up code (12 characters), made once and written (owner-only) to
    :func:`setup_code_path`; ``None`` once an admin exists (the file is then removed)."""
    path = setup_code_path(db_path)
    if not open_mode(con):
        discard_setup_code(db_path)
        return None
    try:
        code = path.read_text(encoding="utf-8").strip()
    except OSError:
        code = ""
    if len(code) < 12:
        code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code + "\n", encoding="utf-8")
        path.chmod(0o600)
    return code


def discard_setup_code(db_path: Path | str) -> None:
    """Remove the set-up code file (an admin exists: the code is no longer needed)."""
    setup_code_path(db_path).unlink(missing_ok=True)


def check_setup_code(
    con: duckdb.DuckDBPyConnection,
    db_path: Path | str,
    typed: str,
    address: str | None = None,
    now: dt.datetime | None = None,
) -> SigninResult:
    """Whether ``typed`` is the set-up code, in set-up mode only; failures are counted and held
    back per address like a sign-in's (:func:`sign_in`) and audited (``signin_failed``)."""
    now = now or dt.datetime.now().replace(microsecond=0)
    keys = [("setup", address or UNKNOWN_ADDRESS)]
    until = _held_until(con, keys, now, FAILURE_POLICY)
    if until is not None:
        return SigninResult(False, held_until=until, message_vi=_held_message(until, now))
    try:
        code = setup_code_path(db_path).read_text(encoding="utf-8").strip()
    except OSError:
        code = ""
    given = unicodedata.normalize("NFC", (typed or "")[:64]).strip().upper()
    if open_mode(con) and code and secrets.compare_digest(given.encode(), code.upper().encode()):
        return SigninResult(True)
    until = _count_failure(
        con, keys, now, FAILURE_POLICY, ANONYMOUS, f"mã thiết lập sai (địa chỉ {_shown(address or UNKNOWN_ADDRESS)})"
    )
    return SigninResult(
        False,
        held_until=until,
        message_vi="Mã thiết lập không đúng (hoặc ứng dụng đã có quản trị viên).",
    )
