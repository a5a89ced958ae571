"""The network root's redirect on CloudFront (sitegen/deploy/cloudfront_root.js), filled in
from the sample's ``_redirects`` and run by Node as CloudFront would call it: a visitor of
``/`` from a member country goes to their site, in their browser's language when it has it,
else its default; anyone else, and every other address, gets the bucket's file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.deploy.cloudfront import root_function

RUN = """
const code = require("fs").readFileSync(process.argv[1], "utf8");
const handler = new Function(code + "; return handler;")();
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const answers = cases.map(([uri, country, language]) => {
  const headers = {};
  if (country !== null) headers["cloudfront-viewer-country"] = { value: country };
  if (language !== null) headers["accept-language"] = { value: language };
  const answer = handler({ request: { uri, headers, method: "GET", querystring: {} } });
  return answer.statusCode ? [answer.statusCode, answer.headers.location.value,
    answer.headers["cache-control"].value] : ["origin", answer.uri];
});
console.log(JSON.stringify(answers));
"""


def visit(function: Path, *cases: tuple[str, str | None, str | None]) -> list[list]:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed to run the CloudFront Function (CI installs nodejs)"
    done = subprocess.run(  # noqa: S603 - Node on our own file
        [node, "-e", RUN, str(function)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def function(built_sample: Path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cloudfront") / "root.js"
    path.write_text(root_function(built_sample), encoding="utf-8")
    return path


def test_a_visitor_of_the_root_goes_to_their_country_in_their_language(function):
    found = "private, no-store"
    assert visit(
        function,
        ("/", "MX", "en-US,en;q=0.9"),
        ("/", "MX", "fr-FR,fr;q=0.9"),  # a language the site lacks: its default
        ("/", "MX", None),
        ("/index.html", "UA", "uk-UA,uk;q=0.9,en;q=0.8"),
        ("/", "ma", "fr-MA,fr;q=0.9,ar;q=0.8"),  # the country code in any case
        ("/", "MA", "fr;q=0.4, ar;q=0.5"),  # by weight, not by order
        ("/", "MA", "fr;q=0, de"),  # q=0: not wanted
        ("/", "UA", "EN"),
    ) == [
        [302, "/mx/en/", found],
        [302, "/mx/es/", found],
        [302, "/mx/es/", found],
        [302, "/ua/uk/", found],
        [302, "/ma/fr/", found],
        [302, "/ma/ar/", found],
        [302, "/ma/ar/", found],
        [302, "/ua/en/", found],
    ]


def test_anyone_else_and_every_other_address_get_the_bucket_s_file(function):
    assert visit(
        function,
        ("/", "US", "en-US"),  # not a member: the list of every site
        ("/", None, "es"),  # no country known
        ("/", "", "es"),
        ("/mx/es/", "MX", "en"),  # already on a site
        ("/index.html?x", "XX", "<script>"),
    ) == [
        ["origin", "/"],
        ["origin", "/"],
        ["origin", "/"],
        ["origin", "/mx/es/"],
        ["origin", "/index.html?x"],
    ]


def test_the_function_has_every_site_and_language_of_the_redirects_file(built_sample):
    code = root_function(built_sample)
    redirects = (built_sample / "_redirects").read_text(encoding="utf-8")
    root = [line for line in redirects.splitlines() if line.startswith("/ ")]
    assert len(root) == 9  # three sites, each with two languages and a default
    for line in root:
        assert f'"{line.split()[1]}"' in code, line
    assert "var SITES = {};" not in code
