"""Monitoring models: facts."""

__all__ = []
