# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the maintenance-window runbook the way AWX / Automation Controller runs a job template.

- ansible_runner.run() (the engine AWX uses) in a fresh private data directory;
- the job template's playbook is docs/awx/project/maintenance_window.yml, which imports the
  collection's runbook by its name (apinizer.apiops.maintenance_window);
- the connection reaches the job only as environment variables, rendered from the documented
  credential type (docs/awx/credential_type_inputs.yml + credential_type_injectors.yml) the way
  AWX renders injectors: a sandboxed Jinja environment, empty inputs left out, missing booleans
  false, file injectors written to private files referenced through tower.filename;
- no APINIZER_* variable is inherited from this process, and the extra variables carry no
  connection option;
- the extra variables are the survey defaults of docs/awx/maintenance_window_survey.json, in the
  shapes AWX sends (a textarea as one string, a multiple select as a list), plus overrides.

It prints the job's output and a JSON summary line and exits 1 when an expectation fails.
"""
import argparse
import json
import os
import shutil
import stat
import sys
import tempfile

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment


class _Namespace:
    pass


def credential_env(docs, inputs, private_data_dir):
    """The environment AWX injects for a credential of the documented type."""
    with open(os.path.join(docs, 'credential_type_inputs.yml')) as handle:
        fields = yaml.safe_load(handle)['fields']
    with open(os.path.join(docs, 'credential_type_injectors.yml')) as handle:
        injectors = yaml.safe_load(handle)
    unknown = set(inputs) - {field['id'] for field in fields}
    if unknown:
        raise SystemExit('credential inputs the type does not define: %s' % ', '.join(sorted(unknown)))
    namespace = {key: value for key, value in inputs.items()
                 if isinstance(value, bool) or (value is not None and len(value))}
    for field in fields:
        if field.get('type') == 'boolean' and field['id'] not in inputs:
            namespace[field['id']] = False  # what AWX does with a boolean the credential lacks
    tower = _Namespace()
    tower.filename = _Namespace()
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(private_data_dir, 'env')
    os.makedirs(env_dir, exist_ok=True)
    for label, template in (injectors.get('file') or {}).items():
        fd, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(fd, 'w') as handle:
            handle.write(sandbox.from_string(template).render(tower=tower, **namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        setattr(tower.filename, label.split('.', 1)[1], path)
    if set(injectors) - {'env', 'file'}:
        raise SystemExit('the credential type injects more than env and files: %s' % sorted(injectors))
    return {name: sandbox.from_string(template).render(tower=tower, **namespace)
            for name, template in injectors['env'].items()}


def survey_extravars(path, overrides):
    """The extra variables a launch with the survey's defaults sends."""
    with open(path) as handle:
        spec = json.load(handle)['spec']
    extravars = {}
    for question in spec:
        default = question.get('default')
        if question['type'] == 'integer':
            value = int(default)
        elif question['type'] == 'multiselect':
            value = [item for item in str(default).split('\n') if item]
        else:
            value = default
        extravars[question['variable']] = value
    extravars.update(overrides)
    return extravars


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--root', required=True, help='collection root (docs/, playbooks/)')
    parser.add_argument('--url', required=True)
    parser.add_argument('--token', required=True)
    parser.add_argument('--ca-file', help='PEM file to put into the credential as its CA bundle')
    parser.add_argument('--skip-tls-verify', action='store_true')
    parser.add_argument('-e', '--extra', action='append', default=[], metavar='JSON',
                        help='extra variables laid over the survey defaults, as a JSON object')
    parser.add_argument('--expect-status', default='successful')
    parser.add_argument('--expect-changed', choices=['yes', 'no', 'any'], default='any')
    parser.add_argument('--expect-output', action='append', default=[], help='text the job output must contain')
    args = parser.parse_args()

    docs = os.path.join(args.root, 'docs', 'awx')
    private_data_dir = tempfile.mkdtemp(prefix='awx-job-')
    problems = []
    try:
        project = os.path.join(private_data_dir, 'project')
        os.makedirs(project)
        shutil.copy(os.path.join(docs, 'project', 'maintenance_window.yml'), project)

        inputs = dict(url=args.url, token=args.token)
        if args.ca_file:
            with open(args.ca_file) as handle:
                inputs['ca_bundle'] = handle.read()
        if args.skip_tls_verify:
            inputs['skip_tls_verify'] = True
        envvars = credential_env(docs, inputs, private_data_dir)
        if sorted(envvars) != ['APINIZER_CA_PATH', 'APINIZER_TOKEN', 'APINIZER_URL', 'APINIZER_VALIDATE_CERTS']:
            problems.append('the credential type injects %s' % sorted(envvars))

        overrides = {'maintenance_wait_seconds': 0}
        for extra in args.extra:
            overrides.update(json.loads(extra))
        extravars = survey_extravars(os.path.join(docs, 'maintenance_window_survey.json'), overrides)
        for name in extravars:
            if name.startswith('apinizer_') and name != 'apinizer_project':
                problems.append('the extra variables carry a connection option: %s' % name)

        # Like an AWX job: nothing of the launching process's own Apinizer settings gets through.
        for name in [name for name in os.environ if name.startswith('APINIZER_')]:
            del os.environ[name]

        runner = ansible_runner.run(
            private_data_dir=private_data_dir,
            playbook='maintenance_window.yml',
            inventory={'all': {'hosts': {'localhost': {'ansible_connection': 'local',
                                                       'ansible_python_interpreter': sys.executable}}}},
            extravars=extravars,
            envvars=envvars,
            suppress_env_files=True,
            quiet=True,
        )
        stdout = runner.stdout.read()
        sys.stdout.write(stdout)

        if runner.status != args.expect_status:
            problems.append('status %s (rc %s), expected %s' % (runner.status, runner.rc, args.expect_status))
        # One host per API proxy (plus localhost): the job changed something when any host did.
        changed = any((runner.stats or {}).get('changed', {}).values())
        if args.expect_changed != 'any' and changed != (args.expect_changed == 'yes'):
            problems.append('changed is %s, expected %s' % (changed, args.expect_changed))
        for text in args.expect_output:
            if text not in stdout:
                problems.append('the job output lacks %r' % text)

        events = ''.join(json.dumps(event) for event in runner.events)
        if args.token in stdout or args.token in events:
            problems.append('the token appears in the job output or its events')
        with open(os.path.join(runner.config.artifact_dir, 'command')) as handle:
            job_env = json.load(handle)['env']
        for name, value in envvars.items():
            if job_env.get(name) != value:
                problems.append('the job did not get %s from the credential' % name)

        print(json.dumps(dict(status=runner.status, rc=runner.rc, changed=changed, stats=runner.stats,
                              injected=sorted(envvars), extravars=sorted(extravars), problems=problems)))
    finally:
        shutil.rmtree(private_data_dir, ignore_errors=True)
    for problem in problems:
        print('FAIL: %s' % problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
