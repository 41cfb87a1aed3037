"""Where EvalRoom finds its read-only resources and the bundled examples."""

from __future__ import annotations

import sys
from pathlib import Path

#: The source tree, or the bundle folder of the frozen app (installers/pyinstaller puts resources/ and examples/ there).
ROOT = Path(getattr(sys, "_MEIPASS", None) or Path(__file__).resolve().parent.parent)
RESOURCES = ROOT / "resources"
FONTS = RESOURCES / "fonts"
TEMPLATES = RESOURCES / "templates"
EXAMPLES = ROOT / "examples"

#: The CJK TrueType font shipped with the app (WenQuanYi Micro Hei, Apache-2.0 or GPL-3+ with font exception).
CJK_FONT = FONTS / "wqy-microhei.ttf"
#: The demo session of `make run`.
DEMO_CASE = EXAMPLES / "procurement-goods-comprehensive.json"
