"""Who may change what — every write function of the core, without Streamlit.

Each row of WRITES is one write path of ``kpi`` and the least role that may take it; every actor
below that role gets PermissionDenied, nothing changes, and the attempt is in the audit log.
"""

from __future__ import annotations

import shutil

import pytest

from kpi.access import auth
from kpi.access.auth import add_user, can, list_users, open_mode, remove_user, require, role_of, verify_password
from kpi.backup import backup_to_file
from kpi.bootstrap import acknowledge_recovery, open_database
from kpi.config import settings
from kpi.demo import load_samples
from kpi.errors import KpiError, PermissionDenied
from kpi.ingest import ingest
from kpi.plans.targets import change_target, change_unit_block
from kpi.rebuild import rebuild
from kpi.storage.database import data_version
from kpi.storage.layouts import save_mapping
from kpi.submissions import restore_submission, withdraw_submission
from tests.support.ledger import REF, q1_version
from tests.support.samples import SAMPLE_FILES, sample_bytes

ADMIN, EDITOR, VIEWER = "quantri", "bientap", "lanhdao"
OPERATOR = auth.operator("vanthu")  # the command line's operator: an object, not a name
LEVEL = {None: -1, "viewer": 0, "editor": 1, "admin": 2}


@pytest.fixture(scope="module")
def office_file(tmp_path_factory):
    """A database with three users, the Q1 sample uploaded by the editor (#1) and its correction
    by the admin (#2) (built once: Argon2 hashing is slow on purpose)."""
    cfg = settings(db_path=tmp_path_factory.mktemp("office") / "kpi.duckdb")
    con = open_database(cfg)
    add_user(con, OPERATOR, ADMIN, "admin", "mat-khau-quan-tri")
    add_user(con, OPERATOR, EDITOR, "editor", "mat-khau-bien-tap")
    add_user(con, OPERATOR, VIEWER, "viewer", "mat-khau-lanh-dao")
    ingest(con, sample_bytes("q1"), SAMPLE_FILES["q1"], EDITOR, cfg=cfg)
    ingest(con, q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024")), "sua.xlsx", ADMIN, cfg=cfg)
    con.execute("CHECKPOINT")
    con.close()
    return cfg.db_path


@pytest.fixture
def office(office_file, cfg):
    """A copy of :func:`office_file` as this test's database."""
    shutil.copy(office_file, cfg.db_path)
    shutil.copytree(office_file.parent / "raw", cfg.raw_dir)
    connection = open_database(cfg)
    yield connection
    connection.close()


#: (what, least role, call(con, cfg, actor, tmp_path))
WRITES = [
    ("upload", "editor", lambda c, cfg, a, t: ingest(c, sample_bytes("h1"), SAMPLE_FILES["h1"], a, cfg=cfg)),
    ("load samples", "editor", lambda c, cfg, a, t: load_samples(c, a, cfg)),
    ("withdraw own", "editor", lambda c, cfg, a, t: withdraw_submission(c, 1, a)),
    ("remember a layout", "editor", lambda c, cfg, a, t: save_mapping(c, a, "abc", {"header_row": 1}, "x.xlsx")),
    ("restore a version", "admin", lambda c, cfg, a, t: restore_submission(c, 1, a)),
    ("change a target", "admin", lambda c, cfg, a, t: change_target(c, a, 2024, "CT02", "810", "điều chỉnh")),
    ("move a unit", "admin", lambda c, cfg, a, t: change_unit_block(c, a, 2024, _a_unit(c), "Khối khác")),
    ("add a user", "admin", lambda c, cfg, a, t: add_user(c, a, "moi", "viewer", "mat-khau-moi-1")),
    ("remove a user", "admin", lambda c, cfg, a, t: remove_user(c, a, VIEWER)),
    ("backup", "admin", lambda c, cfg, a, t: backup_to_file(c, t / "sao-luu.duckdb", a)),
    ("acknowledge a recovery", "admin", lambda c, cfg, a, t: acknowledge_recovery(c, a)),
]


def _a_unit(con) -> str:
    return con.execute("SELECT unit FROM units WHERE year = 2024 ORDER BY sort LIMIT 1").fetchall()[0][0]


def _state(con) -> tuple:
    return (
        data_version(con),
        con.execute("SELECT count(*), string_agg(status, ',' ORDER BY submission_id) FROM submissions").fetchall(),
        con.execute("SELECT string_agg(name || role, ',' ORDER BY name) FROM users").fetchall(),
        con.execute("SELECT count(*) FROM layouts").fetchall(),
        con.execute("SELECT target_text FROM indicators WHERE year = 2024 AND key = 'CT02'").fetchall(),
    )


@pytest.mark.parametrize(("what", "least", "call"), WRITES, ids=[w[0] for w in WRITES])
@pytest.mark.parametrize("actor", [None, VIEWER, EDITOR, ADMIN, OPERATOR, "cli:vanthu"])
def test_every_write_refuses_a_role_below_it(office, cfg, tmp_path, what, least, call, actor):
    role = role_of(office, actor)
    allowed = LEVEL[role] >= LEVEL[least]
    before = _state(office)
    denied_before = office.execute("SELECT count(*) FROM audit_log WHERE action = 'denied'").fetchall()[0][0]
    if allowed:
        call(office, cfg, actor, tmp_path)
        if what not in ("acknowledge a recovery",):
            assert _state(office) != before or what == "backup"
    else:
        with pytest.raises(PermissionDenied) as refused:
            call(office, cfg, actor, tmp_path)
        assert "không có quyền" in refused.value.message_vi and "đăng nhập" in refused.value.message_vi
        assert _state(office) == before  # nothing changed
        denied = office.execute("SELECT actor, detail FROM audit_log WHERE action = 'denied'").fetchall()
        assert len(denied) == denied_before + 1 and denied[-1][0] == str(actor or auth.ANONYMOUS)
    assert not (tmp_path / "sao-luu.duckdb").exists() or allowed


def test_roles_of_actors(office):
    actors = (ADMIN, EDITOR, VIEWER, OPERATOR, "cli:vanthu", None, auth.ANONYMOUS, "ai-do")
    assert [role_of(office, a) for a in actors] == [
        "admin",
        "editor",
        "viewer",
        "admin",  # the command line's operator (an object the command line makes)
        None,  # the same text, typed: no role (issue 16, finding 4)
        None,
        None,
        None,
    ]
    assert can(office, VIEWER, "view") and not can(office, None, "view")


def test_an_editor_withdraws_only_their_own_uploads(office):
    with pytest.raises(PermissionDenied) as refused:
        withdraw_submission(office, 2, EDITOR)  # uploaded by the admin
    assert "người khác tải lên" in refused.value.message_vi
    assert "Đã rút" in withdraw_submission(office, 1, EDITOR)


def test_a_fresh_install_lets_only_the_server_machine_write_until_the_first_admin(con, cfg):
    lan, here = auth.visitor(None), auth.visitor(None, setup_trusted=True)
    assert open_mode(con) and role_of(con, lan) == "viewer" and role_of(con, here) == "admin"
    with pytest.raises(PermissionDenied):  # a visitor over the network looks, and writes nothing
        ingest(con, sample_bytes("q1"), SAMPLE_FILES["q1"], lan, cfg=cfg)
    with pytest.raises(PermissionDenied):
        add_user(con, lan, "ke-la", "admin", "mat-khau-ke-la")
    ingest(con, sample_bytes("q1"), SAMPLE_FILES["q1"], here, cfg=cfg)  # the README's first run, on the server
    with pytest.raises(KpiError, match="người dùng đầu tiên phải là quản trị viên"):
        add_user(con, OPERATOR, EDITOR, "editor", "mat-khau-bien-tap")  # set-up mode ends with an admin only
    assert open_mode(con)
    add_user(con, here, ADMIN, "admin", "mat-khau-quan-tri")
    assert not open_mode(con)
    for actor in (here, lan, auth.ANONYMOUS):  # the server machine is just a visitor now
        assert role_of(con, actor) is None
        with pytest.raises(PermissionDenied):
            ingest(con, sample_bytes("h1"), SAMPLE_FILES["h1"], actor, cfg=cfg)
    with pytest.raises(PermissionDenied):
        require(con, None, "view")
    add_user(con, OPERATOR, EDITOR, "editor", "mat-khau-bien-tap")  # the other roles once an admin exists
    assert role_of(con, auth.visitor(EDITOR)) == "editor"


@pytest.mark.parametrize("who", ["operator", "trusted visitor", "server code"])
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_while_no_admin_exists_the_first_user_made_is_an_admin(con, who, role):
    """Issue 14: the admin page made an editor the first user and said set-up mode had ended,
    while no admin existed and the sidebar still said set-up mode. Every way in (the command
    line, the server machine, the set-up code, the server's own code) refuses another role, in
    Vietnamese, stores nothing; once an admin exists the same user is made."""
    actor = {
        "operator": OPERATOR,
        "trusted visitor": auth.visitor(None, setup_trusted=True),  # the server machine or the set-up code
        "server code": "tester",
    }[who]
    with pytest.raises(KpiError) as refused:
        add_user(con, actor, EDITOR, role, "mat-khau-bien-tap")
    said = refused.value.message_vi
    assert "Chưa có quản trị viên nên người dùng đầu tiên phải là quản trị viên" in said
    assert f"«{EDITOR}»" in said and "chế độ thiết lập chỉ kết thúc khi đã có quản trị viên" in said
    assert list_users(con).empty and open_mode(con)
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'user_add'").fetchall() == [(0,)]
    add_user(con, actor, ADMIN, "admin", "mat-khau-quan-tri")
    add_user(con, OPERATOR, EDITOR, role, "mat-khau-bien-tap")
    assert dict(list_users(con)[["name", "role"]].values) == {ADMIN: "admin", EDITOR: role}


def test_a_viewer_named_like_the_operator_cannot_exist_nor_gain_anything(office):
    for name in ("cli:x", "CLI:vanthu", " cli:vanthu", "\u202ecli:x", auth.ANONYMOUS):
        with pytest.raises(ValueError, match="dành riêng|điều khiển"):
            add_user(office, ADMIN, name, "viewer", "mat-khau-dai-du")
    assert set(list_users(office)["name"]) == {ADMIN, EDITOR, VIEWER}
    # the same text as the operator's, from a page or typed, is a name without a role
    assert role_of(office, "cli:vanthu") is None and role_of(office, auth.visitor("cli:vanthu")) is None
    with pytest.raises(PermissionDenied):
        add_user(office, auth.visitor("cli:vanthu"), "moi", "admin", "mat-khau-moi-1")
    denied = office.execute("SELECT actor FROM audit_log WHERE action = 'denied'").fetchall()
    assert denied[-1] == ("cli:vanthu",)  # shown as typed, not as the operator's role


def test_passwords_are_argon2_hashes_and_failures_logged(office):
    stored = office.execute("SELECT password_hash FROM users WHERE name = ?", [EDITOR]).fetchall()[0][0]
    assert stored.startswith("$argon2id$") and "mat-khau-bien-tap" not in stored
    assert "password_hash" not in list_users(office).columns
    assert verify_password(office, EDITOR, "mat-khau-bien-tap", "10.0.0.1")
    assert not verify_password(office, EDITOR, "sai-mat-khau", "10.0.0.2")
    assert not verify_password(office, "khong-co-ai", "mat-khau-bien-tap", "10.0.0.3")
    failed = office.execute("SELECT actor FROM audit_log WHERE action = 'signin_failed' ORDER BY rowid").fetchall()
    assert failed == [(EDITOR,), ("khong-co-ai",)]


def test_user_rules(office):
    with pytest.raises(ValueError, match="ít nhất 8 ký tự"):
        add_user(office, ADMIN, "ngan", "viewer", "1234567")
    with pytest.raises(ValueError, match="không hợp lệ"):
        add_user(office, ADMIN, "x", "superuser", "mat-khau-dai-du")
    add_user(office, ADMIN, VIEWER, "editor", "mat-khau-moi-dai")  # replacing changes role and password
    assert role_of(office, VIEWER) == "editor" and verify_password(office, VIEWER, "mat-khau-moi-dai")


def test_rebuild_is_for_admins(office, cfg):
    office.close()
    with pytest.raises(PermissionDenied):
        rebuild(cfg, EDITOR)
    with pytest.raises(PermissionDenied):
        rebuild(cfg, "cli:vanthu")  # the operator's text is not the operator
    assert rebuild(cfg, OPERATOR).replayed == 2
