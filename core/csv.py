"""CSV exports that a spreadsheet will not run as formulas."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text):
    """``text`` as a CSV cell, prefixed with ``'`` when a spreadsheet would read
    it as a formula (it starts with ``= + - @``, a tab or a carriage return).
    None is an empty cell."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_START) else text
