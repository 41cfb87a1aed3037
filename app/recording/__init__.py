"""Camera sources, face checks and (later) the crash-safe recorder (DESIGN.md §5)."""
