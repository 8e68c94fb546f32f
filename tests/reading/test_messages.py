"""The readers' message catalogue (kpi/reading/messages.py, issue 15 item 4): every call of
``issue``, ``message``, ``phrase`` and ``unreadable`` in ``kpi/reading`` names an id the catalogue
holds and gives exactly the fields its template names, read off the source — so a typo in an id or
a field is found here, not as a KeyError in front of a clerk."""

from __future__ import annotations

import ast
import datetime as dt
import re
import unicodedata

import pytest

from kpi.reading import messages
from kpi.reading.messages import ERROR, MESSAGES, PHRASES, fields_of, issue, message, phrase
from tests.support.paths import PROJECT

READING = PROJECT / "kpi" / "reading"
#: Function → (table, index of the id argument, keywords that are not template fields).
CALLS = {
    "issue": (MESSAGES, 1, {"sheet", "cell", "key"}),
    "message": (MESSAGES, 0, set()),
    "unreadable": (MESSAGES, 0, set()),
    "phrase": (PHRASES, 0, set()),
}


def _ids(node: ast.AST) -> list:
    """The ids an argument can be: a string, or either string of ``"a" if … else "b"``."""
    if isinstance(node, ast.IfExp):
        return _ids(node.body) + _ids(node.orelse)
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else [None]


def _calls():
    """(place, function, id, given fields, given place fields) of every catalogue call; given
    fields are None when ``**`` passes more than the call shows."""
    found = []
    for path in sorted(READING.glob("*.py")):
        if path.name == "messages.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or node.func.id not in CALLS:
                continue
            _table, at, place_fields = CALLS[node.func.id]
            place = f"{path.name}:{node.lineno}"
            keywords = {k.arg for k in node.keywords}
            given = None if None in keywords else keywords - place_fields
            for message_id in _ids(node.args[at]) if len(node.args) > at else [None]:
                assert message_id is not None, f"{place}: the id must be written out as a string"
                found.append((place, node.func.id, message_id, given, keywords & place_fields))
    return found


def test_the_readers_use_the_catalogue():
    used = {call[2] for call in _calls()}
    assert len(used) >= 60, sorted(used)


@pytest.mark.parametrize("call", _calls(), ids=lambda c: c[0] if isinstance(c, tuple) else str(c))
def test_each_call_names_a_known_id_and_exactly_its_fields(call):
    place, function, message_id, given, placed = call
    table = CALLS[function][0]
    assert message_id in table, f"{place}: {function}({message_id!r}) is not in the catalogue"
    wanted = fields_of(table[message_id])
    if given is not None:
        # an issue's sheet, cell and key place it and may be fields of its template too
        assert given <= wanted, f"{place}: {message_id!r} does not use {sorted(given - wanted)}"
        missing = wanted - given - placed
        assert not missing, f"{place}: {message_id!r} needs {sorted(missing)} too"


#: The folded forms of a note (:func:`kpi.reading.messages.folded`): no reader calls them by name.
FOLDED = {"repeated_note", "repeated_warning", "repeated_error", "repeated_note.example"}


def _folded_forms(used: set[str]) -> set[str]:
    """The «code.many» and «code.example» entries of the codes readers use."""
    codes = {u.partition(".")[0] for u in used}
    return {i for i in [*MESSAGES, *PHRASES] if i.endswith((".many", ".example")) and i.partition(".")[0] in codes}


def test_every_entry_is_used_and_speaks_vietnamese():
    used = {call[2] for call in _calls()}
    used |= FOLDED | _folded_forms(used)
    unused = sorted(set(MESSAGES) - used) + sorted(set(PHRASES) - used)
    assert not unused, f"catalogue entries no reader uses: {unused}"
    for message_id, template in MESSAGES.items():
        # a Vietnamese letter with its diacritics ("trùng", "một" as much as "đơn vị")
        assert any(ch in "đĐ" or len(unicodedata.normalize("NFD", ch)) > 1 for ch in template), message_id
        fields_of(template)  # parses


def test_each_folded_form_names_its_line_and_the_notes_own_fields():
    """A «code.many» names exactly what :func:`kpi.reading.messages.folded` gives it; its
    «code.example» only fields the code's own message is filled with (and ``cell``)."""
    forms = _folded_forms({call[2] for call in _calls()}) | FOLDED
    assert {"ambiguous_date.many", "ambiguous_date.example"} <= forms
    for form in forms:
        code = form.partition(".")[0]
        if form.endswith(".example"):
            own = fields_of(MESSAGES[code]) | {"cell", "message", "sheet", "key"}
            assert {f.partition(".")[0] for f in fields_of(PHRASES[form])} <= own, form
            assert form.replace(".example", ".many") in MESSAGES or form == "repeated_note.example", form
        else:
            assert fields_of(MESSAGES[form]) == {"count", "column", "cells", "examples"}, form


def test_an_issue_takes_its_code_before_the_dot_and_fills_the_template():
    found = issue(ERROR, "not_a_number.bool", sheet="Biểu 01", cell="E12", value=True, label="Tổng vốn")
    assert (found.severity, found.code, found.sheet, found.cell) == (ERROR, "not_a_number", "Biểu 01", "E12")
    assert found.message == "Ô chứa giá trị đúng/sai (True) thay vì số ở dòng «Tổng vốn». Hãy nhập số."
    assert found.text().startswith("[trang «Biểu 01», ô E12] Ô chứa")


def test_u_writes_a_phrase_that_opens_a_sentence_capitalised_and_dates_take_their_format():
    where = phrase("title", title="Báo cáo quý V")
    text = message("impossible_period.chosen", where=where, what="quý V")
    assert text == "Tiêu đề «Báo cáo quý V» ghi «quý V», kỳ không có thật; đã dùng kỳ được chọn."
    text = message("two_dates", date=dt.date(2024, 4, 5), signed=dt.date(2024, 4, 6))
    assert text == "Ngày văn bản 05/04/2024 khác ngày ký 06/04/2024; dùng ngày văn bản."


def test_a_missing_field_is_a_key_error_not_a_half_message():
    with pytest.raises(KeyError):
        message("unit_mismatch", written="Triệu đồng", label="Tổng vốn")
    assert messages.unreadable("corrupt.xml", error="ParseError").cause == "corrupt"


def test_a_quoted_title_is_cut_between_words():
    """Black-box finding: the preview quoted «… KINH TẾ - XÃ HỘI QUÝ I N» (ô A4) and «… CỦA »."""
    from kpi.reading.messages import excerpt

    title = "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI QUÝ I NĂM 2024"
    assert excerpt(title, 80) == "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI QUÝ I…"
    assert excerpt("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024 CỦA UBND XÃ X", 60) == (
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024 CỦA…"
    )
    assert excerpt("Ngắn", 60) == "Ngắn" and len(excerpt("x" * 100, 50)) == 50  # one long word: cut in it


class _Field:
    """Any field of a template, written «X» whatever its format (a date's ``%d/%m/%Y`` too)."""

    def __format__(self, spec: str) -> str:
        return "X"

    def __str__(self) -> str:
        return "X"


#: What a command line's hint writes: the program («python -m kpi template») or a flag («--period»).
COMMAND_WORDS = re.compile(r"python -m|(?:^|[\s(])--\w|dòng lệnh:")
#: The modules whose messages never reach a page: the command line's own words, and the way back
#: from a damaged database file (``kpi.errors``, ``kpi.rebuild``), which only the operator on the
#: server can take with the app stopped (no page restores the file).
NOT_ON_A_PAGE = ("kpi/cli/", "kpi/errors.py", "kpi/rebuild.py")


def _written(node: ast.AST) -> str | None:
    """A string expression as it reads, every field written «X»: a literal, an f-string, or a
    ``+`` of them (``None`` for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _written(node.left), _written(node.right)
        return None if left is None and right is None else (left or "X") + (right or "X")
    return None


def _messages_elsewhere() -> list[tuple[str, str]]:
    """(place, text) of every string expression of ``kpi/`` outside the catalogue, its docstrings
    and :data:`NOT_ON_A_PAGE`, that names the command line (the ingest steps' refusals, held
    decisions …): the longest expression of each place."""
    found = {}
    for path in sorted((PROJECT / "kpi").rglob("*.py")):
        rel = path.relative_to(PROJECT).as_posix()
        if rel == "kpi/reading/messages.py" or rel.startswith(NOT_ON_A_PAGE):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            text = None if id(node) in docstrings else _written(node)
            if text and COMMAND_WORDS.search(text):
                place = f"{rel}:{node.lineno}"
                found[place] = max(found.get(place, ""), text, key=len)
    return sorted(found.items())


def _on_the_page(text: str) -> str:
    return messages.Issue(ERROR, "x", text, "Biểu 01", "E12").screen_text()


def _left_behind(text: str) -> set[str]:
    """What a hint taken out left behind on the page and the whole text did not have: empty or
    half parentheses, doubled spaces, a stray space before punctuation."""
    whole = messages.Issue(ERROR, "x", text, "Biểu 01", "E12").text()
    marks = ("()", "( ", " )", "  ", " .", " ,", " ;", ";)", ",)", "..")
    return {mark for mark in marks if mark in _on_the_page(text) and mark not in whole}


def _fill_any(template: str) -> str:
    return messages._fill(template, {name: _Field() for name in fields_of(template)})


@pytest.mark.parametrize(
    ("table", "entry"),
    [("MESSAGES", k) for k in MESSAGES] + [("PHRASES", k) for k in PHRASES],
    ids=lambda v: v if v in ("MESSAGES", "PHRASES") else v.replace(".", "-"),
)
def test_no_catalogue_message_shows_the_command_line_on_the_page(table, entry):
    """Black-box: refusals on the upload page ended «… dòng lệnh: python -m kpi template» (a hint in
    parentheses after other words, which the page did not take out). Every template, its fields
    filled: the page's words (:meth:`Issue.screen_text`) name no program and no flag, and read
    whole where a hint was taken out."""
    text = _fill_any((MESSAGES if table == "MESSAGES" else PHRASES)[entry])
    assert not COMMAND_WORDS.search(_on_the_page(text)), _on_the_page(text)
    assert not _left_behind(text), _on_the_page(text)


def test_the_command_line_keeps_its_hints():
    text = message("no_period")
    assert "(dòng lệnh: --period 2024-Q1)" in text  # the command line's user is told the flag
    assert _on_the_page(text).endswith("khi xem trước hoặc ghi «Kỳ báo cáo: Quý I/2024» phía trên bảng.")


def test_every_other_message_naming_the_command_line_leaves_it_off_the_page():
    """The ingest steps' own messages (a report with no indicator, a correction's scope, a
    register's scope …): the same rule, wherever a message is written."""
    found = _messages_elsewhere()
    assert len(found) >= 4, found  # ingest_sheets (2), ingest_history, ingest_registers
    for place, text in found:
        assert not COMMAND_WORDS.search(_on_the_page(text)), (place, _on_the_page(text))
        assert not _left_behind(text), (place, _on_the_page(text))


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            "Hãy dùng mẫu (nút «Tải mẫu» trên trang đó; dòng lệnh: python -m kpi template).",
            "Hãy dùng mẫu (nút «Tải mẫu» trên trang đó).",
        ),
        ("Hãy chọn kỳ (dòng lệnh: --period 2024-Q1 (quý I)) hoặc sửa tiêu đề.", "Hãy chọn kỳ hoặc sửa tiêu đề."),
        ("Hãy chọn kỳ ở ô «Kỳ» (dòng lệnh: --period 2024-Q1).", "Hãy chọn kỳ ở ô «Kỳ»."),
        ("Hãy chọn kỳ; dòng lệnh: --period 2024-Q1. Rồi lưu.", "Hãy chọn kỳ. Rồi lưu."),
        ("Tên «a (b» (dòng lệnh: --unit) rồi lưu.", "Tên «a (b» rồi lưu."),
    ],
    ids=["after-words", "parentheses-inside", "own-parentheses", "no-parentheses", "a-file-s-parenthesis"],
)
def test_a_hint_is_taken_out_however_it_is_written(written, shown):
    """In its own parentheses, after other words in parentheses, with parentheses inside, or not
    in parentheses at all (to the end of its sentence); a file's words before it untouched."""
    assert messages.Issue(ERROR, "x", written).screen_text() == shown
