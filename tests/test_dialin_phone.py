"""The phone side in deploy/phone/: the Asterisk dialplan's structure, and the AGI look-up against meetkit."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from meetkit.web.dialin import MAPPER_PATH, NUMBERS_PATH

PHONE = Path(__file__).resolve().parent.parent / "deploy" / "phone"
ASTERISK = PHONE / "asterisk"
AGI = ASTERISK / "meetkit-pin.agi"
README = (PHONE / "README.md").read_text(encoding="utf-8")


@dataclass
class Dialplan:
    """Contexts -> extensions -> (priority labels, applications in order)."""

    labels: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    apps: list[tuple[str, str, str, str]] = field(default_factory=list)  # context, exten, app, args


def parse_dialplan(text: str) -> Dialplan:
    """Parse the subset of extensions.conf syntax the file uses: [context], exten =>, same =>."""
    plan, context, exten = Dialplan(), None, None
    for raw in text.splitlines():
        line = re.sub(r"(?<!\\);.*", "", raw).strip()
        if not line:
            continue
        if match := re.fullmatch(r"\[([\w-]+)\]", line):
            context = match.group(1)
            plan.labels.setdefault(context, {})
            continue
        assert context is not None, f"line outside a context: {raw}"
        if match := re.fullmatch(r"exten\s*=>\s*([^,]+),(\d+|n)(?:\((\w+)\))?,(\w+)\((.*)\)", line):
            exten, priority, label, app, args = match.groups()
            assert priority == "1", f"an extension must start at priority 1: {raw}"
        elif match := re.fullmatch(r"same\s*=>\s*n(?:\((\w+)\))?,(\w+)\((.*)\)", line):
            assert exten is not None, f"same => before any exten =>: {raw}"
            label, app, args = match.groups()
        else:
            raise AssertionError(f"unparsed dialplan line: {raw}")
        labels = plan.labels[context].setdefault(exten, {"1"})
        if label:
            assert label not in labels, f"label {label} twice in {context},{exten}"
            labels.add(label)
        plan.apps.append((context, exten, app, args))
    return plan


PLAN = parse_dialplan((ASTERISK / "extensions.conf").read_text(encoding="utf-8"))


def jump_target(plan: Dialplan, context: str, exten: str, target: str) -> tuple[str, str, str]:
    """Resolve `label`, `exten,label` or `context,exten,label` (also with ^ as in Dial's b())."""
    parts = [p.strip() for p in re.split(r"[,^]", target)]
    if len(parts) == 1:
        return context, exten, parts[0]
    if len(parts) == 2:
        return context, parts[0], parts[1]
    return parts[0], parts[1], parts[2]


def assert_target_exists(plan: Dialplan, target: tuple[str, str, str]) -> None:
    context, exten, label = target
    assert context in plan.labels, f"no context [{context}]"
    assert exten in plan.labels[context], f"no extension {exten} in [{context}]"
    assert label in plan.labels[context][exten], f"no priority/label {label} in {context},{exten}"


def test_every_jump_in_the_dialplan_has_a_target() -> None:
    jumps = 0
    for context, exten, app, args in PLAN.apps:
        targets = []
        if app in ("Goto", "Gosub"):
            targets.append(args)
        elif app == "GotoIf":
            _condition, _, branches = args.rpartition("?")
            targets.extend(b for b in branches.split(":") if b)
        elif app == "Dial" and (handler := re.search(r"\bb\(([^()]+)(?:\(.*\))?\)", args)):
            targets.append(handler.group(1))
        for target in targets:
            assert_target_exists(PLAN, jump_target(PLAN, context, exten, target))
            jumps += 1
    assert jumps >= 8


def test_the_ivr_answers_in_german_and_allows_at_most_three_tries() -> None:
    ivr = [(app, args) for context, _e, app, args in PLAN.apps if context == "meetkit-dialin"]
    names = [app for app, _ in ivr]
    assert names.index("Answer") < names.index("Read") < names.index("AGI") < names.index("Dial")
    assert ("Set", "CHANNEL(language)=de") in ivr
    assert ("GotoIf", "$[${TRIES} >= 3]?toomany") in ivr
    assert ("Goto", "ask") in ivr  # re-prompt
    read = next(args for app, args in ivr if app == "Read")
    assert read.startswith("PIN,") and read.split(",")[2] == "12"  # up to 12 digits (PINs are 6 to 12)
    # The PIN never appears as an argument (Asterisk's trace would print it) and is cleared after use.
    assert all("${PIN}" not in args for app, args in ivr if app != "GotoIf")
    assert names.count("Set") >= 2 and ("Set", "PIN=") in ivr[names.index("AGI") :]
    assert ("Set", "CDR_PROP(disable)=1") in ivr


def test_the_call_goes_to_jigasi_with_the_room_in_x_room_name() -> None:
    dial = next(args for context, _e, app, args in PLAN.apps if app == "Dial")
    assert dial.startswith("PJSIP/jigasi,")
    assert "(${MEETKIT_ROOM})" in dial
    handler = [(app, args) for context, _e, app, args in PLAN.apps if context == "meetkit-jigasi-room"]
    assert handler == [("Set", "PJSIP_HEADER(add,X-Room-Name)=${ARG1}"), ("Return", "")]


def test_the_agi_script_is_the_one_shipped_and_uses_the_documented_look_up() -> None:
    agi_calls = [args for _c, _e, app, args in PLAN.apps if app == "AGI"]
    assert agi_calls == [AGI.name]
    assert AGI.stat().st_mode & stat.S_IXUSR and AGI.read_text().startswith("#!/usr/bin/env python3\n")
    source = AGI.read_text(encoding="utf-8")
    assert '"Authorization": f"Bearer {config[\'secret\']}"' in source
    assert "?id={pin}" in source and "GET VARIABLE {name}" in source
    example = (ASTERISK / "meetkit.conf.example").read_text(encoding="utf-8")
    urls = re.findall(r"^url = (\S+)$", example, re.M)
    assert urls and all(url.endswith(MAPPER_PATH) for url in urls)


def test_statuses_the_agi_sets_are_the_ones_the_dialplan_checks() -> None:
    source = AGI.read_text(encoding="utf-8")
    set_by_agi = set(re.findall(r'return "(found|unknown|error)"', source))
    checked = {
        m for _c, _e, app, args in PLAN.apps if app == "GotoIf" for m in re.findall(r'"(\w+)"\]', args)
    }
    assert set_by_agi == {"found", "unknown", "error"}
    assert {"found", "unknown"} <= checked  # and everything else goes to "failure"


def test_every_prompt_is_documented_and_generated() -> None:
    prompts = set()
    for _c, _e, app, args in PLAN.apps:
        if app == "Playback":
            prompts.add(args)
        elif app == "Read":
            prompts.add(args.split(",")[1])
    assert len(prompts) == 6
    script = (ASTERISK / "make-prompts.sh").read_text(encoding="utf-8")
    for prompt in prompts:
        assert prompt.startswith("custom/meetkit-")
        assert f"| `{prompt}` |" in README
        assert f"say {prompt.removeprefix('custom/')} " in script
    subprocess.run(["sh", "-n", str(ASTERISK / "make-prompts.sh")], check=True)


def test_pjsip_peers_match_the_dialplan() -> None:
    pjsip = (ASTERISK / "pjsip.conf").read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]\ntype=(\w+)$", pjsip, re.M)
    assert {("jigasi", "endpoint"), ("jigasi", "auth"), ("jigasi", "aor")} <= set(sections)
    contexts = re.findall(r"^;?context=([\w-]+)$", pjsip, re.M)
    assert set(contexts) == {"meetkit-from-jigasi", "meetkit-from-provider"}
    assert all(context in PLAN.labels for context in contexts)


def test_readme_names_the_jitsi_keys_env_lines_header_and_routes() -> None:
    for needle in (
        "dialInNumbersUrl",
        "dialInConfCodeUrl",
        "hosts.muc",
        "DIALIN_NUMBERS_URL=",
        "CONFCODE_URL=",
        "X-Room-Name",
        "location = /jitsi/conference-mapper",
        "location = /jitsi/dial-in-numbers",
        "MEETKIT_PBX_SECRET",
        "Access-Control-Allow-Origin",
        MAPPER_PATH,
        NUMBERS_PATH,
    ):
        assert needle in README, needle


# --- the AGI script against a real meetkit -----------------------------------------------------------------


def run_agi(config: Path, pin: str | None) -> tuple[dict[str, str], list[str]]:
    """Run meetkit-pin.agi as Asterisk would; return the variables it set and every command it sent."""
    env_block = "agi_request: meetkit-pin.agi\nagi_channel: PJSIP/provider-00000001\nagi_language: de\n\n"
    answers = (
        "200 result=1 (" + pin + ")\n" if pin is not None else "200 result=0\n"
    ) + "200 result=1\n" * 10
    completed = subprocess.run(
        [sys.executable, str(AGI)],
        input=env_block + answers,
        capture_output=True,
        text=True,
        env={**os.environ, "MEETKIT_AGI_CONFIG": str(config)},
        timeout=30,
        check=True,
    )
    commands = completed.stdout.splitlines()
    variables = dict(re.findall(r'^SET VARIABLE (\w+) "(.*)"$', completed.stdout, re.M))
    assert completed.stderr == ""
    return variables, commands


@pytest.fixture
def agi_config(tmp_path: Path, running_server: Any) -> Path:
    path = tmp_path / "meetkit.conf"
    path.write_text(
        f"# test\nurl = {running_server.url}{MAPPER_PATH}\nsecret = pbx-secret-0123456789abcdef0123456789\ntimeout = 5\n"
    )
    return path


def test_agi_finds_the_room_for_a_pin(cli: Any, agi_config: Path, running_server: Any) -> None:
    group = cli("group", "add", "Gruppe", "--json").json()
    variables, commands = run_agi(agi_config, group["pin"])
    assert variables == {"MEETKIT_STATUS": "found", "MEETKIT_ROOM": f"{group['room']}@muc.meet.jitsi"}
    assert commands[0] == "GET VARIABLE PIN"
    assert not any(c.startswith("VERBOSE") for c in commands)
    running_server.process.terminate()
    running_server.process.wait(timeout=10)
    assert group["pin"] not in running_server.log()


@pytest.mark.parametrize("pin", ["19191919", "123", "12345678901234", "12ab5678", "", None])
def test_agi_reports_unknown_for_wrong_pins_without_logging_them(agi_config: Path, pin: str | None) -> None:
    variables, commands = run_agi(agi_config, pin)
    assert variables == {"MEETKIT_STATUS": "unknown", "MEETKIT_ROOM": ""}
    assert not any(c.startswith("VERBOSE") for c in commands)


def test_agi_reports_error_for_a_wrong_secret_and_says_why_without_the_pin(
    cli: Any, agi_config: Path, tmp_path: Path
) -> None:
    group = cli("group", "add", "Gruppe", "--json").json()
    agi_config.write_text(
        agi_config.read_text().replace("secret = pbx-secret-0123456789abcdef0123456789", "secret = wrong")
    )
    variables, commands = run_agi(agi_config, group["pin"])
    assert variables["MEETKIT_STATUS"] == "error"
    verbose = [c for c in commands if c.startswith("VERBOSE")]
    assert verbose == ['VERBOSE "meetkit-pin: meetkit answered 401 (check the secret)" 1']


def test_agi_reports_error_when_meetkit_is_unreachable_or_unconfigured(tmp_path: Path) -> None:
    from tests.conftest import free_port

    config = tmp_path / "meetkit.conf"
    config.write_text(f"url = http://127.0.0.1:{free_port()}{MAPPER_PATH}\nsecret = s\ntimeout = 2\n")
    variables, commands = run_agi(config, "12345678")
    assert variables["MEETKIT_STATUS"] == "error" and "12345678" not in "\n".join(commands)
    variables, _ = run_agi(tmp_path / "missing.conf", "12345678")
    assert variables["MEETKIT_STATUS"] == "error"
    config.write_text("url = file:///etc/passwd\nsecret = s\n")
    variables, _ = run_agi(config, "12345678")
    assert variables["MEETKIT_STATUS"] == "error"
