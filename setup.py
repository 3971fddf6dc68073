"""nbdev 2 style setup.py: every piece of package metadata comes from settings.ini."""
import shlex
from configparser import ConfigParser
from pathlib import Path

import setuptools

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

expected = ('version description keywords author author_email license status min_python '
            'audience language lib_name user git_url').split()
missing = [o for o in expected if o not in cfg]
if missing: raise ValueError(f'settings.ini lacks the keys {missing}')

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License'),
            'mit': ('MIT License', 'OSI Approved :: MIT License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable',
            '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()

lic = licenses.get(cfg['license'].lower(), (cfg['license'], None))
min_python = cfg['min_python']
requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
explore_requirements = shlex.split(cfg.get('explore_requirements', ''))
classical_requirements = shlex.split(cfg.get('classical_requirements', ''))
console_scripts = cfg.get('console_scripts', '').split()

readme = Path('README.md')
long_description = readme.read_text(encoding='utf-8') if readme.exists() else cfg['description']

# The bundled data (sample photographs, the fixed test masks) lives in the top-level data/
# folder; installed packages carry it as inpaint_nb/_data.
data_files = [str(p.relative_to('data')) for p in Path('data').rglob('*') if p.is_file()]

setuptools.setup(
    name=cfg['lib_name'].replace('_', '-'),
    license=lic[0],
    classifiers=[
        'Development Status :: ' + statuses[int(cfg['status']) - 1],
        'Intended Audience :: ' + cfg['audience'].title(),
        'Natural Language :: ' + cfg['language'].title(),
    ] + [f'Programming Language :: Python :: {v}' for v in py_versions[py_versions.index(min_python):]]
      + ([f'License :: {lic[1]}'] if lic[1] else []),
    url=cfg['git_url'],
    packages=setuptools.find_packages(include=[cfg['lib_name'], cfg['lib_name'] + '.*']) + ['inpaint_nb._data'],
    package_dir={'inpaint_nb._data': 'data'},
    package_data={'inpaint_nb._data': data_files},
    include_package_data=True,
    install_requires=requirements,
    extras_require={'dev': dev_requirements, 'explore': explore_requirements, 'classical': classical_requirements},
    python_requires='>=' + min_python,
    long_description=long_description,
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': console_scripts, 'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
    version=cfg['version'],
    description=cfg['description'],
    keywords=cfg['keywords'],
    author=cfg['author'],
    author_email=cfg['author_email'],
)
