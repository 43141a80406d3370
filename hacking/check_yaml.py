#!/usr/bin/env python
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check every YAML of the collection with yamllint, in the community collections' style.

    python hacking/check_yaml.py              # exit 1 and list each problem as path:line:column
    python hacking/check_yaml.py --self-test  # show that badly formatted YAML makes the check fail

What it checks, each piece of YAML linted as a document of its own:

- the ``DOCUMENTATION``, ``EXAMPLES`` and ``RETURN`` strings of plugins/**/*.py and every string
  of a doc fragment's ``ModuleDocFragment`` class (antsibull-nox's "yamllint" of plugin docs);
  problems are reported with the plugin file's own line numbers;
- every ``*.yml`` / ``*.yaml`` file (antsibull-nox's yamllint of files), but
  changelogs/changelog.yaml, which antsibull-changelog writes and lints;
- every fenced code block of a ``yaml`` language in the Markdown files (the counterpart of
  antsibull-nox's check of the YAML in RST docs), but docs/modules/, which
  hacking/generate_module_docs.py writes from the modules' EXAMPLES.

The rules are those of community.hrobot's .yamllint, .yamllint-docs and .yamllint-examples:
two-space indentation with indented sequences, only ``true``/``false`` as booleans, no trailing
spaces, no duplicate keys, one space after a colon or a comma, no implicit octals, at most two
empty lines. Per kind: a file and an EXAMPLES string start with ``---`` (an EXAMPLES string is a
playbook's, task file's or inventory file's content, copied as it is); DOCUMENTATION, RETURN and
doc fragments do not, nor a Markdown block (often a part of a file). Plugin docs and Markdown
blocks have lines of at most 160 characters; files have no limit (the data tables of the
integration targets carry whole hostile server answers on one line).

Why: ``ansible-test sanity``'s yamllint test runs with nearly every rule disabled (its
config/plugins.yml and default.yml: no indentation, truthy or trailing-spaces rule; its plugin
config is syntax only), and ansible-lint reads playbooks/ only. The docs are what users read and
copy (``ansible-doc``, docs/), and a ``yes`` where ``true`` is meant, a doubled key or an indent
off by one is valid YAML that means something else. ``make test`` runs the check and the
self-test (hacking/test.sh, step extra).
"""
from __future__ import annotations

import ast
import io
import os
import re
import sys

from yamllint import linter
from yamllint.config import YamlLintConfig

from check_common import collection_files, edited, main, self_test as common_self_test

SECTIONS = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')
SKIP_FILES = {os.path.join('changelogs', 'changelog.yaml')}   # antsibull-changelog's
SKIP_MARKDOWN = os.path.join('docs', 'modules') + os.sep       # generate_module_docs.py's
# A fenced block whose language is yaml (yaml, yaml+jinja), at any indent (inside a list item)
YAML_BLOCK = re.compile(r'^([ \t]*)```ya?ml\b[^\n]*\n(.*?)^\1```[ \t]*$', re.M | re.S)

# community.hrobot's .yamllint-docs; the kinds differ in document-start and line-length (below)
RULES = """
extends: default
rules:
  document-end:
    present: false
  truthy:
    level: error
    allowed-values:
      - 'true'
      - 'false'
  indentation:
    spaces: 2
    indent-sequences: true
  key-duplicates: enable
  trailing-spaces: enable
  new-line-at-end-of-file: disable
  hyphens:
    max-spaces-after: 1
  empty-lines:
    max: 2
    max-start: 0
    max-end: 0
  commas:
    max-spaces-before: 0
    min-spaces-after: 1
    max-spaces-after: 1
  colons:
    max-spaces-before: 0
    max-spaces-after: 1
  brackets:
    min-spaces-inside: 0
    max-spaces-inside: 0
  braces:
    min-spaces-inside: 0
    max-spaces-inside: 1
  octal-values:
    forbid-implicit-octal: true
    forbid-explicit-octal: true
  comments:
    min-spaces-from-content: 1
  comments-indentation: false
"""
LINE_160 = '  line-length:\n    max: 160\n    level: error\n'
NO_LINE_LIMIT = '  line-length: disable\n'
START = '  document-start:\n    present: true\n'
NO_START = '  document-start:\n    present: false\n'
CONFIGS = {  # kind: rules
    'docs': RULES + LINE_160 + NO_START,          # DOCUMENTATION, RETURN, doc fragments
    'examples': RULES + LINE_160 + START,         # EXAMPLES
    'file': RULES + NO_LINE_LIMIT + START,        # *.yml, *.yaml
    'markdown': RULES + LINE_160 + NO_START,      # ```yaml blocks of *.md
}


def yaml_strings(path):
    """(name, first line, text) of each documentation string of a plugin file."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), filename=path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == 'ModuleDocFragment':
            for item in node.body:
                yield from _assigned(item, None)
        else:
            yield from _assigned(node, SECTIONS)


def _assigned(node, names):
    if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)):
        return
    for target in node.targets:
        if isinstance(target, ast.Name) and (names is None or target.id in names):
            yield target.id, node.value.lineno, node.value.value


def pieces(root, rel):
    """(kind, label, the file's line before the piece's first line, column offset, text) of each YAML piece of a file."""
    path = os.path.join(root, rel)
    if rel.startswith('plugins' + os.sep) and rel.endswith('.py'):
        for name, lineno, text in yaml_strings(path):
            offset = lineno - 1
            first, newline, rest = text.partition('\n')
            if newline and not first.strip():  # r"""<newline>...: the YAML starts on the next line
                text, offset = rest, offset + 1
            yield ('examples' if name == 'EXAMPLES' else 'docs'), name + ': ', offset, 0, text
    elif rel.endswith(('.yml', '.yaml')) and rel not in SKIP_FILES:
        with open(path, encoding='utf-8') as f:
            yield 'file', '', 0, 0, f.read()
    elif rel.endswith('.md') and not rel.startswith(SKIP_MARKDOWN):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for match in YAML_BLOCK.finditer(text):
            indent = match.group(1)
            lines = match.group(2).splitlines(True)
            body = ''.join(line[len(indent):] if line.startswith(indent) else line.lstrip(' \t') for line in lines)
            yield 'markdown', 'yaml block: ', text.count('\n', 0, match.start(2)), len(indent), body


def check(root, out=sys.stdout):
    configs = {kind: YamlLintConfig(content=rules) for kind, rules in CONFIGS.items()}
    problems = []
    counts = dict.fromkeys(CONFIGS, 0)
    for rel in collection_files(root):
        try:
            for kind, label, offset, column, text in pieces(root, rel):
                counts[kind] += 1
                for problem in linter.run(io.StringIO(text), configs[kind], rel):
                    rule = ' (%s)' % problem.rule if problem.rule else ''
                    problems.append('%s:%d:%d: %s%s: %s%s' % (
                        rel, offset + problem.line, column + problem.column, label, problem.level, problem.desc, rule))
        except (SyntaxError, UnicodeDecodeError) as exc:
            problems.append('%s: cannot be read: %s' % (rel, exc))
    for problem in problems:
        print(problem, file=out)
    if problems:
        print('%d yamllint problem(s) (above)' % len(problems), file=out)
        return False
    if not all(counts[kind] for kind in ('docs', 'examples', 'file')):
        print('found no YAML of some kind under %s: %s' % (root, counts), file=out)
        return False
    print('yamllint: %(file)d YAML files, %(docs)d DOCUMENTATION/RETURN/doc fragment and %(examples)d EXAMPLES'
          ' strings of the plugins, %(markdown)d yaml blocks of the Markdown files: ok' % counts, file=out)
    return True


# A collection whose YAML passes, and changes of it that each break one rule.
GOOD = {
    'plugins/modules/example.py': '''\
DOCUMENTATION = r"""
module: example
short_description: An example
description:
  - Does nothing.
options:
  enabled:
    description: Whether it is on.
    type: bool
    default: true
"""

EXAMPLES = r"""
---
- name: Turn it on
  example.collection.example:
    enabled: true
"""

RETURN = r"""
state:
  description: The state.
  returned: always
  type: str
  sample: running
"""
''',
    'plugins/doc_fragments/example.py': '''\
class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  url:
    description: Where.
    type: str
"""
''',
    'meta/runtime.yml': '---\nrequires_ansible: ">=2.16.0"\naction_groups:\n  example:\n    - example\n',
    'docs/example.md': '# Example\n\n```yaml\n- name: Turn it on\n  example.collection.example:\n'
                       '    enabled: true\n```\n\n1. A step:\n\n   ```yaml\n   enabled: true\n   ```\n',
    # generated or written by tools: not linted
    'changelogs/changelog.yaml': 'ancestor: null\nreleases: {  }\n',
    'docs/modules/example.md': '```yaml\nenabled: yes\n```\n',
}
MUTATIONS = [
    # (what, file, old, new, the rule that must report it, where)
    ('a yes instead of true in EXAMPLES', 'plugins/modules/example.py', '    enabled: true\n"""',
     '    enabled: yes\n"""', 'truthy', 'plugins/modules/example.py:17:14'),
    ('EXAMPLES without ---', 'plugins/modules/example.py', 'EXAMPLES = r"""\n---\n', 'EXAMPLES = r"""\n',
     'document-start', 'plugins/modules/example.py:14:1'),
    ('a trailing space in DOCUMENTATION', 'plugins/modules/example.py', 'Does nothing.', 'Does nothing. ',
     'trailing-spaces', 'plugins/modules/example.py:5:18'),
    ('an indent of three spaces in RETURN', 'plugins/modules/example.py', '  returned: always',
     '   returned: always', 'syntax', 'plugins/modules/example.py:23:12'),
    ('a doubled key in DOCUMENTATION', 'plugins/modules/example.py', '    default: true\n',
     '    default: true\n    default: false\n', 'key-duplicates', 'plugins/modules/example.py:11:5'),
    ('a line over 160 characters in a doc fragment', 'plugins/doc_fragments/example.py', 'description: Where.',
     'description: ' + 'W' * 147, 'line-length', 'plugins/doc_fragments/example.py:5:'),
    ('a doc fragment indented by four', 'plugins/doc_fragments/example.py', '    description: Where.\n    type: str',
     '        description: Where.\n        type: str', 'indentation', 'plugins/doc_fragments/example.py:5:9'),
    ('a YAML file without ---', 'meta/runtime.yml', '---\n', '', 'document-start', 'meta/runtime.yml:1:1'),
    ('a sequence not indented in a YAML file', 'meta/runtime.yml', '    - example\n', '  - example\n',
     'indentation', 'meta/runtime.yml:5:3'),
    ('a yes in a Markdown yaml block', 'docs/example.md', '    enabled: true\n```', '    enabled: yes\n```',
     'truthy', 'docs/example.md:6:14'),
    ('a trailing space in an indented Markdown yaml block', 'docs/example.md', '   enabled: true\n   ```',
     '   enabled: true \n   ```', 'trailing-spaces', 'docs/example.md:12:17'),
]


def self_test(out=sys.stdout):
    faults = ((what, edited(GOOD, what, rel, old, new), where, rule) for what, rel, old, new, rule, where in MUTATIONS)
    return common_self_test(check, GOOD, faults, 'each of %d formatting faults fails the check, at its line', out)


if __name__ == '__main__':
    sys.exit(main(__doc__, check, self_test, 'bad YAML'))
