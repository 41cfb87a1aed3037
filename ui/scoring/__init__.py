"""The expert's scoring grid (详细评审): bidders × criteria, keyboard-first, every cell saved at once."""
