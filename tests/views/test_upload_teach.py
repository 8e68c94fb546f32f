"""«Đây là: …» boxes of the upload preview (round 7 code-blind finding 4).

After the clerk taught one unit name of a registration list, the next remaining box came pre-filled
with the choice just taught («Hội Nông dân huyện» — «Văn phòng HĐND và UBND huyện»), one click of
«Ghi nhớ» from counting a unit outside the plan as registered: the boxes were keyed by their place
in the list, which shrinks by one when a name is taught. Each box belongs to its name (and file)
and starts empty. The real page under AppTest, a registration list written here (openpyxl).
"""

from __future__ import annotations

import pytest

from tests.support.apptest import XLSX, texts, upload_page
from tests.support.sheets import xlsx

#: Three names the plan does not know, in the order the list writes them, and a few it does.
UNKNOWN = ["Phòng NN và PTNT", "VP HĐND-UBND huyện", "Hội Nông dân huyện"]


def registration_list() -> bytes:
    rows = [
        ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [],
        ["STT", "Cơ quan, đơn vị", "Ngày đăng ký", "Ghi chú"],
        [1, "Xã Dân Quyền", "05/02/2024", ""],
        [2, UNKNOWN[0], "06/02/2024", ""],
        [3, "Phòng Nội vụ", "07/02/2024", ""],
        [4, UNKNOWN[1], "08/02/2024", ""],
        [5, UNKNOWN[2], "09/02/2024", ""],
    ]
    return xlsx(rows, sheet="Dang ky")


def _boxes(at) -> dict[str, object]:
    """The «Đây là: …» boxes on screen by the name they ask about."""
    return {
        next(n for n in UNKNOWN if f"«{n}»" in box.label): box
        for box in at.selectbox
        if box.key and box.key.startswith("up_alias_")
    }


@pytest.mark.usefixtures("app_env", "server_machine")
def test_after_teaching_a_name_the_next_box_is_empty_and_its_own(con):
    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("dang-ky.xlsx", registration_list(), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    boxes = _boxes(at)
    assert list(boxes) == UNKNOWN and all(b.value is None for b in boxes.values()), texts(at)
    # the clerk chooses for the second name and teaches it
    boxes[UNKNOWN[1]].set_value("Văn phòng HĐND và UBND huyện").run()
    box = _boxes(at)[UNKNOWN[1]]
    save = next(b for b in at.button if b.key == box.key.replace("up_alias_", "up_alias_save_", 1))
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    left = _boxes(at)
    assert list(left) == [UNKNOWN[0], UNKNOWN[2]], texts(at)
    # neither remaining box holds the name just taught: each starts empty, «Ghi nhớ» not clickable
    assert all(b.value is None for b in left.values()), {n: b.value for n, b in left.items()}
    for b in left.values():
        (button,) = [x for x in at.button if x.key == b.key.replace("up_alias_", "up_alias_save_", 1)]
        assert button.disabled
    # a choice made in one box stays with its name when another name is taught
    left[UNKNOWN[2]].set_value("Phòng Tư pháp").run()
    left = _boxes(at)
    left[UNKNOWN[0]].set_value("Phòng Nông nghiệp và Phát triển nông thôn").run()
    box = _boxes(at)[UNKNOWN[0]]
    next(b for b in at.button if b.key == box.key.replace("up_alias_", "up_alias_save_", 1)).click().run()
    (last,) = _boxes(at).values()
    assert f"«{UNKNOWN[2]}»" in last.label and last.value == "Phòng Tư pháp"
