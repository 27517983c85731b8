"""No cluster runs here, so the Kubernetes shape is checked from what `kubectl kustomize` renders for both overlays:
every part's probes, sizes, disruption budget and commands; one ScaledObject per consuming service's queue, named
from the topology in shared/; what the NetworkPolicies let in and out; no Secret with a value; images pinned; then
checkov over the rendered objects and the Dockerfiles."""
from __future__ import annotations

import inspect
import os
import re
import shlex
import socket
import subprocess
import sys
import tomllib

import pytest
import yaml

from pacesetter_shared.config import VARIABLES
from pacesetter_shared.messaging.topology import SUBSCRIPTIONS, Topology
from pacesetter_shared.worker import Worker
from pacesetter_suite.services import SERVICES

from .conftest import CHECKOV_CONFIG, OVERLAYS, ROOT

# Read by the HTTP server's command line (the Kubernetes shape's $(WEB_CONCURRENCY)), not by our settings.
RUNTIME_VARIABLES = {"WEB_CONCURRENCY"}
# Namespaces whose pods may reach a data store: the operators that run it, and KEDA reading queue lengths.
OPERATOR_NAMESPACES = {"cnpg-system", "rabbitmq-system", "keda"}
# The parts' images are built from these folders (docker-compose.yml's build contexts).
FOLDERS = {entry.name: "gateway" if entry.name == "gateway" else f"{entry.name}-service" for entry in SERVICES}

overlays = pytest.mark.parametrize("overlay", OVERLAYS)


def of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [obj for obj in objects if obj["kind"] == kind]


def named(objects: list[dict], kind: str) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj for obj in of_kind(objects, kind)}


def container(workload: dict) -> dict:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, workload["metadata"]["name"]
    return containers[0]


def selects(selector: dict, labels: dict) -> bool:
    """A Kubernetes label selector (matchLabels, matchExpressions) against a pod's labels."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for rule in selector.get("matchExpressions", []):
        key, op, values = rule["key"], rule["operator"], rule.get("values", [])
        if not {"In": key in labels and labels[key] in values, "NotIn": labels.get(key) not in values,
                "Exists": key in labels, "DoesNotExist": key not in labels}[op]:
            return False
    return True


def pods(objects: list[dict]) -> dict[str, dict]:
    """Every pod shape of the namespace by a name: our parts' templates, and the operators' pods by their labels."""
    shapes = {obj["metadata"]["name"]: obj["spec"]["template"]["metadata"]["labels"]
              for obj in objects if obj["kind"] in ("Deployment", "Job")}
    for cluster in of_kind(objects, "Cluster"):
        shapes[cluster["metadata"]["name"]] = {"cnpg.io/cluster": cluster["metadata"]["name"]}
    for rabbit in of_kind(objects, "RabbitmqCluster"):
        shapes[rabbit["metadata"]["name"]] = {"app.kubernetes.io/name": rabbit["metadata"]["name"]}
    for redis in of_kind(objects, "Redis"):
        shapes[redis["metadata"]["name"]] = {"app": redis["metadata"]["name"]}
    return shapes


def policies_for(objects: list[dict], labels: dict, direction: str) -> list[dict]:
    return [policy for policy in of_kind(objects, "NetworkPolicy")
            if direction in policy["spec"].get("policyTypes", []) and selects(policy["spec"]["podSelector"], labels)]


def peers(objects: list[dict], labels: dict, direction: str) -> tuple[set[str], list[dict]]:
    """Whom the policies let a pod talk with: pods of the namespace by name, and the peers from outside it."""
    inside, outside = set(), []
    shapes = pods(objects)
    key = "from" if direction == "Ingress" else "to"
    for policy in policies_for(objects, labels, direction):
        for rule in policy["spec"].get(direction.lower(), []):
            if key not in rule:
                outside.append({"anyone": True})
            for peer in rule.get(key, []):
                if set(peer) == {"podSelector"}:
                    inside |= {name for name, shape in shapes.items() if selects(peer["podSelector"], shape)}
                else:
                    outside.append(peer)
    return inside, outside


def service_of(name: str) -> str:
    return re.sub(r"^pacesetter-|-db$", "", name)


def expected_parts() -> dict[str, tuple[str, str]]:
    """Deployment name → (service, component): a web part and a worker per service, and each keeper (evaluation's
    figures), as in docker-compose.yml."""
    parts = {}
    for entry in SERVICES:
        folder = FOLDERS[entry.name]
        parts[folder] = (entry.name, "web")
        parts[f"{folder}-worker"] = (entry.name, "worker")
        parts.update({f"{folder}-{keeper}": (entry.name, "worker") for keeper in entry.keepers})
    return parts


def keepers() -> dict[str, tuple[str, str]]:
    """Deployment name → (service, its command) of each keeper: a process that holds its state in memory."""
    return {f"{FOLDERS[entry.name]}-{keeper}": (entry.name, f"{entry.name}-{keeper}")
            for entry in SERVICES for keeper in entry.keepers}


def dockerfile_server(service: str) -> list[str]:
    """The web server's command of the image's CMD (after its `<service>-migrate && exec`)."""
    dockerfile = (ROOT / FOLDERS[service] / "Dockerfile").read_text()
    cmd = yaml.safe_load(next(line for line in dockerfile.splitlines() if line.startswith("CMD "))[4:])
    migrate, server = cmd[-1].split(" && exec ")
    assert migrate == f"{service}-migrate"
    return shlex.split(server.replace("${WEB_CONCURRENCY:-2}", "$(WEB_CONCURRENCY)"))


def scripts(service: str) -> set[str]:
    project = tomllib.loads((ROOT / FOLDERS[service] / "pyproject.toml").read_text())["project"]
    return set(project.get("scripts", {}))


def secret_references(objects: list[dict]) -> set[str]:
    """Every Secret name the rendered objects point at, wherever they point at one."""
    found = set()

    def walk(node, parent_key=None):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("secretKeyRef", "secretRef") and isinstance(value, dict):
                    found.add(value["name"])
                elif key in ("secretName",) and isinstance(value, str):
                    found.add(value)
                elif key in ("accessKeyId", "secretAccessKey") and isinstance(value, dict):
                    found.add(value["name"])
                elif parent_key == "secretTargetRef" and key == "name":
                    found.add(value)
                walk(value, key)
        elif isinstance(node, list):
            for item in node:
                walk(item, parent_key)

    walk(objects)
    return found


@overlays
def test_every_part_has_probes_requests_limits_and_a_disruption_budget(rendered, overlay):
    objects = rendered[overlay]
    deployments = named(objects, "Deployment")
    assert set(deployments) == set(expected_parts())
    budgets = of_kind(objects, "PodDisruptionBudget")
    for name, (service, component) in expected_parts().items():
        spec = container(deployments[name])
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert labels["pacesetter.io/service"] == service and labels["app.kubernetes.io/component"] == component
        if component == "web":
            assert spec["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert spec["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        else:  # no HTTP port: a command that checks what the part uses answers (below), and that the process lives
            assert spec["readinessProbe"]["exec"]["command"][:2] == ["python", "-c"], name
            assert spec["livenessProbe"]["exec"]["command"], name
        for kind in ("requests", "limits"):
            assert set(spec["resources"][kind]) == {"cpu", "memory"}, f"{name}: {kind}"
        assert [b for b in budgets if selects(b["spec"]["selector"], labels)], f"{name} has no PodDisruptionBudget"
    for budget in budgets:  # one replica must still be drainable: never minAvailable
        assert budget["spec"].get("maxUnavailable") == 1, budget["metadata"]["name"]


@overlays
def test_a_worker_is_ready_when_its_database_and_broker_answer_and_a_keeper_when_its_database_does(rendered, overlay):
    """Each worker's readiness command run here, against a listening socket standing for the database and another for
    the broker: a worker needs both; a keeper (it consumes nothing) its database only."""
    deployments = named(rendered[overlay], "Deployment")
    with socket.create_server(("127.0.0.1", 0)) as closed:
        nothing = closed.getsockname()[1]  # nothing listens there once the block ends
    with socket.create_server(("127.0.0.1", 0)) as database, socket.create_server(("127.0.0.1", 0)) as broker:
        up = {"DATABASE_URL": f"postgresql://u@127.0.0.1:{database.getsockname()[1]}/db",
              "BROKER_URL": f"amqp://u:p@127.0.0.1:{broker.getsockname()[1]}//"}

        def ready(name: str, down: tuple[str, ...] = ()) -> bool:
            command = container(deployments[name])["readinessProbe"]["exec"]["command"]
            env = {**os.environ, **up, **{key: f"x://u@127.0.0.1:{nothing}/" for key in down}}
            return subprocess.run([sys.executable, *command[1:]], env=env, timeout=30, capture_output=True).returncode == 0

        workers = [name for name, (_service, component) in expected_parts().items() if component == "worker"]
        assert set(keepers()) < set(workers)
        for name in workers:
            assert ready(name), name
            assert not ready(name, down=("DATABASE_URL",)), name
            assert ready(name, down=("BROKER_URL",)) == (name in keepers()), name


def _quantity(text: str | int) -> float:
    text = str(text)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


@overlays
def test_limits_are_above_requests(rendered, overlay):
    for workload in of_kind(rendered[overlay], "Deployment") + of_kind(rendered[overlay], "Job"):
        resources = container(workload)["resources"]
        for what in ("cpu", "memory"):
            assert _quantity(resources["limits"][what]) >= _quantity(resources["requests"][what]), \
                f"{workload['metadata']['name']}: {what}"


@overlays
def test_termination_outlasts_the_drain(rendered, overlay):
    drain = inspect.signature(Worker.stop).parameters["timeout"].default  # the worker's wait for its threads
    for name, (service, component) in expected_parts().items():
        pod = named(rendered[overlay], "Deployment")[name]["spec"]["template"]["spec"]
        grace = pod["terminationGracePeriodSeconds"]
        if component == "worker":
            assert grace > drain, name
        else:  # the endpoints drop the pod during preStop, then the server finishes what it holds
            pre_stop = int(pod["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][-1])
            server = dockerfile_server(service)
            graceful = int(server[server.index("--graceful-timeout") + 1]) if "--graceful-timeout" in server else 0
            assert grace > pre_stop + graceful, name


@overlays
def test_no_part_migrates_on_start_and_a_job_migrates_each_database(rendered, overlay):
    deployments = named(rendered[overlay], "Deployment")
    jobs = named(rendered[overlay], "Job")
    for service, folder in FOLDERS.items():
        web = container(deployments[folder])
        assert web["command"] == dockerfile_server(service), f"{folder}: not the image's server command"
        worker = container(deployments[f"{folder}-worker"])
        assert worker["command"] == [f"{service}-worker"]
        assert worker["command"][0] in scripts(service)
        job = jobs[f"{service}-migrate"]
        assert container(job)["command"] == [f"{service}-migrate"] and f"{service}-migrate" in scripts(service)
        assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PreSync"
        assert container(job)["image"] == web["image"], f"{service}: the Job migrates another version"
        for workload in (web, worker, container(job)):
            database = next(e for e in workload["env"] if e["name"] == "DATABASE_URL")
            assert database["valueFrom"]["secretKeyRef"]["name"] == f"pacesetter-{service}-db-app"
    for deployment in deployments.values():
        assert not any("migrate" in word for word in container(deployment)["command"]), deployment["metadata"]["name"]


@overlays
def test_every_consuming_queue_has_a_scaled_object_naming_exactly_it(rendered, overlay):
    objects = rendered[overlay]
    common = next(cm for name, cm in named(objects, "ConfigMap").items() if name.startswith("pacesetter-common-"))
    topology = Topology(common["data"]["EVENTS_EXCHANGE"])
    wanted = {f"{FOLDERS[service]}-worker": topology.queue_name(service) for service in SUBSCRIPTIONS}
    scaled = {}
    authentications = named(objects, "TriggerAuthentication")
    for obj in of_kind(objects, "ScaledObject"):
        (trigger,) = obj["spec"]["triggers"]
        assert trigger["type"] == "rabbitmq" and trigger["metadata"]["mode"] == "QueueLength"
        assert int(trigger["metadata"]["value"]) > 0
        auth = authentications[trigger["authenticationRef"]["name"]]
        assert [ref["parameter"] for ref in auth["spec"]["secretTargetRef"]] == ["host"]
        # the worker is also its service's outbox relay: at zero replicas nothing would fill the queue to wake it
        assert obj["spec"]["minReplicaCount"] >= 1
        scaled[obj["spec"]["scaleTargetRef"]["name"]] = trigger["metadata"]["queueName"]
    assert scaled == wanted and len(of_kind(objects, "ScaledObject")) == len(wanted)
    assert set(scaled) <= set(named(objects, "Deployment"))
    hpa_targets = [hpa["spec"]["scaleTargetRef"]["name"] for hpa in of_kind(objects, "HorizontalPodAutoscaler")]
    assert sorted(hpa_targets) == sorted(name for name, (_, c) in expected_parts().items() if c == "web")


@overlays
def test_only_the_gateway_is_exposed(rendered, overlay):
    objects = rendered[overlay]
    for service in of_kind(objects, "Service"):
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP", service["metadata"]["name"]
        assert not service["spec"].get("externalIPs")
    for rabbit in of_kind(objects, "RabbitmqCluster"):
        assert rabbit["spec"].get("service", {}).get("type", "ClusterIP") == "ClusterIP"
    backends = {path["backend"]["service"]["name"] for ingress in of_kind(objects, "Ingress")
                for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert backends == {"gateway"}

    deny = [p for p in of_kind(objects, "NetworkPolicy") if p["spec"]["podSelector"] == {} and "ingress" not in p["spec"]]
    assert deny and "Ingress" in deny[0]["spec"]["policyTypes"], "no default deny of ingress"
    parts = expected_parts()
    gateway_pods = {"gateway", "gateway-worker"}  # the proxy, and the worker reading the services for archives
    for name, labels in pods(objects).items():
        inside, outside = peers(objects, labels, "Ingress")
        component = labels.get("app.kubernetes.io/component")
        if name == "gateway":
            assert outside == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}]
            assert not inside
        elif component == "web":
            assert inside == gateway_pods and not outside, f"{name} takes traffic from more than the gateway"
        elif component in ("worker", "migrate"):
            assert not inside and not outside, f"{name} takes traffic"
        else:  # a data store: our parts and itself inside; from outside, only its operators and KEDA
            assert name not in parts
            namespaces = {peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for peer in outside}
            assert namespaces <= OPERATOR_NAMESPACES and all(set(peer) == {"namespaceSelector"} for peer in outside)


@overlays
def test_every_part_reaches_the_broker_and_its_own_database_only(rendered, overlay):
    objects = rendered[overlay]
    shapes = pods(objects)
    broker = {rabbit["metadata"]["name"] for rabbit in of_kind(objects, "RabbitmqCluster")}
    databases = {cluster["metadata"]["name"] for cluster in of_kind(objects, "Cluster")}
    assert {service_of(db) for db in databases} == set(FOLDERS)
    for name, labels in shapes.items():
        service = labels.get("pacesetter.io/service")
        if service is None:
            continue  # the operators' pods keep their egress (API server, replication, backups)
        assert policies_for(objects, labels, "Egress"), f"{name}: egress unrestricted"
        inside, outside = peers(objects, labels, "Egress")
        own = {f"pacesetter-{service}-db"}
        assert inside & databases == own, f"{name} reaches {sorted(inside & databases)}"
        assert broker <= inside, f"{name} cannot reach RabbitMQ"
        rest = inside - databases - broker
        if name in ("gateway", "gateway-worker"):  # the services it proxies to (or reads for archives), Redis
            assert rest == {n for n, s in shapes.items() if s.get("app.kubernetes.io/component") == "web"} | {
                redis["metadata"]["name"] for redis in of_kind(objects, "Redis")}
        else:
            assert not rest, f"{name} reaches {sorted(rest)}"
        dns = [p for p in outside if p.get("namespaceSelector", {}).get("matchLabels") ==
               {"kubernetes.io/metadata.name": "kube-system"}]
        others = [p for p in outside if p not in dns]
        if name == "notification-service-worker":  # e-mail and webhooks
            assert others == [{"ipBlock": {"cidr": "0.0.0.0/0"}}]
        else:
            assert not others, f"{name} reaches {others}"
    for database in databases:  # and, from its side, each database takes only its own service's parts
        inside, _ = peers(objects, shapes[database], "Ingress")
        assert {shapes[n].get("pacesetter.io/service") for n in inside - {database}} == {service_of(database)}


@overlays
def test_no_secret_carries_a_value_and_every_referenced_one_is_documented(rendered, overlay):
    objects = rendered[overlay]
    for secret in of_kind(objects, "Secret"):
        assert not secret.get("data") and not secret.get("stringData"), secret["metadata"]["name"]
    for config_map in of_kind(objects, "ConfigMap"):  # no secret smuggled in as configuration either
        for key in config_map.get("data", {}):
            assert not re.search(r"KEY|SECRET|PASSWORD|TOKEN", key), f"{config_map['metadata']['name']}: {key}"
    operations = (ROOT / "docs" / "operations.md").read_text()
    made_by_operators = {f"{cluster['metadata']['name']}-app" for cluster in of_kind(objects, "Cluster")}
    referenced = secret_references(objects)
    assert {"pacesetter-identity", "pacesetter-gateway-token", "pacesetter-broker"} <= referenced
    for name in referenced - made_by_operators:
        assert f"`{name}`" in operations, f"Secret {name} is referenced but docs/operations.md does not say how to make it"


@overlays
def test_images_are_pinned_by_tag(rendered, overlay):
    objects = rendered[overlay]
    images = [c["image"] for obj in objects if obj["kind"] in ("Deployment", "Job")
              for c in obj["spec"]["template"]["spec"]["containers"]]
    images += [obj["spec"]["image"] for obj in of_kind(objects, "RabbitmqCluster")]
    images += [obj["spec"]["imageName"] for obj in of_kind(objects, "Cluster")]
    images += [obj["spec"]["kubernetesConfig"]["image"] for obj in of_kind(objects, "Redis")]
    for image in images:
        tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else None
        assert tag and tag != "latest", image
    for service, folder in FOLDERS.items():  # ours: the packages' version
        version = tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"]["version"]
        assert container(named(objects, "Deployment")[folder])["image"].endswith(f"/{folder}:{version}")


@overlays
def test_every_variable_set_is_one_the_code_reads(rendered, overlay):
    for obj in of_kind(rendered[overlay], "Deployment") + of_kind(rendered[overlay], "Job"):
        for variable in container(obj).get("env", []):
            assert variable["name"] in VARIABLES, f"{obj['metadata']['name']}: {variable['name']} is read by nothing"
    for config_map in of_kind(rendered[overlay], "ConfigMap"):
        for key in config_map["data"]:
            assert key in VARIABLES or key in RUNTIME_VARIABLES, f"{config_map['metadata']['name']}: {key}"


@overlays
def test_a_keeper_runs_as_one_and_the_old_one_stops_before_the_new_one_starts(rendered, overlay):
    objects = rendered[overlay]
    deployments = named(objects, "Deployment")
    assert keepers(), "evaluation's figures keeper is declared in pacesetter_suite.services"
    scaled = {o["spec"]["scaleTargetRef"]["name"] for o in of_kind(objects, "ScaledObject") + of_kind(
        objects, "HorizontalPodAutoscaler")}
    for name, (service, command) in keepers().items():
        spec = deployments[name]["spec"]
        assert spec["replicas"] == 1 and spec["strategy"] == {"type": "Recreate"}, name
        assert name not in scaled, f"{name} is autoscaled"
        assert container(deployments[name])["command"] == [command] and command in scripts(service)


def test_small_runs_one_replica_of_everything(rendered):
    objects = rendered["small"]
    for deployment in of_kind(objects, "Deployment"):
        assert deployment["spec"].get("replicas", 1) == 1
    for hpa in of_kind(objects, "HorizontalPodAutoscaler"):
        assert hpa["spec"]["minReplicas"] == hpa["spec"]["maxReplicas"] == 1
    for scaled in of_kind(objects, "ScaledObject"):
        assert scaled["spec"]["minReplicaCount"] == scaled["spec"]["maxReplicaCount"] == 1
    assert [c["spec"]["instances"] for c in of_kind(objects, "Cluster")] == [1] * len(FOLDERS)
    assert [r["spec"]["replicas"] for r in of_kind(objects, "RabbitmqCluster")] == [1]


def test_campus_has_three_rabbitmq_nodes_and_two_of_every_web_part(rendered):
    objects = rendered["campus"]
    assert [r["spec"]["replicas"] for r in of_kind(objects, "RabbitmqCluster")] == [3]
    for hpa in of_kind(objects, "HorizontalPodAutoscaler"):
        assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"], hpa["metadata"]["name"]
    for scaled in of_kind(objects, "ScaledObject"):
        assert scaled["spec"]["maxReplicaCount"] > scaled["spec"]["minReplicaCount"]
    assert all(c["spec"]["instances"] >= 2 for c in of_kind(objects, "Cluster"))
    assert named(objects, "Deployment")["gateway-worker"]["spec"]["replicas"] >= 2


def test_checkov_passes_over_the_manifests_and_the_dockerfiles(checkov_reports):
    for framework in ("kubernetes", "dockerfile"):
        summary = checkov_reports[framework]["summary"]
        failed = [f"{c['check_id']} {c['resource']}" for c in checkov_reports[framework]["results"]["failed_checks"]]
        assert summary["failed"] == 0 and summary["parsing_errors"] == 0, failed
        assert summary["passed"] > 0
    secrets = checkov_reports.get("secrets", {"summary": {"failed": 0}})["summary"]
    assert secrets["failed"] == 0


def test_every_skipped_checkov_check_is_explained():
    config = yaml.safe_load(CHECKOV_CONFIG.read_text())
    lines = CHECKOV_CONFIG.read_text().splitlines()
    assert config["skip-check"]
    for check in config["skip-check"]:
        at = lines.index(f"  - {check}")
        reason = []
        for line in reversed(lines[:at]):
            if not line.lstrip().startswith("#"):
                break
            reason.append(line)
        assert reason and check in reason[-1] and len(" ".join(reason)) > 120, f"{check} is skipped without a reason"
