"""The set-up code: what makes a visitor trusted for set-up while no admin exists.

Until the first admin exists (set-up mode, :func:`kpi.access.roles.open_mode`) only a visitor
trusted for set-up may write; the code (:func:`ensure_setup_code`) is printed in the server's
console and written to ``setup-code.txt`` beside the database, as Jupyter's token and Grafana's
first admin do. A wrong code is counted, held back per address and audited like a wrong password
(:mod:`kpi.access.signin`).
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from pathlib import Path

import duckdb

from kpi.access.roles import ANONYMOUS, logged_text, open_mode
from kpi.access.signin import FAILURE_POLICY, UNKNOWN_ADDRESS, SigninResult, count_failure, held_message, held_until

__all__ = ["setup_code_path", "ensure_setup_code", "discard_setup_code", "check_setup_code"]


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
    until = held_until(con, keys, now, FAILURE_POLICY)
    if until is not None:
        return SigninResult(False, held_until=until, message_vi=held_message(until, now))
    try:
        code = setup_code_path(db_path).read_text(encoding="utf-8").strip()
    except OSError:
        code = ""
    given = unicodedata.normalize("NFC", (typed or "")[:64]).strip().upper()
    if open_mode(con) and code and secrets.compare_digest(given.encode(), code.upper().encode()):
        return SigninResult(True)
    until = count_failure(
        con,
        keys,
        now,
        FAILURE_POLICY,
        ANONYMOUS,
        f"mã thiết lập sai (địa chỉ {logged_text(address or UNKNOWN_ADDRESS)})",
    )
    return SigninResult(
        False,
        held_until=until,
        message_vi="Mã thiết lập không đúng (hoặc ứng dụng đã có quản trị viên).",
    )
