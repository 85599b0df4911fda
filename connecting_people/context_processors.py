from .navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    entries = entries_for(user)
    for entry in entries:
        entry["active"] = request.path.startswith(entry["url"])
    return {"nav_entries": entries}
