"""Monitoring alerts through the real endpoint: alerts/s sustained, next to the targets (issue 16, part 3).

    .venv/bin/python bench/alerts.py                    # SQLite, then PostgreSQL (PG_URL below)
    .venv/bin/python bench/alerts.py --only sqlite      # one of them
    PG_URL=postgres://postgres@127.0.0.1:5432/ungcuu_alerts .venv/bin/python bench/alerts.py --only postgres

For each database: a fresh database (the PostgreSQL one of that name is DROPPED and created again), a
province seeded as the demo has it (units, their registered systems with public addresses and domains, the
specialised unit's SOC account with an API token), then gunicorn started exactly as `manage.py serve` does
on a free loopback port. Batches of BATCH alerts (JSON arrays; `--ndjson` for NDJSON) are made before the
clock starts, from a realistic mix: a few hundred detection rules, attackers drawn with a heavy tail, the
units' own servers as targets (their IPs and domains, so groups match systems), one to three observables
(attacker address, a URL on the target, sometimes a file hash); about REPEAT of the alerts repeat a dedup
key already seen. CLIENTS threads post them on kept-alive connections; the figure is accepted alerts /
wall-clock seconds, with the server, the database and the clients sharing this machine's cores. It then
checks that the groups' counters add up to the alerts accepted (nothing lost, nothing counted twice).
A script, not a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.concurrency import free_port, fresh_database, start_server  # noqa: E402

TARGETS = {"sqlite3": 5_000, "postgresql": 20_000}
RUN = f"bench-{time.time_ns()}"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/ungcuu_alerts")
UNITS, SYSTEMS_PER_UNIT = 40, 6
RULES = 300
SOURCES = ["wazuh", "suricata", "tt-giam-sat-quoc-gia", "fortigate", "elastic-siem"]


def seed() -> dict:
    """A province: UNITS units with their systems (addresses, domains), and the SOC's token."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connections

    from ungcuu.accounts.models import User
    from ungcuu.accounts.tokens import create_token
    from ungcuu.organizations.models import Kind, Membership, Organization
    from ungcuu.systems.models import InformationSystem

    call_command("migrate", verbosity=0)
    soc_unit = Organization.objects.create(code="SO-KHCN", name="Sở KH&CN", kind=Kind.SPECIALISED_UNIT)
    soc = User.objects.create_user("soc", email="soc@example.vn", platform_role="coordinator")
    Membership.objects.create(user=soc, organization=soc_unit, role="manager")
    units, targets = [], []
    for u in range(UNITS):
        unit = Organization.objects.create(code=f"DV-{u:03}", name=f"Đơn vị {u}", kind=Kind.OPERATOR)
        units.append(unit.pk)
        for s in range(SYSTEMS_PER_UNIT):
            ip, domain = f"203.0.{u}.{10 + s}", f"he-thong-{s}.don-vi-{u}.gov.vn"
            InformationSystem.objects.create(
                name=f"Hệ thống {s} của đơn vị {u}",
                owner=unit,
                operator=unit,
                security_level=1 + s % 4,
                public_ips=[ip],
                domains=[domain],
            )
            targets.append((unit.pk, ip, domain))
    token = create_token(actor=soc, name="bench")[1]
    connections.close_all()
    return {"token": token, "targets": targets}


def make_batches(targets: list, batches: int, size: int, repeat: float, seed: int = 16) -> list[list[dict]]:
    """Alerts as SIEMs send them; a new key with probability 1 - `repeat`, else one already sent."""
    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.UTC)
    attackers = [f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
                 for _ in range(5000)]  # fmt: skip
    hashes = [f"{rng.getrandbits(256):064x}" for _ in range(500)]
    seen: list[tuple] = []
    out = []
    for _b in range(batches):
        batch = []
        for _i in range(size):
            if seen and rng.random() < repeat:
                key = seen[
                    min(int(rng.paretovariate(1.2)) - 1, len(seen) - 1)
                    if rng.random() < 0.5
                    else rng.randrange(len(seen))
                ]
            else:
                target = rng.choice(targets)
                rule = int(rng.paretovariate(1.1)) % RULES
                key = (target, rule, rng.choice(attackers), rng.choice(SOURCES))
                seen.append(key)
            batch.append(_alert(rng, key, now, hashes))
        out.append(batch)
    return out


def _alert(rng: random.Random, key: tuple, now: datetime.datetime, hashes: list[str]) -> dict:
    (unit, ip, domain), rule, attacker, source = key
    observables = [{"type": "ip", "value": attacker}]
    if rng.random() < 0.6:
        observables.append(
            {"type": "url", "value": f"https://{domain}/wp-login.php?attempt={rng.randint(1, 99)}"}
        )
    if rng.random() < 0.15:
        observables.append({"type": "hash", "value": rng.choice(hashes)})
    return {
        "source": source,
        "dedup_key": f"rule-{rule}:{ip}:{attacker}",
        "severity": ("info", "low", "medium", "high", "critical")[min(rule % 7, 4)],
        "title": f"Quy tắc {rule}: dấu hiệu tấn công từ {attacker} vào {domain}",
        "message": f"Phát hiện {rng.randint(1, 500)} sự kiện lạ; nguồn {attacker}, đích {ip} ({domain})",
        "detected_at": (now - datetime.timedelta(seconds=rng.randint(0, 3600))).isoformat(),
        "host": ip if rng.random() < 0.7 else domain,
        "observables": observables,
        "organization": unit,
    }


def encode(batch: list[dict], ndjson: bool) -> bytes:
    if ndjson:
        return "\n".join(json.dumps(a, ensure_ascii=False) for a in batch).encode()
    return json.dumps(batch, ensure_ascii=False).encode()


def post_all(port: int, token: str, bodies: list[bytes], ndjson: bool, results: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    kind = "application/x-ndjson" if ndjson else "application/json"
    for n, body in enumerate(bodies):
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": kind,
            "Idempotency-Key": f"{RUN}-{len(body)}-{n}-{hash(body[:200])}",
        }
        started = time.perf_counter()
        conn.request("POST", "/api/v1/alerts/", body, headers)
        response = conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        results.append((response.status, answer.get("accepted", 0), time.perf_counter() - started))
    conn.close()


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """user + system CPU of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _server_pids(server_pid: int) -> list[int]:
    """gunicorn's master and workers, and the PostgreSQL backends serving the bench database."""
    pids = [server_pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids += [row[0] for row in cursor.fetchall()]
    return pids


def _cpu(pids: list[int]) -> dict[int, float]:
    return {pid: _cpu_seconds(pid) for pid in pids}


def run_one(args) -> int:
    """Seed, serve, post, check: one database (DATABASE_URL in the environment)."""
    workdir = Path(tempfile.mkdtemp(prefix="ungcuu-alerts-bench-"))
    if args.only == "postgres":
        os.environ["DATABASE_URL"] = (
            os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ["DATABASE_URL"] or PG_URL
        )
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        DATABASE_URL=fresh_database(workdir),
        DJANGO_SETTINGS_MODULE="ungcuu.settings",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY="bench-only-" + "x" * 40,
        TASKS_BACKEND="db",
    )
    seeded = seed()
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    batches = make_batches(seeded["targets"], args.batches, args.size, args.repeat)
    bodies = [encode(b, args.ndjson) for b in batches]
    distinct = len({(a["organization"], a["source"], a["dedup_key"]) for b in batches for a in b})
    megabytes = sum(map(len, bodies)) / 1e6
    port = free_port()
    server = start_server(port, workdir / "gunicorn.log")
    results: list = []
    try:
        # Warm-up, untimed: the first batch cut in pieces, posted at once so every gunicorn worker has served
        # a request (imports, URL resolver, translations, its database connection) before the clock starts.
        pieces = max(2, 2 * settings.WEB_WORKERS)
        warm = [encode(batches[0][i::pieces], args.ndjson) for i in range(pieces)]
        warmers = [
            threading.Thread(target=post_all, args=(port, seeded["token"], [w], args.ndjson, []))
            for w in warm
        ]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        shares = [bodies[1 + i :: args.clients] for i in range(args.clients)]
        threads = [
            threading.Thread(target=post_all, args=(port, seeded["token"], s, args.ndjson, results))
            for s in shares
        ]
        before, load_before = _cpu(_server_pids(server.pid)), os.getloadavg()[0]
        started, client_cpu = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        after = _cpu(_server_pids(server.pid))
        server_cpu = sum(after.values()) - sum(before.get(pid, 0.0) for pid in after)
    finally:
        server.terminate()
        server.wait(timeout=30)
    accepted = sum(r[1] for r in results)
    statuses = sorted({r[0] for r in results})
    rate = accepted / elapsed
    target = TARGETS[engine]
    latencies = sorted(r[2] for r in results)
    kind = "NDJSON" if args.ndjson else "JSON array"
    median, slowest = latencies[len(latencies) // 2] * 1000, latencies[-1] * 1000
    print(
        f"{engine}: {len(results)} batches x {args.size} alerts ({kind}, {megabytes:.0f} MB, "
        f"{distinct} distinct keys in all, repeat rate {args.repeat:.0%}), {args.clients} clients, "
        f"gunicorn {settings.WEB_WORKERS} workers x {settings.WEB_THREADS} threads"
    )
    print(
        f"  answers: {statuses}; {accepted} alerts accepted in {elapsed:.2f} s; "
        f"per batch median {median:.0f} ms, max {slowest:.0f} ms"
    )
    verdict = "meets" if rate >= target else "BELOW"
    print(f"  {rate:,.0f} alerts/s  (target {target:,}/s: {verdict})")
    # The machine is shared: the load average says how much of its two cores this run really had. The CPU
    # the server, its database processes and this client spent says what two idle cores would carry.
    cores = os.cpu_count() or 1
    capacity = accepted / ((server_cpu + client_cpu) / cores)
    print(
        f"  load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {cores} cores; CPU spent: "
        f"server+database {server_cpu:.1f} s, client {client_cpu:.1f} s -> {capacity:,.0f} alerts/s "
        f"if the {cores} cores were ours alone"
    )
    print(f"  stored: {check_stored(accepted + args.size)}")
    return 0 if rate >= target else 1


def check_stored(sent: int) -> str:
    from django.db.models import Sum

    from ungcuu.alerts.models import AlertGroup

    total = AlertGroup.objects.aggregate(n=Sum("count"))["n"] or 0
    groups = AlertGroup.objects.count()
    matched = AlertGroup.objects.filter(system__isnull=False).count()
    ok = "ok" if total == sent else f"MISMATCH: {sent} sent"
    return f"{groups} groups, counters sum to {total} ({ok}); {matched} matched to a registered system"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--batches", type=int, default=31, help="including one warm-up batch")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=float, default=0.8, help="share of alerts repeating a known key")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--ndjson", action="store_true")
    args = parser.parse_args()
    if args.only:
        return run_one(args)
    status = 0
    for only in ("sqlite", "postgres"):
        status |= subprocess.call([sys.executable, __file__, "--only", only, *sys.argv[1:]])
    return status


if __name__ == "__main__":
    sys.exit(main())
