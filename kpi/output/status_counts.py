"""How many indicators stand at each status, in one order for every output: the order of
:data:`kpi.domain.rules.STATUSES` (vượt, đạt, không đạt, đúng tiến độ, chậm tiến độ, chưa đến kỳ
đánh giá, chưa có số liệu).

The deck, presentation mode, the print view's header, the overview and the report draft all count
through here. Each had its own loop and one took pandas' ``value_counts`` order (most first): the
same group read «7 chậm tiến độ, 2 đúng tiến độ» on one screen and «2 đúng tiến độ, 7 chậm tiến
độ» on the next (black-box finding).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from kpi.domain.rules import STATUSES
from kpi.words import STATUS_IN_SENTENCE

__all__ = ["status_counts", "counts_text"]


def status_counts(statuses: Iterable[str]) -> list[tuple[str, int]]:
    """``(status, how many)`` for each status that occurs in ``statuses``, in the order of
    :data:`kpi.domain.rules.STATUSES`; a status outside it (none is computed) is not counted.

    >>> status_counts(["behind", "on_track", "behind"])
    [('on_track', 1), ('behind', 2)]
    """
    counted = Counter(str(s) for s in statuses)
    return [(status, counted[status]) for status in STATUSES if counted[status]]


def counts_text(
    statuses: Iterable[str], words: Mapping[str, str] = STATUS_IN_SENTENCE, number: Callable[[int], str] = str
) -> str:
    """ "2 đúng tiến độ, 7 chậm tiến độ": :func:`status_counts` in words (``words``: a status's word
    inside a sentence, :data:`kpi.words.STATUS_IN_SENTENCE` by default; ``number``: how a count is
    written)."""
    return ", ".join(f"{number(n)} {words[status]}" for status, n in status_counts(statuses))
