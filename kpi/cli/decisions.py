"""The choices ``python -m kpi ingest`` takes for a file held for a decision
(:data:`kpi.reading.checks.DECISIONS`) or whose facts the clerk settles: the command line's side of
the upload page's boxes, each an option of :class:`kpi.reading.options.ImportOptions`."""

from __future__ import annotations

import argparse

__all__ = ["add_decisions"]


def add_decisions(sp: argparse.ArgumentParser) -> None:
    """Add ``--document-date``, ``--kind``, ``--year``, ``--accept-unmatched``, ``--register-as``,
    ``--correction``, ``--scale``, ``--replaced``, ``--reinstate``, ``--ratios``, ``--actual`` and ``--use-column``
    to the ``ingest`` parser ``sp``."""
    sp.add_argument(
        "--document-date",
        metavar="NĂM-THÁNG-NGÀY|none",
        help="ngày văn bản đúng khi ngày ghi trong tệp không thể đúng (ví dụ 2024-04-05), "
        "hoặc none để lưu không có ngày",
    )
    sp.add_argument(
        "--kind",
        choices=["report", "awards", "registrations"],
        help="loại tệp khi dấu hiệu chưa đủ chắc: report (báo cáo), awards (khen thưởng), "
        "registrations (đăng ký thi đua)",
    )
    sp.add_argument("--year", type=int, help="năm của tệp: năm thành tích của danh sách khen thưởng không ghi năm")
    sp.add_argument(
        "--accept-unmatched",
        action="store_true",
        help="vẫn lưu tệp có các dòng không tính vào chỉ tiêu nào (các dòng này không tính)",
    )
    sp.add_argument(
        "--register-as",
        choices=["replace", "supplement"],
        help="danh sách (khen thưởng, đăng ký) mà tiêu đề không nói là bản sửa hay bổ sung: replace (thay "
        "danh sách đang dùng) hoặc supplement (thêm làm danh sách bổ sung, tính cùng danh sách đang dùng)",
    )
    sp.add_argument(
        "--correction",
        choices=["partial", "whole"],
        help="báo cáo điều chỉnh thiếu một số số liệu của bản đang dùng: partial (chỉ điều chỉnh các số có "
        "trong tệp, các số khác vẫn lấy từ bản đang dùng) hoặc whole (thay cả bản đang dùng; số thiếu "
        "không còn được dùng, vẫn giữ trong lịch sử)",
    )
    sp.add_argument(
        "--scale",
        choices=["as-written", "fraction", "divide-1000", "fraction+divide-1000"],
        help="số lệch khoảng 100 hoặc 1000 lần so với kế hoạch: as-written (lưu đúng như tệp ghi), "
        "fraction (tỷ lệ ghi dạng phân số, như 0,95 nghĩa là 95 %%: nhân 100) hoặc divide-1000 (tệp ghi theo "
        "đơn vị nhỏ hơn 1000 lần, như triệu đồng thay cho tỷ đồng: chia 1000), hoặc cả hai "
        "(fraction+divide-1000: mỗi cách cho các số nó áp dụng)",
    )
    sp.add_argument(
        "--replaced",
        choices=["unlinked"],
        help="báo cáo ghi là thay thế một báo cáo đã lưu của đơn vị hoặc kỳ khác: unlinked (vẫn lưu, không coi "
        "là bản thay thế báo cáo đó)",
    )
    sp.add_argument(
        "--reinstate",
        action="store_true",
        help="bản gốc gửi lại sau khi đã có bản sửa ghi là thay thế nó: dùng lại bản gốc thay cho bản sửa "
        "(không có lựa chọn này, bản gốc chỉ được giữ trong lịch sử)",
    )
    sp.add_argument(
        "--ratios",
        choices=["as-written"],
        help="cột tỷ lệ của tệp («%% so KH», «So sánh (%%)») không khớp với số liệu của chính tệp (có thể số liệu "
        "bị ghi lệch cột): as-written (số liệu đúng như tệp ghi, chỉ cột tỷ lệ tính sai: lưu)",
    )
    sp.add_argument(
        "--actual",
        choices=["quarter", "ytd"],
        help="cột số liệu không ghi kỳ («Thực hiện») mà kỳ báo cáo ghi cả quý lẫn số tháng («quý III và 9 "
        "tháng»): quarter (số của riêng quý) hoặc ytd (lũy kế từ đầu năm)",
    )
    sp.add_argument(
        "--use-column",
        action="append",
        metavar="CỘT",
        help="tệp có hai cột cùng nghĩa (ví dụ hai cột lũy kế 6 tháng) ghi số khác nhau: chữ cái của cột được "
        "tính (ví dụ F); các cột kia không được lưu. Lặp lại cho mỗi nhóm cột",
    )
