"""Setting up on the machines offices have (issue 18): the launcher ``start.py`` (paths and
command lines for Linux and Windows, the offline wheelhouse, a real offline install into a fresh
venv), the Windows branches of ``kpi.output.render`` and ``kpi.config`` (the platform injected, so they
run here), the skip rule of the browser tests, and the README's two commands being CI's."""

from __future__ import annotations

import base64
import configparser
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import start
from kpi.cli import main
from kpi.config import DATA_DIR, default_db_path, settings
from kpi.output import render
from tests.support.browser import require_chromium
from tests.support.paths import PROJECT
from tests.support.samples import SAMPLE_FILES, SAMPLES

README = (PROJECT / "README.md").read_text(encoding="utf-8")
CI_RUN = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


# --- the launcher's paths and command lines ----------------------------------------------------


def test_the_venv_interpreter_is_under_scripts_on_windows_and_bin_elsewhere():
    venv = Path("proj") / ".venv"
    assert start.venv_python(venv, "win32") == venv / "Scripts" / "python.exe"
    assert start.venv_python(venv, "linux") == venv / "bin" / "python"


def test_children_find_the_venv_first_on_path_with_the_platform_separator():
    venv = Path("proj") / ".venv"
    win = start.child_environment(venv, "win32", {"PATH": r"C:\Windows", "PYTHONHOME": "x"})
    assert win["PATH"] == str(venv / "Scripts") + r";C:\Windows"
    assert win["VIRTUAL_ENV"] == str(venv) and "PYTHONHOME" not in win
    posix = start.child_environment(venv, "linux", {"PATH": "/usr/bin"})
    assert posix["PATH"] == str(venv / "bin") + ":/usr/bin"


def test_pip_installs_from_the_index_or_only_from_the_wheelhouse():
    py, req = Path(".venv/bin/python"), Path("requirements.txt")
    online = start.pip_install_command(py, req, None)
    assert online == [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(req)]
    offline = start.pip_install_command(py, req, Path("/media/usb/wheelhouse"))
    assert offline[: len(online)] == online
    assert offline[len(online) :] == ["--no-index", "--find-links", "/media/usb/wheelhouse"]


def test_the_wheelhouse_is_the_one_given_else_the_projects_own_folder(tmp_path):
    assert start.find_wheelhouse(tmp_path, None) is None
    (tmp_path / "wheelhouse").mkdir()
    assert start.find_wheelhouse(tmp_path, None) == tmp_path / "wheelhouse"
    usb = tmp_path / "USB của văn phòng"
    usb.mkdir()
    assert start.find_wheelhouse(tmp_path, str(usb)) == usb
    with pytest.raises(start.LauncherError, match="Không thấy thư mục gói cài đặt"):
        start.find_wheelhouse(tmp_path, str(tmp_path / "không có"))


def test_the_command_line_separates_the_launchers_options_from_streamlits():
    assert start.parse([]) == ("run", None, False, [])
    assert start.parse(["--server.port", "8502", "--wheelhouse", "D:\\wh", "--server.address", "0.0.0.0"]) == (
        "run",
        "D:\\wh",
        False,
        ["--server.port", "8502", "--server.address", "0.0.0.0"],
    )
    assert start.parse(["test", "--dry-run", "-k", "render"]) == ("test", None, True, ["-k", "render"])
    assert start.parse(["install", "--wheelhouse=wh"]) == ("install", "wh", False, [])
    with pytest.raises(start.LauncherError):
        start.parse(["--wheelhouse"])


def test_a_python_without_venv_or_too_old_gets_the_command_that_fixes_it():
    debian_without_venv = start.venv_problem(lambda name: None if name == "ensurepip" else object(), (3, 11, 2))
    assert "sudo apt install python3-venv" in debian_without_venv and "môi trường ảo" in debian_without_venv
    too_old = start.venv_problem(lambda name: object(), (3, 9, 18))
    assert "3.11" in too_old and "3.9" in too_old and "python.org" in too_old
    assert start.venv_problem(lambda name: object(), (3, 11, 2)) is None


def test_apt_runs_as_root_through_sudo_or_not_at_all():
    assert start.apt_prefix(True, None) == []
    assert start.apt_prefix(False, "/usr/bin/sudo") == ["/usr/bin/sudo"]
    assert start.apt_prefix(False, None) is None


def test_the_requirements_stamp_changes_with_an_included_file(tmp_path):
    (tmp_path / "requirements.txt").write_text("streamlit==1.67.0\n", encoding="utf-8")
    dev = tmp_path / "requirements-dev.txt"
    dev.write_text("-r requirements.txt\npytest==9.2.0\n", encoding="utf-8")
    assert start.included(dev) == [dev, tmp_path / "requirements.txt"]
    before = start.requirements_digest(dev)
    (tmp_path / "requirements.txt").write_text("streamlit==1.68.0\n", encoding="utf-8")
    assert start.requirements_digest(dev) != before


def test_make_and_the_launcher_lint_the_same_paths_and_install_the_same_packages():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    lint = re.search(r"^LINT_PATHS = (.+)$", makefile, re.M).group(1).split()
    apt = re.search(r"^APT_PACKAGES = (.+)$", makefile, re.M).group(1).split()
    assert lint == start.LINT_PATHS and apt == start.APT_PACKAGES
    steps = start.check_commands(Path("py"), ["-k", "x"])
    assert steps[0][1:] == ["-m", "ruff", "check", *lint]
    assert steps[1][1:] == ["-m", "ruff", "format", "--check", *lint]
    assert steps[2] == [str(Path("lint-imports"))]  # the layers of kpi/ (.importlinter)
    assert steps[3][1:] == ["-m", "pytest", "-q", "-k", "x"]
    assert steps[4][1:] == ["bench/run.py", "--quick"]
    assert "\t$(LINT_IMPORTS)" in makefile and "lint-imports" in makefile


def test_a_dry_run_prints_the_steps_and_changes_nothing(tmp_path, capsys):
    project = tmp_path / "Dự án"
    project.mkdir()
    for name in ("requirements.txt", "requirements-dev.txt"):
        (project / name).write_bytes((PROJECT / name).read_bytes())
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    assert start.main(["test", "--dry-run", "--wheelhouse", str(wheelhouse), "-k", "render"], root=project) == 0
    out = capsys.readouterr().out
    # The printed lines are shell words: a folder name with a space is quoted.
    assert "-m venv " + shlex.quote(str(project / ".venv")) in out
    dev = shlex.quote(str(project / "requirements-dev.txt"))
    assert f"-r {dev} --no-index --find-links {shlex.quote(str(wheelhouse))}" in out
    assert "-m ruff format --check" in out and "-m pytest -q -k render" in out and "bench/run.py --quick" in out
    assert sorted(p.name for p in project.iterdir()) == ["requirements-dev.txt", "requirements.txt"]


def test_the_run_command_dry_run_passes_streamlits_options(tmp_path, capsys):
    (tmp_path / "requirements.txt").write_text("streamlit==1.67.0\n", encoding="utf-8")
    assert start.main(["--server.port", "8502", "--dry-run"], root=tmp_path) == 0
    out = capsys.readouterr().out
    assert f"-r {tmp_path / 'requirements.txt'}" in out and "--no-index" not in out
    assert out.rstrip().endswith("-m streamlit run app.py --server.port 8502")
    assert "mở http://localhost:8502 " in out  # the address of the port asked for, not 8501 (black-box)


def test_the_address_to_open_follows_the_port_asked_for():
    assert start.app_url([], {}) == "http://localhost:8501"
    assert start.app_url(["--server.port=8632"], {}) == "http://localhost:8632"
    assert start.app_url(["--server.address", "0.0.0.0"], {"STREAMLIT_SERVER_PORT": "9000"}) == "http://localhost:9000"


def _tiny_wheel(folder: Path, name: str = "kpi_offline_probe", version: str = "1.0") -> Path:
    """A pure-python wheel made here (no network): one module saying it was installed offline."""
    dist = f"{name}-{version}"
    files = {
        f"{name}.py": "VALUE = 'cài đặt không cần mạng'\n",
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        data = text.encode("utf-8")
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist}.dist-info/RECORD,,")
    wheel = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
        zf.writestr(f"{dist}.dist-info/RECORD", "\n".join(record) + "\n")
    return wheel


@pytest.mark.slow
def test_a_real_offline_install_into_a_fresh_venv_then_no_pip_while_the_stamp_matches(tmp_path, monkeypatch):
    # No pip configuration (this machine's points at a local index) and a dead proxy: only the
    # wheelhouse can serve the package.
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    for name in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_PROXY", "http://127.0.0.1:9")
    wheelhouse = tmp_path / "ổ USB" / "wheelhouse"
    wheelhouse.mkdir(parents=True)
    _tiny_wheel(wheelhouse)
    requirement = tmp_path / "requirements.txt"
    requirement.write_text("kpi-offline-probe==1.0\n", encoding="utf-8")
    venv = tmp_path / ".venv"

    python = start.ensure_venv(venv, dry_run=False)
    assert python == start.venv_python(venv) and python.is_file()
    start.ensure_requirements(python, venv, requirement, wheelhouse, dry_run=False)
    shown = subprocess.run(
        [str(python), "-c", "import kpi_offline_probe as m; print(m.VALUE)"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert shown.stdout.strip() == "cài đặt không cần mạng"
    assert start.stamp_path(venv, requirement).read_text(encoding="ascii").strip() == start.requirements_digest(
        requirement
    )

    # Unchanged requirements: pip is not run (it would fail: the wheelhouse is gone).
    for wheel in wheelhouse.iterdir():
        wheel.unlink()
    start.ensure_requirements(python, venv, requirement, wheelhouse, dry_run=False)
    # Changed requirements: pip runs, finds nothing offline, says so; the stamp stays the old one.
    requirement.write_text("kpi-offline-probe==1.0\nkpi-offline-missing==2.0\n", encoding="utf-8")
    with pytest.raises(start.LauncherError, match="Cài gói thất bại"):
        start.ensure_requirements(python, venv, requirement, wheelhouse, dry_run=False)
    assert start.stamp_path(venv, requirement).read_text(encoding="ascii").strip() != start.requirements_digest(
        requirement
    )


# --- kpi.output.render on Windows (platform injected) -------------------------------------------------


def test_windows_finds_chrome_or_edge_under_program_files_and_localappdata(tmp_path):
    environ = {
        "PROGRAMFILES": str(tmp_path / "Program Files"),
        "PROGRAMFILES(X86)": str(tmp_path / "Program Files (x86)"),
        "LOCALAPPDATA": str(tmp_path / "Người dùng" / "AppData" / "Local"),
    }
    candidates = render.browser_candidates("win32", environ)
    assert candidates[0] == os.path.join(environ["PROGRAMFILES"], "Google", "Chrome", "Application", "chrome.exe")
    assert os.path.join(environ["PROGRAMFILES(X86)"], "Microsoft", "Edge", "Application", "msedge.exe") in candidates
    cfg = settings(db_path=tmp_path / "kpi.duckdb")
    # Edge, as on every Windows 10/11 (no execute bit on Windows: the file being there is enough).
    edge = Path(environ["PROGRAMFILES(X86)"]) / "Microsoft" / "Edge" / "Application" / "msedge.exe"
    edge.parent.mkdir(parents=True)
    edge.write_bytes(b"MZ")
    assert render.browser_path(cfg, platform="win32", environ=environ) == str(edge)
    # Chrome installed for the user only wins over Edge.
    chrome = Path(environ["LOCALAPPDATA"]) / "Google" / "Chrome" / "Application" / "chrome.exe"
    chrome.parent.mkdir(parents=True)
    chrome.write_bytes(b"MZ")
    assert render.browser_path(cfg, platform="win32", environ=environ) == str(chrome)
    # Linux still wants the execute bit.
    assert render.browser_path(settings(chromium_path=str(chrome)), platform="linux") is None
    assert render.browser_path(settings(chromium_path=str(chrome)), platform="win32") == str(chrome)


def test_windows_fonts_come_from_the_windows_fonts_folder(tmp_path):
    windir = tmp_path / "Windows"
    assert render.vietnamese_fonts("win32", str(windir)) is None  # no folder: nothing can be said
    (windir / "Fonts").mkdir(parents=True)
    assert render.vietnamese_fonts("win32", str(windir)) == []
    (windir / "Fonts" / "ARIAL.TTF").write_bytes(b"\0")
    (windir / "Fonts" / "segoeui.ttf").write_bytes(b"\0")
    assert render.vietnamese_fonts("win32", str(windir)) == ["Arial", "Segoe UI"]


def test_a_windows_server_without_a_browser_is_told_to_install_chrome_or_edge(tmp_path):
    error = render.problem(settings(chromium_path=str(tmp_path / "không có.exe")), platform="win32")
    assert error is not None and "Google Chrome hoặc Microsoft Edge" in error.message_vi
    assert "apt-get" not in error.message_vi
    linux = render.problem(settings(chromium_path=str(tmp_path / "none")), platform="linux")
    assert "apt-get install chromium" in linux.message_vi


def _sleeper(**popen_options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], **popen_options)


def test_windows_kills_the_browser_tree_with_taskkill_and_falls_back_to_the_process():
    calls = []

    def taskkill_fails(command, **options):
        calls.append(command)
        return subprocess.CompletedProcess(command, 128)

    proc = _sleeper()
    try:
        render.kill_tree(proc, platform="win32", run=taskkill_fails)
        assert calls == [["taskkill", "/PID", str(proc.pid), "/T", "/F"]]
        assert proc.wait(timeout=30) != 0  # terminated by the fallback
    finally:
        proc.kill()
        proc.wait()

    def taskkill_missing(command, **options):
        raise FileNotFoundError(command[0])

    proc = _sleeper()
    try:
        render.kill_tree(proc, platform="win32", run=taskkill_missing)
        assert proc.wait(timeout=30) != 0
    finally:
        proc.kill()
        proc.wait()


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_posix_kills_the_whole_process_group():
    leader = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time; c = subprocess.Popen(['sleep', '120']); "
         "print(c.pid, flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    child = int(leader.stdout.readline())
    render.kill_tree(leader, platform="linux")
    assert leader.wait(timeout=30) == -9
    deadline = time.monotonic() + 30
    while _state(child) not in (None, "Z") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(child) in (None, "Z"), "the browser's child survived"


# --- kpi.config: the database under Documents when the project folder is read-only -------------


def test_the_database_stays_in_data_when_it_is_writable(tmp_path):
    data = tmp_path / "Dữ liệu"
    data.mkdir()
    assert default_db_path(data, tmp_path / "Tài liệu") == data / "kpi.duckdb"


def test_the_database_goes_under_documents_when_data_cannot_be_written(tmp_path):
    # A data "folder" below a plain file cannot take a file, even for root (chmod would not stop root).
    (tmp_path / "Program Files").write_bytes(b"")
    data = tmp_path / "Program Files" / "kpi-dashboard" / "data"
    documents = tmp_path / "Người dùng" / "Tài liệu"
    assert default_db_path(data, documents) == documents / "kpi-dashboard" / "kpi.duckdb"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_data_folder_sends_the_database_to_documents(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o555)
    try:
        assert default_db_path(data, tmp_path / "Documents") == tmp_path / "Documents" / "kpi-dashboard" / "kpi.duckdb"
    finally:
        data.chmod(0o755)


def test_kpi_db_and_the_command_lines_db_still_win(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(tmp_path / "env.duckdb"))
    assert settings().db_path == tmp_path / "env.duckdb"
    monkeypatch.delenv("KPI_DB")
    assert settings(db_path=tmp_path / "cli.duckdb").db_path == tmp_path / "cli.duckdb"
    assert settings().db_path == default_db_path()


# --- Vietnamese names: the data folder, the reports, the database and raw archive, the exports ---


def test_vietnamese_names_everywhere_a_path_is_taken(tmp_path, monkeypatch, capsys):
    data = tmp_path / "Dữ liệu huyện Tam Nông"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("samples", "raw", "backups", "*.duckdb*"))
    monkeypatch.setenv("KPI_DATA_DIR", str(data))
    monkeypatch.delenv("KPI_DB", raising=False)
    report = tmp_path / "Báo cáo quý I – UBND huyện.xlsx"
    shutil.copy(SAMPLES / SAMPLE_FILES["q1"], report)
    db = ["--db", str(data / "Cơ sở dữ liệu" / "chỉ tiêu.duckdb")]

    assert main(["ingest", str(report), *db]) == 0
    assert "Kỳ báo cáo: Quý I/2024" in capsys.readouterr().out
    raw = [p for p in (data / "Cơ sở dữ liệu" / "raw").rglob("*") if p.is_file()]
    assert len(raw) == 1 and raw[0].read_bytes() == report.read_bytes()

    exports = tmp_path / "Xuất bản"
    exports.mkdir()
    annex = exports / "Phụ lục quý I năm 2024.xlsx"
    assert main(["export", "--year", "2024", "--quarter", "1", "--to", str(annex), *db]) == 0
    with zipfile.ZipFile(annex) as zf:
        assert "xl/workbook.xml" in zf.namelist()
    copy = tmp_path / "Sao lưu" / "bản sao ngày 30-11.duckdb"
    assert main(["backup", "--to", str(copy), *db]) == 0
    assert main(["restore", "--from", str(copy), *db]) == 0
    capsys.readouterr()
    assert main(["report", "--year", "2024", "--quarter", "1", "--format", "json", *db]) == 0
    assert '"CT01"' in capsys.readouterr().out


# --- the browser tests' skip rule ----------------------------------------------------------------


def test_browser_tests_skip_without_chromium_but_fail_under_ci(tmp_path):
    missing = str(tmp_path / "chromium")
    with pytest.raises(pytest.skip.Exception):
        require_chromium(missing, {})
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        require_chromium(missing, {"CI": "true"})
    (tmp_path / "chromium").write_bytes(b"")
    assert require_chromium(missing, {"CI": "true"}) is None


# --- the README's commands are the ones CI runs ---------------------------------------------------


def _section(title: str) -> str:
    start_at = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start_at + 1)
    return README[start_at : end if end != -1 else None]


def test_the_readmes_two_commands_are_the_ones_ci_runs():
    blocks = re.findall(r"```bash\n(.*?)\n```", _section("Two commands"), re.S)
    run_command, test_command = blocks[0].strip(), blocks[1].strip()
    assert run_command == "python3 start.py" and test_command == "python3 start.py test"
    assert re.search(r"^RUN_COMMAND='(.*)'$", CI_RUN, re.M).group(1) == run_command
    assert re.search(r"^TEST_COMMAND='(.*)'$", CI_RUN, re.M).group(1) == test_command
    assert re.search(r"^\$RUN_COMMAND ", CI_RUN, re.M) and re.search(r"^\$TEST_COMMAND$", CI_RUN, re.M)
    assert 'export PATH="/usr/bin:' in CI_RUN and "python3-venv" in CI_RUN
    # The same words on Windows, with py instead of python3.
    assert "`py start.py`" in README and "`py start.py test`" in README


def test_the_readme_states_the_prerequisites_and_the_windows_and_offline_sections():
    section = _section("Two commands")
    assert "python3-venv" in section and "python.org" in section
    for title in ("Windows", "An office network without internet"):
        assert f"\n## {title}\n" in README, title
    offline = _section("An office network without internet")
    assert "--platform win_amd64" in offline and "--no-index" in offline and "--wheelhouse" in offline


def test_the_systemd_unit_starts_the_launcher_on_the_lan():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(PROJECT / "deploy" / "kpi-dashboard.service", encoding="utf-8")
    exec_start = shlex.split(unit["Service"]["ExecStart"])
    assert exec_start[0] == "/usr/bin/python3" and exec_start[1].endswith("/start.py")
    command, wheelhouse, dry_run, streamlit_args = start.parse(exec_start[2:])
    assert (command, wheelhouse, dry_run) == ("run", None, False)
    assert streamlit_args == ["--server.address", "0.0.0.0", "--server.port", "8501"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"
