"""Môi trường: each environmental indicator against its target."""

import appkit

appkit.render_group("environment")
