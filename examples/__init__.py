"""The bundled example cases (``evalroom-case/1``), installed as the package ``evalroom_examples``."""
