"""`manage.py compile_translations`: the catalogs' .mo files and the pseudo-locales."""

from django.core.management.base import BaseCommand, CommandParser

from diary.lib.catalogs import compile_all


class Command(BaseCommand):
    help = (
        "Compile every locale/*/LC_MESSAGES/*.po whose .mo is out of date (no system gettext "
        "needed), and make the two pseudo-locales (accented, right to left) from them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile everything again.")

    def handle(self, *args, **options) -> None:
        written = compile_all(force=options["force"])
        self.stdout.write(f"Compiled {len(written)} catalog{'s' if len(written) != 1 else ''}.")
