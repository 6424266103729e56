"""Catalogi API."""
