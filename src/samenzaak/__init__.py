"""Samenzaak: the VNG ZGW APIs and collective dashboards for Dutch municipalities."""

__version__ = "0.1.0"
