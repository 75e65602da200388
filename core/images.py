"""Uploaded images: validated, stripped of metadata and re-encoded before they are stored.

A file is read as an image only after checks on its size, its format and the pixel count its
header claims, so a small file that would decode into a huge bitmap (a pixel bomb) is refused
before any pixel is decoded. Memory stays proportional to the stored image, not to the upload: a
JPEG is decoded at a reduced scale (`draft`), other formats are reduced by an integer factor
right after decoding, and no full-size copy is made; what a format cannot decode at a reduced
scale must fit IMAGE_DECODE_MAX_BYTES once decoded.

A form passes `defer_heavy`: an image whose decoding would be heavy (more than
IMAGE_INLINE_MAX_PIXELS once drafted) passes the same checks, from its header, and is then handed
back undecoded as a `DeferredImage`, which core.pending_images re-encodes in a Celery task with
this same function.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError

from core.files import file_size

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


@dataclass(frozen=True, repr=False)
class DeferredImage:
    """An upload that passed every check but is too heavy to re-encode in the request: its
    original bytes and how to re-encode them (process_image_upload's arguments)."""

    original: bytes
    max_size: tuple[int, int]
    name_prefix: str
    square: bool = False

    def __repr__(self):
        return f"<DeferredImage {self.name_prefix} {len(self.original)} bytes>"


def clean_image_upload(value, *, max_size: tuple[int, int], name_prefix: str, square=False):
    """A form's image field once cleaned: a new upload processed (heavy ones deferred to the
    worker, see process_image_upload), anything else (the stored file, a clearing) as it is."""
    if not isinstance(value, UploadedFile):
        return value
    return process_image_upload(
        value, max_size=max_size, name_prefix=name_prefix, square=square, defer_heavy=True
    )


def process_image_upload(
    upload,
    *,
    max_size: tuple[int, int],
    name_prefix: str,
    square: bool = False,
    defer_heavy: bool = False,
) -> ContentFile | DeferredImage:
    """Validate an upload and return it re-encoded as WebP, at most max_size, without EXIF.

    With `square`, the largest centred square is kept (an avatar shown in a circle), then
    scaled down to fit max_size; a smaller image is not enlarged. With `defer_heavy`, an image
    that would decode to more than IMAGE_INLINE_MAX_PIXELS (after `draft`) is checked only and
    returned as a DeferredImage, for a task to re-encode."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is %(size)s; the largest we accept is %(max)s.")
            % {"size": file_size(upload.size, round_up=True), "max": file_size(max_bytes)},
            code="too_big",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the accepted formats' parsers ever see the bytes, whatever the file's name.
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
            size = image.size
            if size[0] * size[1] > settings.IMAGE_UPLOAD_MAX_PIXELS:
                raise _too_many_pixels(size, settings.IMAGE_UPLOAD_MAX_PIXELS)
            target = _output_size(image, max_size, square=square)
            # A JPEG decodes at 1/2, 1/4 or 1/8 of its size, no smaller than the output.
            image.draft("RGB", target)
            per_pixel = working_bytes_per_pixel(image)
            if image.width * image.height * per_pixel > settings.IMAGE_DECODE_MAX_BYTES:
                raise _too_many_pixels(size, settings.IMAGE_DECODE_MAX_BYTES // per_pixel)
            if defer_heavy and image.width * image.height > settings.IMAGE_INLINE_MAX_PIXELS:
                upload.seek(0)
                return DeferredImage(
                    original=upload.read(),
                    max_size=max_size,
                    name_prefix=name_prefix,
                    square=square,
                )
            image.load()
            image = _reduced(image, target)
            # In place: no copy of an image that is already upright.
            ImageOps.exif_transpose(image, in_place=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image is too large to process. Please upload a smaller one."),
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not an image we can read. Please upload a JPEG, PNG, WebP or GIF."),
            code="invalid",
        ) from None

    mode = "RGBA" if _has_alpha(image) else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    if square:
        image = centre_square(image)
    image.thumbnail(max_size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # Saving a new image writes no EXIF, GPS or other metadata of the original.
    image.save(buffer, format="WEBP", quality=85, method=4)
    return ContentFile(buffer.getvalue(), name=f"{name_prefix}-{secrets.token_hex(8)}.webp")


def centre_square(image: Image.Image) -> Image.Image:
    """The largest square in the middle of the image."""
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return image.crop((left, top, left + side, top + side))


def working_bytes_per_pixel(image: Image.Image) -> int:
    """The memory a pixel takes while an image is decoded and reduced: the decoded pixel (1 byte
    for L, 4 for RGB, stored as RGBX), plus the copy that reduce() works on for other modes
    (RGBA is premultiplied first, P and 1 converted); a WebP passes through three more buffers
    (the decoder's canvas, the frame's bytes and their copy) on its way in."""
    per_pixel = {"L": 1, "1": 2, "RGB": 4, "CMYK": 4, "I": 4, "F": 4}.get(image.mode, 8)
    if image.format == "WEBP":
        per_pixel += 12
    return per_pixel


def _too_many_pixels(size: tuple[int, int], max_pixels: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is %(width)s × %(height)s pixels, which is too large to "
            "process. Please upload one of at most %(megapixels)s megapixels."
        )
        % {"width": size[0], "height": size[1], "megapixels": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _output_size(image: Image.Image, max_size: tuple[int, int], *, square: bool) -> tuple:
    """The size, in the file's own orientation, that the image is decoded to at least.

    The EXIF orientation is not read for this (a PNG may keep it after its pixels): the size
    serves whether or not the image turns a quarter once decoded."""
    width, height = image.size
    if square:
        side = min(width, height, *max_size)
        return (side, side)
    upright, turned = _fit((width, height), max_size), _fit((height, width), max_size)
    return (max(upright[0], turned[1]), max(upright[1], turned[0]))


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    scale = min(1, box[0] / size[0], box[1] / size[1])
    return (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))


def _reduced(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """The decoded image shrunk by the largest integer factor that keeps it at least `target`:
    what comes next (rotation, conversion, the final resize) works on a small copy."""
    factor = min(image.width // target[0], image.height // target[1])
    if factor < 2:
        return image
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK", "I", "F"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    return image.reduce(factor)


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
