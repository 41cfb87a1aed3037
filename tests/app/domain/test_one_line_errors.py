"""Errors are one line even when the bad value itself contains a line break.

One line on stderr. spec/case-format.md: "Exit 2 with one clear line on stderr naming the field";
   spec/cli.md: "2 bad input or usage (one clear line on stderr naming what is wrong)"; CaseError's own
   contract: "str() is one line". A malformed value that contains a line break (a JSON string such as
   "1\\n8") must be echoed escaped, so the error never spans two lines.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import casebuilder as cb
from app.domain.case_parse import parse_case
from app.domain.errors import CaseError

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on


def base() -> dict[str, Any]:
    return cb.case()


def put(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


BROKEN = [
    ("score", ("scores", "E1", "B1", "T1"), "1\n8", "scores.E1.B1.T1"),
    ("price", ("bidders", 0, "price"), "95\n0000.00", "price"),
    ("format", ("format",), "evalroom-case/1\nX", "format"),
    ("profile", ("profile",), "procure\nment", "profile"),
    ("deadline", ("opening", "deadline"), "2026-11-20\r\n09:30", "opening.deadline"),
    ("method-kind", ("method", "kind"), "lowest\u2028price", "method.kind"),
    ("committee-not-a-list", ("committee",), "E1\nE2", "committee"),
]


@pytest.mark.parametrize(("name", "path", "value", "field"), BROKEN, ids=[b[0] for b in BROKEN])
def test_case_error_is_one_line_even_when_the_bad_value_has_line_breaks(name: str, path: tuple[Any, ...], value: str,
                                                                        field: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(put(base(), path, value))
    line = str(caught.value)
    assert field in line
    assert len(line.splitlines()) == 1, repr(line)


def test_unknown_id_with_a_line_break_is_one_line() -> None:
    document = base()
    document["scores"]["E\n9"] = copy.deepcopy(document["scores"]["E1"])
    with pytest.raises(CaseError) as caught:
        parse_case(document)
    assert len(str(caught.value).splitlines()) == 1, repr(str(caught.value))


def test_cli_prints_exactly_one_stderr_line_for_a_score_with_a_newline(tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(put(base(), ("scores", "E1", "B1", "T1"), "1\n8")), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_DEBUG"}
    done = subprocess.run([sys.executable, "-m", "app", "evaluate", str(case_file)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1, done.stderr
    assert "scores.E1.B1.T1" in lines[0]


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return ([path] if path else []) + [p for k, v in value.items() for p in leaves(v, path + (k,))]
    if isinstance(value, list):
        return ([path] if path else []) + [p for i, v in enumerate(value) for p in leaves(v, path + (i,))]
    return [path]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
          phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False)  # no shrinking: fails fast
@given(st.data(), st.text(max_size=4), st.sampled_from(LINE_BREAKS), st.text(max_size=4))
def test_fuzz_any_rejected_value_with_a_line_break_still_gives_one_line(data: st.DataObject, head: str, brk: str,
                                                                        tail: str) -> None:
    document = base()
    path = data.draw(st.sampled_from(leaves(document)))
    put(document, path, head + brk + tail)
    try:
        parse_case(document)
    except CaseError as error:
        assert len(str(error).splitlines()) == 1, repr(str(error))
