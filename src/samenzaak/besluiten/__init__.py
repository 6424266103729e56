"""Besluiten API."""
