"""Uploaded images: validated, stripped of metadata and re-encoded before they are stored.

A file is read as an image only after checks on its size and on the pixel count its header
claims, so a small file that would decode into a huge bitmap (a pixel bomb) is refused first.
"""

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def process_image_upload(
    upload, *, max_size: tuple[int, int], name_prefix: str, square: bool = False
) -> ContentFile:
    """Validate an upload and return it re-encoded as WebP, at most max_size, without EXIF.

    With `square`, the largest centred square is kept (an avatar shown in a circle), then
    scaled down to fit max_size; a smaller image is not enlarged."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is %(size)s; the largest we accept is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_big",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Please upload a JPEG, PNG, WebP or GIF image."), code="format"
                )
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _(
                        "The image is %(width)s × %(height)s pixels, which is too large to "
                        "process. Please upload one of at most %(megapixels)s megapixels."
                    )
                    % {"width": width, "height": height, "megapixels": max_pixels // 1_000_000},
                    code="too_many_pixels",
                )
            if square:
                # A JPEG can be decoded at a fraction of its size, no smaller than needed:
                # less memory for a photo that ends up as a small square.
                side = min(max_size)
                image.draft("RGB", (side, side))
            image.load()
            image = ImageOps.exif_transpose(image)
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

    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
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


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
