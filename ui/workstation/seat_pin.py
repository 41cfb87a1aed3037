"""The screen-lock PIN of an expert's or supervisor's own PC (kept in :mod:`app.services.seat_pin`, where the
seat's replica checks the same PIN)."""

from __future__ import annotations

from app.services.seat_pin import PIN_FILE, ROUNDS, PinCheck, pin_file, pin_problem, save_pin

__all__ = ["PIN_FILE", "ROUNDS", "PinCheck", "pin_file", "pin_problem", "save_pin"]
