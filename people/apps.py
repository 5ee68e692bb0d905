from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"

    def ready(self) -> None:
        # Declares this app's child relations (core.relations).
        from people import relations  # noqa: F401
