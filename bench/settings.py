"""The hub's own production settings, with static files collected where the benchmark says."""

import os

from dsi_hub.settings import *  # noqa: F403

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT  # noqa: F405
