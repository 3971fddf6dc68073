#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (Quarto-free): markdown cells as they are, visible code cells
as fenced Python, their text output (if any) as a fenced block. Cells marked `#| hide` are left out.
With --check, write nothing and exit 1 if README.md differs from what the notebook gives."""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def cell_text(cell):
    src = cell['source']
    return ''.join(src) if isinstance(src, list) else src

def render(nb_path=ROOT/'nbs'/'index.ipynb'):
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = []
    for cell in nb['cells']:
        text = cell_text(cell).strip('\n')
        lines = text.splitlines()
        if any(l.strip().replace(' ', '') in ('#|hide', '#|exporti') for l in lines): continue
        if cell['cell_type'] == 'markdown':
            parts.append(text)
        elif cell['cell_type'] == 'code':
            code = '\n'.join(l for l in lines if not l.lstrip().startswith('#|')).strip('\n')
            if code: parts.append(f'```python\n{code}\n```')
            out = ''.join(''.join(o.get('text', '')) for o in cell.get('outputs', []) if o.get('output_type') == 'stream')
            if out.strip(): parts.append(f'```\n{out.rstrip()}\n```')
    return '\n\n'.join(parts) + '\n'

def main(argv):
    readme, text = ROOT/'README.md', render()
    if '--check' in argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            print('README.md does not match nbs/index.ipynb: run `python tools/make_readme.py` and commit the result')
            return 1
        print('README.md matches nbs/index.ipynb')
        return 0
    readme.write_text(text, encoding='utf-8')
    print(f'wrote {readme}')
    return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
