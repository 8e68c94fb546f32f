"""``python -m kpi plan import | show`` as a user runs it: real processes, a real database file."""

from __future__ import annotations

import json

from tests.support.cli import kpi
from tests.support.paths import PROJECT

SEED = PROJECT / "data" / "plans" / "2024" / "ke-hoach.md"
SECOND = PROJECT / "tests" / "data" / "ke-hoach-thanh-van-2025.md"


def test_import_json_proposes_the_23_targets_and_stores_nothing(tmp_path):
    db = tmp_path / "plan.duckdb"
    done = kpi("plan", "import", SEED, "--year", "2024", "--format", "json", db=db)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert len(records) == 23
    first, ct06a, td09 = records[0], records[6], records[22]
    assert {k: first[k] for k in ("key", "name", "unit", "target", "direction", "group", "source_text")} == {
        "key": "CT01",
        "name": "Tổng vốn đầu tư toàn xã hội",
        "unit": "tỷ đồng",
        "target": 3300.9,
        "direction": ">=",
        "group": "economic",
        "source_text": "Tổng vốn đầu tư toàn xã hội 3.300,9 tỷ đồng",
    }
    assert (ct06a["key"], ct06a["target"], ct06a["direction"]) == ("CT06a", 0.17, "<=")
    assert (td09["key"], td09["target"], td09["direction"], td09["unit"]) == ("TD09", [45, 55], "range", "cá nhân")
    assert "Thêm --confirm" in done.stderr
    shown = kpi("plan", "show", "--year", "2024", "--format", "json", db=db, check=True)
    # the seeded plan, untouched: its sentences are its own document's, read at load
    stored = json.loads(shown.stdout)
    assert [r["source_text"] for r in stored] == [r["source_text"] for r in records]
    assert [r["target"] for r in stored] == [r["target"] for r in records]


def test_import_confirm_a_second_districts_plan_then_show_it(tmp_path):
    db = tmp_path / "plan.duckdb"
    table = kpi("plan", "import", SECOND, "--year", "2025", db=db)
    assert table.returncode == 0, table.stderr
    assert "27 chỉ tiêu đề xuất cho năm 2025" in table.stdout
    assert "Cơ quan: UBND huyện Thanh Vân, tỉnh Bình Sơn" in table.stdout
    assert "Văn bản: số 12/KH-UBND ngày 15/01/2025" in table.stdout
    assert "Chưa hiểu (dòng 43)" in table.stdout  # shown, not dropped
    done = kpi("plan", "import", SECOND, "--year", "2025", "--confirm", db=db)
    assert done.returncode == 0, done.stderr
    assert "Đã lưu kế hoạch năm 2025: 27 chỉ tiêu." in done.stdout
    shown = json.loads(kpi("plan", "show", "--year", "2025", "--format", "json", db=db, check=True).stdout)
    by_key = {r["key"]: r for r in shown}
    assert (by_key["CT02"]["target"], by_key["TD09"]["direction"], by_key["CT14"]["target"]) == (910, "<=", [35, 40])
    text = kpi("plan", "show", "--year", "2025", db=db, check=True).stdout
    assert text.splitlines()[0].endswith("UBND huyện Thanh Vân — số 12/KH-UBND ngày 15/01/2025")
    # The same document again for the same year: replaced, nothing changed.
    again = kpi("plan", "import", SECOND, "--year", "2025", "--confirm", db=db)
    assert "Đã lưu lại kế hoạch năm 2025: 27 chỉ tiêu, không có thay đổi nào." in again.stdout


def test_import_refuses_what_it_cannot_read(tmp_path):
    db = tmp_path / "plan.duckdb"
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    done = kpi("plan", "import", pdf, "--year", "2025", db=db)
    assert done.returncode == 1 and "PDF" in done.stderr
    empty = tmp_path / "trong.txt"
    empty.write_text("Kế hoạch không có chỉ tiêu nào.", encoding="utf-8")
    done = kpi("plan", "import", empty, "--year", "2025", "--confirm", db=db)
    assert done.returncode == 1 and "Không tìm thấy chỉ tiêu nào" in done.stdout
    assert kpi("plan", "show", "--year", "2025", db=db).returncode == 1


def test_the_plans_readme_section_names_every_command_and_page():
    text = (PROJECT / "docs" / "README-plans.md").read_text(encoding="utf-8")
    for needed in (
        "python -m kpi plan import FILE --year Y [--format table|json] [--confirm]",
        "python -m kpi plan show --year Y",
        "Kế hoạch & chỉ tiêu",
        "KPI_DATA_DIR",
        "plan_vocabulary.toml",
    ):
        assert needed in text, needed
    assert (PROJECT / "tests" / "data" / "district-thanh-van" / "plans").is_dir()


def test_import_points_out_a_document_of_another_year(tmp_path):
    done = kpi("plan", "import", SECOND, "--year", "2026", db=tmp_path / "plan.duckdb")
    assert done.returncode == 0 and "Chú ý: văn bản ghi năm 2025 nhưng --year là 2026." in done.stdout


def test_import_confirm_refuses_a_share_above_100_and_stores_nothing(tmp_path):
    db = tmp_path / "plan.duckdb"
    bad = tmp_path / "ke-hoach-2025.md"
    bad.write_text(
        SECOND.read_text(encoding="utf-8").replace("phấn đấu đạt trên 95%", "phấn đấu đạt trên 105%"), encoding="utf-8"
    )
    done = kpi("plan", "import", bad, "--year", "2025", "--confirm", db=db)
    assert done.returncode == 1, done.stdout
    assert "Bảng chỉ tiêu chưa lưu được" in done.stderr and "Traceback" not in done.stderr
    assert "(CT08) «Tỷ lệ dân số tham gia bảo hiểm y tế»: kế hoạch 105 % vượt quá 100 %" in done.stderr
    assert kpi("plan", "show", "--year", "2025", db=db).returncode == 1  # nothing stored


def test_show_and_import_write_each_direction_in_words(tmp_path):
    """Black-box: ``plan show`` printed «Chiều: >=, <=, range» — the program's symbols, half English.
    The command line names a direction as the plan page does (kpi.plans.source.DIRECTION_WORDS)."""
    db = tmp_path / "plan.duckdb"
    text = kpi("plan", "show", "--year", "2024", db=db, check=True).stdout
    lines = {line.split()[0]: line for line in text.splitlines()[2:]}
    assert lines["CT01"].rstrip().endswith("tối thiểu (≥)"), lines["CT01"]
    assert lines["CT06a"].rstrip().endswith("tối đa (≤)"), lines["CT06a"]
    assert lines["TD09"].rstrip().endswith("trong khoảng"), lines["TD09"]
    assert not any(f" {symbol}" in text for symbol in (">=", "<=", "range", "decrease_by"))
    proposed = kpi("plan", "import", SECOND, "--year", "2025", db=db, check=True).stdout
    assert "trong khoảng" in proposed and " range" not in proposed and " >=" not in proposed
