"""Kinh tế: each economic indicator against its target."""

import appkit

appkit.render_group("economic")
