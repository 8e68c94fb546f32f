"""Matching a found target to the base catalogue (:mod:`kpi.plans.parse`, "Keys"), and how a target
the catalogue does not know combines (:func:`proposed_kinds`)."""

from __future__ import annotations

import re
from dataclasses import replace

from kpi.domain.plan import Catalogue, Indicator
from kpi.plans.clauses import Found
from kpi.plans.vocabulary import RECIPIENT_UNITS, PlanVocabulary, award_rule, expand_abbreviations
from kpi.vn import fold, format_number, match_key

__all__ = ["TOGETHER", "counted_together", "match_target", "near_keys", "proposed_kinds"]

#: The note of collectives and individuals a plan counts apart for an award the catalogue counts
#: together (TD03, «tập thể, cá nhân»): one target, their sum, the reviewer asked.
TOGETHER = "văn bản ghi «{written}», {key} đếm chung: đề xuất tổng {total} — hãy kiểm tra"

# ---------------------------------------------------------------------------------------------
# Matching to the catalogue


_WORD = re.compile(r"\w+")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(re.sub(r"\([^)]*\)", " ", text))))


def match_target(catalogue: Catalogue | None, f: Found, vocab: PlanVocabulary) -> tuple[Indicator | None, str]:
    """The catalogue indicator a found target is, and how it was matched."""
    if catalogue is None:
        return None, ""
    # a growth rate is never what its label names («Tổng vốn đầu tư toàn xã hội tăng 10%» is no CT01)
    label = "" if f.growth else f.label
    forms = [f.name, label, expand_abbreviations(f.name, vocab), expand_abbreviations(label, vocab) if label else ""]
    if f.unit == "%" and not vocab.patterns("names", "rate_patterns").search(fold(f.name)):
        forms.append(f"{vocab.raw['names']['share_prefix']} {f.name}")
    # The plan's own words may give the indicator's name in one form (abbreviations written out)
    # and another name of it in another: the name wins, so «đúng tên» is said whenever it is one.
    found = [m for form in dict.fromkeys(x for x in forms if x) if (m := catalogue.match_indicator(form))]
    if found:
        m = next((m for m in found if m.how != "alias"), found[0])
        return catalogue[m.value], m.how
    kinds = proposed_kinds(f.name, f.unit, "", vocab)
    if kinds["award"]:
        # The award, who confers it and the recipient say which target it is, however the plan
        # words it («Đề nghị Thủ tướng Chính phủ tặng Bằng khen cho 01 - 02 tập thể, cá nhân»).
        key = catalogue.award_key(kinds["award"], f.unit) or next(
            (
                i.key
                for i in catalogue.indicators
                if i.award == kinds["award"] and match_key(i.recipient) == match_key(f.unit)
            ),
            None,
        )
        if key is not None:
            return catalogue[key], "award"
    ranked = _ranked(catalogue, f, vocab)
    if not ranked or ranked[0][1] < 0.7:
        return None, ""
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.1:
        return None, ""
    ind = catalogue[ranked[0][0]]
    if not _unit_fits(catalogue, f.unit, ind):
        return None, ""
    return ind, "similar"


def counted_together(
    found: list[Found], catalogue: Catalogue | None, vocab: PlanVocabulary
) -> tuple[list[Found], list[int]]:
    """``found`` with each pair named by one label that counts the recipients of an award the
    catalogue counts together as one target («Bằng khen của Thủ tướng Chính phủ: 02 tập thể và 03
    cá nhân» → TD03, 5 «tập thể, cá nhân», :data:`TOGETHER` noted) — never TD03 in «tập thể» beside
    a second «(cá nhân)» it was given to already; and the indexes of ``found`` kept, in order. A
    pair whose recipients have keys of their own (TD06, TD07) or whose directions differ stays two."""
    out: list[Found] = []
    kept: list[int] = []
    i = 0
    while i < len(found):
        merged = _together(found[i], found[i + 1], catalogue, vocab) if i + 1 < len(found) else None
        out.append(merged or found[i])
        kept.append(i)
        i += 2 if merged else 1
    return out, kept


def _together(f: Found, g: Found, catalogue: Catalogue | None, vocab: PlanVocabulary) -> Found | None:
    """``f`` and the next target ``g`` as one (:func:`counted_together`), or ``None``."""
    if catalogue is None or not g.shares_label or f.direction != g.direction or f.unit == g.unit:
        return None
    a, b = match_target(catalogue, f, vocab)[0], match_target(catalogue, g, vocab)[0]
    if a is None or b is None or a.key != b.key:
        return None
    if {match_key(f.unit), match_key(g.unit)} != {match_key(x) for x in a.recipient.split(",")}:
        return None
    c, d = f.cand, g.cand
    hi = None if c.hi is None else c.hi + d.hi
    written = f"{c.text} {f.unit} và {d.text} {g.unit}"
    total = format_number(c.lo + d.lo) + ("" if hi is None else f"–{format_number(hi)}")
    note = TOGETHER.format(written=written, key=a.key, total=total)
    return replace(
        f,
        name=f.name.removesuffix(f" ({f.unit})"),
        unit=a.unit,
        cand=replace(c, lo=c.lo + d.lo, hi=hi, text=written, decimals=max(c.decimals, d.decimals)),
        note="; ".join(x for x in (f.note, g.note, note) if x),
    )


#: How much a unit of one measure adds to the share of words two names have (:func:`near_keys`),
#: divided among the catalogue's indicators of that measure: «triệu đồng/ha», one indicator's
#: alone, adds all of it; «tỷ đồng», two indicators', half; «%», a dozen's, next to nothing. It
#: only offers a key to the reviewer («có thể là …»), never gives one (:func:`match_target`).
UNIT_EVIDENCE = 0.25


def near_keys(catalogue: Catalogue | None, f: Found, vocab: PlanVocabulary, taken: set[str]) -> list[str]:
    """Keys of the catalogue a target :func:`match_target` gave none may be, for the reviewer to
    decide (never given): those of the same award for another recipient, else the (at most two)
    whose names share at least half of their words with the target's — a unit of the indicator's
    measure counting as :data:`UNIT_EVIDENCE` shared among the indicators of that measure — and
    whose unit fits; none taken."""
    if catalogue is None:
        return []
    award = proposed_kinds(f.name, f.unit, "", vocab)["award"]
    if award:
        return [i.key for i in catalogue.indicators if i.award == award and i.key not in taken][:2]
    evidence = _unit_evidence(catalogue, f.unit)
    scored = sorted(
        ((key, score + evidence.get(key, 0.0)) for key, score in _ranked(catalogue, f, vocab)),
        key=lambda kv: kv[1],
        reverse=True,
    )
    return [
        key
        for key, score in scored
        if score >= 0.5 and key not in taken and _unit_fits(catalogue, f.unit, catalogue[key])
    ][:2]


def _unit_evidence(catalogue: Catalogue, unit: str) -> dict[str, float]:
    """``{key: weight}`` of the indicators ``unit`` is a measure of (:func:`_unit_fits`):
    :data:`UNIT_EVIDENCE` divided among them; none for a target without a unit."""
    if not unit:
        return {}
    fits = [ind.key for ind in catalogue.indicators if _unit_fits(catalogue, unit, ind)]
    return {key: UNIT_EVIDENCE / len(fits) for key in fits}


def _ranked(catalogue: Catalogue, f: Found, vocab: PlanVocabulary) -> list[tuple[str, float]]:
    """Keys by how many words their names (and aliases) share with the target's (Jaccard, best
    first); empty for a name of fewer than two words."""
    mine = _tokens(expand_abbreviations(f.name, vocab))
    if len(mine) < 2:
        return []
    scores: dict[str, float] = {}
    entries = [(ind.name, ind.key) for ind in catalogue.indicators]
    entries += [(a, k) for a, k in catalogue.aliases.items() if k in catalogue.by_key]
    for written, key in entries:
        theirs = _tokens(expand_abbreviations(written, vocab))
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        scores[key] = max(scores.get(key, 0.0), score)
    return sorted(scores.items(), key=lambda kv: kv[1], reverse=True)


def _unit_fits(catalogue: Catalogue, unit: str, ind: Indicator) -> bool:
    """Whether a target written in ``unit`` can be indicator ``ind`` (no unit, or one it converts)."""
    return not unit or catalogue.measure(unit, ind) is not None or match_key(unit) == match_key(ind.unit)


def proposed_kinds(name: str, unit: str, group: str, vocab: PlanVocabulary) -> dict:
    """How a target the catalogue does not know combines, from the vocabulary's ``[kinds]``,
    ``[awards]`` and ``[registrations]``."""
    folded = fold(expand_abbreviations(name, vocab))
    out = {"counted_from": "reports", "award": "", "recipient": "", "conferred_by": ""}
    if vocab.patterns("registrations", "patterns").search(folded):
        out.update(over_year="level", across_units="none", when_known="quarterly", counted_from="registrations")
        return out
    rule = award_rule(name, vocab) if unit in RECIPIENT_UNITS else None
    if rule:
        out.update(
            over_year="count",
            across_units="sum",
            when_known="year-end",
            counted_from="awards",
            award=rule["award"],
            recipient=unit,
            conferred_by=rule.get("conferred_by", ""),
        )
        return out
    share = unit == "%" or "/" in unit or bool(vocab.patterns("kinds", "average_patterns").search(folded))
    flow = not share and bool(vocab.patterns("kinds", "flow_patterns").search(folded))
    over_year = "flow" if flow else "level"
    across = "none" if share else "sum"
    year_end = group == "awards" or bool(vocab.patterns("kinds", "year_end_patterns").search(folded))
    out.update(over_year=over_year, across_units=across, when_known="year-end" if year_end else "quarterly")
    return out
