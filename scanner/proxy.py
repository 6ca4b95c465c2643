"""``appaudit proxy``: mitmproxy with the appaudit addon, run in this process.

QA puts a test phone or browser behind it and uses the app; findings appear as the flows
complete. On exit (Ctrl-C, SIGTERM) the capture (``-w``) and the report (``-o``) are
written and the exit code gates like ``appaudit scan``.
"""
from __future__ import annotations

import asyncio
import logging
import shlex
import signal
from pathlib import Path

import click
from mitmproxy import ctx, exceptions
from mitmproxy.options import Options
from mitmproxy.tools.dump import DumpMaster

from appaudit.reports import writers
from appaudit.scanner.addon import AppAudit, format_for_path
from appaudit.scanner.loading import sha256_of
from appaudit.scanner.output import FAIL_ON_CHOICES, UsageProblem, exit_code, parse_fail_on, write_reports
from appaudit.scanner.report_document import build_report


@click.command("proxy")
@click.option("--listen-host", default="",
              help="Address to listen on; default: every interface, so a phone on the same network can connect.")
@click.option("--listen-port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--mode", "modes", multiple=True,
              help="mitmproxy proxy mode, repeatable: regular (default), upstream:URL, reverse:URL, socks5, "
                   "transparent, wireguard, …")
@click.option("-w", "--save", type=click.Path(dir_okay=False),
              help="Save the captured flows to this mitmproxy flow file (`appaudit scan` reads it).")
@click.option("-o", "--output", type=click.Path(),
              help="Write the report here on exit: a file for one format, a folder for several.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(writers())),
              help="Report format, repeatable; default: the one -o's extension names, else text.")
@click.option("-p", "--profile", "profile_name", default="default", show_default=True,
              help="Built-in profile name or a profile YAML file.")
@click.option("-a", "--app", "app_path", type=click.Path(),
              help="App description YAML (first party, declared third parties, consent, canaries, brands).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES, case_sensitive=False), default="low", show_default=True,
              help="Exit 1 when a finding at or above this severity exists; 'never' to exit 0 on findings.")
@click.option("--reveal", is_flag=True,
              help="Show personal values unmasked in the live lines and the report (masked by default).")
@click.option("--set", "mitmproxy_options", multiple=True, metavar="OPTION=VALUE",
              help="Any other mitmproxy option, as with mitmdump --set (confdir=DIR, ssl_insecure=true, …); repeatable.")
def proxy_command(listen_host, listen_port, modes, save, output, formats, profile_name, app_path, fail_on, reveal,
                  mitmproxy_options):
    """Run an intercepting proxy that audits the traffic passing through it.

    Point a test phone or browser at it and use the app: findings are printed as they
    happen. On exit (Ctrl-C) the capture (-w) and the report (-o) are written. Exit code:
    0 no finding at or above --fail-on, 1 such findings, 2 usage error or the proxy
    could not start."""
    inferred = format_for_path(output) if output and not formats else None
    formats = list(dict.fromkeys(formats or (inferred or "text",)))
    if len(formats) > 1 and output is None:
        raise UsageProblem("several formats need -o FOLDER")
    threshold = parse_fail_on(fail_on)
    options = {
        "listen_host": listen_host, "listen_port": listen_port, "mode": list(modes or ["regular"]),
        "save_stream_file": save, "appaudit_profile": profile_name, "appaudit_app": app_path,
        "appaudit_reveal": reveal,
    }
    addon = AppAudit()
    try:
        asyncio.run(_serve(addon, options, mitmproxy_options))
    except exceptions.OptionsError as e:
        raise UsageProblem(str(e).split("\n")) from None
    except SystemExit:  # mitmproxy exits when it cannot start (port in use, …)
        if not addon.closed:
            raise UsageProblem("the proxy could not start (see the messages above)") from None

    result = addon.result()
    for input in result.inputs:  # the live input is named after the capture, now complete
        if save and Path(input.path).is_file():
            input.sha256 = sha256_of(input.path)
    report = build_report(result, reveal=reveal, started=addon.started, finished=addon.finished,
                          command_line=shlex.join(["appaudit", *click.get_current_context().meta["appaudit.arguments"]]))
    write_reports(report, formats, output)
    raise SystemExit(exit_code(report, threshold))


async def _serve(addon: AppAudit, options: dict, mitmproxy_options: tuple[str, ...]) -> None:
    """Run mitmproxy until a signal asks it to stop; its done hooks write the capture
    and finish the checks."""
    logging.getLogger().setLevel(logging.INFO)
    # Connection chatter would drown the findings; its warnings (a device that does not
    # trust the CA, an unreachable server) still show.
    logging.getLogger("mitmproxy.proxy.server").setLevel(logging.WARNING)
    master = DumpMaster(Options(), with_termlog=True, with_dumper=False)
    master.addons.add(addon, _Instructions())
    master.options.update(**options)
    if mitmproxy_options:
        master.options.set(*mitmproxy_options)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, master.shutdown)
    try:
        await master.run()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


class _Instructions:
    """Once the proxy listens, tell the user how to put a device behind it."""

    def running(self) -> None:
        servers = list(ctx.master.addons.get("proxyserver").servers)
        lines = [f"appaudit proxy: {server.mode.description} at "
                 f"{', '.join(_address(a) for a in server.listen_addrs) or '(not listening)'}" for server in servers]
        confdir = Path(ctx.options.confdir).expanduser()
        if all(server.mode.type_name == "regular" for server in servers):
            lines += ["  1. Set the test device's (or browser's) HTTP proxy to this computer's IP address and the port above",
                      "     (phone: Wi-Fi settings > the network > proxy > manual)."]
        else:
            lines.append("  1. Route the test device's traffic to the proxy as its mode requires "
                         "(see mitmproxy's documentation).")
        lines += [
            "  2. On the device, open http://mitm.it and install the mitmproxy CA certificate for its platform",
            "     (iOS: then enable full trust in Settings > General > About > Certificate Trust Settings;",
            "     Android 7+: apps trust user CAs only if their network security config allows it).",
            f"     The CA files are also in {confdir} (mitmproxy-ca-cert.pem, .cer, .p12).",
            "  3. Use the app: findings are printed as they happen. Ctrl-C stops and writes the report.",
        ]
        click.echo("\n".join(lines), err=True)


def _address(address: tuple) -> str:
    host, port = address[0], address[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
