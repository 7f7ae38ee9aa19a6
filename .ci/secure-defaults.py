#!/usr/bin/env python3
"""The secure defaults of what ships, checked offline (docs/security.md):

  secure-defaults.py compose COMPOSE_FILE ENV_EXAMPLE < `docker-compose config` output
  secure-defaults.py k8s PROFILE < `kubectl kustomize` output     (PROFILE: base, dev, prod, components)
  secure-defaults.py tracked PATH...                               (files that git tracks)

compose: the collector serves TLS from read-only mounted files on 8443 and publishes nothing
else; its health check speaks https; agents dial 8443 with a CA; the admin key, the token and the
database password come from .env (`${VAR:?…}`), never a literal or a default; .env.example holds
only recognisable placeholders; anonymous read is off.
k8s: the collector's TLS comes from the Secret portwatch-collector-tls mounted read-only, its
probes use HTTPS on 8443, the Service and the NetworkPolicy open 8443 only; agents get ca.crt (and
not the server's key) and a token from the Secret portwatch-ingest; every credential variable is a
secretKeyRef; anonymous read is off except in dev; no Secret is rendered except in dev, where it
comes from generated files.
tracked: no private key, and no Secret with data in a manifest, is in a tracked file.

Exit 0 when every rule holds, 1 with one line per violation."""
import re
import sys

import yaml

CREDENTIAL = re.compile(r"(PASSWORD|TOKEN|SECRET|_KEY)$")
problems = []


def need(cond, message):
    if not cond:
        problems.append(message)


def env_map(env):
    if isinstance(env, list):  # compose's list form: KEY=VALUE
        return dict(e.split("=", 1) if "=" in e else (e, None) for e in env)
    return env or {}


def volume(v):  # docker-compose 1.x prints "src:dst:ro", docker compose v2 the long form
    if isinstance(v, str):
        parts = v.split(":")
        return {"source": parts[0], "target": parts[1], "read_only": "ro" in parts[2:]}
    return {"source": v.get("source", ""), "target": v.get("target"), "read_only": bool(v.get("read_only"))}


def port(p):  # "127.0.0.1:8443:8443/tcp" or {host_ip, published, target}
    if isinstance(p, str):
        parts = p.split("/")[0].split(":")
        return {"host_ip": parts[0] if len(parts) == 3 else None, "target": parts[-1]}
    return {"host_ip": p.get("host_ip"), "target": str(p.get("target"))}


def compose(compose_file, env_example):
    resolved = yaml.safe_load(sys.stdin)["services"]
    raw = yaml.safe_load(open(compose_file))["services"]
    for name, svc in raw.items():
        for key, value in env_map(svc.get("environment")).items():
            if CREDENTIAL.search(key) and not key.endswith("_TLS_KEY") and key != "PORTWATCH_TLS_KEY":
                need(isinstance(value, str) and re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", value),
                     f"{compose_file}: {name}.environment.{key} must come from .env as ${{VAR:?message}}, not {value!r}")
    col = resolved["collector"]
    env = env_map(col.get("environment"))
    need(env.get("PORTWATCH_TLS_CERT") and env.get("PORTWATCH_TLS_KEY"), "collector: PORTWATCH_TLS_CERT and PORTWATCH_TLS_KEY must be set")
    mounts = [volume(v) for v in col.get("volumes", [])]
    mounts = [m for m in mounts if m["target"] == "/etc/portwatch/tls"]
    need(mounts and all(m["read_only"] for m in mounts), "collector: /etc/portwatch/tls must be mounted read-only")
    for m in mounts:
        need("compose/tls/" in m["source"], f"collector: TLS files must come from compose/tls (generated), not {m['source']}")
    ports = [port(p) for p in col.get("ports", [])]
    need([p["target"] for p in ports] == ["8443"], f"collector: publish 8443 only (TLS), not {ports}")
    for p in ports:
        need(p["host_ip"] == "127.0.0.1", f"collector: port {p['target']} must be published on 127.0.0.1 only")
    test = " ".join(col.get("healthcheck", {}).get("test", []))
    need("https://" in test and ":8443/" in test, f"collector: the health check must use https on 8443: {test}")
    need(str(env.get("PORTWATCH_SECURITY_ANONYMOUS_READ")).lower() == "false", "collector: anonymous read must default to false")
    need(str(env.get("PORTWATCH_SECURITY_ADMIN_KEY", "")).startswith("pwk_"), "collector: PORTWATCH_SECURITY_ADMIN_KEY must be set from .env")
    for name, svc in resolved.items():
        if not name.startswith("agent-"):
            continue
        aenv = env_map(svc.get("environment"))
        need(str(aenv.get("PORTWATCH_COLLECTOR_PORT")) == "8443", f"{name}: PORTWATCH_COLLECTOR_PORT must be 8443")
        need(aenv.get("PORTWATCH_COLLECTOR_TLS_CA"), f"{name}: PORTWATCH_COLLECTOR_TLS_CA must be set")
        need(aenv.get("PORTWATCH_COLLECTOR_TOKEN"), f"{name}: PORTWATCH_COLLECTOR_TOKEN must be set")
    example = {}
    for line in open(env_example):
        m = re.match(r"^([A-Z0-9_]+)=(.*)$", line.strip())
        if m:
            example[m.group(1)] = m.group(2)
    for key, value in example.items():
        if CREDENTIAL.search(key):
            need("change-me" in value, f"{env_example}: {key} must be a change-me placeholder, not a value")
    key = example.get("PORTWATCH_SECURITY_ADMIN_KEY", "")
    need(key.startswith("pwk_") and len(key) >= 32, f"{env_example}: the admin key placeholder must look like one (pwk_, >= 32 chars)")
    need(example.get("PORTWATCH_SECURITY_ANONYMOUS_READ") == "false", f"{env_example}: anonymous read must be false")


def containers(obj):
    return obj["spec"]["template"]["spec"].get("containers", [])


def k8s(profile):
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    col = by.get(("Deployment", "portwatch-collector"))
    agent = by.get(("DaemonSet", "portwatch-agent"))
    need(col and agent, "the collector Deployment and the agent DaemonSet must be rendered")
    if not (col and agent):
        return
    for obj in (col, agent):
        for c in containers(obj):
            for e in c.get("env", []):
                if CREDENTIAL.search(e["name"]) and not e["name"].endswith("TLS_KEY"):
                    need("secretKeyRef" in e.get("valueFrom", {}), f"{obj['kind']}/{obj['metadata']['name']}: {e['name']} must come from a Secret (secretKeyRef)")
    c = containers(col)[0]
    env = {e["name"]: e for e in c.get("env", [])}
    need("PORTWATCH_TLS_CERT" in env and "PORTWATCH_TLS_KEY" in env, "collector: PORTWATCH_TLS_CERT and PORTWATCH_TLS_KEY must be set")
    vols = {v["name"]: v for v in col["spec"]["template"]["spec"].get("volumes", [])}
    tls = [m for m in c.get("volumeMounts", []) if vols.get(m["name"], {}).get("secret", {}).get("secretName") == "portwatch-collector-tls"]
    need(tls and all(m.get("readOnly") for m in tls), "collector: the Secret portwatch-collector-tls must be mounted read-only")
    need(all(not m.get("subPath") for m in tls), "collector: no subPath on the TLS mount (a renewed Secret would never arrive)")
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    need(list(ports.values()) == [8443], f"collector: container port 8443 only, not {ports}")
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = c.get(kind, {}).get("httpGet", {})
        port = ports.get(get.get("port"), get.get("port"))
        need(get.get("scheme") == "HTTPS" and port == 8443, f"collector: {kind} must use scheme HTTPS on 8443")
    anon = env.get("PORTWATCH_SECURITY_ANONYMOUS_READ", {}).get("value")
    if profile == "dev":
        need(anon in ("true", "false"), "dev: PORTWATCH_SECURITY_ANONYMOUS_READ must be set")
    else:
        need(anon == "false", f"{profile}: PORTWATCH_SECURITY_ANONYMOUS_READ must be \"false\", not {anon!r}")
    admin = env.get("PORTWATCH_SECURITY_ADMIN_KEY", {}).get("valueFrom", {}).get("secretKeyRef", {})
    need(admin.get("name") == "portwatch-admin-key", "collector: PORTWATCH_SECURITY_ADMIN_KEY must come from the Secret portwatch-admin-key")

    a = containers(agent)[0]
    aenv = {e["name"]: e for e in a.get("env", [])}
    need(aenv.get("PORTWATCH_COLLECTOR_PORT", {}).get("value") == "8443", "agent: PORTWATCH_COLLECTOR_PORT must be 8443")
    need("PORTWATCH_COLLECTOR_TLS_CA" in aenv, "agent: PORTWATCH_COLLECTOR_TLS_CA must be set")
    token = aenv.get("PORTWATCH_COLLECTOR_TOKEN", {}).get("valueFrom", {}).get("secretKeyRef", {})
    need(token.get("name") == "portwatch-ingest", "agent: the token must come from the Secret portwatch-ingest")
    for v in agent["spec"]["template"]["spec"].get("volumes", []):
        if v.get("secret", {}).get("secretName") == "portwatch-collector-tls":
            keys = [i["key"] for i in v["secret"].get("items", [])]
            need(keys == ["ca.crt"], f"agent: mount only ca.crt of portwatch-collector-tls (never the server's key), not {keys or 'all keys'}")

    svc = by.get(("Service", "portwatch-collector"))
    need(svc and [p["port"] for p in svc["spec"]["ports"]] == [8443], "Service portwatch-collector: port 8443 only")
    pol = by.get(("NetworkPolicy", "portwatch-collector-ingress"))
    need(pol and all(p.get("port") == 8443 for r in pol["spec"]["ingress"] for p in r.get("ports", [])),
         "NetworkPolicy portwatch-collector-ingress: port 8443 only")
    secrets = [d for d in docs if d["kind"] == "Secret"]
    if profile == "dev":
        tls = by.get(("Secret", "portwatch-collector-tls"))
        need(tls and tls.get("type") == "kubernetes.io/tls" and {"tls.crt", "tls.key", "ca.crt"} <= set(tls.get("data", {})),
             "dev: the Secret portwatch-collector-tls must be of type kubernetes.io/tls with tls.crt, tls.key and ca.crt")
    else:
        need(not secrets, f"{profile}: no Secret may be rendered (they come from the cluster): {[s['metadata']['name'] for s in secrets]}")


def tracked(paths):
    for path in paths:
        try:
            text = open(path, encoding="utf-8").read()
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue
        need(not re.search(r"-----BEGIN [A-Z ]*PRIVATE KEY-----", text), f"{path}: a private key is in a tracked file")
        if path.endswith((".yaml", ".yml")):
            try:
                docs = list(yaml.safe_load_all(text))
            except yaml.YAMLError:
                continue
            for d in docs:
                if isinstance(d, dict) and d.get("kind") == "Secret":
                    need(not (d.get("data") or d.get("stringData")), f"{path}: Secret {d.get('metadata', {}).get('name')} has values in a tracked file")
                for gen in (d.get("secretGenerator") or []) if isinstance(d, dict) else []:
                    need(not gen.get("literals"), f"{path}: secretGenerator {gen.get('name')} has literals; use envs/files that are git-ignored")


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    {"compose": lambda: compose(*args), "k8s": lambda: k8s(*args), "tracked": lambda: tracked(args)}[mode]()
    for p in problems:
        print(p)
    print(f"secure defaults ({mode} {' '.join(args[:1]) if mode != 'tracked' else f'{len(args)} files'}): "
          + ("OK" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
