"""The attainment report, completeness of the quarter's reports, projections."""
