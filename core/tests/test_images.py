"""Uploaded images, with real image bytes: re-encoded, and cropped to a centred square where a
square is promised."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL import ImageOps

from core.images import process_image_upload


def _upload(size, *, image_format="JPEG", name="photo.jpg"):
    """A picture whose middle is green and whose left and right quarters are red."""
    width, height = size
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 200, 0), (width // 4, 0, width - width // 4, height))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _open(content):
    return Image.open(io.BytesIO(content.read())).convert("RGB")


def test_a_landscape_avatar_is_cropped_to_its_centre():
    stored = _open(
        process_image_upload(_upload((800, 600)), max_size=(512, 512), name_prefix="a", square=True)
    )
    assert stored.size == (512, 512)
    # The 600 px square in the middle of 800 px keeps only 100 px of each red band (of 200),
    # so the corners are red, but a third of the way in is green.
    red, green = stored.getpixel((5, 256)), stored.getpixel((256, 256))
    assert red[0] > 150 and red[1] < 80, red
    assert green[1] > 150 and green[0] < 80, green


def test_a_portrait_is_cropped_to_a_square_too():
    stored = _open(
        process_image_upload(
            _upload((600, 1000)), max_size=(512, 512), name_prefix="a", square=True
        )
    )
    assert stored.size == (512, 512)


def test_a_small_square_is_not_enlarged():
    stored = _open(
        process_image_upload(
            _upload((300, 200), image_format="PNG", name="small.png"),
            max_size=(512, 512),
            name_prefix="a",
            square=True,
        )
    )
    assert stored.size == (200, 200)


def test_without_square_the_proportions_are_kept():
    stored = _open(process_image_upload(_upload((800, 600)), max_size=(512, 512), name_prefix="a"))
    assert stored.size == (512, 384)


def test_a_big_photo_is_decoded_at_a_reduced_scale(monkeypatch):
    """A 6000 × 4000 JPEG becomes a square without decoding all of its 24 megapixels."""
    decoded = []
    transpose = ImageOps.exif_transpose

    def record(image, **kwargs):
        decoded.append(image.size)
        return transpose(image, **kwargs)

    monkeypatch.setattr(ImageOps, "exif_transpose", record)
    stored = _open(
        process_image_upload(
            _upload((6000, 4000)), max_size=(512, 512), name_prefix="a", square=True
        )
    )
    assert stored.size == (512, 512)
    assert decoded == [(1500, 1000)]  # a quarter: an eighth would be under 512 px high


def test_what_is_not_an_image_is_refused():
    with pytest.raises(ValidationError):
        process_image_upload(
            SimpleUploadedFile("a.jpg", b"not an image"),
            max_size=(512, 512),
            name_prefix="a",
            square=True,
        )


def _encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def test_a_quarter_turned_photo_fits_the_box_once_upright():
    """Decoding at a reduced scale allows for the EXIF orientation the stored image gets."""
    exif = Image.Exif()
    exif[0x0112] = 6  # turn a quarter clockwise to display
    content = _encoded(Image.new("RGB", (3000, 2000), (0, 200, 0)), "JPEG", exif=exif.tobytes())
    stored = _open(
        process_image_upload(
            SimpleUploadedFile("turned.jpg", content), max_size=(2000, 800), name_prefix="h"
        )
    )
    assert stored.size == (533, 800)


@pytest.mark.parametrize(
    "image_format, name",
    [("TIFF", "photo.png"), ("BMP", "photo.jpg"), ("ICO", "logo.gif")],
)
def test_other_formats_named_as_images_are_refused_unparsed(image_format, name):
    content = _encoded(Image.new("RGB", (64, 64)), image_format)
    with pytest.raises(ValidationError) as refused:
        process_image_upload(
            SimpleUploadedFile(name, content), max_size=(512, 512), name_prefix="a"
        )
    assert refused.value.code == "invalid"


def test_markup_named_as_an_image_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as refused:
        process_image_upload(
            SimpleUploadedFile("logo.png", svg, content_type="image/png"),
            max_size=(512, 512),
            name_prefix="a",
        )
    assert refused.value.code == "invalid"


# Run in a fresh interpreter: the peak resident memory (VmHWM) that processing one upload adds.
MEMORY_PROBE = """
import sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from core.images import process_image_upload
upload = SimpleUploadedFile("upload", open(sys.argv[1], "rb").read())
def peak():  # VmHWM, not ru_maxrss: that one keeps the forking pytest's peak across exec
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) // 1024
before = peak()
try:
    process_image_upload(upload, max_size=(2000, 800), name_prefix="h")
    outcome = "stored"
except ValidationError as error:
    outcome = error.code
print(outcome, peak() - before)
"""


@pytest.mark.parametrize(
    "image, image_format, outcome",
    [
        # 115 KB that decodes to 40 megapixels of RGB (160 MB in Pillow): refused from the header.
        (Image.new("RGB", (6300, 6300), (0, 90, 200)), "PNG", "too_many_pixels"),
        (Image.new("RGBA", (6300, 6300)), "PNG", "too_many_pixels"),
        (Image.new("P", (6000, 6000)), "GIF", "too_many_pixels"),
        # The largest PNG accepted (16 megapixels of RGB), and a 40-megapixel photo.
        (Image.new("RGB", (4000, 4000), (0, 90, 200)), "PNG", "stored"),
        (Image.new("RGB", (7300, 5450), (0, 90, 200)), "JPEG", "stored"),
    ],
    ids=["rgb-png-bomb", "rgba-png-bomb", "gif-bomb", "largest-png", "40-megapixel-jpeg"],
)
def test_processing_an_upload_takes_bounded_memory(tmp_path, image, image_format, outcome):
    path = tmp_path / "upload"
    path.write_bytes(_encoded(image, image_format))
    image.close()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dsi_hub.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    got, megabytes = result.stdout.split()
    assert got == outcome
    assert int(megabytes) < 100, f"{megabytes} MB to process the upload"
    print(f"{image_format} {outcome}: peak RSS growth {megabytes} MB")
