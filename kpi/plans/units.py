"""A target's unit of measure as the plan reader proposes it (:mod:`kpi.plans.parse`, "Units"):
normalised (lower case, known spellings replaced) and completed by the per-what its name carries
("126,8 triệu đồng" + "trên 1 ha" → "triệu đồng/ha")."""

from __future__ import annotations

import re

from kpi.plans.vocabulary import PlanVocabulary
from kpi.vn import clean_text

__all__ = ["normalise_unit", "complete_unit"]


def normalise_unit(written: str, vocab: PlanVocabulary) -> str:
    """A unit as proposed: lower case, known spellings replaced, no spaces around "/"."""
    unit = clean_text(written).lower().strip(" .,;:")
    unit = re.sub(r"\s*/\s*", "/", unit)
    spellings = {k.lower(): v for k, v in vocab.raw.get("units", {}).get("spellings", {}).items()}
    for written_form, proper in sorted(spellings.items(), key=lambda kv: len(kv[0]), reverse=True):
        # word by word: "45 ngàn tỉ" → "nghìn tỷ" ("tỉ" = "tỷ", "ngàn" = "nghìn")
        unit = re.sub(rf"(?<![\w.]){re.escape(written_form)}(?![\w])", proper, unit)
    return unit


def _denominator(label: str, vocab: PlanVocabulary) -> str:
    """The per-what of a name: "/1 vạn dân" → "vạn dân", "trên 1 ha" → "ha", "trên một héc-ta" →
    "ha" (spellings of ``[units.spellings]``), "/10.000 dân" → "10.000 dân"; "" when the name has
    none."""
    found = None
    for m in vocab.denominator_re.finditer(label.lower()):
        found = m
    if found is None:
        return ""
    n = found.group("n")
    den = normalise_unit(re.sub(r"\s+", " ", found.group("den") or found.group("one")), vocab)
    if n and n.lstrip("0") != "1" and n.lower() not in vocab.raw["denominators"].get("one", []):
        return f"{n} {den}"
    return den


def complete_unit(unit: str, label: str, vocab: PlanVocabulary) -> str:
    if not unit or unit == "%" or "/" in unit:
        return unit
    den = _denominator(label, vocab)
    return f"{unit}/{den}" if den else unit
