#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: the database into an EMPTY database, the evidence files into
# an empty (or missing) EVIDENCE_ROOT. Checksums are verified before and after. See docs/backup.md.
#
#   createdb -h HOST -U postgres portal_restored
#   DATABASE_URL=postgres://.../portal_restored EVIDENCE_ROOT=/srv/portal/evidence-restored \
#       scripts/restore.sh /srv/backups/portal/portal-20261203T010000Z
#
# It never overwrites: a database with tables or a folder with files in it is refused.
set -euo pipefail

die() { printf 'restore: %s\n' "$*" >&2; exit 1; }
say() { printf 'restore: %s\n' "$*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# = 1 ] || die "name the backup folder: scripts/restore.sh BACKUP_DIR/portal-YYYYMMDDTHHMMSSZ"
backup=$(cd "$1" 2>/dev/null && pwd) || die "$1 is not a folder."
DATABASE_URL=${DATABASE_URL:-}
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  "") die "DATABASE_URL is not set: the empty database to restore into, postgres://USER:PASSWORD@HOST:5432/NAME." ;;
  *) die "DATABASE_URL must be a postgres:// URL." ;;
esac
EVIDENCE_ROOT=${EVIDENCE_ROOT:-${VAR_DIR:-$ROOT/var}/evidence}
for program in pg_restore psql sha256sum tar; do
  command -v "$program" >/dev/null || die "$program is missing (pg_restore, psql: Debian's postgresql-client)."
done

for file in SHA256SUMS database.dump evidence.tar evidence.sha256 manifest.txt; do
  [ -f "$backup/$file" ] || die "$backup is not a complete backup: $file is missing."
done
say "checking the backup's checksums."
(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || die "$backup is damaged: a checksum does not match."

tables=$(psql --no-psqlrc --quiet --tuples-only --no-align --dbname="$DATABASE_URL" --command="
  SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'") \
  || die "cannot reach the database of DATABASE_URL (create it first with createdb)."
[ "$tables" = 0 ] || die "the database of DATABASE_URL is not empty ($tables tables and sequences); restore into a new one."
if [ -d "$EVIDENCE_ROOT" ] && [ -n "$(find "$EVIDENCE_ROOT" -mindepth 1 -print -quit)" ]; then
  die "$EVIDENCE_ROOT is not empty; restore the evidence files into a new folder."
fi

say "restoring the database."
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/database.dump"

say "restoring the evidence files into $EVIDENCE_ROOT."
mkdir -p "$EVIDENCE_ROOT"
tar -C "$EVIDENCE_ROOT" --no-same-owner -xf "$backup/evidence.tar"
if [ -s "$backup/evidence.sha256" ]; then
  (cd "$EVIDENCE_ROOT" && sha256sum --check --quiet --strict "$backup/evidence.sha256") \
    || die "an evidence file restored into $EVIDENCE_ROOT does not match its checksum."
fi

files=$(wc -l < "$backup/evidence.sha256")
say "done: the database and $files evidence files. Point the portal at them (DATABASE_URL, EVIDENCE_ROOT),"
say "then run: python manage.py migrate && python manage.py hazard_counts --check"
