"""The one error hierarchy (app/errors.py): every exception class of ours derives from EvalRoomError, the command
line reports each by its exit code and prefix, and a message renders in Chinese and in English."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import app
from app import errors
from app.archive.retention import RetentionError
from app.cli import main
from app.commands.base import UsageError
from app.crypto.passphrases import PassphraseMissing
from app.domain.errors import CaseError
from app.domain.scoring import ScoreProblem
from app.errors import CATALOGUE, EXIT_INVALID, EXIT_USAGE, Bilingual, EvalRoomError, render
from app.services.archive import ArchiveError
from app.services.desk_actions import DeskError
from app.services.pairing import PairingRefused
from app.services.session import ActionRefused
from app.services.venues import VenueError
from app.settings import SettingsError
from app.store.ledger_store import StoreError
from errorkit import exception_classes


def test_every_exception_class_of_the_core_derives_from_the_base() -> None:
    classes = exception_classes(app)
    assert len(classes) > 40  # the walk found them
    assert [f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, EvalRoomError)] == []


def test_one_class_per_name_among_the_refusals() -> None:
    from app.center.errors import Declined
    from app.ledger.refusal import Refused

    assert Declined is not Refused and not hasattr(importlib.import_module("app.center.errors"), "Refused")


def test_the_stdlib_bases_callers_rely_on_are_kept() -> None:
    from app.crypto.keys import KeyFileError
    from app.recording.writer import WriteError

    assert issubclass(CaseError, ValueError) and issubclass(SettingsError, ValueError)
    assert issubclass(KeyFileError, ValueError) and issubclass(VenueError, ValueError)
    assert issubclass(ScoreProblem, ValueError) and issubclass(WriteError, OSError)


SAMPLES: list[EvalRoomError] = [
    UsageError("--out: bad"), StoreError("x.sqlite: not a session"), CaseError("scores.E3", "above 20", zh="超过 20"),
    SettingsError("settings file s.toml: idle_minutes: bad"), PairingRefused("配对失败", "pairing failed"),
    ArchiveError("not built", ["problem 1"]), ArchiveError("bad DIR", usage=True), RetentionError("too early"),
    ActionRefused("the fold says no"), DeskError("不可", "not allowed"), VenueError("无效", "invalid"),
    ScoreProblem("分数无效", "bad score"), PassphraseMissing("no room key passphrase is set"),
    EvalRoomError(key="action.refused", detail="keyed"),
]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_str_is_the_english_message_and_both_languages_render(error: EvalRoomError) -> None:
    assert str(error) == error.message("en") and str(error)
    assert error.message("zh")
    assert error.exit_code in (EXIT_INVALID, EXIT_USAGE)


def test_messages_in_chinese_and_in_english() -> None:
    refused = ActionRefused("late bid")
    assert (refused.message("zh"), refused.message("en")) == ("操作未被接受（已作为证据记录）：late bid", "late bid")
    case = CaseError("bidders[1].price", "not a decimal", zh="不是十进制数")
    assert case.message("zh") == "投标人 › 第2项 › 投标报价：不是十进制数"
    assert case.message("en") == "bidders[1].price: not a decimal"
    venue = VenueError("副场不存在", "no such venue")
    assert (venue.message("zh"), venue.message("en")) == ("副场不存在", "no such venue")  # one language each
    keyed = EvalRoomError(key="action.refused", detail="x")
    assert (str(keyed), keyed.params) == ("x", {"detail": "x"})
    assert keyed.message("zh") == "操作未被接受（已作为证据记录）：x"
    assert isinstance(DeskError("不可", "no"), Bilingual)


def test_render() -> None:
    assert render("internal", "en", kind="KeyError", detail="'x'") == \
        "internal error: KeyError: 'x' (set EVALROOM_DEBUG=1 for details)"
    assert render("internal", "zh", kind="KeyError", detail="'x'").startswith("内部错误：KeyError")
    assert render("no.such.key", "zh") == "no.such.key"  # shows, never hides
    assert render("internal", "en") == CATALOGUE["internal"][1]  # a missing argument does not raise
    assert errors.message(KeyError("x"), "zh") == "KeyError: 'x'"


def test_the_catalogue_has_both_languages_and_every_help_key() -> None:
    assert all(zh and en for zh, en in CATALOGUE.values())
    for cls in exception_classes(app):
        if issubclass(cls, EvalRoomError) and cls.help_key is not None:
            assert cls.help_key in CATALOGUE, cls


def test_diagnostics_say_what_to_do() -> None:
    missing = PassphraseMissing("no room key passphrase is set")
    assert "EVALROOM_KEY_PASSPHRASE" in missing.diagnostics("en") and "口令" in missing.diagnostics("zh")
    assert ActionRefused("x").diagnostics("zh")  # the key's own ".help"
    assert UsageError("--out: bad").diagnostics() == ""  # nothing more to say
    assert errors.diagnostics(ValueError("x")) == ""


CLI = [  # the error, the exit code, the line on stderr
    (UsageError("--out x: bad"), EXIT_USAGE, "evalroom: --out x: bad"),
    (StoreError("x.sqlite: not an SQLite session file"), EXIT_USAGE,
     "evalroom: evaluate: x.sqlite: not an SQLite session file"),
    (CaseError("scores.E3.B2.T1", '"21" is above the maximum 20'), EXIT_USAGE,
     'scores.E3.B2.T1: "21" is above the maximum 20'),
    (SettingsError("settings file s.toml: idle_minutes: -3 is below the minimum 1"), EXIT_USAGE,
     "evalroom: settings file s.toml: idle_minutes: -3 is below the minimum 1"),
    (PairingRefused("配对失败", "pairing failed\nsecond line"), EXIT_INVALID,
     "evalroom: evaluate: pairing failed\\nsecond line"),
    (ArchiveError("not built", ["p"]), EXIT_INVALID, "evalroom: evaluate: not built"),
    (RetentionError("retained until 2040"), EXIT_INVALID, "evalroom: evaluate: retained until 2040"),
]


@pytest.mark.parametrize(("error", "code", "line"), CLI, ids=lambda v: type(v).__name__ if isinstance(v, Exception)
                         else None)
def test_the_command_line_reports_each_error_by_its_exit_code(error: EvalRoomError, code: int, line: str,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    def raising(*args: object, **kwargs: object) -> None:  # evaluate_file(case, bidder_keys=…)
        raise error

    monkeypatch.delenv("EVALROOM_DEBUG", raising=False)
    monkeypatch.setattr("app.services.evaluation.evaluate_file", raising)
    assert main(["evaluate", "case.json"]) == code
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == ("", line + "\n")


def test_the_command_line_prefixes_the_subcommand(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def raising(*args: object, **kwargs: object) -> None:
        raise StoreError("s.sqlite: no such session file")

    monkeypatch.setattr("app.services.ledger_check.verify_path", raising)
    assert main(["ledger", "verify", str(tmp_path)]) == EXIT_USAGE
    assert capsys.readouterr().err == "evalroom: ledger verify: s.sqlite: no such session file\n"


def test_the_command_line_shows_diagnostics_when_debugging(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    def raising(*args: object, **kwargs: object) -> None:  # evaluate_file(case, bidder_keys=…)
        raise PassphraseMissing("no room key passphrase is set")

    monkeypatch.setattr("app.services.evaluation.evaluate_file", raising)
    monkeypatch.delenv("EVALROOM_DEBUG", raising=False)
    assert main(["evaluate", "case.json"]) == EXIT_USAGE
    assert capsys.readouterr().err == "evalroom: evaluate: no room key passphrase is set\n"  # one line (spec/cli.md)
    monkeypatch.setenv("EVALROOM_DEBUG", "1")
    assert main(["evaluate", "case.json"]) == EXIT_USAGE
    first, diagnostics = capsys.readouterr().err.splitlines()
    assert first == "evalroom: evaluate: no room key passphrase is set" and "EVALROOM_KEY_PASSPHRASE" in diagnostics


def test_every_key_raised_in_the_core_is_in_the_catalogue() -> None:
    import re

    root = Path(app.__file__).parent
    raised = {key for path in root.rglob("*.py") if path.parent.name != "errors"  # its docstring's example aside
              for key in re.findall(r'\bkey="([a-z_]+(?:\.[a-z_]+)+)"', path.read_text(encoding="utf-8"))}
    assert len(raised) > 40
    assert sorted(raised - set(CATALOGUE)) == []
    from app.services.pairing_desk import SPENT  # the keys of a table

    assert sorted(set(SPENT.values()) - set(CATALOGUE)) == []


def test_each_raise_site_gives_the_arguments_its_message_names() -> None:
    """A missing argument would show as ``{name}`` in the room: every ``Error(key="...", ...)`` call of app/ passes
    each placeholder of its key."""
    import ast
    from string import Formatter

    root = Path(app.__file__).parent
    missing, calls = [], 0
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            given = {k.arg: k.value for k in node.keywords}
            key = given.get("key")
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) or None in given:
                continue
            calls += 1
            needed = {name for text in CATALOGUE[key.value] for _, name, _, _ in Formatter().parse(text) if name}
            if needed - set(given) - {"detail"}:
                missing.append(f"{path.relative_to(root)}:{node.lineno} {key.value} {sorted(needed - set(given))}")
    assert calls > 70 and missing == []


def test_a_keyed_refusal_reads_as_its_raise_site_wrote_it() -> None:
    drawn = DeskError(key="seat.member_not_drawn", member="E9")
    assert (drawn.zh, drawn.en, str(drawn)) == ("E9 不在本项目抽取的专家名单中", "E9 is not on the drawn list",
                                                "E9 is not on the drawn list")
    assert (drawn.message("zh"), drawn.key, drawn.params) == (drawn.zh, "seat.member_not_drawn", {"member": "E9"})
    venue = VenueError(key="venue.not_a_venue", to="county-9")
    assert venue.message("zh") == "county-9 不是本会话的副场"
    assert venue.zh == "county-9 不是本会话的副场 / county-9 is not a remote venue of this session"
    with pytest.raises(TypeError):
        DeskError("只有中文")


def test_a_refusal_passed_on_keeps_its_key_or_its_texts() -> None:
    from app.services.report import ReportDeskError

    passed = DeskError.recast(ReportDeskError(key="report.no_signature"))
    assert (type(passed), passed.key, passed.zh, str(passed)) == (DeskError, "report.no_signature", "请先手写签名",
                                                                   "write the signature first")
    venue = VenueError("副场不存在", "no such venue")  # its .zh holds both languages: message("zh") the Chinese
    assert (DeskError.recast(venue).zh, str(DeskError.recast(venue))) == ("副场不存在", "no such venue")
