"""Makes tests/data/schema-v1.duckdb.gz: a database as the app wrote it at schema version 1 (before
a report's replaced documents were stored; run once by hand at commit 9498c45, the output is
committed): the plans seeded on first start, then two reports of the district's first quarter
from the Phòng Tài chính - Kế hoạch — the original «Số: 45/BC-TCKH», dated 08/04/2024, and its
correction «Số: 52/BC-TCKH», dated 22/04/2024, whose line «(Thay thế Báo cáo số 45/BC-TCKH ngày
08/4/2024 …)» that version showed but did not keep. tests/storage/test_schema_upgrade.py opens it
with today's code.

    PYTHONPATH=. python tests/data/make_schema_v1_database.py
"""

import gzip
import pathlib
import shutil
import tempfile

import openpyxl

from kpi.access.auth import operator
from kpi.bootstrap import open_database
from kpi.config import settings
from kpi.ingest import ingest

OUT = pathlib.Path(__file__).with_name("schema-v1.duckdb.gz")
TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI QUÝ I NĂM 2024"
HEADER = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện quý I/2024", "Ghi chú"]


def report(number: str, day: int, ct01: float, extra: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bieu"
    top = {
        "A1": "UBND HUYỆN TAM NÔNG",
        "A2": "PHÒNG TÀI CHÍNH - KẾ HOẠCH",
        "A3": f"Số: {number}",
        "D3": f"Tam Nông, ngày {day:02d} tháng 4 năm 2024",
        "A5": TITLE,
    }
    if extra:
        top["A6"] = extra
    for ref, value in top.items():
        ws[ref] = value
    rows = [HEADER, [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, ct01, None]]
    rows.append([2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2, None])
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(8 + i, 1 + j, value)
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "r.xlsx"
        wb.save(path)
        return path.read_bytes()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cfg = settings(db_path=pathlib.Path(folder) / "kpi.duckdb")
        con = open_database(cfg)
        actor = operator("test")
        ingest(con, report("45/BC-TCKH", 8, 520.4), "bao-cao-quy-1-goc.xlsx", actor, cfg=cfg)
        replaces = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024 của Phòng Tài chính - Kế hoạch)"
        ingest(con, report("52/BC-TCKH", 22, 530.1, replaces), "bao-cao-quy-1-sua.xlsx", actor, cfg=cfg)
        con.execute("CHECKPOINT")
        con.close()
        with open(cfg.db_path, "rb") as src, gzip.open(OUT, "wb", compresslevel=9) as dst:
            shutil.copyfileobj(src, dst)
    print(OUT, OUT.stat().st_size)


if __name__ == "__main__":
    main()
