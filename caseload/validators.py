import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# UK postcode, including GIR 0AA and the overseas territories' format; spaces optional.
POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]"
    r"|[A-HK-Y][0-9][ABEHMNPRV-Y])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value):
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def validate_uk_postcode(value):
    if value and not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real UK postcode, like SW1A 1AA.", code="invalid_postcode")


def normalise_uk_phone(value):
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    return digits


def validate_uk_phone(value):
    if value and not re.fullmatch(r"0[1-9][0-9]{8,9}", normalise_uk_phone(value)):
        raise ValidationError(
            "Enter a UK phone number, like 01632 960 001, 07700 900 982 or +44 7700 900 982.",
            code="invalid_phone",
        )


def validate_not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past.", code="future_date")
