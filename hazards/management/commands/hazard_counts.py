from django.core.management.base import BaseCommand, CommandError

from hazards.services.counts import counts_differences, counts_rebuild


class Command(BaseCommand):
    help = (
        "Compare the hazard counts behind the dashboards with a fresh count of the hazards (--check), "
        "or recount them (--rebuild), e.g. after loading hazards in bulk or restoring a backup."
    )

    def add_arguments(self, parser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="Exit with an error when they differ.")
        action.add_argument("--rebuild", action="store_true", help="Recount them from the hazards.")

    def handle(self, *args, check: bool = False, rebuild: bool = False, **options) -> None:
        if rebuild:
            rows = counts_rebuild()
            self.stdout.write(self.style.SUCCESS(f"Hazard counts rebuilt: {rows} rows."))
            return
        differences = counts_differences()
        for line in differences[:50]:
            self.stdout.write(line)
        if differences:
            raise CommandError(
                f"{len(differences)} count rows differ from the hazards; run hazard_counts --rebuild."
            )
        self.stdout.write(self.style.SUCCESS("The hazard counts equal the hazards."))
