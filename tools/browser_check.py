"""Check in a real browser what users see: Playwright drives the system's Chromium against servers on 127.0.0.1.

    python tools/browser_check.py [SCENARIO ...] [--chromium /usr/bin/chromium] [--screenshots DIR]

Scenarios: one per explorer (Voila serves a notebook of one cell that builds it; the check moves its
controls and checks that the figure and caption follow), `app` (`inpaint_nb explore`), `explain` (the page
`inpaint_nb inpaint --explain` writes, for a photograph whose name tries to inject an element), `lab` (JupyterLab 4
with a token: Run All on the filtering study, then drag its explorer's slider) and `docs` (every page of
the site `make docs` builds: links, images, requests, script errors). A page that never renders is tried
again with a fresh server (five tries in all), said so: Voila 0.5 now and then waits forever for a cell
the kernel has finished (its log shows the cell's last message, then nothing; upstream: voila-dashboards/voila#1446).
Measured on the feature page: no stall in 12 fetches without a browser nor in 15 pages in Chromium on one server,
1 of 15 with a fresh server each time, 9 of 20 with `--VoilaConfiguration.progressive_rendering=True` (so not that).
The screenshot, text and server log of a failed try are kept. Needs the dev extras (Voila, JupyterLab, Playwright) and a Chromium
(Debian: `apt-get install -y --no-install-recommends chromium`); Playwright's own browser download is never used.
Prints "N passed, N failed"; exits 1 when a check fails."""
import argparse, functools, os, re, secrets, shutil, socket, subprocess, sys, tempfile, time
from pathlib import Path
from urllib.parse import urljoin, urlparse

from inpaint_nb.app import EXPLORERS

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {}
APP = {page: code for page, (_, _, code) in EXPLORERS.items()}   # the code that builds each explorer: the app's

def scenario(name, code=None, server='voila'):
    """Register a check: the function drives the page. `server`: 'voila' serves a notebook of one cell, `code`,
    that builds the explorer; 'app' the whole `inpaint_nb explore`; 'lab' JupyterLab; 'docs' the site in _docs."""
    def deco(f):
        SCENARIOS[name] = (code, f, server)
        return f
    return deco

def slider(page, label):
    return page.locator(f'.widget-slider:has(label:text-is("{label}")) .noUi-handle').first

def dropdown(page, label):
    return page.locator(f'.widget-dropdown:has(label:text-is("{label}")) select').first

def wait_text(page, locator, pattern, timeout=60):
    "Wait until the text of `locator` matches `pattern`; returns it."
    end = time.time() + timeout
    while time.time() < end:
        t = locator.inner_text()
        if re.search(pattern, t): return t
        page.wait_for_timeout(250)
    raise AssertionError(f'expected text matching {pattern!r}, still {locator.inner_text()!r}')

def figure_png(page):
    "The src of the figure image the explorer shows (changes whenever the figure is redrawn)."
    return page.locator('.widget-output img').first.get_attribute('src')

def figure_changed(page, before, timeout=20):
    "Whether the figure's image differs from `before` within `timeout` seconds."
    end = time.time() + timeout
    while time.time() < end:
        if figure_png(page) != before: return True
        page.wait_for_timeout(250)
    return False

@scenario('kernel', APP['kernels'])
def check_kernel(page, shots):
    checks = []
    info = page.locator('.widget-html').filter(has_text='pixel (y=').first
    t0 = wait_text(page, info, r'pixel \(y=32, x=32\)')
    checks.append(('opens on pixel (32, 32) with the MISF model', 'misf' in t0))
    before = figure_png(page)
    h = slider(page, 'x'); h.focus()
    for _ in range(5): page.keyboard.press('ArrowRight')
    t1 = wait_text(page, info, r'x=37\)')
    checks.append(('five ArrowRight presses on the x slider move the pixel to x=37', 'x=37' in t1))
    checks.append(('the figure is redrawn', figure_changed(page, before)))
    page.screenshot(path=str(shots/'kernel_1.png'), full_page=True)
    dropdown(page, 'model').select_option('imgfilter')
    t2 = wait_text(page, info, r'<b>imgfilter|imgfilter')
    checks.append(('choosing ImgFilter in the model dropdown updates the caption', 'imgfilter' in t2))
    dropdown(page, 'mask').select_option('brush')
    t3 = wait_text(page, info, r'known|hole,')
    page.wait_for_timeout(1000); t3 = info.inner_text()
    r = slider(page, 'hole ratio'); r.focus()
    for _ in range(3): page.keyboard.press('ArrowRight')          # 30 % -> 45 %: masks drawn with 40-50 % holes
    t4 = wait_text(page, info, r'hole ratio (3[5-9]|[45][0-9])\.')
    ratio = float(re.search(r'hole ratio ([0-9.]+)%', t4).group(1))
    checks.append((f'three steps of the ratio slider give a brush mask with a 40-50 % hole (page: {ratio}%)', 38 <= ratio <= 52))
    page.screenshot(path=str(shots/'kernel_2.png'), full_page=True)
    return checks, [t0, t1, t2, t3, t4]

@scenario('madf', APP['madf'])
def check_madf(page, shots):
    checks = []
    info = page.locator('.widget-html').filter(has_text='valid, mean kernel energy').first
    t0 = wait_text(page, info, r'A 57% valid.*B 100% valid')
    checks.append(('opens with patch A = left half (57 % valid) and B = all valid', bool(re.search(r'A 57% valid.*B 100% valid', t0))))
    before = figure_png(page)
    grid_b = page.locator('.widget-gridbox').nth(1)
    centre = grid_b.locator('button').nth(3 * 7 + 3)
    centre.click()                                                 # the centre cell of patch B
    t1 = wait_text(page, info, r'B 98% valid')
    checks.append(('clicking the centre cell of patch B makes it 48/49 = 98 % valid', 'B 98% valid' in t1))
    colour = centre.evaluate('e => getComputedStyle(e).backgroundColor')
    checks.append((f'the clicked cell turns black (background {colour})', colour in ('rgb(34, 34, 34)',)))
    checks.append(('the kernels figure is redrawn', figure_changed(page, before)))
    preset_b = page.locator('.widget-dropdown:has(label:text-is("patch B")) select').first
    checks.append(('the preset of patch B switches to custom', 'custom' in preset_b.input_value()))
    dropdown(page, 'patch A').select_option('all hole')
    t2 = wait_text(page, info, r'A 0% valid')
    checks.append(('choosing "all hole" for patch A gives a 0 % valid patch', 'A 0% valid' in t2))
    e_all_hole = float(re.search(r'A 0% valid, mean kernel energy ([0-9.]+)', t2).group(1))
    dropdown(page, 'patch A').select_option('all valid')
    t3 = wait_text(page, info, r'A 100% valid')
    e_all_valid = float(re.search(r'A 100% valid, mean kernel energy ([0-9.]+)', t3).group(1))
    checks.append((f'the page reports kernel energies for both (all hole {e_all_hole}, all valid {e_all_valid})',
                   e_all_hole > 0 and e_all_valid > 0 and e_all_hole != e_all_valid))
    page.screenshot(path=str(shots/'madf_1.png'), full_page=True)
    return checks, [t0, t1, t2, t3]

@scenario('uncertainty', APP['uncertainty'])
def check_uncertainty(page, shots):
    checks = []
    info = page.locator('.widget-html').filter(has_text='uncertainty').first
    t0 = wait_text(page, info, r'pixel \(y=32, x=32\).*\(avg, image-normalized\)')
    checks.append(('opens on pixel (32, 32) with the avg map, per-image normalized', bool(re.search(r'\(avg, image-normalized\)', t0))))
    before = figure_png(page)
    slider(page, 'y').focus()
    for _ in range(3): page.keyboard.press('ArrowLeft')
    t1 = wait_text(page, info, r'y=29')
    checks.append(('three ArrowLeft presses on the y slider move the pixel to y=29', 'y=29' in t1))
    dropdown(page, 'reduction').select_option('l2')
    t2 = wait_text(page, info, r'\(l2, image-normalized\)')
    checks.append(('choosing the l2 reduction updates the caption', '(l2, image-normalized)' in t2))
    dropdown(page, 'normalize').select_option('batch')
    t3 = wait_text(page, info, r'\(l2, batch-normalized\)')
    u2, u3 = (float(re.search(r'uncertainty ([0-9.]+)', t).group(1)) for t in (t2, t3))
    checks.append((f'batch normalization changes the pixel\'s uncertainty ({u2} -> {u3})', u2 != u3))
    checks.append(('the figure is redrawn', figure_changed(page, before)))
    page.screenshot(path=str(shots/'uncertainty_1.png'), full_page=True)
    return checks, [t0, t1, t2, t3]

@scenario('feature', APP['feature_similarity'])
def check_feature(page, shots):
    checks = []
    info = page.locator('.widget-html').filter(has_text='ZNCC at F3').first
    t0 = wait_text(page, info, r'misf.*at block1')
    checks.append(('opens on MISF at block1 with the ZNCC numbers', 'before filtering' in t0 and 'after' in t0))
    before = figure_png(page)
    dropdown(page, 'layer').select_option('decoder2')
    t1 = wait_text(page, info, r'at decoder2')
    checks.append(('choosing the decoder2 layer updates the caption', 'at decoder2' in t1))
    checks.append(('the figure is redrawn', figure_changed(page, before)))
    dropdown(page, 'model').select_option('endecoder')
    t2 = wait_text(page, info, r'endecoder')
    b, a = (float(x) for x in re.search(r'ZNCC at F3 ([-0-9.]+) before filtering, ([-0-9.]+) after', t2).groups())
    checks.append((f'the EnDecoder has no filter: before = after ({b} = {a})', a == b))
    page.screenshot(path=str(shots/'feature_1.png'), full_page=True)
    return checks, [t0, t1, t2]

@scenario('receptive', APP['receptive_field'])
def check_receptive(page, shots):
    checks = []
    info = page.locator('.widget-html').filter(has_text='hole ratio inside the RF').first
    t0 = wait_text(page, info, r'misf.*RF 118 x 118')
    checks.append(('opens on MISF, output pixel (32, 32), RF 118 x 118', 'position (32, 32)' in t0))
    before = figure_png(page)
    h = slider(page, 'x'); h.focus()
    for _ in range(6): page.keyboard.press('ArrowLeft')
    t1 = wait_text(page, info, r'position \(32, 26\)')
    checks.append(('six ArrowLeft presses on the x slider move the pixel to (32, 26)', 'position (32, 26)' in t1))
    checks.append(('the figure is redrawn', figure_changed(page, before)))
    dropdown(page, 'layer').select_option('encoder.1')
    t2 = wait_text(page, info, r'encoder\.1 at')
    checks.append(('the first 7x7 convolution has a 7 x 7 RF', 'RF 7 x 7' in t2))
    dropdown(page, 'model').select_option('lgnet C+L+G_att')
    t3 = wait_text(page, info, r'lgnet')
    checks.append(('LGNet with attention: the RF is the whole input', 'whole input' in t3))
    dropdown(page, 'stage').select_option(label='stage 1 of 3')
    t4 = wait_text(page, info, r'stage 1 of 3')
    checks.append(("its first stage, Net_C, has a finite RF (190)", 'RF 190 x 190' in t4))
    page.screenshot(path=str(shots/'receptive_1.png'), full_page=True)
    return checks, [t0, t1, t2, t3, t4]

@scenario('playground', APP['playground'])
def check_playground(page, shots):
    checks = []
    info = page.locator('.widget-html').filter(has_text='of the photograph').first
    t0 = wait_text(page, info, r'hole [0-9.]+% of the photograph; filled by 3 models')
    hole0 = float(re.search(r'hole ([0-9.]+)%', t0).group(1))
    info = info.element_handle()                                          # the caption's element, whatever it says later
    checks.append(('opens with a generated hole filled by MISF, MADF and JPGNet', all(n in t0 for n in ('misf', 'madf', 'jpgnet'))))
    before = figure_png(page)
    box = page.locator('img.widget-image').first.bounding_box()
    y = box['y'] + box['height'] * 0.8
    page.mouse.move(box['x'] + box['width'] * 0.1, y); page.mouse.down()
    for k in range(1, 21): page.mouse.move(box['x'] + box['width'] * (0.1 + 0.04 * k), y - box['height'] * 0.01 * k, steps=2)
    page.mouse.up()
    t1 = wait_text(page, info, rf'hole (?!{re.escape(f"{hole0:.1f}")}%)[0-9.]+% of the photograph; filled')
    hole1 = float(re.search(r'hole ([0-9.]+)%', t1).group(1))
    checks.append((f'a drag across the photograph paints a hole ({hole0}% -> {hole1}%) and the models fill it again', hole1 > hole0 + 1))
    checks.append(('the figure is redrawn', figure_changed(page, before)))
    page.screenshot(path=str(shots/'playground_1.png'), full_page=True)
    page.locator('.widget-toggle-buttons button', has_text='inspect').first.click()
    page.mouse.click(box['x'] + box['width'] * 0.5, y - box['height'] * 0.1)
    t2 = wait_text(page, info, r'pixel \(x=\d+, y=\d+\): misf')
    checks.append(("with the inspect tool a click shows MISF's image kernels at that pixel", "misf's image kernels at working pixel" in t2))
    page.screenshot(path=str(shots/'playground_2.png'), full_page=True)
    with page.expect_file_chooser() as chooser:                            # a callback that raises: the page says so
        page.locator('.widget-upload').first.click()
    chooser.value.set_files(files=[{'name': 'notes.txt', 'mimeType': 'text/plain', 'buffer': b'not a photograph'}])
    t3 = wait_text(page, info, r'cannot identify image file')
    checks.append(('uploading a text file shows the error in the caption', 'UnidentifiedImageError' in t3 or 'cannot identify' in t3))
    page.locator('.widget-button', has_text=re.compile('^clear$')).first.click()
    t4 = wait_text(page, info, r'hole 0\.0% of the photograph')
    checks.append(('after the error the controls still work: "clear" empties the hole', 'cannot identify' not in t4))
    return checks, [t0, t1, t2, t3, t4]

@scenario('app', server='app')          # no notebook: `inpaint_nb explore` serves the whole app
def check_app(page, shots):
    checks = []
    links = page.locator('a', has_text=re.compile('Filtering kernels|MADF kernels|Uncertainty maps|Receptive fields|Feature similarity|Inpainting playground'))
    n = links.count()
    checks.append((f'the landing page links every explorer ({n} of 6)', n == 6))
    page.screenshot(path=str(shots/'app_1.png'), full_page=True)
    link = page.locator('a', has_text='Filtering kernels').first                 # the page's links open new tabs: follow it here
    checks.append(('the link leads to the explorer\'s page', link.get_attribute('href').endswith('kernels.ipynb')))
    from urllib.parse import urljoin
    page.goto(urljoin(page.url, link.get_attribute('href')), wait_until='commit')
    try: page.wait_for_selector('.widget-output img', timeout=180000)
    finally: page.screenshot(path=str(shots/'app_2.png'), full_page=True)
    info = page.locator('.widget-html').filter(has_text='pixel (y=').first
    t0 = wait_text(page, info, r'pixel \(y=32, x=32\)')
    checks.append(('its link opens the filtering explorer, drawn, with its caption', 'misf' in t0))
    page.screenshot(path=str(shots/'app_2.png'), full_page=True)
    return checks, [t0]

LAB_WAIT = 300                              # seconds for Run All
LAB_STUDIES = ('12_filtering_study.ipynb', '21_madf_study.ipynb', '31_uncertainty_study.ipynb',
               '43_receptive_field_study.ipynb', '51_feature_similarity_study.ipynb')
LAB_NOTEBOOK = LAB_STUDIES[0]               # the first study, where a teacher starts: its explorer shows the kernels

def conclusion_phrase(name) -> str:
    """The first bold phrase of a study's 'What we found' cell, as the notebook file holds it (no output needed)."""
    import nbformat
    cell = next(c for c in nbformat.read(ROOT/'nbs'/name, 4).cells if c.cell_type == 'markdown' and c.source.startswith('## What we found'))
    return re.search(r'\*\*(.+?)\*\*', cell.source).group(1)

def conclusion_shown(page, name, timeout=60) -> bool:
    "Whether the open, unrun notebook `name` shows its conclusion as rendered text, and no unformatted `{...}` field."
    phrase = conclusion_phrase(name)
    strong = page.locator('.jp-RenderedMarkdown strong', has_text=phrase).first
    try: strong.wait_for(state='visible', timeout=timeout * 1000)
    except Exception: return False
    fields = page.locator('.jp-RenderedMarkdown:visible', has_text=re.compile(r'\{[^{}]*:[+.]?\d*[fde%]\}')).count()
    return fields == 0

@scenario('lab', server='lab')
def check_lab(page, shots):
    "JupyterLab 4: the filtering study's conclusion before anything runs; Run All, then drag the explorer's x slider; the other studies' conclusions, unrun."
    checks = [(f'{LAB_NOTEBOOK}, not run, shows its conclusion ("{conclusion_phrase(LAB_NOTEBOOK)}")', conclusion_shown(page, LAB_NOTEBOOK))]
    page.locator('.lm-MenuBar-itemLabel', has_text=re.compile('^Run$')).click()
    page.locator('.lm-Menu-itemLabel', has_text=re.compile('^Run All Cells$')).click()
    t_run = time.time()
    page.wait_for_selector('.jp-OutputArea .widget-output img', timeout=LAB_WAIT * 1000)
    t_shown = time.time() - t_run
    page.wait_for_function('() => !Array.from(document.querySelectorAll(".jp-InputArea-prompt")).some(e => e.innerText.includes("*"))',
                           timeout=LAB_WAIT * 1000)                                   # every cell has run
    info = page.locator('.jp-OutputArea .widget-html').filter(has_text='pixel (y=').first
    info.scroll_into_view_if_needed()
    t0 = wait_text(page, info, r'pixel \(y=\d+, x=\d+\)')
    checks.append((f'Run All shows the kernel explorer in JupyterLab (after {t_shown:.0f} s; all cells in {time.time() - t_run:.0f} s)', 'pixel (y=' in t0))
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]:has-text("Traceback"), '
                          '.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]').count()
    checks.append((f'every cell ran without an error ({errors} errors)', errors == 0))
    before, x0 = figure_png(page), re.search(r'x=(\d+)', t0).group(1)
    handle = page.locator('.jp-OutputArea .widget-slider:has(label:text-is("x")) .noUi-handle').first
    handle.scroll_into_view_if_needed(); box = handle.bounding_box()
    page.mouse.move(box['x'] + box['width'] / 2, box['y'] + box['height'] / 2); page.mouse.down()
    page.mouse.move(box['x'] + box['width'] / 2 + 40, box['y'] + box['height'] / 2, steps=8); page.mouse.up()
    x1 = page.locator('.jp-OutputArea .widget-slider:has(label:text-is("x")) .widget-readout').first.inner_text().strip()
    t1 = wait_text(page, info, rf'x={x1}\)')                           # the explorer catches up with the slider
    checks.append((f'dragging the x slider moves the pixel (x={x0} -> x={x1}) and the caption follows', x1 != x0))
    checks.append(('the figure is redrawn', figure_changed(page, before)))
    page.screenshot(path=str(shots/'lab_1.png'), full_page=False)
    page.on('dialog', lambda dialog: dialog.accept())                  # leave the run notebook without saving it
    for name in LAB_STUDIES[1:]:                                       # opened, never run
        page.goto(urljoin(page.url.split('?')[0], name), wait_until='load')
        checks.append((f'{name}, not run, shows its conclusion ("{conclusion_phrase(name)}")', conclusion_shown(page, name, LAB_WAIT)))
    return checks, [t0, t1]

@functools.cache
def page_text(name) -> str: return (ROOT/'_docs'/name).read_text()

@scenario('docs', server='docs')
def check_docs(page, shots):
    "Every page of the site: no broken link, image or request, no JavaScript error."
    checks, texts = [], []
    pages = ['index.html'] + [h for h in page.eval_on_selector_all('nav.sidebar ol a', 'es => es.map(e => e.getAttribute("href"))')]
    n_nbs = len(list((ROOT/'nbs').glob('*.ipynb')))
    checks.append((f'the sidebar lists a page for every notebook ({len(pages)} of {n_nbs})', len(pages) == n_nbs))
    checks.append(('the tour comes first, after the landing page', pages[1:2] == ['tour.html']))
    base, shown = page.url.rsplit('/', 1)[0] + '/', {}
    for name in pages:
        page.errors.clear()
        page.goto(urljoin(base, name), wait_until='load')
        hrefs = page.eval_on_selector_all('a[href]', 'es => es.map(e => e.getAttribute("href"))')
        broken = []
        for h in hrefs:
            u = urlparse(h)
            if u.scheme in ('http', 'https', 'mailto', 'data'): continue
            target = u.path or name
            if u.path and not (ROOT/'_docs'/target).is_file(): broken.append(h)
            elif u.fragment and target != name and f'id="{u.fragment}"' not in page_text(target): broken.append(h)
            elif u.fragment and target == name and not page.evaluate('f => !!(document.getElementById(f) || document.getElementById(decodeURIComponent(f)))', u.fragment):
                broken.append(h)
        images = page.evaluate('() => Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.src.slice(0, 60)])')
        bad_img, shown[name] = [src for ok, src in images if not ok], images
        ok = not broken and not bad_img and not page.errors
        checks.append((f'{name}: {len(hrefs)} links, {len(images)} images, no broken link, image, request or script error', ok))
        if not ok: texts.append(f'{name}: broken links {broken[:5]}, images {bad_img[:3]}, errors {page.errors[:3]}')
    tour = shown.get('tour.html', [])
    checks.append((f'the tour shows its two figures, loaded ({len(tour)} images)', len(tour) >= 2 and all(ok for ok, _ in tour)))
    page.goto(urljoin(base, '12_filtering_study.html'), wait_until='load')
    page.screenshot(path=str(shots/'docs_1.png'), full_page=False)
    return checks, texts

HOSTILE = 'a"><img src=x onerror=alert(1)> #1'      # a photograph's name that tries to add an element and a script

@scenario('explain', server='explain')
def check_explain(page, shots):
    "The page `inpaint_nb inpaint --explain` writes for a photograph with a hostile name: only its own elements, every image shown."
    dialogs = []
    page.on('dialog', lambda d: (dialogs.append(d.message), d.dismiss()))
    page.wait_for_load_state('load'); page.wait_for_timeout(500)
    images = page.evaluate('() => Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)')
    checks = [(f'the heading is the name as written ({page.inner_text("h1")!r})', page.inner_text('h1') == HOSTILE),
              (f'6 images (filled, raw, mask, three views), all shown: {images}', len(images) == 6 and all(images)),
              ('no element with an event handler, no script', page.evaluate('() => document.querySelectorAll("[onerror], script").length') == 0),
              (f'no dialog, no script error, no failed request ({dialogs + page.errors})', not dialogs and not page.errors)]
    page.screenshot(path=str(shots/'explain_1.png'), full_page=False)
    return checks, []

CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync',    # no connection attempts to the outside from a closed network
                  # every name but 127.0.0.1 fails at once: Voila's widget manager asks a CDN for Font Awesome, and in a
                  # closed network a slow failing DNS lookup left the page at "Running ..." (seen in 1 of 6 loads)
                  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_port(port, timeout=60):
    "Wait until a server listens on 127.0.0.1:`port`."
    end = time.time() + timeout
    while True:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1): return
        except OSError:
            if time.time() > end: raise TimeoutError(f'nothing listens on 127.0.0.1:{port} after {timeout} s')
            time.sleep(0.5)

def lab_server(d, port) -> tuple:
    "JupyterLab 4 on copies of the study notebooks (`LAB_NOTEBOOK` open), with a token, its settings and state in `d`, every cell rendered."
    token = secrets.token_hex(16)
    for name in LAB_STUDIES: shutil.copy(ROOT/'nbs'/name, Path(d)/name)     # copies: saving in JupyterLab must not touch nbs/
    settings = Path(d)/'settings'/'@jupyterlab'/'notebook-extension'
    settings.mkdir(parents=True)
    (settings/'tracker.jupyterlab-settings').write_text('{"windowingMode": "none"}')   # all cells in the page, not only those in view
    news = Path(d)/'settings'/'@jupyterlab'/'apputils-extension'
    news.mkdir(parents=True)
    (news/'notification.jupyterlab-settings').write_text('{"fetchNews": "false"}')   # no question about news, no request outside
    argv = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
            f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={d}', f'--LabApp.user_settings_dir={Path(d)/"settings"}',
            f'--LabApp.workspaces_dir={Path(d)/"workspaces"}', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
            '--LabApp.extension_manager=readonly', '--allow-root']   # root: CI machines and containers
    return argv, f'lab/tree/{LAB_NOTEBOOK}?token={token}', '.jp-Notebook .jp-Cell'

def server_for(name, d, port) -> tuple:
    "The command that serves scenario `name` from folder `d`, the page to open, the selector that says it is ready."
    code, _, server = SCENARIOS[name]
    if server == 'app':
        return [sys.executable, '-m', 'inpaint_nb.cli', 'explore', '--no-browser', f'--port={port}'], 'voila/render/index.ipynb', 'a:has-text("Filtering kernels")'
    if server == 'lab': return lab_server(d, port)
    if server == 'explain':
        from urllib.parse import quote
        from PIL import Image
        Image.open(ROOT/'data'/'images'/'coffee.png').convert('RGB').resize((96, 64)).save(Path(d)/f'{HOSTILE}.png')
        subprocess.run([sys.executable, '-m', 'inpaint_nb.cli', 'inpaint', str(Path(d)/f'{HOSTILE}.png'), '--mask-kind', 'square',
                        '--model', 'misf', '--explain', '--out', str(Path(d)/'out')], check=True, capture_output=True)
        return [sys.executable, '-m', 'http.server', str(port), '--bind', '127.0.0.1', '--directory', str(Path(d)/'out')], quote(f'{HOSTILE}_explain.html'), 'h1'
    if server == 'docs':
        if not (ROOT/'_docs'/'index.html').exists(): raise FileNotFoundError('no site in _docs: build it first with `make docs`')
        return [sys.executable, '-m', 'http.server', str(port), '--bind', '127.0.0.1', '--directory', str(ROOT/'_docs')], 'index.html', 'nav.sidebar'
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    nbformat.write(nb, Path(d)/'explorer.ipynb')
    return [sys.executable, '-m', 'voila', 'explorer.ipynb', '--no-browser', f'--port={port}', '--Voila.ip=127.0.0.1',
            '--VoilaConfiguration.file_allowlist=[".*"]'], '', '.widget-output img'

def watch_errors(page):
    "Collect the page's script errors, console errors and failed requests in `page.errors`."
    page.errors = []
    page.on('pageerror', lambda e: page.errors.append(f'script error: {e}'))
    page.on('console', lambda m: m.type == 'error' and page.errors.append(f'console: {m.text[:200]}'))
    page.on('requestfailed', lambda r: page.errors.append(f'request failed: {r.url[:100]}'))
    page.on('response', lambda r: r.status >= 400 and page.errors.append(f'HTTP {r.status}: {r.url[:100]}'))

NEVER_RENDERED = 'the page could not be driven'   # the one check a scenario reports when its page never came

def run_scenario(name, a, shots) -> tuple:
    "Serve scenario `name`, drive it in Chromium: (checks, texts)."
    from playwright.sync_api import sync_playwright
    _, drive, _ = SCENARIOS[name]
    with tempfile.TemporaryDirectory() as d:
        port, log = free_port(), Path(d)/'server.log'
        env = {**os.environ, 'JUPYTER_RUNTIME_DIR': str(Path(d)/'runtime'), 'JUPYTER_CONFIG_DIR': str(Path(d)/'config')}
        server = None
        try:
            argv, url, ready = server_for(name, d, port)
            server = subprocess.Popen(argv, cwd=d, stdout=open(log, 'w'), stderr=subprocess.STDOUT, text=True, env=env)   # a file: a pipe nobody reads would fill
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=a.chromium, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={'width': 1100, 'height': 1000})
                watch_errors(page)
                wait_port(port)                     # then one request: each request of a Voila page starts a kernel
                page.goto(f'http://127.0.0.1:{port}/{url}', wait_until='commit', timeout=a.timeout * 1000)
                try:
                    page.wait_for_selector(ready, timeout=a.timeout * 1000)
                    checks, texts = drive(page, shots)
                except Exception:
                    page.screenshot(path=str(shots/f'{name}_failed.png'))   # what the page showed when it went wrong
                    print(f'    {name}: the page showed: {page.inner_text("body")[:300]!r}; its errors: {page.errors[:8]}')
                    raise
                finally: browser.close()
        except Exception as e:
            tail = log.read_text(errors='replace').strip().splitlines()[-3:] if log.exists() else []
            checks, texts = [(f'{NEVER_RENDERED}: {type(e).__name__}: {str(e).splitlines()[0]}', False)], ['server log: ' + ' | '.join(tail)]
        finally:
            if log.exists(): shutil.copy(log, shots/f'{name}_server.log')   # the whole log beside the screenshots
            if server is not None:
                server.terminate()
                try: server.wait(10)
                except subprocess.TimeoutExpired: server.kill()
    return checks, texts

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('names', nargs='*', default=list(SCENARIOS), help=f'scenarios to run: {", ".join(SCENARIOS)}')
    p.add_argument('--chromium', default='/usr/bin/chromium')
    p.add_argument('--screenshots', default='browser_check')
    p.add_argument('--timeout', type=float, default=60, help='seconds to wait for the page to render the explorer (it takes 5-30 s)')
    p.add_argument('--attempts', type=int, default=5, help='fresh servers to try when a page never renders (Voila 0.5 sometimes waits forever for a finished cell)')
    a = p.parse_args()
    unknown = [n for n in a.names if n not in SCENARIOS]
    if unknown: p.error(f'unknown scenario {unknown}; expected some of {list(SCENARIOS)}')
    if not Path(a.chromium).exists(): p.error(f'--chromium: no browser at {a.chromium} (apt-get install -y --no-install-recommends chromium)')
    shots = Path(a.screenshots); shots.mkdir(parents=True, exist_ok=True)
    failed = passed = 0
    for name in a.names:
        t0 = time.time()
        checks, texts = run_scenario(name, a, shots)
        for _ in range(a.attempts - 1):                  # the page never came: again, with a fresh server, said so
            if not (len(checks) == 1 and checks[0][0].startswith(NEVER_RENDERED)): break
            print(f'RETRY {name}: {checks[0][0][:200]}')
            checks, texts = run_scenario(name, a, shots)
        for what, ok in checks:
            print(f'{"PASS" if ok else "FAIL"} {name}: {what}')
            passed += ok; failed += not ok
        for t in texts: print(f'    page said: {t.strip()[:160 if not t.startswith("server log") else 1200]}')
        print(f'    {name}: {sum(ok for _, ok in checks)} of {len(checks)} checks passed in {time.time() - t0:.0f} s')
    print(f'{passed} passed, {failed} failed (screenshots in {shots})')
    sys.exit(1 if failed else 0)

if __name__ == '__main__': main()
