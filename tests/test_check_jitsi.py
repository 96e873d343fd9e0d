"""`meetkit check-jitsi` as an operator runs it, against a stand-in Jitsi in good and broken shape.

The "Jitsi" here is tests/standins/jitsi.py: two small aiohttp apps on 127.0.0.1, one playing Jitsi's
web container (config.js) and one playing Prosody's HTTP port (/room-census). They serve what
docker-jitsi-meet would serve with deploy/'s files (good) or with one thing wrong at a time (broken).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from meetkit.cli import main
from tests.conftest import JWT_SECRET, CliResult
from tests.standins.jitsi import (
    GENERATED_CONFIG_JS,
    StandinJitsi,
    census_of,
    good_config_js,
    real_size_config_js,
    running,
)

PUBLIC_URL = "https://treffen.example.org"
ROOM_JID = "k3x9a-p0qzt-mm2ab-7hq1c@muc.meet.jitsi"
ALL_CHECKS = [
    "Jitsi config.js",
    "third-party requests",
    "Gravatar",
    "analytics",
    "third-party servers",
    "deep linking",
    "peer-to-peer",
    "dial-in",
    "conference domain",
    "guests and moderators",
    "room census",
    "census not public",
    "moderator token",
    "token secret",
]
MEETKIT_VARIABLES = [
    "MEETKIT_PUBLIC_URL", "MEETKIT_DATA_DIR", "MEETKIT_DATABASE_URL", "MEETKIT_SECRET", "JITSI_URL",
    "JITSI_JWT_APP_ID", "JITSI_JWT_SECRET", "JITSI_JWT_AUDIENCE", "JITSI_JWT_SUBJECT", "JITSI_MUC_DOMAIN",
    "MEETKIT_DIALIN_NUMBERS", "MEETKIT_PBX_SECRET", "MEETKIT_CENSUS_URL", "MEETKIT_EVENTS_SECRET",
    "MEETKIT_JWT_TTL_MINUTES", "MEETKIT_PIN_DIGITS", "MEETKIT_CENSUS_INTERVAL",
]  # fmt: skip


@dataclass
class Standins:
    """The running stand-ins: Jitsi's web container and Prosody's HTTP port."""

    web: StandinJitsi
    web_url: str
    prosody: StandinJitsi
    prosody_url: str

    def reset(self) -> None:
        """Back to a deployment set up as docs/deploy.md says."""
        self.web.config_js = good_config_js(PUBLIC_URL)
        self.web.config_status, self.web.census, self.web.delay = 200, None, 0.0
        self.prosody.census = census_of((ROOM_JID, 3))
        self.prosody.census_status, self.prosody.delay = 200, 0.0
        for standin in (self.web, self.prosody):
            standin.chunk_size, standin.chunk_pause = None, 0.0


@pytest.fixture(scope="module")
def running_standins() -> Iterator[Standins]:
    web, prosody = StandinJitsi(), StandinJitsi()
    with running(web) as web_url, running(prosody) as prosody_url:
        yield Standins(web, web_url, prosody, prosody_url)


@pytest.fixture
def standins(running_standins: Standins) -> Standins:
    running_standins.reset()
    return running_standins


@dataclass
class Outcome:
    """What one check-jitsi run printed and returned, as its --json document."""

    code: int
    document: dict[str, Any]

    def check(self, name: str) -> dict[str, str]:
        found: list[dict[str, str]] = [c for c in self.document["checks"] if c["name"] == name]
        assert len(found) == 1, f"{name}: {self.document['checks']}"
        return found[0]

    def statuses(self) -> dict[str, str]:
        return {check["name"]: check["status"] for check in self.document["checks"]}


@pytest.fixture
def check_jitsi(
    standins: Standins, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Outcome]:
    """Run `meetkit check-jitsi --json` in-process with a fully configured environment plus `env`."""

    def run(*args: str, **env: str) -> Outcome:
        base = {
            "MEETKIT_PUBLIC_URL": PUBLIC_URL,
            "MEETKIT_DATA_DIR": str(tmp_path / "data"),
            "JITSI_URL": standins.web_url,
            "JITSI_JWT_APP_ID": "meetkit",
            "JITSI_JWT_SECRET": JWT_SECRET,
            "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567",
            "MEETKIT_CENSUS_URL": f"{standins.prosody_url}/room-census",
        }
        for name in (*MEETKIT_VARIABLES, "LC_ALL", "LC_MESSAGES", "LANG"):  # German: the CLI's language
            monkeypatch.delenv(name, raising=False)
        for name, value in {**base, **env}.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(["--env-file", str(tmp_path / "absent.env"), "check-jitsi", "--json", *args])
        out = capsys.readouterr().out
        return Outcome(code, json.loads(out))

    return run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a deployment set up as the guide says --------------------------------------------------------------


def test_good_deployment_passes_every_check(check_jitsi: Callable[..., Outcome]) -> None:
    outcome = check_jitsi()
    assert outcome.code == 0
    assert outcome.document["ok"] is True
    assert [check["name"] for check in outcome.document["checks"]] == ALL_CHECKS
    assert set(outcome.statuses().values()) == {"ok"}, outcome.document
    assert "XMPP domain meet.jitsi" in outcome.check("Jitsi config.js")["message"]
    assert "1 room open" in outcome.check("room census")["message"]
    assert f"{PUBLIC_URL}/jitsi/" in outcome.check("dial-in")["message"]
    token = outcome.check("moderator token")["message"]
    for part in ("HS256", "typ JWT", "iss meetkit", "aud jitsi", "sub meet.jitsi", "one room", "180 minutes"):
        assert part in token
    assert JWT_SECRET not in json.dumps(outcome.document), "never print the secret"


def test_text_output_has_one_line_per_check_and_a_summary(
    check_jitsi: Callable[..., Outcome],
    standins: Standins,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    check_jitsi()  # sets the environment
    standins.web.config_js += "\nconfig.disableThirdPartyRequests = false;\n"
    assert main(["--env-file", str(tmp_path / "absent.env"), "check-jitsi"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(ALL_CHECKS) + 1
    assert lines[1] == (
        "PROBLEM    third-party requests: disableThirdPartyRequests is false instead of true: browsers may "
        "load avatars, analytics scripts, GIFs and videos from other services. Abhilfe: Set "
        "ENABLE_THIRD_PARTY_REQUESTS=false in docker-jitsi-meet's .env, or copy "
        "deploy/jitsi/web/custom-config.js to ${CONFIG}/web/custom-config.js (docs/deploy.md, step 5) and "
        "restart Jitsi's web container."
    )
    assert lines[0].startswith("ok         Jitsi config.js: ")
    assert lines[-1] == "1 Problem(e), 0 Warnung(en), 13 ok, 0 übergangen."


# --- Jitsi not there, slow, or not Jitsi ----------------------------------------------------------------


def test_jitsi_down(check_jitsi: Callable[..., Outcome]) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    outcome = check_jitsi(JITSI_URL=url)
    assert outcome.code == 1
    check = outcome.check("Jitsi config.js")
    assert check["status"] == "problem"
    assert check["message"].startswith(f"{url}/config.js could not be reached (")
    assert "Check JITSI_URL" in check["fix"] and "docker compose ps web" in check["fix"]
    assert "third-party requests" not in outcome.statuses(), "config checks need the config"
    assert outcome.statuses()["room census"] == "ok", "the other checks still run"


def test_jitsi_too_slow_times_out(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    standins.web.delay = 5
    started = time.monotonic()
    outcome = check_jitsi("--timeout", "0.3")
    assert time.monotonic() - started < 3
    assert outcome.code == 1
    check = outcome.check("Jitsi config.js")
    assert check["status"] == "problem"
    assert check["message"] == f"{standins.web_url}/config.js did not answer within 0.3 seconds."


def test_census_too_slow_times_out(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    standins.prosody.delay = 5
    outcome = check_jitsi("--timeout", "0.3")
    assert outcome.code == 1
    assert outcome.check("room census")["message"].endswith("did not answer within 0.3 seconds.")
    assert "xmpp.meet.jitsi:5280" in outcome.check("room census")["fix"]


def test_a_real_size_config_js_sent_in_pieces_is_read_whole(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    # The stand-in (not Jitsi) sends a 100 kB config.js in 4 kB pieces with pauses, as a slow link does.
    standins.web.config_js = real_size_config_js(PUBLIC_URL)
    assert len(standins.web.config_js) >= 100_000
    standins.web.chunk_size, standins.web.chunk_pause = 4096, 0.01
    standins.prosody.chunk_size, standins.prosody.chunk_pause = 64, 0.01
    outcome = check_jitsi()
    assert set(outcome.statuses().values()) == {"ok"}, outcome.document
    assert "is Jitsi's config.js" in outcome.check("Jitsi config.js")["message"]


def test_an_answer_larger_than_the_limit_is_named_as_such(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    standins.web.config_js = real_size_config_js(PUBLIC_URL, size=2_100_000)
    standins.web.chunk_size = 256 * 1024
    outcome = check_jitsi()
    check = outcome.check("Jitsi config.js")
    assert check["status"] == "problem"
    assert check["message"] == f"{standins.web_url}/config.js answered with more than 2 MB."


def test_not_jitsi(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    standins.web.config_js = "<!doctype html><title>Welcome to nginx!</title>"
    outcome = check_jitsi()
    assert outcome.code == 1
    check = outcome.check("Jitsi config.js")
    assert check["status"] == "problem"
    assert "answered, but not with a Jitsi config.js" in check["message"]
    assert "base address of Jitsi Meet" in check["fix"]


def test_jitsi_answers_with_an_error(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    standins.web.config_status = 502
    outcome = check_jitsi()
    assert outcome.code == 1
    assert outcome.check("Jitsi config.js")["message"] == f"{standins.web_url}/config.js answered HTTP 502."


def test_jitsi_url_not_set(check_jitsi: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = check_jitsi(JITSI_URL="")
    assert outcome.code == 1
    check = outcome.check("Jitsi config.js")
    assert check["message"] == "JITSI_URL is not set, so meetkit sends members to a placeholder address."
    assert "PUBLIC_URL" in check["fix"]


# --- privacy settings in config.js ----------------------------------------------------------------------

BROKEN_CONFIGS = {
    "third-party requests on": (
        "config.disableThirdPartyRequests = false;",
        {"third-party requests": "problem"},
        "disableThirdPartyRequests is false instead of true",
    ),
    "gravatar on": ("config.gravatar.disabled = false;", {"Gravatar": "problem"}, "gravatar.com"),
    "rtcstats on": (
        "config.analytics.rtcstatsEnabled = true;",
        {"analytics": "problem"},
        "analytics.rtcstatsEnabled is true instead of false",
    ),
    "analytics on": (
        "config.analytics.disabled = false;",
        {"analytics": "problem"},
        "analytics.disabled is false instead of true",
    ),
    "STUN at jitsi.net": (
        "config.p2p.stunServers = [{ urls: 'stun:meet-jit-si-turnrelay.jitsi.net:443' }];",
        {"third-party servers": "problem"},
        "p2p.stunServers[0].urls = stun:meet-jit-si-turnrelay.jitsi.net:443",
    ),
    "deep linking on": (
        "config.deeplinking.disabled = false; config.disableDeepLinking = false;",
        {"deep linking": "problem"},
        "app stores",
    ),
    "dial-in URLs elsewhere": (
        "config.dialInNumbersUrl = 'https://dialin.example.net/numbers';",
        {"dial-in": "problem"},
        'dialInNumbersUrl = "https://dialin.example.net/numbers"',
    ),
    "dial-in at JaaS": (
        "config.dialInConfCodeUrl = 'https://conference-mapper.jitsi.net/v1/access';",
        {"dial-in": "problem", "third-party servers": "problem"},
        "not to meetkit at https://treffen.example.org",
    ),
    "dial-in URLs missing": (
        "config.dialInNumbersUrl = undefined; config.dialInConfCodeUrl = undefined;",
        {"dial-in": "problem"},
        "does not set dialInNumbersUrl and dialInConfCodeUrl",
    ),
    "other conference domain": (
        "config.hosts.muc = 'conference.meet.jitsi';",
        {"conference domain": "problem"},
        "Jitsi's conference domain is conference.meet.jitsi, but meetkit uses JITSI_MUC_DOMAIN=muc.meet.jitsi",
    ),
    "script stops": (
        "config.gravatar = undefined; config.gravatar.disabled = true;",
        {"config.js runs": "problem", "Gravatar": "problem"},
        "config.js stops with an error in the browser",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_CONFIGS), ids=list(BROKEN_CONFIGS))
def test_broken_config_is_reported_with_a_fix(
    check_jitsi: Callable[..., Outcome], standins: Standins, case: str
) -> None:
    appended, expected, fragment = BROKEN_CONFIGS[case]
    standins.web.config_js += "\n" + appended + "\n"
    outcome = check_jitsi()
    assert outcome.code == 1
    statuses = outcome.statuses()
    wrong = {name: status for name, status in statuses.items() if status != "ok"}
    assert wrong == expected
    messages = " ".join(outcome.check(name)["message"] for name in expected)
    assert fragment in messages
    for name in expected:
        assert outcome.check(name)["fix"], f"{name} says how to fix it"


def test_peer_to_peer_is_a_warning_only(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    standins.web.config_js += "\nconfig.p2p.enabled = true;\n"
    outcome = check_jitsi()
    assert outcome.code == 0
    check = outcome.check("peer-to-peer")
    assert check["status"] == "warning"
    assert "IP address" in check["message"] and "ENABLE_P2P=false" in check["fix"]


def test_plain_generated_config_fails_the_privacy_checks(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    standins.web.config_js = GENERATED_CONFIG_JS  # docker-jitsi-meet without deploy/'s custom-config.js
    outcome = check_jitsi()
    assert outcome.code == 1
    problems = {name for name, status in outcome.statuses().items() if status == "problem"}
    assert problems == {
        "third-party requests",
        "Gravatar",
        "analytics",
        "third-party servers",
        "deep linking",
        "dial-in",
    }


def test_dial_in_off_in_meetkit(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    outcome = check_jitsi(MEETKIT_DIALIN_NUMBERS="")
    assert outcome.code == 0
    assert outcome.check("dial-in")["message"] == (
        "dial-in is off in meetkit (MEETKIT_DIALIN_NUMBERS unset); config.js URLs: meetkit's."
    )
    standins.web.config_js += "\nconfig.hosts.muc = 'conference.meet.jitsi';\n"
    assert check_jitsi(MEETKIT_DIALIN_NUMBERS="").check("conference domain")["status"] == "warning"


def test_dial_in_urls_at_another_meetkit_address(check_jitsi: Callable[..., Outcome]) -> None:
    outcome = check_jitsi(MEETKIT_PUBLIC_URL="https://meetkit.example.org")
    assert outcome.code == 1
    check = outcome.check("dial-in")
    assert "not to meetkit at https://meetkit.example.org" in check["message"]
    assert "config.dialInNumbersUrl = 'https://meetkit.example.org/jitsi/dial-in-numbers'" in check["fix"]


# --- room census ----------------------------------------------------------------------------------------

CENSUS_GARBAGE = {
    "not JSON": ("<html>502 Bad Gateway</html>", "did not answer with JSON"),
    "nested 3000 deep": ('{"room_census": ' + "[" * 3000 + "]" * 3000 + "}", "did not answer with JSON"),
    "NaN count": ('{"room_census": [{"room_name": "a@muc.meet.jitsi", "participants": NaN}]}', "with JSON"),
    "other JSON": ({"participants": 3}, "(no room_census key)"),
    "rooms not a list": ({"room_census": "none"}, "(room_census is not a list)"),
    "room without address": ({"room_census": [{"participants": 2}]}, "room_name is not a room address"),
    "count as text": (
        {"room_census": [{"room_name": ROOM_JID, "participants": "3"}]},
        "participants is not a whole number",
    ),
}


@pytest.mark.parametrize("case", list(CENSUS_GARBAGE), ids=list(CENSUS_GARBAGE))
def test_census_garbage(check_jitsi: Callable[..., Outcome], standins: Standins, case: str) -> None:
    standins.prosody.census, fragment = CENSUS_GARBAGE[case]
    outcome = check_jitsi()
    assert outcome.code == 1
    check = outcome.check("room census")
    assert check["status"] == "problem"
    assert fragment in check["message"]
    assert "GLOBAL_MODULES=muc_census" in check["fix"]
    assert {name for name, status in outcome.statuses().items() if status != "ok"} == {"room census"}


def test_a_deeply_nested_answer_on_the_jitsi_origin_is_not_a_census(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    standins.web.census = '{"room_census": ' + "[" * 3000 + "]" * 3000 + "}"
    outcome = check_jitsi()
    assert outcome.check("census not public")["status"] == "ok"


def test_census_http_error(check_jitsi: Callable[..., Outcome], standins: Standins) -> None:
    standins.prosody.census = None  # 404, as a Prosody without mod_muc_census
    outcome = check_jitsi()
    assert outcome.code == 1
    assert outcome.check("room census")["message"] == f"{standins.prosody_url}/room-census answered HTTP 404."


def test_empty_census_from_prosody_json_encoder_is_fine(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    standins.prosody.census = {"room_census": {}}
    outcome = check_jitsi()
    assert outcome.code == 0
    assert "(0 rooms open)" in outcome.check("room census")["message"]


def test_census_not_configured_is_skipped(check_jitsi: Callable[..., Outcome]) -> None:
    outcome = check_jitsi(MEETKIT_CENSUS_URL="")
    assert outcome.code == 0
    check = outcome.check("room census")
    assert check["status"] == "skipped"
    assert "MEETKIT_CENSUS_URL=http://xmpp.meet.jitsi:5280/room-census" in check["fix"]


def test_census_published_on_the_jitsi_origin(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    standins.web.census = census_of((ROOM_JID, 3))
    outcome = check_jitsi()
    assert outcome.code == 1
    check = outcome.check("census not public")
    assert check["message"].startswith(f"the room census is published at {standins.web_url}/room-census")
    assert "5280" in check["fix"]


# --- tokens ---------------------------------------------------------------------------------------------


def test_no_jwt_settings_but_jitsi_requires_auth(check_jitsi: Callable[..., Outcome]) -> None:
    outcome = check_jitsi(JITSI_JWT_APP_ID="", JITSI_JWT_SECRET="")
    assert outcome.code == 1
    assert outcome.check("moderator token")["status"] == "skipped"
    assert "token secret" not in outcome.statuses()
    guests = outcome.check("guests and moderators")
    assert guests["status"] == "problem"
    assert "leaders cannot open their rooms" in guests["message"]


def test_open_jitsi_without_auth_is_a_warning(
    check_jitsi: Callable[..., Outcome], standins: Standins
) -> None:
    standins.web.config_js += "\nconfig.hosts.anonymousdomain = undefined;\n"
    outcome = check_jitsi()
    assert outcome.code == 0
    guests = outcome.check("guests and moderators")
    assert guests["status"] == "warning"
    assert "ENABLE_GUESTS=1" in guests["fix"] and "JWT_ALLOW_EMPTY=0" in guests["fix"]


def test_only_half_of_the_jwt_settings(check_jitsi: Callable[..., Outcome]) -> None:
    outcome = check_jitsi(JITSI_JWT_SECRET="")
    assert outcome.code == 1
    check = outcome.check("moderator token")
    assert check["status"] == "problem"
    assert check["message"].startswith("JITSI_JWT_SECRET is not set")


def test_short_secret_and_foreign_subject_are_warnings(check_jitsi: Callable[..., Outcome]) -> None:
    outcome = check_jitsi(JITSI_JWT_SECRET="short", JITSI_JWT_SUBJECT="other.example.org")
    assert outcome.code == 0
    secret = outcome.check("token secret")
    assert secret["status"] == "warning"
    assert "only 5 characters" in secret["message"] and "openssl rand -hex 32" in secret["fix"]
    assert "short" not in secret["message"].replace("JITSI_JWT_SECRET has only", "")
    subject = outcome.check("moderator token")
    assert subject["status"] == "warning"
    assert "sub other.example.org is not Jitsi's XMPP domain meet.jitsi" in subject["message"]
    assert subject["fix"] == "Set JITSI_JWT_SUBJECT=meet.jitsi."


def test_bad_timeout_is_refused(
    check_jitsi: Callable[..., Outcome], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_jitsi()  # sets the environment
    assert main(["--env-file", str(tmp_path / "absent.env"), "check-jitsi", "--timeout", "0"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "meetkit: Fehler: --timeout muss zwischen 0 und 300 Sekunden liegen.\n"


# --- as a user runs it: the installed command in a subprocess ---------------------------------------------


def test_command_line_good_and_broken(cli: Callable[..., CliResult], standins: Standins) -> None:
    env = {"JITSI_URL": standins.web_url, "MEETKIT_CENSUS_URL": f"{standins.prosody_url}/room-census"}
    standins.web.config_js = good_config_js("https://treffen.example.org")  # conftest's public URL
    good = cli("check-jitsi", "--json", extra_env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.json()["ok"] is True
    assert good.stderr == ""

    standins.web.config_js += "\nconfig.gravatar.disabled = false;\n"
    broken = cli("check-jitsi", extra_env=env)
    assert broken.returncode == 1
    assert any(
        line.startswith("PROBLEM    Gravatar: gravatar.disabled is false instead of true")
        for line in broken.stdout.splitlines()
    )
    assert broken.stdout.splitlines()[-1].startswith("1 Problem(e)")


def test_standin_serves_external_api_only_when_asked() -> None:
    import urllib.error
    import urllib.request

    state = StandinJitsi()
    with running(state) as url:
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}/external_api.js", timeout=5)
        state.serve_external_api = True
        with urllib.request.urlopen(f"{url}/external_api.js", timeout=5) as response:
            assert b"function JitsiMeetExternalAPI" in response.read()
    assert state.requests == ["/external_api.js", "/external_api.js"]
