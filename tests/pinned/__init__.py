"""Tests that pin behaviour the mutation run (issue 16) found unasserted; see SURVIVORS.md."""
