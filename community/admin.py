from django.contrib import admin

from accounts.admin import AgencyAdmin as BaseAgencyAdmin
from accounts.models import Agency

from .models import AgencyListing


class AgencyListingInline(admin.StackedInline):
    """The directory organisation the agency corresponds to, on the agency's page.

    Added here because accounts may not depend on the toolkit (DESIGN §6)."""

    model = AgencyListing
    can_delete = True
    autocomplete_fields = ["organisation"]
    verbose_name = verbose_name_plural = "directory organisation"


admin.site.unregister(Agency)


@admin.register(Agency)
class AgencyAdmin(BaseAgencyAdmin):
    inlines = [AgencyListingInline, *BaseAgencyAdmin.inlines]
