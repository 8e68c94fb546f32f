"""Matching a found target to the base catalogue (:mod:`kpi.plans.parse`, "Keys"), and how a target
the catalogue does not know combines (:func:`proposed_kinds`)."""

from __future__ import annotations

import re

from kpi.domain.plan import Catalogue, Indicator
from kpi.plans.clauses import Found
from kpi.plans.vocabulary import PlanVocabulary, expand_abbreviations
from kpi.vn import fold, match_key

__all__ = ["match_target", "proposed_kinds"]

# ---------------------------------------------------------------------------------------------
# Matching to the catalogue


_WORD = re.compile(r"\w+")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(re.sub(r"\([^)]*\)", " ", text))))


def match_target(catalogue: Catalogue | None, f: Found, vocab: PlanVocabulary) -> tuple[Indicator | None, str]:
    """The catalogue indicator a found target is, and how it was matched."""
    if catalogue is None:
        return None, ""
    forms = [f.name, f.label, expand_abbreviations(f.name, vocab), expand_abbreviations(f.label, vocab)]
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
        key = catalogue.award_key(kinds["award"], f.unit)
        if key is None and "," not in f.unit:
            key = next(
                (
                    i.key
                    for i in catalogue.indicators
                    if i.award == kinds["award"] and match_key(i.recipient) == match_key(f.unit)
                ),
                None,
            )
        if key is not None:
            return catalogue[key], "award"
    mine = _tokens(expand_abbreviations(f.name, vocab))
    if len(mine) < 2:
        return None, ""
    scores: dict[str, float] = {}
    entries = [(ind.name, ind.key) for ind in catalogue.indicators]
    entries += [(a, k) for a, k in catalogue.aliases.items() if k in catalogue.by_key]
    for written, key in entries:
        theirs = _tokens(expand_abbreviations(written, vocab))
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        scores[key] = max(scores.get(key, 0.0), score)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < 0.7:
        return None, ""
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.1:
        return None, ""
    ind = catalogue[ranked[0][0]]
    if f.unit and catalogue.measure(f.unit, ind) is None and match_key(f.unit) != match_key(ind.unit):
        return None, ""
    return ind, "similar"


def proposed_kinds(name: str, unit: str, group: str, vocab: PlanVocabulary) -> dict:
    """How a target the catalogue does not know combines, from the vocabulary's ``[kinds]``,
    ``[awards]`` and ``[registrations]``."""
    folded = fold(expand_abbreviations(name, vocab))
    out = {"counted_from": "reports", "award": "", "recipient": "", "conferred_by": ""}
    if vocab.patterns("registrations", "patterns").search(folded):
        out.update(over_year="level", across_units="none", when_known="quarterly", counted_from="registrations")
        return out
    recipients = {"tập thể", "cá nhân", "tập thể, cá nhân"}
    if unit in recipients:
        for rule in vocab.raw.get("awards", {}).get("rule", []):
            if re.search(rule["pattern"], folded):
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
