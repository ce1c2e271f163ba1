#!/usr/bin/python3
"""Prints airproxd's encounter events as they happen (Encounters.Subscribe), one line each.

Uses Debian's python3-grpcio and python3-protobuf (scripts/setup.sh --test installs them) and the
modules CMake generates from proto/airprox/v1/airprox.proto into build/python (target
airprox_python). The shebang names /usr/bin/python3 on purpose: another python3 on PATH (pyenv, a
virtualenv) does not see Debian's packages.

Exit codes: 0 the stream ended normally (server shutdown), --count events were printed, or
--timeout passed without --count; 1 an error, or --count not reached; 2 bad arguments; 130 Ctrl-C
(SIGINT), 143 SIGTERM.
"""

import argparse
import datetime
import json
import os
import signal
import sys

PROG = "airprox_subscribe"
SEVERITIES = ("ADVISORY", "WARNING", "ALERT")


def default_python_dir():
    """AIRPROX_PYTHON_DIR, else the build folder beside this script's checkout."""
    env = os.environ.get("AIRPROX_PYTHON_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(here), "build", "python")


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Subscribe to airproxd's encounter events and print one line per event.")
    p.add_argument("--server", default="127.0.0.1:50051", metavar="HOST:PORT",
                   help="airproxd address (default %(default)s)")
    p.add_argument("--connect-timeout", type=float, default=5.0, metavar="S",
                   help="seconds to wait for the connection (default %(default)s)")
    p.add_argument("--min-severity", type=str.upper, choices=SEVERITIES,
                   help="only encounters reaching at least this severity")
    p.add_argument("--rule", action="append", default=[], metavar="NAME",
                   help="only events of this rule (repeatable), e.g. nmac")
    p.add_argument("--track", action="append", default=[], metavar="ID",
                   help="only encounters involving this track id (repeatable)")
    p.add_argument("--callsign", action="append", default=[], metavar="GLOB",
                   help="only encounters where a callsign matches this glob (repeatable), e.g. 'SWR*'")
    p.add_argument("--snapshot", action="store_true",
                   help="first the active encounters (marked snapshot), then live events")
    p.add_argument("--from-seq", type=int, default=0, metavar="N",
                   help="resume after sequence N from the server's history (0: live only)")
    p.add_argument("--count", type=int, metavar="N",
                   help="exit after N events (heartbeats do not count)")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="end the subscription after S seconds")
    p.add_argument("--json", action="store_true",
                   help="one protobuf JSON object per line, heartbeats included")
    p.add_argument("--token-file", metavar="FILE",
                   help="file holding the bearer token sent with the call (default: $AIRPROX_TOKEN)")
    p.add_argument("--tls-ca", metavar="FILE",
                   help="connect over TLS, trusting server certificates of this CA (PEM)")
    p.add_argument("--python-dir", default=default_python_dir(), metavar="DIR",
                   help="folder of the generated airprox/v1/*_pb2*.py modules "
                        "(default: $AIRPROX_PYTHON_DIR or build/python; now %(default)s)")
    args = p.parse_args(argv)
    if args.from_seq < 0:
        p.error("--from-seq must be >= 0")
    if args.count is not None and args.count < 1:
        p.error("--count must be >= 1")
    for name in ("timeout", "connect_timeout"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            p.error("--%s must be > 0" % name.replace("_", "-"))
    return args


def load_modules(python_dir):
    """Imports grpc, json_format and the generated modules, or exits with a one-line reason."""
    try:
        import grpc
        from google.protobuf import json_format
    except ImportError as e:
        sys.exit("%s: %s: needs Debian's python3-grpcio and python3-protobuf run by "
                 "/usr/bin/python3 (scripts/setup.sh --test installs them)" % (PROG, e))
    if not os.path.isfile(os.path.join(python_dir, "airprox", "v1", "airprox_pb2_grpc.py")):
        sys.exit("%s: no generated modules in %s: build them (cmake --build build --target "
                 "airprox_python) or give --python-dir / AIRPROX_PYTHON_DIR" % (PROG, python_dir))
    sys.path.insert(0, python_dir)
    try:
        from airprox.v1 import airprox_pb2, airprox_pb2_grpc
    except ImportError as e:
        sys.exit("%s: cannot import the generated modules from %s: %s" % (PROG, python_dir, e))
    return grpc, json_format, airprox_pb2, airprox_pb2_grpc


def build_request(args, pb):
    request = pb.SubscribeRequest(
        snapshot=args.snapshot,
        from_sequence=args.from_seq,
        rules=args.rule,
        track_ids=args.track,
        callsign_patterns=args.callsign)
    if args.min_severity:
        request.min_severity = pb.Severity.Value(args.min_severity)
    return request


def utc(ts):
    t = datetime.datetime.fromtimestamp(ts.seconds, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def aircraft(position):
    return "%s/%s" % (position.track_id, position.callsign or "-")


def event_line(event, pb):
    """One line of text per event (not heartbeats), in the layout of `airprox subscribe`, with
    `snapshot` at the end of the events of a --snapshot."""
    kinds = pb.EncounterEvent.Kind
    if event.kind == kinds.Value("GAP"):
        return "GAP     events %d to %d are no longer held by the server and were missed" % (
            event.gap_first_sequence, event.gap_last_sequence)
    kind = kinds.Name(event.kind)
    fields = [
        utc(event.time), "%-7s" % kind, "%-8s" % pb.Severity.Name(event.severity),
        "%-18s" % event.rule, "%s <> %s " % (aircraft(event.a), aircraft(event.b)),
        "h=%.2fNM v=%.0fft " % (event.horizontal_nm, event.vertical_ft),
        "cpa=%.2fNM/%.0fft in %.0fs " % (
            event.cpa_horizontal_nm, event.cpa_vertical_ft, event.time_to_cpa_s),
        "closest=%.3fNM/%.0fft " % (event.closest.horizontal_nm, event.closest.vertical_ft),
        "id=%s" % event.encounter_id, "seq=%d" % event.sequence,
    ]
    if kind == "ENDED":
        fields.append("reason=" + event.end_reason)
    if event.snapshot:
        fields.append("snapshot")
    return " ".join(fields)


class Stopped(Exception):
    """SIGTERM: leave the event loop like Ctrl-C does."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def stop_on_signal(signum, _frame):
    raise Stopped(signum)


def main(argv):
    args = parse_args(argv)
    grpc, json_format, pb, pb_grpc = load_modules(args.python_dir)
    request = build_request(args, pb)
    heartbeat = pb.EncounterEvent.Kind.Value("HEARTBEAT")

    token = os.environ.get("AIRPROX_TOKEN", "")
    if args.token_file:
        with open(args.token_file) as f:
            token = f.read().strip()
    metadata = [("authorization", "Bearer " + token)] if token else None
    if args.tls_ca:
        with open(args.tls_ca, "rb") as f:
            channel = grpc.secure_channel(args.server, grpc.ssl_channel_credentials(root_certificates=f.read()))
    else:
        channel = grpc.insecure_channel(args.server)
    try:
        grpc.channel_ready_future(channel).result(timeout=args.connect_timeout)
    except grpc.FutureTimeoutError:
        print("%s: cannot connect to %s within %gs" % (PROG, args.server, args.connect_timeout),
              file=sys.stderr)
        return 1
    call = pb_grpc.EncountersStub(channel).Subscribe(request, timeout=args.timeout, metadata=metadata)
    signal.signal(signal.SIGTERM, stop_on_signal)
    printed = 0
    try:
        for event in call:
            if event.kind == heartbeat and not args.json:
                continue
            if args.json:  # compact, like `airprox subscribe --json`
                print(json.dumps(json_format.MessageToDict(event), separators=(",", ":")), flush=True)
            else:
                print(event_line(event, pb), flush=True)
            if event.kind != heartbeat:
                printed += 1
                if args.count is not None and printed >= args.count:
                    return 0
    except Stopped as e:
        return 128 + e.signum
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except BrokenPipeError:  # e.g. piped into head: no traceback when stdout is flushed at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except grpc.RpcError as e:
        if e.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
            if args.count is None:
                return 0  # --timeout without --count: the time asked for is up
            print("%s: %d of %d events within %gs" % (PROG, printed, args.count, args.timeout),
                  file=sys.stderr)
        else:
            print("%s: stream ended: %s: %s" % (PROG, e.code().name, e.details()), file=sys.stderr)
        return 1
    finally:
        call.cancel()
        channel.close()
    if args.count is not None:
        print("%s: the server ended the stream after %d of %d events" % (PROG, printed, args.count),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
