"""The readers' message catalogue (kpi/reading/messages.py, issue 15 item 4): every call of
``issue``, ``message``, ``phrase`` and ``unreadable`` in ``kpi/reading`` names an id the catalogue
holds and gives exactly the fields its template names, read off the source — so a typo in an id or
a field is found here, not as a KeyError in front of a clerk."""

from __future__ import annotations

import ast
import datetime as dt
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


def test_every_entry_is_used_and_speaks_vietnamese():
    used = {call[2] for call in _calls()}
    unused = sorted(set(MESSAGES) - used) + sorted(set(PHRASES) - used)
    assert not unused, f"catalogue entries no reader uses: {unused}"
    for message_id, template in MESSAGES.items():
        # a Vietnamese letter with its diacritics ("trùng", "một" as much as "đơn vị")
        assert any(ch in "đĐ" or len(unicodedata.normalize("NFD", ch)) > 1 for ch in template), message_id
        fields_of(template)  # parses


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
