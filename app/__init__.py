"""EvalRoom (评标室): the Qt-free core of the evaluation-room application."""

__version__ = "0.1.0"
