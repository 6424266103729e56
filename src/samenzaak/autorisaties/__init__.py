"""Autorisaties API 1.1.0: applicaties and their autorisaties."""
