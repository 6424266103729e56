"""Documenten API."""
