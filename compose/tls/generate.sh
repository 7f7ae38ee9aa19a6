#!/usr/bin/env bash
# Makes the TLS material for Portwatch with openssl: a private CA, a server certificate for the
# collector and, for mTLS, one client certificate per agent (CN = agent id, plus the SAN URI
# portwatch:agent:<id>, either of which the collector binds the agent id to). For evaluation and
# small sites; with a PKI or cert-manager, use theirs (docs/security.md).
#
#   compose/tls/generate.sh                       # compose: collector, localhost, 127.0.0.1; agent-a, agent-b
#   compose/tls/generate.sh --out DIR --host portwatch-collector --host portwatch-collector.portwatch.svc --agent node-1
#   options: --out DIR, --host NAME|IP (repeat; the first is the CN), --agent ID (repeat),
#            --no-agents, --new-ca, --days N (leaf lifetime, default 397)
#
# Layout of DIR (default: this directory; everything but this script is git-ignored):
#   ca/ca.key ca/ca.crt            the CA; ca.key signs and never leaves this directory
#   collector/tls.crt tls.key ca.crt   mounted into the collector (ca.crt verifies client certs)
#   <agent>/tls.crt tls.key ca.crt     mounted into that agent (ca.crt verifies the collector)
# An existing CA is kept (re-run to renew the leaf certificates under the same trust); --new-ca
# replaces it, which every agent must then receive (docs/security.md, "Rotating the CA").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here     # --out is relative to the caller's directory
hosts=()
agents=()
new_ca=false
no_agents=false
days=397        # leaf certificates: the longest lifetime browsers accept; renew by re-running
ca_days=3650
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --host) hosts+=("$2"); shift 2 ;;
    --agent) agents+=("$2"); shift 2 ;;
    --new-ca) new_ca=true; shift ;;
    --no-agents) no_agents=true; shift ;;
    --days) days=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$here/$(basename "$0")"; exit 0 ;;
    *) echo "generate.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#hosts[@]} -gt 0 ] || hosts=(collector localhost 127.0.0.1)
[ ${#agents[@]} -gt 0 ] || $no_agents || agents=(agent-a agent-b)
command -v openssl > /dev/null || { echo "generate.sh: openssl is required" >&2; exit 1; }

mkdir -p "$out"
# Only the owner may enter: the key files inside are world-readable so that the containers' user
# (uid 10001) can read them through a bind mount, which does not pass through this directory.
chmod 0700 "$out"
umask 022

if $new_ca || [ ! -s "$out/ca/ca.key" ]; then
  mkdir -p "$out/ca"
  (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$out/ca/ca.key" 2> /dev/null)
  openssl req -x509 -new -key "$out/ca/ca.key" -sha256 -days "$ca_days" -subj "/CN=Portwatch CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$out/ca/ca.crt"
  echo "new CA: $out/ca/ca.crt"
fi

leaf() { # dir CN extensions
  local dir=$out/$1 cn=$2 ext=$3
  mkdir -p "$dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/tls.key" 2> /dev/null
  openssl req -new -key "$dir/tls.key" -subj "/CN=$cn" -out "$dir/tls.csr"
  openssl x509 -req -in "$dir/tls.csr" -CA "$out/ca/ca.crt" -CAkey "$out/ca/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile <(printf '%s\n' "$ext") -out "$dir/tls.crt" 2> /dev/null
  rm -f "$dir/tls.csr"
  cp "$out/ca/ca.crt" "$dir/ca.crt"
  chmod 0644 "$dir/tls.key" "$dir/tls.crt" "$dir/ca.crt"
}

san=""
for h in "${hosts[@]}"; do
  if [[ $h =~ ^[0-9.]+$|: ]]; then san+="IP:$h,"; else san+="DNS:$h,"; fi
done
leaf collector "${hosts[0]}" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=${san%,}"
echo "collector: $out/collector/tls.crt for ${hosts[*]}"

for a in ${agents[@]+"${agents[@]}"}; do
  [[ $a =~ ^[A-Za-z0-9._-]+$ ]] || { echo "generate.sh: agent id '$a' has characters a certificate name cannot carry" >&2; exit 2; }
  leaf "$a" "$a" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=URI:portwatch:agent:$a"
  echo "agent $a: $out/$a/tls.crt (CN=$a, URI portwatch:agent:$a)"
done
rm -f "$out/ca/ca.srl" "$out/ca.srl"
