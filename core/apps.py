from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Chancery core"

    def ready(self) -> None:
        # Connects the signal that stamps every historical row with its edit.
        from core import checks, edits  # noqa: F401
        from core.dataversion import on_post_migrate

        # After every migrate, every data table (new ones included) bumps the data version.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="core.dataversion")
