import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connecting_people.settings")

application = get_wsgi_application()

# Load every view and URL now rather than on the first request, then move all
# that start-up left in memory (about 180,000 objects: modules, classes, URL
# patterns, templates' code) out of the garbage collector's sight. They live as
# long as the process, so scanning them again in every full collection only
# costs time: a full collection of them took tens of milliseconds, landing on
# whichever request set it off (the slowest pages allocate most, so set it off
# most). Requests' own objects are collected as before.
get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and its views
gc.collect()
gc.freeze()
