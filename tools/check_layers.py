"""Check that the modules of inpaint_nb stand in layers: each imports only modules of lower layers.

Two checks, both needed: every import statement anywhere in a module's source (including imports inside
functions and `importlib.import_module` calls, which only run later), and what importing the module actually
pulls in (in one interpreter that forgets the package's modules before each import). Prints one line per module and exits 1 on any upward import,
any import within a layer, any module missing from LAYERS, or any dynamic import of the package.

    python tools/check_layers.py
"""
import ast, json, subprocess, sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent/'inpaint_nb'
LAYERS = [  # lowest first; a module may import modules of lower layers only
    ['core'], ['data'], ['masks'], ['metrics', 'similarity', 'receptive_field'], ['losses'], ['filtering', 'fastconv'], ['checkpoints'], ['models'], ['official'],
    ['filtering_models', 'classical'], ['madf'], ['uncertainty'], ['lgnet', 'pgn'], ['zoo'], ['inpaint', 'train'], ['studies.kit'],
    ['studies.filtering', 'studies.madf', 'studies.uncertainty', 'studies.feature_similarity', 'studies.receptive_field'], ['studies.distance'], ['playground'], ['report'], ['app'], ['cli'],
]
RANK = {m: i for i, layer in enumerate(LAYERS) for m in layer}


def modules():
    "Every module of the package as a dotted name relative to it ('core', 'studies.kit')."
    for p in sorted(PKG.rglob('*.py')):
        rel = p.relative_to(PKG).with_suffix('')
        if rel.name in ('__init__', '_modidx'): continue
        yield '.'.join(rel.parts), p


def static_imports(name, path):
    "The package modules a module's source imports anywhere, and its uses of importlib on the package."
    tree, pkg = ast.parse(path.read_text()), name.split('.')[:-1]
    found, dynamic = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[:len(pkg) - (node.level - 1)] if node.level > 1 else pkg
                target = base + (node.module.split('.') if node.module else [])
            elif node.module and node.module.split('.')[0] == 'inpaint_nb': target = node.module.split('.')[1:]
            else: continue
            cands = ['.'.join(target + [a.name]) for a in node.names] + ['.'.join(target)]
            found |= {c for c in cands if c in RANK}
        elif isinstance(node, ast.Import):
            found |= {a.name[len('inpaint_nb.'):] for a in node.names if a.name.startswith('inpaint_nb.') and a.name[11:] in RANK}
        elif isinstance(node, ast.Call) and getattr(node.func, 'attr', None) == 'import_module':
            dynamic.append(ast.unparse(node))
    found.discard(name)
    return found, dynamic


RUNTIME = """
import importlib, json, sys
for name in sys.argv[1:]:
    for m in [m for m in sys.modules if m == 'inpaint_nb' or m.startswith('inpaint_nb.')]: del sys.modules[m]
    importlib.import_module('inpaint_nb.' + name)
    print(json.dumps([name, sorted(m[11:] for m in sys.modules if m.startswith('inpaint_nb.'))]))
"""


def runtime_imports(names) -> dict:
    """The package modules that importing each `inpaint_nb.<name>` loads: one interpreter imports them in turn,
    forgetting every module of the package before each (third-party libraries stay loaded: only the speed differs)."""
    r = subprocess.run([sys.executable, '-c', RUNTIME, *names], capture_output=True, text=True, cwd=PKG.parent)
    if r.returncode: raise SystemExit(f'importing the package\'s modules failed:\n{r.stderr[-2000:]}')
    loaded = dict(json.loads(line) for line in r.stdout.splitlines() if line.startswith('['))
    return {n: {m for m in loaded[n] if m in RANK and m != n} for n in names}


def main():
    problems, mods = [], list(modules())
    runtime = runtime_imports([n for n, _ in mods if n in RANK])
    for name, path in mods:
        if name not in RANK: problems.append(f'{name}: not in LAYERS (add it to tools/check_layers.py)'); continue
        st, dynamic = static_imports(name, path)
        rt = runtime[name]
        bad = sorted(m for m in st | rt if RANK[m] >= RANK[name])
        problems += [f'{name}: imports {m}, which is not in a lower layer' for m in bad]
        problems += [f'{name}: imports dynamically: {d}' for d in dynamic]
        print(f'{RANK[name]:2d} {name:22s} imports {", ".join(sorted(st | rt, key=RANK.get)) or "-"}')
    for p in problems: print('PROBLEM', p)
    print(f'{len(RANK)} modules in {len(LAYERS)} layers: ' + ('no upward or sideways import' if not problems else f'{len(problems)} problems'))
    return 1 if problems else 0


if __name__ == '__main__': sys.exit(main())
