from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("", views.library, name="library"),
    path("resources/<uuid:public_id>/", views.resource_detail, name="resource"),
    path("resources/<uuid:public_id>/download/", views.resource_download, name="resource_download"),
    path("directory/", views.directory, name="directory"),
    path("directory/<uuid:public_id>/", views.service_detail, name="service"),
    path("curation/", views.curation, name="curation"),
    path("curation/resources/new/", views.resource_create, name="resource_create"),
    path("curation/resources/<uuid:public_id>/edit/", views.resource_edit, name="resource_edit"),
    path(
        "curation/resources/<uuid:public_id>/status/",
        views.resource_status,
        name="resource_status",
    ),
    path(
        "curation/resources/<uuid:public_id>/history/",
        views.resource_history,
        name="resource_history",
    ),
    path(
        "curation/resources/<uuid:public_id>/history/<int:number>/",
        views.resource_version,
        name="resource_version",
    ),
    path("curation/opportunities/new/", views.service_edit, name="service_create"),
    path("curation/opportunities/<uuid:public_id>/edit/", views.service_edit, name="service_edit"),
    path("curation/import/", views.import_feed, name="import"),
    path("curation/feeds/", views.feeds, name="feeds"),
    path("curation/feeds/<uuid:public_id>/", views.feed_detail, name="feed"),
]
