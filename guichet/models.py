from django.db import models
from django.db.models import Q


class CatalogueVersion(models.Model):
    """One row whose ``version`` goes up with every change to the public catalogue.

    Nothing in Python writes it: a statement-level trigger on every table of the
    catalogue apps does (see ``guichet.catalogue``), so an admin save, an import, a
    bulk load in raw SQL or a ``TRUNCATE`` all move it, in the same transaction as the
    change. The page cache puts the version in every key.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="catalogue_version_one_row")]

    def __str__(self) -> str:
        return f"catalogue version {self.version}"
