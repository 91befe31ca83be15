#!/usr/bin/env python3
"""memcached-gke end-to-end tool: the memcached text protocol with Python's standard library only.

It runs inside the cluster (the sample app's python image: in the e2e toolbox and load-generator pods,
and piped into a sample-app pod with `python - <command>`), so the checks talk to memcached and mcrouter
from where applications do. Every conversation has socket timeouts and every loop a bound in count or
time: nothing here can hang.

  mctool.py [--tls-dir DIR] COMMAND ARGS...

Commands (each prints what it saw; exit 0 on success, 1 with a `FAIL:` line otherwise):

  setget HOST PORT KEY VALUE         the lab's telnet session: set KEY, get it back
  get HOST PORT KEY [EXPECTED]        one get; with EXPECTED, the value must be it
  proxies PORT DIGEST WAIT ADDR=NODE...   every proxy (pod IP ADDR on node NODE) reports the config
                                     DIGEST (`get __mcrouter__.config_md5_digest`) and its node
                                     (`get __mcrouter__.options(config_params)`), within WAIT seconds
  lab-python SERVICE PORT COUNT      the lab's Python snippet: resolve the headless Service, expect COUNT
                                     addresses, set and get through a client hashing over them
  app-check EXPOSURE PORT KEY VALUE  in a sample-app pod: the lab's client on MCROUTER_HOST/MCROUTER_PORT
                                     (and on NODE_NAME:PORT with the hostPort exposure); KEY must be VALUE
  shard-keys PROXY PORT SHARD SPORT PREFIX COUNT   sets COUNT keys through the proxy and prints those
                                     that landed on the shard, one a line
  write-through PROXY PORT SHARD SPORT KEY...      sets each KEY through the proxy; all must then be on
                                     the shard with the value just written
  loadgen [options]                  the bounded load generator (see `loadgen --help`)

--tls-dir DIR: the shards serve mutual TLS (memcached-gke:tls.enabled). Every conversation with a shard runs
over TLS with the client certificate in DIR (tls.crt, tls.key, ca.crt: the stack's tlsClientSecret, as the
toolbox mounts it), checking the shard's certificate against ca.crt and its name against the name dialled (the
headless Service's name for lab-python, which dials its addresses). A shard's conversations are every one of
setget, get and lab-python (given a shard), and the shard's side of shard-keys and write-through (their proxy's side
stays plain text); the proxies listen in plain text, so proxies, app-check and loadgen refuse the option. Without
it every conversation is plain text, as before.

Test seam (offline tests only; never set in a cluster): MCTOOL_ADDRESS_MAP="host:port=127.0.0.1:port,..."
redirects connections, MCTOOL_RESOLVE="name=ip,ip;..." answers name lookups.
"""
import argparse
import json
import os
import random
import socket
import ssl
import sys
import time
import zlib

TIMEOUT = 3.0


class McError(Exception):
    """An error reply (SERVER_ERROR, CLIENT_ERROR, ERROR), a closed connection or a timeout."""


def address(host, port):
    mapped = {}
    for entry in filter(None, os.environ.get("MCTOOL_ADDRESS_MAP", "").split(",")):
        src, dst = entry.split("=", 1)
        mapped[src] = dst
    dst = mapped.get("%s:%s" % (host, port))
    if dst:
        h, p = dst.rsplit(":", 1)
        return h, int(p)
    return host, int(port)


def resolve(name):
    for entry in filter(None, os.environ.get("MCTOOL_RESOLVE", "").split(";")):
        n, ips = entry.split("=", 1)
        if n == name:
            return ips.split(",")
    return socket.gethostbyname_ex(name)[2]


def tls_context(tls_dir):
    """The client side of the shards' mutual TLS: DIR's certificate presented, the shard's checked against DIR's CA."""
    context = ssl.create_default_context(cafile=os.path.join(tls_dir, "ca.crt"))
    context.load_cert_chain(os.path.join(tls_dir, "tls.crt"), os.path.join(tls_dir, "tls.key"))
    return context


class Conn:
    """One connection to a memcached-protocol server (memcached or mcrouter); over TLS with a context from
    tls_context, its certificate checked for server_name (the host dialled, unless given)."""

    def __init__(self, host, port, timeout=TIMEOUT, tls=None, server_name=None):
        self.where = "%s:%s" % (host, port)
        self.sock = socket.create_connection(address(host, port), timeout=timeout)
        if tls is not None:
            try:
                self.sock = tls.wrap_socket(self.sock, server_hostname=server_name or host)
            except OSError:
                self.sock.close()
                raise
            self.where += " (TLS)"
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise McError("connection closed by " + self.where)
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def _bytes(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise McError("connection closed by " + self.where)
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data.decode("utf-8", "replace")

    def send(self, text):
        self.sock.sendall(text.encode("utf-8"))

    def get_multi(self, keys):
        """{key: value} for the keys found; raises McError on an error reply."""
        self.send("get %s\r\n" % " ".join(keys))
        found = {}
        while True:
            line = self._line()
            if line == "END":
                return found
            parts = line.split()
            if parts and parts[0] == "VALUE" and len(parts) >= 4:
                found[parts[1]] = self._bytes(int(parts[3]))
                continue
            raise McError("get from %s: %s" % (self.where, line or "(empty reply)"))

    def get(self, key):
        return self.get_multi([key]).get(key)

    def set(self, key, value, ttl=0):
        data = value.encode("utf-8")
        self.send("set %s 0 %d %d\r\n%s\r\n" % (key, ttl, len(data), value))
        return self._line()

    def delete(self, key):
        self.send("delete %s\r\n" % key)
        return self._line()

    def close(self):
        try:
            self.send("quit\r\n")
        except OSError:
            pass
        self.sock.close()


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------- lab checks

def cmd_setget(host, port, key, value, tls=None):
    """The lab's telnet session, as a transcript."""
    c = Conn(host, port, tls=tls)
    size = len(value.encode("utf-8"))
    print("> set %s 0 0 %d" % (key, size))
    print("> " + value)
    reply = c.set(key, value)
    print("< " + reply)
    print("> get " + key)
    got = c.get(key)
    if got is not None:
        print("< VALUE %s 0 %d" % (key, len(got.encode("utf-8"))))
        print("< " + got)
    print("< END")
    c.close()
    if reply != "STORED":
        fail("set %s on %s:%s answered %r (expected STORED)" % (key, host, port, reply))
    if got != value:
        fail("get %s on %s:%s returned %r (expected %r)" % (key, host, port, got, value))
    print("OK: %s:%s stored and returned %s%s" % (host, port, key, " over mutual TLS" if tls else ""))


def cmd_get(host, port, key, expected=None, tls=None):
    c = Conn(host, port, tls=tls)
    got = c.get(key)
    c.close()
    print("get %s from %s:%s -> %r" % (key, host, port, got))
    if expected is not None and got != expected:
        fail("get %s from %s:%s returned %r (expected %r)" % (key, host, port, got, expected))


def param(params, name):
    for pair in (params or "").split(","):
        k, _, v = pair.partition(":")
        if k == name:
            return v
    return None


def cmd_proxies(port, digest, wait, entries):
    """Every proxy reports the digest and its own node, within `wait` seconds."""
    deadline = time.time() + float(wait)
    proxies = [e.split("=", 1) for e in entries]
    if not proxies:
        fail("no mcrouter pod given")
    while True:
        problems, lines = [], []
        for addr, node in proxies:
            try:
                c = Conn(addr, port)
                got = c.get("__mcrouter__.config_md5_digest")
                params = c.get("__mcrouter__.options(config_params)")
                c.close()
            except (OSError, McError) as e:
                problems.append("proxy %s:%s on node %s does not answer (%s)" % (addr, port, node, e))
                continue
            reported = param(params, "node_name")
            lines.append("proxy %s:%s node %s digest %s template %s"
                         % (addr, port, reported, got, param(params, "template")))
            if got != digest:
                problems.append("proxy %s:%s on node %s reports config digest %s (expected %s)"
                                % (addr, port, node, got, digest))
            elif reported != node:
                problems.append("proxy %s:%s runs on node %s but reports node_name %s"
                                % (addr, port, node, reported))
        if not problems:
            for line in lines:
                print(line)
            print("OK: %d proxies report config %s" % (len(proxies), digest))
            return
        if time.time() >= deadline:
            fail("%s (after %ss)" % (problems[0], wait))
        time.sleep(2)


class LabHashClient:
    """The part of pymemcache's HashClient the lab's snippet uses: one server per key by a stable hash; over TLS,
    each server's certificate checked for server_name."""

    def __init__(self, servers, tls=None, server_name=None):
        self.servers = sorted(servers)
        self.tls = tls
        self.server_name = server_name

    def server(self, key):
        return self.servers[zlib.crc32(key.encode("utf-8")) % len(self.servers)]

    def set(self, key, value):
        h, p = self.server(key)
        c = Conn(h, p, tls=self.tls, server_name=self.server_name)
        reply = c.set(key, value)
        c.close()
        return reply == "STORED"

    def get(self, key):
        h, p = self.server(key)
        c = Conn(h, p, tls=self.tls, server_name=self.server_name)
        got = c.get(key)
        c.close()
        return None if got is None else got.encode("utf-8")


def cmd_lab_python(service, port, count, tls=None):
    ips = resolve(service)
    print(">>> _, _, ips = socket.gethostbyname_ex(%r)" % service)
    print(">>> ips  # %s" % ips)
    if len(ips) != int(count):
        fail("%s resolves to %d addresses %s (expected one per memcached pod: %s)" % (service, len(ips), ips, count))
    # Over TLS the addresses are dialled, and the certificate is checked for the Service's name (the shards'
    # certificate names the Service and its pods, not their addresses).
    client = LabHashClient([(ip, int(port)) for ip in ips], tls, service)
    print(">>> client.set('mykey', 'hello')")
    if not client.set("mykey", "hello"):
        fail("the lab's client could not set mykey on %s:%s" % client.server("mykey"))
    got = client.get("mykey")
    print(">>> client.get('mykey')  # %r" % got)
    if got != b"hello":
        fail("the lab's client got %r for mykey (expected b'hello')" % got)
    print("OK: the headless Service lists %d pods and the lab's client sets and gets through them%s"
          % (len(ips), " over mutual TLS" if tls else ""))


def cmd_app_check(exposure, port, key, expected):
    node = os.environ.get("NODE_NAME")
    host = os.environ.get("MCROUTER_HOST")
    mport = os.environ.get("MCROUTER_PORT")
    if not node or not host or not mport:
        fail("the sample app pod lacks NODE_NAME, MCROUTER_HOST or MCROUTER_PORT (%r, %r, %r)" % (node, host, mport))
    ways = [("MCROUTER_HOST/MCROUTER_PORT", host, int(mport))]
    if exposure == "hostPort":
        ways.insert(0, ("NODE_NAME (the lab's way)", node, int(port)))
    for name, h, p in ways:
        c = Conn(h, p)
        print(">>> client = Client((%r, %d))  # %s" % (h, p, name))
        reply = c.set("some_key", "some_value")
        got = c.get("some_key")
        print(">>> client.get('some_key')  # %r" % got)
        if reply != "STORED" or got != "some_value":
            c.close()
            fail("through %s (%s:%d) set/get some_key gave %r / %r" % (name, h, p, reply, got))
        got = c.get(key)
        c.close()
        print(">>> client.get(%r)  # %r" % (key, got))
        if got != expected:
            fail("through %s (%s:%d) %s is %r (expected %r, set through the proxy)" % (name, h, p, key, got, expected))
    print("OK: the app pod on node %s reaches the proxy on its node (%s)" % (node, ", ".join(w[0] for w in ways)))


def cmd_shard_keys(proxy, port, shard, sport, prefix, count, tls=None):
    c = Conn(proxy, port)
    keys = ["%s-%d" % (prefix, i) for i in range(int(count))]
    for k in keys:
        reply = c.set(k, "probe", 600)
        if reply != "STORED":
            fail("set %s through %s:%s answered %r" % (k, proxy, port, reply))
    c.close()
    s = Conn(shard, sport, tls=tls)
    held = s.get_multi(keys)
    s.close()
    if not held:
        fail("none of %d keys set through %s:%s is on shard %s:%s" % (len(keys), proxy, port, shard, sport))
    for k in keys:
        if k in held:
            print(k)


def cmd_write_through(proxy, port, shard, sport, keys, tls=None):
    value = "w%d" % int(time.time() * 1000)
    c = Conn(proxy, port)
    for k in keys:
        reply = c.set(k, value, 600)
        if reply != "STORED":
            c.close()
            fail("set %s through %s:%s answered %r" % (k, proxy, port, reply))
    c.close()
    s = Conn(shard, sport, tls=tls)
    held = s.get_multi(keys)
    s.close()
    missing = [k for k in keys if held.get(k) != value]
    if missing:
        fail("%d of %d keys written through %s:%s are not on shard %s:%s" % (len(missing), len(keys), proxy, port, shard, sport))
    print("OK: %d keys written through %s:%s are on shard %s:%s" % (len(keys), proxy, port, shard, sport))


# ---------------------------------------------------------------------------------------------- load generator

class Tally:
    """What a single writer sees: every get is checked against the last value it wrote or deleted."""

    def __init__(self):
        self.c = dict(gets=0, live_gets=0, live_misses=0, stale=0, deleted_gets=0, resurrected=0,
                      sets=0, deletes=0, errors=0, uncertain_gets=0)

    def ratio(self):
        return self.c["live_misses"] / self.c["live_gets"] if self.c["live_gets"] else 0.0


def loadgen(argv):
    p = argparse.ArgumentParser(prog="mctool.py loadgen", description=(
        "Writes --keys keys through the proxy, prints 'loadgen: ready', then gets (80%%), sets (15%%) and deletes "
        "(5%%) them round-robin at --rate operations a second until --stop-file exists or --max-seconds pass, then "
        "reads every key once more; prints 'loadgen: RESULT {json}'. A get of a key whose last write was a set must "
        "return that value: a miss is a live miss, another value a stale read; a get of a deleted key must miss, "
        "a hit is a resurrected delete. Keys whose last write failed are left out until written again."))
    p.add_argument("--host", default=os.environ.get("MCROUTER_HOST"))
    p.add_argument("--port", type=int, default=int(os.environ.get("MCROUTER_PORT", "5000")))
    p.add_argument("--keys", type=int, default=2000)
    p.add_argument("--rate", type=float, default=200.0)
    p.add_argument("--max-seconds", type=float, default=1800.0)
    p.add_argument("--stop-file", default="/tmp/stop")
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--prefix", default="e2e-load")
    a = p.parse_args(argv)
    if not a.host:
        fail("loadgen: no --host and no MCROUTER_HOST")
    rnd = random.Random(a.seed)
    keys = ["%s-%05d" % (a.prefix, i) for i in range(a.keys)]
    model = {}          # key -> value last written, None when deleted, absent when unknown
    seq = [0]
    conn = [None]

    def connection():
        if conn[0] is None:
            conn[0] = Conn(a.host, a.port, timeout=2.0)
        return conn[0]

    def drop():
        if conn[0] is not None:
            try:
                conn[0].sock.close()
            except OSError:
                pass
        conn[0] = None

    def do_set(t, k):
        seq[0] += 1
        v = "v%d" % seq[0]
        t.c["sets"] += 1
        try:
            reply = connection().set(k, v)
        except (OSError, McError):
            drop()
            reply = "error"
        if reply == "STORED":
            model[k] = v
        else:
            t.c["errors"] += 1
            model.pop(k, None)

    def do_delete(t, k):
        t.c["deletes"] += 1
        try:
            reply = connection().delete(k)
        except (OSError, McError):
            drop()
            reply = "error"
        if reply in ("DELETED", "NOT_FOUND"):
            model[k] = None
        else:
            t.c["errors"] += 1
            model.pop(k, None)

    def do_get(t, k):
        t.c["gets"] += 1
        try:
            got = connection().get(k)
        except (OSError, McError):
            drop()
            t.c["errors"] += 1
            return
        if k not in model:
            t.c["uncertain_gets"] += 1
        elif model[k] is None:
            t.c["deleted_gets"] += 1
            if got is not None:
                t.c["resurrected"] += 1
        else:
            t.c["live_gets"] += 1
            if got is None:
                t.c["live_misses"] += 1
            elif got != model[k]:
                t.c["stale"] += 1

    fill = Tally()
    for k in keys:
        do_set(fill, k)
    if fill.c["errors"]:
        fail("loadgen: %d of %d initial sets through %s:%d failed" % (fill.c["errors"], len(keys), a.host, a.port))
    print("loadgen: ready: %d keys written through %s:%d" % (len(keys), a.host, a.port), flush=True)

    during = Tally()
    start = time.time()
    next_report = start + 10
    i = 0
    while not os.path.exists(a.stop_file) and time.time() - start < a.max_seconds:
        k = keys[i % len(keys)]
        i += 1
        r = rnd.random()
        if r < 0.80:
            do_get(during, k)
        elif r < 0.95:
            do_set(during, k)
        else:
            do_delete(during, k)
        behind = start + i / a.rate - time.time()
        if behind > 0:
            time.sleep(behind)
        if time.time() >= next_report:
            next_report += 10
            print("loadgen: t=%ds ops=%d live miss %.4f stale %d resurrected %d errors %d"
                  % (time.time() - start, i, during.ratio(), during.c["stale"], during.c["resurrected"],
                     during.c["errors"]), flush=True)
    stopped = "stop file" if os.path.exists(a.stop_file) else "max seconds"

    after = Tally()
    for k in keys:
        do_get(after, k)
    drop()
    result = {"seconds": round(time.time() - start, 1), "stopped_by": stopped, "keys": len(keys),
              "during": dict(during.c, live_miss_ratio=round(during.ratio(), 6)),
              "after": dict(after.c, live_miss_ratio=round(after.ratio(), 6))}
    print("loadgen: RESULT " + json.dumps(result, sort_keys=True), flush=True)


SHARD_COMMANDS = ("setget", "get", "lab-python", "shard-keys", "write-through")


def main(argv):
    tls_dir = None
    if argv and argv[0] == "--tls-dir" and len(argv) > 1:
        tls_dir, argv = argv[1], argv[2:]
    elif argv and argv[0].startswith("--tls-dir="):
        tls_dir, argv = argv[0][len("--tls-dir="):], argv[1:]
    if not argv or argv[0].startswith("--") or tls_dir == "":
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if tls_dir is not None and cmd not in SHARD_COMMANDS:
        print("mctool.py: --tls-dir is for the shards' conversations (%s); %s talks to proxies, which listen in "
              "plain text" % (", ".join(SHARD_COMMANDS), cmd), file=sys.stderr)
        return 2
    try:
        tls = tls_context(tls_dir) if tls_dir is not None else None
    except OSError as e:
        fail("%s: --tls-dir %s (tls.crt, tls.key, ca.crt): %s" % (cmd, tls_dir, e))
    try:
        if cmd == "setget" and len(args) == 4:
            cmd_setget(*args, tls=tls)
        elif cmd == "get" and len(args) in (3, 4):
            cmd_get(*args, tls=tls)
        elif cmd == "proxies" and len(args) >= 3:
            cmd_proxies(args[0], args[1], args[2], args[3:])
        elif cmd == "lab-python" and len(args) == 3:
            cmd_lab_python(*args, tls=tls)
        elif cmd == "app-check" and len(args) == 4:
            cmd_app_check(*args)
        elif cmd == "shard-keys" and len(args) == 6:
            cmd_shard_keys(*args, tls=tls)
        elif cmd == "write-through" and len(args) >= 5:
            cmd_write_through(args[0], args[1], args[2], args[3], args[4:], tls=tls)
        elif cmd == "loadgen":
            loadgen(args)
        else:
            print("mctool.py: unknown command or wrong arguments: %s" % " ".join(argv), file=sys.stderr)
            return 2
    except (OSError, McError) as e:
        fail("%s: %s" % (cmd, e))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
