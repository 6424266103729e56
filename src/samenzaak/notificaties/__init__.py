"""Notificaties API."""
