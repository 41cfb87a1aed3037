"""EvalRoom's read-only resources (fonts, templates, icons, translations, the stand-in camera picture), installed as
the package ``evalroom_resources``; ``app.paths`` names the files."""
