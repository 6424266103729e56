"""The ASGI entry point for uvicorn workers: ``samenzaak.asgi:app``."""

import gc

from samenzaak.app import create_app
from samenzaak.common.observability import configure_logging
from samenzaak.config import get_settings

configure_logging(get_settings().log_level, json=get_settings().log_json)
app = create_app()

# What the app built lives as long as the worker: the official specs of the request
# contract, the models, the routes (some 200,000 objects). Each full collection walked them
# all, a 65 ms pause for whichever requests were running: the p99 of a list page. Frozen,
# the collector skips them (requests' own garbage is collected as before).
gc.collect()
gc.freeze()
