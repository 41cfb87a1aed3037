"""Qt's own translations (ui/i18n.py): the .ts is what pyside6-lupdate makes of ui/, every source in it has its
English, and no Chinese literal is written outside ``tr()`` / ``QT_TR_NOOP`` anywhere in ui/ (plain strings and
f-strings, docstrings aside; a line marked ``(i18n: not a text)`` holds data, not a text shown).
"""

from __future__ import annotations

import ast
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenuBar,
    QMessageBox,
    QTableWidget,
    QWidget,
)

from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Languages, ts_file
from ui.launch import application

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: the calls whose literal arguments pyside6-lupdate extracts
TRANSLATING = {"tr", "translate", "QT_TR_NOOP", "QT_TRANSLATE_NOOP"}
#: texts shown in their own language whatever the GUI's: the language names of the 语言 Language menu
NATIVE = {*LANGUAGES.values(), "语言 Language"}
#: a literal on a line with this comment is not a text shown (a set of characters to break lines after, ...)
NOT_A_TEXT = "(i18n: not a text)"

def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Chinese string literal outside a translating call: plain strings and f-strings (one each),
    docstrings, the NATIVE texts and the lines marked NOT_A_TEXT aside; a translating call inside an f-string counts
    as outside."""
    tree = ast.parse(source)
    lines = source.splitlines()
    # pyside6-lupdate does not look inside f-strings: a tr("…") there is not extracted, so it counts as outside
    in_fstrings = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for inner in ast.walk(node)}
    spared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                spared.add(id(first.value))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in TRANSLATING:
                spared.update(id(arg) for arg in node.args
                              if isinstance(arg, ast.Constant) and id(arg) not in in_fstrings)
        elif isinstance(node, ast.JoinedStr):
            spared.update(id(part) for part in node.values if isinstance(part, ast.Constant))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in spared:
            text = node.value
        else:
            continue
        if CJK.search(text) and text not in NATIVE and NOT_A_TEXT not in lines[node.lineno - 1]:
            found.append((node.lineno, text))
    return sorted(found)


def test_no_chinese_literal_outside_tr() -> None:
    found = {}
    for path in sorted(UI.rglob("*.py")):
        texts = [f"{line}: {text}" for line, text in chinese_literals(path.read_text(encoding="utf-8"))]
        if texts:
            found[path.relative_to(ROOT).as_posix()] = texts[:5]
    assert found == {}, "write tr(\"…\") (or QT_TR_NOOP for a table of texts) and its English in the .ts"


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(context.findtext("name") or "", message.findtext("source") or ""): message.find("translation")
            for context in root.iter("context") for message in context.iter("message")}  # type: ignore[misc]


def test_the_ts_is_what_lupdate_makes_of_ui(tmp_path: Path) -> None:
    """`make translations` was run after the last tr() change: the .ts holds exactly ui/'s tr() texts."""
    import PySide6

    made = tmp_path / "evalroom_en.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    subprocess.run([str(Path(PySide6.__file__).parent / "lupdate"), *sources, "-source-language", "zh_CN",
                    "-target-language", "en", "-locations", "none", "-no-obsolete", "-silent", "-ts", str(made)],
                   check=True, capture_output=True, timeout=120)
    assert sorted(_messages(made)) == sorted(_messages(ts_file("en"))), "run `make translations`"


def test_every_source_text_has_its_english() -> None:
    untranslated = [source for (_, source), translation in _messages(ts_file("en")).items()
                    if translation is None or not (translation.text or "").strip() or translation.get("type")]
    assert untranslated == [], "write their English in resources/translations/evalroom_en.ts"
    chinese = [t.text for t in _messages(ts_file("en")).values() if t is not None and CJK.search(t.text or "")]
    assert chinese == [], "an English translation with Chinese in it"


def test_chinese_mode_has_qts_own_buttons_in_chinese_and_english_mode_in_english() -> None:
    application()
    languages = Languages()
    try:
        languages.switch(DEFAULT_LANGUAGE)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        assert [b.text() for b in box.buttons()] == ["确定", "取消"]
        question = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes
                               | QMessageBox.StandardButton.No)
        assert sorted(b.text().replace("&", "") for b in question.buttons()) == sorted(["是(Y)", "否(N)"])
        languages.switch("en")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
        assert QCoreApplication.translate("", "未配置交易中心：会话只保存在本机，之后手动同步。") == (
            "No center configured: the session is kept on this computer only; sync it by hand later.")  # the .qm's
    finally:
        languages.switch(DEFAULT_LANGUAGE)


def test_english_without_a_compiled_qm_or_lrelease_reads_the_ts(monkeypatch, tmp_path: Path) -> None:
    """A bundle or wheel built without the .qm (and with no lrelease to build it) still shows English."""
    import ui.i18n as i18n

    application()
    monkeypatch.setattr(i18n, "ts_file", lambda code: tmp_path / f"evalroom_{code}.ts")
    (tmp_path / "evalroom_en.ts").write_bytes(ts_file("en").read_bytes())  # the .ts without its .qm
    monkeypatch.setattr(i18n, "_lrelease", lambda: None)
    i18n.compiled.cache_clear()
    languages = Languages()
    try:
        languages.switch("en")
        assert QCoreApplication.translate("", "未配置交易中心：会话只保存在本机，之后手动同步。") == (
            "No center configured: the session is kept on this computer only; sync it by hand later.")
    finally:
        languages.switch(DEFAULT_LANGUAGE)
        i18n.compiled.cache_clear()


MIXED = re.compile(r"[\u4e00-\u9fff][^\n]* / [A-Za-z]")  # "重写 / Clear": two languages in one text


def _shown_texts(root: QWidget) -> list[str]:
    """The static texts of the converted parts under ``root``: labels, buttons, group titles, placeholders, table
    headers, list items, menus."""
    texts: list[str] = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QTableWidget):
            texts += [widget.horizontalHeaderItem(i).text() for i in range(widget.columnCount())]
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QMenuBar):
            texts += [a.text() for a in widget.actions()] + [s.text() for a in widget.actions()
                                                              for s in a.menu().actions()]
    return [t for t in texts if t]


def test_the_converted_pages_show_one_language(window, tmp_path: Path) -> None:
    """The start screen, the window's menus and roles, every console page, the workstations' login, the supervisor
    and the idle lock: English only in English (the session's own names aside), no "中文 / English" text in Chinese;
    and back."""
    from app.settings import Settings
    from ui.start_screen import StartScreen
    from ui.widgets.idle_lock import LockOverlay

    screen = StartScreen(Settings(data_folder=tmp_path))
    lock = LockOverlay(window, lambda _pin: False)
    pages = []
    for index in range(window.console.nav.count()):  # every console page, built
        window.console.show_page(index)
        pages.append(window.console.stack.widget(index))
    desk = window.console.checkin
    window.console.show_page(2)
    view = window.client.view
    data = ({m.name for m in view.members} | {view.case.project.name, view.case.lot.name}
            | {b.name for b in view.case.bidders} | {c.name for c in view.case.method.criteria})
    try:
        for code in ("en", DEFAULT_LANGUAGE, "en"):
            window.set_language(code)
            # each page shown once first (a hidden page draws its snapshot when shown), then the whole window
            shown: list[tuple[QWidget, int | None]] = [(page, index) for index, page in enumerate(pages)]
            shown += [(window.supervisor, -1)] + [(root, None) for root in (
                screen, window.menuBar(), window.role_buttons.button(0).parentWidget(), window.console.nav, desk,
                window.workstations, lock)]
            for root, place in shown:
                if place == -1:
                    window.select_role(2)  # a hidden page draws its snapshot when shown
                elif place is not None:
                    window.select_role(0)
                    window.console.show_page(place)
                texts = [t for t in _shown_texts(root) if t not in data and not any(name in t for name in data)]
                if code == "en":
                    assert [t for t in texts if CJK.search(t) and t not in NATIVE] == [], root
                else:
                    assert [t for t in texts if MIXED.search(t)] == [], root
            window.select_role(0)
            nav = window.console.nav  # every page name shown whole (a long one wraps), in either language
            QCoreApplication.processEvents()
            for row in range(nav.count()):
                box = nav.visualRect(nav.model().index(row, 0)).adjusted(6, 0, -6, 0)
                need = nav.fontMetrics().boundingRect(box, Qt.TextFlag.TextWordWrap, nav.item(row).text())
                assert box.right() < nav.viewport().width() and need.width() <= box.width() and (
                    need.height() <= box.height()), (code, nav.item(row).text())
        assert desk.photo_button.text() == "Take photo" and window.console.nav.item(2).text() == "Expert check-in"
    finally:
        window.set_language(DEFAULT_LANGUAGE)
        screen.deleteLater()
    assert desk.photo_button.text() == "拍照" and screen.question.text() == "请选择本机的用途："
