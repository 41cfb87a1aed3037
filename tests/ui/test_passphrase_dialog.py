"""Issue 13, defect 11 in the GUI: a room PC's console, workstation or supervisor starts only with the room key's
passphrase — configured (EVALROOM_KEY_PASSPHRASE, the settings' key_passphrase_file, the OS keyring) or typed in
a dialog at start (twice, the first time; the keyring offered when there is one). Offscreen, or when cancelled,
the start is refused saying how to set it; `evalroom demo` never asks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import logs, settings
from app.crypto.keys import SigningKey
from app.crypto.passphrases import is_demo_key
from ui import passphrase as dialogs
from ui.i18n import DEFAULT_LANGUAGE, Languages, load_catalogue
from ui.main_window import MainWindow
from ui.passphrase import PassphraseDialog, obtain_room_passphrase
from ui.start_screen import StartScreen, run_start_screen
from ui.workstation.seat_window import SeatWindow


@pytest.fixture
def room_pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A room PC's settings file and no passphrase anywhere."""
    for name in [n for n in os.environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    path = tmp_path / "settings.toml"
    path.write_text(f"version = 1\nroom_id = 'sz-3'\ndata_folder = '{tmp_path / 'data'}'\n", encoding="utf-8")
    settings.select(path)
    monkeypatch.setattr("ui.crash.CrashHandler.install", lambda self: self)
    yield tmp_path / "data"
    settings.select(None)
    logs.teardown()
    Languages().switch(DEFAULT_LANGUAGE)


def _choose(monkeypatch: pytest.MonkeyPatch, role: int, seen: list[MainWindow]) -> None:
    def choose(screen: StartScreen) -> int:
        screen.role = role
        return StartScreen.DialogCode.Accepted

    def loop(_app: object) -> int:
        QApplication.processEvents()
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow | SeatWindow) and w.isVisible())
        seen.append(window)
        window.close()
        return 0

    monkeypatch.setattr(StartScreen, "exec", choose)
    monkeypatch.setattr(QApplication, "exec", loop)


def _typing(monkeypatch: pytest.MonkeyPatch, *answers: tuple[str, str]) -> tuple[list[PassphraseDialog], list[str]]:
    """Someone at the screen: each dialog gets the next (passphrase, again) and OK, until it accepts; the
    dialogs shown and the error each answer left in its dialog."""
    shown: list[PassphraseDialog] = []
    errors: list[str] = []
    pending = list(answers)

    def answer(dialog: PassphraseDialog) -> int:
        shown.append(dialog)
        while pending:
            text, again = pending.pop(0)
            dialog.passphrase.setText(text)
            dialog.again.setText(again)
            dialog.ok_button.click()
            errors.append(dialog.error.text())
            if dialog.result() == PassphraseDialog.DialogCode.Accepted:
                return dialog.result()
        return PassphraseDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs, "interactive", lambda: True)
    monkeypatch.setattr(PassphraseDialog, "exec", answer)
    return shown, errors


def test_offscreen_without_a_passphrase_the_start_is_refused_saying_how(qtbot, room_pc: Path, monkeypatch,
                                                                       capsys) -> None:
    seen: list[MainWindow] = []
    _choose(monkeypatch, 1, seen)
    assert run_start_screen() == 2
    err = capsys.readouterr().err
    assert "EVALROOM_KEY_PASSPHRASE" in err and "key_passphrase_file" in err and "未设置评标室密钥口令" in err
    assert seen == [] and not (room_pc / "keys" / "room.p12").exists()
    from ui.single_instance import acquire

    acquire("workstation", room_pc).unlock()  # the lock was given back


def test_the_first_start_sets_the_passphrase_typed_twice(qtbot, room_pc: Path, monkeypatch) -> None:
    """The supervisor's own PC, never paired: the passphrase of the PC's signing key (made at pairing) is set."""
    shown, errors = _typing(monkeypatch, ("short", "short"), ("room key 2026", "room key 2062"),
                            ("room key 2026", "room key 2026"))
    seen: list[MainWindow] = []
    _choose(monkeypatch, 2, seen)
    assert run_start_screen() == 0 and len(seen) == 1
    assert isinstance(seen[0], SeatWindow) and seen[0]._passphrase == b"room key 2026"  # type: ignore[attr-defined]
    assert len(shown) == 1 and shown[0].first  # one dialog: OK refused until both fields agree
    assert "本机签名密钥口令" in shown[0].windowTitle()
    assert errors[0].startswith("口令至少 8 个字符") and errors[1].startswith("两次输入的口令不一致")
    assert not (room_pc / "keys" / "room.p12").exists()  # a PC holds no room key
    assert not shown[0].keyring.isEnabled()  # no OS keyring on this machine: not offered


def test_a_pc_whose_seat_key_the_passphrase_does_not_open_is_asked_again(qtbot, room_pc: Path, monkeypatch) -> None:
    import json

    from app.services.paired import key_path
    from app.services.pairing import seat_file
    from ui.passphrase import obtain_pc_passphrase

    key = SigningKey.generate()
    key.save(key_path(room_pc, "S-1"), b"the right one", rounds=1000)
    seat_file(room_pc, "S-1").write_text(json.dumps({"hub_url": "https://127.0.0.1:9", "session": "S-1",
                                                     "member": "E1", "role": "expert", "key_id": key.key_id}))
    shown, _ = _typing(monkeypatch, ("a wrong one", ""), ("the right one", ""))
    assert obtain_pc_passphrase(room_pc) == b"the right one"
    assert [d.first for d in shown] == [False, False]
    assert shown[1].error.text().startswith("口令无法打开本机的签名密钥")
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "not this one")
    from app.services.passphrase import PassphraseError

    with pytest.raises(PassphraseError, match="does not open this PC's signing key"):
        obtain_pc_passphrase(room_pc)


def test_a_wrong_passphrase_is_asked_again(qtbot, room_pc: Path, monkeypatch) -> None:
    SigningKey.generate().save(room_pc / "keys" / "room.p12", b"the right one", rounds=1000)
    shown, _ = _typing(monkeypatch, ("a wrong one", ""), ("the right one", ""))
    assert obtain_room_passphrase(room_pc) == b"the right one"
    assert [d.first for d in shown] == [False, False]
    assert shown[1].error.text().startswith("口令无法打开本机的评标室密钥")  # the second dialog says why


def test_a_configured_passphrase_that_does_not_open_the_key_is_refused(qtbot, room_pc: Path, monkeypatch) -> None:
    from app.services.passphrase import PassphraseError

    SigningKey.generate().save(room_pc / "keys" / "room.p12", b"the right one", rounds=1000)
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "not this one")
    with pytest.raises(PassphraseError, match="does not open"):
        obtain_room_passphrase(room_pc)
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "the right one")
    assert obtain_room_passphrase(room_pc) == b"the right one"


def test_the_dialog_checks_what_is_typed(qtbot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(tmp_path / "keys" / "room.p12", first=True, keyring=True)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase, "short")
    qtbot.keyClicks(dialog.again, "short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.secret is None and "至少 8 个字符" in dialog.error.text()
    dialog.passphrase.setText("long enough one")
    dialog.again.setText("long enough two")
    dialog.ok_button.click()
    assert dialog.secret is None and "不一致" in dialog.error.text()
    dialog.again.setText("long enough one")
    dialog.keyring.setChecked(True)
    dialog.ok_button.click()
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted
    assert (dialog.secret, dialog.keep) == (b"long enough one", True)


def test_the_demo_never_asks(qtbot, tmp_path: Path, monkeypatch) -> None:
    from ui.launch import demo_window

    monkeypatch.setattr(PassphraseDialog, "exec", lambda self: pytest.fail("the demo asked for a passphrase"))
    window = demo_window(tmp_path / "demo", recording=None)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.client.pending == 0 and window.client.view is not None, timeout=60_000)
        assert is_demo_key(tmp_path / "demo" / "keys" / "room.p12")
    finally:
        window.client.close()


def test_every_static_text_of_the_dialogs_has_an_english_translation(qtbot, tmp_path: Path) -> None:
    from app.settings import Settings
    from tests.ui.test_language_and_walkthrough import _static_texts
    from ui.first_run import FirstRunWizard

    catalogue = load_catalogue("en")
    for first in (True, False):
        dialog = PassphraseDialog(tmp_path / "room.p12", first=first, keyring=False)
        qtbot.addWidget(dialog)
        assert sorted(t for t in _static_texts(dialog) if t not in catalogue) == []
    wizard = FirstRunWizard(Settings(data_folder=tmp_path), tmp_path / "settings.toml", ask_passphrase=True)
    qtbot.addWidget(wizard)
    assert sorted(t for t in _static_texts(wizard) if t not in catalogue) == []
