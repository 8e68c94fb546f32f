"""``python -m kpi user add`` as the operator runs it: the first user made while no admin exists is
an admin (issue 14; the rule is kpi.access.auth.add_user's)."""

from __future__ import annotations

from tests.support.cli import kpi


def test_the_first_user_on_the_command_line_is_an_admin(tmp_path):
    db = tmp_path / "cli.duckdb"
    editor = kpi("user", "add", "bientap", "--role", "editor", "--password-stdin", db=db, stdin="mat-khau-bien-tap\n")
    assert editor.returncode != 0 and "Traceback" not in editor.stderr
    assert "Chưa có quản trị viên nên người dùng đầu tiên phải là quản trị viên" in editor.stderr
    assert "Chưa có người dùng nào" in kpi("user", "list", db=db, check=True).stdout
    admin = kpi("user", "add", "quantri", "--role", "admin", "--password-stdin", db=db, stdin="mat-khau-quan-tri\n")
    assert admin.returncode == 0, admin.stderr
    again = kpi("user", "add", "bientap", "--role", "editor", "--password-stdin", db=db, stdin="mat-khau-bien-tap\n")
    assert again.returncode == 0 and "Đã tạo người dùng «bientap» (vai trò cập nhật số liệu)." in again.stdout
    listed = kpi("user", "list", db=db, check=True).stdout
    assert "quantri" in listed and "bientap" in listed
