"""The numbers of a clause that may be targets (:mod:`kpi.plans.parse`, "How a line becomes
targets"): every number outside brackets, years, dates, document numbers, denominators and the
plan's counts of its own parts, with ranges ("45–55", "từ 1 đến 2"), counts of a total ("12/12
xã"), money in mixed units ("1.250 tỷ 300 triệu đồng") and moves ("từ 2% xuống còn 1,5%") read as
one :class:`Candidate` each."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from kpi.errors import NumberFormatError
from kpi.plans.vocabulary import PlanVocabulary, phrase_re
from kpi.vn import fold, parse_number

__all__ = ["Candidate", "find_candidates", "paren_depths", "plain_number"]

# ---------------------------------------------------------------------------------------------
# Numbers in a clause


def plain_number(value: Decimal | None) -> str:
    """A Decimal as ``indicators.csv`` writes it ("3300.9", no exponent); "" for ``None``."""
    if value is None:
        return ""
    text = format(value, "f")
    return text


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


_NUMBER = re.compile(r"(?<![\w/.,])(\d+(?:[.,]\d+)*)(?![\w/]|[.,]\d)")


@dataclass
class Candidate:
    """A number of a clause that may be a target: where it is, its value (``lo``, and ``hi`` for
    a range) and how it is written."""

    start: int
    end: int  # after the number (and "%" when written against it)
    lo: Decimal
    hi: Decimal | None
    text: str
    percent: bool
    decimals: int
    of: Decimal | None = None  # "12/12 xã": a count (lo) of this many
    scale: str = ""  # "1.250 tỷ 300 triệu đồng": the larger money word, the amount's unit
    from_level: Decimal | None = None  # "từ 2% xuống còn 1,5%": the level it starts from
    way: str = ""  # "<=" ("… xuống còn Y") or ">=" ("… lên Y") of a from-to figure


_FRACTION = re.compile(r"(?<![\w/.,])(\d{1,4})\s*/\s*(\d{1,4})(?![\w/]|[.,]\d)(?=\s+[^\W\d])")


def _fractions(text: str, lower: str, vocab: PlanVocabulary) -> list[Candidate]:
    """ "Duy trì 12/12 xã đạt chuẩn": counts N of M (``[fractions]``); N ≤ M, never a date or a
    document's number (a number after "ngày", "số" …)."""
    not_after = re.compile("(?:" + phrase_re(vocab._list("fractions", "not_after")).pattern + r")\s*$")
    out = []
    for m in _FRACTION.finditer(text):
        n, of = Decimal(m.group(1)), Decimal(m.group(2))
        if not 0 < n <= of or not_after.search(lower[max(0, m.start() - 16) : m.start()]):
            continue
        if vocab.patterns("not_targets", "after_patterns").search(fold(text[m.end() : m.end() + 40].lstrip())):
            continue  # "3/5 chỉ tiêu": the plan's own parts
        out.append(Candidate(m.start(), m.end(), n, None, m.group(0), False, 0, of=of))
    return out


def _money(text: str, raw: list[Candidate], vocab: PlanVocabulary) -> list[Candidate]:
    """ "1.250 tỷ 300 triệu đồng" → one amount, 1.250,3 with the unit "tỷ …" (``[money]``): a
    figure, a larger money word, a figure, a smaller one; "1 nghìn 250 tỷ đồng" → 1.250 "tỷ …": a
    figure and a counting word ("nghìn") smaller than the last word, then fewer than that count."""
    scale = {k.lower(): Decimal(v) for k, v in vocab.raw.get("money", {}).get("scale", {}).items()}
    if not scale:
        return raw
    words = "|".join(sorted(map(re.escape, scale), key=len, reverse=True))
    out: list[Candidate] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if i + 1 < len(raw) and c.hi is None and not c.percent and c.of is None:
            d = raw[i + 1]
            big = re.match(rf"\s+({words})\s+$", text[c.end : d.start], flags=re.I)
            small = re.match(rf"\s+({words})(?!\w)", text[d.end :], flags=re.I)
            if big and small and not d.percent and d.hi is None:
                b, s = scale[big.group(1).lower()], scale[small.group(1).lower()]
                unit_word = big.group(1) if s < b else small.group(1)
                if s < b:
                    # a larger word made of two ("nghìn tỉ"): the amount in its last ("2 nghìn tỉ 350
                    # triệu" is 2.000,35 tỷ, never 2,00035 nghìn tỷ), as the catalogue's money is written
                    unit_word = _last_scale_word(big.group(1), scale)
                    value = (c.lo * b + d.lo * s) / scale[unit_word.lower()]
                elif b < s and d.lo < b:  # "1 nghìn 250 tỷ đồng": the first word counts the last
                    value = c.lo * b + d.lo
                else:
                    value = None
                if value is not None:
                    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
                    end = d.end + small.end()
                    out.append(
                        Candidate(
                            c.start, end, value, None, text[c.start : end], False, _decimals(value), scale=unit_word
                        )
                    )
                    i += 2
                    continue
        out.append(c)
        i += 1
    return out


def _last_scale_word(word: str, scale: dict[str, Decimal]) -> str:
    """``word`` itself, or its last word when each of its words is a money word of its own ("nghìn
    tỉ" → "tỉ"; ``[money.scale]``)."""
    parts = word.split()
    return parts[-1] if len(parts) > 1 and all(p.lower() in scale for p in parts) else word


def paren_depths(text: str) -> list[int]:
    depths, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
            depths.append(depth)
            continue
        depths.append(depth)
        if ch == ")" and depth:
            depth -= 1
    return depths


def _read_number(token: str) -> Decimal | None:
    try:
        value = parse_number(token, "vi").value
    except NumberFormatError:
        return None
    return value


def find_candidates(text: str, vocab: PlanVocabulary) -> list[Candidate]:
    """Numbers of a clause that may be targets, ranges merged (see the module's rules)."""
    depths = paren_depths(text)
    lower = text.lower()
    raw: list[Candidate] = []
    year_lo, year_hi = vocab.raw["time"]["first_year"], vocab.raw["time"]["last_year"]
    year_lead = vocab.year_lead_re
    denominators = [(m.start(), m.end()) for m in vocab.denominator_re.finditer(lower)]
    periods = phrase_re(vocab._list("time", "periods"))
    ordinal = re.compile("(?:" + phrase_re(vocab._list("ordinals", "lead")).pattern + r")\s+$")
    counts_parts = vocab.patterns("not_targets", "after_patterns")
    fractions = _fractions(text, lower, vocab)
    for m in _NUMBER.finditer(text):
        start, end = m.span(1)
        if depths[start] > 0:
            continue
        before = text[:start]
        if before.endswith("-") and len(before) >= 2 and before[-2].isalpha():
            continue  # Covid-19
        if any(ds <= start < de for ds, de in denominators):
            continue
        if ordinal.search(lower[max(0, start - 12) : start]):
            continue  # "con thứ 3": part of a name
        value = _read_number(m.group(1))
        if value is None:
            continue
        if before.endswith("-") and (len(before) == 1 or before[-2] in " \t(:"):
            # "đạt -100 tỷ đồng": a minus against the figure is kept, for the target check to
            # refuse; "12 - 15" (spaced) and "12-15" (a range) never reach here with a sign
            value, start = -value, start - 1
        is_year = value == value.to_integral_value() and year_lo <= value <= year_hi and "," not in m.group(1)
        if is_year:
            tail = lower[:start].rstrip()
            lead = year_lead.search(tail[-24:]) if tail else None
            joined = re.match(r"\s*-\s*(\d{4})\b", text[end:]) or re.search(r"\b\d{4}\s*-\s*$", text[:start])
            if (lead and lead.end() == len(tail[-24:])) or joined:
                continue
        following = periods.match(lower[end:].lstrip())
        if following and text[end : end + 1].isspace():
            continue  # "05 năm", "6 tháng": a length of time
        percent = False
        pm = re.match(r"\s?%", text[end:])
        if pm:
            percent = True
            end += pm.end()
        elif counts_parts.search(fold(text[end : end + 40].lstrip())):
            continue  # "20 chỉ tiêu chủ yếu", "3 khâu đột phá": the plan counting its own parts
        raw.append(Candidate(start, end, value, None, m.group(1), percent, _decimals(value)))
    raw = _money(text, sorted(raw + [f for f in fractions if depths[f.start] == 0], key=lambda c: c.start), vocab)
    merged = _from_to(text, lower, _ranges(text, lower, raw, vocab), vocab)
    return merged


def _from_to(text: str, lower: str, raw: list[Candidate], vocab: PlanVocabulary) -> list[Candidate]:
    """ "từ 2% xuống còn 1,5%", "tăng từ 45 lên 50": one figure, the second, whose direction is
    the move's (``[range] from_down`` / ``from_up``) and whose baseline is the first."""
    ways = [("<=", vocab._list("range", "from_down")), (">=", vocab._list("range", "from_up"))]
    verbs = "|".join(re.escape(v.lower()) for v in vocab._list("range", "from_verbs"))
    out: list[Candidate] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if i + 1 < len(raw) and c.hi is None and raw[i + 1].hi is None:
            d = raw[i + 1]
            lead = re.search(r"(?:^|\s)từ\s+$", lower[: c.start])
            gap = re.sub(r"\s+", " ", lower[c.end : d.start]).strip()
            way = next((w for w, words in ways if gap in words), "")
            if lead and way:
                start = lead.start() + (1 if lead.group(0)[0].isspace() else 0)
                verb = re.search(rf"(?:^|\s)(?:{verbs})\s+$", lower[:start]) if verbs else None
                if verb:  # "tăng từ 75% lên 80%": the verb is the move's, not the name's
                    start = verb.start() + (1 if verb.group(0)[0].isspace() else 0)
                out.append(replace(d, start=start, text=text[start : d.end], from_level=c.lo, way=way))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


def _ranges(text: str, lower: str, raw: list[Candidate], vocab: PlanVocabulary) -> list[Candidate]:
    """Ranges: "45 đến 55", "01 - 02", "từ 12 đến 15" (the first's "%" may be repeated or not)."""
    between = "|".join((r"\s*-\s*" if w == "-" else r"\s+" + re.escape(w) + r"\s+") for w in vocab.range_between)
    merged: list[Candidate] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if i + 1 < len(raw):
            d = raw[i + 1]
            gap = text[c.end : d.start]
            lead = re.search(r"(?:^|\s)từ\s+$", lower[: c.start])
            worded = lead is not None or not re.fullmatch(r"\s*-\s*", gap)
            # "từ 15 đến 12" is a range even upside down (the target check refuses it); two
            # figures joined by a bare dash only when they rise ("12 - 15", not "2024 - 5")
            plain = c.of is None and d.of is None and not c.scale and not d.scale
            if plain and re.fullmatch(f"(?:{between})", gap, flags=re.I) and (d.lo >= c.lo or worded):
                start = lead.start() + (1 if lead.group(0)[0].isspace() else 0) if lead else c.start
                merged.append(
                    Candidate(
                        start,
                        d.end,
                        c.lo,
                        d.lo,
                        text[start : d.end],
                        c.percent or d.percent,
                        max(c.decimals, d.decimals),
                    )
                )
                i += 2
                continue
        merged.append(c)
        i += 1
    return merged
