from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Chancery core"

    def ready(self) -> None:
        # Connects the signal that stamps every historical row with its edit.
        from core import edits  # noqa: F401
