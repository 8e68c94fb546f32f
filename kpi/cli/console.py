"""The command line's own words (black-box findings of issue 13): argparse's usage, headings and
errors in Vietnamese, an unreadable file said with its path, and a reader that stops early
(``python -m kpi report … | head -1``) ending the command quietly, without a traceback.

argparse writes its usage line, section headings and errors in English ("usage:", "options:",
"unrecognized arguments"); :class:`VietnameseArgumentParser` writes them in Vietnamese. Every
subcommand's parser is of the same class (argparse makes subparsers of the parent's class).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Callable

__all__ = ["VietnameseArgumentParser", "os_error_message", "run_quietly"]

#: The names argparse gives the subcommand arguments (their ``dest``), said as "lệnh".
_COMMAND_DESTS = {"command", "user_command", "alias_command", "plan_command"}
_TYPES = {"int": "một số nguyên", "float": "một số", "Path": "một đường dẫn tệp"}


def _name(name: str) -> str:
    names = [n.strip() for n in name.split(",")]
    return ", ".join("lệnh" if n in _COMMAND_DESTS else n for n in names)


def _invalid_value(m: re.Match) -> str:
    return f"{_name(m[1])}: {m[3]} không phải là {_TYPES.get(m[2], 'giá trị hợp lệ')}"


#: argparse's English errors (Python 3.11–3.13) → Vietnamese; the first pattern that matches wins.
_ERRORS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"^unrecognized arguments: (.*)$"), lambda m: f"không hiểu tham số: {m[1]}"),
    (
        re.compile(r"^the following arguments are required: (.*)$"),
        lambda m: f"thiếu tham số bắt buộc: {_name(m[1])}",
    ),
    (re.compile(r"^one of the arguments (.*) is required$"), lambda m: f"cần một trong các tham số: {m[1]}"),
    (
        re.compile(r"^ambiguous option: (\S+) could match (.*)$"),
        lambda m: f"tuỳ chọn {m[1]} chưa rõ, có thể là: {m[2]}",
    ),
    (
        re.compile(r"^argument (.+?): invalid choice: (.+?) \(choose from (.+)\)$"),
        lambda m: f"{_name(m[1])}: {m[2]} không hợp lệ; chọn một trong: {m[3]}",
    ),
    (re.compile(r"^argument (.+?): invalid (\w+) value: (.+)$"), _invalid_value),
    (re.compile(r"^argument (.+?): expected one argument$"), lambda m: f"{_name(m[1])} cần một giá trị"),
    (
        re.compile(r"^argument (.+?): expected at least one argument$"),
        lambda m: f"{_name(m[1])} cần ít nhất một giá trị",
    ),
    (re.compile(r"^argument (.+?): expected at most one argument$"), lambda m: f"{_name(m[1])} chỉ nhận một giá trị"),
    (re.compile(r"^argument (.+?): expected (\d+) arguments$"), lambda m: f"{_name(m[1])} cần {m[2]} giá trị"),
    (
        re.compile(r"^argument (.+?): not allowed with argument (.+)$"),
        lambda m: f"{_name(m[1])} không dùng cùng {m[2]} được",
    ),
    (
        re.compile(r"^argument (.+?): ignored explicit argument (.+)$"),
        lambda m: f"{_name(m[1])} không nhận giá trị {m[2]}",
    ),
]


def vietnamese_error(message: str) -> str:
    """argparse's ``message`` in Vietnamese; an unknown one is kept, after a Vietnamese lead."""
    for pattern, say in _ERRORS:
        m = pattern.match(message)
        if m:
            return say(m)
    return f"lệnh viết chưa đúng ({message})"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage line, headings, help option and errors are Vietnamese;
    errors exit with code 2 (wrong usage), as argparse's."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tuỳ chọn"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="in hướng dẫn này rồi thoát"
            )

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {vietnamese_error(message)}. Xem «{self.prog} --help».\n")


def os_error_message(exc: OSError, path) -> str:
    """Why the file ``path`` cannot be read, in a Vietnamese sentence that names it."""
    code = exc.errno
    if code == errno.ENOENT:
        return f"Không tìm thấy tệp «{path}»: hãy kiểm tra tên tệp và thư mục."
    if code in (errno.EACCES, errno.EPERM):
        return f"Không có quyền đọc tệp «{path}»: hãy kiểm tra quyền truy cập của tệp."
    if code == errno.EISDIR:
        return f"«{path}» là một thư mục, không phải tệp: hãy ghi tên tệp cần nạp."
    return f"Không đọc được tệp «{path}» (lỗi của hệ điều hành: {exc.strerror or exc})."


def run_quietly(main: Callable[[], int]) -> int:
    """Run ``main`` and flush what it printed; when the reader of its output has gone (a pipe
    closed early: ``… | head -1``), end quietly with code 0 — the reader chose to stop — rather than
    with a ``BrokenPipeError`` traceback (Python's documented way, ``signal`` SIGPIPE notes)."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)  # the interpreter's last flush must not fail again
        os.dup2(devnull, sys.stdout.fileno())
        return 0
