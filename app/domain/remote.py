"""Remote cross-region evaluation (远程异地评标): venue link outages and their timers (R-SUS-6, R-SUS-7).

- R-SUS-6, failure **before** the evaluation starts: the start may be delayed; if it is not fixed **2 h**
  after the *scheduled start*, the tenderer decides whether to evaluate; if postponed, the materials are
  sealed and a new committee is formed.
- R-SUS-7, failure **during** the evaluation: fixed within **4 h** → continue (the interruption is logged
  in the report); otherwise the evaluation stops, the materials are sealed at every venue, a new committee
  re-evaluates, and the original members keep everything confidential.

Both limits are configurable (local implementing measures differ; LJ Arts 20–21 give 2 h and 4 h).
Pure rules: the caller supplies the times (from the ledger or the center's link status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

BEFORE_START = timedelta(hours=2)  # R-SUS-6
DURING = timedelta(hours=4)  # R-SUS-7
LINK_TIMEOUT = timedelta(seconds=90)  # no contact for this long: the link is shown as down

WAITING, RESUME, TENDERER_DECIDES, STOP = "waiting", "resume", "tenderer_decides", "stop_new_committee"


@dataclass(frozen=True)
class Limits:
    before_start: timedelta = BEFORE_START
    during: timedelta = DURING


@dataclass(frozen=True)
class Outage:
    venue: str
    start: datetime
    end: datetime | None = None  # None: still down
    during: bool = False  # the evaluation had started when the link went down


@dataclass(frozen=True)
class OutageVerdict:
    venue: str
    rule: str  # R-SUS-6 | R-SUS-7
    deadline: datetime
    outcome: str  # waiting | resume | tenderer_decides | stop_new_committee
    remaining: timedelta  # until the deadline (zero once passed)
    message: str


def judge(outage: Outage, now: datetime, scheduled_start: datetime | None = None,
          limits: Limits = Limits()) -> OutageVerdict:
    """The timer and outcome of one venue outage at ``now``."""
    if outage.during:
        rule, deadline = "R-SUS-7", outage.start + limits.during
    else:
        rule, deadline = "R-SUS-6", max(outage.start, scheduled_start or outage.start) + limits.before_start
    fixed_at = outage.end if outage.end is not None and outage.end <= now else None
    if fixed_at is not None and fixed_at <= deadline:
        outcome = RESUME
        message = (f"{rule}: 副场 {outage.venue} 已在时限内恢复，继续评标，中断情况记入评标报告 / "
                   f"venue {outage.venue} restored in time: continue; the interruption is logged in the report")
    elif fixed_at is None and now < deadline:
        outcome = WAITING
        message = (f"{rule}: 副场 {outage.venue} 中断，计时中，时限 {deadline.isoformat()} / "
                   f"venue {outage.venue} down: timer running until {deadline.isoformat()}")
    elif not outage.during:
        outcome = TENDERER_DECIDES
        message = (f"{rule}: 计划开始时间后{_hours(limits.before_start)}小时仍未排除故障，由招标人决定是否继续评标；"
                   f"推迟的，封存资料并重新组建评标委员会 / not fixed {_hours(limits.before_start)} h after the "
                   "scheduled start: the tenderer decides whether to evaluate; if postponed, seal the materials and "
                   "form a new committee")
    else:
        outcome = STOP
        message = (f"{rule}: 中断超过{_hours(limits.during)}小时，停止评标，各场封存资料，重新组建评标委员会重新评审，"
                   f"原评委对评审信息保密 / down more than {_hours(limits.during)} h: stop; seal the materials at "
                   "every venue; a new committee re-evaluates; the original members keep everything confidential")
    return OutageVerdict(outage.venue, rule, deadline, outcome, max(deadline - now, timedelta(0)), message)


def link_up(last_contact: datetime | None, now: datetime, timeout: timedelta = LINK_TIMEOUT) -> bool:
    """A venue's link is up when it was in contact within ``timeout``."""
    return last_contact is not None and now - last_contact <= timeout


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return str(int(hours)) if hours == int(hours) else f"{hours:g}"
