from .navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    entries = entries_for(user)
    # Only the most specific entry is highlighted: the directory lives under the
    # toolkit's address, and is not also "Toolkit".
    matches = [entry for entry in entries if request.path.startswith(entry["url"])]
    current = max(matches, key=lambda entry: len(entry["url"]), default=None)
    for entry in entries:
        entry["active"] = entry is current
    return {"nav_entries": entries}
