"""Scores as people write them: 6, 4.5, 22.67; changes with their sign (+2, −1.5)."""


def plain(value):
    """A score to two decimal places at most, without trailing zeros ("" for None)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def signed(value):
    """A change: "+2", "−1.5" (a real minus sign), "0"."""
    if value is None:
        return ""
    text = plain(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return "0"
