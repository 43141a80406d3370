# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare the module path's run of equivalence.yml with the direct-execution run (runme.sh).

    compare.py results MODULE.json DIRECT.json
        The registered results, canonically (sorted keys), with two values normalised: the
        seconds a post-deploy verification took (ELAPSED, below) and where the collection's files
        are in a traceback (COLLECTION_FILE, below).
    compare.py logs MODULE.log DIRECT.log
        The -vvvv --diff output, task by task, after removing the lines only the module path
        prints (MODULE_PATH_ONLY) and the action plugin's path line, and normalising the same
        seconds, file locations and one failure header (ACTION_FAILED, below); then, for every task of a
        collection module, the line that says which path it took.
    compare.py paths LOG
        Print, for each task of a collection module, the path line the action plugin printed.

Every difference is printed with the task (or result key) it belongs to; exit status 1 if any.
"""

import difflib
import json
import re
import sys

# Lines that only the module path prints: the connection plugin running the module, the module
# file and its payload, and temporary directories.
MODULE_PATH_ONLY = re.compile(
    r'^(<[^>]+> (ESTABLISH LOCAL CONNECTION FOR USER: |EXEC |PUT )'
    r'|Using module file '
    r'|Pipelining is enabled\.'
    r'|.*AnsiballZ'
    r'|.*/\.ansible/tmp/'
    r')')
# The action plugin's own line (the one thing meant to differ; check_paths() checks it).
PATH_LINE = re.compile(r'^apinizer\.apiops: (apinizer_[a-z_]+) runs (in the worker process|as a module)(.*)$')
# ansible-core 2.19+ heads a failure "Task failed: Module failed: <msg>" for a result of
# _execute_module() and "Task failed: Action failed: <msg>" for a result an action plugin made
# itself, which is what direct execution is. The task result (the JSON under it, msg included)
# is the same; only this prefix is normalised, and counted.
ACTION_FAILED = 'Task failed: Action failed: '
MODULE_FAILED = 'Task failed: Module failed: '
# verification[].seconds: how long the post-deploy verification of an environment took, measured
# by the clock (0.0 on an idle machine, 0.1 or more on a busy one), on either path.
ELAPSED = '<elapsed>'
VERIFICATION_START = re.compile(r'^( *)"verification": \[$')
SECONDS_LINE = re.compile(r'^( *"seconds": )[0-9.]+(,?)$')
# A traceback names the collection's files where that path loaded them: inside the AnsiballZ
# payload (module path; before ansible-core 2.19 the result's `exception` carries it) or in the
# installed collection (direct). The same code at the same line; only the directory differs.
COLLECTION_FILE = re.compile(r'File \\?"[^"\\]*/ansible_collections/apinizer/apiops/')
COLLECTION = 'File "<collection>/'
TASK_HEADER = re.compile(r'^TASK \[(.*)\] \*+$')
MODULE_TASK = re.compile(r'^(apinizer_[a-z_]+): ')


def tasks(path):
    """[(task name or '(start)', [lines])] in order, each task's lines from its header to the next."""
    found = [('(start)', [])]
    with open(path, encoding='utf-8', errors='replace') as stream:
        for line in stream:
            line = line.rstrip('\n')
            header = TASK_HEADER.match(line)
            if header or line.startswith('PLAY '):
                found.append((header.group(1) if header else line.rstrip(' *'), []))
            found[-1][1].append(line)
    return found


def comparable(lines, direct):
    kept, normalised, verification_end = [], 0, None
    for line in lines:
        if MODULE_PATH_ONLY.match(line) or PATH_LINE.match(line):
            continue
        start = VERIFICATION_START.match(line)
        if start:
            verification_end = start.group(1) + ']'
        elif verification_end is not None and line.rstrip(',') == verification_end:
            verification_end = None
        elif verification_end is not None:
            line = SECONDS_LINE.sub(r'\1"%s"\2' % ELAPSED, line)
        line = COLLECTION_FILE.sub(COLLECTION.replace('"', '\\"') if '\\"' in line else COLLECTION, line)
        if direct and ACTION_FAILED in line:
            line = line.replace(ACTION_FAILED, MODULE_FAILED)
            normalised += 1
        kept.append(line)
    return kept, normalised


def compare_logs(module_log, direct_log):
    module_tasks, direct_tasks = tasks(module_log), tasks(direct_log)
    problems = 0
    module_names = [task[0] for task in module_tasks]
    direct_names = [task[0] for task in direct_tasks]
    if module_names != direct_names:
        print('The two runs ran different tasks:')
        sys.stdout.writelines(difflib.unified_diff([name + '\n' for name in module_names],
                                                   [name + '\n' for name in direct_names], 'module path', 'direct'))
        return 1
    normalised = 0
    action_failed_in_module_path = 0
    for (name, module_lines), (unused, direct_lines) in zip(module_tasks, direct_tasks):
        expected, unused = comparable(module_lines, direct=False)
        action_failed_in_module_path += sum(ACTION_FAILED in line for line in expected)
        got, count = comparable(direct_lines, direct=True)
        normalised += count
        if expected != got:
            problems += 1
            print('DIFFERENT: task [%s]' % name)
            sys.stdout.writelines(difflib.unified_diff([line + '\n' for line in expected], [line + '\n' for line in got],
                                                       'module path', 'direct execution', n=2))
    print('%d tasks compared, %d differ; "%s" normalised to "%s" in %d failure headers of the direct run%s'
          % (len(module_tasks) - 1, problems, ACTION_FAILED.strip(), MODULE_FAILED.strip(), normalised,
             '' if not action_failed_in_module_path else
             ' (the module path run printed "%s" %d times)' % (ACTION_FAILED.strip(), action_failed_in_module_path)))
    return 1 if problems else 0


def path_lines(path):
    """[(task name, module named by the task, [path lines])] of every task of a collection module."""
    found = []
    for name, lines in tasks(path):
        module = MODULE_TASK.match(name)
        if module:
            found.append((name, module.group(1), [PATH_LINE.match(line) for line in lines if PATH_LINE.match(line)]))
    return found


def check_paths(log, expect, reason=''):
    """Every module task printed exactly one path line, naming its module, of the kind (and reason) expected."""
    problems = 0
    found = path_lines(log)
    for name, module, lines in found:
        kinds = [(match.group(1), match.group(2), match.group(3)) for match in lines]
        if len(kinds) != 1 or kinds[0][0] != module or not kinds[0][1].startswith(expect) \
                or reason not in kinds[0][2]:
            problems += 1
            print('WRONG PATH in %s: task [%s] printed %s, expected one line "%s runs %s"'
                  % (log, name, [' '.join(kind) for kind in kinds] or 'no path line', module, expect))
    print('%s: %d module tasks, each "runs %s%s"%s' % (
        log, len(found), expect, reason and ' ' + reason + '...)', '' if not problems else ' EXCEPT %d' % problems))
    return 1 if problems or not found else 0


def diff_values(module, direct, where, out):
    if type(module) is not type(direct):
        out.append('%s: %r (module path) != %r (direct)' % (where, module, direct))
    elif isinstance(module, dict):
        for key in sorted(set(module) | set(direct)):
            if key not in direct:
                out.append('%s.%s: only on the module path: %s' % (where, key, json.dumps(module[key], sort_keys=True)))
            elif key not in module:
                out.append('%s.%s: only on the direct path: %s' % (where, key, json.dumps(direct[key], sort_keys=True)))
            else:
                diff_values(module[key], direct[key], '%s.%s' % (where, key), out)
    elif isinstance(module, list) and len(module) == len(direct):
        for index, (one, other) in enumerate(zip(module, direct)):
            diff_values(one, other, '%s[%d]' % (where, index), out)
    elif module != direct:
        out.append('%s: %s (module path) != %s (direct)' % (where, json.dumps(module), json.dumps(direct)))


def elapsed_normalised(value):
    """``value`` with the seconds of every verification entry replaced by ELAPSED."""
    if isinstance(value, dict):
        return {key: [dict(entry, seconds=ELAPSED) if isinstance(entry, dict) and 'seconds' in entry else entry
                      for entry in item] if key == 'verification' and isinstance(item, list)
                else elapsed_normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [elapsed_normalised(item) for item in value]
    if isinstance(value, str):
        return COLLECTION_FILE.sub(COLLECTION, value)
    return value


def compare_results(module_file, direct_file):
    with open(module_file) as stream:
        module = elapsed_normalised(json.load(stream))
    with open(direct_file) as stream:
        direct = elapsed_normalised(json.load(stream))
    if json.dumps(module, sort_keys=True) == json.dumps(direct, sort_keys=True):
        print('registered results: %d, equal (canonical JSON, sorted keys; verification seconds and file '
              'locations in tracebacks normalised)'
              % len(module))
        return 0
    out = []
    diff_values(module, direct, 'results', out)
    print('registered results DIFFER (%d places):' % len(out))
    for line in out:
        print('  ' + line)
    return 1


def main(argv):
    if argv[1] == 'results':
        return compare_results(argv[2], argv[3])
    if argv[1] == 'logs':
        failed = compare_logs(argv[2], argv[3])
        failed |= check_paths(argv[2], 'as a module', '(direct execution is turned off')
        failed |= check_paths(argv[3], 'in the worker process')
        return failed
    if argv[1] == 'paths':
        for name, unused, lines in path_lines(argv[2]):
            print('[%s] %s' % (name, ' | '.join(match.group(0) for match in lines) or 'NO PATH LINE'))
        return 0
    raise SystemExit(__doc__)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
