"""Front-end packages from the npm registry, fetched at build time and served by WhiteNoise.

    python -m dsi_hub.vendor    # `make install` runs it; idempotent

Each package is pinned to a version and its registry integrity (sha512 of the tarball): the
tarball is fetched from registry.npmjs.org (no CDN, nothing at run time), checked, and only the
files named here are written under `.vendor/` (ignored by git), which the settings serve as
`/static/vendor/...`. Node.js and npm are not needed. A stamp of what was written makes a
second run do nothing; a changed pin fetches again. Source-map comments are taken out of the
scripts written (the maps are not shipped, and collectstatic's manifest refuses a reference to
a missing file), in copies written before too.
"""

import base64
import hashlib
import io
import json
import re
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = BASE_DIR / ".vendor"
REGISTRY = "https://registry.npmjs.org"
STAMP = VENDOR_DIR / "packages.json"
TIMEOUT_SECONDS = 60
# A script's last-line reference to its source map ("//# sourceMappingURL=leaflet.js.map").
SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=[^\n]*\s*\Z")


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # as the registry gives it: "sha512-<base64>"
    files: dict[str, str]  # path in the tarball (below package/) -> path below .vendor/<name>/
    licence: str

    @property
    def tarball(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name}-{self.version}.tgz"


PACKAGES = [
    Package(
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
            "LICENSE": "LICENSE",
        },
        "BSD-2-Clause",
    ),
    Package(
        "world-atlas",
        "2.0.2",
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
        {
            "countries-110m.json": "countries-110m.json",
            "countries-50m.json": "countries-50m.json",
            "LICENSE": "LICENSE",
        },
        "ISC (Natural Earth: public domain)",
    ),
    Package(
        "topojson-client",
        "3.1.0",
        "sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw==",
        {"dist/topojson-client.min.js": "topojson-client.min.js", "LICENSE": "LICENSE"},
        "ISC",
    ),
    Package(
        "cytoscape",
        "3.35.0",
        "sha512-sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsvEqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g==",
        {"dist/cytoscape.min.js": "cytoscape.min.js", "LICENSE": "LICENSE"},
        "MIT",
    ),
]


class VendorError(Exception):
    pass


def _pins() -> dict[str, str]:
    return {package.name: f"{package.version} {package.integrity}" for package in PACKAGES}


def _checked(package: Package, data: bytes) -> bytes:
    algorithm, _, expected = package.integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise VendorError(f"{package.name} {package.version}: the tarball's {algorithm} differs")
    return data


def _fetch(package: Package) -> bytes:
    with urllib.request.urlopen(package.tarball, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - a fixed https address
        return _checked(package, response.read())


def _unpack(package: Package, data: bytes) -> None:
    target = VENDOR_DIR / package.name
    shutil.rmtree(target, ignore_errors=True)
    wanted = {f"package/{source}": destination for source, destination in package.files.items()}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            destination = wanted.pop(member.name, None)
            if destination is None or not member.isfile():
                continue
            path = target / destination
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.extractfile(member).read())
    if wanted:
        raise VendorError(f"{package.name} {package.version}: missing {', '.join(sorted(wanted))}")


def without_source_maps() -> None:
    """Take the source-map comments out of the vendored scripts (idempotent)."""
    for path in VENDOR_DIR.rglob("*.js"):
        data = path.read_bytes()
        stripped = SOURCE_MAP.sub(b"\n", data)
        if stripped != data:
            path.write_bytes(stripped)


def installed() -> bool:
    """Whether every package is in .vendor/ as pinned."""
    try:
        return json.loads(STAMP.read_text()) == _pins()
    except (OSError, ValueError):
        return False


def install() -> None:
    if not installed():
        VENDOR_DIR.mkdir(exist_ok=True)
        for package in PACKAGES:
            print(f"Fetching {package.name} {package.version} from the registry ...", flush=True)
            _unpack(package, _fetch(package))
        STAMP.write_text(json.dumps(_pins(), indent=2))
    without_source_maps()


def main() -> int:
    try:
        install()
    except (OSError, VendorError) as error:
        print(f"Front-end packages not installed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
