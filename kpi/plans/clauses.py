"""A clause → targets (:mod:`kpi.plans.parse`, "How a line becomes targets" and "Direction"): the
words around each candidate figure — its unit, its label or the words it shares with the figures
before it, its direction — read left to right into :class:`Found` targets, and what the clause
leaves unread."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kpi.plans.clause_numbers import Candidate, find_candidates, paren_depths
from kpi.plans.directions import (
    DEFAULT_DIRECTION,
    ONLY_NEXT,
    direction_of,
    growth_name,
    increment_word,
    is_rate,
    listed,
    relative_cut,
    rise_reading,
)
from kpi.plans.units import complete_unit, normalise_unit
from kpi.plans.vocabulary import RECIPIENT_UNITS, PlanVocabulary, award_rule
from kpi.vn import clean_text, fold

__all__ = [
    "DEFAULT_DIRECTION",
    "ONLY_NEXT",
    "Found",
    "parse_clause",
    "split_clauses",
    "strip_numbering",
    "bulleted",
    "normalise_unit",
    "complete_unit",
    "capitalise",
    "is_rate",
]

# ---------------------------------------------------------------------------------------------
# Words around a figure


_HARD_DELIMITER = re.compile(r"[;:()]|[,.](?=\s|$)|$")
_SEPARATORS = re.compile(r"^[\s,;.\-–]*(?:(?:và|hoặc)\s+)?", re.I)
_BULLET = re.compile(r"^\s*(?:[-+*•·–]\s*)+")
_NUMBERING = re.compile(
    r"^\s*(?:\((?P<paren>\d{1,3}|[a-zđ])\)|(?P<dotted>\d{1,2}(?:\.\d{1,2})*)[.)](?=\s)"
    r"|(?P<subdotted>\d{1,2}(?:\.\d{1,2})+)(?=\s)|(?P<letter>[a-zđ])[.)](?=\s)"
    r"|(?P<roman>[IVX]{1,4})[.)](?=\s)|(?P<upper>[A-ZĐ])[.)](?=\s)"
    r"|(?P<article>(?:Điều|Mục|Phần|Chương)\s+\d{1,2})[.:](?=\s))\s*"
)


def bulleted(text: str) -> bool:
    """Whether a line starts with a bullet ("-", "+", "•" …): an item of a list."""
    return bool(_BULLET.match(text))


def strip_numbering(text: str) -> tuple[str, str, str]:
    """(text without bullets and numbering, the numbering as written, its kind:
    ``roman``, ``upper``, ``dotted``, ``letter``, ``paren`` or "")."""
    text = _BULLET.sub("", text)
    m = _NUMBERING.match(text)
    if not m:
        return text.strip(), "", ""
    kind = next(k for k, v in m.groupdict().items() if v)
    numbering = m.group(0).strip()
    if kind in ("dotted", "subdotted"):
        kind = f"dotted{numbering.rstrip('.)').count('.') + 1}"
    return text[m.end() :].strip(), numbering, kind


def _peel_end(text: str, vocab: PlanVocabulary) -> tuple[list[str], str]:
    """Value words at the end of ``text`` (nearest the figure first) and what remains before.

    ``text`` is what stands before a figure, so a word that only ever follows a figure ("trở lên",
    "trở xuống": ``[directions] after_at_least``/``after_at_most``) closes the words before it, not
    this figure's: «sinh con thứ 3 trở lên», «OCOP đạt 3 sao trở lên», «hoàn thành tốt nhiệm vụ trở
    lên» keep it in their name, and no word before it is peeled."""
    words: list[str] = []
    rest = text.rstrip()
    word_re, after_re = vocab.value_word_re, vocab.after_re
    while rest:
        low = rest.lower()
        found = None
        for m in word_re.finditer(low):
            if m.end() == len(low) and (found is None or m.start() < found.start()):
                found = m
        if found is None or after_re.fullmatch(found.group(0)):
            break
        words.append(re.sub(r"\s+", " ", found.group(0)))
        rest = rest[: found.start()].rstrip()
    return words, rest


def _after_figure(text: str, c: Candidate, vocab: PlanVocabulary) -> dict:
    """What follows a figure up to the next delimiter: its unit words, and whether the figure
    ends a clause (``trailing``) — at most four words before a delimiter or "trở lên"."""
    rest = text[c.end :]
    stop = _HARD_DELIMITER.search(rest)
    segment = rest[: stop.start()] if stop else rest
    known = vocab.known_units_re.match(rest.lstrip().lower())
    lead = len(rest) - len(rest.lstrip())
    if known and not c.percent and lead + known.end() > len(segment):
        # "cho 01 - 02 tập thể, cá nhân (tiêu biểu)": a known unit that holds a comma, its words after
        stop = _HARD_DELIMITER.search(rest, lead + known.end())
        segment = rest[: stop.start()]
    after = vocab.after_re.search(segment.lower())
    soft_stop = re.search(r"\s(?:so với|và|trong đó)\s", " " + segment.lower() + " ")
    cut = len(segment)
    if after:
        cut = min(cut, after.start())
    if soft_stop:
        cut = min(cut, max(soft_stop.start() - 1, 0))
    unit_words = segment[:cut].strip()
    words = unit_words.split()
    trailing = len(words) <= 4 or (c.percent and len(words) <= 6)
    if stop and rest[stop.start() : stop.start() + 1] == ":" and (cut == len(segment) or after):
        # "dưới 5 tuổi suy dinh dưỡng: 8%", "OCOP đạt 3 sao trở lên: 6 - 8 sản phẩm": a number
        # of a label before its colon
        trailing = False
    return {"unit_words": unit_words, "trailing": trailing, "end": c.end + len(segment[:cut].rstrip())}


def capitalise(text: str) -> str:
    text = text.strip(" ,;:.-")
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------------------------------------
# Directions and names


@dataclass
class Found:
    """A target found in a clause, before :func:`kpi.plans.parse.parse_plan` matches it to the catalogue."""

    label: str
    name: str
    unit: str
    cand: Candidate
    direction: str
    direction_from: str
    source: str
    note: str = ""
    plan_no: str = ""
    part_of_previous: bool = False
    baseline: Decimal | None = None
    increment: str = ""  # "có thêm": the figure is added this year, not a total
    total: Candidate | None = None  # "…, nâng tổng số lên 25 khu": the total the figure brings to
    total_words: str = ""  # the words giving it, and its unit, as written ("nâng tổng số lên 25 khu")
    growth: bool = False  # "Tổng vốn đầu tư tăng 10%": the growth rate of what the label names, never it
    shares_label: bool = False  # "Bằng khen …: 02 tập thể và 03 cá nhân": named by the previous one's words


def _clean_label(label: str, vocab: PlanVocabulary) -> tuple[str, list[str], bool, str]:
    """A label → (name words, direction words opening it, whether it is part of the previous
    target, numbering)."""
    text, numbering, _kind = strip_numbering(clean_text(label))
    text = _SEPARATORS.sub("", text)
    part = False
    m = vocab.part_of_previous_re.match(text.lower())
    if m:
        part = True
        text = text[m.end() :].lstrip(" ,:")
    lead_words: list[str] = []
    while True:
        m = vocab.label_lead_re.match(text.lower())
        if not m or m.end() >= len(text.rstrip()):
            break
        lead_words.append(re.sub(r"\s+", " ", m.group(0)))
        text = text[m.end() :].lstrip(" ,:")
    _words, text = _peel_end(text, vocab)
    return text.strip(" ,;:.-"), lead_words, part, numbering


def _is_action(label: str, vocab: PlanVocabulary) -> bool:
    """Whether a label names an action, not a measure ("Hoàn thành", "Phấn đấu giải ngân":
    ``[names] action_patterns``): the words after its percentage name the target, however many."""
    name = _clean_label(label, vocab)[0] if label.strip() else ""
    return bool(name) and bool(vocab.patterns("names", "action_patterns").search(fold(name).strip()))


def _lead_only(text: str, vocab: PlanVocabulary) -> list[str] | None:
    """The words of ``text`` when it is made of label-opening words only ("Công nhận", "Duy trì"),
    nearest the figure first; else ``None``."""
    rest, words = text.strip(" ,;:.-"), []
    while rest:
        m = vocab.label_lead_re.match(rest.lower())
        if not m or not m.group(0).strip():
            return None
        words.append(re.sub(r"\s+", " ", m.group(0)))
        rest = rest[m.end() :].strip(" ,;:.-")
    return list(reversed(words)) if words else None


def _split_pre(pre: str) -> tuple[str, str]:
    """The text between the previous target and a figure → (intro, label + value words).
    Colons inside brackets are ignored."""
    depths = paren_depths(pre)
    colons = [i for i, ch in enumerate(pre) if ch == ":" and depths[i] == 0]
    if not colons:
        return "", pre
    last = colons[-1]
    head, tail = pre[:last], pre[last + 1 :]
    earlier = [i for i in colons[:-1]]
    return (pre[: earlier[-1]] if earlier else ""), (head[(earlier[-1] + 1) if earlier else 0 :] + ":" + tail)


def _label_and_value(pre: str, vocab: PlanVocabulary) -> tuple[str, str, list[str]]:
    """(intro, label, value words nearest-first) for a trailing figure."""
    pre = _SEPARATORS.sub("", pre)
    intro, rest = _split_pre(pre)
    if ":" in rest:
        label, tail = rest.rsplit(":", 1)
        words, head = _peel_end(tail, vocab)
        if head.strip(" ,"):
            # Words after the colon name the target: the part before it is an intro.
            intro = ": ".join(p for p in (intro, label) if p.strip())
            label = head
        return intro.strip(), label.strip(), words
    words, head = _peel_end(rest, vocab)
    return intro.strip(), head.strip(), words


def _unit_and_words(words: str, vocab: PlanVocabulary) -> tuple[str, str]:
    """Words after a trailing figure → (its unit, words that belong to the name): a known unit
    followed by more words ("ha rừng tập trung" → "ha", "rừng tập trung"), or by a per-what with
    words of its own ("triệu đồng/ha đất canh tác" → "triệu đồng", "/ha đất canh tác": the name's
    per-what completes the unit, :func:`complete_unit`); else all of them are the unit. A unit
    completed by "/…" alone ("triệu đồng/người/năm", "triệu đồng/ha") is never split."""
    m = vocab.known_units_re.match(words.lower())
    if not m:
        return words, ""
    rest = words[m.end() :]
    if not re.match(r"\s+[^\W\d]", rest) and not _per_what_named(rest, vocab):
        return words, ""
    return words[: m.end()], rest.strip()


def _per_what_named(text: str, vocab: PlanVocabulary) -> bool:
    """Whether ``text`` opens with a per-what followed by words ("/ha đất canh tác", "trên 1 ha
    đất nông nghiệp"), not by another "/…" ("/người/năm")."""
    m = vocab.denominator_re.match(text.lstrip().lower())
    return bool(m) and bool(re.match(r"\s+[^\W\d]", text.lstrip()[m.end() :]))


def _named_after_unit(label: str, unit_words: str, vocab: PlanVocabulary) -> bool:
    """Whether the words after a figure are its unit and words of its own however many: a per-what
    and what it is of ("135 triệu đồng/ha đất canh tác"), or an award's recipients and which ones
    ("tặng Cờ thi đua cho 01 tập thể dẫn đầu khối thi đua")."""
    unit, named = _unit_and_words(unit_words, vocab)
    if not named:
        return False
    return _per_what_named(unit_words[len(unit) :], vocab) or _recipients_of_award(label, unit, vocab)


def _recipients_of_award(label: str, unit: str, vocab: PlanVocabulary) -> bool:
    """Whether a figure in ``unit`` counts the recipients of the award its ``label`` names: the
    words after the unit then say which ones (a note), never the name."""
    return normalise_unit(unit, vocab) in RECIPIENT_UNITS and award_rule(label, vocab) is not None


def _leading_unit(text: str, c: Candidate, vocab: PlanVocabulary) -> tuple[str, int]:
    """Unit right after a leading figure (the longest known unit, else "%", else one word) and
    where it ends."""
    if c.percent:
        return "%", c.end
    rest = text[c.end :]
    if c.scale:  # "1.250 tỷ 300 triệu đồng": the larger word and what follows the smaller one
        m = vocab.known_units_re.match(f"{c.scale} {rest.lstrip()}".lower())
        end = max(m.end() - len(c.scale) - 1, 0) if m else 0
        return f"{c.scale} {rest.lstrip()[:end]}".strip(), c.end + len(rest) - len(rest.lstrip()) + end
    lead = len(rest) - len(rest.lstrip())
    m = vocab.known_units_re.match(rest.lstrip().lower())
    if m:
        return rest.lstrip()[: m.end()], c.end + lead + m.end()
    w = re.match(r"\S+", rest.lstrip())
    if not w:
        return "", c.end
    return w.group(0).strip(",;."), c.end + lead + w.end()


# ---------------------------------------------------------------------------------------------
# A clause → targets


def parse_clause(text: str, vocab: PlanVocabulary, numbering: str = "") -> tuple[list[Found], list[tuple[str, str]]]:
    """Targets of one clause and the pieces it leaves unread (``(text, why)``): the clause's
    candidates read left to right (:class:`_ClauseReader`). A total closing the clause ("Tăng thêm
    5 khu …, nâng tổng số lên 25 khu") is the last target's :attr:`Found.total`, not a target."""
    head, total, words = _total_part(text, vocab)
    if total is not None:
        found, leftovers = _ClauseReader(head, vocab, numbering).read()
        if found:
            found[-1].total, found[-1].total_words = total, words
            for f in found:
                f.source = text.strip()
            return found, leftovers
    return _ClauseReader(text, vocab, numbering).read()


def _total_part(text: str, vocab: PlanVocabulary) -> tuple[str, Candidate | None, str]:
    """A clause ending in ", <total words> N <unit>" (``[directions] total``) → (the clause before
    it, N, the words as written); else ``(text, None, "")``."""
    for m in vocab.total_re.finditer(text.lower()):
        before = text[: m.start()]
        if not re.search(r"(?:,|\svà)\s*$", before):
            continue
        tail = text[m.end() :]
        cands = find_candidates(tail, vocab)
        if not cands or tail[: cands[0].start].strip() or cands[0].hi is not None:
            continue
        _unit, end = _leading_unit(tail, cands[0], vocab)
        if _words_left(tail[end:]):
            continue  # more words after the total: not a closing total
        head = re.sub(r"(?:,|\svà)\s*$", "", before)
        return head, cands[0], clean_text(text[m.start() : m.end() + end])
    return text, None, ""


class _ClauseReader:
    """One clause read left to right, a candidate at a time (the module docstring's "How a line
    becomes targets"): a *trailing* figure after a label, a *leading* figure (or a chain of them
    sharing the words after them), or a number inside a label.

    :ivar pos: where the text not yet given to a target starts.
    :ivar chain: leading figures waiting for their shared words: ``(candidate, unit, value words)``.
    :ivar last_trailing: the last trailing target, whose label a bare figure right after it shares
        ("Bằng khen …: 06 tập thể và 15 cá nhân").
    """

    def __init__(self, text: str, vocab: PlanVocabulary, numbering: str) -> None:
        self.text, self.vocab, self.numbering = text, vocab, numbering
        self.cands = find_candidates(text, vocab)
        self.found: list[Found] = []
        self.leftovers: list[tuple[str, str]] = []
        self.pos = 0
        self.chain: list[tuple[Candidate, str, list[str]]] = []
        self.last_trailing: Found | None = None
        self.last_words: list[str] = []  # the last trailing target's value words
        self.asked: set[int] = set()  # targets already told a later figure's word is not theirs
        self.list_start = 0  # where the figures sharing the last trailing target's label start

    def read(self) -> tuple[list[Found], list[tuple[str, str]]]:
        for i, c in enumerate(self.cands):
            self._candidate(i, c)
        self._rest()
        return self.found, self.leftovers

    def _candidate(self, i: int, c: Candidate) -> None:
        """Read candidate ``c`` (the ``i``-th): as a figure sharing the last label, a leading
        figure, a trailing one, or a number that stays in its label."""
        text, vocab = self.text, self.vocab
        pre = text[self.pos : c.start]
        peeled, rest_label = _peel_end(_SEPARATORS.sub("", pre), vocab)
        leads = _lead_only(rest_label, vocab)
        if leads is not None and not self.found and not self.chain:  # "Công nhận 30 tập thể đạt …"
            peeled, rest_label = peeled + leads, ""
        bare = not rest_label.strip(" ,;:.-")
        if bare and self.last_trailing is not None and not self.chain:
            after = _after_figure(text, c, vocab)
            if after["trailing"]:
                if not listed(peeled, vocab):
                    # "không quá 20 cá nhân và 8 tập thể": the word before the list is each one's
                    peeled = peeled + self.last_words
                else:
                    self._only_next(self.list_start, peeled, f"{c.text} {after['unit_words']}".strip())
                self.pos = self._trailing(c, after, "", self.last_trailing.label, peeled, shared=True)
                self.last_trailing = self.found[-1] if self.found else None
                return
        if bare:
            self._leading(i, c, peeled)
            return
        after = _after_figure(text, c, vocab)
        if not after["trailing"] and not (
            (c.percent and _is_action(rest_label, vocab)) or _named_after_unit(rest_label, after["unit_words"], vocab)
        ):
            return  # a number inside a label ("dưới 5 tuổi"): it stays in the name
        intro, label, value_words = _label_and_value(pre, vocab)
        if intro:
            self.leftovers.append((intro, "intro"))
        count = len(self.found)
        self.last_words, self.list_start = value_words, count
        self.pos = self._trailing(c, after, intro, label, value_words, shared=False)
        self.last_trailing = self.found[-1] if len(self.found) > count else None

    def _trailing(self, c: Candidate, after: dict, intro: str, label: str, value_words: list[str], shared: bool) -> int:
        """Add a trailing target; returns where it ends."""
        text, vocab = self.text, self.vocab
        end, after_words, note = self._trailing_tail(after["end"])
        name_words, lead_words, part, label_no = _clean_label(label, vocab)
        unit_words, named = _unit_and_words(after["unit_words"], vocab)
        if named and _recipients_of_award(name_words, unit_words, vocab):
            # "tặng Cờ thi đua cho 01 tập thể dẫn đầu khối thi đua": which recipients, a note
            note = "; ".join(x for x in (note, f"sau số ghi «{named}»") if x)
        elif named and not c.scale:
            # "Trồng mới 800 ha rừng tập trung": "ha", "… rừng tập trung"; "…/ha đất canh tác"
            name_words = f"{name_words}{'' if named.startswith('/') else ' '}{named}"
        else:
            unit_words = after["unit_words"]
        unit = normalise_unit(f"{c.scale} {unit_words}", vocab) if not c.percent else "%"
        extra = after["unit_words"] if c.percent else ""
        if extra and _is_action(name_words, vocab):  # "Hoàn thành 100% chỉ tiêu giao quân": its object
            name_words, extra = f"{name_words} {extra}", ""
        if extra:
            note = "; ".join(x for x in (note, f"sau số ghi «{extra}»") if x)
        if intro:
            note = "; ".join(x for x in (f"lời dẫn: «{intro}»", note) if x)
        if not name_words:
            self.leftovers.append((text[self.pos : end].strip(" ,;"), "no_name"))
            return end
        name = capitalise(name_words)
        if shared and self.found:
            # "Bằng khen của Chủ tịch UBND tỉnh: 06 tập thể và 15 cá nhân": one label, two targets.
            first = self.found[-1]
            if not first.name.endswith(f"({first.unit})"):
                first.name = f"{first.name} ({first.unit})"
            name = f"{name} ({unit})"
        direction, why, dnote = direction_of(c, value_words, after_words, lead_words, name_words, unit, vocab)
        if not direction:  # a percentage cut or rise not understood: asked, why in ``why``
            self.leftovers.append((text[self.pos : end].strip(" ,;"), why))
            return end
        growth = rise_reading([*value_words, *lead_words], name_words, unit, vocab) == "growth"
        if growth:
            name = growth_name(name, vocab)  # "Tổng giá trị sản xuất tăng 9,2%": its growth rate
        self.found.append(
            Found(
                label=label.strip(),
                name=name,
                unit=complete_unit(unit, name_words, vocab),
                cand=c,
                direction=direction,
                direction_from=why,
                source=text.strip(),
                note="; ".join(x for x in (note, dnote) if x),
                plan_no=label_no or self.numbering,
                part_of_previous=part,
                increment=increment_word(value_words, vocab, unit),
                growth=growth,
                shares_label=shared,
            )
        )
        return end

    def _trailing_tail(self, end: int) -> tuple[int, str, str]:
        """What follows a trailing figure's unit words from ``end``: the after words ("trở lên"),
        a bracketed note and a "so với …" comparison; returns ``(end, after words, note)``."""
        text = self.text
        tail = text[end:]
        after_m = self.vocab.after_re.match(tail.lstrip().lower())
        after_words = ""
        if after_m:
            after_words = after_m.group(0)
            end += len(tail) - len(tail.lstrip()) + after_m.end()
        note = ""
        paren = re.match(r"\s*\(([^()]*)\)", text[end:])
        if paren:
            note = clean_text(paren.group(1))
            end += paren.end()
        compared = re.match(r"\s*(so với[^,;()]*?)\s*(?=[,;()]|[.]\s|[.]?$)", text[end:], flags=re.I)
        if compared:
            note = "; ".join(x for x in (note, clean_text(compared.group(1))) if x)
            end += compared.end()
        return end, after_words, note

    def _leading(self, i: int, c: Candidate, peeled: list[str]) -> None:
        """A leading figure: its unit, then the words naming it (shared with the figures before
        it when only "," or "và" separates them: the chain waits for the next one)."""
        text, cands = self.text, self.cands
        unit, unit_end = _leading_unit(text, c, self.vocab)
        nxt = cands[i + 1].start if i + 1 < len(cands) else len(text)
        between = text[unit_end:nxt]
        self.chain.append((c, unit, peeled))
        _words, joined = _peel_end(_SEPARATORS.sub("", between), self.vocab)
        if i + 1 < len(cands) and not _SEPARATORS.sub("", joined).strip():  # "06 tập thể và không quá 15 …"
            self.pos = unit_end
            return
        words = between
        if ":" in words:
            colon = words.index(":")
            comma = words.rfind(",", 0, colon)
            words = words[:comma] if comma >= 0 else ""
            self.pos = unit_end + (comma + 1 if comma >= 0 else 0)
        else:
            self.pos = nxt
        after = self.vocab.after_re.match(words.strip().lower())
        after_words = after.group(0) if after else ""
        if after:
            words = words.strip()[after.end() :]
        shared, note = _split_note(words)
        shared = re.sub(r"[\s,;.]*(?:và|hoặc)?\s*$", "", shared).strip(" ,;.")
        if not shared:
            self.leftovers.append((text[self.chain[0][0].start : self.pos].strip(), "no_name"))
            self.chain = []
            return
        self._chain_targets(shared, note, after_words)

    def _chain_targets(self, shared: str, note: str, after_words: str) -> None:
        """One target per figure of the chain, named by its unit and the ``shared`` words ("Tỷ lệ
        …" for a percentage, "Số <unit> …" else)."""
        vocab = self.vocab
        lead: list[str] = []
        start = len(self.found)
        for cc, cunit, cwords in self.chain:
            if listed(cwords, vocab):
                lead = cwords
                self._only_next(start, cwords, f"{cc.text} {clean_text(cunit)}".strip())
            else:
                cwords = cwords + lead  # "tối thiểu 05 tập thể, 14 cá nhân": each one's
            cunit_n = normalise_unit(cunit, vocab)
            rise = rise_reading(cwords, shared, cunit_n, vocab)
            not_understood = relative_cut(cwords, shared, cunit_n, vocab) or rise.replace("growth", "")
            if not_understood:  # "Giảm 5% số vụ …": as "Số vụ … giảm 5%", never "Tỷ lệ số vụ …"
                self.leftovers.append((self.text.strip(" ,;."), not_understood))
                continue
            if rise:  # "Tăng 10% lượng khách du lịch": its growth rate
                name = growth_name(shared, vocab)
            elif cunit_n == "%" and is_rate(shared, "", vocab):  # "Giảm 0,5% tỷ lệ hộ nghèo": its own name
                name = shared
            elif cunit_n == "%":
                name = f"{vocab.raw['names']['share_prefix']} {shared}"
            else:
                name = f"{vocab.raw['names']['count_prefix']} {clean_text(cunit).lower()} {shared}"
            direction, why, dnote = direction_of(cc, cwords, after_words, [], name, cunit_n, vocab)
            if not direction:  # "Giảm 20 vụ cháy": asked, why in ``why``
                self.leftovers.append((self.text.strip(" ,;."), why))
                continue
            self.found.append(
                Found(
                    label=shared,
                    name=capitalise(name),
                    unit=complete_unit(cunit_n, shared, vocab),
                    cand=cc,
                    direction=direction,
                    direction_from=why,
                    source=self.text.strip(),
                    note="; ".join(x for x in (note, dnote) if x),
                    plan_no=self.numbering,
                    increment=increment_word(cwords, vocab, cunit_n),
                    growth=bool(rise),
                    shares_label=len(self.found) > start,
                )
            )
        self.chain = []
        self.last_trailing = None

    def _only_next(self, start: int, words: list[str], figure: str) -> None:
        """A direction word of a listed figure (``words``, written as ``figure``) is not the figures'
        before it from ``start`` on: those that took the default say so (:data:`ONLY_NEXT`)."""
        word = next(w for w in words if w in self.vocab.at_least or w in self.vocab.at_most or w in self.vocab.decrease)
        for f in self.found[start:]:
            if f.direction_from == DEFAULT_DIRECTION and id(f) not in self.asked:
                self.asked.add(id(f))  # the nearest word after it only
                f.note = "; ".join(x for x in (f.note, ONLY_NEXT.format(word=word, next=figure)) if x)

    def _rest(self) -> None:
        """What the last target left: a chain without words, or words — a clause whose figures
        named nothing we could read is "not understood", not "no figure"."""
        text = self.text
        rest = text[self.pos :].strip(" ,;.")
        if self.chain:
            self.leftovers.append((text[self.chain[0][0].start :].strip(), "no_name"))
        elif rest and (not self.found or _words_left(rest)):
            self.leftovers.append((rest, "no_name" if self.cands and not self.found else "no_figure"))


def _words_left(text: str) -> bool:
    return bool(re.search(r"\w{2,}", text))


def _split_note(words: str) -> tuple[str, str]:
    """Words naming a leading target, and a bracketed remark after them (a note)."""
    m = re.search(r"\(([^()]*)\)\s*[.;,]?\s*$", words)
    if m:
        return words[: m.start()], clean_text(m.group(1))
    return words, ""


def split_clauses(text: str) -> list[str]:
    """A line cut at ";" (outside brackets)."""
    depths = paren_depths(text)
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch == ";" and depths[i] == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]
