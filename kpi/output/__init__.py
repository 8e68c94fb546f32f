"""Documents written from the figures: the draft report (:mod:`kpi.output.report_draft`).

The meeting output of the flat modules (:mod:`kpi.annex`, :mod:`kpi.deck`, :mod:`kpi.export`)
moves here in the coming restructure; this package only imports from them.
"""
