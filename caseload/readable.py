"""Plain structures (what the person-data exporters return) as readable HTML.

Used for the printable document in a subject access copy. Whatever an app
exports, it reads as headings, lists of facts and tables, in plain words:

- keys become sentence-case labels (``area_of_life`` → "Area of life");
- ISO dates read "26 November 2026" and date-times "26 November 2026 at 14:05"
  (UK time); true/false read "Yes"/"No"; nothing recorded reads "Not recorded";
- a list of short, flat records becomes a table; longer records each get a
  numbered heading of their own.

Everything is escaped; the output has no inline style or script (CSP).
"""

import datetime
import re

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$"
)
NOT_RECORDED = "Not recorded"
TABLE_MAX_COLUMNS = 8
TABLE_MAX_TEXT = 80


def label(key):
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def format_date(day):
    return date_format(day, "j F Y")


def format_datetime(moment):
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{date_format(moment, 'j F Y')} at {moment:%H:%M}"


def scalar_text(value):
    """A single value in plain words."""
    if value is None or value == "":
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        if ISO_DATE.match(value):
            try:
                return format_date(datetime.date.fromisoformat(value))
            except ValueError:
                return value
        if ISO_DATETIME.match(value):
            try:
                moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                return format_datetime(moment)
            except ValueError:
                return value
        return value
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _is_scalar(value):
    return value is None or isinstance(value, str | int | float | bool)


def _is_flat_list(value):
    return isinstance(value, list) and all(_is_scalar(item) for item in value)


def _text_html(value):
    text = escape(scalar_text(value))
    return text.replace("\n", "<br>")


def _inline(value):
    """A value that fits in a table cell or a definition: scalars and flat lists."""
    if _is_flat_list(value):
        if not value:
            return "None"
        return escape(", ".join(scalar_text(item) for item in value))
    return _text_html(value)


def _tabular(items):
    if not items or not all(isinstance(item, dict) for item in items):
        return False
    keys = list(items[0])
    if len(keys) > TABLE_MAX_COLUMNS:
        return False
    for item in items:
        if list(item) != keys:
            return False
        for value in item.values():
            if _is_flat_list(value):
                value = ", ".join(map(str, value))
            if not _is_scalar(value) or len(str(value or "")) > TABLE_MAX_TEXT:
                return False
    return True


def _heading(level, text, anchor=""):
    level = min(level, 6)
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{escape(text)}</h{level}>"


def _dict_html(data, level):
    """Facts as definition lists and longer parts under headings, in the
    exporter's order."""
    parts, facts = [], []
    for key, value in data.items():
        if _is_scalar(value) or _is_flat_list(value):
            facts.append(f"<dt>{escape(label(key))}</dt><dd>{_inline(value)}</dd>")
            continue
        if facts:
            parts.append(f"<dl>{''.join(facts)}</dl>")
            facts = []
        parts.append(_heading(level, label(key)) + render(value, level + 1))
    if facts:
        parts.append(f"<dl>{''.join(facts)}</dl>")
    return "".join(parts)


def _table_html(items):
    keys = list(items[0])
    head = "".join(f'<th scope="col">{escape(label(key))}</th>' for key in keys)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_inline(item[key])}</td>" for key in keys) + "</tr>"
        for item in items
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _entry_title(number, item):
    """ "3. 26 November 2026": the entry's number and its first short value."""
    if isinstance(item, dict) and item:
        first = next(iter(item.values()))
        if _is_scalar(first) and first not in (None, "") and len(str(first)) <= TABLE_MAX_TEXT:
            return f"{number}. {scalar_text(first)}"
    return f"{number}."


def render(data, level=3):
    """HTML for any exported structure, with headings starting at ``level``."""
    if _is_scalar(data):
        return f"<p>{_text_html(data)}</p>"
    if _is_flat_list(data):
        if not data:
            return "<p>None recorded.</p>"
        return "<ul>" + "".join(f"<li>{_text_html(item)}</li>" for item in data) + "</ul>"
    if isinstance(data, dict):
        if not data:
            return "<p>None recorded.</p>"
        return _dict_html(data, level)
    if isinstance(data, list):
        if _tabular(data):
            return _table_html(data)
        return "".join(
            f'<section class="entry">{_heading(level, _entry_title(number, item))}'
            f"{render(item, level + 1)}</section>"
            for number, item in enumerate(data, start=1)
        )
    return f"<p>{escape(str(data))}</p>"
