"""The "Kế hoạch & chỉ tiêu" page under AppTest: only admins use it; a plan read from its text and
confirmed through the page is stored with its history; a new year from the previous one."""

from __future__ import annotations

import re

import pytest

from kpi.access.auth import add_user
from kpi.plans.source import plan_documents, plan_meta, plan_rows, target_history
from kpi.storage.catalogue import plan_years_in_db
from tests.support.apptest import run, texts
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR

#: Each test's app on its own database (conftest).
pytestmark = pytest.mark.usefixtures("app_env")

SEED = PROJECT / "data" / "plans" / "2024" / "ke-hoach.md"
SECOND = PROJECT / "tests" / "data" / "ke-hoach-thanh-van-2025.md"


@pytest.fixture
def users(con):
    add_user(con, ACTOR, "quantri", "admin", "mat-khau-quan-tri")
    add_user(con, ACTOR, "bientap", "editor", "mat-khau-bien-tap")
    return con


@pytest.mark.parametrize("user", ["bientap", None])
def test_an_editor_or_a_visitor_cannot_use_the_page(users, user):
    at = run("views/plan.py", **({"kpi_user": user} if user else {}))
    assert not at.exception
    assert "Chỉ quản trị viên mới xem và sửa được trang này" in texts(at).replace("**", "")
    assert not at.tabs and not at.button and not at.text_area


def test_an_admin_reads_the_plan_and_confirms_it_with_history(users):
    at = run("views/plan.py", kpi_user="quantri")
    assert [t.label for t in at.tabs] == ["Chỉ tiêu 2024", "Đọc văn bản", "Năm mới", "Lịch sử"]
    # a tab's content is drawn once it is chosen (issue 17): the reading tab's box is not there yet
    assert not [t for t in at.text_area if t.key == "plan_rd_text"]
    at.session_state["plan_tab"] = "Đọc văn bản"
    at.run()
    at.text_area(key="plan_rd_text").set_value(SEED.read_text(encoding="utf-8")).run()
    at.button(key="plan_rd_go").click().run()
    assert not at.exception
    shown = texts(at)
    assert "23 chỉ tiêu, đọc từ: Mục tiêu cụ thể" in shown
    assert "Năm 2024 đã có kế hoạch: xác nhận sẽ thay kế hoạch đó bằng bảng này." in shown.replace("**", "")
    assert "Đến hết năm 2024" in shown  # what it did not understand is shown
    assert "Văn bản ghi năm" not in shown and "có vẻ là của" not in shown  # its own district
    assert list(plan_documents(users, 2024)["version"]) == [1]  # nothing stored yet
    number = next(t for t in at.text_input if t.key.endswith("_number") and t.key.startswith("plan_rd_"))
    number.set_value("25/KH-UBND").run()
    assert "số văn bản: (trống) → 25/KH-UBND" in texts(at)  # the difference, before confirming
    at.button(key="plan_rd_confirm").click().run()
    assert not at.exception
    assert "Đã thay kế hoạch năm 2024: 23 chỉ tiêu, 1 thay đổi (ghi vào lịch sử)." in texts(at)
    history = target_history(users, 2024)
    assert list(zip(history["actor"], history["field"], history["new_value"], strict=True)) == [
        ("quantri", "doc_number", "25/KH-UBND")
    ]
    assert list(plan_documents(users, 2024)["version"]) == [2, 1]
    assert plan_meta(users, 2024)["doc_number"] == "25/KH-UBND"
    assert plan_rows(users, 2024)[1]["source_text"] == "Tổng thu ngân sách nhà nước: 805 tỷ đồng"
    log = users.execute("SELECT action, actor FROM import_log").fetchall()
    assert log == [("plan", "quantri")]
    # The history tab tells who changed what, when and why.
    assert "nạp từ «văn bản dán vào»" in texts(run("views/plan.py", kpi_user="quantri", plan_tab="Lịch sử"))


def test_a_second_districts_plan_uploaded_for_a_new_year(users):
    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.number_input(key="plan_rd_year").set_value(2025).run()
    at.file_uploader(key="plan_rd_file").set_value([(SECOND.name, SECOND.read_bytes(), "text/markdown")]).run()
    at.button(key="plan_rd_go").click().run()
    shown = texts(at)
    assert "27 chỉ tiêu" in shown and "Năm này chưa có kế hoạch: sẽ tạo mới với 27 chỉ tiêu." in shown
    assert "Văn bản ghi năm" not in shown
    # another district's text than the stored plan's: said so, and the admin may still go on
    assert "Văn bản này có vẻ là của «huyện Thanh Vân», còn các kế hoạch đã lưu là của «huyện Tam Nông»." in shown
    at.button(key="plan_rd_confirm").click().run()
    assert not at.exception
    assert plan_years_in_db(users) == [2024, 2025]
    assert at.session_state["kpi_year"] == 2025
    assert plan_meta(users, 2025)["authority"] == "UBND huyện Thanh Vân"
    assert len(plan_rows(users, 2025)) == 27


def test_a_document_of_another_year_is_pointed_out(users):
    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.file_uploader(key="plan_rd_file").set_value([(SECOND.name, SECOND.read_bytes(), "text/markdown")]).run()
    at.button(key="plan_rd_go").click().run()
    assert "Văn bản ghi năm 2025 nhưng đang chọn năm 2024" in texts(at)
    assert plan_years_in_db(users) == [2024]


def test_a_new_year_from_the_previous_one(users):
    at = run("views/plan.py", kpi_user="quantri", plan_tab="Năm mới")
    at.button(key="plan_new_go").click().run()
    assert not at.exception
    assert plan_years_in_db(users) == [2024, 2025]
    assert "Đã lưu kế hoạch năm 2025: 23 chỉ tiêu. Hãy sửa các chỉ tiêu của năm mới." in texts(at)
    at = run("app.py", kpi_user="quantri", kpi_year=2025)
    assert not at.exception
    assert at.selectbox(key="kpi_year").options == ["2024", "2025"]


def _edit(at, edits: dict) -> None:
    """Seed the targets editor's cell edits (AppTest applies them on the next run)."""
    (editor,) = [e for e in at.data_editor if e.key and e.key.startswith("plan_editor_")]
    at.session_state[editor.key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}


def test_a_negative_target_is_refused_on_the_page_and_nothing_is_saved(users):
    at = run("views/plan.py", kpi_user="quantri")
    _edit(at, {1: {"target": "-5"}})  # CT02, the row the tester changed
    at.text_input(key="plan_ed_reason").set_value("Nghị quyết HĐND điều chỉnh").run()
    assert not at.exception
    shown = texts(at)
    assert "(CT02) «Tổng thu ngân sách nhà nước»: kế hoạch -5 là số âm" in shown
    assert "hãy nhập số từ 0 trở lên" in shown
    assert not [b for b in at.button if b.key == "plan_ed_save"]  # nothing to press
    assert plan_rows(users, 2024)[1]["target"] == "805" and target_history(users, 2024).empty
    # Corrected in the same table, it is saved with its reason.
    _edit(at, {1: {"target": "850"}})
    at.run()
    assert "CT02 kế hoạch: 805 → 850" in texts(at)
    at.button(key="plan_ed_save").click().run()
    assert not at.exception
    assert plan_rows(users, 2024)[1]["target"] == "850"
    assert list(target_history(users, 2024)["reason"]) == ["Nghị quyết HĐND điều chỉnh"]


def test_a_change_is_kept_when_other_columns_are_chosen(users):
    """The grid shows a choice of its columns at a time (issue 14: no sideways scroll at 1366 px):
    a target changed under «Chỉ tiêu» is still changed, and saved, once «Khen thưởng» is chosen."""
    at = run("views/plan.py", kpi_user="quantri")
    assert at.session_state["plan_cols"] == "Chỉ tiêu"
    _edit(at, {1: {"target": "850"}})  # CT02
    at.run()
    assert "CT02 kế hoạch: 805 → 850" in texts(at)
    at.session_state["plan_cols"] = "Khen thưởng"
    at.text_input(key="plan_ed_reason").set_value("Nghị quyết HĐND điều chỉnh").run()
    assert not at.exception
    assert "CT02 kế hoạch: 805 → 850" in texts(at)
    at.button(key="plan_ed_save").click().run()
    assert plan_rows(users, 2024)[1]["target"] == "850"


def test_a_target_of_no_group_is_asked_on_the_page(users):
    """A plan without group headings whose target names say no group: the page asks, in words,
    and saving is refused until a group is chosen (issue 13, section 5)."""
    excerpt = PROJECT / "tests" / "data" / "plans" / "10-phu-ninh-khong-nhom.md"
    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.number_input(key="plan_rd_year").set_value(2025).run()
    at.text_area(key="plan_rd_text").set_value(excerpt.read_text(encoding="utf-8")).run()
    at.button(key="plan_rd_go").click().run()
    assert not at.exception
    shown = texts(at).replace("**", "")
    assert (
        "2 chỉ tiêu chưa rõ thuộc nhóm nào (không ở dưới đề mục nhóm nào, tên chỉ tiêu không nói lên nhóm): "
        "hãy chọn ở cột «Nhóm» trước khi xác nhận — Số điểm truy cập Internet công cộng; Tỷ lệ hồ sơ giải quyết "
        "đúng hạn"
    ) in shown
    # The table's check says which rows need a group; no "Xác nhận và lưu" until they have one.
    assert "hàng 2 của bảng «Số điểm truy cập Internet công cộng»: chưa rõ thuộc nhóm nào — hãy chọn nhóm" in shown
    assert "plan_rd_confirm" not in [b.key for b in at.button]
    assert 2025 not in plan_years_in_db(users)


def test_a_change_of_how_a_target_adds_up_is_said_in_words_in_the_change_and_the_history(users):
    """Black-box (December 2026): the history tab wrote stored codes («sum → none», «>=»)."""
    at = run("views/plan.py", kpi_user="quantri")
    _edit(at, {0: {"across_units": "none", "direction": "<="}})  # CT01
    at.text_input(key="plan_ed_reason").set_value("Thử sửa").run()
    shown = texts(at)
    assert "CT01 cộng giữa các đơn vị: cộng các đơn vị → không cộng (tỷ lệ, bình quân)" in shown
    assert "CT01 chiều đánh giá: tối thiểu (≥) → tối đa (≤)" in shown
    at.button(key="plan_ed_save").click().run()
    assert not at.exception
    page = run("views/plan.py", kpi_user="quantri", plan_tab="Lịch sử")
    [history] = [d.value for d in page.dataframe if "Trước" in d.value.columns]
    said = set(zip(history["Nội dung"], history["Trước"], history["Sau"], strict=True))
    assert said == {
        ("cộng giữa các đơn vị", "cộng các đơn vị", "không cộng (tỷ lệ, bình quân)"),
        ("chiều đánh giá", "tối thiểu (≥)", "tối đa (≤)"),
    }


REWORDED_2025 = """KẾ HOẠCH thi đua năm 2025

II. CHỈ TIÊU THI ĐUA

- Đề nghị Thủ tướng Chính phủ tặng Bằng khen cho 01 - 02 tập thể, cá nhân;
- 05 tập thể, cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen;
- Tỷ lệ lao động được đào tạo nghề: 60%.
"""


def test_a_suggested_key_is_accepted_in_one_click_and_stored(users):
    """«có thể là TD06 hoặc TD07 năm 2024»: the clerk clicks TD07 under the grid (never types it),
    the difference and what is stored say TD07; the other suggestion left alone stays new."""
    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.number_input(key="plan_rd_year").set_value(2025).run()
    at.text_area(key="plan_rd_text").set_value(REWORDED_2025).run()
    at.button(key="plan_rd_go").click().run()
    assert not at.exception
    picks = [b for b in at.button_group if b.key and b.key.startswith("plan_rd_pick_")]
    assert [(p.label, list(p.options)) for p in picks] == [
        ("Dòng 6 của văn bản: Số tập thể, cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen", ["TD06", "TD07"]),
        ("Dòng 7 của văn bản: Tỷ lệ lao động được đào tạo nghề", ["CT05a"]),
    ]
    assert "Năm này chưa có kế hoạch: sẽ tạo mới với 3 chỉ tiêu." in texts(at)
    picks[0].set_value("TD07").run()
    assert not at.exception
    at.button(key="plan_rd_confirm").click().run()
    assert not at.exception
    stored = {r["name"]: r["key"] for r in plan_rows(users, 2025)}
    assert stored["Số tập thể, cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen"] == "TD07"
    assert stored["Số tập thể, cá nhân được Thủ tướng Chính phủ tặng Bằng khen"] == "TD03"
    assert stored["Tỷ lệ lao động được đào tạo nghề"] not in ("CT05a", "")  # not chosen: a new key


def test_a_line_of_the_text_and_a_row_of_the_grid_are_named_apart(users):
    """Black-box round 7: one screen said «Dòng 16: Giá trị sản phẩm…» (a line of the pasted text)
    and «dòng 16 «Hoàn thành chỉ tiêu giao quân»» (a row of the grid). Here the text's line 6 is
    the award target whose key is asked, and its line 7 the target of no group — the grid's rows
    2 and 3: the text's lines read «Dòng … của văn bản», the grid's rows «hàng … của bảng»."""
    text = REWORDED_2025.replace(
        "- Tỷ lệ lao động được đào tạo nghề: 60%.", "- Tỷ lệ hồ sơ giải quyết đúng hạn trên 98%;"
    ).replace("II. CHỈ TIÊU THI ĐUA", "II. CHỈ TIÊU")
    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.number_input(key="plan_rd_year").set_value(2025).run()
    at.text_area(key="plan_rd_text").set_value(text).run()
    at.button(key="plan_rd_go").click().run()
    assert not at.exception
    picks = [b.label for b in at.button_group if b.key and b.key.startswith("plan_rd_pick_")]
    assert "Dòng 6 của văn bản: Số tập thể, cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen" in picks
    shown = texts(at).replace("**", "")
    assert "hàng 3 của bảng «Tỷ lệ hồ sơ giải quyết đúng hạn»: chưa rõ thuộc nhóm nào" in shown
    assert not re.search(r"\bdòng \d+ «", shown)  # no row of the grid called «dòng N «…»»


def test_the_hint_under_the_proposal_says_what_each_match_word_means(users):
    """Every «Khớp mã» word a clerk may not guess — «tên gọi khác đã biết», «theo danh hiệu», «gần
    giống» — is explained under the grid in a sentence of its own (words of kpi.words)."""
    from kpi.words import PLAN_MATCH_HINTS

    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.text_area(key="plan_rd_text").set_value(SEED.read_text(encoding="utf-8")).run()
    at.button(key="plan_rd_go").click().run()
    hint = next(c.value for c in at.caption if c.value.startswith("«Khớp mã»"))
    for word, sentence in (
        ("Tên gọi khác đã biết", PLAN_MATCH_HINTS["alias"]),
        ("Theo danh hiệu", PLAN_MATCH_HINTS["award"]),
        ("Gần giống", PLAN_MATCH_HINTS["similar"]),
    ):
        assert f"«{word}»: {sentence}" in hint


def test_a_target_under_an_unnumbered_heading_of_no_group_is_asked_and_tasks_are_not_proposed(users):
    """Under «a) Về xã hội», «Quốc phòng, an ninh» alone on its line opens a subsection: its target
    is asked its group (the page says it is under no group heading), and the lines under «Nhiệm vụ
    trọng tâm» are not proposed (helper s12-b)."""
    from tests.plans.test_parse_headings_by_form import P4_SUBSECTION

    at = run("views/plan.py", kpi_user="quantri", plan_tab="Đọc văn bản")
    at.number_input(key="plan_rd_year").set_value(2025).run()
    at.text_area(key="plan_rd_text").set_value(P4_SUBSECTION).run()
    at.button(key="plan_rd_go").click().run()
    assert not at.exception
    shown = texts(at).replace("**", "")
    assert (
        "2 chỉ tiêu chưa rõ thuộc nhóm nào (không ở dưới đề mục nhóm nào, tên chỉ tiêu không nói lên nhóm): "
        "hãy chọn ở cột «Nhóm» trước khi xác nhận — Tỷ lệ xã đạt vững mạnh về quốc phòng; Giao quân"
    ) in shown
    assert "3 chỉ tiêu, đọc từ: Chỉ tiêu cụ thể." in shown


def test_the_plans_name_is_a_box_that_shows_it_whole_and_keeps_it_one_line(users):
    """«Tên kế hoạch» is a text area as tall as the name (a one-line input cut it on a phone:
    «…thi đua yêu nước năm 202»); a line break typed in it is saved as a space (the plan keeps one line)."""
    at = run("views/plan.py", kpi_user="quantri")
    [name] = [t for t in at.text_area if t.key.startswith("plan_ed_") and t.key.endswith("_title")]
    assert name.label == "Tên kế hoạch" and name.value == plan_meta(users, 2024)["title"]
    name.set_value("Kế hoạch phát động phong trào\nthi đua yêu nước năm 2024 (sửa)").run()
    at.text_input(key="plan_ed_reason").set_value("Sửa tên kế hoạch").run()
    at.button(key="plan_ed_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert plan_meta(users, 2024)["title"] == "Kế hoạch phát động phong trào thi đua yêu nước năm 2024 (sửa)"
