"""The room console (评标室主控): import, opening, check-in desk, committee, progress and summary."""
