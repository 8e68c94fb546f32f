"""Sign-in and set-up without Streamlit (issue 16, findings 4, 6, 7 and "never open to the LAN by
accident"): which names can exist, what each signs in as, guessing held back across sessions in
the database, the last admin kept, the client's address, the set-up code."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from argon2 import PasswordHasher

from kpi.access import auth, signin
from kpi.access.auth import add_user, remove_user, role_of, sign_in
from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.errors import KpiError, NotFound

OPERATOR = auth.operator("vanthu")
T0 = dt.datetime(2026, 3, 2, 8, 0, 0)
LATER = T0 + dt.timedelta(hours=2)  # an earlier failure's short hold is over

#: Every kind of name an admin could type in the users form, and what is stored (None: refused).
NAMES = [
    ("quantri2", "quantri2"),
    ("Nguyễn Văn A", "Nguyễn Văn A"),
    ("  vanthu.ubnd  ", "vanthu.ubnd"),  # outer spaces dropped
    ("Nguye\u0302\u0303n", "Nguyễn"),  # decomposed Vietnamese: stored NFC
    ("x" * auth.NAME_MAX, "x" * auth.NAME_MAX),
    ("admin", "admin"),  # a word, not a role
    ("root@ubnd", "root@ubnd"),
    ("x" * (auth.NAME_MAX + 1), None),
    ("", None),
    ("   ", None),
    ("cli:vanthu", None),
    ("Cli:x", None),
    ("\uff43\uff4c\uff49:x", None),  # fullwidth "ｃｌｉ:x" looks like the operator (black-box finding)
    ("cli\u2236x", None),  # "cli∶x": a ratio sign for the colon
    ("cli\uff1ax", None),  # a fullwidth colon
    ("KHÁCH", None),
    ("khách", None),
    ("a\x00b", None),
    ("a\nb", None),
    ("a\tb", None),
    ("\u202eadmin", None),  # right-to-left override
    ("ad\u2066min", None),  # isolate
    ("ad\u200fmin", None),  # right-to-left mark
    ("ad\u200bmin", None),  # zero-width space
]


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    """An admin and one user of every accepted kind, each with the role given in NAMES' order."""
    cfg = settings(db_path=tmp_path_factory.mktemp("signin") / "kpi.duckdb")
    con = open_database(cfg)
    add_user(con, OPERATOR, "quantri", "admin", "mat-khau-quan-tri")
    con.execute("CHECKPOINT")
    con.close()
    return cfg.db_path


@pytest.fixture
def office(users_file, cfg):
    import shutil

    shutil.copy(users_file, cfg.db_path)
    connection = open_database(cfg)
    yield connection
    connection.close()


def test_every_kind_of_name_an_admin_could_create_signs_in_with_its_own_role_or_is_refused(office):
    made = {}
    for typed, stored in NAMES:
        if stored is None:
            with pytest.raises(ValueError):
                add_user(office, "quantri", typed, "viewer", "mat-khau-dai-du")
            continue
        add_user(office, "quantri", typed, "viewer", "mat-khau-dai-du")
        made[typed] = stored
    names = set(office.execute("SELECT name FROM users").fetchdf()["name"])
    assert names == {"quantri", *made.values()}  # nothing refused was stored
    for typed, stored in made.items():
        verdict = sign_in(office, typed, "mat-khau-dai-du", "10.0.0.9", now=T0)
        assert verdict.ok and verdict.name == stored
        assert role_of(office, auth.visitor(verdict.name)) == "viewer"  # no name is more than its role
    for typed, stored in NAMES:
        if stored is None and typed.strip():
            verdict = sign_in(office, typed, "mat-khau-dai-du", "10.0.0.8", now=T0 + dt.timedelta(hours=1))
            assert not verdict.ok and verdict.name is None
    assert role_of(office, "cli:vanthu") is None and role_of(office, OPERATOR) == "admin"


def test_a_huge_or_hostile_name_in_the_signin_form_stores_at_most_a_short_escaped_line(office):
    size = office.execute("SELECT sum(length(actor) + length(detail)) FROM audit_log").fetchall()[0][0] or 0
    for i, name in enumerate(["A" * 4_000_000, "\u202e" * 100_000 + "x", "a\x00" * 50_000]):
        verdict = sign_in(office, name, "khong-quan-trong", f"10.1.0.{i}", now=T0)
        assert not verdict.ok and verdict.message_vi == "Sai tên đăng nhập hoặc mật khẩu."
    rows = office.execute("SELECT actor, detail FROM audit_log WHERE action = 'signin_failed'").fetchall()
    assert len(rows) == 3
    assert all(
        len(actor) <= 6 * auth.NAME_MAX + 1 and "\u202e" not in actor and "\x00" not in actor for actor, _ in rows
    )
    grown = office.execute("SELECT sum(length(actor) + length(detail)) FROM audit_log").fetchall()[0][0] - size
    assert grown < 3000  # before: 12 MB for these three


def test_guessing_is_held_back_per_name_across_sessions_and_addresses(office):
    now, waits = T0, []
    for attempt in range(7):  # each from another address (another session, another machine)
        verdict = sign_in(office, "quantri", f"doan-{attempt}", f"10.2.0.{attempt}", now=now)
        assert not verdict.ok
        if verdict.held_until is None:  # one slip is not held back
            assert attempt == 0
            waits.append(dt.timedelta(0))
            continue
        waits.append(verdict.held_until - now)
        # held back: even the right password is not checked until then, from anywhere
        early = sign_in(
            office, "quantri", "mat-khau-quan-tri", "10.2.1.1", now=verdict.held_until - dt.timedelta(seconds=1)
        )
        assert not early.ok and "thử lại sau" in early.message_vi
        now = verdict.held_until
    assert [w.total_seconds() for w in waits] == [0, 1, 2, 4, 60, 120, 240]
    assert sign_in(office, "quantri", "mat-khau-quan-tri", "10.2.1.1", now=now).ok
    assert office.execute("SELECT count(*) FROM signin_failures WHERE kind = 'name'").fetchall() == [(0,)]
    actions = [a for (a,) in office.execute("SELECT action FROM audit_log ORDER BY rowid").fetchall()]
    assert actions.count("signin_failed") == 7 and actions.count("signin_locked") == 3


def test_guessing_is_held_back_per_address_across_names(office):
    now = T0
    for attempt in range(5):
        verdict = sign_in(office, f"ten-{attempt}", "doan", "10.3.0.1", now=now)
        now = verdict.held_until or now
    assert verdict.held_until - T0 > dt.timedelta(minutes=1)
    other = sign_in(office, "quantri", "mat-khau-quan-tri", "10.3.0.1", now=now - dt.timedelta(seconds=1))
    assert not other.ok and other.held_until == now  # a new name from that address waits too
    assert sign_in(office, "quantri", "mat-khau-quan-tri", "10.3.0.2", now=now - dt.timedelta(seconds=1)).ok
    assert sign_in(office, "quantri", "mat-khau-quan-tri", "10.3.0.1", now=now).ok


def test_a_hash_asking_too_much_memory_is_not_checked_and_checks_run_one_at_a_time(office):
    greedy = PasswordHasher(memory_cost=auth.MAX_HASH_MEMORY_KIB * 2, time_cost=1).hash("mat-khau-tham")
    office.execute("UPDATE users SET password_hash = ? WHERE name = 'quantri'", [greedy])
    assert not sign_in(office, "quantri", "mat-khau-tham", "10.4.0.1", now=T0).ok
    # an existing default hash (64 MiB) still verifies; while another check holds the lock, it waits
    office.execute("UPDATE users SET password_hash = ? WHERE name = 'quantri'", [PasswordHasher().hash("dung-roi-1")])
    result = []
    with signin._verify_lock:
        worker = threading.Thread(
            target=lambda: result.append(sign_in(office.cursor(), "quantri", "dung-roi-1", "10.4.0.2", now=LATER).ok)
        )
        worker.start()
        worker.join(timeout=2)
        assert worker.is_alive() and result == []  # queued behind the check in progress
    worker.join()
    assert result == [True]


def test_the_last_admin_can_be_neither_removed_nor_demoted(office):
    before = office.execute("SELECT count(*) FROM audit_log").fetchall()
    with pytest.raises(KpiError, match="quản trị viên cuối cùng"):
        remove_user(office, "quantri", "quantri")
    with pytest.raises(KpiError, match="quản trị viên cuối cùng"):
        add_user(office, OPERATOR, "quantri", "editor", "mat-khau-moi-dai")
    assert role_of(office, "quantri") == "admin" and not auth.open_mode(office)
    assert office.execute("SELECT count(*) FROM audit_log").fetchall() == before  # nothing half-done
    add_user(office, "quantri", "pho", "admin", "mat-khau-pho-1")
    remove_user(office, "pho", "quantri")  # with another admin, it may go
    assert role_of(office, "quantri") is None
    rows = office.execute("SELECT actor, action, detail FROM audit_log ORDER BY rowid").fetchall()[-2:]
    assert rows == [("quantri", "user_add", "pho (admin)"), ("pho", "user_remove", "quantri")]
    with pytest.raises(NotFound):
        remove_user(office, "pho", "quantri")


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        ("192.168.1.20", None, (), "192.168.1.20"),
        ("192.168.1.20", "127.0.0.1", (), "192.168.1.20"),  # a header from a visitor is not believed
        ("127.0.0.1", "192.168.1.20", (), "127.0.0.1"),  # nor from a proxy not listed
        ("127.0.0.1", "192.168.1.20", ("127.0.0.1",), "192.168.1.20"),
        ("10.0.0.2", "127.0.0.1, 192.168.1.20", ("10.0.0.0/8",), "192.168.1.20"),  # the left part is the client's
        ("10.0.0.2", "192.168.1.20, 10.0.0.3", ("10.0.0.0/8",), "192.168.1.20"),
        ("10.0.0.2", "khong-phai-ip", ("10.0.0.0/8",), None),
        (None, "127.0.0.1", ("127.0.0.1",), None),
        # a dual-stack socket reports an IPv4 proxy as ::ffff:10.0.0.2: still the listed proxy
        ("::ffff:10.0.0.2", "192.168.1.20", ("10.0.0.0/8",), "192.168.1.20"),
    ],
)
def test_the_client_address_is_the_peer_and_forwarded_only_through_listed_proxies(peer, forwarded, proxies, client):
    assert auth.client_address(peer, forwarded, proxies) == client


def test_only_loopback_is_the_server_machine():
    assert [auth.is_local_address(a) for a in ("127.0.0.1", "127.0.1.1", "::1", "::ffff:127.0.0.1")] == [True] * 4
    assert [auth.is_local_address(a) for a in ("192.168.1.5", "10.0.0.1", None, "", "localhost")] == [False] * 5


def test_trusted_proxies_and_idle_time_are_settings(monkeypatch):
    monkeypatch.setenv("KPI_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    monkeypatch.setenv("KPI_IDLE_MINUTES", "15")
    cfg = settings()
    assert cfg.trusted_proxies == ("127.0.0.1", "10.0.0.0/8") and cfg.idle_timeout_seconds == 900
    monkeypatch.delenv("KPI_TRUSTED_PROXIES")
    monkeypatch.delenv("KPI_IDLE_MINUTES")
    assert settings().trusted_proxies == () and settings().idle_timeout_seconds == 1800


def test_the_setup_code_opens_writing_until_the_first_admin_then_is_spent(con, cfg):
    code = auth.ensure_setup_code(con, cfg.db_path)
    path = auth.setup_code_path(cfg.db_path)
    assert path.read_text().strip() == code and len(code) == 14 and (path.stat().st_mode & 0o777) == 0o600
    assert auth.ensure_setup_code(con, cfg.db_path) == code  # the same while set-up lasts
    for _ in range(2):
        assert not auth.check_setup_code(con, cfg.db_path, "0000-0000-0000", "192.168.1.7", now=T0).ok
    held = auth.check_setup_code(con, cfg.db_path, code, "192.168.1.7", now=T0)
    assert not held.ok and held.held_until is not None  # guessing the code is held back like a password
    assert auth.check_setup_code(con, cfg.db_path, code.lower(), "192.168.1.7", now=held.held_until).ok
    add_user(con, auth.visitor(None, setup_trusted=True), "quantri", "admin", "mat-khau-quan-tri")
    assert not auth.check_setup_code(con, cfg.db_path, code, "192.168.1.8", now=T0).ok  # spent
    assert auth.ensure_setup_code(con, cfg.db_path) is None and not path.exists()


def test_the_command_line_manages_users_as_the_operator(cfg, monkeypatch, capsys):
    import io

    from kpi.cli import main

    def user(*args: str, password: str = "mat-khau-dai-du") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        return main(["user", *args, "--db", str(cfg.db_path)])

    con = open_database(cfg)
    code = auth.ensure_setup_code(con, cfg.db_path)
    con.close()
    assert code and auth.setup_code_path(cfg.db_path).exists()
    assert user("add", "cli:vanthu", "--role", "viewer") == 1
    assert "dành riêng cho hệ thống" in capsys.readouterr().err
    assert user("add", "quantri", "--role", "admin") == 0  # the operator makes the first admin
    assert not auth.setup_code_path(cfg.db_path).exists()  # the set-up code is spent
    assert user("remove", "quantri") == 1
    assert "quản trị viên cuối cùng" in capsys.readouterr().err
    con = open_database(cfg)
    sign_in(con, "quantri", "sai", "10.5.0.1")
    assert con.execute("SELECT count(*) FROM signin_failures").fetchall() == [(2,)]
    con.close()
    assert user("unlock") == 0 and "Đã bỏ 2 lượt" in capsys.readouterr().out
    con = open_database(cfg)
    rows = con.execute("SELECT actor, action FROM audit_log WHERE action LIKE 'user%' OR action LIKE 'signin_u%'")
    assert rows.fetchall() == [(str(auth.operator()), "user_add"), (str(auth.operator()), "signin_unlocked")]
    con.close()


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "proxied", "here"),
    [
        ("127.0.0.1", None, (), False, True),  # a browser on the server
        ("::1", None, (), False, True),
        ("192.168.1.20", None, (), False, False),
        (None, None, (), False, False),  # unknown: never the server machine
        ("127.0.0.1", "192.168.1.20", (), True, False),  # a proxy on the server, not listed: not local
        ("127.0.0.1", None, (), True, False),  # relayed with Forwarded / X-Real-IP only
        ("127.0.0.1", "192.168.1.20", ("127.0.0.1",), True, False),  # listed proxy: the visitor is on the LAN
        ("127.0.0.1", "127.0.0.1", ("127.0.0.1",), True, True),  # listed proxy, browser on the server
        ("192.168.1.20", "127.0.0.1", (), True, False),  # a visitor claiming to be local
    ],
)
def test_only_the_server_machine_itself_is_local(peer, forwarded, proxies, proxied, here):
    assert auth.is_server_machine(peer, forwarded, proxies, proxied) is here


def test_importing_the_command_line_makes_no_password_hash():
    """The unknown name's stand-in hash (≈ 0.45 s of Argon2) is made at the first password check,
    not on import: every command of ``python -m kpi`` and every start of the app paid it."""
    import subprocess
    import sys

    code = (
        "import kpi.cli, kpi.access.signin as s; print(s._dummy_hash.cache_info().currsize); "
        "s._check(None, 'x'); print(s._dummy_hash.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "1"]
