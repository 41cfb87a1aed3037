"""Keys, certificates and signatures (DESIGN.md §2 Keys)."""
