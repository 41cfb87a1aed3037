"""Entry script of the frozen `evalroom` (installers/pyinstaller/evalroom.spec): the same CLI as `python -m app`.

The app starts its helper processes through ``sys.executable``, which in the bundle is this program, not Python:
the recorder as ``sys.executable -m app record ...`` (app/recording/process.py) and the check-in face check as
``sys.executable -c "from app.services.recording import face_worker; face_worker()"``. Both forms are honoured
here; ``-c`` only for such a call of an ``app`` function, so the bundle is no general Python interpreter.
"""

import re
import sys

_CHILD_CALL = re.compile(r"from (app(?:\.\w+)+) import (\w+); \2\(\)")


def _child_call(code: str) -> None:
    match = _CHILD_CALL.fullmatch(code.strip())
    if match is None:
        print(f"evalroom: -c accepts only 'from app.MODULE import NAME; NAME()', not {code!r}", file=sys.stderr)
        sys.exit(2)
    import importlib

    getattr(importlib.import_module(match.group(1)), match.group(2))()
    sys.exit(0)


if sys.argv[1:3] == ["-m", "app"]:
    del sys.argv[1:3]
elif len(sys.argv) >= 3 and sys.argv[1] == "-c":
    code = sys.argv[2]
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    _child_call(code)

from app.cli import run  # noqa: E402

run()
