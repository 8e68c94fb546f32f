"""Who acts and what each role may do: the actors (the command line's operator, the app's
visitor), user names as stored, set-up mode, and the role check every write of :mod:`kpi` calls.

Roles, from least to most: ``viewer`` (looks), ``editor`` (uploads, corrects, withdraws own
submissions), ``admin`` (targets, units, users, restoring history, backups). Every write function
of :mod:`kpi` calls :func:`require` with the acting user, so a role that may not write gets a
:class:`~kpi.errors.PermissionDenied` whatever the interface; pages only hide what this refuses.
Who acts, and set-up mode: see :mod:`kpi.access.auth`, which re-exports this module's names (the
lowest module of :mod:`kpi.access` after the audit log: sign-in and the set-up code build on it).
"""

from __future__ import annotations

import unicodedata

import duckdb

from kpi.access.audit import ANONYMOUS, record
from kpi.errors import PermissionDenied
from kpi.storage.database import scalar, write_lock
from kpi.words import PERMISSION_WORDS

__all__ = [
    "ROLES",
    "ANONYMOUS",
    "NAME_MAX",
    "RESERVED_PREFIXES",
    "Operator",
    "Visitor",
    "operator",
    "visitor",
    "validate_name",
    "logged_text",
    "open_mode",
    "role_of",
    "can",
    "require",
]

ROLES = ("viewer", "editor", "admin")
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


def logged_text(text: str, limit: int = NAME_MAX) -> str:
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
