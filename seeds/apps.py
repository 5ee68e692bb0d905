from django.apps import AppConfig


class SeedsConfig(AppConfig):
    name = "seeds"

    def ready(self) -> None:
        from seeds import checks  # noqa: F401  (registers the start-up notices)
