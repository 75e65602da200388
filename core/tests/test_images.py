"""Uploaded images, with real image bytes: re-encoded, and cropped to a centred square where a
square is promised."""

import io

import pytest
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
