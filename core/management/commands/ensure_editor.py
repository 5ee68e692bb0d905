"""Create the first admin account with a generated password, shown once."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an admin account (default 'admin') with a generated password, once."

    CREATED = "Created admin account {username!r} with password: {password}\nIt is shown only now."
    EXISTS = "Admin account {username!r} exists; its password is unchanged."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(self.EXISTS.format(username=username))
            return
        password = secrets.token_urlsafe(15)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(self.CREATED.format(username=username, password=password)))
