"""One way to page a list (rendered by ``templates/core/_pagination.html``)."""

from django.core.paginator import Paginator


def paginate(request, queryset, per_page):
    """The page of ``queryset`` asked for by ``?page=``.

    A page number that is not a number gives the first page, one past the end
    the last page: a bad link never answers an error. The template expects the
    result as ``page_obj``.
    """
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
