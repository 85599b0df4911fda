"""Checks on uploaded resource files: type by content (not name) and size."""

import os

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_FILE_SIZE = 10 * 1024 * 1024

# content type -> (label, the file name endings that may carry it)
ALLOWED_TYPES = {
    "application/pdf": ("PDF", {".pdf"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "Word document (DOCX)",
        {".docx"},
    ),
    "image/png": ("PNG image", {".png"}),
    "image/jpeg": ("JPEG image", {".jpg", ".jpeg"}),
}
ALLOWED_DESCRIPTION = "a PDF, a Word document (DOCX), or a PNG or JPEG image"


def check_upload(upload):
    """Return the content type of ``upload`` or raise ValidationError saying what is wrong."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty.")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"The selected file must be smaller than {filesizeformat(MAX_FILE_SIZE)} "
            f"(it is {filesizeformat(upload.size)})."
        )
    extension = os.path.splitext(upload.name or "")[1].lower()
    known_extensions = set().union(*(endings for _, endings in ALLOWED_TYPES.values()))
    if extension not in known_extensions:
        raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            f"The selected file's content is not {ALLOWED_DESCRIPTION}, whatever its name says."
        )
    label, endings = ALLOWED_TYPES[kind.mime]
    if extension not in endings:
        raise ValidationError(
            f"The selected file is named {extension} but its content is a {label}. "
            "Rename it or choose the right file."
        )
    return kind.mime
