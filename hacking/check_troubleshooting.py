#!/usr/bin/env python
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every message docs/troubleshooting.md quotes can still be produced by the code.

    python hacking/check_troubleshooting.py              # exit 1 and list each quote no code produces
    python hacking/check_troubleshooting.py -v           # also show which texts produce each quote
    python hacking/check_troubleshooting.py --self-test  # show that a changed word makes the check fail

The convention of docs/troubleshooting.md: every message it quotes (a whole message, or some
of its sentences) is a fenced block of its own whose info string starts with ``text``; its
lines are joined with single spaces, and ``<name>`` stands for a part that varies (a value
the code fills in). The word after ``text`` says where the message comes from:

    ```text                  the collection's modules and plugins (plugins/**/*.py)
    ```text runbook          the runbooks (playbooks/*.yml)
    ```text ansible-core     ansible-core itself (the one installed with this Python)

Texts of other software that a message carries (Apinizer's own error text, the TLS library's
reason) are written as <message> or <reason> in the quote; the page gives examples of them in
the prose, as inline code, which is not checked. Any other fenced block must name its language,
and an inline code span that is a message of the plugins is reported: it belongs in a block.

How a quote is checked. The code's texts are the string constants of the sources (adjacent
literals are one constant, as Python joins them; docstrings and module documentation are left
out), each with its placeholders (%s, %(name)s, %.1f, ..., str.format's {}, f-string fields,
Jinja's {{ }} and {% %}) matching any text. A quote is produced by the code when every
character of it but spaces and its <name> parts is covered by matches of texts:

- a text's own words cover themselves (a text without a space, an option name or a dictionary
  key, covers only punctuation);
- a placeholder of a text of two words or more (or of one word and punctuation) covers the
  single word it stands for: an example value, as in "HTTP 200";
- a placeholder that stands for a longer part covers it when a match of another text spans that
  part exactly: a message built from several texts, one filling another's %s (that text then
  counts as if it had two words);
- a text matches whole, or without whole sentences at its start or end where the quote begins
  or ends (a quote of some of a message's sentences).

A <name> of the quote matches only a placeholder of the code, never its words. So a word the
code changed, added or dropped leaves that word of the quote uncovered, unless another text of
the code says the same; the report then shows the texts that come closest.

``make test`` runs the check and the self-test (hacking/test.sh, step docs).
"""
from __future__ import annotations

import argparse
import ast
import difflib
import glob
import importlib.util
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join('docs', 'troubleshooting.md')
SOURCES = ('plugins', 'runbook', 'ansible-core')

PLACEHOLDER = '\ue000'   # a <name> of a quote: only a placeholder of the code matches it
WILD = None              # a placeholder in a text's items

# printf-style conversions; '%%' is a literal percent sign
PERCENT = re.compile(r'%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsab%]')
FORMAT_FIELD = re.compile(r'\{\{|\}\}|\{[^{}]*\}')
JINJA = re.compile(r'\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}', re.S)
JINJA_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
DOC_PLACEHOLDER = re.compile(r'<[^<>\n]+>')
WORD = re.compile(r'[A-Za-z0-9_]')
SENTENCE_END = re.compile(r'(?<=[.!?]) +')
WORDS = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
# Module documentation is YAML for ansible-doc, not messages.
DOC_VARIABLES = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')


def squeeze(text):
    return re.sub(r'\s+', ' ', text)


# ---------------------------------------------------------------------------------------------
# The code's texts


class Text:
    """One string of the code: literal parts and placeholders (WILD), and where it is."""

    def __init__(self, items, where, shown):
        merged = []
        for item in items:
            if item is WILD:
                if not merged or merged[-1] is not WILD:
                    merged.append(WILD)
            elif item:
                item = squeeze(item)
                if merged and merged[-1] is not WILD:
                    merged[-1] += item
                else:
                    merged.append(item)
        self.items = merged
        self.where = where
        self.shown = shown
        self.literal = ''.join(item for item in merged if item is not WILD)
        # A text with a space can cover words; one without (a key, an option name, ')') only punctuation.
        self.strong = ' ' in self.literal and bool(WORD.search(self.literal))
        self.useful = bool(self.literal.strip()) and (self.strong or not WORD.search(self.literal))
        # Pieces of literal text between placeholders and sentence ends: a quote that uses the text
        # holds at least one of them whole.
        self.pieces = set()
        for item in merged:
            if item is not WILD:
                self.pieces.update(piece for piece in SENTENCE_END.split(item) if piece.strip())
        self._variants = None
        self._words = None

    def variants(self):
        """(items, at_start, at_end): the text, and the text with sentences left out at either end.

        A quote may give some of a message's sentences: a text cut at a sentence end must then end
        where the quote ends (at_end), one cut at a sentence start begin where it begins (at_start).
        """
        if self._variants is None:
            cuts = []   # (item index, offset of the sentence end, offset of the next sentence's start)
            for index, item in enumerate(self.items):
                if item is not WILD:
                    cuts.extend((index, match.start(), match.end()) for match in SENTENCE_END.finditer(item))
            found = [(self.items, False, False)]
            for index, end, _start in cuts:
                found.append((self.items[:index] + [self.items[index][:end]], False, True))
            for number, (index, _end, start) in enumerate(cuts):
                tail = [self.items[index][start:]] + self.items[index + 1:]
                found.append((tail, True, False))
                for index2, end2, _start2 in cuts[number + 1:]:
                    if index2 == index:
                        middle = [self.items[index][start:end2]]
                    else:
                        middle = [self.items[index][start:]] + self.items[index + 1:index2] + \
                            [self.items[index2][:end2]]
                    found.append((middle, True, True))
            variants = [Variant([item for item in items if item is WILD or item], at_start, at_end)
                        for items, at_start, at_end in found]
            self._variants = [variant for variant in variants if variant.key.strip()]
        return self._variants

    @property
    def words(self):
        if self._words is None:
            self._words = [word.lower() for word in WORDS.findall(self.literal)]
        return self._words

    def mutated(self, word, replacement):
        """This text with its first ``word`` (a whole word) replaced, as the code might change it."""
        items, done = [], False
        for item in self.items:
            if item is not WILD and not done:
                changed = re.sub(r'\b%s\b' % re.escape(word), replacement, item, count=1, flags=re.I)
                done = changed != item
                item = changed
            items.append(item)
        return Text(items, self.where, self.shown)


class Variant:
    """A text (or part of one, see Text.variants) as a regular expression, one group per placeholder."""

    def __init__(self, items, at_start, at_end):
        self.items = items
        fragments = [item for item in items if item is not WILD]
        self.key = max(fragments, key=len) if fragments else ''
        literal = ''.join(fragments)
        # Own words cover words only in a text with a space. What a placeholder stands for counts
        # only in a text of two words, or of one word and punctuation ('Set %s: %s.'): 'to %s' or
        # 'a %s' would otherwise cover any word after a "to" or an "a".
        self.strong = ' ' in literal and bool(WORD.search(literal))
        words = len(WORDS.findall(literal))
        self.fills = words >= 2 or (words == 1 and bool(re.search(r'[^\w\s]', literal)))
        parts = ['^ ?' if at_start else '']
        last = len(items) - 1
        for index, item in enumerate(items):
            if item is not WILD:
                parts.append(re.escape(item))
            elif (index == 0 and not at_start) or (index == last and not at_end):
                parts.append(r'(\S*)')   # at a free end, a placeholder covers at most the word it touches
            else:
                parts.append(r'(.*?)')
        parts.append(' ?$' if at_end else '')
        self.regex = re.compile(''.join(parts), re.S)


def percent_items(value):
    items, position = [], 0
    for match in PERCENT.finditer(value):
        items.append(value[position:match.start()])
        items.append('%' if match.group() == '%%' else WILD)
        position = match.end()
    items.append(value[position:])
    return items


def format_items(value):
    items, position = [], 0
    for match in FORMAT_FIELD.finditer(value):
        items.append(value[position:match.start()])
        token = match.group()
        items.append(token[0] if token in ('{{', '}}') else WILD)
        position = match.end()
    items.append(value[position:])
    return items


def python_texts(paths, label=None):
    """Every string constant of the Python files ``paths`` (not docstrings, not module documentation)."""
    texts = []
    for path in paths:
        with open(path, encoding='utf-8') as handle:
            try:
                tree = ast.parse(handle.read(), path)
            except SyntaxError as exc:
                raise SystemExit('%s: cannot parse: %s' % (path, exc))
        where_file = label(path) if label else os.path.relpath(path, ROOT)
        skip, format_receivers = set(), set()
        for node in ast.walk(tree):
            body = getattr(node, 'body', None)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                    and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
            elif isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id in DOC_VARIABLES
                                                      for target in node.targets):
                skip.add(id(node.value))
            elif isinstance(node, ast.JoinedStr):
                for part in ast.walk(node):
                    if part is not node:
                        skip.add(id(part))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'format':
                format_receivers.add(id(node.func.value))
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            where = '%s:%s' % (where_file, getattr(node, 'lineno', '?'))
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                items = format_items(value) if id(node) in format_receivers else percent_items(value)
                texts.append(Text(items, where, value))
            elif isinstance(node, ast.JoinedStr):
                items = []
                for part in node.values:
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        items.append(part.value)
                    else:
                        items.append(WILD)
                texts.append(Text(items, where, ''.join('{...}' if item is WILD else item for item in items)))
    return texts


def _yaml_strings(node, line=None):
    """(string, line) for every string scalar of a YAML node tree (keys and values)."""
    if isinstance(node, yaml.ScalarNode):
        if isinstance(node.value, str):
            yield node.value, node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _yaml_strings(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _yaml_strings(key)
            yield from _yaml_strings(value)


def runbook_texts(paths):
    """Every string of the runbooks: Jinja's {{ }} and {% %} are placeholders, its string literals texts."""
    texts = []
    for path in paths:
        with open(path, encoding='utf-8') as handle:
            root = yaml.compose(handle.read(), Loader=yaml.SafeLoader)
        where_file = os.path.relpath(path, ROOT)
        for value, line in _yaml_strings(root):
            where = '%s:%s' % (where_file, line)
            items, position = [], 0
            for match in JINJA.finditer(value):
                items.append(value[position:match.start()])
                items.append(WILD)
                position = match.end()
                for literal in JINJA_STRING.finditer(match.group()):
                    text = literal.group(1) if literal.group(1) is not None else literal.group(2)
                    texts.append(Text([text], where, text))
            items.append(value[position:])
            texts.append(Text(items, where, value))
    return texts


def ansible_core_texts():
    spec = importlib.util.find_spec('ansible')
    if spec is None or not spec.origin:
        raise SystemExit('ansible-core is not installed for %s: run with .venv/bin/python' % sys.executable)
    package = os.path.dirname(spec.origin)
    paths = sorted(glob.glob(os.path.join(package, '**', '*.py'), recursive=True))
    return python_texts(paths, label=lambda path: 'ansible/' + os.path.relpath(path, package))


def corpora(root=ROOT, wanted=SOURCES):
    found = {}
    if 'plugins' in wanted:
        found['plugins'] = python_texts(sorted(
            path for path in glob.glob(os.path.join(root, 'plugins', '**', '*.py'), recursive=True)
            if os.sep + 'doc_fragments' + os.sep not in path))
    if 'runbook' in wanted:
        found['runbook'] = runbook_texts(sorted(glob.glob(os.path.join(root, 'playbooks', '*.yml'))))
    if 'ansible-core' in wanted:
        found['ansible-core'] = ansible_core_texts()
    return found


# ---------------------------------------------------------------------------------------------
# The quotes of the page


class Quote:
    def __init__(self, line, source, text):
        self.line = line
        self.source = source
        self.text = squeeze(text).strip()
        self.subject = DOC_PLACEHOLDER.sub(PLACEHOLDER, self.text)

    def __repr__(self):
        return 'Quote(%d, %r, %r)' % (self.line, self.source, self.text)


def quotes(markdown):
    """The quoted messages of the page, and the problems of its markup (lines that break the convention)."""
    found, problems = [], []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        fence = re.match(r'^(\s*)(`{3,}|~{3,})\s*(.*)$', lines[index])
        if not fence:
            index += 1
            continue
        start, marker, info = index, fence.group(2), fence.group(3).split()
        index += 1
        body = []
        while index < len(lines) and not lines[index].strip().startswith(marker):
            body.append(lines[index].strip())
            index += 1
        index += 1
        if not info:
            problems.append((start + 1, 'a fenced block without a language: quote a message in a ```text block, '
                                        'give other blocks their language'))
            continue
        if info[0] != 'text':
            continue
        source = info[1] if len(info) > 1 else 'plugins'
        if source not in SOURCES or len(info) > 2:
            problems.append((start + 1, '```%s: the word after text must be one of %s, or nothing (the plugins)'
                             % (' '.join(info), ', '.join(SOURCES[1:]))))
            continue
        if not ''.join(body).strip():
            problems.append((start + 1, 'an empty ```text block'))
            continue
        found.append(Quote(start + 2, source, ' '.join(body)))
    return found, problems


def inline_code(markdown):
    """(line, text) of every inline code span outside fenced blocks."""
    spans, in_fence = [], None
    for number, line in enumerate(markdown.splitlines(), 1):
        fence = re.match(r'^\s*(`{3,}|~{3,})', line)
        if fence:
            in_fence = None if in_fence and fence.group(1).startswith(in_fence) else (in_fence or fence.group(1))
            continue
        if in_fence:
            continue
        for match in re.finditer(r'(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)', line):
            spans.append((number, match.group(2).strip()))
    return spans


# ---------------------------------------------------------------------------------------------
# Matching


class Coverage:
    """Which characters of a quote's subject the texts cover, and by which texts."""

    def __init__(self, subject, texts):
        # a space at either end: a text appended to another one starts with a space, and the quote may begin there
        self.subject = subject = ' %s ' % subject
        self.covered = [char.isspace() or char == PLACEHOLDER for char in subject]
        self.own = [False] * len(subject)   # covered by a text's own words (not by what a placeholder stands for)
        self.by = {}   # text -> characters it covers
        self.matches = []
        for text in texts:
            if text.useful and any(piece in subject for piece in text.pieces):
                for variant in text.variants():
                    if variant.key in subject:
                        self._find(text, variant)
        self._settle()

    def _find(self, text, variant):
        """Record every match of ``variant``: its span, its own words, and what each placeholder stands for."""
        subject, regex = self.subject, variant.regex
        position = 0
        while position <= len(subject):
            match = regex.search(subject, position)
            if not match:
                break
            literal, single, longer, cursor, group = [], [], [], match.start(), 0
            for item in variant.items:
                if item is WILD:
                    group += 1
                    start, end = match.span(group)
                    value = subject[start:end]
                    if value.strip():
                        several = any(char.isspace() for char in value.strip())
                        (longer if several else single).append(_trim(subject, start, end))
                    cursor = end
                else:
                    literal.append((cursor, cursor + len(item)))
                    cursor += len(item)
            self.matches.append((text, variant, _trim(subject, *match.span()), literal, single, longer))
            position = match.start() + 1

    def _settle(self):
        """Mark what the matches cover.

        A match covers its own words when its text has a space (one without covers punctuation only),
        and the single words its placeholders stand for when its text has two words or more. A
        placeholder of such a text may also stand for a longer part that another text's match spans
        exactly (a message built from several texts): that match then covers its words and
        placeholders as if it had two words itself.
        """
        contexts, filled = set(), set()
        for index, (text, variant, _span, literal, single, longer) in enumerate(self.matches):
            self._mark(text, literal, words=variant.strong)
            if variant.fills:
                self._mark(text, single, words=True, own=False)
                contexts.update(longer)
                filled.add(index)
        grown = True
        while grown:
            grown = False
            for index, (text, _variant, span, literal, single, longer) in enumerate(self.matches):
                if index not in filled and span in contexts:
                    filled.add(index)
                    self._mark(text, literal, words=True)
                    self._mark(text, single, words=True, own=False)
                    contexts.update(longer)
                    grown = True

    def _mark(self, text, spans, words, own=True):
        count = 0
        for start, end in spans:
            for offset in range(start, end):
                char = self.subject[offset]
                if char.isspace() or (not words and WORD.match(char)):
                    continue
                count += 1
                self.covered[offset] = True
                if own:
                    self.own[offset] = True
        if count:
            self.by[text] = self.by.get(text, 0) + count

    @property
    def complete(self):
        return all(self.covered)

    def marked(self):
        """The quote with each run of words that are not (wholly) covered between [[ and ]]."""
        out, run = [], []
        for match in re.finditer(r'\S+', self.subject):
            if all(self.covered[match.start():match.end()]):
                if run:
                    out.append('[[%s]]' % ' '.join(run))
                    run = []
                out.append(match.group())
            else:
                run.append(match.group())
        if run:
            out.append('[[%s]]' % ' '.join(run))
        return ' '.join(out)

    def uncovered_words(self):
        words = []
        for match in re.finditer(r'\S+', self.subject):
            if not all(self.covered[match.start():match.end()]):
                words.append(match.group())
        return words


def _trim(subject, start, end):
    """(start, end) without the spaces at either end."""
    while start < end and subject[start].isspace():
        start += 1
    while end > start and subject[end - 1].isspace():
        end -= 1
    return start, end


def restore(text, quote):
    """``text`` (made from quote.subject) with the quote's <name> parts back in place of PLACEHOLDER."""
    names = iter(DOC_PLACEHOLDER.findall(quote.text))
    return re.sub(PLACEHOLDER, lambda match: next(names, '<>'), text)


def closest(coverage, texts, count=3):
    """The texts that share the most words with the quote's sentences that are not (wholly) covered."""
    sentences = re.split(r'(?<=[.!?])\s+', coverage.subject)
    offset, wanted = 0, []
    for sentence in sentences:
        start = coverage.subject.index(sentence, offset)
        offset = start + len(sentence)
        if not all(coverage.covered[start:offset]):
            wanted.append(sentence)
    target = ' '.join(wanted) or coverage.subject
    words = {word.lower() for word in WORDS.findall(target)}
    if not words:
        return []
    scored = []
    for text in texts:
        if not text.strong:
            continue
        shared = words & set(text.words)
        if len(shared) >= max(1, min(2, len(words) // 2)):
            union = words | set(text.words)
            scored.append((len(shared), len(shared) / len(union), text))
    scored.sort(key=lambda entry: (-entry[0], -entry[1], entry[2].where))
    best, seen = [], set()
    for _shared, _share, text in scored:
        if text.shown in seen:
            continue
        seen.add(text.shown)
        best.append(text)
        if len(best) == count:
            break
    return best


def word_diff(quote, text):
    """(similarity, ['quote words -> code words', ...]): where a quote and a text of the code part."""
    doc_words = re.findall(r'\S+', quote.text)
    code_words = re.findall(r'\S+', ''.join('%s' if item is WILD else item for item in text.items))
    matcher = difflib.SequenceMatcher(a=[DOC_PLACEHOLDER.sub('%s', word).lower() for word in doc_words],
                                      b=[word.lower() for word in code_words], autojunk=False)
    changes = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != 'equal':
            changes.append('%s -> %s' % (' '.join(doc_words[a1:a2]) or '(nothing)',
                                         ' '.join(code_words[b1:b2]) or '(nothing)'))
    return matcher.ratio(), changes


def check(doc_quotes, found_texts):
    """(quote, coverage) for every checked quote."""
    return [(quote, Coverage(quote.subject, found_texts[quote.source])) for quote in doc_quotes]


def inline_problems(markdown, found_texts):
    """Inline code spans that are messages of the plugins: the convention wants them in ```text blocks."""
    problems = []
    texts = found_texts.get('plugins', [])
    for line, span in inline_code(markdown):
        subject = DOC_PLACEHOLDER.sub(PLACEHOLDER, squeeze(span))
        if len(subject.split()) < 3:
            continue
        coverage = Coverage(subject, texts)
        words = [match for match in re.finditer(r'\S+', subject) if WORD.search(match.group())]
        covered = [match for match in words if all(coverage.covered[match.start():match.end()])]
        strong_words = sum(1 for text in coverage.by if text.strong)
        if strong_words and len(covered) >= 3 and len(covered) >= 0.6 * len(words):
            problems.append((line, 'a message quoted inline (`%s`): quote it in a ```text block, '
                                   'which this check verifies' % span))
    return problems


# ---------------------------------------------------------------------------------------------
# Reports


def report(path, results, markup, found, verbose=False, out=sys.stdout):
    failures = [(quote, coverage) for quote, coverage in results if not coverage.complete]
    for line, problem in markup:
        print('%s:%d: %s' % (path, line, problem), file=out)
    for quote, coverage in results:
        if coverage.complete and not verbose:
            continue
        if coverage.complete:
            print('%s:%d: ok (%s): %s' % (path, quote.line, quote.source, quote.text), file=out)
            for text, count in sorted(coverage.by.items(), key=lambda entry: -entry[1])[:6]:
                print('    %4d chars  %s  %r' % (count, text.where, text.shown), file=out)
            continue
        print('%s:%d: STALE: no %s text produces the words in [[ ]] of this quote:'
              % (path, quote.line, 'code' if quote.source == 'plugins' else quote.source), file=out)
        print('    %s' % restore(coverage.marked(), quote), file=out)
        near = closest(coverage, found[quote.source])
        if near:
            print('  closest texts in the code (most shared words first):', file=out)
            for number, text in enumerate(near):
                print('    %s  %r' % (text.where, text.shown), file=out)
                similarity, changes = word_diff(quote, text)
                if number == 0 and changes and similarity >= 0.5:
                    print('      quote -> code: %s' % '; '.join(changes[:6]), file=out)
        else:
            print('  no text of the code shares its words: remove the quote if the situation can no longer happen',
                  file=out)
    checked = len(results)
    sources = {}
    for quote, _coverage in results:
        sources[quote.source] = sources.get(quote.source, 0) + 1
    summary = ', '.join('%s %d' % (source, sources[source]) for source in SOURCES if source in sources)
    if failures or markup:
        print('%s: %d of %d quoted messages have no source in the code%s (%s). Fix the quote to what the code '
              'says now (or remove it when the situation can no longer happen); messages are quoted in ```text '
              'blocks, <name> for the parts that vary.'
              % (path, len(failures), checked, ', %d markup problems' % len(markup) if markup else '', summary),
              file=out)
        return False
    print('%s: all %d quoted messages are produced by the code (%s)' % (path, checked, summary), file=out)
    return True


def run(path, verbose=False, out=sys.stdout):
    with open(os.path.join(ROOT, path), encoding='utf-8') as handle:
        markdown = handle.read()
    doc_quotes, markup = quotes(markdown)
    wanted = {quote.source for quote in doc_quotes} | {'plugins'}
    found = corpora(wanted=wanted)
    markup = sorted(markup + inline_problems(markdown, found))
    return report(path, check(doc_quotes, found), markup, found, verbose=verbose, out=out)


# ---------------------------------------------------------------------------------------------
# Self-test


def _synthetic():
    """Small cases with known answers: (failures)."""
    source = '''
def f(name, project, n, secs, kind, path):
    a = ('API proxy %r was not found in project %r.'
         ' Nothing was changed.') % (name, project)
    b = 'Apinizer API %s %s failed (no response): %s' % ('GET', path, 'x')
    c = 'could not connect to %s or the connection was closed (%s)' % ('u', 'r')
    d = '; %s' % 'x'
    e = '%d attempt%s in %.1f s' % (n, 's', secs)
    f = '%(kind)s %(name)s is now %(state)s' % {}
    g = '%s is %s'
    h = 'to %s'
    i = 'project'
    j = '{} of {name} is {!r}.'.format(1, name=2)
    k = f'Connection {name!r} has {n} fields.'
    l = '100%% of %s'
    m = 'creating a connection requires %s.'
    n = 'a %s'
    o = 'Set %s: %s.' % ('both', 'option %s or environment variable %s')
    p = 'Option %s must be set.' % '%s (or %s)'
    """A docstring: Connection 'x' has changed."""
'''
    import tempfile
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, 'sample.py')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(source)
        texts = python_texts([path], label=lambda _path: 'sample.py')
    cases = [
        ("API proxy '<name>' was not found in project '<project>'. Nothing was changed.", True),
        ("API proxy 'orders-api' was not found in project 'Demo'.", True),            # example values
        ("API proxy '<name>' was not located in project '<project>'.", False),        # a changed word
        ("API proxy '<name>' is not found in project '<project>'.", False),           # '%s is %s' must not help
        ("API proxy '<name>' was not found in the project '<project>'.", False),      # an added word
        ("API proxy <name> not found in project '<project>'.", False),                # a dropped word
        ("API proxy '<name>' was not found in project '<project>'. Nothing was sent.", False),
        ("<something> was not found in project '<project>'.", False),                 # <name> hiding code words
        ("Apinizer API GET <path> failed (no response): could not connect to <url> or the connection was "
         "closed (<reason>); 2 attempts in 0.5 s", True),                             # composed of four texts
        ("Apinizer API GET <path> failed (no response): could not connect to <url> or the connection was "
         "dropped (<reason>); 2 attempts in 0.5 s", False),
        ("Apinizer API GET <path> failed (no answer): could not connect to <url>", False),
        ("REST <name> is now <state>", True),                                         # %(name)s
        ("1 of <name> is 'x'.", True),                                                # str.format
        ("Connection '<name>' has <n> fields.", True),                                # f-string
        ("Connection 'x' has changed.", False),                                       # docstrings are not texts
        ("100% of <things>", True),                                                   # %%
        ("the project of <name>", False),                                             # keys cover no words
        ("creating a connection requires <options>.", True),
        ("creating a link requires <options>.", False),                               # 'a %s' must not help
        ("Set both: option url or environment variable APINIZER_URL.", True),          # fills of fills
        ("Option url (or APINIZER_URL) must be set.", True),
        ("Option url (and APINIZER_URL) must be set.", False),
    ]
    for text, expected in cases:
        coverage = Coverage(DOC_PLACEHOLDER.sub(PLACEHOLDER, text), texts)
        if coverage.complete != expected:
            failures.append('synthetic case %r: %s, expected %s (uncovered: %s)' % (
                text, 'produced' if coverage.complete else 'not produced',
                'produced' if expected else 'not produced', ' '.join(coverage.uncovered_words()) or '-'))
    # a changed word in the code: the text that produced the quote now says "located"
    quote = "API proxy '<name>' was not found in project '<project>'."
    changed = [text.mutated('found', 'located') for text in texts]
    if Coverage(DOC_PLACEHOLDER.sub(PLACEHOLDER, quote), changed).complete:
        failures.append('synthetic: the quote is still produced after "found" became "located" in the code')
    return failures


def _real(path, out):
    """On the page itself: for every quote, change in the code one word that only one text has
    (the text that produces the quote) and expect the quote to fail; and change one word of the
    quote to another word of the code and expect it to fail."""
    with open(os.path.join(ROOT, path), encoding='utf-8') as handle:
        markdown = handle.read()
    doc_quotes, _markup = quotes(markdown)
    found = corpora(wanted={quote.source for quote in doc_quotes} | {'plugins'})
    failures, code_checked, doc_checked, skipped = [], 0, 0, 0
    for quote, coverage in check(doc_quotes, found):
        if not coverage.complete:
            continue   # the check itself reports it
        texts = found[quote.source]
        owners = {}
        for text in texts:
            if text.strong:
                for word in set(text.words):
                    owners.setdefault(word, []).append(text)
        # the code side: a word of the quote that exactly one text of the code has
        candidates = []
        for text in coverage.by:
            if not text.strong:
                continue
            for word in set(text.words):
                if len(word) >= 3 and len(owners.get(word, ())) == 1 and \
                        re.search(r'\b%s\b' % re.escape(word), quote.subject, re.I):
                    candidates.append((len(word), word, text))
        if candidates:
            _length, word, owner = max(candidates, key=lambda entry: (entry[0], entry[1]))
            changed = [text.mutated(word, word[::-1] if word[::-1] != word else word + 'x') if text is owner
                       else text for text in texts]
            code_checked += 1
            if Coverage(quote.subject, changed).complete:
                failures.append('%s:%d: still produced when %s changes %r: %s' % (
                    path, quote.line, owner.where, word, quote.text))
        else:
            skipped += 1
        # the doc side: the quote's longest word of the code's own (not a value a placeholder stands for)
        # replaced by another word of the texts that produce it
        padded = coverage.subject
        words = [match for match in re.finditer(r'\b[A-Za-z]{4,}\b', padded)
                 if all(coverage.own[match.start():match.end()])]
        if not words:
            continue
        victim = max(words, key=lambda match: (len(match.group()), -match.start()))
        pool = sorted({word for text in coverage.by for word in text.words
                       if len(word) >= 4 and word != victim.group().lower() and word.isalpha()})
        for replacement in pool[:3]:
            subject = (padded[:victim.start()] + replacement + padded[victim.end():]).strip()
            doc_checked += 1
            if Coverage(subject, texts).complete:
                failures.append('%s:%d: still produced with %r in place of %r: %s' % (
                    path, quote.line, replacement, victim.group(), quote.text))
    print('self-test on %s: %d quotes with one word of their source changed, %d quotes with one of their '
          'words changed; all must fail (%d quotes skipped on the code side: each of their words is in '
          'more than one text)' % (path, code_checked, doc_checked, skipped), file=out)
    return failures


def self_test(path, out=sys.stdout):
    failures = _synthetic() + _real(path, out)
    for failure in failures:
        print('SELF-TEST FAILED: %s' % failure, file=out)
    if failures:
        return False
    print('self-test passed: placeholders, composed messages and changed words are judged as they should be',
          file=out)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.partition('\n\n')[0])
    parser.add_argument('--doc', default=DOC, help='the page to check, relative to the repository (%(default)s)')
    parser.add_argument('-v', '--verbose', action='store_true', help='show the texts behind every quote')
    parser.add_argument('--self-test', action='store_true', help='check the checker: changed words must fail')
    args = parser.parse_args(argv)
    if args.self_test:
        return 0 if self_test(args.doc) else 1
    return 0 if run(args.doc, verbose=args.verbose) else 1


if __name__ == '__main__':
    sys.exit(main())
