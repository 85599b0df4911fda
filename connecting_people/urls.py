from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Connecting People administration"
admin.site.site_title = "Connecting People"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("", include("accounts.urls")),
    path("", include("accounts.allauth_urls")),
    path("", include("workflow.urls")),
    path("", include("safety.urls")),
    path("toolkit/", include("toolkit.urls")),
    path("api/oruk/", include("toolkit.api_urls")),
    path("community/", include("community.urls")),
    path("people/", include("caseload.urls")),
    path("people/<uuid:public_id>/network/", include("networks.urls")),
    path("people/<uuid:public_id>/goals/", include("goals.urls")),
    path("people/<uuid:public_id>/outcomes/", include("outcomes.urls")),
    path("outcomes/", include("outcomes.measure_urls")),
    # The admin signs in through our sign-in page (password and second factor).
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

handler400 = "connecting_people.views.error_400"
handler403 = "connecting_people.views.error_403"
handler404 = "connecting_people.views.error_404"
handler500 = "connecting_people.views.error_500"
