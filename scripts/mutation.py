"""Mutation testing of the modules that protect people (`make mutation`, README "Mutation testing").

mutmut 3 reads one global [tool.mutmut] table. This driver runs it once per module, each in
its own work directory (.mutation/<module>/, ignored by git) with a pyproject.toml whose
[tool.mutmut] names that module and only its tests (mutation/modules.toml), then prints one
table: mutants, killed, survived, equivalent, timeouts and the score

    score = killed / (mutants - equivalent)

Equivalent mutants (changes no test can see, because the behaviour does not change) are
listed in mutation/equivalent.toml with a one-line reason each; an entry whose mutant no
longer exists, or no longer changes the line it names, is reported as stale.

    scripts/mutation.py                       every module in mutation/modules.toml
    scripts/mutation.py src/kokemustori/x.py  only these modules
    scripts/mutation.py --changed BASE        only the modules changed since git ref BASE
                                              (the module itself or one of its test files)

Every pytest run of a mutant starts from a copy of one migrated SQLite test database
(MUTATION_TEST_DB, tests/conftest.py) instead of migrating a new one: a run takes about a
second instead of five, and no mutant times out while the database is being built. A module
whose rule is also written in SQL for PostgreSQL (`database = "postgresql"` in modules.toml)
runs again on PostgreSQL for the mutants SQLite left alive (MUTATION_POSTGRES_URL, by default
the local server): each of those runs copies one migrated template database (CREATE
DATABASE … TEMPLATE).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "mutation"
MODULES_FILE = CONFIG_DIR / "modules.toml"
EQUIVALENT_FILE = CONFIG_DIR / "equivalent.toml"
WORK = ROOT / ".mutation"
TARGET = 95.0

# The exit codes of mutmut 3 (mutmut.stats.status_by_exit_code), grouped for the table.
KILLED = {1, 3}
SURVIVED = {0}
TIMEOUT = {36, -24, 24, 152, 255}
NO_TESTS = {5, 33}


def load_modules():
    data = tomllib.loads(MODULES_FILE.read_text("utf-8"))
    return {entry["path"]: entry for entry in data["module"]}


def load_equivalents():
    if not EQUIVALENT_FILE.exists():
        return []
    return tomllib.loads(EQUIVALENT_FILE.read_text("utf-8")).get("equivalent", [])


def slug(module):
    return module.removeprefix("src/").removesuffix(".py").replace("/", ".")


def changed_modules(base, modules):
    """The modules whose source or one of whose test files changed since `base`."""
    out = subprocess.run(  # noqa: S603
        ["git", "diff", "--name-only", f"{base}...HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Uncommitted changes count too.
    out += subprocess.run(  # noqa: S603
        ["git", "diff", "--name-only", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    changed = set(out.split())
    if {str(MODULES_FILE.relative_to(ROOT)), "tests/conftest.py"} & changed:
        return list(modules)
    return [
        path for path, entry in modules.items() if path in changed or changed & set(entry["tests"])
    ]


def pyproject_for(entry):
    """The project's pyproject.toml with a [tool.mutmut] table for this module only."""
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)

    def toml_list(items):
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    table = [
        "[tool.mutmut]",
        f"source_paths = {toml_list(entry.get('paths', [entry['path']]))}",
        'also_copy = ["src", "manage.py"]',
        # --reuse-db with MUTATION_TEST_DB: every run starts from a migrated copy.
        'pytest_add_cli_args = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q", "--reuse-db"]',
        f"pytest_add_cli_args_test_selection = {toml_list(entry['tests'])}",
        # Lines not to mutate (regular expressions; mutmut leaves alone what starts on them):
        # code that runs only when the module is imported, which mutmut cannot test (its runs
        # fork after the import).
        f"do_not_mutate_patterns = {toml_list(entry.get('not_mutated', []))}",
        # A mutant that loops for ever is stopped after (its tests' time + 5 s) x 15.
        "timeout_constant = 5.0",
        "use_git_change_detection = false",
        "",
    ]
    return text.rstrip() + "\n\n" + "\n".join(table)


def prepare(entry, fresh):
    work = WORK / entry.get("work", slug(entry["path"]))
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for name in ("src", "tests", "manage.py"):
        link = work / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    (work / "pyproject.toml").write_text(pyproject_for(entry), "utf-8")
    return work


def _create_test_database(env, name_variable):
    """Migrate a test database named by the environment variable `name_variable`, on the
    database of env's DATABASE_URL."""
    code = (
        "import django, os\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "settings.DATABASES['default'].setdefault('TEST', {})['NAME'] = "
        f"os.environ[{name_variable!r}]\n"
        "from django.db import connection\n"
        "connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)\n"
        "connection.close()\n"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )


def build_test_database(env):
    """One migrated SQLite test database that every mutant's test run copies."""
    path = Path(env["MUTATION_TEST_DB"])
    if path.exists():
        path.unlink()
    _create_test_database({**env, "DATABASE_URL": "sqlite:///:memory:"}, "MUTATION_TEST_DB")


def postgres_env(env):
    """The environment of a run on PostgreSQL (a module with `database = "postgresql"` in
    modules.toml, whose rule is also written in SQL): one migrated template database, copied
    for every mutant's run by tests/conftest.py."""
    url = os.environ.get("MUTATION_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kk_mutation")
    pg = {**env, "DATABASE_URL": url, "MUTATION_PG_TEMPLATE": "test_kk_mutation_template"}
    pg.pop("MUTATION_TEST_DB", None)
    _create_test_database(pg, "MUTATION_PG_TEMPLATE")
    return pg


def drop_postgres_copies(env):
    """Copies left by mutants stopped for time (their teardown never ran), and the template."""
    code = (
        "import os, psycopg\n"
        "from django.conf import settings\n"
        "import django; django.setup()\n"
        "d = settings.DATABASES['default']\n"
        "t = os.environ['MUTATION_PG_TEMPLATE']\n"
        "with psycopg.connect(host=d['HOST'] or None, port=d['PORT'] or None, user=d['USER'] or None,"
        " password=d['PASSWORD'] or None, dbname='postgres', autocommit=True) as c:\n"
        "    names = [r[0] for r in c.execute('SELECT datname FROM pg_database WHERE datname LIKE %s',"
        " (t + '%',))]\n"
        "    for n in names:\n"
        "        c.execute(f'DROP DATABASE IF EXISTS \"{n}\" WITH (FORCE)')\n"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT / "src")}
    )


def results_of(work, module):
    meta = work / "mutants" / (module + ".meta")
    if not meta.exists():
        return {}
    return json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})


def diff_of(work, mutant, env):
    out = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "mutmut"), "show", mutant],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    return out.stdout


def changed_lines(diff):
    """The lines a mutant writes (the + lines of its diff), stripped."""
    return [
        line[1:].strip()
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]


def grouped(selected, modules):
    """The runs to make: one per module, except that the modules of one `group` (in
    modules.toml) share one mutmut run, so their common tests (the authorisation matrix of
    the rules.py modules) run their stats and clean passes once, not once per module."""
    runs, groups = [], {}
    for module in selected:
        entry = modules[module]
        name = entry.get("group")
        if name is None:
            runs.append({**entry, "members": [module]})
        elif name not in groups:
            groups[name] = {
                "path": module,
                "work": f"group.{name}",
                "members": [module],
                "paths": [module],
                "tests": list(entry["tests"]),
                "not_mutated": list(entry.get("not_mutated", [])),
            }
            runs.append(groups[name])
        else:
            group = groups[name]
            group["members"].append(module)
            group["paths"].append(module)
            group["tests"] += [t for t in entry["tests"] if t not in group["tests"]]
            group["not_mutated"] += entry.get("not_mutated", [])
    return runs


def mutmut_run(work, env, children, names=()):
    with open(work / "mutmut.log", "w") as out:
        return subprocess.run(  # noqa: S603
            [
                str(Path(sys.executable).parent / "mutmut"),
                "run",
                "--max-children",
                str(children),
                *names,
            ],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        ).returncode


def run_module(entry, env, children, fresh, show):
    """One mutmut run (of a module, or of a group of modules): a table row per module.

    A module with `database = "postgresql"` runs on SQLite first (the Python path, quickly),
    then again on PostgreSQL for the mutants SQLite did not kill (the SQL path, which runs
    there only): a mutant counts as killed when either database's tests kill it."""
    work = prepare(entry, fresh)
    started = time.monotonic()
    returncode = mutmut_run(work, env, children)
    codes = {module: results_of(work, module) for module in entry["members"]}
    if entry.get("database") == "postgresql" and returncode == 0:
        left = sorted(
            name for c in codes.values() for name, code in c.items() if code not in KILLED
        )
        if left:
            pg_work = prepare({**entry, "work": work.name + ".postgresql"}, fresh)
            pg_env = postgres_env(env)
            returncode = mutmut_run(pg_work, pg_env, children, left)
            drop_postgres_copies(pg_env)
            for module in entry["members"]:
                on_pg = results_of(pg_work, module)
                codes[module] = {
                    name: on_pg[name]
                    if code not in KILLED and on_pg.get(name) is not None
                    else code
                    for name, code in codes[module].items()
                }
    seconds = time.monotonic() - started
    rows = []
    for module in entry["members"]:
        row = row_for(module, work, codes[module], returncode, seconds, env, show)
        if row is None:
            return None
        rows.append(row)
    return rows


def row_for(module, work, codes, returncode, seconds, env, show):
    log = work / "mutmut.log"
    # A module with no function (only data) has no mutants: mutmut 3 mutates function bodies
    # only, and stops with an error when there is nothing to test.
    no_mutants = (work / "mutants" / (module + ".meta")).exists() and not codes
    if returncode != 0 and not no_mutants:
        print(f"mutmut failed for {module} (exit {returncode}); see {log}", file=sys.stderr)
        return None

    equivalents = [e for e in load_equivalents() if e["module"] == module]
    equivalent_names = set()
    stale = []
    for e in equivalents:
        code = codes.get(e["mutant"])
        if code is None:
            stale.append((e, "no such mutant any more"))
            continue
        if e.get("line") and e["line"].strip() not in changed_lines(
            diff_of(work, e["mutant"], env)
        ):
            stale.append((e, "the mutant no longer writes the line named"))
            continue
        if code in KILLED:
            stale.append((e, "a test kills it: it is not equivalent"))
            continue
        equivalent_names.add(e["mutant"])

    row = {
        "module": module,
        "mutants": len(codes),
        "killed": sum(1 for c in codes.values() if c in KILLED),
        "survived": sum(1 for n, c in codes.items() if c in SURVIVED and n not in equivalent_names),
        "equivalent": len(equivalent_names),
        "timeout": sum(1 for n, c in codes.items() if c in TIMEOUT and n not in equivalent_names),
        "no_tests": sum(1 for n, c in codes.items() if c in NO_TESTS and n not in equivalent_names),
        "seconds": seconds,
        "stale": stale,
    }
    row["other"] = (
        row["mutants"]
        - row["killed"]
        - row["survived"]
        - row["equivalent"]
        - row["timeout"]
        - row["no_tests"]
    )
    denominator = row["mutants"] - row["equivalent"]
    row["score"] = 100.0 * row["killed"] / denominator if denominator else None
    row["open"] = sorted(
        n for n, c in codes.items() if c not in KILLED and n not in equivalent_names
    )
    if show and row["open"]:
        print(f"\n--- {module}: mutants not killed")
        for name in row["open"]:
            print(diff_of(work, name, env).rstrip())
    return row


def print_table(rows):
    header = f"{'module':<44} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'timeout':>7} {'no test':>7} {'score':>7} {'time':>6}"
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        mark = "" if r["score"] is None or r["score"] >= TARGET else "  < 95 %"
        score = "-" if r["score"] is None else f"{r['score']:.1f}%"
        print(
            f"{r['module'].removeprefix('src/kokemustori/'):<44} {r['mutants']:>7} {r['killed']:>6} "
            f"{r['survived']:>8} {r['equivalent']:>6} {r['timeout']:>7} {r['no_tests']:>7} "
            f"{score:>7} {r['seconds']:>5.0f}s{mark}"
        )
    print("score = killed / (mutants - equivalent); a timeout counts as not killed;")
    print("'-': no mutants (a module of data only: mutmut 3 mutates function bodies).")
    for r in rows:
        for e, why in r["stale"]:
            print(f"STALE in mutation/equivalent.toml: {e['mutant']}: {why}")
        if r["open"]:
            print(f"{r['module']}: not killed: {', '.join(r['open'])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: all in modules.toml)")
    parser.add_argument("--changed", metavar="BASE", help="only modules changed since git ref BASE")
    parser.add_argument("--children", type=int, default=2, help="parallel mutant runs (2)")
    parser.add_argument("--keep", action="store_true", help="reuse earlier results (no fresh run)")
    parser.add_argument(
        "--show", action="store_true", help="print the diff of every mutant not killed"
    )
    parser.add_argument(
        "--tests",
        nargs="+",
        metavar="FILE",
        help="run these test files instead of the module's own (e.g. to measure a before)",
    )
    parser.add_argument("--list", action="store_true", help="only print the modules selected")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a module is under 95 %%")
    args = parser.parse_args()

    modules = load_modules()
    if args.changed:
        selected = changed_modules(args.changed, modules)
        if not selected:
            print(f"No module under mutation testing changed since {args.changed}.")
            return 0
    elif args.modules:
        unknown = [m for m in args.modules if m not in modules]
        if unknown:
            print(f"Not in {MODULES_FILE.relative_to(ROOT)}: {', '.join(unknown)}", file=sys.stderr)
            return 2
        selected = args.modules
    else:
        selected = list(modules)

    if args.list:
        print("\n".join(selected))
        return 0
    missing = sorted(
        {test for m in selected for test in modules[m]["tests"] if not (ROOT / test).exists()}
        | {m for m in selected if not (ROOT / m).exists()}
    )
    if missing and not args.tests:
        print(f"Missing (update {MODULES_FILE.relative_to(ROOT)}): {', '.join(missing)}")
        return 2
    WORK.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kokemustori.settings",
        "DATABASE_URL": "sqlite:///:memory:",
        # Two runs at once (e.g. of two modules) each need their own: set MUTATION_TEST_DB.
        "MUTATION_TEST_DB": os.environ.get("MUTATION_TEST_DB") or str(WORK / "test-db.sqlite3"),
        # Property tests that honour it run fewer examples (tests/matching/test_sql_ranking.py).
        "MUTATION_EXAMPLES": os.environ.get("MUTATION_EXAMPLES") or "15",
    }
    env.pop("TEST_DATABASE_NAME", None)
    started = time.monotonic()
    build_test_database(env)
    rows = []
    if args.tests:
        for module in selected:
            modules[module] = {**modules[module], "tests": args.tests}
    for run in grouped(selected, modules):
        print(f"mutmut: {' '.join(run['members'])} ({', '.join(run['tests'])})", flush=True)
        group_rows = run_module(run, env, args.children, not args.keep, args.show)
        if group_rows is None:
            return 1
        rows += group_rows
    print_table(rows)
    print(f"Total time: {time.monotonic() - started:.0f} s")
    template = Path(env["MUTATION_TEST_DB"])
    for leftover in template.parent.glob(template.name + ".*"):
        leftover.unlink()
    if args.strict and any(r["score"] is not None and r["score"] < TARGET for r in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
