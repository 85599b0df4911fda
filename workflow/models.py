from django.conf import settings
from django.db import models


class ReminderDigest(models.Model):
    """A reminder digest sent to a worker on a day, so a second run that day
    sends nothing more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    sent_on = models.DateField()
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_per_day"),
        ]

    def __str__(self):
        return f"Digest for {self.user} on {self.sent_on}"
