"""API tokens and other API-owned models."""
