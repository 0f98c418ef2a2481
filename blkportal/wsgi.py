import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blkportal.settings")
application = get_wsgi_application()

from blkportal.core.deploy import refuse_if_unmigrated  # noqa: E402 - needs the app registry

refuse_if_unmigrated("web process")
