"""Uploaded files (MEDIA_ROOT) served by the hub itself, for a site on one machine.

With a proxy in front, the proxy serves /media/ straight from the folder (README) and requests
never get here. Without one, this view does, safely: only regular files under MEDIA_ROOT (no
directory listing, no hidden files, no way out through `..` or a symbolic link), with their
content type, a year's caching (every stored upload has a name of its own, never reused for
other content), `nosniff`, and a sandbox so a file can never run as a page of the hub.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.http import Http404
from django.http import HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

# Shown in the browser; anything else is offered as a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
CACHE_CONTROL = "public, max-age=31536000, immutable"


def media_file(path: str) -> Path:
    """The file under MEDIA_ROOT that `path` names, or Http404."""
    parts = path.split("/")
    if any(not part or part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    file = root.joinpath(*parts).resolve()
    if not file.is_relative_to(root) or not file.is_file():
        raise Http404
    return file


@require_safe
def serve_media(request, path: str):
    """One uploaded file, as a proxy would serve it."""
    file = media_file(path)
    stat = file.stat()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        response = HttpResponseNotModified()
    else:
        content_type, _encoding = mimetypes.guess_type(file.name)
        content_type = content_type or "application/octet-stream"
        response = FileResponse(
            file.open("rb"),
            content_type=content_type,
            as_attachment=content_type not in INLINE_TYPES,
        )
        response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
