"""How many PostgreSQL connections a rendered overlay can open, against what
the server allows (docs/deploy.md, "Database connections").

Every Spin process keeps its own pool of up to 64 connections per connection
string (Spin 3.6.3's factor-outbound-pg: the constant CONNECTION_POOL_SIZE, not
a setting), and every component of spin.toml uses the same one. So the app's
pods can open (pods + rolling-update surge) x 64 connections; the migrations
Job and the agents' CronJob run one command-trigger instance each, which holds
one `Db::connect` at a time, and the import CronJob's instance holds two. With
PgBouncer in front, the server sees only PgBouncer's pools instead, and
PgBouncer must accept all the app's clients.

Run as a script on rendered overlays (scripts/k8s-check.sh), it prints one
budget line per overlay; k8s/tests/test_connection_budget.py fails an overlay
over budget.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

SPIN_POOL = 64
# One connection each: components/migrate and components/agent-run call
# Db::connect once and use that handle for the whole run (the runner's
# session-level advisory lock, the pass's transaction).
MIGRATIONS_CONNECTIONS = 1
AGENT_CONNECTIONS = 1
# Two: components/import-run hands crates/imports' job two Db::connect handles,
# one for the import's transaction, one that publishes its progress while that
# transaction is open.
IMPORT_CONNECTIONS = 2
# PostgreSQL's superuser_reserved_connections (3 by default), which the app's
# role can never use, plus 7 for people and tools: psql sessions, a pg_dump, a
# metrics exporter, a pass or an import run started by hand
# (kubectl create job --from=cronjob/...).
RESERVE = 10
# PostgreSQL's max_connections when nothing sets it.
POSTGRES_DEFAULT = 100
# Where an overlay whose server is outside the cluster states its max_connections.
ANNOTATION = "taskspin/postgres-max-connections"
POSTGRES = "taskspin-postgres"
POOLER = "taskspin-pgbouncer"
# A Deployment's rolling update adds up to 25 % more pods (rounded up) when its
# strategy says nothing, as in the Deployment spin-operator v0.6 generates.
DEFAULT_MAX_SURGE = "25%"


class BudgetError(AssertionError):
    """The overlay cannot be budgeted, or breaks a rule the budget rests on."""


@dataclass
class Pooler:
    pods: int
    surge: int
    pool: int  # server connections per PgBouncer process
    max_client_conn: int

    @property
    def server(self) -> int:
        return (self.pods + self.surge) * self.pool


@dataclass
class Budget:
    overlay: str
    max_connections: int
    max_connections_from: str
    app_pods: int
    app_pods_from: str
    app_surge: int
    migrations: int
    agents: int
    imports: int
    reserve: int = RESERVE
    pooler: Pooler | None = None

    @property
    def clients(self) -> int:
        """Connections the app's pods can open (to PostgreSQL, or to PgBouncer)."""
        return (self.app_pods + self.app_surge) * SPIN_POOL

    @property
    def server(self) -> int:
        front = self.pooler.server if self.pooler else self.clients
        return front + self.migrations + self.agents + self.imports + self.reserve

    @property
    def fits(self) -> bool:
        clients_fit = self.pooler is None or self.clients <= self.pooler.max_client_conn
        return self.server <= self.max_connections and clients_fit

    def line(self) -> str:
        rest = (
            f"+ {self.migrations} migrations + {self.agents} agents + {self.imports} imports"
            f" + {self.reserve} reserve"
        )
        sign = "≤" if self.server <= self.max_connections else ">"
        app = f"({self.app_pods} + {self.app_surge} surge) × {SPIN_POOL}"
        if self.pooler is None:
            return f"{self.overlay}: connections {app} {rest} = {self.server} {sign} max_connections {self.max_connections}"
        p = self.pooler
        client_sign = "≤" if self.clients <= p.max_client_conn else ">"
        return (
            f"{self.overlay}: server ({p.pods} + {p.surge} surge) × {p.pool} pgbouncer {rest} = {self.server}"
            f" {sign} max_connections {self.max_connections}; clients {app} = {self.clients}"
            f" {client_sign} max_client_conn {p.max_client_conn}"
        )

    def explain(self) -> str:
        """The arithmetic, where each number comes from, and what to change."""
        fixed = self.migrations + self.agents + self.imports + self.reserve
        lines = [
            self.line(),
            f"  max_connections {self.max_connections}: {self.max_connections_from}",
            f"  app pods {self.app_pods}: {self.app_pods_from}; surge {self.app_surge}: rolling update, maxSurge 25 % rounded up",
            f"  {SPIN_POOL} per pod: Spin's pool per process; {self.migrations} migrations Job, {self.agents} agents CronJob,"
            f" {self.imports} imports CronJob ({IMPORT_CONNECTIONS} per run),"
            f" {self.reserve} reserve (superuser_reserved_connections 3 + 7 for people and tools)",
        ]
        if self.pooler is None:
            lines.append(
                f"  fix: maxReplicas ≤ {max_replicas_for(self.max_connections, fixed)} for max_connections"
                f" {self.max_connections}, a larger max_connections, or PgBouncer in front (docs/deploy.md)"
            )
        else:
            lines.append(
                "  fix: a smaller default_pool_size/max_db_connections or fewer PgBouncer replicas,"
                " a larger max_client_conn, or a larger max_connections (docs/deploy.md)"
            )
        return "\n".join(lines)


FIXED = MIGRATIONS_CONNECTIONS + AGENT_CONNECTIONS + IMPORT_CONNECTIONS + RESERVE


def max_replicas_for(max_connections: int, fixed: int = FIXED) -> int:
    """The largest maxReplicas whose pods, surge included, fit max_connections (0: not even one)."""
    n = 0
    while (n + 1 + surge_of(n + 1)) * SPIN_POOL + fixed <= max_connections:
        n += 1
    return n


def surge_of(replicas: int, max_surge: int | str = DEFAULT_MAX_SURGE) -> int:
    if isinstance(max_surge, str) and max_surge.endswith("%"):
        return math.ceil(replicas * int(max_surge[:-1]) / 100)
    return int(max_surge)


def find(docs: list[dict], kind: str, name: str) -> dict | None:
    """A resource by kind and name (a ConfigMap also by its name before Kustomize's hash)."""
    for doc in docs:
        actual = doc["metadata"]["name"]
        if doc["kind"] == kind and (actual == name or (kind == "ConfigMap" and actual.rsplit("-", 1)[0] == name)):
            return doc
    return None


def pod_spec(doc: dict) -> dict:
    """The pod spec inside a Job, CronJob, StatefulSet or Deployment."""
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def server_max_connections(docs: list[dict]) -> tuple[int, str]:
    """The server's max_connections: the in-cluster PostgreSQL's `-c max_connections=N`
    (PostgreSQL's default when it sets none), else the annotation on the HPA or the SpinApp."""
    postgres = find(docs, "StatefulSet", POSTGRES)
    if postgres is not None:
        [container] = [c for c in pod_spec(postgres)["containers"] if c["name"] == "postgres"]
        words = container.get("command", []) + container.get("args", [])
        found = [int(m.group(1)) for w in words if (m := re.fullmatch(r"(?:--)?max_connections=(\d+)", w))]
        if not found:
            return POSTGRES_DEFAULT, f"StatefulSet/{POSTGRES} sets none: PostgreSQL's default"
        return found[-1], f"StatefulSet/{POSTGRES} container args"
    declared = {}
    for kind, name in (("HorizontalPodAutoscaler", "taskspin"), ("SpinApp", "taskspin")):
        doc = find(docs, kind, name)
        value = doc and doc["metadata"].get("annotations", {}).get(ANNOTATION)
        if value is not None:
            if not re.fullmatch(r"\d+", str(value)):
                raise BudgetError(f"{kind}/{name}: annotation {ANNOTATION} must be a number, not {value!r}")
            declared[f"{kind}/{name} annotation {ANNOTATION}"] = int(value)
    if not declared:
        raise BudgetError(
            f"no PostgreSQL in the overlay and no annotation {ANNOTATION} on HorizontalPodAutoscaler/taskspin"
            " (or SpinApp/taskspin): state the server's max_connections (SHOW max_connections)"
        )
    if len(set(declared.values())) > 1:
        raise BudgetError(f"{ANNOTATION} disagrees: {declared}")
    where, value = next(iter(declared.items()))
    return value, where


def app_pods(docs: list[dict]) -> tuple[int, str]:
    app = find(docs, "SpinApp", "taskspin")
    if app is None:
        raise BudgetError("no SpinApp/taskspin")
    if app["spec"].get("enableAutoscaling"):
        hpa = find(docs, "HorizontalPodAutoscaler", "taskspin")
        if hpa is None:
            raise BudgetError("SpinApp/taskspin autoscales but there is no HorizontalPodAutoscaler/taskspin")
        return int(hpa["spec"]["maxReplicas"]), "HorizontalPodAutoscaler/taskspin maxReplicas"
    return int(app["spec"].get("replicas", 1)), "SpinApp/taskspin replicas (no autoscaling)"


def cron_runs(cron: dict) -> int:
    """Runs of a CronJob (agents' passes, import runs) that can hold connections at once."""
    policy = cron["spec"].get("concurrencyPolicy", "Allow")
    if policy == "Forbid":
        return 1
    if policy == "Replace":
        return 2  # the replaced pass can still be shutting down
    raise BudgetError(
        f"CronJob/{cron['metadata']['name']}: concurrencyPolicy {policy} lets runs pile up without bound;"
        " use Forbid (a run still going when the next is due makes the next one skip)"
    )


def cron_connections(cron: dict, per_pod: int) -> int:
    """A CronJob's connections: runs at once × pods per run (parallelism) × each pod's connections."""
    return cron_runs(cron) * int(cron["spec"]["jobTemplate"]["spec"].get("parallelism", 1)) * per_pod


def env_value(docs: list[dict], env: dict[str, dict], key: str) -> str | None:
    """A container variable's value when it is a literal or a ConfigMap key (None from a Secret)."""
    entry = env.get(key, {})
    if "value" in entry:
        return entry["value"]
    ref = entry.get("valueFrom", {}).get("configMapKeyRef")
    if ref:
        config = find(docs, "ConfigMap", ref["name"])
        return (config or {}).get("data", {}).get(ref["key"])
    return None


def pgbouncer_settings(text: str) -> dict[str, str]:
    """The [pgbouncer] section of a pgbouncer.ini."""
    settings, section = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in ";#" or line.startswith("%include"):
            continue
        if line.startswith("["):
            section = line.strip("[]").strip()
        elif section == "pgbouncer" and "=" in line:
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings


def pooler_of(docs: list[dict]) -> Pooler | None:
    deployment = find(docs, "Deployment", POOLER)
    if deployment is None:
        return None
    spec = pod_spec(deployment)
    names = [v["configMap"]["name"] for v in spec.get("volumes", []) if "configMap" in v]
    inis = [doc["data"]["pgbouncer.ini"] for doc in docs if doc["kind"] == "ConfigMap"
            and doc["metadata"]["name"] in names and "pgbouncer.ini" in doc.get("data", {})]
    if len(inis) != 1:
        raise BudgetError(f"Deployment/{POOLER} mounts {len(inis)} ConfigMaps with a pgbouncer.ini, not 1")
    ini = pgbouncer_settings(inis[0])
    mode = ini.get("pool_mode", "session")
    if mode != "transaction":
        raise BudgetError(
            f"pgbouncer.ini: pool_mode = {mode}: use transaction (session mode keeps one server connection"
            " per Spin connection, so it saves none; statement mode breaks BEGIN/COMMIT)"
        )
    if int(ini.get("max_prepared_statements", "0")) <= 0:
        raise BudgetError(
            "pgbouncer.ini: max_prepared_statements must be > 0 (PgBouncer 1.21+): Spin prepares every statement"
            " with a name, which fails in transaction mode without it (\"prepared statement ... does not exist\")"
        )
    pool = int(ini.get("default_pool_size", "20")) + int(ini.get("reserve_pool_size", "0"))
    for cap in ("max_db_connections", "max_user_connections"):
        if int(ini.get(cap, "0")) > 0:
            pool = min(pool, int(ini[cap]))
    strategy = deployment["spec"].get("strategy", {})
    max_surge = strategy.get("rollingUpdate", {}).get("maxSurge", DEFAULT_MAX_SURGE)
    pods = int(deployment["spec"].get("replicas", 1))
    surge = 0 if strategy.get("type") == "Recreate" else surge_of(pods, max_surge)
    return Pooler(pods=pods, surge=surge, pool=pool, max_client_conn=int(ini.get("max_client_conn", "100")))


def budget(overlay: str, docs: list[dict]) -> Budget:
    max_connections, max_from = server_max_connections(docs)
    pods, pods_from = app_pods(docs)
    job = find(docs, "Job", "taskspin-migrate")
    cron = find(docs, "CronJob", "taskspin-agent")
    imports_cron = find(docs, "CronJob", "taskspin-import")
    if job is None or cron is None or imports_cron is None:
        raise BudgetError("the migrations Job, the agents' CronJob or the import CronJob is missing")
    migrations = int(job["spec"].get("parallelism", 1)) * MIGRATIONS_CONNECTIONS
    agents = cron_connections(cron, AGENT_CONNECTIONS)
    imports = cron_connections(imports_cron, IMPORT_CONNECTIONS)
    pooler = pooler_of(docs)
    if pooler is not None:
        migrate_env = {e["name"]: e for c in pod_spec(job)["containers"] for e in c.get("env", [])}
        if env_value(docs, migrate_env, "SPIN_VARIABLE_DB_HOST") == POOLER:
            raise BudgetError(
                "Job/taskspin-migrate connects through PgBouncer: the migrations hold a session-level"
                " pg_advisory_lock, which transaction pooling does not keep; point it at PostgreSQL"
            )
        app_vars = {v["name"]: v for v in find(docs, "SpinApp", "taskspin")["spec"].get("variables", [])}
        if app_vars.get("db_host", {}).get("value") != POOLER:
            pooler = None  # deployed but unused: the app's connections go to the server
    return Budget(
        overlay, max_connections, max_from, pods, pods_from, surge_of(pods), migrations, agents, imports, pooler=pooler
    )


def main(paths: list[str]) -> int:
    for path in paths:
        docs = [d for d in yaml.safe_load_all(Path(path).read_text()) if d]
        overlay = f"k8s/overlays/{Path(path).stem}"
        try:
            b = budget(overlay, docs)
            print(b.line() + ("" if b.fits else "   OVER BUDGET"))
        except BudgetError as e:
            print(f"{overlay}: connections cannot be budgeted: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
