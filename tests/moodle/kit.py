"""The real Moodle 4.5 of the test suite: start and stop the shared kit, call its helpers.

The kit lives in ``$BUILDER_SHARED/moodle`` (default ``<repo>/../shared/moodle``); it is
third-party and never copied into the repository. ``start.sh STATE_DIR`` brings up a private
PostgreSQL and PHP's built-in server on 127.0.0.1 and prints ``KEY=VALUE`` lines; the PHP
helpers in ``php/`` create courses and users and print SCORM activities and a user's tracks
as JSON. The state folder lies outside the repository, one per checkout (named after a hash
of the repository path), so a second test run on the same machine reuses the running site.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 900  # covers an apt-get install of PHP on a fresh machine


def kit_dir() -> Path:
    """Return ``$BUILDER_SHARED/moodle`` (default ``<repo>/../shared/moodle``)."""
    return Path(os.environ.get("BUILDER_SHARED") or REPO.parent / "shared") / "moodle"


def state_dir() -> Path:
    """Return this checkout's state folder under ``/tmp`` (outside the repository).

    Under pytest-xdist each worker gets its own site, so that no worker stops a site
    another one still uses.
    """
    tag = hashlib.sha256(str(REPO).encode()).hexdigest()[:10]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return Path("/tmp") / (f"builder-moodle-{tag}" + (f"-{worker}" if worker else ""))


def missing_reason() -> str | None:
    """Say why the kit cannot run here, or None when it can."""
    if not (kit_dir() / "start.sh").is_file():
        return (f"the Moodle kit is not in {kit_dir()} (set BUILDER_SHARED to the folder that "
                "holds moodle/start.sh)")
    if os.geteuid() != 0:
        return "the Moodle kit runs only as root (it starts PostgreSQL and may install PHP)"
    return None


def parse_lines(text: str) -> dict[str, str]:
    """Turn start.sh's ``KEY=VALUE`` lines into a dict (split at the first ``=``)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            values[key.strip()] = value
    return values


def unique(prefix: str) -> str:
    """Return a short unique name, so tests never share Moodle data by accident."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@dataclass
class Moodle:
    """A running kit site: its address, admin account, token, and the PHP helpers."""

    values: dict[str, str]
    folder: Path

    @property
    def url(self) -> str:
        return self.values["MOODLE_URL"]

    @property
    def admin(self) -> str:
        return self.values["MOODLE_ADMIN_USER"]

    @property
    def admin_password(self) -> str:
        return self.values["MOODLE_ADMIN_PASSWORD"]

    @property
    def token(self) -> str:
        return self.values["MOODLE_TOKEN"]

    def php(self, script: str, *args: str, check: bool = True) -> str:
        """Run ``php/<script>.php`` of the kit or a path under MOODLE_DIR; return stdout."""
        path = script if "/" in script else str(self.folder / "php" / f"{script}.php")
        env = os.environ | {"MOODLE_CONFIG": self.values["MOODLE_CONFIG"],
                            "PHP_INI_SCAN_DIR": self.values["PHP_INI_SCAN_DIR"]}
        done = subprocess.run(["php", path, *args], env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"{script} {' '.join(args)} failed ({done.returncode}): "
                                 f"{done.stderr[-2000:]}")
        return done.stdout.strip()

    def new_course(self, prefix: str = "c") -> int:
        """Create a course with a unique short name; return its id."""
        return int(self.php("course", "--create", unique(prefix)))

    def enrol(self, user: str, password: str, course: int, role: str = "student") -> int:
        """Create (or reset) *user* and enrol them in *course*; return the user id."""
        answer = json.loads(self.php("enrol", "--user", user, "--password", password,
                                     "--course", str(course), "--role", role))
        return int(answer["userid"])

    def activities(self, course: int) -> list[dict[str, Any]]:
        """Return the SCORM activities of *course* as ``scorm_state.php`` prints them."""
        return list(json.loads(self.php("scorm_state", "--course", str(course)))["activities"])

    def tracks(self, cmid: int, user: str) -> dict[str, Any]:
        """Return what Moodle stored for *user* in activity *cmid* (``tracks.php``)."""
        return dict(json.loads(self.php("tracks", "--cmid", str(cmid), "--user", user)))

    def user_token(self, user: str) -> str:
        """Return a web service token of *user* for the kit's upload service."""
        return self.php("token", "--user", user)

    def ws(self, function: str, token: str | None = None, **params: str) -> Any:
        """Call a REST web service function (as the admin unless *token* is given)."""
        import requests

        answer = requests.post(f"{self.url}/webservice/rest/server.php",
                               params={"moodlewsrestformat": "json"}, timeout=60,
                               data={"wstoken": token or self.token, "wsfunction": function,
                                     **params}).json()
        if isinstance(answer, dict) and "exception" in answer:
            raise AssertionError(f"{function}: {answer.get('message')}")
        return answer

    def scorm_settings(self, course: int, cmid: int) -> dict[str, Any]:
        """Return the activity as ``mod_scorm_get_scorms_by_courses`` tells it (all settings)."""
        scorms = self.ws("mod_scorm_get_scorms_by_courses", **{"courseids[0]": str(course)})
        return dict(next(s for s in scorms["scorms"] if s["coursemodule"] == cmid))

    def store_track(self, user: str, cmid: int, element: str, value: str) -> None:
        """Store one track element for *user* in attempt 1, as the player would."""
        token = self.user_token(user)
        scormid = next(a["scormid"] for a in self.activities_of_cmid(cmid))
        scoes = self.ws("mod_scorm_get_scorm_scoes", token, scormid=str(scormid))["scoes"]
        sco = next(s["id"] for s in scoes if s["scormtype"] == "sco")
        self.ws("mod_scorm_insert_scorm_tracks", token, scoid=str(sco), attempt="1",
                **{"tracks[0][element]": element, "tracks[0][value]": value})

    def activities_of_cmid(self, cmid: int) -> list[dict[str, Any]]:
        """Return the ``scorm_state`` entry of the activity *cmid* (as a one-item list)."""
        course = self.ws("core_course_get_course_module", cmid=str(cmid))["cm"]["course"]
        return [a for a in self.activities(int(course)) if a["cmid"] == cmid]

    def set_config(self, name: str, value: str, plugin: str | None = None) -> None:
        """Set one Moodle setting with Moodle's own ``admin/cli/cfg.php``."""
        args = [f"--name={name}", f"--set={value}"] + ([f"--component={plugin}"] if plugin else [])
        self.php(str(Path(self.values["MOODLE_DIR"]) / "admin/cli/cfg.php"), *args)


def start() -> Moodle:
    """Run ``start.sh`` on this checkout's state folder and return the running site."""
    folder = kit_dir()
    done = subprocess.run(["bash", str(folder / "start.sh"), str(state_dir())],
                          capture_output=True, text=True, timeout=START_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the Moodle kit did not start (exit {done.returncode}):\n"
                           f"{done.stderr[-4000:]}")
    return Moodle(parse_lines(done.stdout), folder)


def stop(remove: bool = False) -> None:
    """Run ``stop.sh`` on this checkout's state folder (``--remove`` deletes it)."""
    args = ["bash", str(kit_dir() / "stop.sh"), str(state_dir())] + (["--remove"] if remove else [])
    subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def publish_each_format(moodle: Moodle, course_dir: Path, out: Path, tag: str,
                        languages: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    """Build both SCORM packages of *course_dir* and publish each into a new Moodle course.

    Returns, by format (``scorm12``/``scorm2004``): the Moodle course id, the activity's
    ``cmid`` and ``scormid``, and the package's path. *languages* must name one language for
    a translated course (each format is published once).
    """
    from click.testing import CliRunner

    from builder.build import build_course
    from builder.cli_publish import publish

    found: dict[str, dict[str, Any]] = {}
    for package in build_course(course_dir, formats=("scorm12", "scorm2004"), out=out,
                                languages=languages).packages:
        assert package.format not in found, f"{course_dir} builds several languages: pass one"
        course = moodle.new_course(tag)
        result = CliRunner().invoke(
            publish, ["moodle", str(course_dir), "--package", str(package.path), "--url", moodle.url,
                      "--course-id", str(course), "--user", moodle.admin],
            env={"MOODLE_PASSWORD": moodle.admin_password, "MOODLE_TOKEN": moodle.token})
        assert result.exit_code == 0, result.output
        [activity] = moodle.activities(course)
        found[package.format] = {"course": course, "cmid": activity["cmid"], "scormid": activity["scormid"],
                                 "package": package.path}
    return found
