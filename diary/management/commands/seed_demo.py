"""`manage.py seed_demo`: a demo account with weeks of realistic episodes (see diary/demo/)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary import demo


class Command(BaseCommand):
    help = (
        "Create (or recreate) a demo account with realistic episodes ending today, and print "
        "its username and password (the same password every time, unless --password gives "
        "another). Running it again replaces the demo account's data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=demo.DEMO_USERNAME)
        parser.add_argument(
            "--password", help=f"Password to set (default: {demo.DEMO_PASSWORD}, printed)."
        )
        parser.add_argument("--weeks", type=int, default=demo.DEFAULT_WEEKS)
        parser.add_argument("--url", default="", help="Where to log in (printed with the rest).")
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Random seed (same seed, same data).",
        )

    def handle(self, *args, **options) -> None:
        if not 1 <= options["weeks"] <= 520:
            raise CommandError("--weeks must be between 1 and 520.")
        try:
            result = demo.seed_demo(
                username=options["username"],
                password=options["password"],
                weeks=options["weeks"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo data: {result.episodes} episodes from {result.first} to {result.last} "
            f"({demo.DEMO_TIMEZONE})."
        )
        # Last and plain: `make demo` starts the server right after this.
        where = f" at {options['url']}" if options["url"] else ""
        self.stdout.write(self.style.SUCCESS(f"\nLog in{where} with:"))
        self.stdout.write(f"  username: {result.user.get_username()}")
        self.stdout.write(f"  password: {result.password}\n")
