"""Zaken API."""
