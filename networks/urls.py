from django.urls import path

from . import views

app_name = "networks"

# Mounted at people/<uuid:public_id>/network/ (every view gets ``public_id``).
urlpatterns = [
    path("", views.network_map, name="map"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<uuid:member_id>/", views.member_edit, name="member_edit"),
    path("members/<uuid:member_id>/end/", views.member_end, name="member_end"),
    path("members/<uuid:member_id>/restore/", views.member_restore, name="member_restore"),
    path(
        "members/<uuid:member_id>/remove-name/",
        views.member_remove_name,
        name="member_remove_name",
    ),
    path("links/", views.ties, name="ties"),
    path("links/<uuid:tie_id>/remove/", views.tie_remove, name="tie_remove"),
    path("snapshots/", views.snapshots, name="snapshots"),
    path("snapshots/<uuid:snapshot_id>/", views.snapshot_detail, name="snapshot"),
    path("compare/", views.compare, name="compare"),
    path("export/", views.export, name="export"),
]
