"""Toolkit resources and the community directory (Open Referral UK model).

``Resource`` and ``Service`` are the targets other apps link to (sessions record
resources used; network members and goals link to directory services, shown to
workers as "opportunities"). Their names and primary keys are stable.
"""

import uuid

from django.db import models


class Resource(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Organization(models.Model):
    """An ORUK organization. ``public_id`` is its ORUK/HSDS id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Service(models.Model):
    """An ORUK service: a community opportunity. ``public_id`` is its ORUK/HSDS id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
