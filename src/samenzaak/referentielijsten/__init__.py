"""Referentielijsten API."""
