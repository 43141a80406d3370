#!/usr/bin/env python
"""Stand-in for the pip bootstrap script ansible-test downloads (get-pip.py).

ansible-test looks for ~/.ansible/test/cache/get_pip_<version>.py before downloading it
from a host these machines (and users behind a strict proxy) cannot reach. This file is
copied there by hacking/test.sh. It bootstraps pip with the standard library's ensurepip,
then installs the pip version ansible-test asked for from the configured package index.
"""
import os
import subprocess
import sys


def main():
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
    env = dict(os.environ)
    # ensurepip leaves PIP_CONFIG_FILE=/dev/null behind, which would hide the machine's pip
    # configuration (index, CA bundle) from the real install.
    env.pop('PIP_CONFIG_FILE', None)
    env.pop('ENSUREPIP_OPTIONS', None)
    subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args, env=env)


if __name__ == '__main__':
    main()
