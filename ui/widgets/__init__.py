"""Reusable widgets of the room GUI."""
