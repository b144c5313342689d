from django.core.management.base import BaseCommand

from hazards.services.demo import demo_seed
from hazards.tasks import outbox_nudge


class Command(BaseCommand):
    help = "Install the demo: Liaoning's regions, about 200 enterprises, one user per role and their hazards."

    def handle(self, *args, **options) -> None:
        result = demo_seed()
        outbox_nudge()  # the published ranking's notices
        made = "".join(f", {count} new {noun}" for noun, count in result.made.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result.regions} regions, {result.enterprises} enterprises, "
                f"{result.hazards} new hazards{made}."
            )
        )
        self.stdout.write(f"Demo logins (password for each: {result.password}):")
        for user in result.users:
            self.stdout.write(f"  {user.username:<11} {user.role.value:<14} {user.description}")
