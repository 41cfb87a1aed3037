"""Store-and-forward to the center: the outbox (in each session file), the HTTP client, the back-off worker,
and ``sync push`` of a simulated session folder (DESIGN.md §2 Sync, §6)."""
