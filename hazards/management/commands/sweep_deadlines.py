from django.core.management.base import BaseCommand

from hazards.services.notices.sweep import deadlines_sweep
from hazards.tasks import outbox_nudge


class Command(BaseCommand):
    help = (
        "Create the notices that are due (due soon, overdue, reviews and extensions waiting) and send them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; create and send nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        result = deadlines_sweep(dry_run=dry_run)
        if not dry_run:
            outbox_nudge()  # the deliveries are sent now rather than at beat's next minute
        for rung, count in result.candidates.items():
            self.stdout.write(f"  {rung:<24} {count}")
        if dry_run:
            self.stdout.write("Dry run: nothing was created or sent.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{result.created} notices created, {result.requeued} requeued.")
            )
