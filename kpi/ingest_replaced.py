"""What a report says it replaces, looked up before saving (a step of :func:`kpi.ingest.prepare`).

A correction names the report it replaces on a line of its own («(thay thế Báo cáo số 45/BC-TCKH
ngày 08/4/2024)», read apart from the file's own number and date:
:func:`kpi.reading.report_context.without_cited`). Each such document is looked up among the stored
reports by its number and date (:func:`kpi.storage.replaced.reports_numbered`) and the preview says
what was found (:class:`ReplacedCheck`):

* **found** — a report of the same unit (sender and subject) and period: «Thay thế báo cáo số
  45/BC-TCKH ngày 08/04/2024 (tệp «…», lưu ngày …)». The supersede decision replaces it whatever
  the dates (:func:`kpi.ingest_history.decide`); a version in use the file will replace without
  naming it, or a file dated before the report it replaces, is a warning (the two disagree);
* **not found** — a warning (``replaced_not_found``): perhaps loaded under another number or date
  (a report of the same number on another date, or the version in use it will replace, is named),
  perhaps not loaded yet — a correction may arrive before its original; the file still saves;
* **another unit's or another period's** — held (``replaced_other_unit``,
  ``replaced_other_period``): saved as it stands, the corrected figures would stand beside the
  report they correct, both looking right. Choosing the unit or the period lifts it when the file
  was read wrong; «Vẫn lưu, không thay báo cáo đó» (``options.replaced = "unlinked"``) saves it
  unlinked, a warning kept.

``prep`` is a :class:`kpi.ingest.Prepared` (this module does not import the layer above).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi.reading.checks import DECISIONS, ERROR, WARNING, Issue
from kpi.reading.report_context import Cited
from kpi.storage.replaced import StoredReport, replaced_through, reports_numbered, stored_reports
from kpi.vn import format_date
from kpi.words import report_period_words

__all__ = ["ReplacedCheck", "settle_replaced"]


@dataclass(frozen=True)
class ReplacedCheck:
    """One document a report says it replaces, as looked up (:func:`settle_replaced`).

    :ivar verdict: ``found``, ``not_found``, ``other_unit``, ``other_period`` (held), or
        ``unlinked`` (another unit's or period's, saved unlinked by the clerk's choice).
    :ivar stored: the stored reports it is (none when not found).
    :ivar text: the preview's line for a found one (Vietnamese); "" otherwise (an issue says it).
    """

    cited: Cited
    verdict: str
    stored: tuple[StoredReport, ...] = ()
    text: str = ""


def settle_replaced(con, prep, effect) -> None:
    """Look up each document ``prep`` says it replaces (``prep.replaced``) and set
    ``prep.replaced_checks`` and the issues (see the module's docstring); ``effect`` is what saving
    will do to its series (:func:`kpi.ingest_history.planned_effect`), checked against what the
    file says. Nothing for a register, a file stored already, one refused for good or one that names
    nothing."""
    if prep.file_kind != "report" or not prep.replaced or prep.existing_id is not None:
        return
    if any(e.code not in DECISIONS for e in prep.errors):  # refused for good: no word of saving
        return
    checks = [_check(con, prep, cited) for cited in prep.replaced]
    prep.replaced_checks = checks
    in_use = stored_reports(con, [*effect.replaces, *effect.alongside])
    named = {s.submission_id for c in checks if c.verdict == "found" for s in c.stored}
    named |= replaced_through(con, named)  # what those replaced in turn, to the chain's end
    unnamed = [s for s in in_use if s.submission_id not in named]
    for check in checks:
        prep.issues.extend(_issues_of(con, prep, check))
    if unnamed:  # the version in use it will replace is none of those it names
        said = "; ".join(_said(c.cited) for c in checks)
        text = (
            f"Khi lưu, tệp này sẽ thay bản đang dùng {_in_use(unnamed)} — báo cáo mà tệp không ghi là thay thế (tệp "
            f"ghi {said}). Nếu đó là báo cáo tệp nói tới, số hoặc ngày ghi trong tệp khác với bản đã lưu; nếu không, "
            "hãy kiểm tra tệp này có đúng là bản sửa mới nhất của đơn vị và kỳ này."
        )
        prep.issues.append(Issue(WARNING, "replaces_unnamed", text, prep.sheet, prep.replaced[0].cell))


def _issues_of(con, prep, check: ReplacedCheck) -> list[Issue]:
    """What the preview warns of or holds for one document the file says it replaces: not found, of
    another unit or period (held; saved unlinked by the clerk's choice), dated after the file."""
    cited, issues = check.cited, []
    if check.verdict == "not_found":
        issues.append(_not_found(con, prep, cited))
    elif check.verdict in ("other_unit", "other_period"):
        issues.append(Issue(ERROR, f"replaced_{check.verdict}", _elsewhere(prep, check), prep.sheet, cited.cell))
    elif check.verdict == "unlinked":
        text = (
            f"Tệp ghi {_said(cited)}; báo cáo đã lưu mang số và ngày này là {_where(check.stored[0])} — bạn đã chọn "
            "vẫn lưu, không coi tệp này là bản thay thế báo cáo đó."
        )
        issues.append(Issue(WARNING, "replaced_unlinked", text, prep.sheet, cited.cell))
    if cited.date and prep.doc_date and prep.doc_date < cited.date:
        text = (
            f"Tệp ghi {_said(cited)} nhưng ngày văn bản của chính tệp ({format_date(prep.doc_date)}) sớm hơn ngày "
            "của báo cáo đó: bản sửa không thể có trước báo cáo mà nó thay. Hãy kiểm tra ngày văn bản của tệp và "
            "dòng ghi thay thế."
        )
        issues.append(Issue(WARNING, "replaced_dated_after", text, prep.sheet, cited.cell))
    return issues


def _check(con, prep, cited: Cited) -> ReplacedCheck:
    """One quoted document against the stored reports: of this unit and period (found), of this
    unit in another period, of another unit — the first of these that holds any."""
    stored = reports_numbered(con, cited.number, cited.date, prep.year)
    unit = [s for s in stored if _same_unit(prep, s)]
    same = [s for s in unit if (s.year, s.quarter) == (prep.year, prep.quarter)]
    if same:
        return ReplacedCheck(cited, "found", tuple(same), _found_text(cited, same))
    elsewhere, verdict = (unit, "other_period") if unit else (stored, "other_unit")
    if not elsewhere:
        return ReplacedCheck(cited, "not_found")
    if prep.options.replaced == "unlinked":
        return ReplacedCheck(cited, "unlinked", tuple(elsewhere))
    return ReplacedCheck(cited, verdict, tuple(elsewhere))


def _same_unit(prep, stored: StoredReport) -> bool:
    """Whether a stored report is of ``prep``'s unit: the same sender and subject (a series
    without its period, :func:`kpi.domain.rules.series_key`)."""
    return (stored.sender or "", stored.subject or "") == (prep.sender or "", prep.subject or "")


def _said(cited: Cited) -> str:
    """ "thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024" — the document as the file quotes it."""
    return cited.words + (f" ngày {format_date(cited.date)}" if cited.date else "")


def _found_text(cited: Cited, same: list[StoredReport]) -> str:
    """ "Thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 (tệp «…», lưu ngày 07/12/2026, lần tải #1)",
    a stored report not in use said so."""
    state = {"superseded": " — đã được thay trước đây, không còn được dùng", "withdrawn": " — đã rút"}
    said = _said(cited)
    stored = "; ".join(s.named + state.get(s.status, "") for s in same)
    return f"{said[:1].upper()}{said[1:]} ({stored})"


def _unit_words(sender: str, subject: str) -> str:
    """ "của Xã Dân Quyền", or "do Phòng Tài chính - Kế hoạch gửi, số liệu của UBND huyện Tam Nông"."""
    if sender and subject and sender != subject:
        return f"do {sender} gửi, số liệu của {subject}"
    return f"của {subject or sender or '(không rõ đơn vị)'}"


def _where(stored: StoredReport) -> str:
    """A stored report with its unit and period: "tệp «…», lưu ngày …, lần tải #1 — của Xã Tề
    Lễ, Quý I/2024"."""
    return f"{stored.named} — {_unit_words(stored.sender, stored.subject)}, {report_period_words(stored.year, stored.quarter)}"


def _in_use(versions: list[StoredReport]) -> str:
    """Versions in use by their own number and date and their files."""
    return "; ".join(f"{v.own_words} ({v.named})" for v in versions)


def _not_found(con, prep, cited: Cited) -> Issue:
    """``replaced_not_found``: what was looked for and where, what may have happened, and a near
    miss — a stored report of this unit and period with the same number on another date (the
    version in use the file will replace without naming it has a warning of its own)."""
    near = [
        s
        for s in reports_numbered(con, cited.number, None, prep.year)
        if _same_unit(prep, s) and (s.year, s.quarter) == (prep.year, prep.quarter) and s.doc_date != cited.date
    ]
    text = (
        f"Tệp ghi {_said(cited)} nhưng báo cáo này chưa có trong các báo cáo đã lưu "
        f"{_unit_words(prep.sender, prep.subject)}, {report_period_words(prep.year, prep.quarter)}: có thể báo cáo đó "
        "đã được tải lên với số hoặc ngày khác, hoặc chưa được tải lên. Tệp vẫn lưu được (bản sửa có thể đến trước "
        "bản gốc); hãy kiểm tra."
    )
    if near:
        text += f" Đã lưu {_in_use(near)}: cùng số nhưng khác ngày."
    return Issue(WARNING, "replaced_not_found", text, prep.sheet, cited.cell)


def _elsewhere(prep, check: ReplacedCheck) -> str:
    """The hold of a quoted report stored as another unit's or another period's: which, why it is
    held, and what to do."""
    cited, first = check.cited, check.stored[0]
    said, period = _said(cited), report_period_words(first.year, first.quarter)
    if check.verdict == "other_period":
        code = f"{first.year}-Q{first.quarter}"
        return (
            f"Tệp ghi {said}, nhưng báo cáo đó đã lưu cho kỳ {period} ({first.named}), còn tệp này được đọc là của "
            f"kỳ {report_period_words(prep.year, prep.quarter)}. Lưu như vậy, số liệu sửa không thay số của báo cáo "
            f"đó, cả hai đều trông như đúng. Nếu tệp này là bản sửa của báo cáo kỳ {period}, hãy chọn kỳ đó ở ô «Kỳ báo "
            f"cáo» (dòng lệnh: --period {code}); nếu tệp ghi nhầm số báo cáo, hãy sửa tệp rồi tải lên lại, hoặc chọn "
            "«Vẫn lưu, không thay báo cáo đó» (dòng lệnh: --replaced unlinked)."
        )
    others = "; ".join(_where(s) for s in check.stored[:3])
    return (
        f"Tệp ghi {said}, nhưng báo cáo đã lưu mang số và ngày này là của đơn vị khác: {others}; còn tệp này "
        f"{_unit_words(prep.sender, prep.subject)}. Lưu như vậy, số liệu sửa không thay số của báo cáo đó, cả hai đều "
        f"trông như đúng. {_fix_unit(prep, first)}Nếu tệp ghi nhầm số báo cáo, hãy sửa tệp rồi tải lên lại, hoặc chọn "
        "«Vẫn lưu, không thay báo cáo đó» (dòng lệnh: --replaced unlinked)."
    )


def _fix_unit(prep, first: StoredReport) -> str:
    """The choice that lifts a hold for another unit's report when the file was read wrong: its
    subject when only that differs, its sender block when only that differs; "" when both do (the
    file is another unit's: its quote or the file itself is wrong)."""
    if (first.sender or "") == (prep.sender or ""):
        return f"Nếu tệp này đúng là số liệu của {first.subject}, hãy chọn ở ô «Số liệu của (đối tượng)» (dòng lệnh: --unit). "
    if (first.subject or "") == (prep.subject or ""):
        return f"Nếu tệp này đúng là do {first.sender or '(không rõ)'} gửi, hãy kiểm tra tên cơ quan ở đầu tệp. "
    return ""
