from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        # Declares this app's child relations (core.relations).
        from core.edits import keep_derived
        from events import integrity, memberships, relations  # noqa: F401
        from events.visit_dates import on_post_migrate

        # After every migrate, the triggers that keep a visit's copy of its event's dates.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="events.visit_dates")
        # The overview's memberships follow every write, inside its transaction (events.memberships).
        keep_derived(memberships.follow)
