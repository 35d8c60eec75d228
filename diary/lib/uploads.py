"""
An upload handler that stops reading a file as soon as it is bigger than its limit: nothing
more is written to memory or disk, and the request is marked so the view can say why.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the form's other fields around the file.
FORM_ROOM = 64 * 1024


class SizeLimitHandler(FileUploadHandler):
    """
    Goes before Django's own handlers. A subclass names its limit and the request attribute set
    to True when the upload was stopped (`flag`).
    """

    flag: str

    def limit(self) -> int:
        raise NotImplementedError

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        # The whole request is bigger than the limit plus room for the form's other fields.
        if (getattr(self, "content_length", 0) or 0) > self.limit() + FORM_ROOM:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit():
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        setattr(self.request, self.flag, True)
        raise StopUpload(connection_reset=False)
