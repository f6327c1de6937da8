"""No secret value is committed: not in the manifests, not in the docs.

The Secret taskspin-secrets is created by hand on the cluster
(docs/deploy.md); the repository holds only its shape, with empty values.
"""

from __future__ import annotations

import re

import yaml

from conftest import K8S, OVERLAYS, REPO, spin_manifest

MANIFESTS = ("spin.toml", "spin-migrate.toml", "spin-agent.toml", "spin-import.toml")
# Names that hold secrets whether or not a Spin manifest says so yet.
SECRET_WORDS = re.compile(r"password|passwd|secret|token|api_key|apikey|private_key|credential", re.I)


def secret_variables() -> set[str]:
    names = set()
    for name in MANIFESTS:
        manifest = spin_manifest(name)
        if manifest:
            names |= {v for v, decl in manifest.get("variables", {}).items() if decl.get("secret")}
    return names | {"llm_api_key"}


def committed_yaml_files() -> list:
    files = sorted(K8S.rglob("*.yaml")) + [REPO / "SpinApp.yaml"]
    return [f for f in files if "tests" not in f.relative_to(REPO).parts]


def test_no_secret_is_rendered(rendered):
    for overlay in OVERLAYS:
        kinds = [d["kind"] for d in rendered[overlay].docs]
        assert "Secret" not in kinds, f"{overlay} renders a Secret: secrets are created on the cluster, not committed"


def test_the_secret_example_is_empty_and_never_applied():
    example = K8S / "base/secrets.example.yaml"
    doc = yaml.safe_load(example.read_text())
    assert doc["kind"] == "Secret" and doc["metadata"]["name"] == "taskspin-secrets"
    assert "data" not in doc
    assert doc["stringData"] and all(v == "" for v in doc["stringData"].values()), "secrets.example.yaml holds a value"
    for kustomization in K8S.rglob("kustomization.yaml"):
        k = yaml.safe_load(kustomization.read_text())
        listed = [str(r) for r in k.get("resources", [])] + [str(p.get("path", "")) for p in k.get("patches", [])]
        assert not any("secrets.example" in r for r in listed), f"{kustomization} applies the example Secret"
        assert "secretGenerator" not in k, f"{kustomization}: a secretGenerator would commit its values"


def test_no_committed_manifest_holds_a_secret_value():
    secret_names = secret_variables()
    for path in committed_yaml_files():
        for doc in yaml.safe_load_all(path.read_text()):
            if not isinstance(doc, dict):
                continue
            where = path.relative_to(REPO)
            if doc.get("kind") == "Secret":
                assert path.name == "secrets.example.yaml", f"{where}: a Secret"
            if doc.get("kind") == "ConfigMap":
                for key in doc.get("data", {}):
                    assert key not in secret_names and not SECRET_WORDS.search(key), f"{where}: secret {key} in a ConfigMap"
            for entry in find_env_like(doc):
                name = entry.get("name", "")
                short = name.removeprefix("SPIN_VARIABLE_").lower()
                if short in secret_names or SECRET_WORDS.search(name):
                    assert "value" not in entry or entry["value"].startswith("/"), (
                        f"{where}: {name} has a literal value (use valueFrom.secretKeyRef, or a file path)"
                    )


def find_env_like(node):
    """Every mapping with a `name` and a `value` or `valueFrom` (env vars, SpinApp variables)."""
    if isinstance(node, dict):
        if "name" in node and ("value" in node or "valueFrom" in node):
            yield node
        for value in node.values():
            yield from find_env_like(value)
    elif isinstance(node, list):
        for item in node:
            yield from find_env_like(item)


def test_config_files_hold_no_secret():
    secret_names = secret_variables()
    for path in sorted(K8S.rglob("*.env")):
        for line in path.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key = line.split("=", 1)[0]
            assert key not in secret_names and not SECRET_WORDS.search(key), f"{path}: {key}"
    for kustomization in K8S.rglob("kustomization.yaml"):
        k = yaml.safe_load(kustomization.read_text())
        for generator in k.get("configMapGenerator", []):
            for literal in generator.get("literals", []):
                key = literal.split("=", 1)[0]
                assert key not in secret_names and not SECRET_WORDS.search(key), f"{kustomization}: {key}"


def test_docs_never_show_a_literal_secret():
    """`kubectl create secret` in the docs takes generated values or variables, never a literal."""
    docs = (REPO / "docs/deploy.md").read_text()
    literals = re.findall(r"--from-literal=([a-z_]+)=(\S+)", docs)
    assert literals, "docs/deploy.md creates no Secret?"
    for key, value in literals:
        if key in secret_variables():
            assert value.startswith(('"$', "$")), f"docs/deploy.md: {key}={value} is a literal secret"
