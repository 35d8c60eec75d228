"""
An upload handler that stops reading an import file once it is over the size limit: the
bigger of a JSON file's (IMPORT_MAX_BYTES) and a ZIP's with videos and photos
(IMPORT_MAX_ZIP_BYTES); the form then holds a JSON file to its own limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from diary.clips.limits import quota_bytes


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 32 * 1024 * 1024)


def import_max_zip_bytes() -> int:
    """The biggest ZIP taken: a full clip quota with the biggest JSON file."""
    return getattr(settings, "IMPORT_MAX_ZIP_BYTES", None) or (quota_bytes() + import_max_bytes())


def import_max_upload_bytes() -> int:
    return max(import_max_bytes(), import_max_zip_bytes())


class SizeLimitUploadHandler(FileUploadHandler):
    """
    Runs before Django's own handlers: past the limit it stops the upload (nothing more is
    written to memory or disk) and marks the request, so the view can say why.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        # The whole request is bigger than the limit plus room for the form's other fields.
        if (getattr(self, "content_length", 0) or 0) > import_max_upload_bytes() + 64 * 1024:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > import_max_upload_bytes():
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        self.request.import_too_large = True
        raise StopUpload(connection_reset=False)
