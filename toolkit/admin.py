"""Administrators can look at and correct toolkit data; curators use the curation pages."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from . import models


@admin.register(models.PracticeArea)
class PracticeAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "question", "short_label", "for_agency"]


class ResourceStageInline(admin.TabularInline):
    model = models.ResourceStage
    extra = 0


@admin.register(models.Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "review_by", "updated_at"]
    list_filter = ["status", "kind", "practice_areas"]
    search_fields = ["title", "summary", "tags"]
    readonly_fields = ["public_id", "created_at", "updated_at", "published_at", "version"]
    inlines = [ResourceStageInline]
    filter_horizontal = ["practice_areas"]


@admin.register(models.ResourceVersion)
class ResourceVersionAdmin(ReadOnlyAdmin):
    """Versions are the resource's history, written by the toolkit's services:
    the admin may read them, never add, change or delete one."""

    list_display = ["resource", "number", "action", "created_by", "created_at"]
    list_select_related = ["resource", "created_by"]
    readonly_fields = [f.name for f in models.ResourceVersion._meta.fields]


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "website"]
    search_fields = ["name"]


class ScheduleInline(admin.TabularInline):
    model = models.Schedule
    extra = 0


class ContactInline(admin.TabularInline):
    model = models.Contact
    extra = 0


class CostOptionInline(admin.TabularInline):
    model = models.CostOption
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    model = models.ServiceAtLocation
    extra = 0
    raw_id_fields = ["location"]


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "is_free", "assured_date"]
    list_filter = ["status", "is_free", "categories"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name"]
    readonly_fields = ["public_id", "version", "last_modified"]
    inlines = [ScheduleInline, ServiceAtLocationInline, ContactInline, CostOptionInline]
    filter_horizontal = ["categories"]


class AccessibilityInline(admin.TabularInline):
    model = models.Accessibility
    extra = 0


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "address_1", "city", "postal_code", "location_type"]
    search_fields = ["name", "address_1", "postal_code"]
    inlines = [AccessibilityInline]


@admin.register(models.Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "version"]


@admin.register(models.TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "taxonomy", "code"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]
