#!/usr/bin/env python3
"""Every service that another one depends on must have a health check, and its dependants must
wait for it to be healthy (condition: service_healthy), so `up` starts nothing against a
half-started database or collector.

Reads the output of `docker-compose config` (anchors, merges and variables resolved) on stdin.
Exit 0 when the rule holds, 1 with one line per violation otherwise."""
import sys

import yaml


def dependencies(service):
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):  # short form: a list of names, which means service_started
        return {name: "service_started" for name in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def main():
    config = yaml.safe_load(sys.stdin)
    services = config.get("services") or {}
    problems = []
    for name, service in sorted(services.items()):
        for dep, condition in sorted(dependencies(service).items()):
            target = services.get(dep)
            if target is None:
                problems.append(f"{name}: depends on {dep}, which is not a service")
                continue
            check = target.get("healthcheck")
            if not check or check.get("disable") or not check.get("test") or check.get("test") == ["NONE"]:
                problems.append(f"{dep}: {name} depends on it, but it has no healthcheck")
            if condition != "service_healthy":
                problems.append(f"{name}: waits for {dep} with condition {condition}; use service_healthy")
    for p in problems:
        print(p)
    depended = sorted({d for s in services.values() for d in dependencies(s)})
    print(f"{len(services)} services; depended on: {', '.join(depended) or 'none'}; "
          + ("all have health checks" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
