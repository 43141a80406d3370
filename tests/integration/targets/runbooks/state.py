# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Assertions on the emulator's state for the runbook tests, read through the API itself.

    python state.py proxy NAME PATH=JSON...        e.g. maintenanceModeSetting.enabled=false
    python state.py connection NAME PATH=JSON...   e.g. host='"smtp.example.com"'
    python state.py absent-connection NAME
    python state.py deployed NAME ENV...           deployed there and no redeploy pending
    python state.py undeployed NAME ENV...         not deployed there
    python state.py writes                         API writes (POST/PUT/PATCH/DELETE) logged since the last `clear`
    python state.py requests                       API requests (reads too) logged since the last `clear`
    python state.py clear                          forget the request log
    python state.py fault JSON                     inject a fault (POST /_emulator/faults)
    python state.py pods JSON                      arm a gateway pod behaviour (POST /_emulator/pods)
    python state.py reset [PROXY=ENV,ENV...]       start again from tests/emulator/seed.json, with these
                                                   proxies deployed (and up to date) in these environments

Reads APINIZER_URL and APINIZER_TOKEN (the emulator's, from setup_emulator) and EMULATOR_URL.
Exits 1 with a message naming the first assertion that does not hold.
"""
import json
import os
import sys
import urllib.error
import urllib.request
from urllib.parse import quote

WRITES = ('POST', 'PUT', 'PATCH', 'DELETE')


def call(url, method='GET', token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, method=method, data=data, headers={'Content-Type': 'application/json'})
    if token:
        request.add_header('Authorization', 'Bearer %s' % token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    return 200, text


def api_object(*segments):
    path = '/apiops/' + '/'.join(quote(segment, safe='') for segment in segments) + '/'
    status, text = call(os.environ['APINIZER_URL'] + path, token=os.environ['APINIZER_TOKEN'])
    if status != 200:
        return None
    body = json.loads(text) if text else {}
    if isinstance(body, dict) and 'resultList' in body:
        return (body['resultList'] or [None])[0]
    return body


def dig(obj, path):
    for key in path.split('.'):
        if not isinstance(obj, dict) or key not in obj:
            return '<missing>'
        obj = obj[key]
    return obj


def check(obj, what, assertions):
    if obj is None:
        fail('%s does not exist' % what)
    for assertion in assertions:
        path, expected = assertion.split('=', 1)
        want = json.loads(expected)
        got = dig(obj, path)
        if got != want:
            fail('%s: %s is %s, expected %s' % (what, path, json.dumps(got), json.dumps(want)))


def request_log():
    status, text = call(os.environ['EMULATOR_URL'] + '/_emulator/requests')
    body = json.loads(text)
    return body.get('requests', []) if isinstance(body, dict) else body


def fail(message):
    print('STATE CHECK FAILED: %s' % message)
    sys.exit(1)


def main(argv):
    command, args = argv[0], argv[1:]
    if command == 'proxy':
        check(api_object('projects', 'Demo', 'apiProxies', args[0]), "API proxy '%s'" % args[0], args[1:])
    elif command == 'connection':
        check(api_object('projects', 'Demo', 'connections', args[0]), "connection '%s'" % args[0], args[1:])
    elif command == 'absent-connection':
        if api_object('projects', 'Demo', 'connections', args[0]) is not None:
            fail("connection '%s' exists" % args[0])
    elif command == 'deployed':
        proxy = api_object('projects', 'Demo', 'apiProxies', args[0])
        if proxy is None:
            fail("API proxy '%s' does not exist" % args[0])
        states = {d.get('environmentName'): d for d in proxy.get('deploymentList') or []}
        for env in args[1:]:
            state = states.get(env) or {}
            if not state.get('deployed') or state.get('redeployRequired'):
                fail("API proxy '%s' in %s: %s" % (args[0], env, json.dumps(state or 'not deployed')))
    elif command == 'undeployed':
        proxy = api_object('projects', 'Demo', 'apiProxies', args[0])
        if proxy is None:
            fail("API proxy '%s' does not exist" % args[0])
        states = {d.get('environmentName'): d for d in proxy.get('deploymentList') or []}
        for env in args[1:]:
            if (states.get(env) or {}).get('deployed'):
                fail("API proxy '%s' is deployed in %s" % (args[0], env))
    elif command == 'requests':
        print(sum(1 for entry in request_log() if str(entry.get('path', '')).startswith('/apiops')))
    elif command == 'writes':
        print(sum(1 for entry in request_log() if entry.get('method') in WRITES
                  and not str(entry.get('path', '')).startswith('/_emulator')))
    elif command == 'clear':
        call(os.environ['EMULATOR_URL'] + '/_emulator/requests', method='DELETE')
    elif command == 'reset':
        seed_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'emulator', 'seed.json')
        with open(seed_file) as handle:
            seed = json.load(handle)
        proxies = {proxy['name']: proxy for proxy in seed['projects']['Demo']['apiProxies']}
        for spec in args:
            name, envs = spec.split('=', 1)
            proxies[name]['deployments'] = envs.split(',')
        status, text = call(os.environ['EMULATOR_URL'] + '/_emulator/reset', method='POST', body=seed)
        if status >= 300:
            fail('the emulator refused the reset: %s' % text)
    elif command in ('fault', 'pods'):
        endpoint = {'fault': 'faults', 'pods': 'pods'}[command]
        status, text = call(os.environ['EMULATOR_URL'] + '/_emulator/' + endpoint, method='POST', body=json.loads(args[0]))
        if status >= 300:
            fail('the emulator refused the %s: %s' % (command, text))
    else:
        fail('unknown command %s' % command)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
