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
    assert (
        "(20 + 5 surge) × 64 + 1 migrations + 1 agents + 2 imports + 10 reserve = 1614 > max_connections 1000"
        in b.explain()
    )
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
    assert not cb.budget("k8s/overlays/production-pgbouncer", docs).fits, "6 × 20 + 14 > 100"
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


@pytest.mark.parametrize("cronjob", ["taskspin-agent", "taskspin-import"])
def test_overlapping_cronjob_runs_fail(rendered, cronjob):
    docs = copy.deepcopy(rendered["production"].docs)
    cb.find(docs, "CronJob", cronjob)["spec"]["concurrencyPolicy"] = "Allow"
    with pytest.raises(cb.BudgetError, match="Forbid"):
        cb.budget("k8s/overlays/production", docs)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_import_cronjob_counts_its_runs_connections(rendered, overlay):
    """One run at a time (Forbid), 2 connections each; a CronJob running
    pods in parallel, or a Replace policy, counts more."""
    assert budget_of(rendered, overlay).imports == cb.IMPORT_CONNECTIONS == 2
    docs = copy.deepcopy(rendered[overlay].docs)
    cron = cb.find(docs, "CronJob", "taskspin-import")
    cron["spec"]["jobTemplate"]["spec"]["parallelism"] = 3
    assert cb.budget(overlay, docs).imports == 3 * 2
    cron["spec"]["concurrencyPolicy"] = "Replace"
    assert cb.budget(overlay, docs).imports == 2 * 3 * 2


def test_the_import_cronjob_is_budgeted(rendered):
    docs = [d for d in rendered["production"].docs if (d["kind"], d["metadata"]["name"]) != ("CronJob", "taskspin-import")]
    with pytest.raises(cb.BudgetError, match="import CronJob is missing"):
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


OPENS = re.compile(r"Db::connect\(|Connection::open\(")


@pytest.mark.parametrize(
    "command, crate, connections",
    [
        ("components/migrate", "crates/migrations", cb.MIGRATIONS_CONNECTIONS),
        ("components/agent-run", "crates/agents", cb.AGENT_CONNECTIONS),
        ("components/import-run", "crates/imports", cb.IMPORT_CONNECTIONS),
    ],
)
def test_the_command_apps_hold_the_connections_budgeted(command, crate, connections):
    """MIGRATIONS_CONNECTIONS, AGENT_CONNECTIONS and IMPORT_CONNECTIONS as the
    code has them: the Db::connect calls of each command and of the crate it
    runs (one each for the migrations and the agents, in the command; two for
    the imports, in crates/imports' job, which the command calls)."""
    if not (REPO / command).is_dir():
        pytest.fail(f"{command} does not exist: the budget counts its connections from its source")
    found = len(OPENS.findall(source(command, crate)))
    assert found == connections, f"{command} and {crate} open {found} connections, the budget counts {connections}"


def test_the_command_apps_lock_as_the_docs_say():
    # The lock the pooler must not see (docs/deploy.md): session-level in the
    # migrations, transaction-level in the agents' pass.
    assert "pg_advisory_lock(" in source("crates/migrations")
    assert "pg_advisory_xact_lock(" in source("crates/agents")
