"""What kind of file this is, decided from the whole table, and the rows that count toward nothing
(issue 13, section 1: "never silently wrong").

**Kind.** Every data row of a sheet votes for at most one kind by what it holds:

* ``report`` — a cell names an indicator of the plan (:meth:`Catalogue.match_indicator`);
* ``awards`` — a cell names an award (``data/register_words.toml`` ``[awards] words``, after
  :func:`kpi.abbreviations.expand`);
* ``registrations`` — a cell names a unit of the plan and the row holds a date, a document number
  or a registration mark, with no award in it and no text in the table's award column (a column
  where two rows or more name an award: a row with other text there is an award row whose award is
  written otherwise, and votes for nothing); an award named in a column whose header says "đăng
  ký" ("Nội dung đăng ký", "Danh hiệu đăng ký") is a title registered for, not an award;

and the title above the table votes once for the kind its words name (``[kind_words]``; a
"Label: value" line or a body's name is no title: :func:`kpi.reading.report_context.title_candidate`).
The kind is **settled** when at least four fifths of the votes point to it (no vote at all: not
settled); otherwise the file is held (``kind_unclear``) and the clerk chooses (``--kind`` on the
command line), the evidence shown in the preview. The preview writes the votes and the rule in one
count — "báo cáo chỉ tiêu: 3 trong 3 dấu hiệu" beside "đã rõ loại tệp (cần ít nhất 3 trong 3 dấu
hiệu cùng chỉ một loại)" —, never a share ("4/5") beside a count ("3/3"), which read as a contradiction
(issue 14, item 8).

**Held for a decision** (``unmatched_held``): more than a fifth of a register's rows not
understood (an award that is neither the plan's nor a known honour-roll award; a unit not in the
plan), any row of a plan's award whose recipient's kind nothing tells (column, section, award,
recipient), or a report row whose name is close to an indicator
without matching it (:meth:`Catalogue.near_indicators`). The clerk maps the names
(:mod:`kpi.aliases`) or confirms "lưu, các dòng này không tính" (``accept_unmatched``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from kpi.config import DATA_DIR
from kpi.domain.award_identity import person_key
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.layout import vocabulary
from kpi.reading.messages import excerpt, issue, phrase
from kpi.reading.report_context import title_candidate
from kpi.reading.workbook import cell_ref
from kpi.vn import clean_text, fold, match_key

__all__ = [
    "KIND_WORDS_VI",
    "PROPOSAL_NOTE",
    "KindDecision",
    "award_cell",
    "unit_cell",
    "decide_kind",
    "honour_roll_award",
    "name_match_issue",
    "register_words",
    "review_unmatched",
]

_DEFAULT_DATA = DATA_DIR
KINDS = ("report", "awards", "registrations")
KIND_WORDS_VI = {
    "report": "báo cáo chỉ tiêu",
    "awards": "danh sách khen thưởng",
    "registrations": "danh sách đăng ký thi đua",
}
#: Share of the votes that settles the kind (issue 13: "at least four fifths"), as a fraction: the
#: preview writes it as a count of this file's signs (:attr:`KindDecision.needed`), computed exactly.
SETTLED = Fraction(4, 5)
#: Share of a register's rows not understood above which the file is held ("more than a fifth").
HELD_SHARE = 0.2
#: The note of an award row that is only proposed (:func:`kpi.reading.register_cells.mark_proposals`):
#: understood, counted toward nothing.
PROPOSAL_NOTE = "đề nghị, chưa có quyết định — không tính"


@dataclass(frozen=True)
class Words:
    """``data/register_words.toml`` compiled: each list a tuple of patterns on folded text."""

    raw: dict

    def pats(self, section: str, name: str) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.raw.get(section, {}).get(name, []))

    def any(self, section: str, name: str, text: str) -> bool:
        f = fold(text)
        return bool(f) and any(p.search(f) for p in _compiled(self, section, name))


@lru_cache(maxsize=64)
def _compiled(words: Words, section: str, name: str) -> tuple[re.Pattern, ...]:
    return words.pats(section, name)


def register_words(data_dir: Path | None = None) -> Words:
    """The register vocabulary (``data_dir``'s ``register_words.toml``, else the default one)."""
    return _register_words(str(data_dir or _DEFAULT_DATA))


@lru_cache(maxsize=8)
def _register_words(data_dir: str) -> Words:
    path = Path(data_dir) / "register_words.toml"
    if not path.exists():
        path = _DEFAULT_DATA / "register_words.toml"
    with path.open("rb") as fh:
        return Words(_Frozen(tomllib.load(fh)))


class _Frozen(dict):
    """A dict usable as part of a cache key (the vocabulary never changes while running)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return id(self)


# -- the kind of a file -----------------------------------------------------------------------


@dataclass
class KindDecision:
    """The votes of one sheet.

    :ivar votes: kind → number of votes.
    :ivar evidence: kind → up to three examples ("dòng 5: «Bằng khen…»").
    :ivar kind: the settled kind, or ``None`` (too few votes, or no kind with four fifths).
    """

    votes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    evidence: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    @property
    def total(self) -> int:
        return sum(self.votes.values())

    @property
    def needed(self) -> int:
        """The votes one kind needs to be settled: four fifths of :attr:`total`, rounded up."""
        return math.ceil(SETTLED * self.total)

    @property
    def best(self) -> int:
        """The most votes any one kind has."""
        return max(self.votes.values())

    @property
    def kind(self) -> str | None:
        if self.total == 0:
            return None
        best = max(KINDS, key=lambda k: self.votes[k])
        return best if self.votes[best] >= self.needed else None

    def rule(self) -> str:
        """The settling rule in this file's count ("cần ít nhất 12 trong 15 dấu hiệu …")."""
        return phrase("kind_rule", needed=self.needed, total=self.total)

    def how(self, read_kind: str | None) -> str:
        """The preview's "how it was found" of the kind evidence, for a file read as ``read_kind``:
        settled, not settled (the most votes of one kind against the rule), or settled to
        another kind than the one the file could be read as."""
        if self.total == 0:
            return phrase("kind_unsure_none")
        if self.kind is None:
            return phrase("kind_unsure", best=self.best, total=self.total, needed=self.needed)
        if self.kind == read_kind:
            return phrase("kind_settled", rule=self.rule())
        read = KIND_WORDS_VI.get(read_kind or "", phrase("no_candidates"))
        return phrase("kind_read_otherwise", kind=KIND_WORDS_VI[self.kind], read=read)

    @property
    def candidates(self) -> list[str]:
        """Kinds with any vote, most votes first."""
        return [k for k in sorted(KINDS, key=lambda k: -self.votes[k]) if self.votes[k]]

    def share(self, kind: str) -> float:
        return self.votes[kind] / self.total if self.total else 0.0

    def summary(self) -> str:
        """The evidence in words, for the preview and the command line."""
        parts = []
        for k in self.candidates:
            example = "; ".join(self.evidence[k][:2])
            votes = {"kind": KIND_WORDS_VI[k], "votes": self.votes[k], "total": self.total}
            parts.append(
                phrase("kind_votes_example", example=example, **votes) if example else phrase("kind_votes", **votes)
            )
        return " · ".join(parts) or phrase("no_kind_sign")

    def add(self, kind: str, example: str) -> None:
        self.votes[kind] += 1
        if len(self.evidence[kind]) < 3:
            self.evidence[kind].append(example)


_DATE_TEXT = re.compile(r"^\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}$")
_DOC_NUMBER = re.compile(r"^\d+\s*/\s*[\w\-/Đđ]+$")
#: A document number inside a longer text ("Số 12/ĐK-UBND ngày 10/01/2024"): digits, a slash, a
#: code in capitals.
_DOC_NUMBER_IN = re.compile(r"(?<![\d/])\d+\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9&]+)*")


#: A person's name as written in a list: two to six capitalised words, no digit («Nguyễn Văn An»).
_PERSON_NAME = re.compile(r"^[A-ZÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZÀ-Ỹ][\wÀ-ỹ]*){1,5}$")


def person_name(text: str) -> bool:
    """Whether ``text`` is written as a person's name: an honorific or title before it
    (``data/honorifics.csv``), or two to six capitalised words without a digit."""
    return person_key(text) != match_key(text) or (
        bool(_PERSON_NAME.match(text)) and not any(ch.isdigit() for ch in text)
    )


def _is_date(value) -> bool:
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return isinstance(value, str) and bool(_DATE_TEXT.match(clean_text(value)))


def decide_kind(sheet, catalogue, max_rows: int = 400) -> KindDecision:
    """Count the votes of ``sheet`` (see the module docstring)."""
    from kpi.domain.abbreviations import expand

    words = register_words()
    vocab = vocabulary()
    decision = KindDecision()
    title_done = False
    memo: dict[tuple[str, str], bool] = {}  # registers repeat their awards, units and dates

    def is_indicator(t: str) -> bool:
        if ("i", t) not in memo:
            memo[("i", t)] = len(t) >= 6 and catalogue.match_indicator(t) is not None
        return memo[("i", t)]

    def is_award(t: str) -> bool:
        if ("a", t) not in memo:
            memo[("a", t)] = words.any("awards", "words", expand(t, "award").text)
        return memo[("a", t)]

    def is_unit(t: str) -> bool:
        if ("u", t) not in memo:
            memo[("u", t)] = len(t) >= 4 and catalogue.match_unit(t) is not None
        return memo[("u", t)]

    def is_person(t: str) -> bool:
        if ("p", t) not in memo:
            memo[("p", t)] = person_name(t) and not is_unit(t) and not words.any("recipients", "collective_words", t)
        return memo[("p", t)]

    rows = sheet.rows[:max_rows]
    registered = _registration_columns(rows)

    def is_award_at(c: int, t: str) -> bool:
        return c not in registered and is_award(t)

    award_columns = _award_columns(rows, is_award_at)
    for r, row in enumerate(rows):
        texts = [(c, clean_text(v)) for c, v in enumerate(row) if isinstance(v, str) and clean_text(v)]
        if not texts:
            continue
        indicator = next((t for _c, t in texts if is_indicator(t)), None)
        if indicator:
            decision.add("report", phrase("sign_at_row", row=r + 1, text=excerpt(indicator, 50)))
            continue
        award = next((t for c, t in texts if is_award_at(c, t)), None)
        filled = sum(1 for v in row if v not in (None, ""))
        if award and filled >= 2:
            decision.add("awards", phrase("sign_at_row", row=r + 1, text=excerpt(award, 50)))
            continue
        at, unit = next(((c, t) for c, t in texts if is_unit(t)), (0, None))
        if unit and any(c in award_columns for c, _t in texts):
            continue  # an award row whose award is not known (written otherwise): no registration sign
        if unit and any(c < at and is_person(t) for c, t in texts):
            continue  # a person of that unit (an award list's «Họ và tên | Đơn vị công tác»): units register
        if unit and (kind := _unit_row_kind(row, texts, words)):
            decision.add(kind, phrase("sign_at_row", row=r + 1, text=excerpt(unit, 40)))
            continue
        # the title: a row's one line, or its one long line beside a form's short mark («Biểu số
        # 02»; black-box: the title passed over for the «(Kèm theo Báo cáo số …)» line under it,
        # which the report's own reader, rightly, never takes for a title: a bracketed line)
        long = [t for _c, t in texts if len(t) >= 12]
        marked = filled == len(texts) == 2 and len(long) == 1 and len(long[0]) >= 20
        if not title_done and (filled == 1 or marked) and len(long) == 1 and _title_line(long[0], vocab):
            text = long[0]
            for kind in ("awards", "registrations", "report"):
                if words.any("kind_words", kind, text):
                    decision.add(kind, phrase("sign_in_title", text=excerpt(text, 60)))
                    title_done = True
                    break
    return decision


def _unit_row_kind(row, texts: list[tuple[int, str]], words) -> str:
    """The kind a unit's row votes for: ``awards`` with a decision's number on it («…/QĐ-…»: round
    12, a list «… được tặng danh hiệu …» was asked whether it registered); ``registrations`` with a
    date, a registered / not-registered mark or another document's number; else ``""``."""
    if any(words.any("awards", "decision_number", t) for _c, t in texts):
        return "awards"
    signs = any(_is_date(v) for v in row) or any(
        words.any("marks", "yes", t) or words.any("marks", "no", t) or _DOC_NUMBER.match(t) or _DOC_NUMBER_IN.search(t)
        for _c, t in texts
    )
    return "registrations" if signs else ""


def _title_line(text: str, vocab) -> bool:
    """Whether a line above a table may be its title for the kind's evidence: a title candidate
    (:func:`kpi.reading.report_context.title_candidate`) that is not wholly in brackets (a form's
    «(Tên cơ quan báo cáo)», a «(Kèm theo …)» reference line)."""
    return title_candidate(text, vocab) and not (text.startswith("(") and text.endswith(")"))


def _registration_columns(rows, scan: int = 40) -> set[int]:
    """The columns of a registration list's header that say "đăng ký" ("Nội dung đăng ký",
    "Danh hiệu đăng ký", "Văn bản đăng ký"): an award named there is a title a unit registers
    for, not an award received (issue 13). The header is the first row of three texts or more
    with such a cell (``[columns] registered_for`` of ``data/register_words.toml``)."""
    words = register_words()
    for row in rows[:scan]:
        texts = {c: fold(v) for c, v in enumerate(row) if isinstance(v, str) and clean_text(v)}
        said = {c for c, t in texts.items() if len(t) <= 60 and words.any("columns", "registered_for", t)}
        if len(texts) >= 3 and said:
            return said
    return set()


def _award_columns(rows, is_award) -> set[int]:
    """The columns where at least two rows name an award: the award column of a register. A row
    with other text there is an award row whose award is written in a way not known (an unusual
    abbreviation), not a registration, even when its recipient is a unit and it holds a date."""
    counts: dict[int, int] = {}
    for row in rows:
        for c, v in enumerate(row):
            if isinstance(v, str) and clean_text(v) and is_award(c, clean_text(v)):
                counts[c] = counts.get(c, 0) + 1
    return {c for c, n in counts.items() if n >= 2}


def kind_unclear_issue(decision: KindDecision, sheet_name: str) -> Issue:
    """The ``kind_unclear`` hold: the candidates and their evidence, and what to do."""
    names = ", ".join(KIND_WORDS_VI[k] for k in decision.candidates) or phrase("no_candidates")
    return issue(ERROR, "kind_unclear", sheet=sheet_name, names=names, signs=decision.summary(), rule=decision.rule())


# -- names matched by their words ------------------------------------------------------------


def name_match_issue(match, written: str, plan_name: str, key: str, sheet: str, cell: str) -> Issue:
    """A warning for a name matched by similarity (both spellings), an info for an abbreviation
    written out and matched exactly."""
    if match.how == "similar":
        return issue(
            WARNING,
            "matched_by_similarity",
            sheet=sheet,
            cell=cell,
            key=key,
            written=written,
            plan_name=plan_name,
            key_said=phrase("key_said", key=key) if key else "",
            note=phrase("match_note", note=match.note) if match.note else "",
        )
    return issue(
        INFO, "abbreviation_expanded", sheet=sheet, cell=cell, written=written, plan_name=plan_name, note=match.note
    )


# -- rows that count toward nothing ----------------------------------------------------------


def honour_roll_award(written: str) -> bool:
    """A known award that counts toward no target (Giấy khen, Lao động tiên tiến…: ``[awards]
    honour_roll`` of ``register_words.toml``), as written or with its abbreviations written out
    ("LĐTT", "GK": :func:`kpi.domain.abbreviations.expand`)."""
    from kpi.domain.abbreviations import expand

    words = register_words()
    return words.any("awards", "honour_roll", written) or words.any(
        "awards", "honour_roll", expand(written, "award").text
    )


def award_cell(awards, row) -> str:
    """The cell of a register row's award itself (an award column, or a tick column's cell), not
    the recipient's: the register's award column is kept in ``awards.attrs["award_column"]``
    (0-based) by :func:`kpi.reading.registers.read_awards`; without it, the row's own cell."""
    column = awards.attrs.get("award_column")
    return cell_ref(int(row.row_number) - 1, int(column)) if column is not None else row.cell


def unit_cell(awards, row) -> str:
    """The cell a register row's unit was read from (its unit column: «Cơ quan, đơn vị» G10 beside
    the recipient F10), not the recipient's: ``awards.attrs["unit_column"]`` (0-based, kept by
    :func:`kpi.reading.awards._award_table`); without it, the row's own cell."""
    column = awards.attrs.get("unit_column")
    return cell_ref(int(row.row_number) - 1, int(column)) if column is not None else row.cell


#: How the note of an award given by another place starts (:meth:`kpi.reading.awards._AwardRows._elsewhere`):
#: such a row is understood and said by its own warning, not listed as counting toward nothing.
_ELSEWHERE_NOTE = phrase("award_elsewhere_note", place="\0").split("\0")[0]


def _register_not_understood(prep) -> list[tuple[str, str, bool]]:
    """(cell, what, asked) of a register's rows that are not understood; ``asked``: a row of a
    plan's award whose recipient's kind nothing tells (always held, issue 13 §2)."""
    out = []
    if prep.file_kind == "awards":
        for r in prep.awards.itertuples():
            if r.duplicate_of is not None and str(r.duplicate_of) not in ("", "<NA>"):
                continue
            if r.note == PROPOSAL_NOTE:
                continue  # understood: a proposal, listed by its own warning
            if not r.award:
                if not honour_roll_award(r.award_written):
                    what = phrase("award_not_in_plan", award=r.award_written)
                    out.append((award_cell(prep.awards, r), what, False))
            elif not r.recipient_kind:
                out.append((r.cell, phrase("kind_unknown_of", recipient=r.recipient), True))
            elif not r.key and not str(r.note or "").startswith(_ELSEWHERE_NOTE):
                what = phrase("award_not_for_kind", award=r.award_written, kind=r.recipient_kind)
                out.append((award_cell(prep.awards, r), what, False))
    elif prep.file_kind == "registrations":
        for r in prep.registrations.itertuples():
            if r.note == "không có trong danh mục":
                out.append((r.cell, phrase("unit_not_in_catalogue", unit=r.unit_written), False))
    return out


def review_unmatched(prep, catalogue) -> None:
    """Add the ``unmatched_held`` hold to ``prep`` when its rule applies (see the module), unless
    the clerk accepted (``options.accept_unmatched``); then an info lists the rows kept out."""
    rows: list[tuple[str, str]] = []
    held = False
    if prep.file_kind in ("awards", "registrations"):
        found = _register_not_understood(prep)
        rows = [(cell, what) for cell, what, _asked in found]
        table = prep.awards if prep.file_kind == "awards" else prep.registrations
        # a row of a plan's award whose recipient's kind nothing tells is always asked (issue 13 §2)
        unknown_kind = any(asked for _cell, _what, asked in found)
        held = unknown_kind or (len(table) > 0 and len(rows) > HELD_SHARE * len(table))
    elif prep.file_kind == "report" and not prep.rows.empty:
        far = []  # rows named like nothing of the plan: said once, apart from those held as near
        for r in prep.rows[prep.rows["status"] == "not_in_plan"].itertuples():
            near = catalogue.near_indicators(r.label)
            if not near:
                far.append(f"dòng {r.row} «{r.label}»")
            else:
                prep.near_rows += (int(r.row),)
                rows.append(
                    (
                        phrase("row_named", row=r.row),
                        # the plan's names, not its keys alone (black-box: «gần giống CT01 / CT03»)
                        phrase(
                            "near_indicators", label=r.label, near="; ".join(f"«{catalogue[k].name}»" for k in near)
                        ),
                    )
                )
        held = bool(rows)
        if far:  # black-box: «… — không lưu: dòng 8» beside a hold asking what dòng 8 is
            prep.issues.append(issue(INFO, "not_in_plan", sheet=prep.sheet, listed="; ".join(far)))
    if not rows:
        return
    listed = "; ".join(f"{cell}: {what}" for cell, what in rows[:30]) + (
        f"; … (+{len(rows) - 30})" if len(rows) > 30 else ""
    )
    if held and not prep.options.accept_unmatched:
        if prep.file_kind == "report":
            what = phrase("rows_near_plan", count=len(rows))
        elif len(rows) > HELD_SHARE * len(table):
            what = phrase("rows_not_understood", count=len(rows))
        else:  # held for a recipient's kind alone: the share is not what holds it (black-box: «1 of 5 rows»)
            what = phrase("rows_kind_unknown", count=len(rows))
        prep.issues.append(issue(ERROR, "unmatched_held", sheet=prep.sheet, what=what, listed=listed))
    else:
        prep.issues.append(issue(INFO, "counts_toward_nothing", sheet=prep.sheet, listed=listed))


def kinds_to_try(chosen: str | None, decision: KindDecision, mapped: str | None = None) -> set[str]:
    """The readers to try on a sheet: the clerk's choice; else the settled kind; else all three
    (the read then held as ``kind_unclear``). A table whose layout the user described is of the
    kind described (``mapped``: ``report``, ``awards`` or ``registrations``)."""
    if chosen in KINDS:
        return {chosen}
    if mapped:
        return {mapped}
    settled = decision.kind
    return {settled} if settled else set(KINDS)


def note_kind(prep, decision: KindDecision, chosen: str | None) -> None:
    """Show the evidence of the kind in the preview; hold the file when it is not settled and
    the clerk has not chosen."""
    how = phrase("kind_chosen") if chosen else decision.how(prep.file_kind)
    prep.inferred.insert(1, (phrase("inferred_kind_signs"), decision.summary(), how))
    refused_as_register = any(i.code == "award_column_missing" for i in prep.issues)  # said what to add
    if not chosen and decision.kind != prep.file_kind and not prep.options.mapping and not refused_as_register:
        prep.issues.append(kind_unclear_issue(decision, prep.sheet))


def awards_year_asked(read) -> int:
    """1 when an award register's read is to be shown although it may hold no row: its rows wait
    for their achievement year (held, not refused), or its award column is missing (refused with
    what to add, not as a report: :func:`kpi.reading.registers.read_awards`), or its rows list several
    recipients in one cell each (held, the cells named: :mod:`kpi.reading.recipient_lists`); else 0."""
    shown = ("no_achievement_year", "award_column_missing", "recipients_in_one_cell", "recipients_lines_unclear")
    return int(any(i.code in shown for i in read.issues))


def note_unread_register(prep, decisions: dict[str, KindDecision]) -> None:
    """When no reader understood any sheet but one sheet's signs settle it as a register, say so
    (with the evidence and the columns a register needs) instead of "no indicator found", and mark
    the sheet (``prep.suggestions``) so that the layout asked of it is the register's
    (:func:`kpi.ingest_sheets.mapping_help`)."""
    for sheet_name, decision in decisions.items():
        if decision.kind in ("awards", "registrations"):
            prep.suggestions[sheet_name] = {"register": decision.kind}  # its layout is asked as a register's
            needs = phrase("needs_award_columns") if decision.kind == "awards" else phrase("needs_registration_columns")
            prep.issues.append(
                issue(
                    ERROR,
                    "register_columns_not_found",
                    sheet=sheet_name,
                    kind=KIND_WORDS_VI[decision.kind],
                    signs=decision.summary(),
                    needs=needs,
                )
            )
            return
