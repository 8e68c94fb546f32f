"""The patterns of a clause quoting another document (``data/vocabulary.toml`` ``[document]``
``cited_verbs``, ``cited_kinds``), compiled for :class:`kpi.reading.layout.Vocabulary`."""

from __future__ import annotations

import re

__all__ = ["cited_pattern", "cited_more_pattern"]

#: A document's number ("45/BC-TCKH", "1224/QĐ-TCTK" folded) and date ("08/4/2024", "08 tháng 4 năm 2024").
_CITED_NUMBER = r"(?P<number>\d+[a-z]?\s*/\s*[a-z0-9][a-z0-9\-./&]*)"
_CITED_DATE = (
    r"(?:\s*,?\s*ngay\s*(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?"
)


def cited_pattern(verbs: list[str], kinds: list[str]) -> re.Pattern:
    """A clause quoting another document (``[document] cited_verbs``, ``cited_kinds``): verb,
    at most four words, kind, "số", number, perhaps "ngày" and a date (folded text)."""
    if not verbs or not kinds:
        return re.compile(r"(?!x)x")
    verb = "|".join(f"(?:{v})" for v in verbs)
    kind = "|".join(f"(?:{k})" for k in sorted(kinds, key=len, reverse=True))
    return re.compile(
        rf"\b(?P<verb>{verb})\b(?:\s+[a-z]+){{0,4}}?\s+(?P<kind>{kind})\s+so\s*:?\s*{_CITED_NUMBER}{_CITED_DATE}"
    )


def cited_more_pattern(kinds: list[str]) -> re.Pattern:
    """Another document joined to a quoting clause ("thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024
    và Báo cáo số 47/BC-TCKH ngày 10/4/2024"): ",", ";" or "và", perhaps a kind, "số", number, perhaps
    "ngày" and a date (folded text), matched where the clause before it ends."""
    if not kinds:
        return re.compile(r"(?!x)x")
    kind = "|".join(f"(?:{k})" for k in sorted(kinds, key=len, reverse=True))
    return re.compile(rf"\s*(?:,|;|\bva\b)\s*(?:(?P<kind>{kind})\s+)?so\s*:?\s*{_CITED_NUMBER}{_CITED_DATE}")
