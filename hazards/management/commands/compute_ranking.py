from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hazards.lib.errors import DomainError
from hazards.models import Region, RegionLevel
from hazards.services.rankings.compute import parse_quarter, ranking_compute
from hazards.services.rankings.publication import ranking_publish
from hazards.tasks import outbox_nudge


class Command(BaseCommand):
    help = (
        "Compute the quarterly ranking (a draft) of the regions under a scope and of its enterprises, e.g. "
        "compute_ranking 2026Q3 --scope 210000. A draft computed again is replaced; a published one is kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("quarter", help="the quarter, e.g. 2026Q3")
        parser.add_argument(
            "--scope", help="the code of a province or city (default: the only province registered)"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish it at once, and tell the ranked their place"
        )

    def handle(self, *args, quarter: str, scope: str | None = None, publish: bool = False, **options) -> None:
        try:
            year, number = parse_quarter(quarter)
            region = self._scope(scope)
            with transaction.atomic():
                run = ranking_compute(year=year, quarter=number, scope=region)
                if publish:
                    run = ranking_publish(actor=None, run_id=run.pk)
                    outbox_nudge()  # the ranked are told once it is committed
        except DomainError as refused:
            raise CommandError(refused.message) from refused
        entries = run.entries.count()
        state = "published" if run.is_published else "a draft"
        self.stdout.write(self.style.SUCCESS(f"{run}: {state} of {entries} entries."))
        for entry in run.entries.filter(kind="region").select_related("region")[:50]:
            self.stdout.write(f"  {entry.rank:>3}  {entry.score:7.2f}  {entry.mark or '':5}  {entry.region}")

    def _scope(self, code: str | None) -> Region:
        if code is None:
            provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE)[:2])
            if len(provinces) != 1:
                raise CommandError("Name the scope with --scope: there is not exactly one province.")
            return provinces[0]
        try:
            return Region.objects.get(code=code)
        except Region.DoesNotExist:
            raise CommandError(f"No region has the code {code!r}.") from None
