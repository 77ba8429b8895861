#!/usr/bin/env python3
"""Generate src/commands/table.rs from a real redis-server 7.0.

Usage: tools/gen_command_table.py PORT

For every command named in tools/commands.txt this asks the server (on 127.0.0.1:PORT) for
COMMAND INFO and COMMAND DOCS and writes one declarative entry: name, arity, flags, key positions,
ACL categories, group, summary, since, complexity, a usage line for HELP, and the rest of the
server's own COMMAND INFO / COMMAND DOCS replies so that those commands answer byte for byte like
Redis. The output is data; the engine's handlers are joined to it by name.

The stored replies leave out what the entry already says: COMMAND INFO's first seven fields (name,
arity, flags, key positions, ACL categories) and COMMAND DOCS's first four pairs (summary, since,
group, complexity) are rebuilt from the entry at run time, so each is stored once. What is left
(tips, key specs, subcommands; doc flags, history, arguments, subcommands) is kept as one RESP
array per command, `info_tail` and `docs_tail`. The generator checks that the rebuilt part is
byte for byte what the server sent.
"""
import os
import socket
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.s.recv(65536)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            self.buf += self.s.recv(65536)
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read(self):
        """Returns (value, raw_bytes)."""
        line = self._line()
        t, rest = line[:1], line[1:]
        raw = line + b"\r\n"
        if t in (b"+", b"-"):
            return rest.decode(), raw
        if t == b":":
            return int(rest), raw
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None, raw
            data = self._exact(n + 2)
            return data[:-2].decode(), raw + data
        if t == b"*":
            n = int(rest)
            if n < 0:
                return None, raw
            items = []
            for _ in range(n):
                v, r = self.read()
                items.append(v)
                raw += r
            return items, raw
        raise ValueError("unexpected reply %r" % line)

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)
        return self.read()


def resp_items(raw):
    """Split the raw bytes of a RESP array reply into the raw bytes of each element."""
    # Re-parse with a tiny offline reader.
    pos = 0

    def skip(p):
        end = raw.index(b"\r\n", p)
        t, rest = raw[p:p + 1], raw[p + 1:end]
        p = end + 2
        if t == b"$":
            n = int(rest)
            return p + (n + 2 if n >= 0 else 0)
        if t == b"*":
            n = int(rest)
            for _ in range(max(n, 0)):
                p = skip(p)
            return p
        return p

    end = raw.index(b"\r\n")
    n = int(raw[1:end])
    pos = end + 2
    out = []
    for _ in range(n):
        nxt = skip(pos)
        out.append(raw[pos:nxt])
        pos = nxt
    return out


def bulk(s):
    b = s.encode()
    return b"$%d\r\n%s\r\n" % (len(b), b)


def array(items):
    return b"*%d\r\n" % len(items) + b"".join(items)


DOCS_HEAD = ("summary", "since", "group", "complexity")


def info_tail(info_raw, s):
    """COMMAND INFO's entry past the fields the table entry holds, checked against them."""
    items = resp_items(info_raw)
    head = [bulk(s["name"]), b":%d\r\n" % s["arity"],
            array([b"+%s\r\n" % f.encode() for f in s["flags"]]),
            b":%d\r\n" % s["first"], b":%d\r\n" % s["last"], b":%d\r\n" % s["step"],
            array([b"+%s\r\n" % a.encode() for a in s["acl"]])]
    if items[:7] != head:
        sys.exit("COMMAND INFO %s does not start with the fields of its entry" % s["name"])
    return array(items[7:])


def docs_tail(docs_raw, s):
    """COMMAND DOCS's value past summary, since, group and complexity, checked against them."""
    items = resp_items(docs_raw)
    head = [x for k in DOCS_HEAD for x in (bulk(k), bulk(s[k]))]
    if items[:8] != head:
        sys.exit("COMMAND DOCS %s does not start with %s" % (s["name"], ", ".join(DOCS_HEAD)))
    return array(items[8:])


def synopsis(args):
    """A usage line like redis-cli's help: key value [NX|XX] [GET] [EX seconds|PX milliseconds]."""
    def one(a):
        a = dict(zip(a[::2], a[1::2]))
        flags = a.get("flags", [])
        t = a["type"]
        if t == "pure-token":
            s = a["token"]
        elif t in ("oneof", "block"):
            inner = [one(x) for x in a.get("arguments", [])]
            s = ("|" if t == "oneof" else " ").join(inner)
            if "token" in a:
                s = a["token"] + " " + s
        else:
            s = a["name"]
            if "token" in a:
                s = a["token"] + " " + s
        if "multiple" in flags:
            s = s + " [" + s + " ...]"
        if "optional" in flags:
            s = "[" + s + "]"
        return s
    return " ".join(one(a) for a in args)


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def rust_bytes(b):
    out = []
    for c in b:
        if c == 0x22:
            out.append('\\"')
        elif c == 0x5C:
            out.append("\\\\")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x0D:
            out.append("\\r")
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return 'b"' + "".join(out) + '"'


def main():
    port = int(sys.argv[1])
    names = []
    for line in open(os.path.join(ROOT, "tools", "commands.txt")):
        line = line.split("#", 1)[0]
        names.extend(line.split())
    conn = Conn(port)
    specs = {}
    for full in names:
        parent, _, sub = full.partition("|")
        info, info_raw = conn.call("COMMAND", "INFO", full)
        if not info or info[0] is None:
            sys.exit("redis does not know %s" % full)
        info_raw = resp_items(info_raw)[0]
        docs, docs_raw = conn.call("COMMAND", "DOCS", full)
        if not docs:
            sys.exit("no docs for %s" % full)
        docs_items = resp_items(docs_raw)
        name, arity, flags, first, last, step, acl = info[0][:7]
        d = dict(zip(docs[1][::2], docs[1][1::2]))
        specs[full] = dict(
            name=name, parent=parent if sub else None, arity=arity, flags=flags,
            first=first, last=last, step=step, acl=acl, group=d.get("group", ""),
            summary=d.get("summary", ""), since=d.get("since", ""),
            complexity=d.get("complexity", ""), usage=synopsis(d.get("arguments", [])),
        )
        specs[full]["info"] = info_tail(info_raw, specs[full])
        specs[full]["docs"] = docs_tail(docs_items[1], specs[full])
    out = []
    out.append("// @generated by tools/gen_command_table.py from redis-server %s's COMMAND INFO and\n"
               "// COMMAND DOCS for the commands listed in tools/commands.txt. Do not edit by hand.\n"
               % conn.call("INFO", "server")[0].split("redis_version:")[1].split("\r\n")[0])
    out.append("use super::CommandSpec;\n")

    def entry(s, subs):
        return (
            "CommandSpec {\n"
            "    name: %s,\n    arity: %d,\n    flags: &[%s],\n    first_key: %d,\n    last_key: %d,\n"
            "    key_step: %d,\n    acl_categories: &[%s],\n    group: %s,\n    summary: %s,\n"
            "    since: %s,\n    complexity: %s,\n    usage: %s,\n    subcommands: %s,\n"
            "    info_tail: %s,\n    docs_tail: %s,\n}"
        ) % (
            rust_str(s["name"]), s["arity"], ", ".join(rust_str(f) for f in s["flags"]),
            s["first"], s["last"], s["step"], ", ".join(rust_str(a) for a in s["acl"]),
            rust_str(s["group"]), rust_str(s["summary"]), rust_str(s["since"]),
            rust_str(s["complexity"]), rust_str(s["usage"]), subs,
            rust_bytes(s["info"]), rust_bytes(s["docs"]),
        )

    tops = [n for n in names if "|" not in n]
    for n in tops:
        subs = [m for m in names if m.startswith(n + "|")]
        if subs:
            out.append("static %s_SUBCOMMANDS: &[CommandSpec] = &[\n%s\n];\n" % (
                n.upper(), ",\n".join(entry(specs[m], "&[]") for m in subs)))
    out.append("/// Every command the engine knows, sorted by name.\n"
               "pub static COMMANDS: &[CommandSpec] = &[\n")
    for n in sorted(tops):
        subs = [m for m in names if m.startswith(n + "|")]
        out.append(entry(specs[n], "%s_SUBCOMMANDS" % n.upper() if subs else "&[]") + ",\n")
    out.append("];\n")
    path = os.path.join(ROOT, "src", "commands", "table.rs")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out))
    print("wrote %s: %d commands, %d subcommands" % (path, len(tops), len(names) - len(tops)))


if __name__ == "__main__":
    main()
