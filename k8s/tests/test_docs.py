"""docs/deploy.md says what the rendered YAML does.

Its settings table (autoscaling, probes, the CronJob, ...) is compared row by
row with the rendered overlays, and the versions it installs are the ones its
versions table names.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import OVERLAYS, REPO

DOCS = (REPO / "docs/deploy.md").read_text()
ABSENT = "—"
MARKER = "<!-- k8s-check: settings table -->"

# Settings the table must cover (resource, field).
REQUIRED_ROWS = {
    ("SpinApp/taskspin", "spec.replicas"),
    ("SpinApp/taskspin", "spec.enableAutoscaling"),
    ("HorizontalPodAutoscaler/taskspin", "spec.minReplicas"),
    ("HorizontalPodAutoscaler/taskspin", "spec.maxReplicas"),
    ("HorizontalPodAutoscaler/taskspin", "spec.metrics[0].resource.name"),
    ("HorizontalPodAutoscaler/taskspin", "spec.metrics[0].resource.target.averageUtilization"),
    ("SpinApp/taskspin", "spec.checks.readiness.httpGet.path"),
    ("SpinApp/taskspin", "spec.checks.readiness.periodSeconds"),
    ("SpinApp/taskspin", "spec.checks.liveness.httpGet.path"),
    ("SpinApp/taskspin", "spec.checks.liveness.periodSeconds"),
    ("CronJob/taskspin-agent", "spec.schedule"),
    ("CronJob/taskspin-agent", "spec.concurrencyPolicy"),
    ("CronJob/taskspin-agent", "spec.jobTemplate.spec.template.spec.runtimeClassName"),
    ("CronJob/taskspin-import", "spec.schedule"),
    ("CronJob/taskspin-import", "spec.concurrencyPolicy"),
    ("CronJob/taskspin-import", "spec.jobTemplate.spec.activeDeadlineSeconds"),
    ("CronJob/taskspin-import", "spec.jobTemplate.spec.template.spec.runtimeClassName"),
    ("Job/taskspin-migrate", "spec.template.spec.runtimeClassName"),
}


def settings_rows() -> list[dict]:
    assert MARKER in DOCS, f"docs/deploy.md lost its marker {MARKER}"
    lines = DOCS.split(MARKER, 1)[1].strip().splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == ["setting", "resource", "field", *OVERLAYS], header
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == len(header), f"docs/deploy.md: malformed row {line!r}"
        rows.append(dict(zip(header, cells)))
    return rows


def unquote(cell: str) -> str | None:
    if cell == ABSENT:
        return None
    match = re.fullmatch(r"`([^`]*)`", cell)
    assert match, f"docs/deploy.md: a value must be in backticks or {ABSENT}, not {cell!r}"
    return match.group(1)


def lookup(rendered, resource: str, field: str):
    """The rendered value at `field`, as text, or None when absent."""
    kind, name = resource.split("/", 1)
    doc = rendered.configmap(name) if kind == "ConfigMap" else rendered.get(kind, name)
    node = doc
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        if node is None:
            return None
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    if node is None:
        return None
    return node if isinstance(node, str) else json.dumps(node)


def test_settings_table_covers_what_matters():
    covered = {(unquote(r["resource"]), unquote(r["field"])) for r in settings_rows()}
    missing = REQUIRED_ROWS - covered
    assert not missing, f"docs/deploy.md's settings table lacks {sorted(missing)}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_settings_table_matches_the_rendered_yaml(rendered, overlay):
    wrong = []
    for row in settings_rows():
        resource, field = unquote(row["resource"]), unquote(row["field"])
        expected = unquote(row[overlay])
        actual = lookup(rendered[overlay], resource, field)
        if actual != expected:
            wrong.append(f"{row['setting']}: {resource} {field} is {actual!r}, docs say {expected!r}")
    assert not wrong, f"docs/deploy.md vs {overlay}:\n" + "\n".join(wrong)


def versions_table() -> dict[str, str]:
    section = DOCS.split("## Versions we target", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("component", "---"):
            out[cells[0]] = cells[1]
    return out


def test_commands_install_the_versions_the_table_names():
    table = versions_table()
    shim = table["containerd-shim-spin"].lstrip("v")
    operator = table["spin-operator (CRDs, Helm chart)"].lstrip("v")
    cert_manager = table["cert-manager"].lstrip("v")
    rcm = re.search(r"[\d.]+", table["runtime-class-manager (managed clusters, kind)"]).group(0)

    def versions(pattern: str) -> set[str]:
        found = set(re.findall(pattern, DOCS))
        assert found, f"docs/deploy.md never matches {pattern}"
        return found

    assert versions(r"containerd-shim-spin/k3d:v([\d.]+)") == {shim}
    assert versions(r"containerd-shim-spin/releases/download/v([\d.]+)/") == {shim}
    assert versions(r"spin-operator/releases/download/v([\d.]+)/") == {operator}
    assert versions(r"--version ([\d.]+) \\\n  --wait \\\n  oci://ghcr.io/spinframework/charts/spin-operator") == {operator}
    assert versions(r"cert-manager/releases/download/v([\d.]+)/") == {cert_manager}
    assert versions(r"--version ([\d.]+) \\\n  --wait \\\n  oci://ghcr.io/spinframework/charts/runtime-class-manager") == {rcm}


# Each Spin manifest and the image the overlays' `images:` name for it.
APPS = (
    ("spin.toml", "taskspin"),
    ("spin-migrate.toml", "taskspin-migrate"),
    ("spin-agent.toml", "taskspin-agent"),
    ("spin-import.toml", "taskspin-import"),
)


def test_docs_push_each_app_from_its_manifest():
    """Every block that pushes the app pushes all of them, from one build and
    under one tag (the overlays move all their newTags together)."""
    blocks = [b for b in re.findall(r"```sh\n(.*?)```", DOCS, re.S) if "spin registry push" in b]
    assert len(blocks) >= 4, "docs/deploy.md: the pushes of the first install and of an upgrade, twice"
    for block in blocks:
        for manifest, image in APPS:
            assert re.search(rf"spin registry push .*-f {re.escape(manifest)} \"\$REGISTRY/{image}:\$TAG\"", block), (
                f"docs/deploy.md: a block pushes without {manifest} as {image}:\n{block}"
            )


def test_docs_build_the_web_app_before_pushing_it():
    """spin.toml's `web` component mounts frontend/dist: the image has the web
    app only when it was built before `spin registry push`."""
    blocks = re.findall(r"```sh\n(.*?)```", DOCS, re.S)
    pushes = [b for b in blocks if re.search(r"spin registry push .*-f spin\.toml ", b)]
    assert pushes, "docs/deploy.md never pushes spin.toml"
    for block in pushes:
        push = block.index("spin registry push")
        build = re.search(r"make (?:build\b|[^\n]*\bbuild-frontend\b)", block)
        assert build and build.start() < push, f"a push of spin.toml without building frontend/dist first:\n{block}"

