"""`make test` runs under pytest-xdist with ``--dist loadgroup``: the tests of one xdist group must stay in one
worker, or a module's shared fixture is built twice and the installers' bundle blocks both workers."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("parallel-check")
def test_the_xdist_groups_are_in_effect(request: pytest.FixtureRequest) -> None:
    config = request.config
    if not config.getoption("loadgroup", default=False):
        pytest.skip("not run under pytest-xdist --dist loadgroup")
    # pytest-xdist hands each grouped test to the scheduler as `…@group`; with pytest 9.2 that was lost silently
    # (pytest-xdist issue 1386), and the run went on with no group at all
    assert request.node.nodeid.endswith("@parallel-check"), (
        f"{request.node.nodeid}: this pytest-xdist does not apply xdist_group with this pytest (see pyproject.toml)")
