"""Shared fixtures for the Kubernetes checks (`make k8s-check`).

The overlays are rendered once per run: scripts/k8s-check.sh renders them into
K8S_RENDERED_DIR (<overlay>.yaml for each of OVERLAYS) and checkov reads the
same files; run alone (`.venv/bin/pytest k8s/tests`), the tests render them here
with $KUBECTL, .venv/bin/kubectl or the kubectl on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

# The budget's script is standalone (scripts/k8s-check.sh runs it); its
# lookups serve the tests too.
from connection_budget import find, pod_spec

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "k8s"
# production-pgbouncer: production with PgBouncer in front of PostgreSQL.
OVERLAYS = ("development", "production", "production-pgbouncer")


def kubectl() -> str:
    for candidate in (os.environ.get("KUBECTL"), str(REPO / ".venv/bin/kubectl"), shutil.which("kubectl")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.exit("no kubectl: run `make tools` (it installs one into .venv)", returncode=2)


def render(overlay: str) -> str:
    rendered_dir = os.environ.get("K8S_RENDERED_DIR")
    if rendered_dir:
        return (Path(rendered_dir) / f"{overlay}.yaml").read_text()
    done = subprocess.run(
        [kubectl(), "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"kubectl kustomize k8s/overlays/{overlay} failed:\n{done.stderr}")
    return done.stdout


class Rendered:
    """One overlay's resources, looked up by kind and name."""

    def __init__(self, overlay: str, docs: list[dict]):
        self.overlay = overlay
        self.docs = docs

    def all(self, kind: str) -> list[dict]:
        return [d for d in self.docs if d["kind"] == kind]

    def get(self, kind: str, name: str) -> dict | None:
        found = [d for d in self.all(kind) if d["metadata"]["name"] == name]
        assert len(found) <= 1, f"{self.overlay}: {len(found)} {kind}/{name}"
        return found[0] if found else None

    def one(self, kind: str, name: str) -> dict:
        doc = self.get(kind, name)
        assert doc is not None, f"{self.overlay}: no {kind}/{name} in the rendered overlay"
        return doc

    def configmap(self, name: str) -> dict | None:
        """A ConfigMap by its name before Kustomize's hash suffix, or as is."""
        return find(self.docs, "ConfigMap", name)


@pytest.fixture(scope="session")
def rendered() -> dict[str, Rendered]:
    out = {}
    for overlay in OVERLAYS:
        docs = [d for d in yaml.safe_load_all(render(overlay)) if d]
        out[overlay] = Rendered(overlay, docs)
    return out


def spin_manifest(name: str) -> dict | None:
    path = REPO / name
    if not path.exists():
        return None
    with path.open("rb") as f:
        return tomllib.load(f)


def env_of(doc: dict, container: str) -> dict[str, dict]:
    for c in pod_spec(doc)["containers"]:
        if c["name"] == container:
            return {e["name"]: e for e in c.get("env", [])}
    raise AssertionError(f"{doc['kind']}/{doc['metadata']['name']}: no container {container}")


def secret_example_keys() -> set[str]:
    doc = yaml.safe_load((K8S / "base/secrets.example.yaml").read_text())
    return set(doc.get("stringData", {})) | set(doc.get("data", {}))
