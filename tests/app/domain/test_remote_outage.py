"""R-SUS-6 / R-SUS-7 timers for remote venues (DOMAIN.md S14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.remote import RESUME, STOP, TENDERER_DECIDES, WAITING, Limits, Outage, judge, link_up

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_s14_during_evaluation_three_hours_resume_five_hours_stop() -> None:
    three = judge(Outage("county-1", T0, T0 + 3 * H, during=True), T0 + 6 * H)
    assert (three.rule, three.outcome) == ("R-SUS-7", RESUME) and "记入评标报告" in three.message
    five = judge(Outage("county-1", T0, T0 + 5 * H, during=True), T0 + 6 * H)
    assert five.outcome == STOP and "重新组建评标委员会" in five.message
    ongoing = judge(Outage("county-1", T0, None, during=True), T0 + 1 * H)
    assert ongoing.outcome == WAITING and ongoing.remaining == 3 * H and ongoing.deadline == T0 + 4 * H
    assert judge(Outage("county-1", T0, None, during=True), T0 + 4 * H + timedelta(seconds=1)).outcome == STOP


def test_before_start_counts_from_the_scheduled_start() -> None:
    early = Outage("county-2", T0 - 3 * H, None, during=False)  # down since before the scheduled start T0
    assert judge(early, T0 + 1 * H, scheduled_start=T0).outcome == WAITING
    late = judge(early, T0 + 2 * H + timedelta(seconds=1), scheduled_start=T0)
    assert (late.rule, late.outcome) == ("R-SUS-6", TENDERER_DECIDES) and "招标人决定" in late.message
    fixed = judge(Outage("county-2", T0 - 3 * H, T0 + H, during=False), T0 + 5 * H, scheduled_start=T0)
    assert fixed.outcome == RESUME


def test_limits_are_configurable_and_link_status() -> None:
    limits = Limits(before_start=timedelta(minutes=30), during=timedelta(hours=1))
    assert judge(Outage("v", T0, T0 + 2 * H, during=True), T0 + 3 * H, limits=limits).outcome == STOP
    assert "1 h" in judge(Outage("v", T0, None, during=True), T0 + 2 * H, limits=limits).message
    assert link_up(T0, T0 + timedelta(seconds=30))
    assert not link_up(T0, T0 + timedelta(minutes=5)) and not link_up(None, T0)
