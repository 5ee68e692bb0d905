from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        # Declares this app's child relations (core.relations).
        from events import integrity, relations  # noqa: F401
