"""What the lines around a report's table say: title, admin block, reference, metadata, unit note
above it, the signature date below it (the first step of :func:`kpi.reading.report_sheets.read_report`).

Each line above the table is offered to the readers below in turn, and the first that knows it
keeps it: a document number ("Số: 52/BC-UBND"), the motto (skipped), a "Label: value" metadata
line (``data/vocabulary.toml`` ``[metadata]``), the unit note ("Đơn vị tính: tỷ đồng"), the
reference ("Kèm theo Báo cáo số … ngày …"), a signature-date line, any other "Label: value" line
("Người lập biểu: …", "Kính gửi: …": skipped, never the title; :func:`label_line`); what is left is
the admin block (before the title: a body's name wherever it stands, ``[document] council`` and
``body``, or another line on the left) or the title. The document date is the reference's date,
else the "Ngày báo cáo" metadata, else the signature's date below the table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kpi.errors import NumberFormatError
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import phrase
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, fold, parse_date

__all__ = ["Context", "body_line", "label_line", "read_context", "title_candidate"]


@dataclass
class Context:
    """What the lines above (and below) a table say about the report."""

    title: str = ""
    title_cell: str = ""
    admin_lines: list[tuple[str, str]] = field(default_factory=list)  # (text, cell)
    reference: str = ""
    reference_cell: str = ""
    metadata: dict[str, tuple[str, str]] = field(default_factory=dict)  # field → (text, cell)
    blank: set[str] = field(default_factory=set)  # fields labelled but left empty ("Kỳ báo cáo:" ⎵)
    unit_note: str = ""
    unit_note_cell: str = ""
    doc_date: dt.date | None = None
    doc_date_source: str = ""
    doc_date_cell: str = ""
    doc_number: str = ""
    signature_date: dt.date | None = None
    signature_cell: str = ""
    title_lines: list[tuple[str, str]] = field(default_factory=list)  # the title's parts (text, cell)


def text_of(value) -> str:
    """A cell's text, cleaned; "" for a number or an empty cell."""
    return clean_text(value) if isinstance(value, str) else ""


_DOC_NUMBER = re.compile(r"\bs[oố]\s*:?\s*([0-9]+\s*/\s*[\w\-.&/]+)", re.I)
_DOC_NUMBER_LINE = re.compile(r"^s[oố]\s*:?\s*([0-9]+\s*/\s*[\w\-.&/]+)", re.I)
_DATE_IN_TEXT = re.compile(r"ngay\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
#: Words that make a line above the table its title (folded); a line of 40 characters or more is too.
_TITLE_WORDS = ("bao cao", "bieu", "tong hop", "ket qua", "danh sach", "chi tieu", "ke hoach", "thuc hien")


#: "Label: value" — a short label (at most six words, with a letter, not ending in a number: "Quý
#: I/2024: …" or "8:30" is no label) before the first colon (folded text).
_LABEL = re.compile(r"^([^:]{1,60}?)\s*:\s*(.*)$")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_DASHES = ("-", "–", "—")


def label_line(folded: str, vocab: Vocabulary) -> bool:
    """Whether a line is a "Label: value" line ("ngay bao cao: 15/04/2024", "nguoi lap bieu:",
    "kinh gui: …"): a fact about the document, never its title (issue 14, item 8: «Ngày báo cáo:
    …» was quoted as a title). A label that names the document itself ("bieu so 01: …",
    ``[document] title_label``) does not make one: what follows may be the title."""
    m = _LABEL.match(folded)
    if not m:
        return False
    label = m.group(1).strip()
    if not re.search(r"[a-z]", label) or len(label.split()) > 6 or label[-1].isdigit():
        return False
    return not Vocabulary.any(vocab.title_label, label)


def body_line(folded: str, vocab: Vocabulary) -> bool:
    """Whether a line is the name of a body: it starts with one ("ubnd huyen …", "phong tai chinh
    - ke hoach …": ``[document] council`` and ``body``) and names no period or year (an admin
    block never does; "… quý I năm 2024" after a body's name is a title written after it)."""
    if not Vocabulary.any(vocab.admin_body, folded):
        return False
    return not (_YEAR.search(folded) or vocab.quarter.search(folded) or vocab.months.search(folded))


def title_candidate(text: str, vocab: Vocabulary) -> bool:
    """Whether a line above a table may be (part of) its title: not a "Label: value" line and
    not a body's name (:func:`label_line`, :func:`body_line`)."""
    f = fold(text)
    return bool(f) and not label_line(f, vocab) and not body_line(f, vocab)


def _date_in(folded: str, vocab: Vocabulary) -> dt.date | None:
    for pattern in (_DATE_IN_TEXT, vocab.signature_date):
        m = pattern.search(folded)
        if m:
            d, mo, y = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


@dataclass
class _Title:
    """The title's lines as they are found, and whether the title has begun (lines after it are
    the title's too, never the admin block)."""

    parts: list[tuple[str, str]] = field(default_factory=list)  # (text, cell)
    seen: bool = False


def read_context(sheet: Sheet, top: int, end: int, vocab: Vocabulary, unit_matcher=None) -> Context:
    """Read the lines above a table (title, admin block, reference, key/value metadata, unit
    note) and the signature date below it.

    :param top: the first header row; :param end: the row after the data (footer start).
    :param unit_matcher: ``text → unit | None``; a line naming a unit before the title belongs to
        the admin block (sender), however long.
    """
    ctx = Context()
    title = _Title()
    for r in range(min(top, sheet.height)):
        _read_line_above(sheet, r, ctx, title, vocab, unit_matcher)
    ctx.title = " ".join(t for t, _ in title.parts)
    ctx.title_cell = title.parts[0][1] if title.parts else ""
    ctx.title_lines = list(title.parts)
    _read_signature(sheet, end, ctx, vocab)
    _settle_document(ctx)
    return ctx


def _read_line_above(sheet: Sheet, r: int, ctx: Context, title: _Title, vocab: Vocabulary, unit_matcher) -> None:
    """Each filled cell of row ``r`` to the first reader that knows it, else title or admin block."""
    filled = [
        (c, v) for c, v in enumerate(sheet.rows[r]) if v is not None and not (isinstance(v, str) and not v.strip())
    ]
    used: set[int] = set()  # value cells of a "Label:" | value pair, read with their label
    for c, text in [(c, text_of(v)) for c, v in filled if text_of(v)]:
        if c in used:
            continue
        f = fold(text)
        ref = cell_ref(r, c)
        if (
            _doc_number_line(ctx, text)
            or Vocabulary.any(vocab.motto, f)
            or _metadata_line(ctx, vocab, text, f, ref, (r, c), filled, used)
            or _unit_note_line(ctx, vocab, text, f, ref)
            or _reference_line(ctx, vocab, text, f, ref)
            or _signature_line(ctx, vocab, text, f, ref)
            or _other_label(vocab, f, c, filled, used)
        ):
            continue
        _title_or_admin(ctx, title, text, f, ref, c, max(sheet.width, 1), unit_matcher, body_line(f, vocab))


def _doc_number_line(ctx: Context, text: str) -> bool:
    """ "Số: 52/BC-UBND" — the document's number (the first one only)."""
    m = _DOC_NUMBER_LINE.match(text)
    if m and not ctx.doc_number:
        ctx.doc_number = re.sub(r"\s+", "", m.group(1))
        return True
    return False


def _metadata_line(ctx: Context, vocab: Vocabulary, text: str, f: str, ref: str, at, filled, used: set[int]) -> bool:
    """ "Kỳ báo cáo: Quý I/2024", or "Kỳ báo cáo:" | "Quý I/2024" in the next filled cell; a label
    left empty is remembered in ``ctx.blank``."""
    label = f.split(":", 1)[0].strip() if ":" in f else f
    meta_field = next(
        (k for k, pats in vocab.metadata.items() if k != "unit_note" and Vocabulary.any(pats, label)),
        None,
    )
    if not meta_field:
        return False
    r, c = at
    value = text.split(":", 1)[1].strip() if ":" in text else ""
    if not value:
        after = [(cc, v) for cc, v in filled if cc > c]
        if after:
            value, ref = after[0][1], cell_ref(r, after[0][0])
            used.add(after[0][0])
            if isinstance(value, str):
                value = text_of(value)
    if value not in ("", None):
        ctx.metadata.setdefault(meta_field, (value, ref))
    else:
        ctx.blank.add(meta_field)
    return True


def _unit_note_line(ctx: Context, vocab: Vocabulary, text: str, f: str, ref: str) -> bool:
    """ "(Đơn vị tính: tỷ đồng)" — the unit of rows that write none."""
    if not any(pattern.search(f) for pattern in vocab.metadata["unit_note"]):
        return False
    unit_note = text[text.find(":") + 1 :].strip(" )") if ":" in text else ""
    if unit_note:
        ctx.unit_note, ctx.unit_note_cell = unit_note, ref
    return True


def _reference_line(ctx: Context, vocab: Vocabulary, text: str, f: str, ref: str) -> bool:
    """ "(Kèm theo Báo cáo số 52/BC-TCKH ngày 05/4/2024)" — the document's number and date."""
    if not Vocabulary.any(vocab.reference, f):
        return False
    ctx.reference, ctx.reference_cell = text, ref
    date = _date_in(f, vocab)
    if date:
        ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = date, phrase("line_at", text=text, cell=ref), ref
    m = _DOC_NUMBER.search(text)
    if m:
        ctx.doc_number = re.sub(r"\s+", "", m.group(1))
    return True


def _signature_line(ctx: Context, vocab: Vocabulary, text: str, f: str, ref: str) -> bool:
    """ "Tam Nông, ngày 05 tháng 4 năm 2024" or a line that is only a date ("Ngày 08/7/2024",
    black-box: it was glued to the title and the file read as undated) above the table: the date
    unless the reference gave one."""
    if not ((vocab.signature_date.search(f) or vocab.date_line.match(f)) and len(f) < 80):
        return False
    date = _date_in(f, vocab)
    if date and ctx.doc_date is None:
        ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = date, phrase("line_at", text=text, cell=ref), ref
    return True


def _other_label(vocab: Vocabulary, f: str, c: int, filled, used: set[int]) -> bool:
    """Any other "Label: value" line (:func:`label_line`): skipped, with its value in the next
    filled cell when the label's own cell ends at the colon ("Người lập biểu:" | "Nguyễn Văn An")."""
    if not label_line(f, vocab):
        return False
    if not f.split(":", 1)[1].strip():
        after = [cc for cc, _v in filled if cc > c]
        if after:
            used.add(after[0])
    return True


def _title_or_admin(
    ctx: Context, title: _Title, text: str, f: str, ref: str, c: int, width: int, unit_matcher, body: bool
) -> None:
    """Before the title, a body's name (``body``, or a unit's), wherever it stands, and any other
    line left of the middle are the admin block; the title is the first line with a title's words
    (or 40 characters) that names no unit or body and is no "(placeholder)"."""
    # a line after one ending with a dash continues it ("PHÒNG TÀI CHÍNH -" | "KẾ HOẠCH")
    continued = not title.seen and bool(ctx.admin_lines) and ctx.admin_lines[-1][0].endswith(_DASHES)
    names_unit = not title.seen and (body or continued or (unit_matcher is not None and unit_matcher(text)))
    # "(Tên cơ quan báo cáo)" above the title is a form's placeholder, not the title
    bracketed = not title.seen and text.startswith("(") and text.endswith(")")
    is_title = not names_unit and not bracketed and (any(w in f for w in _TITLE_WORDS) or len(f) >= 40)
    if not title.seen and not is_title and (c < width / 2 or names_unit):
        ctx.admin_lines.append((text, ref))
        return
    if is_title or title.seen:
        title.seen = True
        if c <= width / 2 or len(f) >= 20:
            title.parts.append((text, ref))


def _read_signature(sheet: Sheet, end: int, ctx: Context, vocab: Vocabulary) -> None:
    """The first signature-date line below the table (its date, or none if it cannot be a date)."""
    for r in range(end, sheet.height):
        for c, v in enumerate(sheet.rows[r]):
            f = fold(text_of(v))
            if f and (vocab.signature_date.search(f) or vocab.date_line.match(f)) and ctx.signature_date is None:
                ctx.signature_date = _date_in(f, vocab)
                ctx.signature_cell = cell_ref(r, c) if ctx.signature_date else ""


def _settle_document(ctx: Context) -> None:
    """The document date when no line gave one: the "Ngày báo cáo" metadata, else the signature's
    date; the document number from the metadata when no line gave one."""
    if ctx.doc_date is None and "doc_date" in ctx.metadata:
        try:
            parsed = parse_date(ctx.metadata["doc_date"][0])
        except NumberFormatError:
            parsed = None
        if parsed:
            ref = ctx.metadata["doc_date"][1]
            ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = parsed.value, phrase("cell", cell=ref), ref
    if ctx.doc_date is None and ctx.signature_date is not None:
        ctx.doc_date = ctx.signature_date
        ctx.doc_date_source = phrase("signature_at_foot", cell=ctx.signature_cell)
        ctx.doc_date_cell = ctx.signature_cell
    if not ctx.doc_number and "doc_number" in ctx.metadata:
        ctx.doc_number = str(ctx.metadata["doc_number"][0])
