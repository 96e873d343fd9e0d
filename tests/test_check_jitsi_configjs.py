"""meetkit.jitsi.configjs reads config.js files as a browser would, as far as check-jitsi needs."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from typing import Any

import pytest

from meetkit.jitsi.configjs import lookup, read_config
from meetkit.jitsi.configjs_values import MISSING, UNKNOWN
from tests.standins.jitsi import GENERATED_CONFIG_JS, good_config_js

# Shaped like the Debian package's /etc/jitsi/meet/<host>-config.js (one object literal, SSI applied).
DEBIAN_STYLE = """/* eslint-disable comma-dangle, no-unused-vars, no-var, prefer-template, vars-on-top */
var subdir = '';
var subdomain = '';
if (subdomain) {
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.').join('_').toLowerCase() + '.';
}

// In case of no ssi provided
if (subdir.startsWith('<!--')) {
    subdir = '';
}

var enableJaaS = false;

var config = {
    // Connection
    hosts: {
        // XMPP domain.
        domain: 'meet.example.org',
        // When using authentication, domain for guest users.
        // anonymousdomain: 'guest.example.com',
        muc: 'conference.' + subdomain + 'meet.example.org',
    },
    bosh: 'https://meet.example.org/' + subdir + 'http-bind', // the URL's // is no comment
    "disableThirdPartyRequests": true,
    p2p: {
        enabled: true,
        stunServers: [
            { urls: 'stun:meet-jit-si-turnrelay.jitsi.net:443' },
        ],
    },
    analytics: { disabled: !0, rtcstatsEnabled: !1 },
    toolbarButtons: [ 'camera', 'chat', ],
    maxFullResolutionParticipants: -1,
    startVideoMuted: 10,
    makeJsonParserHappy: 'even if last key had a trailing comma'
};

if (enableJaaS) {
    config.dialInNumbersUrl = 'https://conference-mapper.jitsi.net/v1/access/dids';
    config.dialInConfCodeUrl = 'https://conference-mapper.jitsi.net/v1/access';
}

// Temporary backwards compatibility with old mobile clients.
config.flags = config.flags || {};
config.flags.sourceNameSignaling = true;
"""


def test_docker_jitsi_meet_config_with_custom_config_last_assignment_wins() -> None:
    result = read_config(good_config_js("https://treffen.example.org"))
    assert result.error is None
    config = result.config
    assert config is not None
    assert lookup(config, "hosts.muc") == "muc.meet.jitsi"
    assert lookup(config, "hosts.anonymousdomain") == "guest.meet.jitsi"
    assert lookup(config, "websocket") == "wss://meet.example.org/xmpp-websocket"
    assert lookup(config, "disableThirdPartyRequests") is True
    assert lookup(config, "p2p") == {"enabled": False, "stunServers": []}
    assert lookup(config, "dialInConfCodeUrl") == "https://treffen.example.org/jitsi/conference-mapper"


def test_debian_style_object_literal() -> None:
    result = read_config(DEBIAN_STYLE)
    assert result.error is None
    config = result.config
    assert config is not None
    assert lookup(config, "hosts") == {"domain": "meet.example.org", "muc": "conference.meet.example.org"}
    assert lookup(config, "bosh") == "https://meet.example.org/http-bind"
    assert lookup(config, "disableThirdPartyRequests") is True
    assert lookup(config, "analytics") == {"disabled": True, "rtcstatsEnabled": False}
    assert lookup(config, "p2p.stunServers") == [{"urls": "stun:meet-jit-si-turnrelay.jitsi.net:443"}]
    assert lookup(config, "maxFullResolutionParticipants") == -1
    assert lookup(config, "dialInNumbersUrl") is MISSING, "the JaaS block does not run"
    assert lookup(config, "flags.sourceNameSignaling") is True


def test_has_own_property_guards_keep_earlier_values() -> None:
    config = read_config(
        "var config = { p2p: { enabled: true } };\n"
        "if (!config.hasOwnProperty('p2p')) config.p2p = {};\n"
        "if (!config.hasOwnProperty('gravatar')) config.gravatar = {};\n"
        "config.gravatar.disabled = true;\n"
    ).config
    assert config == {"p2p": {"enabled": True}, "gravatar": {"disabled": True}}


def test_what_cannot_be_evaluated_is_unknown_not_guessed() -> None:
    config = read_config(
        "var config = {};\n"
        "config.a = window.location.hostname;\n"
        "if (navigator.userAgent.includes('x')) { config.b = true; } else { config.b = false; }\n"
        "config.c = someFunction({ nested: [1, 2] }) ? 'x' : 'y';\n"
        "config.d = `template ${literal}`;\n"
        "config.e = 'known';\n"
    ).config
    assert config is not None
    for key in "abcd":
        assert lookup(config, key) is UNKNOWN, key
    assert lookup(config, "e") == "known"
    assert lookup(config, "a.deeper") is UNKNOWN


def test_an_assignment_that_throws_in_a_browser_stops_there() -> None:
    result = read_config(
        "var config = {};\nconfig.first = 1;\nconfig.gravatar.disabled = true;\nconfig.after = 2;\n"
    )
    assert result.error == "config.gravatar is not an object where config.gravatar.disabled is assigned"
    assert result.config == {"first": 1}


def test_skipped_code_does_not_throw() -> None:
    result = read_config("var config = {};\nif (false) { config.x.y = 1; }\nconfig.z = config.missing;\n")
    assert result.error is None
    assert result.config == {"z": MISSING}


def test_unsupported_statements_are_skipped() -> None:
    result = read_config(
        "var config = {};\n"
        "function helper(a) { return a * 2; }\n"
        "for (var i = 0; i < 3; i++) { config.loop = i; }\n"
        "config.after = true;\n"
    )
    assert result.config is not None
    assert lookup(result.config, "after") is True


def test_never_raises_on_garbage() -> None:
    rng = random.Random(7)
    alphabet = "var config={}[]();.,:'\"`!+-=?|&/*\\\n ab01truefalse"
    for _ in range(400):
        text = "var config = {};" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        read_config(text)
    read_config("var config = " + "{a:" * 5000 + "1" + "}" * 5000 + ";")
    read_config("var config = {};\nconfig.x = '" + "unterminated")


def test_a_strange_character_costs_only_its_statement() -> None:
    result = read_config("var config = {};\nconfig.a = @decorated;\nconfig.b = true;\n")
    assert result.config == {"b": True}


@pytest.mark.parametrize("text", ["", "<html><body>nginx</body></html>", "var other = {};", "{{{{"])
def test_no_config(text: str) -> None:
    assert read_config(text).config is None


@pytest.mark.parametrize(
    "text",
    [GENERATED_CONFIG_JS, DEBIAN_STYLE, good_config_js("https://treffen.example.org")],
    ids=["generated", "debian", "generated+custom"],
)
def test_agrees_with_node(text: str) -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node not installed (scripts/test installs it)")
    script = (
        "const vm = require('vm'); const ctx = {}; vm.createContext(ctx);"
        f"vm.runInContext({json.dumps(text)} + '\\n;this.__out = JSON.stringify(config);', ctx);"
        "process.stdout.write(ctx.__out);"
    )
    expected = json.loads(
        subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
    )
    config = read_config(text).config

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if v is not MISSING}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    assert plain(config) == expected
