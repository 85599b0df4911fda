"""Panels that later apps add to a directory service's page.

The toolkit knows no person (DESIGN §6), so what happened after people were
suggested a listing lives in a later app. That app registers a callable here
from its ``AppConfig.ready()``; the service page renders whatever the callables
return, in registration order:

    from toolkit import panels
    panels.register_service_panel(render_my_panel)

where ``render_my_panel(request, service)`` returns HTML (already escaped, for
example from ``render_to_string``) or "" to show nothing.
"""

from django.utils.safestring import mark_safe

_SERVICE_PANELS = []


def register_service_panel(render):
    """Add ``render(request, service) -> str`` to every service page (once)."""
    if render not in _SERVICE_PANELS:
        _SERVICE_PANELS.append(render)


def service_panels(request, service):
    """The HTML of every registered panel for ``service``, in order."""
    rendered = (render(request, service) for render in _SERVICE_PANELS)
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 (templates escape)
