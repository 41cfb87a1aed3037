"""Finding the exception classes a package defines (tests of the one error hierarchy, app/errors.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType


def exception_classes(package: ModuleType) -> list[type[BaseException]]:
    """Every exception class defined at the top of a module of ``package`` (its modules imported)."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == module.__name__:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())
