"""Small helpers for editing notebook cells from a script (nbformat), used when a change touches many cells.

    from tools.nbedit import Notebook
    nb = Notebook('nbs/00_core.ipynb')
    nb.replace('def old(', 'def new(')          # in the one cell that contains the text
    nb.insert_after('def new(', md('Prose.'), code('#| export\\n...'))
    nb.save()
"""
import nbformat


def code(src): return nbformat.v4.new_code_cell(src.strip('\n'))
def md(src): return nbformat.v4.new_markdown_cell(src.strip('\n'))


class Notebook:
    def __init__(self, path):
        self.path, self.nb = path, nbformat.read(path, as_version=4)

    @property
    def cells(self): return self.nb.cells

    def find(self, text, kind=None) -> int:
        "The index of the one cell whose source contains `text`."
        hits = [i for i, c in enumerate(self.cells) if text in c.source and (kind is None or c.cell_type == kind)]
        if len(hits) != 1: raise ValueError(f'{self.path}: expected one cell containing {text!r}, found {len(hits)}')
        return hits[0]

    def replace(self, old, new, count=1):
        "Replace `old` by `new` in the one cell that contains it."
        c = self.cells[self.find(old)]
        if c.source.count(old) != count:
            raise ValueError(f'{self.path}: {old!r} occurs {c.source.count(old)} times in its cell, expected {count}')
        c.source = c.source.replace(old, new)

    def set(self, text, new_source):
        "Replace the whole source of the cell that contains `text`."
        self.cells[self.find(text)].source = new_source.strip('\n')

    def delete(self, text): del self.cells[self.find(text)]

    def insert_after(self, text, *cells):
        i = self.find(text)
        self.cells[i + 1:i + 1] = list(cells)

    def insert_before(self, text, *cells):
        i = self.find(text)
        self.cells[i:i] = list(cells)

    def append(self, *cells): self.cells.extend(cells)

    def save(self, path=None): nbformat.write(self.nb, path or self.path)
