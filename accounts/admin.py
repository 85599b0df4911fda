from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count

from .models import Agency, Team, TeamMembership, User


class UserMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["team"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]


class AgencyTeamInline(admin.TabularInline):
    """The agency's teams, for reference; a team moves agency on the team's own page."""

    model = Team
    fields = ["name"]
    readonly_fields = ["name"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    search_fields = ["name", "area"]
    list_display = ["name", "sector", "area", "team_count"]
    list_filter = ["sector"]
    inlines = [AgencyTeamInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(team_count=Count("teams"))

    @admin.display(description="teams", ordering="team_count")
    def team_count(self, agency):
        return agency.team_count


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "agency"]
    list_filter = ["agency__sector", "agency"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    inlines = [TeamMembershipInline]
