"""The deployment files agree with the Compose specification, with Package.swift and with each other.

docker-compose.yml is validated against the official compose-spec JSON schema (a verbatim copy in
fixtures/, see fixtures/README.md), so no Docker daemon is needed. Then, for every compose service:
its name is an executable product of the package and is built by deploy/Dockerfile, it sets no demo
credentials, it has a systemd unit running the same executable, and its health check asks /healthz.

Run: python3 -m pytest Tests/EndToEnd/test_deploy_files.py -q
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
SCHEMA_FILE = Path(__file__).resolve().parent / "fixtures" / "compose-spec.json"
PACKAGE_FILE = REPO / "Package.swift"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
SYSTEMD_DIR = REPO / "deploy" / "systemd"
ENV_EXAMPLE = REPO / "deploy" / "buzon.env.example"
DOCKERIGNORE = REPO / ".dockerignore"

# Services that only other services may call: their ports are published on loopback or not at all.
INTERNAL_SERVICES = {"mailbox-store"}
# Services that keep data: their unit must be allowed to write the data directory.
STATEFUL_SERVICES = {"mailbox-store"}
# Environment keys that would smuggle an account or a password into a deployment.
CREDENTIAL_KEY = re.compile(r"DEMO|PASSW(OR)?D|USERNAME|(^|_)USER($|_)", re.IGNORECASE)
# `${NAME:?message}` or `${NAME?message}`: compose refuses to start when NAME is unset.
REQUIRED_SUBSTITUTION = re.compile(r"^\$\{([A-Z0-9_]+):?\?[^}]*\}$")


# --- loading -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    schema = json.loads(text)  # a truncated or mangled copy fails here
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def validator(schema: dict) -> jsonschema.protocols.Validator:
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.fixture(scope="module")
def compose() -> dict:
    assert COMPOSE_FILE.is_file(), f"{COMPOSE_FILE} is missing"
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    return document


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    services = compose.get("services")
    assert isinstance(services, dict) and services, "docker-compose.yml defines no services"
    return services


@pytest.fixture(scope="module")
def executables() -> set[str]:
    text = PACKAGE_FILE.read_text(encoding="utf-8")
    names = set(re.findall(r'\.executable\(\s*name:\s*"([^"]+)"', text))
    assert names, "found no .executable(name: ...) product in Package.swift"
    return names


@pytest.fixture(scope="module")
def dockerfile() -> str:
    assert DOCKERFILE.is_file(), f"{DOCKERFILE} is missing"
    return DOCKERFILE.read_text(encoding="utf-8")


def environment_of(service: dict) -> dict[str, str | None]:
    """A service's environment as a dict, whichever of the two compose forms it uses."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) for item in env)
        return {p[0]: (p[1] if len(p) > 1 else None) for p in pairs}
    return {key: (None if value is None else str(value)) for key, value in env.items()}


def unit_settings(path: Path) -> dict[str, list[str]]:
    """`Key=value` lines of a systemd unit, every value kept (keys such as Environment= repeat)."""
    settings: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not a Key=value line: {raw!r}"
        settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def compose_service_names() -> list[str]:
    """Read at collection time so that each service gets its own test cases."""
    try:
        document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
        return sorted((document or {}).get("services") or {})
    except (OSError, yaml.YAMLError):
        return ["<docker-compose.yml unreadable>"]


SERVICE_NAMES = compose_service_names()


# --- (a) the compose file against the compose specification --------------------------------------


def test_schema_fixture_is_the_compose_spec(schema: dict) -> None:
    assert schema.get("title") == "Compose Specification"
    for definition in ("service", "healthcheck", "volume", "network", "list_or_dict"):
        assert definition in schema["definitions"], f"schema lacks definitions/{definition}"


def test_compose_file_is_valid(validator, compose: dict) -> None:
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.absolute_path))
    messages = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
    assert not messages, "docker-compose.yml breaks the compose spec:\n" + "\n".join(messages)


def _first_service(document: dict) -> dict:
    return document["services"][sorted(document["services"])[0]]


BROKEN_COPIES = {
    "unknown top-level key": lambda d: d.update(servics={}),
    "unknown service key (typo)": lambda d: _first_service(d).update(restat="always"),
    "service name with a space": lambda d: d["services"].update({"bad name": {"image": "x"}}),
    "ports is a mapping": lambda d: _first_service(d).update(ports={"8025": "8025"}),
    "healthcheck test is a number": lambda d: _first_service(d).update(healthcheck={"test": 1}),
    "unknown healthcheck key": lambda d: _first_service(d).setdefault("healthcheck", {}).update(intervall="1s"),
    "environment value is a list": lambda d: _first_service(d).update(environment={"A": ["b"]}),
    "build with an unknown key": lambda d: _first_service(d).update(build={"context": ".", "dockerfil": "x"}),
    "volume definition is a list": lambda d: d.update(volumes={"store-data": ["x"]}),
}


@pytest.mark.parametrize("mutation", BROKEN_COPIES.values(), ids=BROKEN_COPIES.keys())
def test_schema_rejects_a_broken_copy(validator, compose: dict, mutation) -> None:
    """Proof that the schema is really applied: a damaged copy of our own file must fail."""
    broken = copy.deepcopy(compose)
    mutation(broken)
    assert list(validator.iter_errors(broken)), "a broken compose file passed validation"


def test_top_level_volumes_declare_store_data(compose: dict, services: dict) -> None:
    assert "store-data" in (compose.get("volumes") or {}), "named volume store-data is not declared"
    mounts = services["mailbox-store"].get("volumes") or []
    assert "store-data:/var/lib/buzon" in mounts, "store-data is not mounted at /var/lib/buzon"


# --- (b) services are executable products, built by deploy/Dockerfile -----------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_is_an_executable_product(name: str, executables: set[str]) -> None:
    assert name in executables, (
        f"compose service {name!r} is not an executable product of Package.swift "
        f"({sorted(executables)}): a service, its executable and its unit share one name"
    )


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_builds_from_deploy_dockerfile(name: str, services: dict) -> None:
    build = services[name].get("build")
    assert isinstance(build, dict), f"{name}: build must be a mapping with context and dockerfile"
    context = (REPO / build.get("context", ".")).resolve()
    assert context == REPO, f"{name}: build context {context} is not the repository root"
    dockerfile = (context / build.get("dockerfile", "Dockerfile")).resolve()
    assert dockerfile == DOCKERFILE.resolve(), f"{name}: builds from {dockerfile}, not deploy/Dockerfile"
    assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_runs_its_own_executable(name: str, services: dict) -> None:
    command = services[name].get("command")
    argv = shlex.split(command) if isinstance(command, str) else list(command or [])
    assert argv and argv[0] == name, f"{name}: command {command!r} does not run {name}"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_dockerfile_builds_the_service(name: str, dockerfile: str) -> None:
    match = re.search(r'^ARG PRODUCTS="([^"]*)"', dockerfile, re.MULTILINE)
    assert match, 'deploy/Dockerfile has no ARG PRODUCTS="..." line'
    assert name in match.group(1).split(), f"{name} is missing from PRODUCTS in deploy/Dockerfile"


def test_dockerfile_shape(dockerfile: str) -> None:
    assert re.search(r"^FROM \$\{SWIFT_IMAGE\} AS build$", dockerfile, re.MULTILINE)
    assert re.search(r"^ARG SWIFT_IMAGE=swift:6\.3", dockerfile, re.MULTILINE)
    assert re.search(r"^ARG RUNTIME_IMAGE=debian:bookworm-slim$", dockerfile, re.MULTILINE)
    assert "--static-swift-stdlib" in dockerfile
    assert "libsqlite3-dev" in dockerfile
    runtime = dockerfile.split(" AS runtime", 1)[1]
    for package in ("libsqlite3-0", "ca-certificates", "curl"):
        assert package in runtime, f"runtime stage does not install {package}"
    assert re.search(r"^USER buzon$", runtime, re.MULTILINE), "runtime stage does not drop to user buzon"
    assert "/usr/local/bin/" in runtime


def test_dockerignore_keeps_build_output_and_data_out() -> None:
    patterns = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    for pattern in (".build*", ".data", ".git"):
        assert pattern in patterns, f".dockerignore does not exclude {pattern}"


# --- (c) no demo account or literal secret ---------------------------------------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_sets_no_demo_credentials(name: str, services: dict) -> None:
    service = services[name]
    env = environment_of(service)
    offending = [key for key in env if CREDENTIAL_KEY.search(key)]
    assert not offending, f"{name}: sets credential-like variables {offending}; the demo user is for make up only"
    words = " ".join(map(str, [service.get("command") or "", service.get("entrypoint") or "", *env.values()]))
    assert "demo" not in words.lower(), f"{name}: mentions a demo account: {words!r}"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_internal_token_is_a_required_substitution(name: str, services: dict) -> None:
    token = environment_of(services[name]).get("BUZON_INTERNAL_TOKEN")
    assert token is not None, f"{name}: BUZON_INTERNAL_TOKEN is not set"
    match = REQUIRED_SUBSTITUTION.match(token)
    assert match and match.group(1) == "BUZON_INTERNAL_TOKEN", (
        f"{name}: BUZON_INTERNAL_TOKEN must be ${{BUZON_INTERNAL_TOKEN:?...}}, not {token!r}"
    )


def test_env_example_ships_no_token() -> None:
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert "BUZON_INTERNAL_TOKEN" in values, "buzon.env.example does not mention BUZON_INTERNAL_TOKEN"
    assert values["BUZON_INTERNAL_TOKEN"] == "", "buzon.env.example must not ship a usable token"


# --- (d) a systemd unit per service, running the same executable ----------------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_systemd_unit_runs_the_same_executable(name: str) -> None:
    unit = SYSTEMD_DIR / f"buzon-{name}.service"
    assert unit.is_file(), f"{name}: deploy/systemd/{unit.name} is missing"
    settings = unit_settings(unit)
    exec_start = settings.get("ExecStart")
    assert exec_start and len(exec_start) == 1, f"{unit.name}: needs exactly one ExecStart="
    program = shlex.split(exec_start[0].lstrip("@-:+!"))[0]
    assert Path(program).name == name, f"{unit.name}: ExecStart runs {program}, not {name}"
    assert Path(program).is_absolute(), f"{unit.name}: ExecStart must name an absolute path"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_systemd_unit_is_hardened(name: str) -> None:
    unit = SYSTEMD_DIR / f"buzon-{name}.service"
    settings = unit_settings(unit)
    expected = {
        "User": "buzon",
        "EnvironmentFile": "/etc/buzon/buzon.env",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
    }
    for key, value in expected.items():
        assert value in settings.get(key, []), f"{unit.name}: missing {key}={value}"
    if name in STATEFUL_SERVICES:
        assert "/var/lib/buzon" in settings.get("ReadWritePaths", []), f"{unit.name}: cannot write its data"


# --- (e) health checks and exposure ----------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_healthcheck_uses_healthz(name: str, services: dict) -> None:
    healthcheck = services[name].get("healthcheck")
    assert healthcheck and not healthcheck.get("disable"), f"{name}: has no health check"
    test = healthcheck.get("test")
    argv = shlex.split(test) if isinstance(test, str) else list(test or [])
    assert argv and argv[0] in ("CMD", "CMD-SHELL"), f"{name}: health check test {test!r} has no CMD form"
    urls = [arg for arg in argv if re.search(r"https?://[^/\s]+/healthz\b", arg)]
    assert urls, f"{name}: health check {test!r} does not ask /healthz"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_restarts(name: str, services: dict) -> None:
    assert services[name].get("restart") in ("always", "unless-stopped", "on-failure"), (
        f"{name}: restart policy is {services[name].get('restart')!r}"
    )


@pytest.mark.parametrize("name", sorted(INTERNAL_SERVICES & set(SERVICE_NAMES)))
def test_internal_ports_publish_on_loopback_only(name: str, services: dict) -> None:
    for port in services[name].get("ports") or []:
        if isinstance(port, dict):
            host_ip = port.get("host_ip")
        else:
            parts = str(port).split(":")
            host_ip = parts[0] if len(parts) == 3 else None
        assert host_ip == "127.0.0.1", f"{name}: publishes {port!r} beyond loopback"
