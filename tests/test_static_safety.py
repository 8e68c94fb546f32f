"""Rules read off the source: every write of the core checks the role, SQL takes values only as
parameters, no page renders HTML, and Streamlit's upload limit sits just above ours.

These read the code (ast), so a new module that breaks a rule fails here before it ships."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from kpi.config import Settings, settings
from kpi.domain import rules
from tests.support.paths import PROJECT

KPI = sorted((PROJECT / "kpi").rglob("*.py"))
APP = [
    PROJECT / "app.py",
    *sorted((PROJECT / "appkit").glob("*.py")),
    *sorted((PROJECT / "views").glob("*.py")),
]

_WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|ATTACH|COPY|CHECKPOINT)\b", re.I)

#: Public functions that write without a role check, and why that is right.
NO_ROLE_CHECK = {
    "storage.database.init_schema": "creates missing tables when the database is opened",
    "bootstrap.open_database": "opening (and on first start seeding) the database",
    "storage.database.open_checked": "opening: creates missing tables and the database's identity",
    "storage.database.set_recovery_notice": "runs inside the caller's checked transaction (bootstrap)",
    "storage.database.clear_recovery_notice": "runs inside the caller's checked transaction (bootstrap)",
    "storage.database.bump_version": "runs inside the caller's checked transaction",
    "storage.database.bump_plan_version": "runs inside the caller's checked transaction",
    "plans.source.replay_plan_entry": "replayed by rebuild (admin checked there); the entry was checked when logged",
    "storage.catalogue.seed_plans": "first start: loads data/plans into an empty database",
    "plans.sentences.fill_source_texts": "start-up (bootstrap): fills a seeded plan's sentences from its own stored text",
    "storage.catalogue.store_plan": "runs inside the caller's transaction (seed, or a checked plan confirmation)",
    "storage.catalogue.sync_lookups": "adds shipped alias rows at start-up",
    "ingest_rows.log_refusal": "the audit row of a refused file: anyone's refusal is recorded",
    "ingest_rows.insert_submission": "runs inside ingest.commit's transaction, after its role check",
    "ingest_rows.insert_rows": "runs inside ingest.commit's transaction, after its role check",
    "storage.replaced.insert_replaced": "runs inside ingest.commit's transaction, after its role check",
    "access.signin.verify_password": "the audit row of a failed sign-in",
    "access.signin.sign_in": "signing in: counts and audits failed attempts of anyone, by name and address",
    "access.signin.count_failure": "counts and audits a failed sign-in or set-up code, of anyone (sign_in, check_setup_code)",
    "access.setup.check_setup_code": "set-up mode: a wrong code is counted and audited like a wrong password",
    "access.audit.record": "appends an audit row inside the caller's checked write",
    "access.roles.require": "writes the audit row of a refusal",
    "backup.restore_from_file": "checks admin on the current database itself (or it is damaged)",
    "storage.lake.connect_lake": "opening the shared store: loads the extensions and attaches the lake",
    "storage.store.claim": "runs inside the caller's checked transaction (the write claims, issue 20)",
    "storage.current.refresh": "runs inside the caller's checked transaction (bump_version), or on opening",
}

#: The SQL fragments kpi.domain.rules generates from its rule tables (vintage, version and series
#: orders): each takes only table aliases.
RULE_SQL = {n for n in rules.__all__ if n.endswith("_sql")}

#: Names an f-string may put into SQL: identifiers and fragments built from constants, never values.
# ``base``: the award rows' SELECT of kpi.storage.figures, constant text (with ``extra``) that the
# one counting rule (_COUNTED_AWARDS) wraps; ``REPORT_COLUMNS``: kpi.storage.replaced's constant list
# of a stored report's columns
SQL_FRAGMENTS = {
    "table",
    "name",
    "series_sql",
    "cols",
    "on",
    "prefix",
    "t",
    "extra",
    "condition",
    "ALIAS",
    "base",
    "REPORT_COLUMNS",
}


def _module(path: Path) -> str:
    """``kpi/storage/database.py`` → ``storage.database`` (the allow-list's spelling)."""
    return ".".join(path.relative_to(PROJECT / "kpi").with_suffix("").parts)


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _writes(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _WRITE_SQL.match(node.value):
            return True
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and _WRITE_SQL.match(str(first.value)):
                return True
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "record":
            return True
    return False


def _calls(fn: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            names.add(getattr(node.func, "id", None) or getattr(node.func, "attr", ""))
    return names


def test_every_public_write_of_the_core_checks_the_role():
    unchecked = []
    for path in KPI:
        functions = _functions(path)
        private_writers = {n for n, f in functions.items() if n.startswith("_") and _writes(f)}
        for name, fn in functions.items():
            if name.startswith("_"):
                continue
            writes = _writes(fn) or bool(_calls(fn) & private_writers)
            if writes and "require" not in _calls(fn) and f"{_module(path)}.{name}" not in NO_ROLE_CHECK:
                unchecked.append(f"{_module(path)}.{name}")
    assert unchecked == [], "public write functions without require(con, actor, action)"


def test_the_allow_list_names_real_functions():
    for qualified in NO_ROLE_CHECK:
        module, _, name = qualified.rpartition(".")
        assert name in _functions(PROJECT / "kpi" / f"{module.replace('.', '/')}.py"), qualified


def _sql_calls(tree: ast.AST):
    """The SQL text argument of every ``.execute(sql, …)`` and ``scalar(con, sql, …)``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if getattr(node.func, "attr", "") in ("execute", "sql", "executemany") and node.args:
            yield node.args[0]
        elif getattr(node.func, "id", "") == "scalar" and len(node.args) > 1:
            yield node.args[1]


def _interpolated(expr: ast.AST):
    """Expressions put into an SQL text by an f-string, ``+`` or ``.format``."""
    if isinstance(expr, ast.JoinedStr):
        for part in expr.values:
            if isinstance(part, ast.FormattedValue):
                yield part.value
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        for side in (expr.left, expr.right):
            if isinstance(side, ast.Constant):
                continue
            if isinstance(side, ast.JoinedStr | ast.BinOp):
                yield from _interpolated(side)
            else:
                yield side
    elif isinstance(expr, ast.Call) and getattr(expr.func, "attr", "") == "format":
        yield from (kw.value for kw in expr.keywords)
        yield from expr.args


def _is_fragment(expr: ast.AST) -> bool:
    if isinstance(expr, ast.Name):
        return expr.id in SQL_FRAGMENTS
    if isinstance(expr, ast.Attribute):
        return expr.attr in SQL_FRAGMENTS
    if isinstance(expr, ast.Call):
        func = getattr(expr.func, "id", None) or getattr(expr.func, "attr", "")
        if func == "_ident":  # a quoted identifier
            return True
        if func == "_literal":  # a quoted path or DSN: ATTACH and LOAD take no parameters (DuckDB 1.5)
            return True
        if func in RULE_SQL and all(isinstance(a, ast.Constant) for a in expr.args):
            return True  # built from kpi.domain.rules' own tables, with constant aliases
        if func == "join" and isinstance(getattr(expr.func, "value", None), ast.Constant):
            return all(_is_joinable(a) for a in expr.args)
    return False


def _is_joinable(arg: ast.AST) -> bool:
    """What a constant separator may join into SQL: named clause lists, or a constant list of
    placeholders repeated (``["(?, ?)"] * n``)."""
    if isinstance(arg, ast.Name):
        return arg.id in {"where", "clauses"}
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mult) and isinstance(arg.left, ast.List):
        return all(isinstance(e, ast.Constant) and set(str(e.value)) <= set("(?, )") for e in arg.left.elts)
    return False


@pytest.mark.parametrize("path", KPI, ids=[_module(p) for p in KPI])
def test_sql_takes_values_only_as_parameters(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offenders = [
        f"{path.name}:{expr.lineno}: {ast.unparse(expr)}"
        for sql in _sql_calls(tree)
        for expr in _interpolated(sql)
        if not _is_fragment(expr)
    ]
    assert offenders == [], "values must be ? parameters; only identifiers/constant fragments may be formatted in"


#: Functions of appkit.text whose result a page may pass to ``st.html``: style sheets built from
#: constants only (each called below and checked to be CSS, nothing else).
CSS_BUILDERS = {
    "status_border_css": lambda f: f(),
    "uploader_css": lambda f: f(20),
    "grid_edge_css": lambda f: f("plan_editor_", [32, 60, 225, 95]),
}


def test_style_sheet_builders_give_css_only():
    import appkit.text

    for name, call in CSS_BUILDERS.items():
        sheet = call(getattr(appkit.text, name)).strip()
        assert re.fullmatch(r"<style>[^<]*</style>", sheet), name


#: Functions of appkit.text whose result, built from data, a page may pass to ``st.html``: each
#: escapes every text of the data (checked below with a name that is markup).
DATA_HTML_BUILDERS = {"summary_html", "load_summary_html"}  # the second: the first, cached


def test_the_summary_table_escapes_its_data():
    """The summary table is HTML (it wraps names at 1366 px; Streamlit's grid cuts them): a plan's
    name or unit written as markup reaches the browser as text, and the table holds only its own
    tags and one style sheet of constants."""
    import pandas as pd

    import appkit.text

    hostile = '<img src=x onerror="alert(1)">'
    table = pd.DataFrame(
        [
            {
                "Mã": 'K"1',
                "Nhóm": "x",
                "Chỉ tiêu": hostile,
                "ĐVT": "</td><script>alert(2)</script>",
                "Kế hoạch": "1",
                "Thực hiện": "2",
                "Kỳ số liệu": "Quý I/2024",
                "% KH": "200,00 %",
                "Đánh giá": "Vượt",
            }
        ]
    )
    page = appkit.text.summary_html(table)
    sheet, rest = page.split("</style>", 1)
    assert re.fullmatch(r"<style>[^<]*", sheet)
    assert set(re.findall(r"</?([A-Za-z]+)", rest)) == {"div", "table", "thead", "tbody", "tr", "th", "td", "span"}
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in rest and 'data-key="K&quot;1"' in rest
    assert "background:#cfe3f5" in rest  # «Vượt» on its tint


#: The one script a page may run, and what it may contain: the window measured, one cookie of two
#: values, one reload guarded per tab (issue 14: a phone's charts drawn narrow).
SCRIPT_BUILDERS = {"screen_probe_script", "chart_library_script", "interface_words_script", "open_at_top_script"}


def test_the_one_script_is_built_from_constants():
    import appkit.text

    scripts = {drawn: appkit.text.screen_probe_script(drawn) for drawn in appkit.text.SCREENS}
    for drawn, script in scripts.items():
        body = script.strip()
        assert body.startswith("<script>") and body.endswith("</script>")
        assert not re.search(r"<[A-Za-z/!]", body[len("<script>") : -len("</script>")])  # no tag inside
        assert "window.innerWidth < 700" in script and f'measured !== "{drawn}"' in script
        assert re.findall(r'document\.cookie = "(\w+)=', script) == ["kpi_screen", "kpi_window"]
        assert script.count("location.reload()") == 1
        assert not re.search(r"fetch|XMLHttpRequest|eval|innerHTML|src=|http", script)
    with pytest.raises(ValueError):
        appkit.text.screen_probe_script('wide"; alert(1); "')


def test_the_chart_preload_script_only_imports_streamlits_own_module():
    """The second script (issue 17): it imports one of Streamlit's own static modules, named by a
    file name of a fixed form, resolved beside Streamlit's entry module — nothing else."""
    import appkit.text

    script = appkit.text.chart_library_script("PlotlyChart.D9Z0_fxz.js")
    body = script.strip()[len("<script>") : -len("</script>")]
    assert not re.search(r"<[A-Za-z/!]", body)
    assert re.findall(r"import\(([^)]*\))", body) == ['new URL("./PlotlyChart.D9Z0_fxz.js", index.src)']
    assert not re.search(r"fetch|XMLHttpRequest|eval|innerHTML|src=|http|cookie|location", body)
    for bad in ('x.js"); alert(1); ("', "../../evil.js", "PlotlyChart.a.js/../x.js", "https://x/PlotlyChart.a.js"):
        with pytest.raises(ValueError):
            appkit.text.chart_library_script(bad)


def test_the_interface_words_script_only_rewrites_labels_and_cannot_be_broken_out_of():
    """The third script (issue 14): Streamlit's English labels in Vietnamese, from a data table
    written into it as JSON — a word holding ``</script>`` or a quote stays text."""
    import json

    import appkit.text
    from appkit.widgets import _interface_words

    hostile = {"labels": {"Open": '</script><script>alert(1)</script>"'}, "prefixes": {"Help for ": "Trợ giúp: "}}
    body = appkit.text.interface_words_script(hostile).strip()[len("<script>") : -len("</script>")]
    assert not re.search(r"<[A-Za-z/!]", body)
    assert not re.search(r"fetch|XMLHttpRequest|eval|innerHTML|src=|http|cookie|location|import\(", body)
    table = json.loads(re.search(r"const words = (.*);\n", body).group(1))
    assert table["labels"]["Open"] == '</script><script>alert(1)</script>"'
    words = _interface_words()  # the shipped table: English keys, Vietnamese words
    assert {"labels", "prefixes", "suffixes", "texts"} <= set(words)
    for table in words.values():
        for english, vietnamese in table.items():
            assert re.fullmatch(r"[ -~]+", english), english
            assert vietnamese.strip() == vietnamese or english.endswith(" ")
    assert words["labels"]["Show password"] == "Hiện mật khẩu"
    assert words["texts"]["Skip to main content"] == "Chuyển đến nội dung chính"


def test_the_open_at_top_script_only_scrolls_and_cannot_be_broken_out_of():
    """The fourth script (presentation mode on a phone): it scrolls the page's boxes to their top
    when the place drawn changes — no request, no cookie, no reload; a place holding
    ``</script>`` or a quote stays text (JSON, ``<`` escaped)."""
    import json

    import appkit.text

    body = appkit.text.open_at_top_script('x</script><script>alert(1)</script>"').strip()
    body = body[len("<script>") : -len("</script>")]
    assert not re.search(r"<[A-Za-z/!]", body)
    assert not re.search(r"fetch|XMLHttpRequest|eval|innerHTML|src=|http|cookie|location|import\(", body)
    assert json.loads(re.search(r"const place = (.*);\n", body).group(1)) == 'x</script><script>alert(1)</script>"'
    assert "scrollTop = 0" in body and "window.scrollTo(0, 0)" in body


@pytest.mark.parametrize("path", APP, ids=[p.name for p in APP])
def test_no_page_renders_html(path):
    """No HTML reaches the browser from a page, except a ``<style>`` sheet through ``st.html``
    (presentation and print views hide chrome with CSS): a literal, or a builder of
    :data:`CSS_BUILDERS` (constants only), so no data in it — and the builders of
    :data:`DATA_HTML_BUILDERS`, which escape every text (tested above)."""
    text = path.read_text(encoding="utf-8")
    for forbidden in ("unsafe_allow_html=True", "components.html(", "components.v1"):
        assert forbidden not in text, f"{path.name}: {forbidden}"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "html":
            (arg,) = node.args
            if isinstance(arg, ast.Call):
                name = getattr(arg.func, "attr", None) or getattr(arg.func, "id", "")
                assert name in {*CSS_BUILDERS, *SCRIPT_BUILDERS, *DATA_HTML_BUILDERS}, (
                    f"{path.name}:{node.lineno}: st.html of {name}()"
                )
                continue
            assert isinstance(arg, ast.Constant), f"{path.name}:{node.lineno}: st.html of a computed text"
            sheet = arg.value.strip()
            assert re.fullmatch(r"<style>[^<]*</style>", sheet), f"{path.name}:{node.lineno}: st.html beyond CSS"


def test_one_upload_limit_streamlits_is_ours(monkeypatch):
    # Issue 16: two limits (KPI_MAX_UPLOAD_MB and Streamlit's fixed 21 MB) disagreed; Streamlit's
    # server.maxUploadSize is now the one source, wherever Streamlit reads it from.
    monkeypatch.delenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", raising=False)
    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert Settings().max_upload_bytes == settings().max_upload_bytes == config["server"]["maxUploadSize"] * 1048576
    monkeypatch.setenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "7")
    monkeypatch.setenv("KPI_MAX_UPLOAD_MB", "50")  # the old second setting no longer counts
    assert settings().max_upload_bytes == Settings().max_upload_bytes == 7 * 1048576
    assert config["client"]["disableDataExport"] is True  # Streamlit's table CSV keeps formulas live


def _widget_calls(names: set[str]):
    for path in APP:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
                yield path.name, node.lineno, node.func.attr, {k.arg: k.value for k in node.keywords}


def test_no_widget_falls_back_to_an_english_placeholder():
    # Streamlit's defaults are English ("Choose an option") and tables show a missing value as a
    # grey "None": every choice and every table of a page says it in Vietnamese, or shows nothing.
    calls = list(_widget_calls({"selectbox", "multiselect", "dataframe", "data_editor"}))
    assert len(calls) > 30
    for where, line, name, keywords in calls:
        placeholder = keywords.get("placeholder")
        assert isinstance(placeholder, ast.Constant), f"{where}:{line} {name} has no placeholder"
        if name in {"selectbox", "multiselect"}:
            assert any(ord(c) > 127 for c in placeholder.value), f"{where}:{line}: not Vietnamese"
        else:
            assert placeholder.value == "", f"{where}:{line}"
