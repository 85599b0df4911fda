from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count

from core.paging import KeysetChangeList

from .models import AccessDeniedEvent, Agency, SecurityEvent, Team, TeamMembership, User
from .services import client_address, user_mfa_reset

# Second factors are removed only through "Reset second factor" below, which
# records who did it; allauth's own editable list would not.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


# Plain selects and raw ids rather than autocomplete: the admin's autocomplete
# widget (select2) inserts inline styles, which the Content-Security-Policy blocks.
class UserMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    raw_id_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset second factor (remove apps, keys and recovery codes)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            user_mfa_reset(user=user, actor=request.user, address=client_address(request))
        count = queryset.count()
        self.message_user(
            request,
            f"Reset the second factor of {count} user{'s' if count != 1 else ''} and signed "
            "them out. Anyone whose role needs one sets up a new one at their next sign-in.",
            messages.SUCCESS,
        )


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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "actor", "address"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "actor__username"]
    list_select_related = ["actor"]


@admin.register(AccessDeniedEvent)
class AccessDeniedEventAdmin(ReadOnlyAdmin):
    """Refused requests, filterable; above the list, the users refused most often
    within the current filter (one grouped query)."""

    list_display = ["at", "user", "method", "path", "status", "address"]
    list_filter = ["status", "method", "at", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["path", "user__username", "address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    show_full_result_count = False
    # Keyset-paged, newest first (the table grows without end): no page numbers,
    # no COUNT, and no sorting by other columns.
    sortable_by = ()

    def get_changelist(self, request, **kwargs):
        return KeysetChangeList

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            filtered = context["cl"].queryset.order_by()
            context["refusals_by_user"] = list(
                filtered.values("user__username", "address")
                .annotate(refusals=Count("id"))
                .order_by("-refusals")[:20]
            )
        return response
