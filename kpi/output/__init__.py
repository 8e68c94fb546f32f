"""Documents written from the figures: the draft report (:mod:`kpi.output.report_draft`).

The meeting output of the flat modules (:mod:`kpi.output.annex`, :mod:`kpi.output.deck`, :mod:`kpi.output.export`)
moves here in the coming restructure; this package only imports from them.
"""
