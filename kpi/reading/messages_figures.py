"""The readers' words about figures — read together (:mod:`kpi.reading.report_sheets`) and each
against its indicator (:mod:`kpi.reading.checks`, :mod:`kpi.reading.ratios`): a part of the one
catalogue, :data:`kpi.reading.messages.MESSAGES`, which holds them all (see that module for how
templates are written); kept apart only for the catalogue's size."""

from __future__ import annotations

__all__ = ["FIGURE_MESSAGES", "FIGURE_PHRASES"]

#: A file whose own ratios disagree with its figures is held (kpi.reading.ratios): what to do.
_HELD = (
    "Tệp chưa được lưu: hãy kiểm tra lại tệp (sửa rồi tải lên lại), hoặc nếu số liệu đúng như tệp ghi "
    "(chỉ cột tỷ lệ tính sai), chọn «Số liệu đúng như tệp ghi» (dòng lệnh: --ratios as-written)."
)
#: … and stored as written after the clerk said so.
_KEPT = "Số liệu được lưu đúng như tệp ghi theo lựa chọn khi tải lên; cột tỷ lệ của tệp không được dùng."

FIGURE_MESSAGES: dict[str, str] = {
    # -- figures read together (report_sheets) ---------------------------------------------------
    "unit_sum_differs": "«{name}» ({kind}, quý {quarter}): số toàn huyện {written} {unit} (ô {cell}) khác "
    "tổng của {parts} đơn vị trong tệp ({total} {unit}). Số toàn huyện được dùng; hãy kiểm tra.",
    "mixed_percent_scale": "Cột «{column}» trộn hai cách ghi tỷ lệ: ô {cells} ghi như phân số (ví dụ 0,941) "
    "còn các ô khác ghi theo phần trăm (ví dụ 94,1). Hãy ghi mọi tỷ lệ theo phần trăm hoặc định dạng ô là %.",
    "level_columns_differ": "«{name}» là chỉ tiêu thời điểm nhưng cột quý ({quarter_value}, ô {quarter_cell}) "
    "khác cột lũy kế ({ytd_value}, ô {ytd_cell}); dùng số lũy kế.",
    # -- a per-commune table's columns not read (unit_columns) ------------------------------------
    "column_not_read.place": "Cột {letter} «{header}»: «{place}» không có trong danh sách đơn vị của kế hoạch "
    "năm {plan_year}, nên số liệu của cột này không được lưu (không đoán là đơn vị nào). Nếu đó là một xã, thị "
    "trấn của kế hoạch, hãy sửa tên ở đầu cột cho đúng rồi tải tệp lên lại.",
    "column_not_read.partial_total": "Cột {letter} «{header}» là tổng của {count} đơn vị có trong bảng, không phải "
    "toàn huyện (kế hoạch có {owed} xã, thị trấn), nên không được lưu làm số của huyện; số của từng đơn vị vẫn "
    "được lưu. Nếu cột này đúng là số toàn huyện, hãy ghi đầu cột «Toàn huyện» rồi tải tệp lên lại.",
    "column_not_read.unknown": "Cột {letter} «{header}» có số liệu nhưng không được đọc: đầu cột không phải tên "
    "một đơn vị của kế hoạch, không phải cột tổng («Cộng», «Tổng cộng», «Toàn huyện») và không ghi kỳ số liệu. "
    "Nếu cần số của cột này, hãy sửa đầu cột rồi tải tệp lên lại.",
    # -- each figure against its indicator (checks) ----------------------------------------------
    "too_large": "«{name}» có số quá lớn ({written} {unit}), vượt mọi giá trị có thể có của chỉ tiêu (từ "
    "{largest} trở lên). Có thể ô bị dán nhầm một dãy số hoặc mã; hãy sửa lại số liệu.",
    "plan_differs": "Kế hoạch của «{name}» trong tệp là {value} {unit}, khác kế hoạch đã duyệt {approved} "
    "{unit}. Số liệu vẫn được đánh giá theo kế hoạch đã duyệt; nếu kế hoạch đã điều chỉnh, hãy báo quản "
    "trị viên.",
    "negative": "«{name}» có số âm ({value}): chỉ tiêu này không thể âm. Hãy sửa lại số liệu.",
    "share_over_100": "«{name}» là tỷ lệ nhưng có giá trị {value} % (trên 100 %). Hãy kiểm tra lại (có thể "
    "nhập nhầm số tuyệt đối).",
    "not_whole": "«{name}» đếm bằng {unit} nên phải là số nguyên, nhưng tệp ghi {value}. Hãy sửa lại.",
    "scale": "«{name}»: {value} {unit} lệch khoảng {times} lần so với kế hoạch {reference} {unit}. Có thể "
    "nhầm đơn vị (triệu/tỷ đồng) hoặc tỷ lệ ghi dạng phân số mà thiếu định dạng %. Số liệu được lưu đúng "
    "như tệp ghi; hãy kiểm tra.",
    "scale_unclear": "«{name}»: {value} {unit} lệch khoảng {times} lần so với kế hoạch {reference} {unit}. Có "
    "thể nhầm đơn vị (triệu/tỷ đồng, nghìn/triệu). Tệp chưa được lưu: hãy sửa tệp, hoặc nếu số đúng như tệp "
    "ghi, chọn «Số đúng như tệp ghi» (dòng lệnh: --scale as-written).",
    "scale_unclear.share": "«{name}»: {value} {unit} lệch khoảng {times} lần so với kế hoạch {reference} {unit}: "
    "có thể tỷ lệ được ghi dạng phân số (0,95 nghĩa là 95 %) mà ô thiếu định dạng %. Tệp chưa được lưu: hãy "
    "chọn «Tỷ lệ ghi dạng phân số: nhân 100» (như ô định dạng %) hoặc «Số đúng như tệp ghi» (dòng lệnh: "
    "--scale fraction hoặc --scale as-written), hoặc sửa tệp.",
    "scale_unclear.thousand": "«{name}»: {value} {unit} lệch khoảng {times} lần so với kế hoạch {reference} "
    "{unit}: có thể tệp ghi theo đơn vị nhỏ hơn 1000 lần (triệu đồng thay cho tỷ đồng). Tệp chưa được lưu: hãy "
    "chọn «Tệp ghi theo đơn vị nhỏ hơn 1000 lần: chia 1000» hoặc «Số đúng như tệp ghi» (dòng lệnh: "
    "--scale divide-1000 hoặc --scale as-written), hoặc sửa tệp.",
    "note_thousand_chosen": "tệp ghi theo đơn vị nhỏ hơn 1000 lần, đã chia 1000 theo lựa chọn khi tải lên",
    "note_fraction_chosen": "tỷ lệ ghi dạng phân số, đã nhân 100 theo lựa chọn khi tải lên",
    # -- the file's own ratio columns against its figures (ratios) -------------------------------
    "ratio_mismatch": "Dòng {row} «{label}»: cột «{column}» ghi {ratio} (ô {cell}), nhưng theo số của chính "
    "tệp thì «{actual_column}» {actual} (ô {actual_cell}) so với {base} là {computed} %. Hai số không khớp: "
    "có thể số liệu bị ghi lệch cột. " + _HELD,
    "ratio_mismatch.kept": "Dòng {row} «{label}»: cột «{column}» ghi {ratio} (ô {cell}), nhưng theo số của "
    "chính tệp thì «{actual_column}» {actual} (ô {actual_cell}) so với {base} là {computed} %. " + _KEPT,
    "ratio_mismatch.shifted": "Mọi số ở cột {actual_letter} «{actual_column}» ({count} dòng: {rows}) đều bằng "
    "đúng kế hoạch ({values}), trong khi cột {letter} «{column}» của tệp ghi {ratios} chứ không phải 100 %: có thể số "
    "liệu bị ghi lệch cột (cột thực hiện chứa số kế hoạch, cột tỷ lệ chứa số thực hiện). " + _HELD,
    # -- two columns of one meaning (same_meaning) ----------------------------------------------
    "same_meaning_differ": "Các cột {columns} cùng là {meaning} nhưng ghi số khác nhau: {rows}. Chương "
    "trình không tự chọn cột nào. Tệp chưa được lưu: hãy chọn cột được tính (cột {letters}; dòng lệnh: "
    "--use-column {letters}), các cột kia không được lưu; hoặc sửa tệp cho còn một cột rồi tải lên lại.",
    "same_meaning_chosen": "Các cột {columns} cùng là {meaning} nhưng ghi số khác nhau: dùng cột {chosen} theo "
    "lựa chọn khi tải lên; số của các cột kia không được lưu.",
    "ratio_mismatch.shifted_kept": "Mọi số ở cột {actual_letter} «{actual_column}» ({count} dòng: {rows}) đều "
    "bằng đúng kế hoạch ({values}), trong khi cột {letter} «{column}» của tệp ghi {ratios} chứ không phải 100 %. "
    + _KEPT,
}

#: The pieces of those messages (merged into :data:`kpi.reading.messages.PHRASES`).
FIGURE_PHRASES: dict[str, str] = {
    "same_meaning_row": "dòng {row} «{label}»: {figures}",
    "same_meaning_figure": "cột {letter} ghi {value}",
    "same_meaning_more": " và {count} dòng khác",
    "same_meaning_or": " hoặc ",
    "ratio_base.plan": "kế hoạch trong tệp {value} (ô {cell})",
    "ratio_base.target": "kế hoạch đã duyệt {value}",
    "ratio_base.last_year": "số cùng kỳ {value} (ô {cell})",
}
