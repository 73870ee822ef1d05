"""Helpers shared by the tests: rigs, chat helpers, canned answers. No tests here."""
