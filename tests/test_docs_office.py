"""docs/README-office.md stays true: every command it shows is one the command line accepts, every
setting it names is read by the code, and every page it sends people to exists."""

from __future__ import annotations

import re
import shlex

import pytest

from kpi.cli import _parser
from tests.support.paths import PROJECT

DOC = (PROJECT / "docs" / "README-office.md").read_text(encoding="utf-8")
COMMANDS = [line.split("#", 1)[0].strip() for line in re.findall(r"python -m kpi [^\n`]+", DOC)]


def test_the_doc_covers_what_the_issue_asks():
    for words in ("Where things live", "one-process rule", "user add", "backup --to", "restore --from", "rebuild"):
        assert words in DOC, words


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_shown_is_accepted(command):
    args = shlex.split(command.replace("…", "backup.duckdb"))[3:]
    parsed = _parser().parse_args(args)  # exits (SystemExit) on a command or option that does not exist
    assert parsed.command


def test_every_setting_named_is_read_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT / "kpi").rglob("*.py"))
    for name in set(re.findall(r"KPI_[A-Z_]+", DOC)):
        assert f'"{name}"' in code, name


def test_every_page_named_exists_in_the_navigation():
    titles = set(re.findall(r'title="([^"]+)"', (PROJECT / "app.py").read_text(encoding="utf-8")))
    named = {m.split(" › ")[0] for m in re.findall(r"\*\*([^*]+)\*\*", DOC) if not m.isascii()}
    assert named and named <= titles, named - titles
