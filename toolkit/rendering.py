"""Markdown to safe HTML: Markdown renders, then nh3 (ammonia) sanitises.

No script, style, event-handler attribute or ``javascript:`` / ``data:`` link
survives; links get ``rel="noopener noreferrer nofollow"``. Headings are
shifted so the body's highest is an <h2> under the page's own <h1>.
"""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def _shift_headings(html):
    """Make the body's highest heading an <h2> (the page's title is its only <h1>)."""
    levels = [int(level) for _, level in HEADING.findall(html)]
    if not levels:
        return html
    offset = 2 - min(levels)

    def shift(match):
        level = max(2, min(int(match.group(2)) + offset, 6))
        return f"<{match.group(1)}h{level}"

    return HEADING.sub(shift, html)


def render_markdown(text):
    """Return sanitised HTML for ``text`` (Markdown), marked safe for templates."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = _shift_headings(html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
