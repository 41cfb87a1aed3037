"""Where EvalRoom finds its read-only resources and the bundled examples.

They are the packages ``evalroom_resources`` (``resources/`` of the source tree) and ``evalroom_examples``
(``examples/``), found through :mod:`importlib.resources`, so an editable install, a wheel installed anywhere and
the frozen bundle (installers/pyinstaller puts both folders beside the program) all find the same files.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

_BUNDLE = getattr(sys, "_MEIPASS", None)


def _folder(package: str, bundled: str) -> Path:
    """The folder of a data package as a real path (the fonts go to reportlab, Qt and PIL, the templates to
    subprocesses): an install unpacked on disk, never a zip."""
    if _BUNDLE is not None:
        return Path(_BUNDLE) / bundled
    try:
        found = resources.files(package)
    except ModuleNotFoundError:  # an editable install made before the data packages existed: `make` reinstalls it
        return Path(__file__).resolve().parent.parent / bundled
    path = Path(str(found))
    if not path.is_dir():
        raise RuntimeError(f"EvalRoom's {bundled} ({package}) are not a folder on disk: {found}; "
                           "install EvalRoom unpacked (pip install, not a zip import)")
    return path


RESOURCES = _folder("evalroom_resources", "resources")
FONTS = RESOURCES / "fonts"
TEMPLATES = RESOURCES / "templates"
EXAMPLES = _folder("evalroom_examples", "examples")

#: The CJK TrueType font shipped with the app (WenQuanYi Micro Hei, Apache-2.0 or GPL-3+ with font exception).
CJK_FONT = FONTS / "wqy-microhei.ttf"
#: The demo session of `make run`.
DEMO_CASE = EXAMPLES / "procurement-goods-comprehensive.json"
