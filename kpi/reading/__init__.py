"""Bytes → cells → table → figures and problems. Never imports storage or access."""
