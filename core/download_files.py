"""Whole downloads kept as files, one per kind and format, for their content's version.

Most downloads are whole, unfiltered, and such a download is the same file
until published content changes. So the first one after a change is written to disk as it
streams out (see `teed`), and later ones are sent from that file: with its length (browsers
show the progress), by the server's sendfile where it has one, with no query, and at the
speed of the disk rather than of making rows. Filtered downloads are always made as asked.

A file is named after its content's version, read before its rows are: a change that
commits while it is written moves the version on, so a file never passes for newer than it
is. Older files of the same download are removed when a new one is complete; a download cut
short leaves nothing behind; a disk that is full or read-only only means no file is kept.
"""

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

from core.hosts import site_url
from core.release import release_id

logger = logging.getLogger(__name__)

PARTIAL_PREFIX = ".partial-"
# A partial file older than this was left by a process that died while writing it.
PARTIAL_MAX_AGE = 60 * 60


class DownloadFileResponse(FileResponse):
    """A kept file, read in blocks of 64 KiB where the server cannot send it itself."""

    block_size = 1 << 16


def _stamp(export, file_format, also: str) -> str:
    """What else a file depends on: the site's address (in the rows' URLs), the columns, the
    release that writes them (a new release writes new files), and what the export adds to its
    version (see Export.kept_version)."""
    parts = [site_url(), file_format.head(export), release_id(), also]
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:12]


def kept_file(export, file_format) -> tuple[Path | None, bool]:
    """Where the whole download of this kind and format is kept for the current version of
    its content (Export.kept_version), and whether it is there.
    (None, False) when the site keeps no files."""
    folder = settings.DOWNLOAD_FILES_DIR
    if not folder:
        return None, False
    version, also = export.kept_version()
    name = f"{export.plural}-{version}-{_stamp(export, file_format, also)}"
    path = Path(folder) / f"{name}.{file_format.extension}"
    return path, path.is_file()


def _version(path: Path) -> int:
    """The content version a kept file was made for (its name: kind-version-stamp.ext)."""
    try:
        return int(path.name.split("-")[1])
    except (IndexError, ValueError):
        return -1


def _others(path: Path) -> list[Path]:
    kind = path.name.split("-", 1)[0]
    return [other for other in path.parent.glob(f"{kind}-*{path.suffix}") if other != path]


def _put_in_place(partial: str, path: Path) -> None:
    """The complete file under its name, unless a newer version's file is there already (a
    download that began before a change ends after one made since); then older files go, and
    partial files abandoned long ago."""
    version = _version(path)
    if any(_version(other) > version for other in _others(path)):
        os.unlink(partial)
        return
    os.replace(partial, path)
    for other in _others(path):
        with contextlib.suppress(OSError):
            other.unlink()
    for abandoned in path.parent.glob(f"{PARTIAL_PREFIX}*"):
        with contextlib.suppress(OSError):
            if time.time() - abandoned.stat().st_mtime > PARTIAL_MAX_AGE:
                abandoned.unlink()


def teed(pieces: Iterator[bytes], path: Path) -> Iterator[bytes]:
    """The pieces as they come, written meanwhile to a partial file beside `path` that becomes
    `path` once every piece went out. Should the disk refuse, the download goes on unkept."""
    handle = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, or removed
            dir=path.parent, prefix=PARTIAL_PREFIX, delete=False
        )
    except OSError as error:
        logger.warning("Download not kept: %s", error)
    complete = False
    try:
        for piece in pieces:
            if handle is not None:
                try:
                    handle.write(piece)
                except OSError as error:
                    logger.warning("Download not kept: %s", error)
                    _discard(handle)
                    handle = None
            yield piece
        complete = True
    finally:
        if handle is not None:
            if complete:
                try:
                    handle.flush()
                    os.fsync(handle.fileno())  # on disk before it takes the name
                    handle.close()
                    _put_in_place(handle.name, path)
                except OSError as error:
                    logger.warning("Download not kept: %s", error)
                    _discard(handle)
            else:
                _discard(handle)


def _discard(handle) -> None:
    with contextlib.suppress(OSError):
        handle.close()
    with contextlib.suppress(OSError):
        os.unlink(handle.name)
