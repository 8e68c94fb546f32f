"""The hints for the command line in the readers' messages ("(dòng lệnh: --period 2024-Q1)"), and
the same messages without them for the upload page (:meth:`kpi.reading.messages.Issue.screen_text`),
whose own controls offer the same choices."""

from __future__ import annotations

import re

__all__ = ["COMMAND_HINT", "without_command_hints"]

#: Where a message's hint for the command line begins: "(dòng lệnh: --period 2024-Q1)".
COMMAND_HINT = "dòng lệnh:"


def _closing(text: str, start: int) -> int:
    """The index of the ``)`` that closes the parenthesis open at ``start`` (parentheses inside
    counted), or ``len(text)`` when none does."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                return i
            depth -= 1
    return len(text)


def without_command_hints(text: str) -> str:
    """``text`` without its hints for the command line, however a message writes one:

    * in parentheses of its own, "Hãy chọn kỳ (dòng lệnh: --period 2024-Q1) hoặc …" → "Hãy chọn
      kỳ hoặc …" (parentheses inside the hint counted);
    * after other words in parentheses, "(nút «Tải mẫu» trên trang đó; dòng lệnh: python -m kpi
      template)" → "(nút «Tải mẫu» trên trang đó)";
    * in no parentheses, "…; dòng lệnh: --period 2024-Q1. Rồi …" → "…. Rồi …": to the end of its
      sentence.

    A hint begins with :data:`COMMAND_HINT`; the words of a file quoted before it (a name with a
    lone "(") are left as they are. ``tests/reading/test_messages.py`` walks every template of
    this catalogue and every message of ``kpi/`` that names the command line."""
    while (at := text.find(COMMAND_HINT)) >= 0:
        opened = text.rfind("(", 0, at)
        if opened >= 0 and ")" not in text[opened:at]:
            end = _closing(text, at)
            if text[opened + 1 : at].strip():  # "(other words; dòng lệnh: …)": keep the words
                keep = opened + 1 + len(text[opened + 1 : at].rstrip(" ;,"))
                text = text[:keep] + text[end:]
            else:  # "(dòng lệnh: …)" with the space before it
                keep = len(text[:opened].rstrip())
                text = text[:keep] + text[end + 1 :]
        else:  # no parenthesis: to the end of its sentence
            stop = re.search(r"\.(\s|$)", text[at:])
            end = at + stop.start() if stop else len(text)
            keep = len(text[:at].rstrip(" ;,"))
            text = text[:keep] + text[end:]
    return text
