#!/usr/bin/env python3
"""Start the dashboard, or run its tests, in a project-local virtual environment.

Usage (the same words on Linux and Windows; on Windows type ``py`` instead of ``python3``)::

    python3 start.py [STREAMLIT OPTIONS]    create .venv if needed, install requirements.txt, start the app
    python3 start.py test [PYTEST OPTIONS]  install requirements-dev.txt (and Debian's chromium and fonts
                                            when missing), run ruff, lint-imports, pytest and
                                            bench/run.py --quick
    python3 start.py install                only create .venv and install requirements.txt

Launcher options (anywhere on the line): ``--wheelhouse DIR`` installs offline from a folder of
wheels (``./wheelhouse`` is used by itself when it exists); ``--dry-run`` prints what would be run
and changes nothing; ``--help``.

Standard library only, so it runs on a fresh Debian/Ubuntu ``python3`` or a python.org install on
Windows. Nothing is ever installed into the Python that runs this file: packages go into ``.venv``
beside it (issue 18). ``pip install`` runs only when ``requirements.txt`` (or, for ``test``,
``requirements-dev.txt``) changed since the last successful install: a sha256 of the files is kept
in ``.venv/kpi-*.sha256``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ".venv"
WHEELHOUSE = "wheelhouse"
MIN_PYTHON = (3, 11)
#: What ruff checks and formats (the Makefile's LINT_PATHS are the same).
LINT_PATHS = ["kpi", "views", "tests", "app.py", "appkit", "bench", "start.py"]
#: Debian/Ubuntu packages for the browser tests and PNG export, and LibreOffice (with Liberation
#: Serif, Times New Roman's metrics) to render the draft report in its tests (the Makefile's APT_PACKAGES).
APT_PACKAGES = [
    "chromium",
    "fonts-noto-core",
    "fonts-dejavu-core",
    "fontconfig",
    "libreoffice-writer-nogui",
    "fonts-liberation2",
]
COMMANDS = ("run", "test", "install")


def say(message: str) -> None:
    """One line for the person at the terminal (Vietnamese, then English)."""
    try:
        print(f"[start.py] {message}", flush=True)
    except UnicodeEncodeError:  # a Windows console or log file in a legacy code page
        print(f"[start.py] {message}".encode("ascii", "backslashreplace").decode("ascii"), flush=True)


class LauncherError(Exception):
    """What stops the launcher, with the message to show (exit code 2)."""


# --- paths and command lines (pure: the platform is a parameter, so Windows is tested on Linux) ---


def is_windows(platform: str | None = None) -> bool:
    return (platform or sys.platform).startswith("win")


def venv_bin(venv: Path, platform: str | None = None) -> Path:
    """The folder of the environment's programs: ``Scripts`` on Windows, ``bin`` elsewhere."""
    return venv / ("Scripts" if is_windows(platform) else "bin")


def venv_python(venv: Path, platform: str | None = None) -> Path:
    """The environment's interpreter: ``.venv\\Scripts\\python.exe`` or ``.venv/bin/python``."""
    return venv_bin(venv, platform) / ("python.exe" if is_windows(platform) else "python")


def included(requirement: Path) -> list[Path]:
    """``requirement`` and every file it pulls in with ``-r``/``--requirement``, in order."""
    files = [requirement]
    for line in requirement.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) == 2 and words[0] in {"-r", "--requirement"}:
            files += included(requirement.parent / words[1])
        elif len(words) == 1 and words[0].startswith("--requirement="):
            files += included(requirement.parent / words[0].split("=", 1)[1])
    return files


def requirements_digest(requirement: Path) -> str:
    """sha256 over the requirement file and the files it includes (names and bytes)."""
    digest = hashlib.sha256()
    for path in included(requirement):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_path(venv: Path, requirement: Path) -> Path:
    return venv / f"kpi-{requirement.stem}.sha256"


def find_wheelhouse(root: Path, given: str | None) -> Path | None:
    """The folder of wheels to install from offline: ``--wheelhouse DIR``, else ``./wheelhouse``
    when it exists, else ``None`` (install from the package index).

    :raises LauncherError: ``--wheelhouse`` names a folder that does not exist.
    """
    if given:
        path = Path(given).expanduser().resolve()
        if not path.is_dir():
            raise LauncherError(
                f"Không thấy thư mục gói cài đặt «{path}». / The wheelhouse folder {path} does not exist."
            )
        return path
    default = root / WHEELHOUSE
    return default if default.is_dir() else None


def pip_install_command(python: Path, requirement: Path, wheelhouse: Path | None) -> list[str]:
    """The pip command that installs ``requirement`` into the environment of ``python``; with a
    wheelhouse it never touches the network (``--no-index --find-links DIR``)."""
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(requirement)]
    if wheelhouse is not None:
        command += ["--no-index", "--find-links", str(wheelhouse)]
    return command


def app_command(python: Path, extra: list[str]) -> list[str]:
    """``streamlit run app.py`` with the environment's interpreter; ``extra`` (``--server.port
    8502``, ``--server.address 0.0.0.0``…) is passed through to Streamlit."""
    return [str(python), "-m", "streamlit", "run", "app.py", *extra]


def lint_imports(python: Path) -> str:
    """import-linter's ``lint-imports`` beside the environment's interpreter: it checks the layers of
    ``kpi/`` (``.importlinter``, docs/architecture.md)."""
    return str(python.with_name("lint-imports.exe" if python.suffix.lower() == ".exe" else "lint-imports"))


def check_commands(python: Path, pytest_args: list[str]) -> list[list[str]]:
    """Lint, every test, the quick benchmark: what ``start.py test`` runs, in order."""
    py = str(python)
    return [
        [py, "-m", "ruff", "check", *LINT_PATHS],
        [py, "-m", "ruff", "format", "--check", *LINT_PATHS],
        [lint_imports(python)],
        [py, "-m", "pytest", "-q", *pytest_args],
        [py, "bench/run.py", "--quick"],
    ]


def child_environment(venv: Path, platform: str | None = None, environ: dict | None = None) -> dict:
    """The environment of what runs inside ``.venv``: its programs first on PATH (a test that runs
    ``python`` or ``streamlit`` gets this environment's), ``VIRTUAL_ENV`` set, no ``PYTHONHOME``."""
    env = dict(os.environ if environ is None else environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(venv)
    sep = ";" if is_windows(platform) else ":"
    env["PATH"] = str(venv_bin(venv, platform)) + (sep + env["PATH"] if env.get("PATH") else "")
    return env


def venv_problem(find_spec=importlib.util.find_spec, version=sys.version_info) -> str | None:
    """Why this Python cannot make ``.venv`` (too old, or Debian's ``python3-venv`` missing), or ``None``."""
    if tuple(version[:2]) < MIN_PYTHON:
        return (
            f"Cần Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} trở lên, máy đang chạy "
            f"{version[0]}.{version[1]}. / Python 3.11 or newer is needed "
            f"(this is {version[0]}.{version[1]}). Windows: cài Python 3.11+ từ python.org; "
            "Debian/Ubuntu: sudo apt install python3"
        )
    if find_spec("venv") is None or find_spec("ensurepip") is None:
        return (
            "Python này chưa tạo được môi trường ảo (thiếu mô-đun venv/ensurepip). "
            "Trên Debian/Ubuntu hãy chạy: sudo apt install python3-venv — rồi chạy lại lệnh. / "
            "This Python cannot create a virtual environment (venv/ensurepip missing): "
            "run sudo apt install python3-venv, then run this command again."
        )
    return None


# --- steps that act --------------------------------------------------------------------------


def run(command: list[str], *, dry_run: bool, env: dict | None = None, cwd: Path = ROOT) -> int:
    say("$ " + (subprocess.list2cmdline(command) if is_windows() else shlex.join(command)))
    if dry_run:
        return 0
    return subprocess.call(command, env=env, cwd=cwd)


def venv_ready(venv: Path) -> bool:
    """The environment exists and has pip (a half-made one, e.g. after a failed ensurepip, has not)."""
    python = venv_python(venv)
    if not python.is_file():
        return False
    return subprocess.call([str(python), "-c", "import pip"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_venv(venv: Path, *, dry_run: bool) -> Path:
    """``.venv`` made with this Python if missing or broken; returns its interpreter.

    :raises LauncherError: this Python cannot make one (see :func:`venv_problem`).
    """
    if venv_ready(venv):
        return venv_python(venv)
    problem = venv_problem()
    if problem:
        raise LauncherError(problem)
    if venv.exists():
        say(f"Môi trường ảo {venv} bị hỏng: tạo lại. / {venv} is broken: making it again.")
        if not dry_run:
            shutil.rmtree(venv)
    say(f"Tạo môi trường ảo {venv} (một lần). / Creating the virtual environment {venv} (once).")
    if run([sys.executable, "-m", "venv", str(venv)], dry_run=dry_run) != 0:
        if not dry_run:
            shutil.rmtree(venv, ignore_errors=True)
        raise LauncherError(
            f"Không tạo được môi trường ảo {venv}. Trên Debian/Ubuntu: sudo apt install python3-venv. / "
            f"Could not create {venv} (Debian/Ubuntu: sudo apt install python3-venv)."
        )
    return venv_python(venv)


def ensure_requirements(python: Path, venv: Path, requirement: Path, wheelhouse: Path | None, *, dry_run: bool) -> None:
    """Install ``requirement`` into the environment unless the stamp says it already is.

    :raises LauncherError: pip failed (nothing is stamped, so the next start tries again).
    """
    stamp = stamp_path(venv, requirement)
    digest = requirements_digest(requirement)
    if stamp.is_file() and stamp.read_text(encoding="ascii").strip() == digest:
        return
    where = f"từ {wheelhouse} (không cần mạng)" if wheelhouse else "từ kho gói PyPI"
    say(f"Cài các gói của {requirement.name} vào {venv} {where}. / Installing {requirement.name} into {venv}.")
    if run(pip_install_command(python, requirement, wheelhouse), dry_run=dry_run, env=child_environment(venv)) != 0:
        hint = (
            "Thư mục gói cài đặt có đủ gói cho máy này không (đúng Windows/Linux, Python 3.11)?"
            if wheelhouse
            else "Máy có kết nối được kho gói PyPI không? Nếu không, xem mục cài đặt không có Internet trong README."
        )
        raise LauncherError(f"Cài gói thất bại. {hint} / pip install failed (see the lines above).")
    if not dry_run:
        stamp.write_text(digest + "\n", encoding="ascii")


def system_packages_missing(chromium: str = "/usr/bin/chromium", soffice: str = "/usr/bin/soffice") -> bool:
    """Debian's chromium, LibreOffice or a font covering Vietnamese is missing."""
    if not os.path.exists(chromium) or not os.path.exists(soffice):
        return True
    try:
        fonts = subprocess.run(["fc-list", ":lang=vi"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return True
    return not fonts.strip()


def apt_prefix(is_root: bool, sudo: str | None) -> list[str] | None:
    """How to run apt-get: directly as root, through sudo, or ``None`` when neither is possible."""
    if is_root:
        return []
    if sudo:
        return [sudo]
    return None


def ensure_system_packages(*, dry_run: bool) -> None:
    """On Debian/Ubuntu, apt-get install chromium and the fonts when missing (root or sudo)."""
    if is_windows() or not os.path.exists("/etc/debian_version") or not shutil.which("apt-get"):
        return
    if not system_packages_missing():
        return
    prefix = apt_prefix(hasattr(os, "geteuid") and os.geteuid() == 0, shutil.which("sudo"))
    if prefix is None:
        say(
            "Thiếu chromium hoặc phông tiếng Việt và không có quyền root/sudo để cài: các bài kiểm tra "
            "trình duyệt sẽ bị bỏ qua. / Missing chromium or fonts; install: apt-get install " + " ".join(APT_PACKAGES)
        )
        return
    say("Cài chromium và phông chữ tiếng Việt bằng apt-get. / Installing chromium and fonts with apt-get.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        [*prefix, "apt-get", "update"],
        [
            *prefix,
            "apt-get",
            "install",
            "-y",
            "-o",
            "DPkg::Lock::Timeout=300",
            "--no-install-recommends",
            *APT_PACKAGES,
        ],
    ):
        if run(command, dry_run=dry_run, env=env) != 0:
            raise LauncherError("apt-get thất bại (xem các dòng trên). / apt-get failed (see above).")


def app_url(extra: list[str], environ: dict | None = None) -> str:
    """The address to open on this machine: the port of ``--server.port N`` (or ``=N``) among
    Streamlit's options, else of ``STREAMLIT_SERVER_PORT``, else Streamlit's 8501 (a fixed 8501
    was printed for ``--server.port 8632``: black-box, December 2026)."""
    environ = os.environ if environ is None else environ
    port = environ.get("STREAMLIT_SERVER_PORT") or "8501"
    for i, option in enumerate(extra):
        if option == "--server.port" and i + 1 < len(extra):
            port = extra[i + 1]
        elif option.startswith("--server.port="):
            port = option.split("=", 1)[1]
    return f"http://localhost:{port}"


def start_app(python: Path, extra: list[str], venv: Path, *, dry_run: bool, root: Path = ROOT) -> int:
    """Replace this process with Streamlit (POSIX: signals from systemd or Ctrl+C reach it
    directly); on Windows wait for it as a child, since ``os.execv`` there starts a new process."""
    command = app_command(python, extra)
    env = child_environment(venv)
    say(f"Khởi động ứng dụng; mở {app_url(extra)} (Ctrl+C để dừng). / Starting the app.")
    if dry_run or is_windows():
        try:
            return run(command, dry_run=dry_run, env=env, cwd=root)
        except KeyboardInterrupt:
            return 0
    say("$ " + shlex.join(command))
    os.chdir(root)
    os.execve(command[0], command, env)
    return 0  # not reached


def parse(argv: list[str]) -> tuple[str, str | None, bool, list[str]]:
    """``(command, wheelhouse, dry_run, passed_on)`` from the command line.

    :raises LauncherError: ``--wheelhouse`` without a folder.
    """
    command, wheelhouse, dry_run, rest = "run", None, False, []
    args = list(argv)
    if args and args[0] in COMMANDS:
        command = args.pop(0)
    while args:
        arg = args.pop(0)
        if arg == "--wheelhouse":
            if not args:
                raise LauncherError("--wheelhouse cần tên thư mục. / --wheelhouse needs a folder.")
            wheelhouse = args.pop(0)
        elif arg.startswith("--wheelhouse="):
            wheelhouse = arg.split("=", 1)[1]
        elif arg == "--dry-run":
            dry_run = True
        elif arg in {"-h", "--help"}:
            command = "help"
        else:
            rest.append(arg)
    return command, wheelhouse, dry_run, rest


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """Run the launcher on ``argv`` for the project at ``root``; returns the exit code (0 done,
    2 the launcher could not go on, else the failing step's)."""
    try:
        command, given, dry_run, rest = parse(sys.argv[1:] if argv is None else argv)
        if command == "help":
            print(__doc__)
            return 0
        venv = root / VENV
        wheelhouse = find_wheelhouse(root, given)
        if command == "test":
            ensure_system_packages(dry_run=dry_run)
        python = ensure_venv(venv, dry_run=dry_run)
        requirement = root / ("requirements-dev.txt" if command == "test" else "requirements.txt")
        ensure_requirements(python, venv, requirement, wheelhouse, dry_run=dry_run)
        if command == "install":
            say(f"Đã cài xong vào {venv}. / Installed into {venv}.")
            return 0
        if command == "run":
            return start_app(python, rest, venv, dry_run=dry_run, root=root)
        env = child_environment(venv)
        for step in check_commands(python, rest):
            code = run(step, dry_run=dry_run, env=env, cwd=root)
            if code != 0:
                return code
        return 0
    except LauncherError as error:
        say(str(error))
        return 2


if __name__ == "__main__":
    sys.exit(main())
