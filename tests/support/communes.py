"""Communes' own reports of the samples' year, as a commune's clerk sends them: the admin block
"ỦY BAN NHÂN DÂN / XÃ …" makes the commune the figures' subject (per-unit figures, ranked)."""

from __future__ import annotations

from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

#: The report's title words of each quarter's year to date.
SPANS = {1: "QUÝ I", 2: "6 THÁNG", 3: "9 THÁNG", 4: "NĂM 2024"}


def commune_report(commune: str, quarter: int, health_insurance: float) -> bytes:
    """A commune's report of ``quarter`` of 2024 with one row: the share of people with health
    insurance (CT08, a level in %) for the quarter and its year to date."""
    span = SPANS[quarter] if quarter == 4 else f"{SPANS[quarter]} NĂM 2024"
    return xlsx(
        [
            ["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [commune.upper(), None, None, "Độc lập - Tự do - Hạnh phúc"],
            [],
            [f"BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {span}"],
            [],
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý", "Lũy kế"],
            [1, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", health_insurance, health_insurance],
        ]
    )


def send_commune_reports(con, cfg, *reports: tuple[str, int, float]) -> None:
    """Each ``(commune, quarter, share)`` stored as its own report (active)."""
    for n, (commune, quarter, share) in enumerate(reports):
        data = commune_report(commune, quarter, share)
        prep, committed = ingest(con, data, f"bao-cao-xa-{n}-q{quarter}.xlsx", ACTOR, ImportOptions(), cfg)
        assert not prep.refused and committed.status == "active", [i.text() for i in prep.errors]
        assert (prep.year, prep.quarter) == (2024, quarter)
