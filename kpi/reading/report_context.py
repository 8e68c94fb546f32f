"""What the lines around a report's table say: title, admin block, reference, metadata, unit note
above it, the signature date below it (the first step of :func:`kpi.reading.report_sheets.read_report`).

Each line above the table is offered to the readers below in turn, and the first that knows it
keeps it: a document number ("Số: 52/BC-UBND"), the motto (skipped), a "Label: value" metadata
line (``data/vocabulary.toml`` ``[metadata]``), the unit note ("Đơn vị tính: tỷ đồng"), the
reference ("Kèm theo Báo cáo số … ngày …"), a signature-date line, any other "Label: value" line
("Người lập biểu: …", "Kính gửi: …": skipped, never the title; :func:`label_line`); what is left is
the admin block (before the title: a body's name wherever it stands, ``[document] council`` and
``body``, or another line on the left; after it, a body's name on the right) or the title. A clause
quoting another document ("(thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)") is taken out of its
line first (:func:`without_cited`). The document's own number is the "Số:" line's, its own date the
"<place>, ngày …" line's above the table; else the "Ngày báo cáo" / "Số văn bản" metadata, else the
reference's, else (the date) the signature's below the table.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from kpi.errors import NumberFormatError
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import phrase
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, fold, parse_date

__all__ = ["Cited", "Context", "body_line", "label_line", "read_context", "title_candidate", "without_cited"]


@dataclass(frozen=True)
class Cited:
    """Another document a line quotes ("(thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"): its
    number and date are never the file's own (``[document] cited_verbs`` of ``data/vocabulary.toml``)."""

    words: str  # the clause as written, up to its number ("thay thế Báo cáo số 45/BC-TCKH")
    number: str  # "45/BC-TCKH"
    date: dt.date | None
    cell: str
    line: str = ""  # the whole line (cell) it was read from
    replaces: bool = False  # quoted as the document this file replaces (``[document] replacing_verbs``)
    kind: str = ""  # "báo cáo", "công văn" …


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
    reference_date: dt.date | None = None  # the "Kèm theo Báo cáo số … ngày …" line's, when no own line gives one
    reference_number: str = ""
    cited: list[Cited] = field(default_factory=list)  # other documents quoted ("thay thế Báo cáo số …")
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
        ref = cell_ref(r, c)
        text, cited = without_cited(text, vocab, ref)  # another document's number and date: never the file's
        ctx.cited.extend(cited)
        if not text:
            continue
        f = fold(text)
        if (
            _doc_number_line(ctx, vocab, text, ref)
            or Vocabulary.any(vocab.motto, f)
            or _metadata_line(ctx, vocab, text, f, ref, (r, c), filled, used)
            or _unit_note_line(ctx, vocab, text, f, ref)
            or _reference_line(ctx, vocab, text, f, ref)
            or _signature_line(ctx, vocab, text, f, ref)
            or _other_label(vocab, f, c, filled, used)
            or _form_code(vocab, f)
        ):
            continue
        _title_or_admin(ctx, title, text, f, ref, c, max(sheet.width, 1), unit_matcher, body_line(f, vocab))


def _folded_with_places(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character (as :func:`kpi.vn.fold`), and the index in ``text``
    each folded character comes from (one more at the end: ``len(text)``)."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        decomposed = unicodedata.normalize("NFD", ch.casefold().replace("đ", "d"))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(folded)
        where.extend([i] * len(folded))
    where.append(len(text))
    return "".join(out), where


def _cited_date(written: str | None) -> dt.date | None:
    """ "08/4/2024" or "08 thang 4 nam 2024" (folded) as a date; ``None`` when none or impossible."""
    if not written:
        return None
    d, mo, y = (int(n) for n in re.findall(r"\d+", written))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def without_cited(text: str, vocab: Vocabulary, ref: str) -> tuple[str, list[Cited]]:
    """``text`` without the clauses that quote another document (``[document] cited_verbs``: "(thay
    thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)", "Căn cứ Kế hoạch số 12/KH-UBND ngày …"), a clause in
    brackets with its brackets, and those documents. Black-box finding: a correction's title line
    quoting the report it replaces gave the file that report's number and date, so the original
    sent again later would have undone the correction."""
    folded, where = _folded_with_places(text)
    found: list[Cited] = []
    cuts: list[tuple[int, int]] = []
    for m in vocab.cited.finditer(folded):
        replaces = m.group("verb") in vocab.replacing
        verb, kind = (
            text[where[m.start()] : where[m.start("kind")]],
            text[where[m.start("kind")] : where[m.end("kind")]],
        )
        found.append(_cited(text, where, m, text[where[m.start()] : where[m.start("number")]], kind, ref, replaces))
        at = m.end()
        while more := vocab.cited_more.match(folded, at):  # "… và Báo cáo số 47/… ngày …": the same verb's
            kind = text[where[more.start("kind")] : where[more.end("kind")]] if more.group("kind") else kind
            found.append(_cited(text, where, more, f"{verb} {kind} số", kind, ref, replaces))
            at = more.end()
        start, end = where[m.start()], where[at]
        opened, closed = text.rfind("(", 0, start), text.find(")", end)
        if opened >= 0 and ")" not in text[opened:start] and closed >= 0 and "(" not in text[end:closed]:
            start, end = opened, closed + 1
        cuts.append((start, end))
    if not found:
        return text, []
    kept, last = [], 0
    for start, end in cuts:
        kept.append(text[last:start])
        last = end
    kept.append(text[last:])
    return clean_text(" ".join(kept)).strip(" -,;:"), found


def _cited(text: str, where: list[int], m: re.Match, words: str, kind: str, ref: str, replaces: bool) -> Cited:
    """The document a match of ``[document] cited_verbs`` (or of a document joined to it) names:
    ``words`` up to its number, its ``kind``, its number and date as written, the cell and the whole line."""
    number = re.sub(r"\s+", "", text[where[m.start("number")] : where[m.end("number")]]).rstrip(".,;:-")
    words = clean_text(words).lstrip("( ").lower()
    date = _cited_date(m.group("date"))
    return Cited(f"{words} {number}", number, date, ref, clean_text(text), replaces, clean_text(kind).lower())


def _doc_number_line(ctx: Context, vocab: Vocabulary, text: str, ref: str) -> bool:
    """ "Số: 52/BC-UBND" at the line's start — the document's own number (the first one only), and
    its own date when the same cell goes on with it ("Số: 52/BC-UBND   Hiền Quan, ngày 10 tháng 4
    năm 2024": merged into one cell)."""
    m = _DOC_NUMBER_LINE.match(text)
    if m and not ctx.doc_number:
        ctx.doc_number = re.sub(r"\s+", "", m.group(1))
        rest = text[m.end() :].strip(" ,;")
        if rest:
            _signature_line(ctx, vocab, rest, fold(rest), ref)
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
    """ "(Kèm theo Báo cáo số 52/BC-TCKH ngày 05/4/2024)" — the report an annex belongs to: its
    number and date are the file's when the file writes none of its own (:func:`_settle_document`)."""
    if not Vocabulary.any(vocab.reference, f):
        return False
    ctx.reference, ctx.reference_cell = text, ref
    ctx.reference_date = _date_in(f, vocab)
    m = _DOC_NUMBER.search(text)
    if m:
        ctx.reference_number = re.sub(r"\s+", "", m.group(1))
    return True


def _signature_line(ctx: Context, vocab: Vocabulary, text: str, f: str, ref: str) -> bool:
    """ "Tam Nông, ngày 05 tháng 4 năm 2024" or a line that is only a date ("Ngày 08/7/2024",
    black-box: it was glued to the title and the file read as undated) above the table: the
    document's own date (the first such line)."""
    if not ((vocab.signature_date.search(f) or vocab.date_line.match(f)) and len(f) < 80):
        return False
    date = _date_in(f, vocab)
    if date and ctx.doc_date is None:
        ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = date, phrase("quoted_at", text=text, cell=ref), ref
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


def _form_code(vocab: Vocabulary, f: str) -> bool:
    """ "Biểu số 02/TK-H", "Mẫu số 01/BC" alone on a line: the form's code, neither the title nor
    the admin block (black-box finding: it started the title, and the sender block at the top
    right beside it was glued to it)."""
    return any(ch.isdigit() for ch in f) and Vocabulary.any(vocab.title_label, f)


def _title_or_admin(
    ctx: Context, title: _Title, text: str, f: str, ref: str, c: int, width: int, unit_matcher, body: bool
) -> None:
    """Before the title, a body's name (``body``, or a unit's), wherever it stands, and any other
    line left of the middle are the admin block, and so is a body's name right of the middle after
    the title has begun (a sender block on the right: the admin block may stand on either side);
    the title is the first line with a title's words (or 40 characters) that names no unit or body
    and is no "(placeholder)"."""
    # a line after one ending with a dash continues it ("PHÒNG TÀI CHÍNH -" | "KẾ HOẠCH")
    continued = not title.seen and bool(ctx.admin_lines) and ctx.admin_lines[-1][0].endswith(_DASHES)
    names_unit = not title.seen and (body or continued or (unit_matcher is not None and unit_matcher(text)))
    # "(Tên cơ quan báo cáo)" above the title is a form's placeholder, not the title
    bracketed = not title.seen and text.startswith("(") and text.endswith(")")
    is_title = not names_unit and not bracketed and (any(w in f for w in _TITLE_WORDS) or len(f) >= 40)
    if not title.seen and not is_title and (c < width / 2 or names_unit):
        ctx.admin_lines.append((text, ref))
        return
    if title.seen and c > width / 2 and (body or (unit_matcher is not None and unit_matcher(text))):
        # a sender block at the top right, beside or below the title's first line: never the title
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
    """The document's own date and number when no own line gave them ("Số:" at a line's start, a
    "<place>, ngày …" line above the table): the "Ngày báo cáo" / "Số văn bản" metadata, else the
    "Kèm theo Báo cáo số … ngày …" line's, else (the date) the signature's below the table. A
    document another line quotes (:func:`without_cited`) never gives them."""
    if ctx.doc_date is None and "doc_date" in ctx.metadata:
        try:
            parsed = parse_date(ctx.metadata["doc_date"][0])
        except NumberFormatError:
            parsed = None
        if parsed:
            ref = ctx.metadata["doc_date"][1]
            ctx.doc_date, ctx.doc_date_source, ctx.doc_date_cell = parsed.value, phrase("cell", cell=ref), ref
    if ctx.doc_date is None and ctx.reference_date is not None:
        ctx.doc_date, ctx.doc_date_cell = ctx.reference_date, ctx.reference_cell
        ctx.doc_date_source = phrase("quoted_at", text=ctx.reference, cell=ctx.reference_cell)
    if ctx.doc_date is None and ctx.signature_date is not None:
        ctx.doc_date = ctx.signature_date
        ctx.doc_date_source = phrase("signature_at_foot", cell=ctx.signature_cell)
        ctx.doc_date_cell = ctx.signature_cell
    if not ctx.doc_number and "doc_number" in ctx.metadata:
        ctx.doc_number = str(ctx.metadata["doc_number"][0])
    if not ctx.doc_number:
        ctx.doc_number = ctx.reference_number
