#!/usr/bin/env bash
# Audits the pinned runtime dependencies (requirements.txt and what they pull in) against a vulnerability
# database with pip-audit. Any known vulnerability, or any package the database cannot audit, fails (--strict).
#
# The database is on the internet (PyPI's JSON API, or OSV). Where it cannot be reached, as on a closed
# network, the dependencies are NOT audited: this says so loudly, with the reason, and does not fail for that
# alone, unless AUDIT_REQUIRED=true (set it where the audit must happen, e.g. before a release).
#
#   AUDIT_SERVICE=pypi|osv   the database (default pypi)
#   AUDIT_REQUIRED=true      fail when the database cannot be reached
#   AUDIT_REQUIREMENTS=FILE  what to audit (default requirements.txt)
set -uo pipefail
cd "$(dirname "$0")/.."

SERVICE=${AUDIT_SERVICE:-pypi}
REQUIRED=${AUDIT_REQUIRED:-false}
REQUIREMENTS=${AUDIT_REQUIREMENTS:-requirements.txt}
PYTHON=${PYTHON:-python}

say() { printf 'audit-dependencies: %s\n' "$*"; }

case "$SERVICE" in
  pypi | osv) ;;
  *) say "AUDIT_SERVICE=$SERVICE is not one of: pypi, osv."; exit 2 ;;
esac

# Ask the database about a release that has been on PyPI for years, the way pip-audit asks: an answer
# without vulnerability data means the database is not there (blocked, or a mirror that does not carry it).
reason=$(
  "$PYTHON" - "$SERVICE" <<'PY'
import json
import sys
import urllib.error
import urllib.request

service = sys.argv[1]
if service == "pypi":
    url = "https://pypi.org/pypi/Django/4.2/json"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
else:
    url = "https://api.osv.dev/v1/query"
    body = {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "4.2"}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
try:
    with urllib.request.urlopen(request, timeout=20) as response:
        answer = json.load(response)
except urllib.error.HTTPError as error:
    print(f"{url} answered HTTP {error.code}")
except (urllib.error.URLError, OSError) as error:
    print(f"{url} cannot be reached: {getattr(error, 'reason', error)}")
except ValueError:
    print(f"{url} did not answer JSON")
else:
    if "vulnerabilities" not in answer and "vulns" not in answer and answer != {}:
        print(f"{url} answered without vulnerability data")
PY
)

if [ -n "$reason" ]; then
  cat <<EOF
audit-dependencies: ****************************************************************************
audit-dependencies: THE DEPENDENCIES WERE NOT AUDITED for known vulnerabilities.
audit-dependencies: The vulnerability database ($SERVICE) is out of reach: $reason.
audit-dependencies: Run scripts/audit-dependencies.sh on a machine that reaches it (AUDIT_SERVICE=osv
audit-dependencies: for api.osv.dev) before a release; AUDIT_REQUIRED=true makes this a failure.
audit-dependencies: ****************************************************************************
EOF
  [ "$REQUIRED" = true ] && exit 1
  exit 0
fi

say "auditing $REQUIREMENTS against $SERVICE."
exec "$PYTHON" -m pip_audit --strict --vulnerability-service "$SERVICE" --requirement "$REQUIREMENTS" \
  --progress-spinner off
