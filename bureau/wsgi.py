import gc
import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    # Load every view module now rather than at the first request, then keep
    # everything loaded so far (models, URL patterns, views, settings) out of
    # the garbage collector's full passes: they live as long as the process,
    # and scanning them again and again cost a request up to 150 ms.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing is the point
    gc.freeze()
except ImproperlyConfigured as exc:
    sys.exit(f"Configuration error: {exc}")
