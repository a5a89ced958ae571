"""Command line: ``python -m sitegen build CONTENT OUTPUT [--site CODE] [--today YYYY-MM-DD]
[--verify] [--leave-out-refused]``
, ``python -m sitegen deploy OUTPUT --target s3://BUCKET[/PREFIX] [--cloudfront ID] [--full]``
(publish a built output; see ``sitegen.deploy``), ``python -m sitegen algolia CONTENT OUTPUT
[--full]`` (send the snapshot's changes to Algolia, with ``HOMEWARD_SEARCH_ALGOLIA_APP_ID``,
``..._API_KEY``, ``..._INDEX_PREFIX`` and ``..._HOST`` from the environment; see
``sitegen.search.algolia``), ``python -m sitegen cloudfront-function
OUTPUT`` (the root's country redirect for CloudFront) and ``python -m sitegen messages [--check |
--compile]`` (extract, update, check and compile the gettext catalogs of the generator and the
CMS; see ``sitegen.messages``).

Exit status: 0 done, 1 bad content or request (nothing written) or a deploy that failed (the
next deploy completes it) or an Algolia update that failed (likewise), 2 usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from datetime import date
from pathlib import Path

from sitegen.errors import SitegenError


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def _cloudfront_function(output: Path) -> int:
    from sitegen.deploy.cloudfront import root_function

    try:
        print(root_function(output), end="")
    except SitegenError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 1
    return 0


def _algolia(content: Path, output: Path, *, full: bool) -> int:
    from sitegen.search.algolia import config_from_environment, sync

    try:
        config = config_from_environment()
    except SitegenError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 2
    try:
        print(sync(content, output, config, full=full))
    except SitegenError as exc:
        print(f"sitegen: Algolia update failed; the next one completes it.\n{exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build or update the static sites")
    build_cmd.add_argument("content", type=Path, help="snapshot directory")
    build_cmd.add_argument("output", type=Path, help="output directory")
    build_cmd.add_argument("--site", help="build only this site (lowercase country code)")
    build_cmd.add_argument("--today", type=_parse_date, help="build date for ages (default: today)")
    build_cmd.add_argument("--verbose", "-v", action="store_true", help="list written files")
    build_cmd.add_argument(
        "--no-posters",
        dest="posters",
        action="store_false",
        default=None,
        help="leave out the PDF posters and share images",
    )
    build_cmd.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        default=None,
        help="publish no search index (Pagefind) and delete any",
    )
    build_cmd.add_argument(
        "--verify", action="store_true", help="check every published file is on disk; restore it"
    )
    build_cmd.add_argument(
        "--leave-out-refused",
        action="store_true",
        help="build the rest when case or page records are refused (each is left out, and said)",
    )
    deploy_cmd = commands.add_parser("deploy", help="publish a built output to a host or CDN")
    deploy_cmd.add_argument("output", type=Path, help="output directory (built)")
    deploy_cmd.add_argument(
        "--target", required=True, help="s3://BUCKET[/PREFIX] or netlify://SITE_ID"
    )
    deploy_cmd.add_argument("--cloudfront", help="CloudFront distribution id to invalidate")
    deploy_cmd.add_argument(
        "--full", action="store_true", help="list the target and make it match exactly"
    )
    deploy_cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    algolia_cmd = commands.add_parser("algolia", help="bring the Algolia indexes up to date")
    algolia_cmd.add_argument("content", type=Path, help="snapshot directory")
    algolia_cmd.add_argument("output", type=Path, help="output directory (its state lies beside)")
    algolia_cmd.add_argument(
        "--full", action="store_true", help="replace every index whole (the nightly run)"
    )
    function_cmd = commands.add_parser(
        "cloudfront-function", help="print the CloudFront Function of the root's redirect"
    )
    function_cmd.add_argument("output", type=Path, help="output directory (built)")
    messages_cmd = commands.add_parser("messages", help="extract, update and compile catalogs")
    only = messages_cmd.add_mutually_exclusive_group()
    only.add_argument("--check", action="store_true", help="fail if catalogs are stale")
    only.add_argument("--compile", action="store_true", help="only write the CMS's django.mo")
    args = parser.parse_args(argv)

    if args.command == "messages":
        from sitegen import messages

        return messages.main(check=args.check, compile_only=args.compile)

    if args.command == "cloudfront-function":
        return _cloudfront_function(args.output)

    if args.command == "algolia":
        return _algolia(args.content, args.output, full=args.full)

    if args.command == "deploy":
        from sitegen.deploy import deploy

        try:
            done = deploy(args.output, args.target, cloudfront=args.cloudfront, full=args.full)
        except SitegenError as exc:
            print(f"sitegen: deploy failed; the next deploy completes it.\n{exc}", file=sys.stderr)
            return 1
        print(json.dumps(dataclasses.asdict(done)) if args.json else done)
        return 0

    from sitegen.build import build

    started = time.perf_counter()
    try:
        report = build(
            args.content,
            args.output,
            site=args.site,
            today=args.today,
            verify=args.verify,
            posters=args.posters,
            search=args.search,
            leave_out_refused=args.leave_out_refused,
        )
    except SitegenError as exc:
        print(f"sitegen: build failed, nothing written.\n{exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.verbose:
        for path in report.written:
            print(f"wrote {path}")
        for path in report.deleted:
            print(f"deleted {path}")
        if report.timings:
            print("phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()))
    seconds = time.perf_counter() - started
    print(
        f"sitegen: {len(report.written)} written, {len(report.deleted)} deleted, "
        f"{len(report.unchanged)} unchanged, {len(report.rendered)} rendered in {seconds:.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
