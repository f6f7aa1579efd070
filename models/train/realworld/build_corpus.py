#!/usr/bin/python3
"""Build the real-world human-code corpus (issue 19) from Debian 12 source packages.

Stdlib only. Steps: add a bookworm deb-src entry (if missing) and `apt-get update`;
`apt-get source --download-only PKG` into models/train/work/realworld/src/PKG; read the
main orig tarball in memory (component tarballs are other projects and are skipped);
keep source files of the package's language under the selection rules in README.md;
write models/train/work/realworld/{train,measure}.jsonl and the committed manifest.

The code itself is never committed: only this script and manifest.json.

Usage:
  build_corpus.py survey [--langs L,...]     # fetch candidates, print dates and eligible counts
  build_corpus.py build [--sets train,measure] [--langs L,...] [--no-fetch]
"""
import argparse
import datetime as dt
import email.utils
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WORK = os.path.join(REPO, "models", "train", "work", "realworld")
SRC = os.path.join(WORK, "src")
MANIFEST = os.path.join(HERE, "manifest.json")

CUTOFF = dt.datetime(2022, 11, 1, tzinfo=dt.timezone.utc)  # before LLM coding assistants
MIN_BYTES, MAX_BYTES = 200, 100_000
CAP_PER_PROJECT = 150

# Issue 19: reserved for independent evaluation. NEVER download, train or tune on these,
# nor on the same projects under another name. Checked before any apt-get call.
RESERVED = frozenset("""
abseil bc commons-io flask fmtlib golang-github-gin-gonic-gin golang-github-labstack-echo
golang-github-spf13-cobra golang-github-spf13-pflag golang-github-urfave-cli golang-logrus
golang-testify guava-libraries jinja2 jq jquery jsoup junit4 leveldb libcommons-lang3-java
libjoda-time-java libuv1 lua5.4 lz4 nginx ninja-build node-change-case node-commander
node-esprima node-express node-got node-handlebars node-js-sdsl node-lodash node-moment node-q
node-sinclair-typebox node-typescript node-yargs ply pyserial python-click python-werkzeug re2
requests rust-bat rust-exa rust-hashbrown rust-itertools rust-rand rust-ripgrep rust-serde-json
snappy tmux yaml-cpp
""".split())
# Project names behind the reserved packages: a candidate whose project key equals one of
# these, or extends one of the longer ones as a prefix (e.g. rust-rand-core, moment-timezone), is refused.
RESERVED_PROJECTS = frozenset("""
abseil bc commons-io flask fmt fmtlib gin echo cobra pflag urfave-cli logrus testify guava
jinja2 jinja jq jquery jsoup junit junit4 junit5 leveldb commons-lang commons-lang3 joda-time
libuv lua lz4 nginx ninja change-case commander esprima express got handlebars js-sdsl
lodash moment q sinclair-typebox typebox typescript yargs ply pyserial click werkzeug re2
requests bat exa hashbrown itertools rand ripgrep serde-json snappy tmux yaml-cpp
grep-cli globset ignore termcolor grep-searcher grep-regex grep-matcher grep-printer
""".split())


def project_key(pkg):
    k = pkg.lower()
    for pre in ("golang-github-", "golang-gopkg-", "golang-", "python-", "python3-", "node-",
                "rust-", "lib"):
        if k.startswith(pre):
            k = k[len(pre):]
            break
    k = re.sub(r"-java$", "", k)
    k = re.sub(r"(\.js|js)$", "", k) if k not in ("jq",) else k
    k = re.sub(r"[0-9.]+$", "", k)
    if k.startswith("golang") or "-" in k and pkg.startswith("golang-github-"):
        k = k.split("-", 1)[-1]  # drop the GitHub owner
    return k


def assert_not_reserved(pkg):
    k = project_key(pkg)
    hit = pkg in RESERVED or k in RESERVED_PROJECTS or any(
        len(r) >= 4 and k.startswith(r + "-") for r in RESERVED_PROJECTS)
    if hit:
        raise SystemExit(f"REFUSED: {pkg} (project '{k}') is reserved for independent evaluation")


# Candidates per language: {lang: {"train": [...], "measure": [...]}}. Set membership is fixed
# here (not computed) so that a later rebuild never moves a project from one set to the other.
PLAN = {
    "python": {
        "train": ["python-docutils", "pyparsing", "python-babel", "pexpect", "more-itertools",
                  "python-tornado", "pycparser", "python-urllib3", "python-future", "twisted",
                  "python-boto", "celery", "python-redis", "yapf", "flake8"],
        "measure": ["six", "python-dateutil", "python-markdown", "sqlparse", "python-tabulate",
                    "python-decorator", "python-wrapt", "python-cachetools", "pyflakes", "pyyaml",
                    "python-bottle", "python-ldap3", "python-pint", "sympy", "openpyxl",
                    "python-pysnmp4", "python-pyqtgraph", "python-cffi", "mutagen", "python-nacl",
                    "isort", "python-ecdsa"],
    },
    "javascript": {
        "train": ["node-acorn", "node-semver", "node-glob", "node-underscore", "node-ajv",
                  "node-js-yaml", "node-highlight.js", "node-request", "node-bluebird",
                  "less.js", "node-jszip", "node-iconv-lite"],
        "measure": ["node-async", "node-minimist", "node-debug", "node-mime", "node-chokidar",
                    "node-vue", "node-escodegen", "node-estraverse", "node-qs", "node-clean-css",
                    "node-js-beautify", "node-sax", "node-mustache", "node-send", "pdf.js",
                    "node-pako"],
    },
    "typescript": {
        "train": ["node-htmlparser2", "node-domutils", "node-css-select", "node-ip-address",
                  "node-cheerio", "node-webpack-merge",
                  "node-ampproject-remapping", "node-rollup-pluginutils", "node-webfont",
                  "node-uri-js"],
        "measure": ["node-xterm", "node-yaml", "node-domhandler", "node-css-what",
                    "node-entities", "node-socks", "node-smart-buffer", "node-recast",
                    "node-zx", "node-path-to-regexp", "node-typestyle", "node-free-style",
                    "node-regexpp", "node-token-types", "node-peek-readable", "node-timeago.js", "node-chance",
                    "node-gulp-tsb", "node-compare-versions", "node-external-editor", "node-y18n",
                    "node-route-recognizer", "node-dom-serializer", "node-mem",
                    "node-socket.io-parser", "node-with", "node-base64url", "node-constantinople",
                    "node-cron-validator", "node-file-uri-to-path", "node-get-caller-file",
                    "node-istextorbinary", "node-merge"],
    },
    "java": {
        "train": ["libcommons-collections4-java", "commons-math3", "jline2", "args4j",
                  "picocli", "libhamcrest-java", "libjfreechart-java", "libcglib-java",
                  "liblog4j1.2-java", "libmetadata-extractor-java", "libjts-java"],
        "measure": ["libcommons-codec-java", "libcommons-cli-java", "jline3", "antlr4",
                    "libcommons-net-java", "libcommons-validator-java", "mockito", "easymock",
                    "libcommons-configuration2-java", "jcommander", "libgoogle-gson-java",
                    "libxom-java", "libxerces2-java", "libwoodstox-java", "javassist",
                    "libnetty-java", "libslf4j-java"],
    },
    "c": {
        "train": ["zlib", "jansson", "coreutils", "bzip2", "libevent", "libsodium", "mosquitto",
                  "make-dfsg", "diffutils", "util-linux"],
        "measure": ["expat", "libyaml", "grep", "tar", "findutils", "libxml2", "cjson",
                    "hiredis", "dash", "libmicrohttpd", "brotli", "patch", "musl"],
    },
    "cpp": {
        "train": ["googletest", "cli11", "rapidjson", "spdlog", "google-glog", "gflags", "aria2"],
        "measure": ["tinyxml2", "catch2", "pugixml", "double-conversion", "nlohmann-json3",
                    "zeromq3", "glm", "range-v3", "capnproto", "kakoune", "libosmium"],
    },
    "go": {
        "train": ["golang-github-gorilla-mux", "golang-yaml.v2", "golang-github-pkg-errors",
                  "golang-github-gorilla-websocket", "golang-github-go-sql-driver-mysql",
                  "golang-github-hashicorp-hcl", "golang-github-robfig-cron",
                  "golang-github-shopspring-decimal", "golang-github-olekukonko-tablewriter",
                  "golang-github-go-git-go-git", "golang-github-prometheus-procfs",
                  "golang-github-hashicorp-serf", "golang-github-rivo-tview",
                  "golang-github-gomarkdown-markdown", "golang-github-google-go-cmp",
                  "golang-github-hashicorp-raft"],
        "measure": ["golang-github-google-uuid", "golang-toml", "golang-github-hashicorp-go-multierror",
                    "golang-github-lib-pq", "golang-github-fsnotify-fsnotify",
                    "golang-github-davecgh-go-spew", "golang-github-fatih-color",
                    "golang-github-spf13-cast", "golang-github-jmespath-go-jmespath",
                    "golang-github-mitchellh-mapstructure", "golang-github-pelletier-go-toml",
                    "golang-github-tidwall-gjson", "golang-github-dustin-go-humanize",
                    "golang-github-kr-pretty", "golang-github-xanzy-go-gitlab",
                    "golang-github-minio-minio-go", "golang-github-valyala-fasthttp",
                    "golang-github-rogpeppe-go-internal", "golang-github-gobwas-glob",
                    "golang-github-coreos-go-systemd", "golang-github-hashicorp-go-plugin",
                    "golang-github-hashicorp-memberlist", "golang-github-boltdb-bolt",
                    "golang-github-spf13-viper", "golang-github-muesli-termenv"],
    },
    "rust": {
        "train": ["rust-log", "rust-memchr", "rust-bytes", "rust-nom", "rust-url", "rust-walkdir",
                  "rust-toml", "rust-byteorder", "rust-smallvec", "rust-num-bigint", "rust-csv",
                  "rust-pulldown-cmark", "rust-tracing", "rust-gimli", "rust-num-traits",
                  "rust-proptest", "rust-structopt", "rust-ron", "rust-time", "rust-combine",
                  "rust-bstr", "rust-fst", "rust-aho-corasick", "rust-regex-syntax",
                  "rust-serde-cbor", "rust-bincode"],
        "measure": ["rust-itoa", "rust-glob", "rust-tempfile", "rust-bitflags", "rust-lazy-static",
                    "rust-base64", "rust-http", "rust-mio", "rust-parking-lot",
                    "rust-petgraph", "rust-encoding-rs", "rust-rustls", "rust-unicode-segmentation",
                    "rust-crossbeam-channel", "rust-ndarray", "rust-futures-util", "rust-ring",
                    "rust-nettle", "rust-tokio-util", "rust-h2", "rust-hyper", "rust-clap-2",
                    "rust-dialoguer", "rust-console", "rust-crossbeam-utils", "rust-signal-hook",
                    "rust-webpki", "rust-tar", "rust-ryu", "rust-generic-array", "rust-digest",
                    "rust-sha2", "rust-sha1", "rust-gif", "rust-tinyvec", "rust-colored"],
    },
}

EXT = {
    "python": (".py",),
    "javascript": (".js", ".mjs", ".cjs"),
    "typescript": (".ts", ".tsx", ".mts", ".cts"),
    "java": (".java",),
    "c": (".c", ".h"),
    "cpp": (".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx", ".h", ".ipp"),
    "go": (".go",),
    "rust": (".rs",),
}
# Vendored copies of other projects, build output and bundles are not the package's own code.
EXCLUDED_DIRS = {
    "vendor", "vendored", "_vendor", "third_party", "third-party", "thirdparty", "3rdparty",
    "node_modules", "deps", "external", "externals", "extern", "gnulib", "gl", "bower_components",
    "dist", "build", "bundle", "bundles", "umd", "amd", "cjs", "esm", "min", "coverage", "single_include", ".git", "gnulib-tests",
    "fmt", "bundled", "contrib", "lib-dist", "out",
}
GENERATED = re.compile(
    r"generated by|auto-?generated|do not edit|@generated|code generated|automatically generated|"
    r"this file (is|was) generated|generated file|machine generated", re.I)
# Compiler/bundler output anywhere in the file (binary node packages ship built files).
COMPILED = re.compile(r"__esModule|sourceMappingURL=|__webpack_require__|_interopRequire|"
                      r"__generator\(|__awaiter\(")
GENERATED_NAMES = re.compile(
    r"(\.pb\.|_pb2\.py$|\.pb\.go$|parsetab\.py$|lextab\.py$|\.tab\.[ch]$|y\.tab\.|lex\.yy\.c$|"
    r"\.min\.|\.d\.ts$|\.bundle\.|-bundle\.|_generated\.|\.gen\.|zz_generated|bindata\.go$|"
    r"unicode_tables|tables?\.rs$|/parser\.c$|config\.h$|configure$|\.designer\.)", re.I)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def ensure_deb_src():
    path = "/etc/apt/sources.list.d/bookworm-src.sources"
    have = False
    for root in ("/etc/apt/sources.list.d",):
        for f in os.listdir(root):
            p = os.path.join(root, f)
            if f.endswith((".sources", ".list")) and os.path.isfile(p):
                t = open(p, encoding="utf-8", errors="replace").read()
                if re.search(r"^Types:.*deb-src", t, re.M) or re.search(r"^deb-src .*bookworm", t, re.M):
                    have = True
    if not have:
        with open(path, "w") as f:
            f.write("Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n"
                    "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
        subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)


def fetch(pkg):
    """apt-get source --download-only; returns the folder if at least the .dsc arrived
    (the mirror does not serve every orig tarball: scan() then falls back to binaries)."""
    assert_not_reserved(pkg)
    d = os.path.join(SRC, pkg)
    if os.path.isdir(d) and any(f.endswith(".dsc") for f in os.listdir(d)):
        return d
    os.makedirs(d, exist_ok=True)
    r = subprocess.run(["apt-get", "source", "--download-only", "-qq", pkg], cwd=d,
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        log(f"  fetch {pkg}: some files not served")
    return d if any(f.endswith(".dsc") for f in os.listdir(d)) else None


# Binary packages that carry the upstream source files, per language (used only when the orig
# tarball is not served). TypeScript, Java, C and C++ binaries carry built output or headers only.
BINARY_PREFIX = {"python": ("python3-",), "javascript": ("node-",), "rust": ("librust-",),
                 "go": ("golang-",)}


def fetch_binary(d, lang):
    t = open(os.path.join(d, [f for f in os.listdir(d) if f.endswith(".dsc")][0]),
             encoding="utf-8", errors="replace").read()
    m = re.search(r"^Binary: (.*(?:\n .*)*)", t, re.M)
    bins = [b.strip() for b in m.group(1).replace("\n", " ").split(",")] if m else []
    bins = [b for b in bins if b.startswith(BINARY_PREFIX.get(lang, ("\0",)))]
    if lang in ("rust", "go"):
        bins = [b for b in bins if b.endswith("-dev") and "+" not in b]
    bins = sorted(bins, key=len)[:1] if lang == "rust" else bins
    debs = []
    for b in bins:
        have = [f for f in os.listdir(d) if f.startswith(b + "_") and f.endswith(".deb")]
        if not have:
            subprocess.run(["apt-get", "download", "-qq", b], cwd=d, capture_output=True,
                           timeout=600)
            have = [f for f in os.listdir(d) if f.startswith(b + "_") and f.endswith(".deb")]
        debs += [os.path.join(d, f) for f in have]
    return debs


def deb_members(deb):
    """(name, mtime, bytes) of the regular files in a .deb's data archive."""
    p = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=p.stdout, mode="r|") as tf:
        for m in tf:
            if m.isfile():
                yield m.name.lstrip("./"), m.mtime, tf.extractfile(m).read()
    p.wait()


def dsc_info(d):
    dsc = [f for f in os.listdir(d) if f.endswith(".dsc")][0]
    t = open(os.path.join(d, dsc), encoding="utf-8", errors="replace").read()
    ver = re.search(r"^Version: (\S+)", t, re.M).group(1)
    src = re.search(r"^Source: (\S+)", t, re.M).group(1)
    return src, ver


def upstream_of(ver):
    v = ver.split(":", 1)[-1]
    return v.rsplit("-", 1)[0] if "-" in v else v


def base_version(up):
    # 7.3.5+~7.3.9 and 7.3.5+~7.3.8 are one upstream release; so are +dfsg and +dfsg1 repacks.
    return re.split(r"[+~]", up)[0]


def changelog_text(d):
    for f in os.listdir(d):
        p = os.path.join(d, f)
        if re.search(r"\.debian\.tar\.(xz|gz|bz2)$", f):
            with tarfile.open(p) as tf:
                for m in tf:
                    if m.name.rstrip("/").endswith("debian/changelog") and m.isfile():
                        return tf.extractfile(m).read().decode("utf-8", "replace")
        if f.endswith(".diff.gz"):
            lines, on = [], False
            for ln in gzip.open(p, "rt", encoding="utf-8", errors="replace"):
                if ln.startswith("+++ "):
                    on = ln.rstrip().endswith("debian/changelog")
                    continue
                if on and ln.startswith("+"):
                    lines.append(ln[1:])
                elif on and ln.startswith("diff "):
                    on = False
            if lines:
                return "".join(lines)
    return None


def changelog_upload(chlog, upstream):
    """Date of the first Debian upload of this upstream version: an upper bound on its release."""
    if not chlog:
        return None
    first = None
    for m in re.finditer(r"^\S+ \(([^)]+)\).*?^ -- [^\n]*?>  ([^\n]+)$", chlog, re.M | re.S):
        if base_version(upstream_of(m.group(1))) == base_version(upstream):
            try:
                first = email.utils.parsedate_to_datetime(m.group(2).strip())
            except (TypeError, ValueError):
                pass
    return first


def orig_tarball(d):
    cands = [f for f in os.listdir(d) if re.search(r"\.orig\.tar\.(xz|gz|bz2|lzma)$", f)]
    if not cands:  # native package or 1.0 format
        cands = [f for f in os.listdir(d) if re.search(r"\.tar\.(xz|gz|bz2)$", f)
                 and ".debian." not in f and ".orig-" not in f]
    return os.path.join(d, cands[0]) if cands else None


def lang_of_path(path, lang):
    low = path.lower()
    return low.endswith(EXT[lang])


# GNU packages keep their copy of gnulib (another project) in lib/.
GNU_PACKAGES = {"coreutils", "diffutils", "grep", "tar", "findutils", "patch", "make-dfsg", "sed"}


def excluded_path(path, pkg=""):
    parts = path.split("/")[1:]  # drop the tarball's top folder
    if pkg in GNU_PACKAGES and parts and parts[0] in ("lib", "gnulib-tests", "gl", "gnu"):
        return True
    return any(p.lower() in EXCLUDED_DIRS for p in parts[:-1])


def reject_reason(path, data):
    if not (MIN_BYTES <= len(data) <= MAX_BYTES):
        return "size"
    if GENERATED_NAMES.search(path):
        return "generated-name"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not-utf8"
    if "\x00" in text:
        return "binary"
    if GENERATED.search(text[:2000]):
        return "generated"
    if COMPILED.search(text):
        return "compiled"
    lines = text.splitlines() or [""]
    if len(text) / len(lines) > 200 or max(len(l) for l in lines) > 1000:
        return "minified"
    return None


def tar_members(path):
    with tarfile.open(path) as tf:
        for m in tf:
            if m.isfile():
                yield m.name, m.mtime, (lambda m=m: tf.extractfile(m).read())


def scan(pkg, lang):
    d = fetch(pkg)
    if d is None:
        return {"package": pkg, "error": "fetch failed"}
    src, ver = dsc_info(d)
    up = upstream_of(ver)
    chlog = changelog_text(d)
    orig = orig_tarball(d)
    if orig is not None:
        members, origin = tar_members(orig), os.path.basename(orig)
    else:
        debs = fetch_binary(d, lang)
        if not debs:
            return {"package": pkg, "version": ver, "error": "orig tarball not served, no source-carrying binary"}
        def gen():
            for deb in debs:
                for name, mt, data in deb_members(deb):
                    yield name, mt, (lambda data=data: data)
        members, origin = gen(), "binary:" + ",".join(os.path.basename(x) for x in debs)
    files, mtimes, reasons = [], [], {}
    for name, mtime, read in members:
        if orig is None and chlog is None and re.search(r"usr/share/doc/[^/]+/changelog\.Debian\.gz$", name):
            chlog = gzip.decompress(read()).decode("utf-8", "replace")
        # Zeroed/epoch mtimes of reproducible tarballs and cargo's fixed crate mtime say nothing.
        if mtime > 946684800 and mtime != 1153704088:
            mtimes.append(mtime)
        if not lang_of_path(name, lang):
            continue
        if excluded_path(name, pkg):
            reasons["excluded-dir"] = reasons.get("excluded-dir", 0) + 1
            continue
        data = read()
        why = reject_reason(name, data)
        if not why and lang == "typescript" and data.lstrip()[:1] == b"<":
            why = "not-typescript"  # Qt Linguist translations share the .ts extension
        if why:
            reasons[why] = reasons.get(why, 0) + 1
            continue
        files.append((name.split("/", 1)[-1] if orig else name, data))
    upload = changelog_upload(chlog, up)
    max_mtime = dt.datetime.fromtimestamp(max(mtimes), dt.timezone.utc) if mtimes and orig else None
    if upload and upload < CUTOFF:
        evidence, ok = f"first Debian upload of {up}: {upload.date()}", True
    elif max_mtime and max_mtime < CUTOFF:
        evidence, ok = f"newest file in orig tarball: {max_mtime.date()}", True
    else:
        evidence = (f"first upload {upload.date() if upload else '?'}, newest orig file "
                    f"{max_mtime.date() if max_mtime else '?'}")
        ok = False
    return {"package": pkg, "source": src, "version": ver, "upstream": up, "date_ok": ok,
            "date_evidence": evidence, "orig": origin, "files": files, "rejected": reasons}


def pick(files, cap):
    # Deterministic spread over the project: order by content hash, keep `cap`.
    keyed = sorted(files, key=lambda f: hashlib.sha256(f[1]).hexdigest())
    return sorted(keyed[:cap], key=lambda f: f[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["survey", "build"])
    ap.add_argument("--langs", default=",".join(PLAN))
    ap.add_argument("--sets", default="train,measure")
    ap.add_argument("--cap", type=int, default=CAP_PER_PROJECT)
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("--packages", help="survey only: these packages for the one --langs language")
    a = ap.parse_args()
    langs = a.langs.split(",")
    sets = a.sets.split(",")
    for lang in PLAN:  # the guard runs over the whole plan before anything is downloaded
        for s in PLAN[lang]:
            for p in PLAN[lang][s]:
                assert_not_reserved(p)
    tr = {p for l in PLAN for p in PLAN[l]["train"]}
    me = {p for l in PLAN for p in PLAN[l]["measure"]}
    assert not tr & me, f"train/measure overlap: {tr & me}"
    os.makedirs(SRC, exist_ok=True)
    ensure_deb_src()
    jobs = [(lang, s, p) for lang in langs for s in sets for p in PLAN[lang][s]]
    if a.packages:
        assert a.mode == "survey" and len(langs) == 1
        jobs = [(langs[0], "survey", p) for p in a.packages.split(",")]
        for _, _, p in jobs:
            assert_not_reserved(p)
    with ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(lambda j: (j, scan(j[2], j[0])), jobs))
    seen = set()
    manifest = {"cutoff": CUTOFF.date().isoformat(), "cap_per_project": a.cap, "entries": []}
    if os.path.exists(MANIFEST) and a.mode == "build":
        old = json.load(open(MANIFEST))
        manifest["entries"] = [e for e in old.get("entries", [])
                               if not (e["language"] in langs and e["set"] in sets)]
    rows = {s: [] for s in sets}
    for (lang, s, p), r in results:
        if "error" in r:
            log(f"{lang:10} {s:7} {p:40} ERROR {r['error']}")
            continue
        kept = []
        if r["date_ok"]:
            for path, data in pick(r["files"], a.cap):
                h = hashlib.sha256(data).hexdigest()
                if h in seen:
                    continue
                seen.add(h)
                kept.append((path, data, h))
        log(f"{lang:10} {s:7} {p:40} {r['version']:32} date_ok={r['date_ok']!s:5} "
            f"eligible={len(r['files']):4} kept={len(kept):4}  {r['date_evidence']}  {r['rejected']}")
        if a.mode == "survey" or not kept:
            continue
        manifest["entries"].append({
            "set": s, "language": lang, "package": p, "source": r["source"], "version": r["version"],
            "upstream_version": r["upstream"], "date_evidence": r["date_evidence"], "orig": r["orig"],
            "files": [{"path": path, "sha256": h} for path, _, h in kept]})
        for path, data, h in kept:
            rows[s].append({"id": f"debian:{p}:{h[:12]}", "code": data.decode("utf-8"),
                            "label": "human", "language": lang, "source": f"debian:{p}",
                            "group": f"debian:{p}", "generator": "human", "path": path})
    if a.mode == "survey":
        return
    for s in sets:
        # Append-safe rebuild: keep rows of languages not rebuilt this time.
        out = os.path.join(WORK, f"{s}.jsonl")
        keep = []
        if os.path.exists(out):
            keep = [l for l in open(out, encoding="utf-8") if json.loads(l)["language"] not in langs]
        with open(out + ".tmp", "w", encoding="utf-8") as f:
            f.writelines(keep)
            for row in rows[s]:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(out + ".tmp", out)
    manifest["entries"].sort(key=lambda e: (e["set"], e["language"], e["package"]))
    with open(MANIFEST, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    summary = {}
    for e in manifest["entries"]:
        k = (e["set"], e["language"])
        summary.setdefault(k, [0, 0])
        summary[k][0] += len(e["files"])
        summary[k][1] += 1
    for (s, lang), (n, np_) in sorted(summary.items()):
        log(f"TOTAL {s:7} {lang:10} files={n:5} projects={np_}")


if __name__ == "__main__":
    main()
