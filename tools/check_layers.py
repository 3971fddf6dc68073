"""Check that the modules of inpaint_nb stand in layers: each imports only modules of lower layers.

Two checks, both needed: every import statement anywhere in a module's source (including imports inside
functions and `importlib.import_module` calls, which only run later), and what importing the module in a
fresh interpreter actually pulls in. Prints one line per module and exits 1 on any upward import,
any import within a layer, any module missing from LAYERS, or any dynamic import of the package.

    python tools/check_layers.py
"""
import ast, json, subprocess, sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent/'inpaint_nb'
LAYERS = [  # lowest first; a module may import modules of lower layers only
    ['core'], ['data'], ['masks'], ['metrics', 'similarity', 'receptive_field'], ['losses'], ['filtering'], ['checkpoints'], ['models'],
    ['filtering_models'], ['madf'], ['uncertainty'], ['lgnet', 'pgn'], ['official'], ['zoo'], ['inpaint', 'train'], ['studies.kit'],
    ['studies.filtering', 'studies.madf', 'studies.uncertainty', 'studies.feature_similarity', 'studies.receptive_field'], ['playground'], ['report'], ['app'], ['cli'],
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


def runtime_imports(name):
    "The package modules that importing `inpaint_nb.<name>` in a fresh interpreter loads."
    code = (f'import sys, json; import inpaint_nb.{name}; '
            'print(json.dumps(sorted(m[11:] for m in sys.modules if m.startswith("inpaint_nb."))))')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=PKG.parent)
    if r.returncode: raise SystemExit(f'importing inpaint_nb.{name} failed:\n{r.stderr[-2000:]}')
    return {m for m in json.loads(r.stdout.strip().splitlines()[-1]) if m in RANK and m != name}


def main():
    problems = []
    for name, path in modules():
        if name not in RANK: problems.append(f'{name}: not in LAYERS (add it to tools/check_layers.py)'); continue
        st, dynamic = static_imports(name, path)
        rt = runtime_imports(name)
        bad = sorted(m for m in st | rt if RANK[m] >= RANK[name])
        problems += [f'{name}: imports {m}, which is not in a lower layer' for m in bad]
        problems += [f'{name}: imports dynamically: {d}' for d in dynamic]
        print(f'{RANK[name]:2d} {name:22s} imports {", ".join(sorted(st | rt, key=RANK.get)) or "-"}')
    for p in problems: print('PROBLEM', p)
    print(f'{len(RANK)} modules in {len(LAYERS)} layers: ' + ('no upward or sideways import' if not problems else f'{len(problems)} problems'))
    return 1 if problems else 0


if __name__ == '__main__': sys.exit(main())
