"""Why a formula of a report's value cell has no value, in words (:func:`not_evaluated_vi`): the
evaluator (:mod:`kpi.reading.formula`) computes only numbers, same-sheet references, ``+ - * /``,
``ROUND`` and ``SUM``; a formula outside that is said by what in it is not computed — a link to
another file (named), another sheet, the functions, an operator — never blamed on the file as a
whole (blind tester: «=ROUND(AVERAGE(86.5,88.1),1)» and an external link were both «không có kết quả
tin cậy lưu trong tệp (tệp do phần mềm tạo, chưa mở bằng Excel)»). What to do (open in Excel,
save, upload again) is the message's own end (:data:`kpi.reading.messages.MESSAGES`
``formula_no_value``)."""

from __future__ import annotations

import re

from kpi.reading.formula import BUDGET, CIRCULAR, FUNCTIONS, STEP_BUDGET

__all__ = ["not_evaluated_vi"]


def not_evaluated_vi(reason: str, formula: str = "") -> str:
    """Why a formula cell has no value, as words that follow "Ô là công thức «=…»": for a formula
    outside the subset (``formula`` its text), what in it is not computed — another file (named),
    another sheet, the functions, an operator — or else that a cell it needs has no number."""
    if reason == BUDGET:
        return (
            "chưa được tự tính vì tệp có quá nhiều phép tính công thức (vượt giới hạn "
            f"{STEP_BUDGET:,} bước; có thể là tệp độc hại)".replace(",", ".")
        )
    if reason == CIRCULAR:
        return "dùng tham chiếu vòng (các ô tính lẫn nhau, trực tiếp hoặc qua ô khác) nên không tính được"
    causes = _outside_subset(formula)
    if causes:
        return "chưa có kết quả lưu trong tệp và không tự tính được vì " + "; ".join(causes)
    if formula:
        return (
            "chưa có kết quả lưu trong tệp và không tự tính được vì cần số ở ô khác nhưng ô đó "
            "trống, là chữ hoặc chưa tính được"
        )
    return "không có kết quả tin cậy lưu trong tệp (tệp do phần mềm tạo, chưa mở bằng Excel)"


_LINK = re.compile(r"\[([^\]]*)\]")
_OTHER_SHEET = re.compile(r"(?:'((?:[^']|'')+)'|([^\s'!(),;:=+*/<>&^-]+))!")
_CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_OPERATORS = re.compile(r"[\^&%<>=]|\"")


def _outside_subset(formula: str) -> list[str]:
    """What ``formula`` uses that the evaluator does not compute, in words (empty: nothing)."""
    text = formula.strip().lstrip("=")
    causes = []
    links = [link.rsplit("\\", 1)[-1] for link in _LINK.findall(text)]
    if links:
        files = ", ".join(f"«{name}»" for name in dict.fromkeys(links) if not name.isdigit())
        causes.append(
            f"lấy số từ tệp khác {files} (liên kết ngoài)" if files else "lấy số từ tệp khác (liên kết ngoài)"
        )
    else:
        sheets = [(quoted or bare).replace("''", "'") for quoted, bare in _OTHER_SHEET.findall(text)]
        if sheets:
            causes.append("lấy số từ trang tính khác " + ", ".join(f"«{s}»" for s in dict.fromkeys(sheets)))
    unknown = [f for f in dict.fromkeys(name.upper() for name in _CALLED.findall(_LINK.sub("", text)))]
    unknown = [f for f in unknown if f not in FUNCTIONS]
    if unknown:
        causes.append(
            ("dùng hàm " if len(unknown) == 1 else "dùng các hàm ")
            + ", ".join(unknown)
            + " (chỉ tự tính được + - * /, ROUND, SUM)"
        )
    operators = sorted(set(_OPERATORS.findall(_LINK.sub("", text))))
    if operators and not links:
        causes.append("dùng " + ", ".join(f"«{o}»" for o in operators) + " (chỉ tự tính được + - * /)")
    return causes
