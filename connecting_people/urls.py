from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Connecting People administration"
admin.site.site_title = "Connecting People"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("", include("workflow.urls")),
    path("toolkit/", include("toolkit.urls")),
    path("api/oruk/", include("toolkit.api_urls")),
    path("community/", include("community.urls")),
    path("people/", include("caseload.urls")),
    path("people/<uuid:public_id>/network/", include("networks.urls")),
    path("people/<uuid:public_id>/goals/", include("goals.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "connecting_people.views.error_403"
handler404 = "connecting_people.views.error_404"
handler500 = "connecting_people.views.error_500"
