"""Builds the ssl contexts of a Python fixture in the real interpreter and prints what it made.

The fixture code runs with nothing but the `ssl` module in its namespace: every other name
(requests, socket, urllib, ...) is missing, so a network call or another library can never run;
a statement or function that needs one fails with NameError and is skipped. The harness itself
uses only the standard library's `ast`, `json` and `sys` to read the file and print the result.

What runs:
- every top-level `def` without required parameters (not async), when it returns an SSLContext;
- every top-level assignment/expression statement, one at a time, in order; an SSLContext that
  appears under a new name is recorded with the line of the statement that made it.
File-loading calls (load_cert_chain, load_verify_locations, load_default_certs) are recorded
without touching files, so fixtures need no certificates.

Output: one JSON object on stdout:
{"python": "3.11", "openssl": "3.0.19", "contexts": [{"where": "function"|"module", "name",
 "line", "endLine", "verify_mode", "check_hostname", "minimum_version", "maximum_version",
 "options", "protocol", "protocols": [...], "ciphers": [...]}], "skipped": [...]}
"""
import ast
import json
import sys

import ssl


def _no_files(self, *args, **kwargs):
    return None


# The file loaders are recorded as called and need no files (create_default_context() calls
# load_default_certs too). Everything else is the interpreter's own code.
ssl.SSLContext.load_cert_chain = _no_files
ssl.SSLContext.load_verify_locations = _no_files
ssl.SSLContext.load_default_certs = _no_files

_VERSIONS = [
    ("TLSv1", "TLSv1.0", "OP_NO_TLSv1"),
    ("TLSv1_1", "TLSv1.1", "OP_NO_TLSv1_1"),
    ("TLSv1_2", "TLSv1.2", "OP_NO_TLSv1_2"),
    ("TLSv1_3", "TLSv1.3", "OP_NO_TLSv1_3"),
]
_PINNED = {
    "PROTOCOL_TLSv1": "TLSv1.0",
    "PROTOCOL_TLSv1_1": "TLSv1.1",
    "PROTOCOL_TLSv1_2": "TLSv1.2",
}


def _protocols(ctx):
    """The versions the context may negotiate: its range minus the OP_NO_* flags."""
    options = int(ctx.options)
    pinned = _PINNED.get(ctx.protocol.name)
    if pinned:
        flag = dict((canonical, op) for _, canonical, op in _VERSIONS)[pinned]
        return [] if options & int(getattr(ssl, flag)) else [pinned]
    names = [member for member, _, _ in _VERSIONS]
    lo = ctx.minimum_version
    hi = ctx.maximum_version
    lo_index = 0 if lo == ssl.TLSVersion.MINIMUM_SUPPORTED else max(0, names.index(lo.name)) if lo.name in names else 0
    hi_index = len(names) - 1 if hi == ssl.TLSVersion.MAXIMUM_SUPPORTED else names.index(hi.name)
    if not ssl.HAS_TLSv1_3:
        hi_index = min(hi_index, 2)
    out = []
    for i, (_, canonical, op) in enumerate(_VERSIONS):
        if lo_index <= i <= hi_index and not options & int(getattr(ssl, op)):
            out.append(canonical)
    return out


def _describe(ctx, where, name, line, end_line):
    return {
        "where": where,
        "name": name,
        "line": line,
        "endLine": end_line,
        "protocol": ctx.protocol.name,
        "verify_mode": ctx.verify_mode.name,
        "check_hostname": ctx.check_hostname,
        "minimum_version": ctx.minimum_version.name,
        "maximum_version": ctx.maximum_version.name,
        "options": int(ctx.options),
        "protocols": _protocols(ctx),
        "ciphers": [c["name"] for c in ctx.get_ciphers()],
    }


def _run(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tree = ast.parse(source, path)
    contexts = []
    skipped = []
    namespace = {"ssl": ssl, "__name__": "fixture"}
    seen = set()
    made = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            # Only `import ssl` / `from ssl import ...` (with aliases) are honoured.
            names = node.names
            if isinstance(node, ast.Import):
                for alias in names:
                    if alias.name == "ssl":
                        namespace[alias.asname or "ssl"] = ssl
            elif node.module == "ssl":
                for alias in names:
                    if hasattr(ssl, alias.name):
                        namespace[alias.asname or alias.name] = getattr(ssl, alias.name)
            continue
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            module = ast.Module(body=[node], type_ignores=[])
            try:
                exec(compile(module, path, "exec"), namespace)
            except Exception as e:  # a class whose base is another library
                skipped.append({"line": node.lineno, "reason": "%s: %s" % (type(e).__name__, e)})
            continue
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)):
            module = ast.Module(body=[node], type_ignores=[])
            try:
                exec(compile(module, path, "exec"), namespace)
            except Exception as e:  # a name other than ssl, or a refused setting
                skipped.append({"line": node.lineno, "reason": "%s: %s" % (type(e).__name__, e)})
                continue
            for key, value in list(namespace.items()):
                if isinstance(value, ssl.SSLContext) and id(value) not in seen:
                    seen.add(id(value))
                    made.append((value, key, node.lineno, node.end_lineno))
    # Described once the whole module ran: later statements configure them.
    for value, key, line, end_line in made:
        contexts.append(_describe(value, "module", key, line, end_line))
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        args = node.args
        required = len(args.args) - len(args.defaults) + len([d for d in args.kw_defaults if d is None])
        if required > 0:
            skipped.append({"line": node.lineno, "reason": "%s() takes parameters" % node.name})
            continue
        try:
            value = namespace[node.name]()
        except Exception as e:
            skipped.append({"line": node.lineno, "reason": "%s(): %s: %s" % (node.name, type(e).__name__, e)})
            continue
        if isinstance(value, ssl.SSLContext):
            contexts.append(_describe(value, "function", node.name, node.lineno, node.end_lineno))
    return {
        "python": "%d.%d" % sys.version_info[:2],
        "openssl": "%d.%d" % ssl.OPENSSL_VERSION_INFO[:2],
        "contexts": contexts,
        "skipped": skipped,
    }


if __name__ == "__main__":
    print(json.dumps([dict(_run(p), file=p) for p in sys.argv[1:]]))
