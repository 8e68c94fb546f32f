"""A piece of a plan the reader did not understand, and why, in the clerk's words
(:class:`Unparsed`): listed beside the proposal (:mod:`kpi.plans.parse`), never dropped."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHANGES", "Unparsed"]

#: The whys of a change from last year's figure that no target direction holds (the figure is
#: there, what it is a change of is asked): a row of a table with one is not «without a figure».
CHANGES = ("relative_cut", "unclear_cut", "absolute_cut", "rise_of_rate", "unclear_rise")


@dataclass(frozen=True)
class Unparsed:
    """A piece of a target section that gave no target, or a piece holding a figure outside the
    target part: shown to the admin, never dropped.

    :ivar why: ``no_figure`` (words without a figure), ``intro`` (words before a colon that
        introduce targets), ``no_name`` (a figure without words naming it), ``table`` (a table
        without a name and a target column), ``row`` (a table row without a figure),
        ``relative_cut`` ("Số vụ … giảm 5%", "Giảm 30% lượng rác thải nhựa": a relative cut of an
        amount or a count, which no direction holds), ``unclear_cut`` ("Hộ nghèo giảm 1,5%": a
        percentage cut of what is named neither a rate nor an amount), ``absolute_cut`` ("Số vụ tai
        nạn giảm 50 vụ": 50 fewer than last year's), ``rise_of_rate`` ("Tỷ lệ … tăng 2%": points over
        last year's), ``unclear_rise`` ("Khách du lịch tăng 10%") — :data:`CHANGES`, no direction
        holds them — ,
        ``outside`` (a figure outside the target part: "hướng dẫn 24 xã …", or a whole section
        whose heading's words did not mark it as targets).
    """

    number: int
    text: str
    why: str

    WHY_WORDS = {
        "no_figure": "không có số liệu — không phải chỉ tiêu?",
        "intro": "lời dẫn trước dấu «:» (không quyết định chiều của chỉ tiêu)",
        "no_name": "có số nhưng chưa hiểu là chỉ tiêu gì (hãy thêm vào bảng nếu là chỉ tiêu)",
        "table": "bảng không có cột «Chỉ tiêu» và cột «Kế hoạch»",
        "row": "dòng bảng không có số kế hoạch",
        "outside": "có số liệu nhưng nằm ngoài phần chỉ tiêu — nếu là chỉ tiêu, hãy thêm vào bảng",
        "relative_cut": (
            "giảm tương đối: ít hơn số năm trước chừng ấy phần trăm, không phải điểm phần trăm; chưa biết số năm "
            "trước nên chưa tính được mức tối đa — hãy tìm số năm trước rồi thêm chỉ tiêu vào bảng (chiều «tối đa»)"
        ),
        "rise_of_rate": (
            "tăng điểm % của một tỷ lệ so với năm trước: chưa biết số năm trước nên chưa tính được mức tối thiểu — "
            "hãy tìm số năm trước rồi thêm chỉ tiêu vào bảng (chiều «tối thiểu»)"
        ),
        "unclear_rise": (
            "tăng một số phần trăm của một điều không ghi là tỷ lệ hay số lượng: chưa rõ là tăng điểm % hay tốc độ "
            "tăng so với năm trước — nếu là chỉ tiêu, hãy thêm vào bảng với tên và chiều đúng"
        ),
        "absolute_cut": (
            "giảm một số lượng so với năm trước (ít hơn số năm trước chừng ấy), không phải mức tối thiểu: chưa biết "
            "số năm trước nên chưa tính được mức tối đa — hãy tìm số năm trước rồi thêm chỉ tiêu vào bảng (chiều «tối đa»)"
        ),
        "unclear_cut": (
            "giảm một số phần trăm của một điều không ghi là tỷ lệ: chưa rõ là giảm điểm % của một tỷ lệ hay ít "
            "hơn số năm trước chừng ấy phần trăm — nếu là chỉ tiêu, hãy thêm vào bảng với tên và chiều đúng"
        ),
    }

    @property
    def why_text(self) -> str:
        return self.WHY_WORDS.get(self.why, self.why)
