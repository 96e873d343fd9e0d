"""The operator files in deploy/ parse, lint and say what they should (issue 7).

The image is not built here (no Docker engine): the Dockerfile is linted with hadolint and checked
structurally. nginx, Caddy, Lua, node and systemd-analyze check their own file types when installed
(scripts/test installs them); without them those tests skip and the structural tests still run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "docker" / "meetkit.yml"
ENV_EXAMPLE = DEPLOY / "docker" / "env.example"
DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
CUSTOM_CONFIG = DEPLOY / "jitsi" / "web" / "custom-config.js"
NGINX_CUSTOM = DEPLOY / "jitsi" / "web" / "nginx-custom" / "meetkit.conf"
NGINX_JITSI_HOST = DEPLOY / "proxy" / "nginx-jitsi-host.conf"
CADDYFILE = DEPLOY / "proxy" / "Caddyfile"
EVENT_SYNC = DEPLOY / "jitsi" / "prosody" / "conf.d" / "meetkit-event-sync.cfg.lua"
JITSI_ENV = DEPLOY / "jitsi" / "docker-jitsi-meet.env"
SYSTEMD_UNIT = DEPLOY / "systemd" / "meetkit.service"
SYSTEMD_ENV = DEPLOY / "systemd" / "meetkit.env.example"
DEPLOY_GUIDE = ROOT / "docs" / "deploy.md"

# meetkit's environment variables: design.md's Environment table plus the three issue 7 adds.
MEETKIT_VARIABLES = {
    "MEETKIT_PUBLIC_URL",
    "MEETKIT_DATA_DIR",
    "MEETKIT_DATABASE_URL",
    "MEETKIT_SECRET",
    "JITSI_URL",
    "JITSI_JWT_APP_ID",
    "JITSI_JWT_SECRET",
    "JITSI_JWT_AUDIENCE",
    "JITSI_JWT_SUBJECT",
    "JITSI_MUC_DOMAIN",
    "MEETKIT_DIALIN_NUMBERS",
    "MEETKIT_PBX_SECRET",
    "MEETKIT_CENSUS_URL",
    "MEETKIT_EVENTS_SECRET",
    "MEETKIT_JWT_TTL_MINUTES",
    "MEETKIT_PIN_DIGITS",
    "MEETKIT_CENSUS_INTERVAL",
    "MEETKIT_TRUSTED_PROXIES",
}

# Variables docker-jitsi-meet's docker-compose.yml passes to its containers (master, mid 2026), as far as
# deploy/ uses them: a typo in deploy/jitsi/docker-jitsi-meet.env would silently do nothing.
DJM_VARIABLES = {
    "AUTH_TYPE",
    "CONFCODE_URL",
    "CONFIG",
    "DIALIN_NUMBERS_URL",
    "DISABLE_DEEP_LINKING",
    "ENABLE_AUTH",
    "ENABLE_GUESTS",
    "ENABLE_JAAS_COMPONENTS",
    "ENABLE_LOBBY",
    "ENABLE_P2P",
    "ENABLE_THIRD_PARTY_REQUESTS",
    "GLOBAL_MODULES",
    "JAAS_APP_ID",
    "JVB_ADVERTISE_IPS",
    "JVB_DISABLE_STUN",
    "JWT_ACCEPTED_AUDIENCES",
    "JWT_ACCEPTED_ISSUERS",
    "JWT_ALLOW_EMPTY",
    "JWT_APP_ID",
    "JWT_APP_SECRET",
    "JWT_ENABLE_DOMAIN_VERIFICATION",
    "PUBLIC_URL",
    "RESTART_POLICY",
    "TZ",
    "XMPP_DOMAIN",
    "XMPP_MUC_DOMAIN",
    "XMPP_SERVER",
}

PUBLIC_PREFIXES = ("/j/", "/l/", "/kiosk/", "/static/")
PUBLIC_EXACT = ("/jitsi/conference-mapper", "/jitsi/dial-in-numbers")

# Top-level names in jitsi-meet's static/ (master, mid 2026); meetkit's /static files must not collide,
# because on the Jitsi origin Jitsi's own file wins (nginx-custom/meetkit.conf, try_files).
JITSI_STATIC_NAMES = {
    "404.html", "analytics.js", "auth-service.js", "authError.html", "callback.html", "close.html",
    "close.js", "close2.html", "close3.html", "deviceSelectionPopup.html", "dialInInfo.html",
    "document-pip.html", "embedded-api-test.html", "googleAuthRedirect.html", "interface_config.js",
    "load-test", "logout.html", "msredirect.html", "oauth.html", "offline.html", "prejoin.html",
    "pwa-worker.js", "pwa", "randomizer.js", "recommendedBrowsers.html", "secondScreen.html",
    "settingsToolbarAdditionalContent.html", "signout-callback.html", "sso.html", "themes",
    "webrtcUnsupported.html", "welcomePageAdditionalCard.html", "welcomePageAdditionalContent.html",
    "whiteboard.html",
}  # fmt: skip


def _tool(*names: str) -> str:
    """The first of the named programs on PATH (or in the venv), or skip the test."""
    venv_bin = ROOT / ".venv" / "bin"
    for name in names:
        found = shutil.which(name) or shutil.which(name, path=str(venv_bin))
        if found:
            return found
    pytest.skip(f"{' / '.join(names)} not installed (scripts/test installs it)")


def _compose_variables(text: str) -> set[str]:
    """Names used in Compose interpolation: ${VAR}, ${VAR:-default} (nested), $VAR; $$ is a literal $."""
    names: set[str] = set()
    i = 0
    while i < len(text):
        if text.startswith("$$", i):
            i += 2
        elif text.startswith("${", i):
            depth, j = 1, i + 2
            while depth and j < len(text):
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            inner = text[i + 2 : j - 1]
            match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", inner)
            assert match, f"bad interpolation ${{{inner}}}"
            names.add(match.group(0))
            names |= _compose_variables(inner[match.end() :])
            i = j
        elif (match := re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)", text[i:])) is not None:
            names.add(match.group(1))
            i += match.end()
        else:
            i += 1
    return names


def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def _strings(value: Any) -> list[str]:
    """Every string in a parsed YAML document, keys included (Compose interpolates both)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _meetkit_environment() -> dict[str, str | None]:
    env: dict[str, str | None] = {}
    for item in _compose()["services"]["meetkit"]["environment"]:
        name, sep, value = item.partition("=")
        env[name] = value if sep else None
    return env


def _documented_in_env_example() -> set[str]:
    """Variables env.example assigns (also commented out) or lists in its mapping table."""
    names: set[str] = set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := re.match(r"#?([A-Z][A-Z0-9_]*)=", line):
            names.add(match.group(1))
        if match := re.match(r"#\s+([A-Z][A-Z0-9_]*)\s+->\s+(\S+)", line):
            names.add(match.group(1))
            names.add(match.group(2))
    return names


# --- docker compose add-on and .env example ------------------------------------------------------------


def test_compose_addon_is_a_service_on_the_jitsi_network() -> None:
    service = _compose()["services"]["meetkit"]
    assert service["networks"]["meet.jitsi"]["aliases"] == ["meetkit.meet.jitsi"]
    assert "ports" not in service, "meetkit is reached through the Jitsi web container, not a host port"
    assert service["build"]["dockerfile"] == "deploy/docker/Dockerfile"
    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert "meetkit-data:/data" in service["volumes"]
    assert "meetkit-data" in _compose()["volumes"]
    assert _meetkit_environment()["MEETKIT_DATA_DIR"] == "/data"


def test_compose_addon_passes_every_meetkit_setting() -> None:
    env = _meetkit_environment()
    assert set(env) - {"TZ", "XDG_CACHE_HOME"} == MEETKIT_VARIABLES
    # docker-jitsi-meet's values feed meetkit's names
    assert env["JITSI_JWT_APP_ID"] == "${JWT_APP_ID}"
    assert env["JITSI_JWT_SECRET"] == "${JWT_APP_SECRET}"
    assert env["JITSI_MUC_DOMAIN"] == "${XMPP_MUC_DOMAIN:-muc.meet.jitsi}"
    assert env["MEETKIT_PUBLIC_URL"] == "${MEETKIT_PUBLIC_URL:-${PUBLIC_URL}}"
    assert env["MEETKIT_CENSUS_URL"] == (
        "${MEETKIT_CENSUS_URL:-http://${XMPP_SERVER:-xmpp.meet.jitsi}:5280/room-census}"
    )
    # defaults documented in issue 7
    assert env["MEETKIT_JWT_TTL_MINUTES"] == "${MEETKIT_JWT_TTL_MINUTES:-180}"
    assert env["MEETKIT_PIN_DIGITS"] == "${MEETKIT_PIN_DIGITS:-8}"
    assert env["MEETKIT_CENSUS_INTERVAL"] == "${MEETKIT_CENSUS_INTERVAL:-60}"


def test_every_variable_the_compose_addon_references_is_documented_in_env_example() -> None:
    referenced: set[str] = set()
    for value in _strings(_compose()):
        referenced |= _compose_variables(value)
    # pass-through entries (`- NAME` without a value) take NAME from .env as well
    referenced |= {name for name, value in _meetkit_environment().items() if value is None}
    assert {"JWT_APP_ID", "PUBLIC_URL", "XMPP_MUC_DOMAIN", "MEETKIT_SRC"} <= referenced
    missing = referenced - _documented_in_env_example()
    assert not missing, f"not documented in deploy/docker/env.example: {sorted(missing)}"
    unknown = (referenced - MEETKIT_VARIABLES) - DJM_VARIABLES - {"MEETKIT_IMAGE", "MEETKIT_SRC"}
    assert not unknown, f"neither meetkit's nor docker-jitsi-meet's: {sorted(unknown)}"


def test_compose_variable_scanner_understands_nesting_and_escapes() -> None:
    assert _compose_variables("a ${X:-${Y:-z}} $$NOT $W ${V}") == {"X", "Y", "W", "V"}


def test_env_example_parses_and_sets_only_known_variables() -> None:
    values = dotenv_values(ENV_EXAMPLE)
    assert values, "env.example sets nothing"
    assert set(values) <= MEETKIT_VARIABLES | {"MEETKIT_IMAGE", "MEETKIT_SRC"}
    assert values["MEETKIT_JWT_TTL_MINUTES"] == "180"
    assert values["MEETKIT_PIN_DIGITS"] == "8"
    assert values["MEETKIT_CENSUS_INTERVAL"] == "60"
    # every meetkit setting is at least explained there
    assert MEETKIT_VARIABLES - {"MEETKIT_DATA_DIR"} <= _documented_in_env_example()


def test_systemd_env_example_sets_only_meetkit_variables() -> None:
    values = dotenv_values(SYSTEMD_ENV)
    assert set(values) <= MEETKIT_VARIABLES
    assert values["MEETKIT_CENSUS_URL"] == "http://127.0.0.1:5280/room-census"


# --- Dockerfile -------------------------------------------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    hadolint = _tool("hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_structure() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    froms = [line for line in instructions if line.startswith("FROM ")]
    assert all(line.startswith("FROM python:3.11-slim") for line in froms)
    text = DOCKERFILE.read_text()
    for lib in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "sqlite3"):
        assert re.search(rf"^\s+{re.escape(lib)} \\$", text, re.M), lib
    assert "--no-install-recommends" in text
    assert "rm -rf /var/lib/apt/lists/*" in text
    user = [line for line in instructions if line.startswith("USER ")]
    assert user == ["USER 10001:10001"], "runs as the non-root user created above"
    assert 'VOLUME ["/data"]' in instructions
    assert "MEETKIT_DATA_DIR=/data" in text
    assert "EXPOSE 8080" in instructions
    healthcheck = next(line for line in instructions if line.startswith("HEALTHCHECK"))
    assert "--timeout=" in healthcheck
    assert "http://127.0.0.1:8080/healthz" in text
    assert instructions[-1] == 'CMD ["meetkit", "serve", "--host", "0.0.0.0", "--port", "8080"]'


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored() -> None:
    sources = re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE.read_text(), re.M)
    paths = [path for line in sources for path in line.split()]
    assert paths == ["pyproject.toml", "README.md", "meetkit"]
    for path in paths:
        assert (ROOT / path).exists(), path
    ignore = (DOCKERFILE.parent / "Dockerfile.dockerignore").read_text().splitlines()
    assert "*" in ignore
    for path in paths:
        assert f"!{path}" in ignore or f"!{path}/" in ignore, path


# --- Jitsi web: custom-config.js ------------------------------------------------------------------------

DJM_LIKE_CONFIG = {
    "hosts": {"domain": "meet.jitsi", "muc": "muc.meet.jitsi"},
    "p2p": {"enabled": True, "stunServers": [{"urls": "stun:meet-jit-si-turnrelay.jitsi.net:443"}]},
    "analytics": {"rtcstatsEnabled": True},
    "disableThirdPartyRequests": False,
    "disableDeepLinking": False,
}


def _evaluate_custom_config(node: str, base: dict[str, Any]) -> dict[str, Any]:
    """Run custom-config.js in node after a generated config, as docker-jitsi-meet concatenates them."""
    script = (
        "const fs = require('fs'); const vm = require('vm');"
        f"const ctx = {{config: {json.dumps(base)}}}; vm.createContext(ctx);"
        f"vm.runInContext(fs.readFileSync({json.dumps(str(CUSTOM_CONFIG))}, 'utf8'), ctx);"
        "process.stdout.write(JSON.stringify(ctx.config));"
    )
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


def test_custom_config_is_valid_javascript() -> None:
    node = _tool("node", "nodejs")
    subprocess.run([node, "--check", str(CUSTOM_CONFIG)], check=True, capture_output=True)


@pytest.mark.parametrize("base", [DJM_LIKE_CONFIG, {}], ids=["after-generated-config", "on-empty-config"])
def test_custom_config_sets_the_privacy_defaults(base: dict[str, Any]) -> None:
    config = _evaluate_custom_config(_tool("node", "nodejs"), base)
    assert config["disableThirdPartyRequests"] is True
    assert config["gravatar"]["disabled"] is True
    assert config["analytics"]["disabled"] is True
    assert config["analytics"]["rtcstatsEnabled"] is False
    assert config["p2p"] == {"enabled": False, "stunServers": []}
    assert config["deeplinking"]["disabled"] is True
    assert config["disableDeepLinking"] is True
    assert config["dialInNumbersUrl"] == "https://meet.example.org/jitsi/dial-in-numbers"
    assert config["dialInConfCodeUrl"] == "https://meet.example.org/jitsi/conference-mapper"
    assert "jitsi.net" not in json.dumps(config)
    if base:
        assert config["hosts"] == base["hosts"], "custom-config.js leaves the generated hosts alone"


# --- nginx ------------------------------------------------------------------------------------------------


def _crossplane_locations(path: Path) -> list[dict[str, Any]]:
    crossplane = pytest.importorskip("crossplane")
    parsed = crossplane.parse(str(path), single=True, strict=False, check_ctx=False)
    assert parsed["status"] == "ok", parsed["errors"]
    directives = parsed["config"][0]["parsed"]
    assert all(d["directive"] == "location" for d in directives), "only locations at server level"
    return list(directives)


def _location_path(location: dict[str, Any]) -> tuple[str, str]:
    args = location["args"]
    return (args[0], args[1]) if len(args) == 2 else ("", args[0])


@pytest.mark.parametrize("path", [NGINX_CUSTOM, NGINX_JITSI_HOST], ids=["docker", "debian"])
def test_nginx_snippet_publishes_exactly_the_public_routes(path: Path) -> None:
    locations = _crossplane_locations(path)
    proxied: set[str] = set()
    for location in locations:
        modifier, uri = _location_path(location)
        names = {d["directive"] for d in location["block"]}
        if not uri.startswith("@"):
            assert modifier in {"^~", "="}, f"{uri}: regex or plain prefix loses against Jitsi's regexes"
        assert "access_log" in names, f"{uri}: member codes and tokens would land in the access log"
        access_log = next(d for d in location["block"] if d["directive"] == "access_log")
        assert access_log["args"] == ["off"]
        assert "add_header" not in names, f"{uri}: add_header would drop Jitsi's server-level headers"
        if "proxy_pass" in names:
            assert "proxy_connect_timeout" in names
            headers = {
                d["args"][0].lower(): d["args"][1]
                for d in location["block"]
                if d["directive"] == "proxy_set_header"
            }
            # no forwarded chain; only nginx's own view of the visitor, for meetkit's per-visitor failure limit
            assert headers["x-forwarded-for"] == "" and headers["x-real-ip"] == "$remote_addr", uri
            proxied.add(uri)
    assert proxied == {"/j/", "/l/", "/kiosk/", "@meetkit_static", *PUBLIC_EXACT}
    static = next(loc for loc in locations if _location_path(loc)[1] == "/static/")
    assert {"directive": "try_files", "args": ["$uri", "@meetkit_static"]}.items() <= {
        k: v for d in static["block"] if d["directive"] == "try_files" for k, v in d.items()
    }.items()
    internal = next(loc for loc in locations if _location_path(loc)[1] == "/jitsi/")
    assert [d["args"] for d in internal["block"] if d["directive"] == "return"] == [["404"]]


def test_meetkit_static_files_do_not_collide_with_jitsis() -> None:
    names = {p.name for p in (ROOT / "meetkit" / "static").iterdir()}
    assert not names & JITSI_STATIC_NAMES


def _nginx_config(tmp_path: Path, snippet: Path, upstream: str) -> Path:
    """A server block like docker-jitsi-meet's meet.conf, with the snippet included at its top."""
    www = tmp_path / "www"
    (www / "static").mkdir(parents=True)
    (www / "static" / "dialInInfo.html").write_text("jitsi dial-in page\n")
    (www / "index.html").write_text("jitsi app\n")
    text = snippet.read_text()
    text = text.replace("http://meetkit.meet.jitsi:8080", upstream).replace("http://127.0.0.1:8080", upstream)
    text = text.replace("root /usr/share/jitsi-meet;", f"root {www};")
    text = text.replace("/dev/stderr", str(tmp_path / "error.log"))
    (tmp_path / "snippet.conf").write_text(text)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""{user}
daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};
    fastcgi_temp_path {tmp_path}; uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};
    server {{
        listen 127.0.0.1:PORT;
        root {www};
        ssi on;
        include {tmp_path}/snippet.conf;
        location = /config.js {{ return 200 "var config = {{}};\\n"; }}
        location ~ ^/(libs|css|static|images|fonts|lang|sounds)/(.*)$ {{ alias {www}/$1/$2; }}
        location ~ ^/([^/?&:'"]+)$ {{ try_files $uri @root_path; }}
        location @root_path {{ rewrite ^/(.*)$ / break; }}
        location ~ ^/([^/?&:'"]+)/(.*)$ {{ rewrite ^/([^/?&:'"]+)/(.*)$ /$2; }}
    }}
}}
"""
    )
    return conf


@pytest.mark.parametrize("path", [NGINX_CUSTOM, NGINX_JITSI_HOST], ids=["docker", "debian"])
def test_nginx_accepts_the_snippet(tmp_path: Path, path: Path) -> None:
    nginx = _tool("nginx")
    conf = _nginx_config(tmp_path, path, "http://127.0.0.1:9")
    conf.write_text(conf.read_text().replace("PORT", "8"))
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- Prosody ----------------------------------------------------------------------------------------------


def test_event_sync_component_is_valid_lua_and_points_at_meetkit() -> None:
    text = EVENT_SYNC.read_text()
    assert 'Component "esync.meet.jitsi" "event_sync_component"' in text
    assert 'muc_component = "muc.meet.jitsi"' in text
    assert 'api_prefix = "http://meetkit.meet.jitsi:8080/jitsi"' in text
    assert '["Authorization"] = "Bearer CHANGE_ME_MEETKIT_EVENTS_SECRET";' in text
    assert "include_user_info = false" in text
    assert "api_timeout = " in text
    luac = _tool("luac5.4", "luac5.3", "luac")
    subprocess.run([luac, "-p", str(EVENT_SYNC)], check=True, capture_output=True)


def test_jitsi_env_turns_on_token_auth_guests_lobby_and_census() -> None:
    values = dotenv_values(JITSI_ENV)
    assert set(values) <= DJM_VARIABLES, sorted(set(values) - DJM_VARIABLES)
    assert values["ENABLE_AUTH"] == "1"
    assert values["AUTH_TYPE"] == "jwt"
    assert values["JWT_ALLOW_EMPTY"] == "0", "token-less users would become owners on the main domain"
    assert values["ENABLE_GUESTS"] == "1"
    assert values["ENABLE_LOBBY"] == "1"
    assert "muc_census" in (values["GLOBAL_MODULES"] or "").split(",")
    assert values["JWT_ACCEPTED_ISSUERS"] == values["JWT_APP_ID"]
    assert "jitsi" in (values["JWT_ACCEPTED_AUDIENCES"] or "").split(","), "meetkit's default aud"
    assert values["ENABLE_JAAS_COMPONENTS"] == "0"
    assert values["ENABLE_P2P"] == "false"
    assert values["JVB_DISABLE_STUN"] == "true"
    assert "JWT_ALLOW_EMPTY=1" in JITSI_ENV.read_text(), "the risk is explained next to the setting"


def test_jitsi_files_say_what_why_and_for_which_release() -> None:
    files = [CUSTOM_CONFIG, NGINX_CUSTOM, EVENT_SYNC, JITSI_ENV, COMPOSE, ENV_EXAMPLE]
    for path in files:
        head = path.read_text()[:2500]
        assert "stable-10008" in head, f"{path.name}: which docker-jitsi-meet release?"
        assert re.search(r"\bWhat\b|^# meetkit", head, re.M), path.name


# --- systemd and Caddy ------------------------------------------------------------------------------------


def test_systemd_unit_is_hardened() -> None:
    text = SYSTEMD_UNIT.read_text()
    settings = dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
    )
    assert settings["User"] == "meetkit"
    assert settings["ProtectSystem"] == "strict"
    assert settings["StateDirectory"] == "meetkit"
    assert settings["NoNewPrivileges"] == "yes"
    assert settings["PrivateTmp"] == "yes"
    assert settings["CapabilityBoundingSet"] == ""
    assert "--host 127.0.0.1" in settings["ExecStart"]
    assert "MEETKIT_DATA_DIR=/var/lib/meetkit" in text


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze")
    unit = tmp_path / "meetkit.service"
    unit.write_text(SYSTEMD_UNIT.read_text().replace("/opt/meetkit/venv/bin/meetkit", "/bin/true"))
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, check=False)
    problems = [line for line in result.stderr.splitlines() if str(unit) in line]
    assert result.returncode == 0 and not problems, result.stderr


def test_caddyfile_is_valid_and_logs_nothing(tmp_path: Path) -> None:
    caddy = _tool("caddy")
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    args = ["--config", str(CADDYFILE), "--adapter", "caddyfile"]
    result = subprocess.run([caddy, "validate", *args], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    adapted = subprocess.run([caddy, "adapt", *args], capture_output=True, text=True, env=env, check=True)
    config = json.loads(adapted.stdout)
    server = config["apps"]["http"]["servers"]["srv0"]
    assert "logs" not in server, "an access log would record member codes and tokens"
    assert "X-Forwarded-For" in adapted.stdout  # removed by header_up -X-Forwarded-For


# --- the guide ----------------------------------------------------------------------------------------------


def test_deploy_guide_names_only_files_that_exist() -> None:
    text = DEPLOY_GUIDE.read_text()
    mentioned = set(re.findall(r"\bdeploy/[\w./-]+\w", text))
    assert mentioned, "the guide should point at the files"
    missing = sorted(p for p in mentioned if not (ROOT / p).exists())
    assert not missing, missing
    for step in ("backup", ".backup", "check-jitsi", "What was verified"):
        assert step in text, step
