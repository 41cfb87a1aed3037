"""The GUI's one error presenter (ui/errors.py) and the exception classes of ui/: all derive from the core's base."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import ui
from app.errors import EvalRoomError
from app.services.case_files import CaseError
from app.services.desk_actions import DeskError
from app.services.pairing import PairingRefused
from app.services.session import ActionRefused
from app.store.ledger_store import StoreError
from errorkit import exception_classes
from ui import errors
from ui.launch import application

UI = Path(__file__).resolve().parents[2] / "ui"
#: reading an exception's texts by hand: ``.zh`` / ``.en`` / ``zh_message()``, or a dialog of its own for a failure
DUCK_TYPING = re.compile(r'getattr\(\w+, "(?:zh|en)"|\b(?:exc|error|problem)\.(?:zh|en)\b|zh_message\(')
PRESENTERS = re.compile(r"^def (?:describe|present_error)\(", re.MULTILINE)


def test_every_exception_class_of_the_gui_derives_from_the_base() -> None:
    classes = exception_classes(ui)
    assert len(classes) >= 3
    assert [f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, EvalRoomError)] == []


def test_the_text_a_person_in_the_room_reads() -> None:
    assert errors.describe(DeskError("照片中检测到 2 张人脸", "2 faces in the photo")) == "照片中检测到 2 张人脸"
    assert errors.describe(CaseError("bidders[0].price", "bad", zh="不是金额")) == "投标人 › 第1项 › 投标报价：不是金额"
    assert errors.describe(ActionRefused("late")) == "操作未被接受（已作为证据记录）：late"
    assert errors.describe(StoreError("x.sqlite: not a session")) == "x.sqlite: not a session"  # no key yet: as raised
    assert errors.describe(ZeroDivisionError("division by zero")) == "ZeroDivisionError: division by zero"
    assert errors.describe(PairingRefused("配对失败", "pairing failed"), "en") == "pairing failed"
    assert errors.english(PairingRefused("配对失败", "pairing failed")) == "pairing failed"
    assert errors.english(StoreError("same text")) == "" and errors.english(ValueError("x")) == ""


def test_the_dialog_shows_the_message_and_what_to_do(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.crypto.passphrases import PassphraseMissing

    application()
    shown: list[tuple[str, str]] = []

    def fake_exec(box: Any) -> int:  # the real dialog would wait for a click
        shown.append((box.text(), box.informativeText()))
        return 0

    monkeypatch.setattr("ui.errors.QMessageBox.exec", fake_exec)
    errors.present_error(None, PassphraseMissing("no room key passphrase is set"))
    errors.present_error(None, RuntimeError("boom"))
    (text, details), (other, nothing) = shown
    assert text == "no room key passphrase is set" and "EVALROOM_KEY_PASSPHRASE" in details and "口令" in details
    assert (other, nothing) == ("RuntimeError: boom", "")


def test_one_presenter_and_no_duck_typing_in_the_gui() -> None:
    sources = {path.relative_to(UI).as_posix(): path.read_text(encoding="utf-8") for path in UI.rglob("*.py")}
    assert sorted(name for name, text in sources.items() if PRESENTERS.search(text)) == ["errors.py"]
    assert sorted(name for name, text in sources.items() if DUCK_TYPING.search(text)) == []


def test_both_languages_where_the_room_reads_both() -> None:
    from app.services.venues import VenueError

    assert errors.bilingual(VenueError("公钥无效", "bad key")) == "公钥无效 / bad key"
    assert errors.bilingual(PairingRefused("配对失败", "pairing failed"), "\n") == "配对失败\npairing failed"
    assert errors.bilingual(StoreError("same text")) == "same text"
    assert errors.bilingual(ValueError("x")) == "ValueError: x"


def test_database_work_fails_to_the_presenter(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A DbOp or PoolOp with no failure callback goes to ui/errors.py (the client's collector when it has one)."""
    from ui.ops import PoolOp

    application()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr("ui.errors.show_error", lambda _parent, text, details="": shown.append((text, details)))

    def refuse() -> None:
        raise DeskError("照片中检测到 2 张人脸", "2 faces in the photo")

    PoolOp(refuse).run_in_background()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown == [("照片中检测到 2 张人脸", "")]


def test_english_mode_shows_english_only() -> None:
    from ui.i18n import DEFAULT_LANGUAGE, Languages

    application()
    languages = Languages()
    try:
        languages.switch("en")
        refused = DeskError("照片中检测到 2 张人脸", "2 faces in the photo")
        assert (errors.describe(refused), errors.bilingual(refused)) == ("2 faces in the photo",) * 2
        assert errors.describe(CaseError("bidders[0].price", "bad", zh="不是金额")) == "bidders[0].price: bad"
    finally:
        languages.switch(DEFAULT_LANGUAGE)
