"""Collective dashboards: management information on zaken per organisation, and compared."""
