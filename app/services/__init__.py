"""Use cases of EvalRoom: one place for each thing a user can do (DESIGN.md §3)."""
