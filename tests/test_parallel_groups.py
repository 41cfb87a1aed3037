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


def test_the_units_handed_out_first_are_units_of_this_suite(request: pytest.FixtureRequest) -> None:
    """tests/conftest.py's FIRST names modules and groups: one renamed would drop from the front of the run unseen."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    first = request.config.pluginmanager.get_plugin("evalroom-longest-first").first
    sources = "".join(path.read_text(encoding="utf-8") for path in (root / "tests").rglob("*.py"))
    unknown = [unit for unit in first if not (root / unit).is_file() and not (root / "tests" / f"{unit}.py").is_file()
               and f'xdist_group("{unit}")' not in sources]
    assert not unknown, f"FIRST names no module or xdist group of the suite: {unknown}"
