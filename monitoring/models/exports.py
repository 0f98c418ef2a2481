"""Monitoring models: exports."""

__all__ = []
