"""What pyproject.toml cannot say: the read-only resources and the bundled examples stay at the top of the
source tree (``resources/``, ``examples/``) and install as the packages ``evalroom_resources`` and
``evalroom_examples``, so a wheel carries the fonts, templates, translations and examples and ``app.paths``
finds them through ``importlib.resources`` wherever the app is installed."""

from setuptools import find_namespace_packages, find_packages, setup

#: the data packages and their subfolders (fonts, templates, ...), each listed, as setuptools asks of data folders
DATA = {"evalroom_resources": "resources", "evalroom_examples": "examples"}
data_packages = [f"{name}.{sub}" if sub else name for name, folder in DATA.items()
                 for sub in ["", *find_namespace_packages(where=folder, exclude=["*__pycache__*"])]]

setup(
    packages=[*find_packages(include=["app", "app.*", "ui", "ui.*"]), *data_packages],
    package_dir=DATA,
    package_data={name: ["*"] for name in data_packages},
    exclude_package_data={name: ["*.pyc"] for name in data_packages},
)
