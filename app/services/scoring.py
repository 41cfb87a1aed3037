"""The score sheet's input rule for the workstation's grid: the same check of one typed score (range and
step, §3.5) as the case parser's, and the case types the grid lays out, so a score the GUI accepts is one
the rule engine accepts."""

from __future__ import annotations

from app.domain.case import Bidder, Criterion
from app.domain.scoring import ScoreProblem, check_score

__all__ = ["Bidder", "Criterion", "ScoreProblem", "check_score"]
