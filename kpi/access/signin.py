"""Signing in with a password, and the hold on a name or address after failed attempts.

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` defaults, RFC 9106: 64 MiB,
3 passes). A sign-in (:func:`sign_in`) is refused without checking the password while the user
name or the client address is held back (:data:`FAILURE_POLICY`); failures are counted in the
database (table ``signin_failures``) and written to the audit log; one password is checked at a
time and a stored hash asking for more than :data:`MAX_HASH_MEMORY_KIB` is not checked. The set-up
code (:mod:`kpi.access.setup`) is held back the same way (:func:`held_until`, :func:`count_failure`).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kpi.access.audit import record
from kpi.access.roles import logged_text, require, validate_name
from kpi.storage.database import scalar, write_lock

__all__ = [
    "FailurePolicy",
    "FAILURE_POLICY",
    "UNKNOWN_ADDRESS",
    "MAX_HASH_MEMORY_KIB",
    "SigninResult",
    "hash_password",
    "sign_in",
    "verify_password",
    "clear_failures",
    "held_until",
    "count_failure",
    "held_message",
]

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name costs the same time as a wrong
    password. Made at the first password check of the process, whatever its name (≈ 0.45 s of
    Argon2: made on import, every command of the command line and every start paid it)."""
    return _hasher.hash("không có người dùng này")


#: Largest Argon2 memory cost (KiB) a stored hash may ask of one check: argon2-cffi's default, 64 MiB.
MAX_HASH_MEMORY_KIB = 65536
#: One password check at a time in this process: parallel sign-ins cannot multiply the 64 MiB.
_verify_lock = threading.Lock()


def hash_password(password: str) -> str:
    """The Argon2id hash stored for ``password`` (:func:`kpi.access.auth.add_user`)."""
    return _hasher.hash(password)


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


def held_until(con, keys: list[tuple[str, str]], now: dt.datetime, policy: FailurePolicy) -> dt.datetime | None:
    """Until when any of ``keys`` (``(kind, key)``: ``name``, ``address`` or ``setup``) is held
    back by its counted failures (:class:`FailurePolicy`); ``None`` when none is."""
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


def count_failure(con, keys, now, policy, actor: str, detail: str) -> dt.datetime | None:
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
                        detail=f"{what} {logged_text(key)}: khoá {policy.hold(failures)} sau {failures} lần sai",
                        at=now,
                    )
            record(con, actor, "signin_failed", detail=detail, at=now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return held_until(con, keys, now, policy)


def held_message(until: dt.datetime, now: dt.datetime) -> str:
    """The Vietnamese words for a hold: how long to wait (seconds, or minutes from two on), and until when."""
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    wait = f"{seconds} giây" if seconds < 120 else f"{(seconds + 59) // 60} phút"
    return f"Đã nhập sai nhiều lần: hãy thử lại sau {wait} (lúc {until:%H:%M:%S})."


def _check(digest: str | None, password: str) -> bool:
    """Argon2 check of ``password``, one at a time in this process, refusing a hash that asks
    for more memory than :data:`MAX_HASH_MEMORY_KIB`."""
    dummy = _dummy_hash()  # first: a known name's first check pays its making as an unknown one's does
    target = digest or dummy
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
    shown = clean or logged_text(name)
    keys = [("address", where)] + ([("name", clean)] if clean else [])
    until = held_until(con, keys, now, policy)
    if until is not None:
        return SigninResult(False, held_until=until, message_vi=held_message(until, now))
    ok = False
    if clean is not None and len(password) <= 1024:
        digest = scalar(con, "SELECT password_hash FROM users WHERE name = ?", [clean])
        ok = _check(digest, password)
    if ok:
        with write_lock:
            con.execute("DELETE FROM signin_failures WHERE kind = 'name' AND key = ?", [clean])
        return SigninResult(True, name=clean)
    detail = f"sai tên hoặc mật khẩu (địa chỉ {logged_text(where)})"
    if clean is None:
        detail = f"tên không hợp lệ (địa chỉ {logged_text(where)})"
    until = count_failure(con, keys, now, policy, shown, detail)
    message = _WRONG if until is None or until - now < dt.timedelta(minutes=1) else held_message(until, now)
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
            record(con, str(actor), "signin_unlocked", detail=logged_text(name) if name else "tất cả")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return count


def verify_password(con: duckdb.DuckDBPyConnection, name: str, password: str, address: str | None = None) -> bool:
    """:func:`sign_in`'s verdict alone (``True`` when the name and password match and nothing
    holds the attempt back)."""
    return sign_in(con, name, password, address).ok
