"""What the core app stores itself: the data version that response caches key on."""

from django.db import models


class DataVersion(models.Model):
    """One row whose ``version`` changes in the same transaction as every write to the data.

    Database triggers bump it (core/dataversion.py), so every write path counts — services,
    admin, imports, ``QuerySet.update()``, bulk inserts, raw SQL and COPY alike — and a reader
    sees a new version exactly when it can see the new data.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"data version {self.version}"
