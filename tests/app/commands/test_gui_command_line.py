"""A command line that opens the GUI is parsed by the GUI's part of the parser alone, exactly as by the whole."""

from __future__ import annotations

import pytest

from app.cli import build_parser, opens_the_gui

GUI = [[], ["--kiosk"], ["--mode", "venue"], ["--settings", "s.toml", "--mode", "console"], ["--settings=s.toml"],
       ["demo"], ["demo", "--data", "d"], ["--settings", "demo", "demo", "--room"], ["demo", "--walkthrough", "out"]]
OTHERS = [["--help"], ["-h", "demo"], ["evaluate", "case.json"], ["--settings", "s.toml", "ledger", "verify", "x"],
          ["settings", "show"], ["demonstrate"]]


@pytest.mark.parametrize("argv", GUI)
def test_a_gui_command_line_parses_the_same_with_the_gui_part_alone(argv: list[str]) -> None:
    assert opens_the_gui(argv)
    slim, whole = build_parser(commands_too=False).parse_args(argv), build_parser().parse_args(argv)
    assert {k: v for k, v in vars(slim).items() if k != "handler"} == {
        k: v for k, v in vars(whole).items() if k != "handler"}


@pytest.mark.parametrize("argv", OTHERS)
def test_any_other_command_line_gets_the_whole_tree(argv: list[str]) -> None:
    assert not opens_the_gui(argv)
