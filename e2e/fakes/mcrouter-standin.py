#!/usr/bin/env python3
"""A stand-in for one mcrouter proxy pod, for the real-engine run of scripts/lab-checks.sh and scripts/e2e.sh
(io.memcachedgke.engine.OperatorScriptsIT). Why a stand-in: kwok's pods run no container, and mcrouter is in no
registry this machine reaches, so nothing real can answer on a proxy's port. Everything else in that run is real:
the Pulumi CLI, kubectl, the API server and its objects, and the memcached processes the keys land on.

  mcrouter-standin.py <listen port> <memcached port> <config digest> <node name>

Listens on 127.0.0.1:<listen port>. Answers what mcrouter answers itself (mcrouter/ProxyRequestContext and the
`__mcrouter__.` admin keys, mcrouter/routes/ProxyRoute.h):
  get __mcrouter__.config_md5_digest          the digest of the config this proxy runs
  get __mcrouter__.options(config_params)     node_name:<node>, as --config-params sets it on the DaemonSet
and relays every other command line (and its data block) to the memcached on 127.0.0.1:<memcached port>, as a
proxy whose pool has one server would.
"""
import socket
import sys
import threading


def reply_value(key, value):
    data = value.encode()
    return b"VALUE %s 0 %d\r\n%s\r\nEND\r\n" % (key.encode(), len(data), data)


def serve(client, upstream_port, admin):
    upstream = socket.create_connection(("127.0.0.1", upstream_port))
    up = upstream.makefile("rb")
    down = client.makefile("rb")
    try:
        while True:
            line = down.readline()
            if not line:
                return
            words = line.decode(errors="replace").split()
            if len(words) == 2 and words[0] == "get" and words[1] in admin:
                client.sendall(reply_value(words[1], admin[words[1]]))
                continue
            if words and words[0] == "quit":
                return
            payload = line
            if words and words[0] in ("set", "add", "replace", "append", "prepend", "cas") and len(words) >= 5:
                payload += down.read(int(words[4]) + 2)
            upstream.sendall(payload)
            # A reply ends with a status line; a get's with END, after any VALUE blocks.
            while True:
                answer = up.readline()
                if not answer:
                    return
                client.sendall(answer)
                text = answer.decode(errors="replace")
                if text.startswith("VALUE "):
                    client.sendall(up.read(int(text.split()[3]) + 2))
                    continue
                if words and words[0] in ("get", "gets") and text.strip() != "END":
                    continue
                break
    finally:
        upstream.close()
        client.close()


def main():
    port, upstream_port, digest, node = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    admin = {
        "__mcrouter__.config_md5_digest": digest,
        "__mcrouter__.options(config_params)": "node_name:%s" % node,
    }
    server = socket.create_server(("127.0.0.1", port))
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, upstream_port, admin), daemon=True).start()


if __name__ == "__main__":
    main()
