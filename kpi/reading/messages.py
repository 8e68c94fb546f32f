"""The readers' words: every Vietnamese message and phrase of ``kpi.reading`` in one catalogue.

A reader says *what* is wrong and where — a code, a severity, the sheet and cell, the facts as
named fields — and this module says *how* it reads (issue 15, item 4)::

    issue(ERROR, "unit_mismatch", sheet="Biểu 01", cell="C12", key="CT01",
          written="Triệu đồng", label="Tổng vốn đầu tư", plan_unit="Tỷ đồng")
    → Issue("error", "unit_mismatch", "Đơn vị «Triệu đồng» của «Tổng vốn đầu tư» không đổi …", …)

Two tables:

* :data:`MESSAGES` — one whole message per id. The id is the issue's stable code
  (``unit_mismatch``), or ``code.variant`` when one code is said more than one way
  (``not_a_number.bool``, ``not_a_number.date``): the part before the dot is the code.
  Messages say what is wrong, where, and what to do (the developers' guide).
* :data:`PHRASES` — the pieces readers put into messages and into the preview's "how it was
  found" column: where a fact was read ("dòng «…» (ô B4)"), the preview's labels, a cell's note;
  and :data:`COLUMN_MEANINGS`, what a column of a report means in words.

Templates are :meth:`str.format` strings over named fields (format specs allowed:
``{date:%d/%m/%Y}``) with one conversion of our own: ``{where!u}`` writes the field with its
first letter in upper case, for a phrase that opens a sentence. Figures are passed already
written (:func:`kpi.vn.format_number`, :func:`kpi.vn.short_number`): the one formatter stays in
``kpi.vn``. ``tests/reading/test_messages.py`` reads every call in ``kpi/reading`` and fails on
an unknown id or a field a template does not name (or names and is not given), so a wrong field
is found by the tests, never by a clerk.

Why a Python module rather than a data file: the templates are the code's contract with its
tests (which assert the real messages) and change with the readers that fill them, in the same
review; a module is checked at import and by the test above, and the readers need no file I/O.

Adding a reader's messages: add its ids here, call :func:`issue`,
:func:`message` or :func:`phrase`, and the test checks the calls.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from kpi.errors import UnreadableFile
from kpi.reading.command_hints import without_command_hints
from kpi.reading.messages_figures import FIGURE_MESSAGES, FIGURE_PHRASES
from kpi.vn import format_number
from kpi.words import excerpt

__all__ = [
    "ERROR",
    "excerpt",
    "WARNING",
    "INFO",
    "Issue",
    "MESSAGES",
    "PHRASES",
    "COLUMN_MEANINGS",
    "issue",
    "message",
    "phrase",
    "unreadable",
    "fields_of",
    "folded",
    "without_command_hints",
]

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Issue:
    """One problem of a file.

    :ivar severity: ``error`` (the file is refused), ``warning`` (stored and shown) or ``info``.
    :ivar code: a stable machine code (``not_a_number``, ``share_over_100``, ``plan_differs``…).
    :ivar message: Vietnamese: what is wrong and what to do.
    """

    severity: str
    code: str
    message: str
    sheet: str = ""
    cell: str = ""
    key: str = ""
    #: The named fields :func:`issue` filled the message with (``(name, value)`` pairs), so that
    #: notes of one kind can be said again as one line (:func:`folded`); not compared.
    facts: tuple = field(default=(), compare=False, repr=False)
    #: The message id after its dot (``scale_unclear.share``: ``share``): another reason, never folded.
    variant: str = field(default="", compare=False, repr=False)

    def where(self) -> str:
        """ "trang «Bieu 01», ô E12" — the place in words, or ""."""
        parts = []
        if self.sheet:
            parts.append(f"trang «{self.sheet}»")
        if self.cell:
            parts.append(f"ô {self.cell}")
        return ", ".join(parts)

    def text(self) -> str:
        """The whole message with its place: "[trang «Bieu 01», ô E12] …"."""
        where = self.where()
        return f"[{where}] {self.message}" if where else self.message

    def screen_text(self) -> str:
        """:meth:`text` for the upload page: without its hints for the command line
        (:func:`without_command_hints`), which name a program and its flags a clerk on the page
        has no use for (black-box: «--» / «accept-unmatched» broken over two lines at 1920 px,
        «… dòng lệnh: python -m kpi template» ending a refusal); the page offers the same choices
        as its own controls."""
        return without_command_hints(self.text())


#: What a clerk is told to do when the period must be chosen (several messages end with it).
_CHOOSE_PERIOD = "chọn kỳ báo cáo ở ô «Kỳ báo cáo» khi xem trước"
_CHOOSE_SUBJECT = "chọn đúng đối tượng ở ô «Số liệu của (đối tượng)» khi xem trước (dòng lệnh: --unit)"

#: The two halves of ``units_missing``: units a registration list does not name, and units named
#: only in its hidden rows.
_UNITS_ABSENT = (
    "{absent} đơn vị phải đăng ký thi đua nhưng không có trong danh sách — coi là chưa đăng ký: {absent_listed}. "
    "Nếu đơn vị có trong danh sách dưới tên khác, hãy chọn «Đây là: …» cho tên đó (dòng lệnh: "
    'python -m kpi alias add --kind unit "TÊN TRONG TỆP" "TÊN ĐƠN VỊ"); nếu đơn vị đã đăng ký, hãy thêm dòng '
    "của đơn vị rồi tải lên lại."
)
_UNITS_HIDDEN = (
    "{hidden} đơn vị phải đăng ký thi đua chỉ có ở dòng đang ẩn — coi là chưa đăng ký: {hidden_listed}. "
    "Nếu cần tính, hãy hiện dòng rồi tải lên lại."
)

MESSAGES: dict[str, str] = {
    # -- the period, the year and the document date (report_period) ------------------------------
    "period_conflict": "Không xác định được kỳ báo cáo: {signals}. Hãy "
    + _CHOOSE_PERIOD
    + " (dòng lệnh: --period 2024-Q2) hoặc sửa tiêu đề.",
    "period_contradiction": "Kỳ báo cáo mâu thuẫn: {source} ghi quý {quarter} nhưng {other} ghi quý {other_quarter}. "
    "Tệp chưa được lưu: hãy sửa tệp cho thống nhất, hoặc chọn đúng kỳ ở ô «Kỳ báo cáo» khi xem trước "
    "(dòng lệnh: --period NĂM-Q{other_quarter} hoặc NĂM-Q{quarter}).",
    "period_disagrees": "{other!u} ghi quý {other_quarter}, khác kỳ báo cáo của tệp (quý {quarter}, theo "
    "{source}): số của cột này được lưu là số quý {other_quarter}; kỳ báo cáo của tệp vẫn là quý {quarter}.",
    "period_overridden": "Kỳ báo cáo được chọn (quý {quarter}) khác kỳ ghi trong tệp (quý {found}, theo {source}).",
    "no_period": "Không tìm thấy kỳ báo cáo trong tệp (tiêu đề, dòng «Kỳ báo cáo» hay tiêu đề cột). Hãy "
    + _CHOOSE_PERIOD
    + " (dòng lệnh: --period 2024-Q1) hoặc ghi «Kỳ báo cáo: Quý I/2024» phía trên bảng.",
    "no_year": "Không xác định được năm của báo cáo. Hãy ghi năm trong tiêu đề hoặc "
    + _CHOOSE_PERIOD
    + " (dòng lệnh: --period 2024-Q1).",
    "no_plan_year": "Báo cáo là của năm {year} nhưng chưa có kế hoạch năm {year} (đang có kế hoạch năm "
    "{plan_year}). Hãy nạp kế hoạch năm {year} trước, hoặc chọn đúng năm.",
    "impossible_period": "{where!u} ghi «{what}» — không có kỳ báo cáo như vậy (quý I–IV, tháng 1–12, năm gần "
    "năm kế hoạch). Tệp chưa được lưu: hãy sửa tệp, hoặc chọn đúng kỳ ở ô «Kỳ báo cáo» khi xem trước "
    "(dòng lệnh: --period {plan_year}-Q1 … {plan_year}-Q4).",
    "period_not_quarter": "{where!u} ghi «{what}» — không phải một quý (số liệu theo quý: quý I–IV, lũy kế 3, "
    "6, 9 tháng hoặc cả năm), nên chương trình không biết ghép số vào kỳ nào (không đoán: số tháng 10 hay 6 "
    "tháng cuối năm mà coi là cả năm sẽ sai). Tệp chưa được lưu: nếu số trong tệp đúng là số của một quý, "
    "hãy chọn kỳ ở ô «Kỳ báo cáo» khi xem trước (dòng lệnh: --period 2024-Q3); nếu không, hãy gửi báo cáo "
    "quý, 6 tháng, 9 tháng hoặc cả năm.",
    "actual_unclear": "Cột {columns} không ghi kỳ, mà kỳ báo cáo ghi cả quý {quarter} lẫn số tháng từ đầu năm: "
    "không rõ cột là số của riêng quý {quarter} hay lũy kế từ đầu năm (không đoán: với chỉ tiêu cộng dồn, "
    "lũy kế mà coi là số của quý sẽ bị cộng thêm lần nữa). Tệp chưa được lưu: hãy chọn ở ô «Cột không ghi kỳ "
    "là» khi xem trước (dòng lệnh: --actual quarter hoặc --actual ytd), hoặc ghi rõ tiêu đề cột trong tệp "
    "(«Thực hiện quý {quarter}» hay «Lũy kế từ đầu năm»).",
    "period_not_quarter.chosen": "{where!u} ghi «{what}», không phải một quý; đã dùng kỳ được chọn.",
    "impossible_period.chosen": "{where!u} ghi «{what}», kỳ không có thật; đã dùng kỳ được chọn.",
    "doc_date_future": "{what} {date:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y}). Ngày văn bản quyết "
    "định bản nào được dùng: nếu lưu, bản này sẽ che mọi bản điều chỉnh sau. {decide}",
    "doc_date_before_year": "{what} {date:%d/%m/%Y} trước năm của báo cáo ({year}): báo cáo số liệu năm {year} "
    "không thể ban hành trước ngày 01/01/{year}. {decide}",
    "doc_date_undated": "Lưu không có ngày văn bản (chọn khi tải lên): bản này xếp sau mọi bản có ngày của cùng kỳ.",
    "no_doc_date": "Báo cáo không ghi ngày văn bản (dòng «Kèm theo Báo cáo số … ngày …» hoặc ngày ký). "
    "Nếu có nhiều bản của cùng kỳ, bản có ghi ngày được ưu tiên.",
    "two_dates": "Ngày văn bản {date:%d/%m/%Y} khác ngày ký {signed:%d/%m/%Y}; dùng ngày văn bản.",
    # -- who sent the report and whose figures it holds (report_subject) -------------------------
    "subject_conflict": "Không rõ số liệu của ai: {conflict}. Hãy sửa dòng «Số liệu của» cho đúng (báo cáo "
    "của xã thì ghi tên xã), hoặc " + _CHOOSE_SUBJECT + ".",
    "unknown_subject": "Tệp ghi số liệu của «{name}» nhưng danh sách đơn vị của kế hoạch năm {plan_year} không "
    "có đơn vị nào tên như vậy{closest}. Nếu đọc như báo cáo của toàn huyện, số liệu của một đơn vị sẽ "
    "thay số của huyện. Hãy sửa tên trong tệp, hoặc chọn đúng đơn vị ở ô «Số liệu của (đối tượng)» khi "
    "xem trước (dòng lệnh: --unit).",
    "other_place": "Tệp ghi «{line}»: {place} không phải {ours} của kế hoạch — có thể là báo cáo của nơi khác "
    "tải lên nhầm. Tệp chưa được lưu. Nếu tải nhầm, hãy bỏ tệp này. Nếu đúng là số liệu của {ours} (tệp dùng "
    "lại khung của nơi khác), hãy sửa tên trong tệp rồi tải lên lại, hoặc " + _CHOOSE_SUBJECT + ".",
    "other_place.register": "Tệp ghi «{line}»: {place} không phải {ours} của kế hoạch — có thể là danh sách "
    "của nơi khác tải lên nhầm. Tệp chưa được lưu. Nếu tải nhầm, hãy bỏ tệp này. Nếu đúng là danh sách của "
    "{ours} (tệp dùng lại khung của nơi khác), hãy sửa tên trong tệp rồi tải lên lại, hoặc chọn «{district}» ở "
    "ô «Danh sách của» khi xem trước (dòng lệnh: --unit).",
    "no_sender": "Không xác định được cơ quan gửi báo cáo (khối tên cơ quan phía trên tiêu đề, bên trái hoặc bên "
    "phải). Điều này không ngăn việc lưu; các bản sửa sau của cùng tệp sẽ được so theo kỳ và đối tượng.",
    "district_plan_far": "Tệp không ghi cơ quan gửi hay số liệu của ai, nên được đọc là báo cáo của toàn huyện; "
    "nhưng kế hoạch của «{name}» trong tệp là {value} {unit}, chưa bằng một phần ba kế hoạch của huyện "
    "({target} {unit}) — có thể là báo cáo của một xã hoặc một cơ quan (không đoán: coi số của một đơn vị là số "
    "toàn huyện sẽ thay số của huyện). Tệp chưa được lưu: hãy chọn ở ô «Số liệu của (đối tượng)» khi xem "
    "trước (dòng lệnh: --unit), hoặc ghi tên cơ quan gửi vào tệp rồi tải lên lại.",
    "office_unknown_subject": "Không xác định được cơ quan gửi báo cáo: {doubt}. Tệp không ghi số liệu là của "
    "ai, nên không biết đây là số của toàn huyện hay số riêng của cơ quan này (không đoán: coi số riêng của "
    "một cơ quan là số toàn huyện sẽ thay số của huyện). Tệp chưa được lưu: hãy chọn ở ô «Số liệu của (đối "
    "tượng)» khi xem trước (dòng lệnh: --unit), hoặc ghi tên cơ quan đúng như danh sách đơn vị của kế hoạch "
    "rồi tải lên lại.",
    "no_sender.doubt": "Không xác định được cơ quan gửi báo cáo: {doubt}. Nếu tệp do một đơn vị của kế hoạch "
    "gửi, hãy ghi tên cơ quan đúng như danh sách đơn vị của kế hoạch rồi tải lên lại. Điều này không ngăn việc "
    "lưu; các bản sửa sau của cùng tệp sẽ được so theo kỳ và đối tượng.",
    # -- a per-commune table's columns (unit_columns) ----------------------------------------------
    # -- the rows and cells of a report (report_sheets, numbers) ---------------------------------
    "merged_figure": "Các ô {first}:{last} được gộp: số trong đó chỉ được tính cho ô {first}, các ô còn lại "
    "của vùng gộp coi như trống. Nếu số thuộc nhiều cột (ví dụ số của quý và lũy kế bằng nhau), hãy bỏ "
    "gộp ô và ghi số vào từng ô.",
    "row_without_name": "Dòng {row} có số liệu nhưng ô tên chỉ tiêu {why}: dòng này không được dùng. Nếu đó "
    "là một chỉ tiêu, hãy ghi tên chỉ tiêu bằng chữ (không dùng công thức) rồi tải lại.",
    "hidden_row": "Dòng {row} («{label}», {key}) bị ẩn nên không được dùng: dòng ẩn thường giữ số liệu cũ. "
    "Nếu đó là số liệu cần báo cáo, hãy bỏ ẩn dòng rồi tải lại.",
    "name_without_diacritics": "Tên chỉ tiêu «{label}» chỉ khớp «{name}» khi bỏ dấu; đã nhận là {key}. Hãy kiểm tra.",
    "unit_mismatch": "Đơn vị «{written}» của «{label}» không đổi được sang đơn vị của kế hoạch ({plan_unit}). "
    "Hãy ghi đúng đơn vị (ví dụ «{plan_unit}»).",
    "duplicate_row": "Chỉ tiêu {key} «{name}» xuất hiện lần nữa ở dòng {row} (đã lấy dòng {first_row}); "
    "dòng này không được dùng.",
    "percent_for_non_share": "«{label}» đo bằng {unit} nhưng trong tệp là {note}; đã lấy số như ghi.",
    "error_cell": "Ô có lỗi công thức {error} ở dòng «{label}». Hãy sửa công thức hoặc nhập số trực tiếp.",
    "error_cell.formula": "Ô có lỗi công thức {error} ở dòng «{label}». Hãy sửa công thức hoặc nhập số trực "
    "tiếp (để trống nếu chưa có số liệu).",
    "formula_no_value": "Ô là công thức «={formula}» {why} ở dòng «{label}»: coi như chưa có số. Hãy mở tệp "
    "bằng Excel, lưu lại rồi tải lên, hoặc nhập số trực tiếp.",
    "formula_evaluated": "Ô là công thức «={formula}» chưa có kết quả lưu sẵn; đã tự tính được {value}.",
    "not_a_number": "«{text}» không phải là số (dòng «{label}»). Hãy nhập số theo cách viết Việt Nam, ví dụ "
    "1.234,5 hoặc 72,89%; để trống hoặc ghi «-» nếu chưa có số liệu.",
    "not_a_number.bool": "Ô chứa giá trị đúng/sai ({value}) thay vì số ở dòng «{label}». Hãy nhập số.",
    "not_a_number.date": "Ô chứa ngày/giờ ({value}) thay vì số ở dòng «{label}». Hãy định dạng ô là số "
    "(General/Number).",
    "ambiguous_number": "«{text}» có thể hiểu hai cách; đã đọc là {value} theo cách viết Việt Nam (dấu chấm "
    "ngăn cách hàng nghìn, dấu phẩy thập phân). Hãy kiểm tra.",
    **FIGURE_MESSAGES,  # figures read together and each against its indicator (messages_figures)
    # -- files that cannot be read at all (formats) ----------------------------------------------
    "xml_bomb": "Tệp chứa khai báo DTD/thực thể XML — dấu hiệu tệp độc hại («XML bomb»). Tệp bị từ chối.",
    "corrupt.xml": "Nội dung tệp bị hỏng, không đọc được ({error}). Hãy mở tệp gốc, lưu lại rồi tải lên lại.",
    "corrupt.html": "Trang HTML bị hỏng, không đọc được bảng.",
    "not_spreadsheet.xml2003": "Tệp XML không chứa trang tính nào.",
    "not_spreadsheet.html": "Tệp là trang HTML nhưng không có bảng số liệu nào. Hãy tải lên tệp Excel của báo cáo.",
    # -- the award register and the registration list (registers, register_cells) ----------------
    "hidden_register_rows": "{count} dòng đang ẩn — không tính: {listed}{more}. Nếu cần tính, hãy hiện dòng rồi "
    "tải lên lại.",
    "no_award": "Dòng {row} («{recipient}») không ghi danh hiệu / hình thức khen thưởng; dòng này không được tính.",
    "no_recipient_kind": "Dòng {row} («{recipient}»): không rõ là tập thể hay cá nhân; hãy ghi cột «Tập thể/Cá "
    "nhân». Dòng này chưa được tính.",
    "recipient_kind_disagrees": "Dòng {row} («{recipient}»): nhận là {kind} theo {source}, nhưng {others}. Hãy "
    "kiểm tra.",
    "award_kind_disagrees": "Dòng {row} («{recipient}»): tên là của {named}, nhưng «{award}» chỉ trao cho {awarded}. "
    "Dòng này chưa được tính: hãy ghi cột «Tập thể/Cá nhân» hoặc sửa tên danh hiệu trong tệp.",
    "unit_at_end.award": "Trang «{sheet}»: {count} dòng ghi chức vụ và đơn vị trong một ô; đơn vị đọc từ cuối ô: "
    "{listed}. Nếu sai, hãy sửa cột đơn vị trong tệp rồi tải lên lại.",
    "recipients_in_one_cell": "Ô {cell} ghi nhiều người hoặc tập thể được khen ({names}). "
    "Chương trình không tự tách ô này (không đoán), nên tệp chưa được lưu: hãy ghi mỗi người hoặc tập thể "
    "một dòng riêng (cùng quyết định, ngày, danh hiệu) rồi tải tệp lên lại.",
    "other_report_sheet": "Trang «{sheet}» cũng là báo cáo — {what}, {count} dòng khớp chỉ tiêu — nhưng chưa "
    "được đọc: mỗi lần tải lên chỉ đọc một trang (trang «{used}»). Nếu cần cả số liệu của trang «{sheet}», hãy "
    "lưu trang đó thành tệp riêng (chuột phải vào tên trang › Di chuyển hoặc Sao chép › (sách mới)) rồi tải lên.",
    "recipients_lines_unclear": "Ô {cell} ghi trên nhiều dòng: {names}. Chương trình không biết đây là "
    "nhiều người hoặc tập thể được khen hay một tên viết xuống dòng (không đoán), nên tệp chưa được lưu. "
    "Nếu là một tên, hãy viết liền trên một dòng (hoặc thêm dấu phẩy cuối dòng trên); nếu là nhiều, hãy ghi "
    "mỗi người hoặc tập thể một dòng riêng (cùng quyết định, ngày, danh hiệu) rồi tải tệp lên lại.",
    "recipients_split": "{count} ô ghi nhiều người hoặc tập thể trong một ô, đã tách thành "
    "một khen thưởng cho mỗi người hoặc tập thể (cùng quyết định, danh hiệu của dòng): {listed}. Nếu tách "
    "sai, hãy ghi mỗi người hoặc tập thể một dòng rồi tải tệp lên lại.",
    "columns_not_read": "Trang «{sheet}»: các cột không dùng: {listed} (chương trình không đọc các cột này).",
    "award_elsewhere": "Dòng {row} («{recipient}», «{award}»): ô {cell} ghi «{written}» — {place} không phải "
    "{ours} của kế hoạch, nên khen thưởng này không tính vào chỉ tiêu «{target}» (vẫn giữ trong danh sách "
    "khen thưởng). Nếu đúng là khen thưởng của nơi khác, không cần làm gì. Nếu ghi nhầm, hãy sửa ô {cell} "
    "rồi tải tệp lên lại.",
    "unknown_unit.award": "Đơn vị «{written}» (dòng {row}) không có trong danh mục đơn vị; vẫn giữ trong danh "
    "sách khen thưởng.",
    "unknown_unit.registration": "«{written}» (dòng {row}) không có trong danh mục đơn vị của các khối thi đua: "
    "không được tính (không tự thêm đơn vị mới). Nếu đây là đơn vị mới, hãy nhờ quản trị viên thêm vào danh mục.",
    "bad_date.decision": "Ngày quyết định: {error}",
    "bad_date.registration": "Ngày đăng ký không đọc được: {error}",
    "ambiguous_date": "Ngày «{written}» đọc theo kiểu ngày/tháng/năm: {date:%d/%m/%Y}.",
    "ambiguous_date.many": "{count} ngày ở cột {column} ({cells}) đọc theo kiểu ngày/tháng/năm (ngày trước, "
    "tháng sau), ví dụ {examples}.",
    # the notes of one kind in one column, folded into one line where no «.many» form says it better
    "repeated_note": "{count} ô ở cột {column} ({cells}) có cùng loại ghi chú, ví dụ {examples}.",
    "repeated_warning": "{count} ô ở cột {column} ({cells}) có cùng một cảnh báo, ví dụ {examples}.",
    "repeated_error": "{count} ô ở cột {column} ({cells}) có cùng một lỗi, ví dụ {examples}.",
    "bad_year": "Năm thành tích «{written}» không hợp lệ (dòng {row}). Hãy ghi năm, ví dụ 2024.",
    "duplicate_award": "Dòng {row} trùng dòng {first_row} («{recipient}», {award}, QĐ {decision}): chỉ tính một lần.",
    "no_achievement_year": "{count} dòng không có năm thành tích (ô {cells}{more}): không có cột «Năm thành tích» "
    "và tiêu đề {title_says}. Hãy chọn năm thành tích (dòng lệnh: --year 2024), hoặc thêm cột «Năm thành tích» "
    "rồi tải lên lại.",
    "other_year": "{count} dòng có năm thành tích khác {year} ({per_year}) — được lưu trong danh sách nhưng không "
    "tính vào chỉ tiêu năm {year}.",
    # a workbook whose sheets are each a register of one kind (kpi/reading/register_merge.py)
    "registers_joined": "Các trang {sheets} đều là {kind}: đã đọc thành một danh sách ({count} dòng); mỗi dòng "
    "và mỗi ghi chú nêu trang và ô của nó.",
    "registers_disagree": "Các trang của tệp đều là danh sách cùng loại nhưng không thể là một danh sách: {what}. "
    "Tệp chưa được lưu. Hãy tách mỗi danh sách thành một tệp riêng rồi tải lên từng tệp (dòng lệnh: --sheet "
    "để đọc một trang).",
    "empty_register.awards": "Danh sách khen thưởng không có dòng nào. Hãy điền danh sách rồi tải lên.",
    "empty_register.registrations": "Danh sách đăng ký không có dòng nào.",
    "no_year.registrations": "Không xác định được năm của danh sách đăng ký; hãy ghi năm trong tiêu đề.",
    "award_from_title": "Danh sách không có cột danh hiệu: mọi dòng nhận danh hiệu «{award}» ghi ở tiêu đề (ô "
    "{cell}){decision}.",
    "award_column_missing": "Bảng có vẻ là danh sách khen thưởng (dòng tiêu đề cột {row}, cột «{header}») nhưng "
    "không có cột danh hiệu, không có dòng đề mục danh hiệu, và tiêu đề không ghi một danh hiệu của kế hoạch. "
    "Hãy thêm cột «Danh hiệu / Hình thức khen thưởng» vào dòng {row} và ghi danh hiệu của từng dòng (hoặc ghi "
    "danh hiệu trong tiêu đề, ví dụ «Danh sách … được tặng [tên hình thức khen thưởng]») rồi tải lên lại.",
    "duplicate_registration": "«{written}» đăng ký hai lần (dòng {first_row} và {row}); tính một lần.",
    "block_differs": "«{unit}» thuộc «{block}» theo danh mục, nhưng tệp ghi «{written}».",
    "not_registered": "{count} đơn vị ghi là chưa/không đăng ký — không tính: {listed}",
    "no_registration_sign": "{count} đơn vị không có ngày, số văn bản hay dấu đăng ký nào — coi là chưa đăng ký: "
    "{listed}. Nếu đơn vị đã đăng ký, hãy ghi ngày hoặc dấu «x» rồi tải lên lại.",
    "mark_without_date": "{count} đơn vị có dấu đăng ký nhưng không ghi ngày — tính từ {when}: {listed}",
    "registered_after_list": "{count} đơn vị có ngày đăng ký sau ngày của danh sách ({date:%d/%m/%Y}) — một "
    "trong hai ngày có thể ghi nhầm; đã tính theo ngày đăng ký ghi trong tệp, hãy kiểm tra: {listed}",
    "proposal_list": "Đây là danh sách ĐỀ NGHỊ khen thưởng, chưa phải danh sách đã được khen thưởng: {evidence}. "
    "Đề nghị chưa phải là khen thưởng nên không tính vào chỉ tiêu nào; tệp không được lưu. Khi có quyết định "
    "khen thưởng, hãy tải lên danh sách kèm theo quyết định (có số và ngày quyết định của từng dòng).",
    "proposed_rows": "{count} dòng mới là đề nghị, chưa có quyết định khen thưởng — không tính vào chỉ tiêu: "
    "{listed}{more}. Khi có quyết định, hãy ghi số, ngày quyết định vào các dòng này rồi tải lên lại.",
    "units_missing": _UNITS_ABSENT,
    "units_missing.hidden": _UNITS_HIDDEN,
    "units_missing.both": _UNITS_ABSENT + " " + _UNITS_HIDDEN,
    # -- what kind of file, names matched by their words, rows kept out (file_kind) ---------------
    "kind_unclear": "Chưa chắc tệp này là loại nào (có thể là: {names}). Dấu hiệu tìm thấy trong tệp: {signs}; "
    "{rule}. Hãy chọn loại tệp ở ô «Loại tệp» (dòng lệnh: --kind report|awards|registrations).",
    "matched_by_similarity": "«{written}» khớp gần đúng «{plan_name}»{key_said}{note} — kiểm tra; nếu sai, hãy "
    "chọn đúng ở «Đây là: …».",
    "abbreviation_expanded": "«{written}» hiểu là «{plan_name}» ({note}).",
    "row_estimate": "«{label}»: ô ghi chú ghi «{note}» — số của dòng này được lưu là số ước.",
    "unmatched_held": "Tệp được giữ lại chờ quyết định: {what}. Hãy chọn «Đây là: …» cho từng tên, hoặc xác nhận "
    "«lưu, các dòng này không tính» (dòng lệnh: --accept-unmatched). Các dòng: {listed}.",
    "counts_toward_nothing": "Các dòng không tính vào chỉ tiêu nào: {listed}.",
    "not_in_plan": "Các dòng không thuộc kế hoạch — không lưu (nếu dòng nào là chỉ tiêu của kế hoạch dưới tên khác, "
    "hãy chọn «Đây là: …» cho nó): {listed}.",
    "register_columns_not_found": "Tệp có vẻ là {kind} ({signs}) nhưng không tìm thấy dòng tiêu đề cột cần thiết: "
    "hãy đặt {needs} rồi tải lên lại, hoặc chọn dòng tiêu đề và các cột của danh sách ở khung «Khai báo bố cục "
    "bảng» khi xem trước trên trang «Tải lên báo cáo».",
}

PHRASES: dict[str, str] = {
    **FIGURE_PHRASES,  # the pieces of the figures' messages (messages_figures)
    # where a fact was read: the preview's "Xác định từ" column and the messages' sources
    "chosen": "chọn khi tải lên",
    "chosen_undated": "chọn khi tải lên: lưu không có ngày văn bản",
    "cell": "ô {cell}",
    "line": "dòng «{text}»",
    "line_at": "dòng «{text}» (ô {cell})",
    # a fact beside its value read in the file's own words («05/04/2024 · xác định từ dòng «… ngày
    # 05/4/2024…»» read as two ways of writing one date): the cell, then the file's text as a quotation
    "quoted_at": "ô {cell} của tệp ghi «{text}»",
    "title": "tiêu đề «{title}»",
    "title_at": "tiêu đề «{title}» (ô {cell})",
    "title_year_only": "tiêu đề «{title}» chỉ ghi năm (báo cáo năm)",
    "title_cell": "tiêu đề (ô {cell})",
    "column_header": "tiêu đề cột {letter} «{header}»",
    "value_headers": "tiêu đề các cột số liệu",
    "plan_column": "cột kế hoạch",
    "doc_date": "ngày văn bản",
    "signature_at_foot": "ngày ký cuối biểu (ô {cell})",
    "admin_block": "khối tên cơ quan (ô {cell})",
    "admin_block_commune": "khối tên cơ quan là UBND xã (ô {cell})",
    "admin_block_office": "khối tên cơ quan (ô {cell}): «{office}», cơ quan cấp trên «{superior}»",
    "office_not_in_plan": "khối tên cơ quan (ô {cell}) ghi «{office}», không khớp đơn vị nào trong danh sách "
    "đơn vị của kế hoạch",
    "offices_two_ways": "khối tên cơ quan (ô {cell}) «{line}» có thể đọc là {offices}",
    "office_under_other": "khối tên cơ quan (ô {cell}) ghi «{office}» thuộc «{superior}», không phải "
    "{district} của kế hoạch",
    "whole_district": "mặc định: báo cáo của toàn huyện",
    "subject_other_place": "chưa rõ: tệp ghi {place} (ô {cell}), không phải nơi của kế hoạch — hãy chọn",
    "subject_is_sender": "xã, thị trấn gửi báo cáo là số của chính nó: cơ quan gửi đọc từ {how}",
    "period_held": "chưa rõ: tệp ghi «{what}», không phải một quý — hãy chọn",
    "subject_held": "chưa rõ: tệp ghi một đơn vị không có trong danh sách hoặc hai đơn vị khác nhau — hãy chọn",
    # pieces of messages
    "signal": "{source} → quý {quarter}",
    "quarter_named": "quý {quarter}",
    "year_named": "năm {year}",
    "month": "tháng",
    "date_written": "Ngày văn bản",
    "date_chosen": "Ngày văn bản đã chọn",
    "decide_date": "Tệp chưa được lưu: {fix_file}ghi ngày đúng ở ô «Ngày văn bản» khi xem trước (dòng lệnh: "
    "--document-date NĂM-THÁNG-NGÀY, ví dụ --document-date 2024-04-05), hoặc chọn lưu không có ngày văn bản "
    "(dòng lệnh: --document-date none).",
    "fix_date_in_file": "hãy sửa ngày trong tệp rồi tải lên lại, hoặc ",
    "subject_lines_differ": "dòng «Số liệu của» (ô {cell}) ghi «{written}» nhưng {other_source} ghi số liệu của "
    "«{other}»",
    "did_you_mean": " (có phải {names}?)",
    "or": " hay ",
    "name_empty": "trống",
    "name_is_formula": "là công thức «={formula}» không có kết quả lưu sẵn trong tệp",
    # a figure's note (stored with it, and quoted by percent_for_non_share)
    "note_percent_format": "ô định dạng %",
    "note_percent_sign": "số ghi kèm dấu %",
    # pieces of the registers' messages (registers, register_cells, file_kind)
    "more": " …",
    "kind_by_column": "cột loại",
    "kind_by_heading": "đề mục",
    "kind_by_award": "danh hiệu",
    "kind_by_name": "tên",
    "kind_signal": "{source}: {kind}",
    "hidden_row_listed": "dòng {row} (ô {cell} «{text}»)",
    "unit_said_at": "«{unit}» (ô {cell}: «{said}»)",
    "unit_at": "«{unit}» (ô {cell})",
    "unit_on": "«{unit}» (dòng {row}: ngày {date:%d/%m/%Y})",
    "no_decision_number": "?",
    "title_spans_years": "ghi một giai đoạn nhiều năm",
    "title_without_year": "không ghi năm",
    "rows_of_year": "năm {year}: {count} dòng",
    "from_list_date": "ngày của danh sách ({date:%d/%m/%Y})",
    "from_year_start": "đầu năm (danh sách không ghi ngày)",
    "by_decision": ", theo quyết định {number}",
    "by_decision_dated": ", theo quyết định {number} ngày {date:%d/%m/%Y}",
    "proposal_title": "tiêu đề ở ô {cell} ghi «{title}»",
    "proposal_rows": "{count} dòng không có quyết định khen thưởng (ô {cells}: «{words}»)",
    "proposed_row": "ô {cell} «{said}» ({who}, {award})",
    "unit_of_block": "«{unit}» ({block})",
    "unit_of_block_hidden": "«{unit}» ({block}; dòng ẩn, ô {cell})",
    "key_said": " ({key})",
    "match_note": "; {note}",
    "rows_not_understood": "{count} dòng chưa hiểu được (quá 1/5 số dòng)",
    "rows_kind_unknown": "{count} dòng chưa hiểu được, trong đó có người/tập thể chưa rõ là tập thể hay cá nhân",
    "rows_near_plan": "{count} dòng có tên gần giống chỉ tiêu của kế hoạch mà không khớp",
    "by_document": "văn bản {doc}",
    "no_decision_written": "chưa ghi quyết định",
    "no_candidates": "không rõ",
    # the signs of each kind found in the file, out of all the signs found (file_kind.KindDecision)
    "kind_votes": "{kind}: {votes} trong {total} dấu hiệu",
    "kind_votes_example": "{kind}: {votes} trong {total} dấu hiệu ({example})",
    "no_kind_sign": "không có dấu hiệu nào",
    "sign_at_row": "dòng {row}: «{text}»",
    "sign_in_title": "tiêu đề «{text}»",
    "award_not_in_plan": "danh hiệu «{award}» không có trong kế hoạch",
    "kind_unknown_of": "không rõ «{recipient}» là tập thể hay cá nhân",
    "award_not_for_kind": "«{award}» không tính cho {kind} trong kế hoạch",
    "unit_not_in_catalogue": "đơn vị «{unit}» không có trong danh mục",
    "near_indicators": "«{label}» gần giống {near} nhưng không khớp",
    "row_named": "dòng {row}",
    "inferred_kind_signs": "Dấu hiệu loại tệp",
    "kind_chosen": "bạn đã chọn",
    # the rule, in the same count as the signs beside it: at least four fifths of them, written as a count
    "kind_rule": "cần ít nhất {needed} trong {total} dấu hiệu cùng chỉ một loại",
    "kind_settled": "đã rõ loại tệp ({rule})",
    "kind_unsure": "chưa rõ loại tệp: một loại có nhiều nhất {best} trong {total} dấu hiệu, cần ít nhất {needed}",
    "kind_unsure_none": "chưa rõ loại tệp: không tìm thấy dấu hiệu nào",
    "kind_read_otherwise": "dấu hiệu chỉ {kind} nhưng tệp đọc được là {read}",
    "needs_award_columns": "một cột tên người / tập thể («Họ và tên», «Tên tập thể / cá nhân») và một cột danh "
    "hiệu («Danh hiệu», «Hình thức khen thưởng»)",
    "needs_registration_columns": "một cột đơn vị («Cơ quan, đơn vị») và một cột ngày đăng ký, số văn bản hoặc "
    "dấu đăng ký",
    # one note of a folded line (MESSAGES «code.many»), its fields the note's own
    "ambiguous_date.example": "«{written}» là {date:ngày %d tháng %m năm %Y}",
    "repeated_note.example": "ô {cell}: {message}",
    # the preview's lines (what, value, how)
    "row_of_sheet": "{row} ({sheet})",
    "sheet_says": "trang «{sheet}» ghi {what}",
    "year_word": "năm {year}",
    "inferred_sheet": "Trang tính",
    "inferred_title": "Tiêu đề",
    "inferred_header_rows": "Hàng tiêu đề bảng",
    "header_rows": "dòng {rows}",
    "inferred_year": "Năm",
    "inferred_period": "Kỳ báo cáo",
    "inferred_sender": "Cơ quan gửi",
    "inferred_subject": "Số liệu của (đối tượng)",
    "inferred_register_owner": "Danh sách của",
    "inferred_doc_date": "Ngày văn bản",
    "inferred_doc_number": "Số văn bản",
    "inferred_cited": "Văn bản dẫn chiếu",
    "cited_not_own": "ô {cell} — văn bản khác, không phải số và ngày của tệp này",
    "inferred_unit_note": "Ghi chú đơn vị tính trên bảng",
    "inferred_hidden_columns": "Cột bị ẩn không dùng",
    "inferred_hidden_rows": "Dòng bị ẩn không dùng",
    "hidden_rows_why": "dòng ẩn thường giữ số liệu cũ",
    "none": "(không có)",
    # the registers' preview lines (awards, registrations)
    "inferred_kind": "Loại tệp",
    "kind_awards": "Danh sách khen thưởng",
    "kind_registrations": "Danh sách đăng ký thi đua",
    "found_by_column": "cột «{header}»",
    "award_in_title": "danh hiệu ở tiêu đề",
    "award_in_headings": "danh hiệu ở dòng đề mục",
    "inferred_achievement_year": "Năm thành tích",
    "year_chosen": "năm đã chọn",
    "year_column_latest": "cột «{header}» (năm gần nhất)",
    "year_from_title": "tiêu đề",
    "year_from_dates": "ngày đăng ký",
    "inferred_award_rows": "Số dòng khen thưởng",
    "award_rows_split": "{rows} dòng · {awards} lượt khen ({cells} ô ghi nhiều người/tập thể được tách)",
    "inferred_counted_in_year": "Tính vào chỉ tiêu năm {year}",
    "counted_other_year": "không tính vào năm {year} (thành tích năm {other})",
    "award_elsewhere_note": "không — khen thưởng của {place}, không phải nơi của kế hoạch",
    "award_maybe_same": (
        "{names} có thể là cùng một hình thức khen (cùng người trao, viết khác nhau) hoặc những hình"
        " thức khác nhau: chưa gộp, mỗi tên một lựa chọn ở bộ lọc của trang Thi đua. Nếu là một, sửa"
        " tệp cho cùng một cách viết rồi tải lại."
    ),
    "roll_maybe_same": "Có thể là cùng một hình thức khen, chưa gộp: {groups}. Nếu là một, sửa danh sách cho"
    " cùng một cách viết rồi tải lại.",
    "counted_once": "mỗi (quyết định, người/tập thể, đơn vị, danh hiệu) một lần",
    "inferred_registered_units": "Đơn vị đã đăng ký (trong danh mục)",
    "inferred_list_date": "Ngày văn bản của danh sách",
    "not_written": "(không ghi)",
    "unknown": "(không rõ)",
    # what a column means, as the preview shows it (kpi.reading.layout.Column.meaning)
    "meaning_to_quarter": "đến quý {quarter}",
    "meaning_estimate": "số ước",
    "meaning_preliminary": "số sơ bộ",
    "meaning_hidden": "cột bị ẩn — không dùng",
    "meaning_place": "không dùng: «{place}» không có trong danh sách đơn vị của kế hoạch",
    "meaning_partial_total": "không dùng: tổng của một số đơn vị, không phải toàn huyện",
}

#: Column meanings (role or value kind → words), as the preview shows them.
COLUMN_MEANINGS: dict[str, str] = {
    "quarter": "số thực hiện của quý",
    "ytd": "lũy kế từ đầu năm",
    "year_estimate": "ước cả năm",
    "last_year": "cùng kỳ năm trước (không tính)",
    "plan": "kế hoạch năm (đối chiếu)",
    "derived": "cột tính toán (tự tính lại, không dùng)",
    "note": "ghi chú",
    "stt": "số thứ tự",
    "key": "mã chỉ tiêu",
    "name": "tên chỉ tiêu",
    "unit": "đơn vị tính",
    "ignore": "kỳ khác (không dùng)",
    "unknown": "không rõ nghĩa (không dùng)",
}


#: ``{where!u}`` → ``{where__u}``: a template as :meth:`str.format_map` fills it (C speed: a file
#: may carry thousands of warnings), and the fields to write with a capital first letter.
_UPPER = re.compile(r"\{(\w+)!u\}")
_PREPARED: dict[str, tuple[str, tuple[str, ...]]] = {}


def _fill(template: str, fields: dict) -> str:
    prepared = _PREPARED.get(template)
    if prepared is None:
        prepared = _PREPARED[template] = (_UPPER.sub(r"{\1__u}", template), tuple(_UPPER.findall(template)))
    text, upper = prepared
    for name in upper:
        value = str(fields[name])
        fields[name + "__u"] = value[:1].upper() + value[1:]
    return text.format_map(fields)


def fields_of(template: str) -> set[str]:
    """The field names a template uses: ``"Dòng {row} («{label}»)"`` → ``{"row", "label"}``."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def message(message_id: str, **fields) -> str:
    """The message :data:`MESSAGES` holds under ``message_id``, its fields filled.

    :raises KeyError: an unknown id or a field the template names and was not given (the
        catalogue test finds both before a clerk could).
    """
    return _fill(MESSAGES[message_id], fields)


def phrase(phrase_id: str, **fields) -> str:
    """The phrase :data:`PHRASES` holds under ``phrase_id``, its fields filled."""
    return _fill(PHRASES[phrase_id], fields)


def issue(severity: str, message_id: str, *, sheet: str = "", cell: str = "", key: str = "", **fields) -> Issue:
    """An :class:`Issue` whose code is ``message_id`` up to its first dot and whose text is
    :func:`message` (``issue(ERROR, "not_a_number.bool", value=True, label="…")`` → code
    ``not_a_number``). ``sheet``, ``cell`` and ``key`` place the issue and are fields of the
    template too (``{key}``)."""
    fields["sheet"], fields["cell"], fields["key"] = sheet, cell, key
    facts = tuple(fields.items())
    text = _fill(MESSAGES[message_id], fields)
    code, _, variant = message_id.partition(".")
    return Issue(severity, code, text, sheet, cell, key, facts, variant)


def folded(notes: list[Issue], column: str, cells: str, shown: int = 2) -> str:
    """Notes of one code in one column (``cells``: where, in words) said as one line: the code's
    own «code.many» message with its first ``shown`` notes as examples («code.example», each
    note's own fields), else :data:`MESSAGES` ``repeated_note`` (``repeated_warning``, ``repeated_error``
    for those severities) quoting them; the count as vi-VN writes it («2.000 ô»). The catalogue
    test checks that each «.many» names exactly ``count``, ``column``, ``cells`` and ``examples``."""
    code = notes[0].code
    many, example = f"{code}.many", f"{code}.example"
    if many not in MESSAGES or example not in PHRASES or not all(n.facts for n in notes[:shown]):
        many = {ERROR: "repeated_error", WARNING: "repeated_warning"}.get(notes[0].severity, "repeated_note")
        example = "repeated_note.example"
    examples = [
        _fill(PHRASES[example], {"message": n.message.rstrip(". "), **dict(n.facts), "cell": n.cell})
        for n in notes[:shown]
    ]
    count = format_number(len(notes), 0)
    return _fill(MESSAGES[many], {"count": count, "column": column, "cells": cells, "examples": "; ".join(examples)})


def unreadable(message_id: str, **fields) -> UnreadableFile:
    """An :class:`~kpi.errors.UnreadableFile` to raise, its code ``message_id`` up to the dot."""
    return UnreadableFile(message_id.split(".", 1)[0], message(message_id, **fields))
