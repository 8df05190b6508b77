"""One source of truth for versions: profiles/versions.cfg."""

import configparser
import pathlib
import re

ROOT = pathlib.Path(__file__).parent.parent


def pins():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "profiles" / "versions.cfg")
    return {name.lower(): value for name, value in parser["versions"].items()}


def test_bootstrap_requirements_match_versions_cfg():
    versions = pins()
    for line in (ROOT / "requirements-buildout.txt").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, version = re.split(r"==", line)
        assert versions[name.lower()] == version, f"{name}: {version} vs versions.cfg"


def test_plone_pinned_to_6_2_2():
    assert pins()["plone"] == "6.2.2"


def test_classic_ui_kept_below_2_and_layout_below_7():
    versions = pins()
    assert int(versions["plone.classicui"].split(".")[0]) < 2
    assert int(versions["plone.app.layout"].split(".")[0]) < 7


def test_buildout_refuses_unpinned_versions():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "profiles" / "base.cfg")
    assert parser["buildout"]["allow-picked-versions"] == "false"
