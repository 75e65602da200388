"""`make test` runs every app's tests: each package of the repository that holds tests is in
pytest.ini's testpaths (an app left out would have its tests skipped silently, CI included)."""

import configparser
from pathlib import Path

from django.conf import settings


def test_every_package_with_tests_is_in_the_suite():
    root = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(root / "pytest.ini")
    listed = set(config["pytest"]["testpaths"].split())
    with_tests = {path.parts[-3] for path in root.glob("*/tests/__init__.py")}
    assert with_tests - listed == set()
