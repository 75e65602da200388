"""The front-end packages of dsi_hub.vendor: pinned, checked against the registry's integrity,
and served as static files."""

import shutil

import pytest
from django.contrib.staticfiles import finders
from whitenoise.compress import Compressor

from dsi_hub import vendor


def test_every_package_is_installed_as_pinned():
    assert vendor.installed()


@pytest.mark.parametrize(
    "path",
    [
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/world-atlas/countries-110m.json",
        "vendor/world-atlas/countries-50m.json",
        "vendor/topojson-client/topojson-client.min.js",
        "vendor/cytoscape/cytoscape.min.js",
    ],
)
def test_the_packages_files_are_static_files(path):
    assert finders.find(path) is not None


@pytest.mark.parametrize("name", ["countries-110m.json", "countries-50m.json"])
def test_the_maps_outlines_get_a_compressed_copy(tmp_path, name):
    # What WhiteNoise's storage does in collectstatic: the .gz it serves to browsers that
    # accept it (.br too where Brotli is installed), here well under half the file.
    copy = tmp_path / name
    shutil.copyfile(finders.find(f"vendor/world-atlas/{name}"), copy)
    written = Compressor(quiet=True).compress(str(copy))
    assert f"{copy}.gz" in written
    assert (tmp_path / f"{name}.gz").stat().st_size < copy.stat().st_size / 2


def test_a_tarball_that_differs_from_its_pin_is_refused():
    package = vendor.PACKAGES[0]
    with pytest.raises(vendor.VendorError, match="differs"):
        vendor._checked(package, b"not the tarball")


def test_scripts_name_no_source_map_that_is_not_shipped():
    # collectstatic's manifest refuses a reference to a missing file
    for path in vendor.VENDOR_DIR.rglob("*.js"):
        assert b"sourceMappingURL" not in path.read_bytes(), path


def test_source_map_comments_are_taken_out(tmp_path, monkeypatch):
    monkeypatch.setattr(vendor, "VENDOR_DIR", tmp_path)
    script = tmp_path / "lib" / "lib.js"
    script.parent.mkdir()
    script.write_bytes(b"window.L=1;\n//# sourceMappingURL=lib.js.map\n")
    vendor.without_source_maps()
    assert script.read_bytes() == b"window.L=1;\n"
    vendor.without_source_maps()  # again: nothing changes
    assert script.read_bytes() == b"window.L=1;\n"
