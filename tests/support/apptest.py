"""The real app under streamlit.testing.v1.AppTest: run a page, read its text, sign in."""

from __future__ import annotations

import pandas as pd
from lxml import html as lxml_html
from streamlit.testing.v1 import AppTest

from tests.support.paths import PROJECT


def run(path: str, **kwargs) -> AppTest:
    at = AppTest.from_file(str(PROJECT / path), default_timeout=90)
    for key, value in kwargs.items():
        at.session_state[key] = value
    return at.run()


def upload_page(con) -> AppTest:
    """The upload page run on the test's own database, the page's connection the only one: the
    test's ``con`` is closed first (what the test reads after, it reads by opening the file again).
    The test asks for ``app_env`` (its database, the project folder) and ``server_machine`` (a
    visitor who may upload before the first admin exists)."""
    con.close()
    return AppTest.from_file(str(PROJECT / "views/upload.py"), default_timeout=120).run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [str(x.value) for x in at.info] + [str(x.value) for x in at.error] + [str(x.value) for x in at.success]
    parts += [str(x.value) for x in at.warning]
    for frame in [*at.dataframe, *at.table, *map(_Shown, summaries(at))]:
        parts.append(frame.value.to_string() if hasattr(frame.value, "to_string") else str(frame.value))
    return "\n".join(parts).replace("\\", "")  # markdown escapes of data text


def summaries(at: AppTest) -> list[pd.DataFrame]:
    """Each summary table of the page (``appkit.summary_html``, drawn with ``st.html``) as the
    browser gets it: its headings as columns, one row per indicator indexed by its key."""
    found = []
    for element in at.get("html"):
        if 'class="kpi-summary"' not in element.proto.body:
            continue
        tree = lxml_html.fromstring(element.proto.body)
        heads = [th.text_content() for th in tree.iter("th")]
        rows = {
            tr.get("data-key"): [td.text_content() for td in tr.iter("td")]
            for tr in tree.iter("tr")
            if tr.get("data-key")
        }
        found.append(pd.DataFrame.from_dict(rows, orient="index", columns=heads).rename_axis("Mã"))
    return found


class _Shown:
    def __init__(self, value):
        self.value = value


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input[0].input(name)
    at.sidebar.text_input[1].input(password)
    submit = [b for b in at.sidebar.button if b.label == "Đăng nhập"]
    return submit[0].click().run()
