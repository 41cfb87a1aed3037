"""`python -m app` is the same as `evalroom`."""

from app.cli import run

if __name__ == "__main__":
    run()
