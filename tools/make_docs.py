"""Build the documentation site in _docs/: every notebook as an HTML page with its outputs, in notebook order.

    python tools/make_docs.py [--run _docs/_run] [--out _docs]

Reads the executed notebooks that `tools/run_notebooks.py` leaves in --run (outputs kept; a notebook with
no executed copy newer than its source is rendered without outputs, and said so). As nbdev's site does:
`#| hide` cells are left out, directive lines are not shown, `#| echo: false` shows only the output, and
after each exported cell its public functions and classes are documented (signature and docstring, as
`show_doc` shows them). Interactive explorers become a note on how to open them. Links between notebooks
point to their pages; every page has a sidebar in notebook order; index.ipynb is the landing page."""
import argparse, ast, html, importlib, inspect, re, sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter
from traitlets.config import Config

from run_notebooks import executed_copy           # (tools/ is on the path: this script's own folder)

ROOT = Path(__file__).resolve().parent.parent
WIDGET = 'application/vnd.jupyter.widget-view+json'
SHOW_DOC = re.compile(r'^show_doc\(([\w.]+)\)$')
DIRECTIVE = re.compile(r'^\s*#\|\s*([\w-]+:?)\s*(.*?)\s*$')
EXPLORER_NOTE = ('<p class="note">An interactive explorer is shown here when the notebook runs: open the notebook in '
                 'JupyterLab (<code>make lab</code>) or every explorer in the browser with <code>inpaint_nb explore</code>.</p>')


def split_directives(src: str) -> tuple:
    "The leading `#| name: value` lines of a cell as a dict, and the source without them."
    lines, direc = src.splitlines(), {}
    while lines and DIRECTIVE.match(lines[0]):
        k, v = DIRECTIVE.match(lines[0]).groups(); direc[k.rstrip(':')] = v; lines.pop(0)
    return direc, '\n'.join(lines).strip('\n')


def title_of(nb) -> str:
    "The notebook's first markdown heading."
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return 'untitled'


def public_names(src: str) -> list:
    "The functions and classes an exported cell defines, `Class.method` for those added with `@patch`."
    names = []
    for node in ast.parse(src).body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or node.name.startswith('_'): continue
        patched = any('patch' in ast.unparse(d) for d in node.decorator_list)
        if patched and node.args.args and node.args.args[0].annotation is not None:
            names.append(f'{ast.unparse(node.args.args[0].annotation)}.{node.name}')
        else: names.append(node.name)
    return names


def short_defaults(sig, most=60):
    "`sig` with each default other than a string whose repr is longer than `most` characters shown as `...` (a table of rows, lambdas)."
    class Short:
        def __repr__(self): return '...'
    return sig.replace(parameters=[p.replace(default=Short()) if p.default is not p.empty and not isinstance(p.default, str) and len(repr(p.default)) > most else p
                                   for p in sig.parameters.values()])


def doc_markdown(module, name: str) -> str:
    "What `show_doc` shows for `module.name`: the heading, the signature, the docstring."
    obj = module
    for part in name.split('.'): obj = getattr(obj, part)
    if isinstance(obj, property): obj, sig = obj.fget, ''
    else:
        try: sig = str(short_defaults(inspect.signature(obj)))
        except (TypeError, ValueError): sig = '(...)'
    kind = 'class' if inspect.isclass(obj) else 'def'
    doc = inspect.getdoc(obj) or ''
    return f'#### {name}\n\n```python\n{kind} {name}{sig}\n```\n\n{doc}'


def with_outputs(nb, executed):
    "The source notebook `nb` with the outputs of its executed copy, cell by cell (matched by cell id)."
    outs = {c.get('id'): c for c in executed.cells if c.cell_type == 'code'}
    for c in nb.cells:
        if c.cell_type == 'code' and c.get('id') in outs:
            c.outputs, c.execution_count = outs[c.id].get('outputs', []), outs[c.id].get('execution_count')
    return nb


def page_cells(nb) -> list:
    "The cells of the page: hidden ones left out, directives removed, explorers replaced, API docs added."
    code = [(c, *split_directives(c.source)) for c in nb.cells if c.cell_type == 'code']
    module_name = next((d['default_exp'] for _, d, _ in code if 'default_exp' in d), None)
    module = importlib.import_module(f'inpaint_nb.{module_name}') if module_name else None
    shown = {m.group(1) for _, _, src in code for m in [SHOW_DOC.match(src)] if m}
    parsed, cells = {id(c): (d, src) for c, d, src in code}, []
    for c in nb.cells:
        if c.cell_type != 'code': cells.append(c); continue
        direc, src = parsed[id(c)]
        if 'hide' in direc or not src: continue
        if SHOW_DOC.match(src) and module is not None:                  # an explicit show_doc: its documentation, here
            cells.append(nbformat.v4.new_markdown_cell(doc_markdown(module, SHOW_DOC.match(src).group(1)))); continue
        c = nbformat.from_dict({**c, 'source': src})
        if direc.get('echo', '').lower() == 'false': c.metadata['tags'] = ['remove_input']
        if direc.get('output', '').lower() == 'false': c.outputs = []
        c.outputs = [o for o in c.get('outputs', []) if o.get('output_type') == 'stream' or o.get('data') or o.get('output_type') == 'error']
        for o in c.outputs:                                             # (an explorer's cell also returns an empty result: dropped)
            if WIDGET in o.get('data', {}): o['data'] = {'text/html': EXPLORER_NOTE}
        cells.append(c)
        if module is not None and ({'export', 'exports'} & direc.keys()):
            cells += [nbformat.v4.new_markdown_cell(doc_markdown(module, n)) for n in public_names(src) if n not in shown]
    return cells


CSS = """
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #222; display: flex; }
nav.sidebar { position: sticky; top: 0; height: 100vh; overflow-y: auto; width: 17rem; flex: none;
  background: #f6f7f9; border-right: 1px solid #ddd; padding: 1rem; box-sizing: border-box; font-size: 14px; }
nav.sidebar ol { padding-left: 1.2rem; } nav.sidebar li { margin: .25rem 0; }
nav.sidebar a { color: #245; text-decoration: none; } nav.sidebar a.current { font-weight: bold; color: #000; }
nav.sidebar .home { font-size: 1.2rem; font-weight: bold; }
main { max-width: 60rem; padding: 1rem 2.5rem 4rem; min-width: 0; }
.prompt { display: none; } .anchor-link { visibility: hidden; margin-left: .3em; text-decoration: none; }
h1:hover .anchor-link, h2:hover .anchor-link, h3:hover .anchor-link, h4:hover .anchor-link { visibility: visible; }
.input_area pre, .output_text pre { background: #f7f7f7; padding: .6rem .8rem; overflow-x: auto; border-radius: 4px; font-size: 13px; }
.output_text pre { background: #fff; border-left: 3px solid #ddd; }
.output_error pre { border-left-color: #c33; }
.rendered_html table { border-collapse: collapse; margin: .5rem 0; font-size: 14px; }
.rendered_html th, .rendered_html td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: right; }
.output_png img, .rendered_html img { max-width: 100%; }
.text_cell_render h4 { border-top: 1px solid #ddd; padding-top: .6rem; margin-bottom: .2rem; }
.note { background: #eef5ff; border: 1px solid #bcd; padding: .5rem .8rem; border-radius: 4px; }
footer { margin-top: 3rem; color: #666; font-size: 13px; }
"""


def render_page(nb, exporter, pages, name, title) -> str:
    "One page: the sidebar, the notebook's cells as HTML, links to notebooks pointing to their pages."
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r'href="([\w.-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    items = '\n'.join(f'<li><a href="{p}.html"{" class=current" if p == name else ""}>{html.escape(t)}</a></li>'
                      for p, t in pages if p != 'index')
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - inpaint_nb</title><link rel="icon" href="data:,"><link rel="stylesheet" href="style.css"></head>
<body><nav class="sidebar"><a class="home" href="index.html">inpaint_nb</a><ol>
{items}
</ol></nav>
<main>
{body}
<footer>This page is the notebook <code>nbs/{name}.ipynb</code> with its outputs; open it in JupyterLab to run it.</footer>
</main></body></html>
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--run', type=Path, default=ROOT/'_docs'/'_run', help='the executed notebooks (tools/run_notebooks.py)')
    p.add_argument('--out', type=Path, default=ROOT/'_docs', help='the folder of the site')
    a = p.parse_args()
    sys.path.insert(0, str(ROOT))
    sources = sorted((ROOT/'nbs').glob('*.ipynb'), key=lambda f: (f.stem != 'index', f.stem != 'tour', f.stem))
    c = Config(); c.TagRemovePreprocessor.enabled = True; c.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    exporter = HTMLExporter(template_name='basic', config=c)
    nbs, pages, stale = {}, [], []
    for src in sources:
        run = executed_copy(src, a.run)
        if run is None: stale.append(src.name)
        nbs[src.stem] = nbformat.read(src, as_version=4)
        if run is not None: with_outputs(nbs[src.stem], nbformat.read(run, as_version=4))
        pages.append((src.stem, title_of(nbs[src.stem])))
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out/'style.css').write_text(CSS + HtmlFormatter(style='default').get_style_defs('.highlight'))
    for name, title in pages:
        nb = nbs[name]
        nb.cells = page_cells(nb)
        (a.out/f'{name}.html').write_text(render_page(nb, exporter, pages, name, title))
    if stale: print(f'without outputs (no executed copy newer than the notebook in {a.run}): {", ".join(stale)}')
    print(f'{len(pages)} pages in {a.out}')


if __name__ == '__main__': main()
