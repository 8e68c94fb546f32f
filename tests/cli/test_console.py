"""The command line speaks Vietnamese to the end (issue 13's black-box pass): argparse's usage,
headings and errors, a file that is not there, a reader that stops early, and refusals that say the
command line's way rather than a web page's button."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import openpyxl
import pytest

from kpi.cli import main
from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from tests.support.paths import PROJECT

ENGLISH = ("usage:", "options:", "positional arguments", "error:", "unrecognized", "invalid choice", "required")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["report", "--bogus"], "không hiểu tham số: --bogus"),
        (["report", "--quarter", "5"], "--quarter: 5 không hợp lệ; chọn một trong: 1, 2, 3, 4"),
        (["report", "--year", "abc"], "--year: 'abc' không phải là một số nguyên"),
        (["ingest"], "thiếu tham số bắt buộc: files"),
        ([], "thiếu tham số bắt buộc: lệnh"),
    ],
)
def test_usage_errors_are_vietnamese_with_exit_code_2(capsys, argv, said):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Cách dùng: python -m kpi")
    assert f": lỗi: {said}" in err and "--help" in err
    assert not any(word in err for word in ENGLISH), err


def test_help_headings_are_vietnamese(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["ingest", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: python -m kpi ingest")
    assert "\ntham số:\n" in out and "\ntuỳ chọn:\n" in out and "in hướng dẫn này rồi thoát" in out
    assert not any(word in out for word in ("usage:", "options:", "positional arguments", "show this help")), out


def test_a_missing_file_is_said_with_its_path(tmp_path, capsys):
    missing = tmp_path / "khong-co.xlsx"
    assert main(["ingest", str(missing), "--db", str(tmp_path / "kpi.duckdb")]) == 1
    err = capsys.readouterr().err
    assert f"Không tìm thấy tệp «{missing}»" in err
    assert "No such file" not in err


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    """``python -m kpi report … | head -1``: the pipe is closed before the report is written."""
    env = {**os.environ, "KPI_DB": str(tmp_path / "kpi.duckdb"), "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", "report", "--year", "2024"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=PROJECT,
    )
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=240) == 0
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_a_refusal_names_the_template_command(con, cfg):
    wb = openpyxl.Workbook()
    wb.active.append(["Danh sách món ăn", "Giá"])
    wb.active.append(["Phở bò", 45000])
    out = io.BytesIO()
    wb.save(out)
    prep = prepare(con, out.getvalue(), "mon-an.xlsx", ImportOptions(), cfg)
    [refusal] = [i for i in prep.errors if i.code == "no_indicator"]
    assert "python -m kpi template" in refusal.message
