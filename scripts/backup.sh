#!/usr/bin/env bash
# Backs up the portal: its database (pg_dump, custom format) and its evidence files, into a new folder
# BACKUP_DIR/portal-YYYYMMDDTHHMMSSZ with checksums, then keeps only the newest BACKUP_KEEP backups.
# See docs/backup.md.
#
#   DATABASE_URL=postgres://... EVIDENCE_ROOT=/srv/portal/evidence scripts/backup.sh /srv/backups/portal
#
# The database is dumped first, the files copied after: evidence files are written before their row and
# never changed, so every evidence row of the dump finds its file in the copy. The folder appears under its
# final name only once complete; its path is the last line printed.
set -euo pipefail

die() { printf 'backup: %s\n' "$*" >&2; exit 1; }
say() { printf 'backup: %s\n' "$*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKUP_DIR=${1:-${BACKUP_DIR:-}}
[ -n "$BACKUP_DIR" ] || die "name the folder the backups go into: scripts/backup.sh DIR (or set BACKUP_DIR)."
DATABASE_URL=${DATABASE_URL:-}
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  "") die "DATABASE_URL is not set: the portal's database, postgres://USER:PASSWORD@HOST:5432/NAME." ;;
  *) die "DATABASE_URL must be a postgres:// URL; a SQLite trial is backed up by copying its file." ;;
esac
EVIDENCE_ROOT=${EVIDENCE_ROOT:-${VAR_DIR:-$ROOT/var}/evidence}
BACKUP_KEEP=${BACKUP_KEEP:-14}
[[ "$BACKUP_KEEP" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP=$BACKUP_KEEP is not a number of backups (1 or more)."
for program in pg_dump sha256sum tar; do
  command -v "$program" >/dev/null || die "$program is missing (pg_dump: Debian's postgresql-client)."
done

mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/portal-$stamp"
[ ! -e "$target" ] || die "$target exists already; is another backup running?"
work="$target.partial"
rm -rf "$work"
mkdir -m 700 "$work"
trap 'rm -rf "$work"' EXIT

say "dumping the database."
pg_dump --format=custom --compress=6 --file="$work/database.dump" --dbname="$DATABASE_URL"

say "copying the evidence files from $EVIDENCE_ROOT."
if [ -d "$EVIDENCE_ROOT" ]; then
  (cd "$EVIDENCE_ROOT" && find . -type f ! -name '*.partial' -print0 | LC_ALL=C sort -z) > "$work/evidence.list"
  (cd "$EVIDENCE_ROOT" && xargs -0 -r sha256sum -- < "$work/evidence.list") > "$work/evidence.sha256"
  tar -C "$EVIDENCE_ROOT" --null --files-from="$work/evidence.list" -cf "$work/evidence.tar"
  rm "$work/evidence.list"
else
  say "$EVIDENCE_ROOT does not exist: no evidence files yet."
  : > "$work/evidence.sha256"
  tar -cf "$work/evidence.tar" --files-from=/dev/null
fi

files=$(wc -l < "$work/evidence.sha256")
{
  echo "created: $stamp"
  # The database's name only: the URL may carry a password.
  echo "database: $(basename "${DATABASE_URL%%\?*}")"
  echo "evidence files: $files"
  echo "pg_dump: $(pg_dump --version)"
  echo "portal: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$work/manifest.txt"
(cd "$work" && sha256sum database.dump evidence.tar evidence.sha256 manifest.txt > SHA256SUMS)

mv "$work" "$target"
trap - EXIT
say "done: the database and $files evidence files."

# Retention: the newest BACKUP_KEEP complete backups stay; older ones go.
mapfile -t backups < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'portal-*' ! -name '*.partial' | sort)
if ((${#backups[@]} > BACKUP_KEEP)); then
  for old in "${backups[@]:0:${#backups[@]}-BACKUP_KEEP}"; do
    say "removing the old backup $old."
    rm -rf "$old"
  done
fi
echo "$target"
