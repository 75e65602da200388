import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_exif(name="photo.jpg", size=(1200, 800)):
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pixel_bomb(name="bomb.png"):
    """A small file that would decode to 100 million pixels."""
    image = Image.new("1", (10_000, 10_000))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def not_an_image(name="avatar.png"):
    return SimpleUploadedFile(name, b"<?php echo 'hello'; ?>", content_type="image/png")
