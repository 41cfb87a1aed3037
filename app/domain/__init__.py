"""Pure evaluation rules (no I/O): case model, rule profiles, formulas, ranking.

Every rule carries the id of ``DOMAIN.md`` it implements (``R-OPEN-3``, ``R-COM-4`` ...).
"""
