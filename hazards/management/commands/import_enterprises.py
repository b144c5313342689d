from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hazards.services.register import ImportFileError, enterprises_import


class Command(BaseCommand):
    help = "Import enterprises from an .xlsx or .csv file: every row, or none if any row is wrong."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", type=Path, help="The .xlsx or .csv file; its first row names the columns."
        )

    def handle(self, *args, file: Path, **options) -> None:
        try:
            result = enterprises_import(path=file)
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        for error in result.errors:
            where = _("line %(line)d") % {"line": error.line}
            if error.field:
                where = f"{where}, {error.field}"
            self.stderr.write(f"{where}: {error.message}")
        if result.errors:
            bad_lines = len({error.line for error in result.errors})
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(count)d row has errors.",
                    "Nothing was imported: %(count)d rows have errors.",
                    bad_lines,
                )
                % {"count": bad_lines}
            )
        self.stdout.write(
            ngettext("Imported %(count)d enterprise.", "Imported %(count)d enterprises.", result.created)
            % {"count": result.created}
        )
