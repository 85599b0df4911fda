"""Every wide table stacks on narrow screens with each value labelled (issue 16):
one pattern, ``table-stack`` with ``data-label`` on each data cell."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TABLE = re.compile(r"<table\b(?P<attrs>[^>]*)>(?P<body>.*?)</table>", re.S)
COLUMN = re.compile(r'<th scope="col"')


def wide_tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "admin" in path.relative_to(TEMPLATES).parts:
            continue
        for match in TABLE.finditer(path.read_text(encoding="utf-8")):
            head = match["body"].split("</thead>", 1)[0]
            columns = len(COLUMN.findall(head)) + (3 if "{% for" in head else 0)
            if columns > 3:
                yield pytest.param(match, id=f"{path.relative_to(TEMPLATES)}:{match.start()}")


@pytest.mark.parametrize("table", list(wide_tables()))
def test_wide_table_stacks_and_labels_every_data_cell(table):
    assert "table-stack" in table["attrs"]
    body = table["body"].split("</thead>", 1)[-1]
    cells = re.findall(r"<td\b[^>]*>", body)
    unlabelled = [cell for cell in cells if "data-label" not in cell and "colspan" not in cell]
    assert cells and not unlabelled, unlabelled


def test_the_check_finds_the_wide_tables():
    assert len(list(wide_tables())) >= 15
