"""The ASGI entry point for uvicorn workers: ``samenzaak.asgi:app``."""

from samenzaak.app import create_app

app = create_app()
