"""Private files (evidence, exports, imports, attachments): under PRIVATE_MEDIA_ROOT, never given a
URL; a view that checks the user's scope streams them."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT/<subfolder>, read at each use (so a settings change, e.g. in
    tests, applies). It has no URL."""

    def __init__(self, subfolder: str = ""):
        self.subfolder = subfolder
        super().__init__()

    @property
    def base_location(self):
        return os.path.join(str(settings.PRIVATE_MEDIA_ROOT), self.subfolder)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL; a view streams them after checking scope.")
