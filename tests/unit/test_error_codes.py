"""The error codes are a catalogue: every code raised in src is in its context's ``StrEnum``, none listed
there is dead, and every one is documented in spec/formats.md §15 with the HTTP status it is served with.

The codes are found by reading src with ``ast`` (nothing is imported to find them):

- ``code="…"`` given to an error class (a subclass of ``SaylauError`` or ``HTTPException``, or its
  ``super().__init__``), and ``code = "…"`` class defaults of error classes;
- ``details={"reason": …}`` given to an error class (a string, or a name traced to the strings passed for
  it, e.g. ``_refuse(…, "outside_units")``);
- the web layer's own: ``HTTPException(<status>, …)`` (``http_<status>`` or api.problems.HTTP_CODES),
  ``_problem(<status>, <code>, …)``, the codes ``stable_code`` returns, and a problem body's ``"code"``;
- ``f"crypto_{….code.value}"``: ``crypto_<failure>`` for each ``FailureCode`` an ``Invalid(…)`` names.

A code may be a string literal, a catalogue member (``PaperCode.EMBARGO``), a module constant, or another
error's ``.code`` passed on; anything else fails the test (a code nobody can read is not catalogued).
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pytest

from saylau.api.codes import ApiCode
from saylau.api.problems import HTTP_CODES, stable_code, status_of
from saylau.audit.codes import AuditCode
from saylau.cli.codes import CliCode
from saylau.count.codes import CountCode
from saylau.crypto.codes import CryptoCode
from saylau.crypto.errors import FailureCode
from saylau.disputes.codes import DisputesCode
from saylau.forensics.codes import ForensicsCode
from saylau.io.codes import IoCode
from saylau.model.codes import ModelCode
from saylau.model.errors import SaylauError
from saylau.petitions.codes import PetitionsCode
from saylau.publish.codes import PublishCode
from saylau.record.codes import RecordCode
from saylau.register.codes import RegisterCode
from saylau.rules.codes import RulesCode
from saylau.seats.codes import SeatsCode
from saylau.services.access.codes import AccessCode
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.parallel import CopyCode
from saylau.services.codes import ServicesCode
from saylau.services.e2e.codes import E2eCode
from saylau.services.paper.codes import PaperCode
from saylau.services.petitions.codes import PetitionFlowCode
from saylau.services.register.codes import RegisterFlowCode
from saylau.store.codes import StoreCode

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "saylau"
SPEC = ROOT / "spec" / "formats.md"
SECTION = "## 15. Error codes"

# context (a package under saylau) -> its catalogue
CATALOGUES: dict[str, type[StrEnum]] = {
    "model": ModelCode,
    "seats": SeatsCode,
    "rules": RulesCode,
    "crypto": CryptoCode,
    "count": CountCode,
    "forensics": ForensicsCode,
    "record": RecordCode,
    "audit": AuditCode,
    "petitions": PetitionsCode,
    "disputes": DisputesCode,
    "register": RegisterCode,
    "io": IoCode,
    "publish": PublishCode,
    "store": StoreCode,
    "services": ServicesCode,
    "services.access": AccessCode,
    "services.paper": PaperCode,
    "services.audit": AuditFlowCode,
    "services.e2e": E2eCode,
    "services.register": RegisterFlowCode,
    "services.petitions": PetitionFlowCode,
    "services.audit.parallel": CopyCode,
    "api": ApiCode,
    "cli": CliCode,
}
BY_NAME = {cat.__name__: cat for cat in CATALOGUES.values()}
# The same spelling with two meanings in two contexts, kept because clients already see both (never add one)
HOMONYMS: dict[str, frozenset[str]] = {"bad_credentials": frozenset({"services.access", "services.e2e"})}
# Inside services (no import-linter layers there yet): the kernel and the bridge < access < paper; e2e < kernel
SERVICES_INSIDE = {
    "services": {"services"},
    "services.access": {"services", "services.access"},
    "services.paper": {"services", "services.access", "services.paper"},
    "services.e2e": {"services", "services.e2e"},
    "services.register": {"services", "services.register"},
    "services.audit.parallel": {"services", "services.access", "services.paper", "services.audit.parallel"},
}
ERROR_ROOTS = {"SaylauError", "HTTPException"}
# Classes other than errors whose ``code=`` is an error code that an error raises later (e.g. a typed refusal
# turned into an E2eRejected): add them here, or give their code as a catalogue member, which is read anywhere
CODE_CARRIERS: set[str] = set()
PASSED_ON = ()  # resolve() answers this for ``exc.code``: a code already raised elsewhere, passed on


@dataclass(frozen=True, slots=True)
class Site:
    code: str
    module: str  # dotted, e.g. saylau.services.paper.embargo
    line: int
    kind: str  # "code", "reason" or "http"
    error_class: str | None = None  # the class raised, for its HTTP status
    status: int | None = None  # for the web layer's own answers

    @property
    def where(self) -> str:
        return f"{self.module.replace('.', '/')}.py:{self.line}"


def context_of(module: str) -> str:
    """The context a module belongs to: the longest catalogue package holding it, else its top package."""
    parts = module.split(".")[1:]
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in CATALOGUES:
            return ".".join(parts[:n])
    return parts[0]


@functools.cache
def _layers() -> list[set[str]]:
    """pyproject's import-linter layers, top first, as sets of top-level packages."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c["type"] == "layers" and "saylau.model" in c["layers"])
    return [{p.strip().removeprefix("saylau.") for p in re.split("[|:]", layer)} for layer in contract["layers"]]


def usable(context: str) -> set[str]:
    """The catalogues a module of ``context`` may import without breaking the layers."""
    top = context.split(".", maxsplit=1)[0]
    layers = _layers()
    index = next((i for i, layer in enumerate(layers) if top in layer), None)
    assert index is not None, f"saylau.{top} is in no layer of pyproject's import-linter contract"
    below = set().union(*layers[index + 1 :])
    out = {c for c in CATALOGUES if c.split(".")[0] in below}
    if top == "services":
        return out | SERVICES_INSIDE.get(context, {"services", context})
    return out | ({context} if context in CATALOGUES else set())


@functools.cache
def _modules() -> list[tuple[str, ast.Module]]:
    """Every module of src, parsed (once: the tests only read the trees)."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(("saylau", *path.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        out.append((module, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    return out


def _error_classes(trees: list[tuple[str, ast.Module]]) -> set[str]:
    bases: dict[str, set[str]] = defaultdict(set)
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] |= {_name(b) for b in node.bases}
    errors = ERROR_ROOTS | CODE_CARRIERS
    while grown := {c for c, bs in bases.items() if c not in errors and bs & errors}:
        errors |= grown
    return errors


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


class _Module:
    """One module's tree with parent links and its string constants."""

    def __init__(self, module: str, tree: ast.Module, failures: frozenset[str]):
        self.module, self.tree, self.failures = module, tree, failures
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.constants = {
            t.id: s.value.value
            for s in tree.body
            if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)
            for t in s.targets
            if isinstance(t, ast.Name)
        }

    def enclosing(self, node: ast.AST, kind: type | tuple[type, ...]) -> ast.AST | None:
        while (node := self.parent.get(node)) is not None:  # type: ignore[assignment]
            if isinstance(node, kind):
                return node
        return None

    def resolve(self, expr: ast.expr, depth: int = 0) -> tuple[str, ...] | None:
        """The codes ``expr`` can be; PASSED_ON for another error's code; None when it cannot be read."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return (expr.value,)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in BY_NAME:
            return (BY_NAME[expr.value.id][expr.attr].value,)
        if isinstance(expr, ast.Attribute) and expr.attr == "code":
            return PASSED_ON
        if isinstance(expr, ast.Attribute) and _name(expr.value) == "codes":  # an EnvelopeCodes field, read there
            return PASSED_ON
        if isinstance(expr, ast.IfExp):
            body, orelse = self.resolve(expr.body, depth), self.resolve(expr.orelse, depth)
            return None if body is None or orelse is None else body + orelse
        if isinstance(expr, ast.JoinedStr) and _is_failure_code(expr):
            return tuple(f"crypto_{f}" for f in sorted(self.failures))
        if isinstance(expr, ast.Name) and depth < 4:
            return self._resolve_name(expr, depth)
        return None

    def _resolve_name(self, expr: ast.Name, depth: int) -> tuple[str, ...] | None:
        func = self.enclosing(expr, (ast.FunctionDef, ast.AsyncFunctionDef))
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            assigned = [
                n.value
                for n in ast.walk(func)
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
            ]
            params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
            if params[:1] in (["self"], ["cls"]):  # called as self.f(...): the arguments start after it
                params = params[1:]
            if assigned:
                return self._all(assigned, depth)
            if expr.id in params:
                return self._all(list(self._arguments(func.name, params.index(expr.id), expr.id)), depth)
        if expr.id in self.constants:
            return (self.constants[expr.id],)
        return None

    def _arguments(self, func: str, position: int, name: str) -> Iterator[ast.expr]:
        for call in ast.walk(self.tree):
            if isinstance(call, ast.Call) and _name(call.func) == func:
                if position < len(call.args):
                    yield call.args[position]
                yield from (k.value for k in call.keywords if k.arg == name)

    def _all(self, exprs: list[ast.expr], depth: int) -> tuple[str, ...] | None:
        if not exprs:
            return None
        out: tuple[str, ...] = ()
        for e in exprs:
            got = self.resolve(e, depth + 1)
            if got is None:
                return None
            out += got
        return out


def _is_failure_code(expr: ast.JoinedStr) -> bool:
    """``f"crypto_{<verdict>.code.value}"``: VerificationError's and the tally's ``crypto_<failure>``."""
    match expr.values:
        case [ast.Constant(value="crypto_"), ast.FormattedValue(value=ast.Attribute(attr="value", value=inner))]:
            return isinstance(inner, ast.Attribute) and inner.attr == "code"
    return False


def _failures_named(trees: list[tuple[str, ast.Module]]) -> dict[str, list[str]]:
    """Each FailureCode value an ``Invalid(FailureCode.X, …)`` names, with where."""
    out: dict[str, list[str]] = defaultdict(list)
    for module, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) == "Invalid" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Attribute) and _name(first.value) == "FailureCode":
                    out[FailureCode[first.attr].value].append(f"{module}:{node.lineno}")
    return out


def scan() -> tuple[list[Site], list[str]]:
    """Every code set in src, and the places where a code is set that cannot be read."""
    trees = _modules()
    errors = _error_classes(trees)
    failures = frozenset(_failures_named(trees))
    sites: list[Site] = []
    unreadable: list[str] = []
    for module, tree in trees:
        m = _Module(module, tree, failures)
        for node in ast.walk(tree):
            for kind, expr, error_class, status in _code_settings(m, node, errors):
                got = m.resolve(expr)
                if got is None:
                    unreadable.append(f"{module}:{expr.lineno} {ast.unparse(expr)}")
                sites += [Site(c, module, expr.lineno, kind, error_class, status) for c in got or ()]
    return sites, unreadable


def _code_settings(
    m: _Module, node: ast.AST, errors: set[str]
) -> Iterator[tuple[str, ast.expr, str | None, int | None]]:
    """(kind, the expression of the code, the error class, the status) for each place ``node`` sets a code."""
    if isinstance(node, ast.ClassDef) and node.name in errors:
        for stmt in node.body:
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
            target = stmt.target if isinstance(stmt, ast.AnnAssign) and stmt.value is not None else target
            if isinstance(target, ast.Name) and target.id == "code":
                assert isinstance(stmt, ast.Assign | ast.AnnAssign)
                assert stmt.value is not None
                yield "code", stmt.value, node.name, _http_status_of_class(node)
    if isinstance(node, ast.Call):
        yield from _call_settings(m, node, errors)
    if isinstance(node, ast.Dict):  # a problem body written out: {"code": "too_many_streams", "status": 503, ...}
        fields = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
        status = _int(fields["status"]) if "status" in fields else None
        if "code" in fields and "type" in fields and status is not None:
            yield "http", fields["code"], None, status
    if isinstance(node, ast.FunctionDef) and node.name == "stable_code":
        for ret in ast.walk(node):
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Constant) and isinstance(ret.value.value, str):
                yield "http", ret.value, None, int(ret.value.value.removeprefix("http_"))


def _call_settings(
    m: _Module, call: ast.Call, errors: set[str]
) -> Iterator[tuple[str, ast.expr, str | None, int | None]]:
    func = _name(call.func)
    inner = call.func.value if isinstance(call.func, ast.Attribute) else None
    if func == "__init__" and isinstance(inner, ast.Call) and _name(inner.func) == "super":
        owner = m.enclosing(call, ast.ClassDef)
        func = owner.name if isinstance(owner, ast.ClassDef) else ""
    if func == "EnvelopeCodes":  # a file family's codes (io.strict_json), raised by the family's error class
        envelope = m.enclosing(call, ast.Call)
        raised = _name(envelope.args[2]) if isinstance(envelope, ast.Call) and len(envelope.args) > 2 else None
        yield from (("code", k.value, raised, None) for k in call.keywords)
        return
    if func not in errors:  # a catalogue member given as code= to anything is a code
        yield from (("code", k.value, None, None) for k in call.keywords if k.arg == "code" and _is_member(k.value))
    else:
        for kw in call.keywords:
            if kw.arg == "code":
                yield "code", kw.value, func, None
            if kw.arg == "details" and isinstance(kw.value, ast.Dict):
                for k, v in zip(kw.value.keys, kw.value.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value == "reason":
                        yield "reason", v, func, None
    status = _int(call.args[0]) if call.args else None
    if func == "HTTPException" and status is not None:
        code = HTTP_CODES.get(status, f"http_{status}")
        yield "http", ast.copy_location(ast.Constant(code), call), None, status
    if func == "_problem" and len(call.args) >= 2 and status is not None:
        yield "http", call.args[1], None, status


def _is_member(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in BY_NAME


def _int(node: ast.expr) -> int | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, int) else None


def _http_status_of_class(node: ast.ClassDef) -> int | None:
    """An HTTPException subclass's status: the first argument of its ``super().__init__``."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and _name(call.func) == "__init__" and call.args:
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, int):
                return first.value
    return None


SITES, UNREADABLE = scan()


@functools.cache
def catalogued() -> dict[str, frozenset[str]]:
    """Each catalogued code -> the contexts whose catalogue lists it."""
    out: dict[str, set[str]] = defaultdict(set)
    for context, catalogue in CATALOGUES.items():
        for member in catalogue:
            out[member.value].add(context)
    return {code: frozenset(contexts) for code, contexts in out.items()}


# ---- the HTTP status a code is served with


def served(site: Site) -> tuple[int, str] | None:
    """(status, the problem's code) of a code served over HTTP; None for the command line's codes."""
    if context_of(site.module) == "cli":
        return None
    if site.status is not None:
        return site.status, site.code
    if site.error_class is None:  # carried, not raised: whoever raises it later serves it
        return None
    if site.kind == "reason":  # a reason rides on the error that carries it
        return _served_as(site.module, site.error_class, None)
    return _served_as(site.module, site.error_class, site.code)


def _served_as(module: str, error_class: str | None, code: str | None) -> tuple[int, str] | None:
    cls = getattr(importlib.import_module(module), error_class or "")
    if not issubclass(cls, SaylauError):
        return None
    error = cls.__new__(cls)
    if code is not None:
        error.code = code
    return status_of(error), stable_code(error)


def status_cell(pairs: set[tuple[int, str]], code: str) -> str:
    """How §15 writes the statuses of ``code``: ``409``, ``404, 409``, ``403 as forbidden``; ``—``: CLI only."""
    if not pairs:
        return "—"
    return ", ".join(f"{s}" if c == code else f"{s} as `{c}`" for s, c in sorted(pairs))


def owner(site: Site) -> str:
    """The context whose catalogue holds ``site``'s code (for a homonym: the one its module may import)."""
    holders = catalogued().get(site.code, frozenset()) & usable(context_of(site.module))
    return min(holders) if len(holders) == 1 else "?"


def statuses() -> dict[tuple[str, str], set[tuple[int, str]]]:
    """(context, code) -> every (status, problem code) it is served with."""
    out: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    for site in SITES:
        if (answer := served(site)) is not None:
            out[owner(site), site.code].add(answer)
    return out


# ---- the spec


def spec_tables() -> dict[str, dict[str, list[str]]]:
    """§15's tables: catalogue class name -> code -> its row's cells."""
    text = SPEC.read_text(encoding="utf-8")
    assert SECTION in text, f"spec/formats.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    tables: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for line in section.splitlines():
        if heading := re.match(r"### .*\(`saylau\.[\w.]+\.(\w+)`\)", line):
            current = tables.setdefault(heading.group(1), {})
        elif line.startswith("| `") and current is not None:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            code = cells[0].strip("`")
            assert code not in current, f"§15 lists {code!r} twice in one table"
            current[code] = cells
    return tables


# ---- the tests


def test_every_code_can_be_read() -> None:
    assert not UNREADABLE, (
        "a code set by an expression this test cannot read (use a literal or a catalogue member):\n"
        + "\n".join(UNREADABLE)
    )


def test_the_scan_finds_codes_of_every_kind() -> None:
    kinds = {s.kind for s in SITES}
    assert kinds == {"code", "reason", "http"}
    codes = {s.code for s in SITES}
    assert {"embargo", "bad_input", "outside_units", "http_429", "too_many_streams", "crypto_mismatch"} <= codes


def test_every_raised_code_is_in_its_context_catalogue() -> None:
    known = catalogued()
    missing: list[str] = []
    for site in SITES:
        context = context_of(site.module)
        holders = known.get(site.code, frozenset())
        if not holders & usable(context):
            where = f"listed in {sorted(holders)}, which {context} may not import" if holders else "in no catalogue"
            missing.append(f"{site.where}: {site.code!r} ({site.kind}) is {where}")
    assert not missing, "add each code to its context's catalogue (and to spec §15):\n" + "\n".join(missing)


def test_no_catalogued_code_is_dead() -> None:
    raised = {s.code for s in SITES}
    dead = sorted(f"{ctx}: {code}" for code, ctxs in catalogued().items() for ctx in ctxs if code not in raised)
    assert not dead, "catalogued but never raised (remove them):\n" + "\n".join(dead)


def test_each_code_has_one_home() -> None:
    shared = {code: ctxs for code, ctxs in catalogued().items() if len(ctxs) > 1}
    assert shared == HOMONYMS


@pytest.mark.parametrize("catalogue", CATALOGUES.values(), ids=lambda c: c.__name__)
def test_catalogue_members_are_named_by_their_code_and_explained(catalogue: type[StrEnum]) -> None:
    assert [m.name for m in catalogue] == [m.value.upper() for m in catalogue]
    source = Path(importlib.import_module(catalogue.__module__).__file__ or "").read_text(encoding="utf-8")
    for member in catalogue:
        line = next(x for x in source.splitlines() if re.match(rf'\s+{member.name} = "', x))
        assert re.search(r'"\s+# \S', line), f"{catalogue.__name__}.{member.name} needs a one-line comment"


def test_spec_lists_each_catalogue_exactly() -> None:
    tables = spec_tables()
    assert set(tables) == {c.__name__ for c in CATALOGUES.values()} | {"FailureCode"}
    catalogues: list[type[StrEnum]] = [*CATALOGUES.values(), FailureCode]
    for catalogue in catalogues:
        listed, codes = set(tables[catalogue.__name__]), {m.value for m in catalogue}
        assert listed == codes, (
            f"spec §15, {catalogue.__name__}: missing {sorted(codes - listed)}, not catalogued {sorted(listed - codes)}"
        )


def test_spec_gives_the_status_each_code_is_served_with() -> None:
    tables = spec_tables()
    served_with = statuses()
    carried = {s.code for s in SITES if s.error_class is None and s.status is None}  # status not known here
    wrong = []
    for context, catalogue in CATALOGUES.items():
        for code, cells in tables[catalogue.__name__].items():
            if code in carried:
                continue
            want = status_cell(served_with.get((context, code), set()), code)
            if cells[1] != want:
                wrong.append(f"{code}: spec says {cells[1]!r}, the code serves {want!r}")
    assert not wrong, "spec §15's status column:\n" + "\n".join(wrong)


def test_every_failure_code_is_named_by_a_verdict() -> None:
    named = _failures_named(_modules())
    assert set(named) == {f.value for f in FailureCode}


def test_a_bogus_code_fails_the_scan() -> None:
    """The scan sees a new code: a raise of ``x_bogus`` in a copy of a module is found and is catalogued nowhere;
    a catalogue member given to a class that is not an error is read too."""
    source = (SRC / "services" / "paper" / "turnout.py").read_text(encoding="utf-8")
    bogus = source + '\n\ndef _bogus() -> None:\n    raise Conflict("bogus", code="x_bogus")\n'
    bogus += "\n\nCARRIED = Refusal(code=RecordCode.REVOTE_REFUSED)\n"  # a member is read even off an error class
    m = _Module("saylau.services.paper.turnout", ast.parse(bogus), frozenset())
    errors = _error_classes(_modules())
    found = [
        c
        for node in ast.walk(m.tree)
        for _, expr, _, _ in _code_settings(m, node, errors)
        for c in m.resolve(expr) or ()
    ]
    assert "x_bogus" in found
    assert "revote_refused" in found
    assert "x_bogus" not in catalogued()
