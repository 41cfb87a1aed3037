"""The application has one language, whichever screen switched it."""

from __future__ import annotations

from ui.i18n import DEFAULT_LANGUAGE, Languages, tr
from ui.launch import application


def test_a_switch_replaces_the_language_another_screen_installed() -> None:
    application()
    start_screen, window = Languages(), Languages()
    try:
        start_screen.switch("en")  # the start screen follows the settings
        window.switch("en")  # the window too: the translators must not stack
        assert tr("未配置交易中心") == "no center configured"
        window.switch(DEFAULT_LANGUAGE)  # the menu switch back to Chinese: Chinese everywhere
        assert tr("未配置交易中心") == "未配置交易中心"
    finally:
        Languages().switch(DEFAULT_LANGUAGE)
