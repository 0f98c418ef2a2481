"""Monitoring pages: dashboards (dashboards.py) and rankings (rankings.py). Exports: views_exports.py."""
