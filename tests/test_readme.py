"""The README stays true (issue 15, item 5): every page declared in ``app.py`` and every command of
``python -m kpi`` is named in README.md — a page by its title in the first column of the "Pages" table,
a command in the "Command line" block as ``python -m kpi CMD`` or ``… | CMD`` (a subcommand as
``CMD SUB``)."""

from __future__ import annotations

import argparse
import ast
import re

from kpi.cli import _parser
from tests.support.paths import PROJECT


def _section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section of a Markdown text ("" when there is none)."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def app_pages(source: str) -> list[tuple[str, str | None]]:
    """``(title, url_path)`` of every ``st.Page(...)`` in ``app.py``'s source; a url_path given by a
    module-level constant (``PRESENT``) is resolved."""
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page":
            kw = {k.arg: k.value for k in node.keywords}
            title = ast.literal_eval(kw["title"])
            url = kw.get("url_path")
            if isinstance(url, ast.Name):
                url = constants[url.id]
            elif url is not None:
                url = ast.literal_eval(url)
            pages.append((title, url))
    return pages


def cli_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command and subcommand of ``parser``: ``"ingest"``, ``"user add"`` …"""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(" ".join((*prefix, name)))
                found.extend(cli_commands(sub, (*prefix, name)))
    return found


def missing_pages(readme: str, pages: list[tuple[str, str | None]]) -> list[str]:
    """Titles of ``pages`` not named in the first column of the "Pages" table (a cell may name several
    pages, comma-separated: "Kinh tế, Xã hội, Môi trường"). A url_path alone does not count: the
    table is where a reader looks a page up."""
    named = set()
    for line in _section(readme, "Pages").splitlines():
        if line.startswith("|"):
            first = line.strip("|").split("|")[0]
            named.update(part.strip() for part in first.split(","))
    return [title for title, _url in pages if title not in named]


def missing_commands(readme: str, commands: list[str]) -> list[str]:
    block = _section(readme, "Command line")
    return [
        command
        for command in commands
        if not re.search(rf"(?:python -m kpi|\|)\s+{re.escape(command)}(?![\w-])", block)
    ]


def _readme() -> str:
    return (PROJECT / "README.md").read_text(encoding="utf-8")


def test_app_pages_and_cli_are_found():
    """The readers below see what is there (else the two tests would pass on nothing)."""
    pages = app_pages((PROJECT / "app.py").read_text(encoding="utf-8"))
    assert ("Tổng quan", None) in pages and ("Kinh tế", "kinh-te") in pages
    assert ("Chế độ trình chiếu", "trinh-chieu") in pages
    commands = cli_commands(_parser())
    assert {"ingest", "report", "user add", "plan show", "rebuild"} <= set(commands)


def test_every_page_is_in_the_readme():
    pages = app_pages((PROJECT / "app.py").read_text(encoding="utf-8"))
    missing = missing_pages(_readme(), pages)
    assert not missing, f"pages of app.py not in README.md's 'Pages' table: {missing}"


def test_every_command_is_in_the_readme():
    missing = missing_commands(_readme(), cli_commands(_parser()))
    assert not missing, f"commands of python -m kpi not in README.md's 'Command line' block: {missing}"


def test_a_missing_page_or_command_is_found():
    """The check itself: a README without the row of a page and the line of a command fails."""
    readme = _readme()
    pages = app_pages((PROJECT / "app.py").read_text(encoding="utf-8"))
    commands = cli_commands(_parser())
    cut = "\n".join(
        line for line in readme.splitlines() if not line.startswith(("| Dữ liệu |", "python -m kpi chart "))
    )
    assert missing_pages(cut, pages) == ["Dữ liệu"]
    assert missing_commands(cut, commands) == ["chart"]
