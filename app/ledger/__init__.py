"""The session ledger: signed event feeds, Merkle roots and checkpoints (DESIGN.md §2)."""
