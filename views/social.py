"""Xã hội: each social indicator against its target."""

import appkit

appkit.render_group("social")
