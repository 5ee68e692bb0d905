from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "places"

    def ready(self) -> None:
        # Registers this app's integrity checks (core.integrity).
        from places import integrity  # noqa: F401
