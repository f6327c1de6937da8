"""The rendered overlays are valid Kubernetes and say what the issue asks.

Core resources validate against Kubernetes' own OpenAPI schemas, bundled with
kubernetes-validate (offline), for the oldest and newest Kubernetes versions
docs/deploy.md supports; the SpinApp validates against the schema kept in
k8s/schemas (the fields we use, from spin-operator v0.6.1's CRD).
"""

from __future__ import annotations

import json
import re

import jsonschema
import kubernetes_validate
import pytest
import yaml

from conftest import K8S, OVERLAYS, REPO, pod_spec

# Oldest and newest Kubernetes minor versions we target (docs/deploy.md).
K8S_VERSIONS = ("1.32.0", "1.36.0")

# Kinds that are not part of Kubernetes itself, with the schema of each.
SCHEMAS = {
    "SpinApp": json.loads((K8S / "schemas/spinapp-v1alpha1.schema.json").read_text()),
    "SpinAppExecutor": json.loads((K8S / "schemas/spinappexecutor-v1alpha1.schema.json").read_text()),
}
SPINAPP_SCHEMA = SCHEMAS["SpinApp"]


def test_overlays_render_the_expected_resources(rendered):
    expected = {
        "Namespace/taskspin",
        "SpinApp/taskspin",
        "SpinAppExecutor/containerd-shim-spin",
        "PodDisruptionBudget/taskspin",
        "Ingress/taskspin",
        "Job/taskspin-migrate",
        "CronJob/taskspin-agent",
        "CronJob/taskspin-import",
        "NetworkPolicy/taskspin-default-deny",
        "NetworkPolicy/taskspin-app",
    }
    for overlay in OVERLAYS:
        names = {f"{d['kind']}/{d['metadata']['name']}" for d in rendered[overlay].docs}
        missing = expected - names
        assert not missing, f"{overlay}: missing {sorted(missing)}"
        assert rendered[overlay].configmap("taskspin-config") is not None
        for doc in rendered[overlay].docs:
            if doc["kind"] != "Namespace":
                assert doc["metadata"].get("namespace") == "taskspin", f"{overlay}: {doc['kind']} outside taskspin"
    dev, prod = rendered["development"], rendered["production"]
    assert dev.get("StatefulSet", "taskspin-postgres") is not None
    assert dev.get("HorizontalPodAutoscaler", "taskspin") is None
    assert prod.get("HorizontalPodAutoscaler", "taskspin") is not None
    assert prod.get("StatefulSet", "taskspin-postgres") is None


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_core_resources_match_kubernetes_schemas(rendered, overlay, version):
    validated = 0
    for doc in rendered[overlay].docs:
        if doc["kind"] in SCHEMAS:
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as e:
            pytest.fail(f"{overlay} {doc['kind']}/{doc['metadata']['name']} (Kubernetes {version}): {e.message} at {list(e.path)}")
        validated += 1
    assert validated >= 10


def schema_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMAS[doc["kind"]])
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


spinapp_errors = schema_errors


def test_custom_resources_match_their_schemas(rendered):
    for kind, schema in SCHEMAS.items():
        jsonschema.Draft202012Validator.check_schema(schema)
    for overlay in OVERLAYS:
        kinds = set()
        for doc in rendered[overlay].docs:
            if doc["kind"] in SCHEMAS:
                kinds.add(doc["kind"])
                assert schema_errors(doc) == [], f"{overlay} {doc['kind']}/{doc['metadata']['name']}"
        assert kinds == set(SCHEMAS), overlay


def test_spinapp_matches_its_schema(rendered):
    jsonschema.Draft202012Validator.check_schema(SPINAPP_SCHEMA)
    apps = {"SpinApp.yaml": yaml.safe_load((REPO / "SpinApp.yaml").read_text())}
    for overlay in OVERLAYS:
        apps[overlay] = rendered[overlay].one("SpinApp", "taskspin")
    for where, app in apps.items():
        assert spinapp_errors(app) == [], where


def test_spinapp_schema_rejects_what_the_operator_rejects(rendered):
    app = rendered["production"].one("SpinApp", "taskspin")
    both = json.loads(json.dumps(app))
    both["spec"]["replicas"] = 2
    assert spinapp_errors(both), "replicas together with enableAutoscaling must fail"
    typo = json.loads(json.dumps(app))
    typo["spec"]["component"] = ["health"]
    assert spinapp_errors(typo), "an unknown spec field must fail"
    literal_and_ref = json.loads(json.dumps(app))
    literal_and_ref["spec"]["variables"][0]["value"] = "x"
    assert spinapp_errors(literal_and_ref), "value and valueFrom together must fail"


def test_root_spinapp_is_the_base_spinapp():
    root = (REPO / "SpinApp.yaml").read_bytes()
    base = (K8S / "base/spinapp.yaml").read_bytes()
    assert root == base, "SpinApp.yaml and k8s/base/spinapp.yaml differ: edit one, copy it over the other"


def test_spinapp_runs_on_the_shim_with_probes(rendered):
    for overlay in OVERLAYS:
        spec = rendered[overlay].one("SpinApp", "taskspin")["spec"]
        assert spec["executor"] == "containerd-shim-spin"
        # The executor lives in the SpinApp's namespace and uses the shim's RuntimeClass.
        executor = rendered[overlay].one("SpinAppExecutor", spec["executor"])["spec"]
        assert executor["createDeployment"] is True
        assert executor["deploymentConfig"]["runtimeClassName"] == "wasmtime-spin-v2"
        assert spec["checks"]["readiness"]["httpGet"]["path"] == "/ready"
        assert spec["checks"]["liveness"]["httpGet"]["path"] == "/health"
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(spec["resources"][kind]), f"{overlay}: resources.{kind}"


def test_replicas_and_autoscaling(rendered):
    dev = rendered["development"].one("SpinApp", "taskspin")["spec"]
    assert dev.get("replicas") == 1 and not dev.get("enableAutoscaling")
    prod = rendered["production"]
    app = prod.one("SpinApp", "taskspin")
    assert app["spec"].get("enableAutoscaling") is True and "replicas" not in app["spec"]
    hpa = prod.one("HorizontalPodAutoscaler", "taskspin")["spec"]
    # spin-operator names the Deployment after the SpinApp.
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": app["metadata"]["name"]}
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 10)
    [metric] = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"


def test_production_is_stricter_than_development(rendered):
    def quantity(q) -> float:
        q = str(q)
        units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
        for suffix, factor in units.items():
            if q.endswith(suffix):
                return float(q[: -len(suffix)]) * factor
        return float(q)

    dev = rendered["development"].one("SpinApp", "taskspin")["spec"]["resources"]
    prod = rendered["production"].one("SpinApp", "taskspin")["spec"]["resources"]
    for resource in ("cpu", "memory"):
        assert quantity(prod["limits"][resource]) < quantity(dev["limits"][resource])
        assert quantity(prod["requests"][resource]) <= quantity(prod["limits"][resource])
    assert prod["limits"]["memory"] == prod["requests"]["memory"]


def test_plain_http_only_where_the_app_is_served_over_plain_http(rendered):
    for overlay in OVERLAYS:
        r = rendered[overlay]
        config = r.configmap("taskspin-config")["data"]
        tls = bool(r.one("Ingress", "taskspin")["spec"].get("tls"))
        assert config["cookie_secure"] == ("true" if tls else "false"), overlay
    assert rendered["production"].configmap("taskspin-config")["data"]["db_sslmode"] == "require"
    assert rendered["development"].configmap("taskspin-config")["data"]["db_sslmode"] == "disable"


# The command-trigger apps (kind, name, image): each its own Spin manifest
# and image, its pods labelled app.kubernetes.io/name=<name>.
COMMAND_WORKLOADS = (
    ("Job", "taskspin-migrate", "taskspin-migrate"),
    ("CronJob", "taskspin-agent", "taskspin-agent"),
    ("CronJob", "taskspin-import", "taskspin-import"),
)


def test_spin_workloads_run_with_the_spin_runtime_class(rendered):
    for overlay in OVERLAYS:
        r = rendered[overlay]
        for kind, name, image in COMMAND_WORKLOADS:
            spec = pod_spec(r.one(kind, name))
            assert spec["runtimeClassName"] == "wasmtime-spin-v2", f"{overlay} {kind}/{name}"
            assert spec["restartPolicy"] == "Never"
            [container] = spec["containers"]
            assert re.fullmatch(rf"[^/\s]+(/[^/\s]+)*/{image}:[\w.-]+(@sha256:[0-9a-f]{{64}})?", container["image"]), (
                f"{overlay} {kind}/{name}: image {container['image']} should be <registry>/{image}:<tag>"
            )
        app_image = r.one("SpinApp", "taskspin")["spec"]["image"]
        assert re.fullmatch(r"[^/\s]+(/[^/\s]+)*/taskspin:[\w.-]+(@sha256:[0-9a-f]{64})?", app_image), app_image


@pytest.mark.parametrize(
    "name, schedule, period, deadline",
    [
        # A pass must end before the next one is due.
        ("taskspin-agent", "*/5 * * * *", 300, range(1, 300)),
        # An import of 50,000 tasks takes minutes: at least 15 of them (a run
        # still going when the next is due makes that one skip, Forbid).
        ("taskspin-import", "* * * * *", 60, range(900, 3601)),
    ],
)
def test_cronjob_schedule(rendered, name, schedule, period, deadline):
    for overlay in OVERLAYS:
        cron = rendered[overlay].one("CronJob", name)["spec"]
        assert cron["schedule"] == schedule, f"{overlay} CronJob/{name}"
        assert cron["timeZone"] == "Etc/UTC"
        assert cron["concurrencyPolicy"] == "Forbid"
        # A late start never runs into the next scheduled one.
        assert 0 < cron["startingDeadlineSeconds"] < period, f"{overlay} CronJob/{name}"
        assert cron["successfulJobsHistoryLimit"] > 0 and cron["failedJobsHistoryLimit"] > 0
        job = cron["jobTemplate"]["spec"]
        assert job["activeDeadlineSeconds"] in deadline, f"{overlay} CronJob/{name}: {job['activeDeadlineSeconds']}"
        # No retries: the next run is at most one period away.
        assert job["backoffLimit"] == 0
        assert job.get("parallelism", 1) == 1


def test_only_the_app_reaches_the_database(rendered):
    dev = rendered["development"]
    policy = dev.one("NetworkPolicy", "taskspin-postgres")["spec"]
    assert policy["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "taskspin-postgres"}
    [rule] = policy["ingress"]
    sources = [peer["podSelector"]["matchLabels"] for peer in rule["from"]]
    assert sources == [
        {"core.spinkube.dev/app-name": "taskspin"},
        {"app.kubernetes.io/name": "taskspin-migrate"},
        {"app.kubernetes.io/name": "taskspin-agent"},
        {"app.kubernetes.io/name": "taskspin-import"},
    ]
    assert all("namespaceSelector" not in peer for peer in rule["from"])
    assert rule["ports"] == [{"protocol": "TCP", "port": 5432}]
    for overlay in OVERLAYS:
        r = rendered[overlay]
        deny = r.one("NetworkPolicy", "taskspin-default-deny")["spec"]
        assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
        assert "ingress" not in deny and "egress" not in deny
        # Egress to PostgreSQL's port: only the policies of the app's workloads.
        allowed = set()
        for p in r.all("NetworkPolicy"):
            for rule in p["spec"].get("egress", []):
                if any(port.get("port") == 5432 for port in rule.get("ports", [])):
                    allowed.add(json.dumps(p["spec"]["podSelector"], sort_keys=True))
        expected = {
            json.dumps({"matchLabels": {"core.spinkube.dev/app-name": "taskspin"}}, sort_keys=True),
            json.dumps({"matchLabels": {"app.kubernetes.io/name": "taskspin-migrate"}}, sort_keys=True),
            json.dumps({"matchLabels": {"app.kubernetes.io/name": "taskspin-agent"}}, sort_keys=True),
            json.dumps({"matchLabels": {"app.kubernetes.io/name": "taskspin-import"}}, sort_keys=True),
        }
        if r.get("Deployment", "taskspin-pgbouncer"):
            expected.add(json.dumps({"matchLabels": {"app.kubernetes.io/name": "taskspin-pgbouncer"}}, sort_keys=True))
        assert allowed == expected, overlay


@pytest.mark.parametrize(
    "kind, name, egress_ports",
    [
        ("Job", "taskspin-migrate", {5432}),
        # The model API and the push services, on 443 (below).
        ("CronJob", "taskspin-agent", {5432, 443}),
        # The files it imports are in the database: PostgreSQL only.
        ("CronJob", "taskspin-import", {5432}),
    ],
)
def test_each_command_workloads_policy_selects_its_pods(rendered, kind, name, egress_ports):
    """The NetworkPolicy named after the workload selects its pods (the pod
    template's labels), and PostgreSQL's pods admit them (development)."""
    for overlay in OVERLAYS:
        r = rendered[overlay]
        doc = r.one(kind, name)
        template = doc["spec"]["jobTemplate"]["spec"]["template"] if kind == "CronJob" else doc["spec"]["template"]
        labels = template["metadata"]["labels"]
        policy = r.one("NetworkPolicy", name)["spec"]
        selector = policy["podSelector"]["matchLabels"]
        assert selector.items() <= labels.items(), f"{overlay}: NetworkPolicy/{name} {selector} misses {kind}/{name}'s pods {labels}"
        assert set(policy["policyTypes"]) == {"Ingress", "Egress"} and not policy.get("ingress")
        ports = {port["port"] for rule in policy.get("egress", []) for port in rule.get("ports", [])}
        assert ports == egress_ports, f"{overlay}: NetworkPolicy/{name} egress ports {ports}"
        postgres = r.get("NetworkPolicy", "taskspin-postgres")
        if postgres is not None:
            peers = [peer["podSelector"]["matchLabels"] for rule in postgres["spec"]["ingress"] for peer in rule["from"]]
            assert any(peer.items() <= labels.items() for peer in peers), f"{overlay}: PostgreSQL does not admit {kind}/{name}"


def test_only_the_app_reaches_the_pooler(rendered):
    r = rendered["production-pgbouncer"]
    policy = r.one("NetworkPolicy", "taskspin-pgbouncer")["spec"]
    assert policy["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "taskspin-pgbouncer"}
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    [rule] = policy["ingress"]
    assert [peer["podSelector"]["matchLabels"] for peer in rule["from"]] == [{"core.spinkube.dev/app-name": "taskspin"}]
    assert rule["ports"] == [{"protocol": "TCP", "port": 5432}]
    assert policy["egress"] == [{"ports": [{"protocol": "TCP", "port": 5432}]}]
    service = r.one("Service", "taskspin-pgbouncer")["spec"]
    assert service["selector"] == {"app.kubernetes.io/name": "taskspin-pgbouncer"}
    assert [p["port"] for p in service["ports"]] == [5432]


def test_k8s_check_renders_every_overlay():
    on_disk = {p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").exists()}
    assert on_disk == set(OVERLAYS), "conftest.py's OVERLAYS and k8s/overlays/ differ"
    script = (REPO / "scripts/k8s-check.sh").read_text()
    assert f"overlays=({' '.join(OVERLAYS)})" in script, "scripts/k8s-check.sh renders other overlays than OVERLAYS"


def test_pdb_and_policies_select_the_spinapp_pods(rendered):
    for overlay in OVERLAYS:
        r = rendered[overlay]
        pdb = r.one("PodDisruptionBudget", "taskspin")["spec"]
        assert pdb["selector"]["matchLabels"] == {"core.spinkube.dev/app-name": "taskspin"}
        ingress = r.one("Ingress", "taskspin")["spec"]
        backends = {p["backend"]["service"]["name"] for rule in ingress["rules"] for p in rule["http"]["paths"]}
        assert backends == {"taskspin"}
    tls = rendered["production"].one("Ingress", "taskspin")["spec"]["tls"]
    assert tls and all(t.get("secretName") for t in tls)


def test_every_checkov_skip_gives_a_reason(rendered):
    skips = 0
    for overlay in OVERLAYS:
        for doc in rendered[overlay].docs:
            for key, value in doc["metadata"].get("annotations", {}).items():
                if not key.startswith("checkov.io/skip"):
                    continue
                skips += 1
                check, _, reason = value.partition("=")
                assert re.fullmatch(r"CKV2?_K8S_\d+", check), f"{doc['kind']}: {value}"
                assert len(reason.split()) >= 8, f"{doc['kind']}/{doc['metadata']['name']}: {check} needs a reason"
    assert skips > 0
    config = yaml.safe_load((K8S / ".checkov.yaml").read_text())
    assert "skip-check" not in config, "skip checks per resource (annotations), not for every resource"


def test_agents_reach_the_push_services(rendered):
    """The agents' pass sends the Web Push notifications (and calls the model
    API): its policy allows HTTPS out to any address, the push services' being
    many and changing."""
    for overlay in OVERLAYS:
        policy = rendered[overlay].one("NetworkPolicy", "taskspin-agent")["spec"]
        assert policy["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "taskspin-agent"}
        assert "Egress" in policy["policyTypes"]
        https = [
            rule
            for rule in policy.get("egress", [])
            if {"protocol": "TCP", "port": 443} in rule.get("ports", []) and not rule.get("to")
        ]
        assert https, f"{overlay}: NetworkPolicy/taskspin-agent allows no egress on TCP 443"
