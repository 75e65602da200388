"""An id of the release being served, for cached pages and files that must not outlive it.

Set RELEASE (a commit id, say) when deploying. Without it, the id is a digest of the code,
templates, translations and the static files' manifest, made once per process.
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

SUFFIXES = (".py", ".html", ".txt", ".xml", ".mo")
SKIPPED = {".venv", ".data", ".git", "media", "staticfiles", "node_modules", "__pycache__"}


@functools.cache
def release_id() -> str:
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha1(usedforsecurity=False)
    for folder, folders, files in os.walk(base):
        folders[:] = sorted(name for name in folders if name not in SKIPPED)
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                path = Path(folder) / name
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]
