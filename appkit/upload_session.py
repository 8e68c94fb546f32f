"""What the upload page keeps per browser session: prepared files (bounded) and what was saved."""

from __future__ import annotations

import streamlit as st

from appkit.text import md


def _prepared_bytes(prep) -> int:
    """A rough size of a :class:`kpi.ingest.Prepared` in memory (its tables and previews), bytes."""
    size = 4096
    for frame in (prep.rows, prep.observations, prep.awards, prep.registrations):
        if frame is not None:
            size += int(frame.memory_usage(deep=True).sum())
    size += sum(len(text) for grid in prep.previews.values() for row in grid for text in row)
    return size


class UploadState:
    """What the upload page keeps for one session (in ``st.session_state``, so it ends with the
    session; nothing of it is kept by the process).

    - ``prepared``: previews keyed by (sha256, options, data version), at most 16 and about 64 MB
      (least recently used first out); older data versions are dropped at each run.
    - ``done``: sha256 → (file name, message, saved?) of the files saved — or found already stored —
      in this session (the latest 200): such a file is shown from here, never read again.
    - ``shas``: the chooser's file id → sha256, so a file left in the chooser is hashed once.
    - ``logged``: sha256s whose refusal is already in the audit log.
    - ``round``: part of the chooser's key; a new round empties the chooser.
    """

    MAX_PREPARED, MAX_PREPARED_BYTES, MAX_DONE = 16, 64 * 1024 * 1024, 200

    def __init__(self) -> None:
        from kpi.lru import LRU

        self.prepared = LRU(self.MAX_PREPARED, self.MAX_PREPARED_BYTES, _prepared_bytes)
        self.done: dict[str, tuple[str, str, bool]] = {}
        self.shas = LRU(1000)
        self.logged = LRU(1000)
        self.round = 0

    def sha_of(self, upload) -> str:
        """The sha256 of a chosen file (``UploadedFile``), computed once per file id."""
        from kpi.storage.database import sha256_of

        sha = self.shas.get(upload.file_id)
        if sha is None:
            sha = sha256_of(upload.getvalue())
            self.shas.put(upload.file_id, sha)
        return sha

    def forget_older_than(self, version: int) -> None:
        self.prepared.discard_where(lambda key: key[2] != version)

    def remember(self, sha: str, name: str, message: str, saved: bool) -> None:
        self.done.pop(sha, None)
        self.done[sha] = (name, message, saved)
        while len(self.done) > self.MAX_DONE:
            self.done.pop(next(iter(self.done)))
        self.prepared.discard_where(lambda key: key[0] == sha)


def upload_state() -> UploadState:
    """This session's :class:`UploadState` (created on first use)."""
    if not isinstance(st.session_state.get("up_state"), UploadState):
        st.session_state["up_state"] = UploadState()
    return st.session_state["up_state"]


def saved_entry(entry: tuple[str, str, bool]) -> None:
    """One file saved in this session: a green "Đã lưu" only when it was stored; a copy found
    already stored is said in blue, "đã có … không thay đổi gì"."""
    name, message, saved = entry
    badge = ":green-badge[Đã lưu]" if saved else ":gray-badge[Đã có — không lưu lại]"
    st.markdown(f"#### :material/description: {md(name)}  \n{badge}")
    (st.success if saved else st.info)(md(message))


def saved_in_session(state: UploadState) -> None:
    """The files saved in this session, newest first (the chooser is emptied after saving)."""
    if not state.done:
        return
    st.markdown(f"**Đã xử lý trong phiên này** ({len(state.done)} tệp):")
    for entry in reversed(list(state.done.values())):
        with st.container(border=True):
            saved_entry(entry)
