from django.urls import path

from . import api_views

app_name = "oruk"

urlpatterns = [
    path("", api_views.index, name="index"),
    path("services", api_views.services, name="services"),
    path("services/<str:id>", api_views.service, name="service"),
    path("service_at_locations", api_views.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:id>",
        api_views.service_at_location,
        name="service_at_location",
    ),
    path("taxonomies", api_views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:id>", api_views.taxonomy, name="taxonomy"),
    path("taxonomy_terms", api_views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", api_views.taxonomy_term, name="taxonomy_term"),
]
