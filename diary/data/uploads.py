"""
An upload handler that stops reading an import file once it is over the size limit: the
bigger of a JSON file's (IMPORT_MAX_BYTES) and a ZIP's with videos and photos
(IMPORT_MAX_ZIP_BYTES); the form then holds a JSON file to its own limit.
"""

from __future__ import annotations

from django.conf import settings

from diary.clips.limits import quota_bytes
from diary.lib.uploads import SizeLimitHandler


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 32 * 1024 * 1024)


def import_max_zip_bytes() -> int:
    """The biggest ZIP taken: a full clip quota with the biggest JSON file."""
    return getattr(settings, "IMPORT_MAX_ZIP_BYTES", None) or (quota_bytes() + import_max_bytes())


def import_max_upload_bytes() -> int:
    return max(import_max_bytes(), import_max_zip_bytes())


class SizeLimitUploadHandler(SizeLimitHandler):
    """An import file past the bigger of the two limits: `request.import_too_large`."""

    flag = "import_too_large"

    def limit(self) -> int:
        return import_max_upload_bytes()
