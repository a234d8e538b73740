"""The README is the front door and docs/ the manuals: what they say about commands, files, resources and settings
must be what the code has."""

import keyword
import re
from collections import defaultdict

import pytest

from program.reference import GENERATED_SECTIONS, documents, with_generated_sections
from program import REPOSITORY_ROOT

from tests import harness
from tests.harness import run_component, violations

README = (REPOSITORY_ROOT / "README.md").read_text()
DOCUMENTS = {path.relative_to(REPOSITORY_ROOT).as_posix(): path.read_text() for path in documents()}
FENCED = re.compile(r"^```.*?^```", re.S | re.M)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_generated_sections_are_what_generates_them(name):
    assert DOCUMENTS[name] == with_generated_sections(DOCUMENTS[name]), "run `make reference`"


def test_each_generated_section_lives_in_one_document():
    for section in GENERATED_SECTIONS:
        holders = [name for name, text in DOCUMENTS.items() if f"<!-- {section}:start -->" in text]
        assert len(holders) == 1, (section, holders)


def test_the_two_commands_exist_and_ci_runs_the_test_command():
    makefile = (REPOSITORY_ROOT / "Makefile").read_text()
    for target in ("plan", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (REPOSITORY_ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_make_target_named_exists(name):
    targets = set(re.findall(r"^([\w-]+):", (REPOSITORY_ROOT / "Makefile").read_text(), re.M))
    for target in re.findall(r"(?:^|`)make ([a-z][\w-]*)", DOCUMENTS[name], re.M):
        assert target in targets, target


def _anchors(markdown: str) -> set[str]:
    """The ids GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", FENCED.sub("", markdown), re.M)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_relative_link_resolves_to_a_file_and_heading(name):
    page = REPOSITORY_ROOT / name
    for target in re.findall(r"\]\(([^)\s]+)\)", FENCED.sub("", DOCUMENTS[name])):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file) if file else page
        assert linked.exists(), target
        if anchor:
            assert linked.suffix == ".md" and anchor in _anchors(linked.read_text()), target


def test_every_page_under_docs_is_linked_from_the_readme_with_a_summary():
    for name in DOCUMENTS:
        if name.startswith("docs/"):
            assert re.search(rf"^\| \[[^]]+\]\({re.escape(name)}\) \| \S", README, re.M), name


def _python_blocks() -> list[tuple[str, str]]:
    return [(name, block) for name, text in DOCUMENTS.items() for block in re.findall(r"```python\n(.*?)```", text, re.S)]


PROGRAMS = [(name, block) for name, block in _python_blocks() if "import pulumi\n" in block]
SNIPPETS = [(name, block) for name, block in _python_blocks() if "import pulumi\n" not in block]


@pytest.mark.parametrize(("name", "block"), PROGRAMS, ids=[f"{name}-{i}" for i, (name, _) in enumerate(PROGRAMS)])
def test_the_documented_programs_run_as_pasted(name, block, monkeypatch):
    """Each block importing pulumi is a whole program: it runs under the mock engine, exports, and AWS's API model accepts it."""
    monkeypatch.chdir(REPOSITORY_ROOT)  # where a program of this project runs, for its relative folders
    plan = run_component(lambda: exec(compile(block, name, "exec"), {"__name__": "__main__"}))
    assert plan.outputs and all(plan.outputs.values())
    assert violations(plan) == []


def test_the_documented_test_snippets_pass_with_the_harness():
    """The other blocks show the test harness: they run as tests, with only its names imported."""
    assert PROGRAMS and SNIPPETS
    for name, block in SNIPPETS:
        exec(compile(block, name, "exec"), {attribute: getattr(harness, attribute) for attribute in harness.__all__})


def _where_to_find_things() -> list[tuple[str, str, list[str]]]:
    """The README's table as (component, files the row links, the SDK names of the resources it lists)."""
    section = README.partition("\n## Where to find things\n")[2].partition("\n## ")[0]
    rows = [line.strip("| ").split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return [(re.match(r"`(\w+)`", component).group(1), files, re.findall(r"`(\w+\.\w+)`", what))
            for component, files, what in rows]


def _sdk_name(type_token: str) -> str:
    """`aws:lambda/function:Function` as the Python SDK spells it, `lambda_.Function`; `random.RandomPassword`."""
    package, module, name = type_token.split(":")
    module = module.partition("/")[0]
    if package != "aws":
        return f"{package}.{name}"
    return f"{module}_.{name}" if keyword.iskeyword(module) else f"{module}.{name}"


def test_where_to_find_things_lists_every_resource_under_the_component_that_creates_it(stack_plans, fargate_plan):
    listed = defaultdict(set)
    for component, _, resources in _where_to_find_things():
        listed[component].update(resources)
    for plan in (*stack_plans.values(), fargate_plan):
        for registration in plan.registrations:
            if registration.custom:
                component = registration.urn.split("::")[2].split("$")[-2].rpartition(":")[2]
                assert _sdk_name(registration.type) in listed[component], (component, registration.type)


def test_where_to_find_things_links_the_file_that_creates_each_resource():
    rows = _where_to_find_things()
    assert rows
    for component, files, resources in rows:
        sources = "".join((REPOSITORY_ROOT / path).read_text() for path in re.findall(r"\]\(([\w/.]+\.py)\)", files))
        for resource in resources:
            constructor = resource if resource.startswith("random.") else f"aws.{resource}"
            assert f"{constructor}(" in sources, (component, resource)
