"""Notificaties API 1.0.1 and the delivery of notifications to subscribers.

- ``api.py``/``service.py``/``schemas.py``/``models.py``: kanalen, abonnementen and
  ``POST /notificaties`` at ``/notificaties/api/v1``.
- ``kanalen.py``: Samenzaak's own kanalen, registered idempotently at start.
- ``dispatcher.py``: outbox -> deliveries -> POST to the callbacks, at least once.
- ``metrics.py``: delivery health as JSON (served at ``/notificaties/metrics``).
- ``runtime.py``: ``install(app)``: the metrics route and the lifespan (kanalen, embedded
  dispatcher). ``cli.py``: ``samenzaak worker`` and ``samenzaak notificaties failed|retry``.
- ``testing.py``: a loopback webhook subscriber for the tests and the benchmark.
"""
