"""Write a notebook from a plain-text draft: cells separated by lines `#%% md` (Markdown) or `#%%` (code).

    python tools/cells2nb.py draft.txt nbs/40_receptive_field.ipynb
"""
import sys
import nbformat

def cells(text):
    kind, lines, out = None, [], []
    for line in text.splitlines():
        if line.strip() in ('#%%', '#%% md'):
            if kind and '\n'.join(lines).strip(): out.append((kind, '\n'.join(lines).strip('\n')))
            kind, lines = ('markdown' if line.strip() == '#%% md' else 'code'), []
        else: lines.append(line)
    if kind and '\n'.join(lines).strip(): out.append((kind, '\n'.join(lines).strip('\n')))
    return out

if __name__ == '__main__':
    src, dst = sys.argv[1:3]
    nb = nbformat.v4.new_notebook()
    nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    nb.cells = [nbformat.v4.new_markdown_cell(s) if k == 'markdown' else nbformat.v4.new_code_cell(s) for k, s in cells(open(src).read())]
    nbformat.write(nb, dst)
