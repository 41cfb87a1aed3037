"""The remote venue's console (副场主控台): joins a session the main venue announced through the center."""
