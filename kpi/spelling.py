"""Vietnamese spelling: which syllables Vietnamese writes two ways, and what text could be words.

:mod:`kpi.vn` compares names by :func:`kpi.vn.match_key` (case, NFC, tone placement); the rules
here are about letters, each used where a comparison needs it:

* **i and y** (:func:`iy_fold`): Vietnamese allows both letters for the bare vowel /i/ after a
  consonant — «sĩ»/«sỹ», «kĩ»/«kỹ», «lí»/«lý», «mĩ»/«mỹ», «kì»/«kỳ», «qui»/«quy» (Quy định về chính
  tả tiếng Việt, Quyết định 240/QĐ 1984; Quyết định 1989/QĐ-BGDĐT 2018 keeps both in use). Only
  that syllable: «y» as a syllable of its own («y tế»), and «y» after another vowel («tuy»,
  «thủy», «hay»), is another sound or another word and is kept.
* **what could be ordinary words** (:func:`reads_as_words`): a text each of whose syllables fits
  the shape of a Vietnamese syllable (onset, one to three vowels, a final consonant among c, ch,
  m, n, ng, nh, p, t). «ca» could (it is a word); «ubnd», «gk», «ct», «ưth» could not — an
  abbreviation written in lower case that could not be words is still the abbreviation
  (:mod:`kpi.domain.abbreviations`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kpi.vn import fold

__all__ = ["iy_fold", "reads_as_words"]

_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx]"
#: A syllable whose rhyme is the bare vowel i/y with its tone, as :func:`kpi.vn.match_key` writes
#: it (the tone a digit at the end): «sy4» → «si4», «quy» → «qui»; «thuy3», «tay», «y» kept.
_BARE_Y = re.compile(rf"(?<![\w])({_ONSETS})y(?=[1-5]?(?!\w))")
#: The shape of a Vietnamese syllable, folded (no diacritics, đ → d).
_SYLLABLE = re.compile(r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")


def iy_fold(key: str) -> str:
    """``key`` (a :func:`kpi.vn.match_key`) with the bare /i/ after a consonant written «i» (see
    the module): «chien sy4 thi dua» and «chien si4 thi dua» give one text.

    >>> from kpi.vn import match_key
    >>> iy_fold(match_key("Chiến sỹ thi đua")) == iy_fold(match_key("Chiến sĩ thi đua"))
    True
    >>> iy_fold(match_key("Thủy y tế")) == match_key("Thủy y tế")
    True
    """
    return _BARE_Y.sub(r"\1i", key)


@lru_cache(maxsize=1024)
def reads_as_words(text: str) -> bool:
    """Whether ``text`` written in lower case could be ordinary Vietnamese words: every syllable
    (split at spaces, hyphens, «&» and «/») has a syllable's shape (see the module).

    >>> [reads_as_words(t) for t in ("CA", "UBND", "GK", "CT UBND", "ƯTH")]
    [True, False, False, False, False]
    """
    parts = [p for p in re.split(r"[\s\-&/.]+", fold(text)) if p]
    return bool(parts) and all(_SYLLABLE.fullmatch(p) for p in parts)
