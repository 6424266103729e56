"""The ASGI entry point for uvicorn workers: ``samenzaak.asgi:app``."""

from samenzaak.app import create_app
from samenzaak.common.observability import configure_logging
from samenzaak.config import get_settings

configure_logging(get_settings().log_level, json=get_settings().log_json)
app = create_app()
