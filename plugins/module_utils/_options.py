# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE to the apinizer.apiops collection: no stable interface, may change in any release.

"""Option checks argument validation does not make, run before any request.

Argument validation converts rather than refuses: ``true`` passes as the integer 1, a mapping
given for a string option becomes its Python repr. So the task's arguments are also checked
as the user wrote them, against the same argument spec. Then the names every request path is
built from, and the numbers with a range.
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.apinizer.apiops.plugins.module_utils._client import name_problem

PROJECT_ENV = 'APINIZER_PROJECT'

NUMBER_TYPES = ('int', 'float')
TEXT_TYPES = ('str', 'path')


def project_argument_spec():
    """The project option of every module (one definition, with its environment fallback)."""
    return dict(type='str', aliases=['project_name'], fallback=(env_fallback, [PROJECT_ENV]))


def missing_project(what):
    return ('Set the option project or the environment variable %s to the Apinizer project that holds %s.'
            % (PROJECT_ENV, what))


def _kind(value):
    if isinstance(value, bool):
        return 'a boolean (%s)' % str(value).lower()
    if isinstance(value, dict):
        return 'a mapping'
    if isinstance(value, (list, tuple)):
        return 'a list'
    return 'a %s' % type(value).__name__


def _misfit(expected, value):
    """What is wrong with ``value`` as written for an option of type ``expected``, or None."""
    if expected in NUMBER_TYPES and isinstance(value, bool):
        return 'must be %s, got %s' % ('an integer' if expected == 'int' else 'a number', _kind(value))
    if expected in TEXT_TYPES and isinstance(value, (dict, list, tuple)):
        return 'must be a string, got %s' % _kind(value)
    return None


def raw_type_problems(spec, raw, prefix=''):
    """Sentences for each value the user wrote that argument validation would convert silently.

    ``raw`` is the task's arguments before validation (aliases included); nested options are
    checked inside their dicts and lists of dicts.
    """
    problems = []
    if not isinstance(raw, dict):
        return problems
    for option, entry in spec.items():
        names = [option] + list(entry.get('aliases') or [])
        given = [name for name in names if name in raw and raw[name] is not None]
        if not given:
            continue
        value = raw[given[0]]
        label = prefix + given[0]
        kind = entry.get('type', 'str')
        misfit = _misfit(kind, value)
        if misfit:
            problems.append('%s %s.' % (label, misfit))
            continue
        if kind == 'list' and isinstance(value, list):
            for index, item in enumerate(value):
                misfit = _misfit(entry.get('elements'), item)
                if misfit:
                    problems.append('%s[%d] %s.' % (label, index, misfit))
                elif entry.get('options') and isinstance(item, dict):
                    problems.extend(raw_type_problems(entry['options'], item, '%s[%d].' % (label, index)))
        elif kind == 'dict' and entry.get('options') and isinstance(value, dict):
            problems.extend(raw_type_problems(entry['options'], value, label + '.'))
    return problems


def name_problems(params, options, path_names=True):
    """Sentences for each option (a name or a list of names) that is blank, or, for names a request path
    is built from, a URL dot segment."""
    problems = []
    for option in options:
        value = params.get(option)
        values = value if isinstance(value, list) else [value]
        if isinstance(value, str) and not value.strip():
            problems.append('%s must not be empty.' % option)
            continue
        if isinstance(value, list) and any(not isinstance(item, str) or not item.strip() for item in value):
            problems.append('%s must not contain an empty name.' % option)
            continue
        for item in values if path_names else ():
            problem = name_problem(option, item)
            if problem:
                problems.append(problem)
    return problems


def unique(names):
    """The names of a list option in their order, each once."""
    seen = []
    for name in names or []:
        if name not in seen:
            seen.append(name)
    return seen


def raw_module_args():
    """The task's arguments as the user wrote them, or None where they cannot be had.

    ansible-core documents _load_params() as the way for a module to consume its parameters
    itself ("more future-proof ... than to implement the logic inside it as a copy").
    """
    try:
        from ansible.module_utils.basic import _load_params  # pylint: disable=import-outside-toplevel
        return _load_params()
    # Without them, only these extra checks are skipped.
    except Exception:  # pylint: disable=broad-except
        return None
