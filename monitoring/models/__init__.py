"""Monitoring models, split by concept: facts and rankings (facts.py, rankings.py), exports (exports.py)."""

from .exports import *  # noqa: F403
from .facts import *  # noqa: F403
from .rankings import *  # noqa: F403
