"""The real app under streamlit.testing.v1.AppTest: run a page, read its text, sign in."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.paths import PROJECT


def run(path: str, **kwargs) -> AppTest:
    at = AppTest.from_file(str(PROJECT / path), default_timeout=90)
    for key, value in kwargs.items():
        at.session_state[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [str(x.value) for x in at.info] + [str(x.value) for x in at.error] + [str(x.value) for x in at.success]
    parts += [str(x.value) for x in at.warning]
    for frame in [*at.dataframe, *at.table]:
        parts.append(frame.value.to_string() if hasattr(frame.value, "to_string") else str(frame.value))
    return "\n".join(parts).replace("\\", "")  # markdown escapes of data text


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input[0].input(name)
    at.sidebar.text_input[1].input(password)
    submit = [b for b in at.sidebar.button if b.label == "Đăng nhập"]
    return submit[0].click().run()
