"""Check-in screens: the commitment letter and the conflict-of-interest declaration."""
