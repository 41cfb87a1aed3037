"""tests/app and tests/ui mirror app/ and ui/: a test of ``ui/widgets/idle_lock.py`` is found in tests/ui/widgets, and
no folder of tests names a package that does not exist (one renamed or removed leaves none behind)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["app", "ui"])
def test_each_folder_of_tests_is_a_package_of_the_source(package: str) -> None:
    tests = ROOT / "tests" / package
    strays = [folder.relative_to(ROOT).as_posix() for folder in sorted(tests.rglob("*"))
              if folder.is_dir() and any(folder.glob("test_*.py"))  # a folder of data (fixtures) mirrors nothing
              and not (ROOT / package / folder.relative_to(tests) / "__init__.py").is_file()]
    assert not strays, f"folders of tests with no package of {package}/ beside them: {strays}"
