"""Helpers shared by test modules (no tests here): builders of files, runners, expected values."""
