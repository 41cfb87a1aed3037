"""What pyproject.toml cannot say: the read-only resources and the bundled examples stay at the top of the
source tree (``resources/``, ``examples/``) and install as the packages ``evalroom_resources`` and
``evalroom_examples``, so a wheel carries the fonts, templates, translations and examples and ``app.paths``
finds them through ``importlib.resources`` wherever the app is installed. The GUI's translations are built
into the wheel: each ``resources/translations/*.ts`` gives its ``.qm`` (``pyside6-lrelease``, from PySide6 in the
build environment; without it the GUI builds them at first use, ui/i18n.py)."""

import os
import subprocess
from pathlib import Path

from setuptools import find_namespace_packages, find_packages, setup
from setuptools.command.build_py import build_py

#: the data packages and their subfolders (fonts, templates, ...), each listed, as setuptools asks of data folders
DATA = {"evalroom_resources": "resources", "evalroom_examples": "examples"}
data_packages = [f"{name}.{sub}" if sub else name for name, folder in DATA.items()
                 for sub in ["", *find_namespace_packages(where=folder, exclude=["*__pycache__*"])]]


def _lrelease() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    found = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    return found if found.is_file() else None


class BuildWithTranslations(build_py):
    """build_py, then each translation's ``.qm`` built from its ``.ts`` into the build folder."""

    def run(self) -> None:
        super().run()
        tool = _lrelease()
        if tool is None:
            self.warn("PySide6's lrelease is not in the build environment: the .qm files are built at first use")
            return
        target = Path(self.build_lib) / "evalroom_resources" / "translations"
        for ts in sorted(Path("resources/translations").glob("*.ts")):
            subprocess.run([str(tool), "-silent", str(ts), "-qm", str(target / ts.with_suffix(".qm").name)],
                           check=True)


setup(
    packages=[*find_packages(include=["app", "app.*", "ui", "ui.*"]), *data_packages],
    package_dir=DATA,
    package_data={name: ["*"] for name in data_packages},
    exclude_package_data={name: ["*.pyc", "*.part"] for name in data_packages},
    cmdclass={"build_py": BuildWithTranslations},
)
