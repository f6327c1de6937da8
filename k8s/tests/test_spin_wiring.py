"""The Kubernetes manifests follow the Spin manifests they run.

Each test reads spin.toml, spin-migrate.toml, spin-agent.toml and
spin-import.toml as they are when it runs, so a variable or component added
there and not here fails `make k8s-check`.
"""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import OVERLAYS, REPO, env_of, secret_example_keys, spin_manifest

APP = spin_manifest("spin.toml")
MIGRATE = spin_manifest("spin-migrate.toml")
AGENT = spin_manifest("spin-agent.toml")
# The CronJobs and the command-trigger apps they run: (Spin manifest, its
# component, CronJob, container). Under `spin up`, spin.toml's cron trigger
# runs the same work (components agent and import-job).
CRON_APPS = (
    ("spin-agent.toml", "agent-run", "taskspin-agent", "agent"),
    ("spin-import.toml", "import-run", "taskspin-import", "import"),
)


def variables(manifest: dict) -> dict[str, dict]:
    return manifest.get("variables", {})


def is_required(decl: dict) -> bool:
    return bool(decl.get("required")) or "default" not in decl


def trigger_components(manifest: dict) -> dict[str, set[str]]:
    """Trigger type -> the components its triggers name."""
    out: dict[str, set[str]] = {}
    for kind, triggers in manifest.get("trigger", {}).items():
        for trigger in triggers:
            component = trigger.get("component")
            assert isinstance(component, str), (
                f"a [[trigger.{kind}]] names its component inline; the manifests here name components by id"
            )
            out.setdefault(kind, set()).add(component)
    return out


def root_spinapp() -> dict:
    return yaml.safe_load((REPO / "SpinApp.yaml").read_text())


def spinapps(rendered) -> list[tuple[str, dict]]:
    out = [("SpinApp.yaml", root_spinapp())]
    for overlay in OVERLAYS:
        out.append((f"{overlay} overlay", rendered[overlay].one("SpinApp", "taskspin")))
    return out


def check_binding(where: str, name: str, decl: dict, source: dict) -> None:
    """`source` is a SpinApp variable entry or a container env entry."""
    value_from = source.get("valueFrom")
    if decl.get("secret"):
        assert "value" not in source, f"{where}: secret variable {name} has a literal value"
        assert value_from and "secretKeyRef" in value_from, (
            f"{where}: secret variable {name} must come from a Secret (valueFrom.secretKeyRef)"
        )
    assert "value" in source or value_from, f"{where}: {name} has neither value nor valueFrom"
    if is_required(decl) and value_from:
        ref = next(iter(value_from.values()))
        assert not ref.get("optional"), f"{where}: {name} is required by the manifest but its reference is optional"


def test_every_spin_variable_is_wired_in_the_spinapp(rendered):
    declared = variables(APP)
    assert declared, "spin.toml declares no [variables]?"
    for where, app in spinapps(rendered):
        bound = app["spec"].get("variables", [])
        names = [v["name"] for v in bound]
        assert len(names) == len(set(names)), f"{where}: a variable is bound twice: {names}"
        by_name = {v["name"]: v for v in bound}
        missing = sorted(set(declared) - set(by_name))
        assert not missing, f"{where}: spin.toml variables not wired in the SpinApp: {missing}"
        for name, decl in declared.items():
            check_binding(where, name, decl, by_name[name])


def test_variables_not_yet_declared_cannot_stop_a_pod(rendered):
    """Bindings ahead of spin.toml (the assistant's llm_* settings) are optional."""
    declared = set(variables(APP))
    for where, app in spinapps(rendered):
        for v in app["spec"].get("variables", []):
            if v["name"] in declared:
                continue
            ref = next(iter(v.get("valueFrom", {}).values()), {})
            assert ref.get("optional") is True, (
                f"{where}: {v['name']} is not declared in spin.toml, so its reference must be optional"
            )


def test_spinapp_keeps_exactly_the_http_components(rendered):
    triggers = trigger_components(APP)
    http = triggers.get("http", set())
    others = set().union(*(c for kind, c in triggers.items() if kind != "http"))
    components = set(APP.get("component", {}))
    assert http <= components
    for where, app in spinapps(rendered):
        kept = app["spec"].get("components")
        assert kept, f"{where}: spec.components must list the HTTP components (the image has other triggers)"
        assert set(kept) == http, (
            f"{where}: spec.components {sorted(kept)} != components of [[trigger.http]] in spin.toml {sorted(http)}"
        )
        assert not set(kept) & (others - http), f"{where}: keeps a component of a non-HTTP trigger"


@pytest.mark.parametrize(
    "manifest_name, component",
    [("spin-migrate.toml", "migrate"), *((m, c) for m, c, _, _ in CRON_APPS)],
)
def test_command_apps_have_only_command_triggers(manifest_name, component):
    manifest = spin_manifest(manifest_name)
    assert manifest is not None, f"{manifest_name} is missing"
    assert trigger_components(manifest) == {"command": {component}}
    [only] = manifest["component"]
    assert only == component, f"{manifest_name}: one component, {component}"
    built = manifest["component"][component]
    assert built["source"] == f"target/wasm32-wasip2/release/{component}.wasm"
    assert built["build"]["command"] == f"cargo build --target wasm32-wasip2 --release -p {component}"
    # Each reaches PostgreSQL with its db_* variables.
    assert "postgres://{{ db_host }}:{{ db_port }}" in built["allowed_outbound_hosts"]
    declared = set(variables(manifest))
    assert set(built.get("variables", {})) <= declared, f"{manifest_name}: a component variable is not declared"


def check_env(where: str, manifest: dict, env: dict[str, dict]) -> None:
    declared = {f"SPIN_VARIABLE_{name.upper()}": (name, decl) for name, decl in variables(manifest).items()}
    for key, (name, decl) in declared.items():
        assert key in env, f"{where}: {key} missing (variable {name})"
        check_binding(where, name, decl, env[key])
    for key, entry in env.items():
        if key.startswith("SPIN_VARIABLE_") and key not in declared:
            ref = next(iter(entry.get("valueFrom", {}).values()), {})
            assert ref.get("optional") is True, f"{where}: {key} is not declared in the manifest, so it must be optional"


def test_migrations_job_gets_every_variable_of_spin_migrate_toml(rendered):
    for overlay in OVERLAYS:
        job = rendered[overlay].one("Job", "taskspin-migrate")
        check_env(f"{overlay} Job/taskspin-migrate", MIGRATE, env_of(job, "migrate"))


@pytest.mark.parametrize("manifest_name, component, cronjob, container", CRON_APPS)
def test_cronjob_gets_every_variable_of_its_spin_manifest(rendered, manifest_name, component, cronjob, container):
    manifest = spin_manifest(manifest_name)
    assert manifest is not None, f"{manifest_name} is missing: CronJob/{cronjob} runs it"
    for overlay in OVERLAYS:
        cron = rendered[overlay].one("CronJob", cronjob)
        check_env(f"{overlay} CronJob/{cronjob}", manifest, env_of(cron, container))


DATABASE_VARIABLES = ("db_host", "db_port", "db_name", "db_user", "db_password", "db_sslmode")


def test_every_command_workload_reaches_the_same_database(rendered):
    """The Job and both CronJobs read the database's address and login from
    the same places in every overlay (production: the Secret), so an import
    lands in the database the migrations prepared."""
    for overlay in OVERLAYS:
        r = rendered[overlay]
        envs = {
            "Job/taskspin-migrate": env_of(r.one("Job", "taskspin-migrate"), "migrate"),
            **{f"CronJob/{cronjob}": env_of(r.one("CronJob", cronjob), container) for _, _, cronjob, container in CRON_APPS},
        }
        for name in DATABASE_VARIABLES:
            key = f"SPIN_VARIABLE_{name.upper()}"
            found = {where: json.dumps(env.get(key), sort_keys=True) for where, env in envs.items()}
            assert len(set(found.values())) == 1, f"{overlay}: {key} differs: {found}"


def references(doc: dict):
    """Every ConfigMap or Secret key reference in a rendered resource."""
    if doc["kind"] == "SpinApp":
        for v in doc["spec"].get("variables", []):
            for kind, ref in v.get("valueFrom", {}).items():
                yield v["name"], kind, ref
        return
    if doc["kind"] not in ("Job", "CronJob", "StatefulSet", "Deployment"):
        return
    spec = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]["template"]["spec"]
    for c in spec["containers"]:
        for e in c.get("env", []):
            for kind, ref in e.get("valueFrom", {}).items():
                yield e["name"], kind, ref
    for vol in spec.get("volumes", []):
        if "secret" in vol:
            for item in vol["secret"].get("items", []):
                yield vol["name"], "secretKeyRef", {"name": vol["secret"]["secretName"], "key": item["key"]}


def test_every_reference_resolves(rendered):
    """ConfigMap keys exist in the rendered ConfigMap; Secret keys are documented."""
    secret_keys = secret_example_keys()
    for overlay in OVERLAYS:
        r = rendered[overlay]
        configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in r.all("ConfigMap")}
        checked = 0
        for doc in r.docs:
            for name, kind, ref in references(doc):
                where = f"{overlay} {doc['kind']}/{doc['metadata']['name']} {name}"
                checked += 1
                if kind == "configMapKeyRef":
                    assert ref["name"] in configmaps, f"{where}: no ConfigMap {ref['name']} in the overlay"
                    if not ref.get("optional"):
                        assert ref["key"] in configmaps[ref["name"]], f"{where}: ConfigMap has no key {ref['key']}"
                elif kind == "secretKeyRef":
                    assert ref["name"] == "taskspin-secrets", f"{where}: unknown Secret {ref['name']}"
                    assert ref["key"] in secret_keys, (
                        f"{where}: key {ref['key']} is not in k8s/base/secrets.example.yaml (document it there)"
                    )
                else:
                    raise AssertionError(f"{where}: unexpected reference {kind}")
        assert checked > 20, f"{overlay}: only {checked} references found"


def test_secret_keys_are_the_ones_the_docs_create(rendered):
    """What the overlays read from the Secret is what docs/deploy.md puts into it."""
    docs = (REPO / "docs/deploy.md").read_text()
    for overlay in OVERLAYS:
        used = {
            ref["key"]
            for doc in rendered[overlay].docs
            for _, kind, ref in references(doc)
            if kind == "secretKeyRef" and not ref.get("optional")
        }
        for key in used:
            assert f"--from-literal={key}=" in docs, f"docs/deploy.md never creates Secret key {key} ({overlay})"


def web_push_variables(manifest: dict) -> list[str]:
    return [name for name in variables(manifest) if name.startswith(("vapid_", "push_"))]


def test_web_push_settings_cannot_stop_a_pod(rendered):
    """Web Push is off until both VAPID keys are set: its bindings are optional,
    so the app and the agents start without them; the private key comes from
    the Secret, everything else from the ConfigMap."""
    for manifest_name, manifest in (("spin.toml", APP), ("spin-agent.toml", AGENT)):
        if manifest is None:
            continue
        names = web_push_variables(manifest)
        if not names:
            continue
        assert {"vapid_public_key", "vapid_private_key"} <= set(names), f"{manifest_name}: {names}"
        if manifest is APP:
            bindings = [(where, {v["name"]: v for v in app["spec"].get("variables", [])}) for where, app in spinapps(rendered)]
        else:
            bindings = [
                (
                    f"{overlay} CronJob/taskspin-agent",
                    {
                        key.removeprefix("SPIN_VARIABLE_").lower(): entry
                        for key, entry in env_of(rendered[overlay].one("CronJob", "taskspin-agent"), "agent").items()
                    },
                )
                for overlay in OVERLAYS
            ]
        for where, by_name in bindings:
            for name in names:
                assert name in by_name, f"{where}: {name} is not wired"
                [(kind, ref)] = by_name[name].get("valueFrom", {}).items()
                assert ref.get("optional") is True, f"{where}: {name} must be optional (push stays off without it)"
                if variables(manifest)[name].get("secret"):
                    assert (kind, ref["name"]) == ("secretKeyRef", "taskspin-secrets"), (
                        f"{where}: secret {name} must come from the Secret taskspin-secrets, not {kind} {ref['name']}"
                    )
                else:
                    # The rendered overlays carry the ConfigMap's hashed name.
                    assert kind == "configMapKeyRef" and ref["name"].split("-")[:2] == ["taskspin", "config"], (
                        f"{where}: {name} must come from the ConfigMap taskspin-config, not {kind} {ref['name']}"
                    )
                assert ref["key"] == name, f"{where}: {name} reads key {ref['key']}"
