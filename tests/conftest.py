"""Test set-up: Qt must be offscreen before any QApplication exists (else pytest-qt aborts).

Test helpers live in tests/support (on the path through the pytest settings); tests are imported
with importlib mode, so tests/app never shadows the real `app` package.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
