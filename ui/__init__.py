"""The PySide6 GUI of EvalRoom. It calls `app.services` and never touches SQL, files or keys itself."""
