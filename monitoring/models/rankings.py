"""Monitoring models: rankings."""

__all__ = []
