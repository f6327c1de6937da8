"""Every overlay's pods fit in PostgreSQL's max_connections.

The arithmetic is in connection_budget.py (and docs/deploy.md, "Database
connections"); these tests apply it to each rendered overlay, show that it
fails an overlay over budget, and keep the numbers it rests on honest: the
code's connection counts, and the docs' lines and table.
"""

from __future__ import annotations

import copy
import re

import pytest

import connection_budget as cb
from conftest import OVERLAYS, REPO

DOCS = (REPO / "docs/deploy.md").read_text()
TABLE_MARKER = "<!-- k8s-check: maxReplicas table -->"


def budget_of(rendered, overlay: str) -> cb.Budget:
    return cb.budget(f"k8s/overlays/{overlay}", rendered[overlay].docs)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_overlay_fits_in_max_connections(rendered, overlay):
    b = budget_of(rendered, overlay)
    assert b.fits, "over budget:\n" + b.explain()


def test_the_overlays_are_budgeted_as_documented(rendered):
    """Each overlay's budget line is in docs/deploy.md, word for word."""
    for overlay in OVERLAYS:
        line = budget_of(rendered, overlay).line()
        assert line in DOCS, f"docs/deploy.md lacks the budget line (or its numbers are stale):\n{line}"


def test_development_sets_max_connections_and_production_declares_it(rendered):
    dev = budget_of(rendered, "development")
    assert dev.max_connections_from == "StatefulSet/taskspin-postgres container args"
    assert dev.app_pods_from.startswith("SpinApp/taskspin replicas")
    for overlay in ("production", "production-pgbouncer"):
        b = budget_of(rendered, overlay)
        assert b.max_connections_from.startswith("HorizontalPodAutoscaler/taskspin annotation"), overlay
        assert b.app_pods_from == "HorizontalPodAutoscaler/taskspin maxReplicas"
    assert budget_of(rendered, "production").pooler is None
    assert budget_of(rendered, "production-pgbouncer").pooler is not None


def test_an_overlay_over_budget_fails_with_its_arithmetic(rendered):
    docs = copy.deepcopy(rendered["production"].docs)
    cb.find(docs, "HorizontalPodAutoscaler", "taskspin")["spec"]["maxReplicas"] = 20
    b = cb.budget("k8s/overlays/production", docs)
    assert not b.fits
    assert "(20 + 5 surge) × 64 + 1 migrations + 1 agents + 10 reserve = 1612 > max_connections 1000" in b.explain()
    assert "maxReplicas ≤ 12" in b.explain()


def test_postgres_default_max_connections_does_not_fit_one_pod(rendered):
    docs = copy.deepcopy(rendered["development"].docs)
    [container] = cb.pod_spec(cb.find(docs, "StatefulSet", "taskspin-postgres"))["containers"]
    del container["args"]
    b = cb.budget("k8s/overlays/development", docs)
    assert (b.max_connections, b.fits) == (100, False), b.line()


def test_a_pooler_over_budget_fails(rendered):
    docs = copy.deepcopy(rendered["production-pgbouncer"].docs)
    cb.find(docs, "Deployment", cb.POOLER)["spec"]["replicas"] = 5
    assert not cb.budget("k8s/overlays/production-pgbouncer", docs).fits, "6 × 20 + 12 > 100"
    docs = copy.deepcopy(rendered["production-pgbouncer"].docs)
    cb.find(docs, "HorizontalPodAutoscaler", "taskspin")["spec"]["maxReplicas"] = 20
    b = cb.budget("k8s/overlays/production-pgbouncer", docs)
    assert not b.fits and "clients (20 + 5 surge) × 64 = 1600 > max_client_conn 1000" in b.line()


def with_ini(rendered, old: str, new: str) -> list[dict]:
    docs = copy.deepcopy(rendered["production-pgbouncer"].docs)
    config = cb.find(docs, "ConfigMap", cb.POOLER)
    assert old in config["data"]["pgbouncer.ini"]
    config["data"]["pgbouncer.ini"] = config["data"]["pgbouncer.ini"].replace(old, new)
    return docs


@pytest.mark.parametrize(
    "old, new, reason",
    [
        ("pool_mode = transaction", "pool_mode = statement", "breaks BEGIN/COMMIT"),
        ("pool_mode = transaction", "pool_mode = session", "saves none"),
        ("max_prepared_statements = 200", "max_prepared_statements = 0", "does not exist"),
    ],
)
def test_a_pooler_that_breaks_spins_protocol_fails(rendered, old, new, reason):
    with pytest.raises(cb.BudgetError, match=reason):
        cb.budget("k8s/overlays/production-pgbouncer", with_ini(rendered, old, new))


def test_the_migrations_never_go_through_the_pooler(rendered):
    docs = copy.deepcopy(rendered["production-pgbouncer"].docs)
    [container] = cb.pod_spec(cb.find(docs, "Job", "taskspin-migrate"))["containers"]
    [host] = [e for e in container["env"] if e["name"] == "SPIN_VARIABLE_DB_HOST"]
    host.pop("valueFrom")
    host["value"] = cb.POOLER
    with pytest.raises(cb.BudgetError, match="session-level"):
        cb.budget("k8s/overlays/production-pgbouncer", docs)


def test_overlapping_agent_passes_fail(rendered):
    docs = copy.deepcopy(rendered["production"].docs)
    cb.find(docs, "CronJob", "taskspin-agent")["spec"]["concurrencyPolicy"] = "Allow"
    with pytest.raises(cb.BudgetError, match="Forbid"):
        cb.budget("k8s/overlays/production", docs)


def test_an_external_server_must_be_declared(rendered):
    docs = copy.deepcopy(rendered["production"].docs)
    del cb.find(docs, "HorizontalPodAutoscaler", "taskspin")["metadata"]["annotations"][cb.ANNOTATION]
    with pytest.raises(cb.BudgetError, match="SHOW max_connections"):
        cb.budget("k8s/overlays/production", docs)


def test_the_docs_table_of_max_replicas_is_the_arithmetic():
    assert TABLE_MARKER in DOCS, f"docs/deploy.md lost its marker {TABLE_MARKER}"
    lines = DOCS.split(TABLE_MARKER, 1)[1].strip().splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    assert len(rows) >= 4
    for max_connections, most in ((int(a), int(b)) for a, b, *_ in rows):
        assert cb.max_replicas_for(max_connections) == most, f"max_connections {max_connections}: maxReplicas {most}?"


def source(*paths: str) -> str:
    return "".join(p.read_text() for path in paths for p in sorted((REPO / path).rglob("*.rs")))


def test_the_command_apps_hold_one_connection_each():
    """MIGRATIONS_CONNECTIONS and AGENT_CONNECTIONS as the code has them: one
    Db::connect in each command, none in the crates they hand it to."""
    opens = re.compile(r"Db::connect\(|Connection::open\(")
    assert len(opens.findall(source("components/migrate"))) == cb.MIGRATIONS_CONNECTIONS
    assert len(opens.findall(source("components/agent-run"))) == cb.AGENT_CONNECTIONS
    assert not opens.findall(source("crates/migrations", "crates/agents")), "a second connection: update the budget"
    # The lock the pooler must not see (docs/deploy.md): session-level in the
    # migrations, transaction-level in the agents' pass.
    assert "pg_advisory_lock(" in source("crates/migrations")
    assert "pg_advisory_xact_lock(" in source("crates/agents")
