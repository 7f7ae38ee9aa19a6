#!/usr/bin/env bash
# Makes the dev overlay's secrets, random and git-ignored, next to this script; the overlay's
# secretGenerator reads them (kubectl apply -k k8s/overlays/dev fails until they exist):
#   db.env         username, password         -> Secret portwatch-db
#   ingest.env     token (the shared token)   -> Secret portwatch-ingest
#   admin-key.env  key (pwk_…, the first admin key; print it with: cat admin-key.env)
#                                             -> Secret portwatch-admin-key
#   tls/           CA + collector certificate -> Secret portwatch-collector-tls (tls.crt, tls.key, ca.crt)
# Existing files are kept, so re-running never changes a credential behind a running install;
# delete a file to make a new one (that is the rotation, docs/security.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v openssl > /dev/null || { echo "generate.sh: openssl is required" >&2; exit 1; }
umask 077

write() { # file content
  if [ -s "$here/$1" ]; then echo "kept $1"; else printf '%s\n' "$2" > "$here/$1"; echo "made $1"; fi
}
write db.env "username=portwatch
password=$(openssl rand -hex 24)"
write ingest.env "token=$(openssl rand -hex 32)"
write admin-key.env "key=pwk_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')"

if [ -s "$here/tls/collector/tls.crt" ]; then
  echo "kept tls/ (delete it, or run compose/tls/generate.sh --out on it, to renew)"
else
  # The names agents and port-forwards use; the first is the Service, which agents dial.
  "$here/../../../../compose/tls/generate.sh" --out "$here/tls" --no-agents \
    --host portwatch-collector --host portwatch-collector.portwatch.svc \
    --host portwatch-collector.portwatch.svc.cluster.local --host localhost --host 127.0.0.1
fi
