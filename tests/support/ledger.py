"""Reports and expected values shared by the ledger's tests: a Q1 sample rewritten as another version,
the samples' figures of ../shared/samples/README.md, report builders, the stored figure of a key."""

from __future__ import annotations

import io

import openpyxl

from kpi.storage.figures import current_figures
from tests.support.paths import TESTS
from tests.support.samples import sample_bytes
from tests.support.sheets import report_rows, xlsx


def q1_version(ct01_quarter: float, ct01_ytd: float, reference: str | None) -> bytes:
    """The Q1 sample with CT01 changed and its "(Kèm theo …)" line rewritten (or removed)."""
    wb = openpyxl.load_workbook(io.BytesIO(sample_bytes("q1")))
    ws = wb.active
    ws["E11"] = ct01_quarter
    ws["F11"] = ct01_ytd
    ws["A5"] = reference
    for cell in ("F28",):  # the signature date would otherwise date an undated version
        ws[cell] = None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


REF = "(Kèm theo Báo cáo số {n}/BC-TCKH ngày {d} của Phòng Tài chính - Kế hoạch)"


# The README's second table: after all five files, as of the latest period (Q3).
AFTER_ALL = {
    "CT01": (2438.3, "actual", "2024-Q3", 73.87, "behind"),
    "CT02": (566.5, "actual", "2024-Q3", 70.37, "behind"),
    "CT03": (125.0, "estimate", "2024-Q2", 98.58, "behind"),
    "CT04": (33.8, "estimate", "2024-Q2", 97.63, "behind"),
    "CT05a": (72.5, "estimate", "2024-Q2", 99.46, "behind"),
    "CT05b": (28.3, "estimate", "2024-Q2", 98.88, "behind"),
    "CT06a": (0.18, "estimate", "2024-Q2", 94.44, "behind"),
    "CT06b": (0.23, "estimate", "2024-Q2", 95.65, "behind"),
    "CT07a": (10.4, "actual", "2024-Q3", 100.00, "on_track"),
    "CT07b": (53.4, "actual", "2024-Q3", 100.00, "on_track"),
    "CT08": (94.1, "actual", "2024-Q3", 99.58, "behind"),
    "CT09": (18, "actual", "2024-Q3", 90.00, "behind"),
    "CT10": (87.6, "actual", "2024-Q3", 99.73, "behind"),
    "CT11": (100, "actual", "2024-Q3", 100.00, "on_track"),
    "TD01": (100, "actual", "2024-Q3", 100.00, "on_track"),
    "TD02": (1, "actual", None, 100.00, "met"),
    "TD03": (2, "actual", None, 100.00, "met"),
    "TD04": (1, "actual", None, 100.00, "met"),
    "TD05": (2, "actual", None, 100.00, "met"),
    "TD06": (6, "actual", None, 120.00, "exceeded"),
    "TD07": (14, "actual", None, 100.00, "met"),
    "TD08": (16, "actual", None, 106.67, "exceeded"),
    "TD09": (52, "actual", None, 100.00, "met"),
}


# The README's first table: after the Q1 report alone, as of Q1 (typed from the README).
AFTER_Q1 = {
    "CT01": (520.4, "actual", 15.77, "behind"),
    "CT02": (160.2, "actual", 19.90, "behind"),
    "CT03": (None, None, None, "not_due"),
    "CT04": (None, None, None, "not_due"),
    "CT05a": (None, None, None, "not_due"),
    "CT05b": (None, None, None, "not_due"),
    "CT06a": (None, None, None, "not_due"),
    "CT06b": (None, None, None, "not_due"),
    "CT07a": (10.1, "actual", 97.12, "behind"),
    "CT07b": (53.4, "actual", 100.00, "on_track"),
    "CT08": (92.8, "actual", 98.20, "behind"),
    "CT09": (17, "actual", 85.00, "behind"),
    "CT10": (86.9, "actual", 98.93, "behind"),
    "CT11": (100, "actual", 100.00, "on_track"),
    "TD01": (None, None, None, "no_data"),
    **{f"TD0{i}": (None, None, None, "not_due") for i in range(2, 10)},
}


DISTRICT = "UBND huyện Tam Nông"


def stored(con, key: str, kind: str, quarter: int = 1):
    frame = current_figures(con, 2024, subject=DISTRICT)
    rows = frame[(frame["key"] == key) & (frame["kind"] == kind) & (frame["quarter"] == quarter)]
    return None if rows.empty else float(rows["value"].iloc[0])


CT01 = "Tổng vốn đầu tư toàn xã hội"


def report_file(
    title: str, header: list[str], body: list[list], date: str, n: int = 1, sender: str = "PHÒNG TÀI CHÍNH - KẾ HOẠCH"
):
    rows = report_rows(
        title,
        header,
        body,
        admin=("UBND HUYỆN TAM NÔNG", sender),
        reference=f"(Kèm theo Báo cáo số {n}/BC ngày {date} của {sender.title()})",
    )
    return xlsx(rows)


def report(year: int, quarter_words: str, header: str, body: list[list], day: str) -> bytes:
    """A district report of ``year`` (sender: the finance office)."""
    return xlsx(
        report_rows(
            f"BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {quarter_words} NĂM {year}",
            ["STT", "Chỉ tiêu", "ĐVT", header],
            body,
            reference=f"(Kèm theo Báo cáo số 1/BC-TCKH ngày {day} của Phòng Tài chính - Kế hoạch)",
        )
    )


FOURTH = TESTS / "data" / "bao-cao-xa-hien-quan-6-thang-2024.xlsx"
