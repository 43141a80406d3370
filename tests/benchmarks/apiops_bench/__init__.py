# Copyright: Contributors to the apinizer.apiops collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The parts of tests/benchmarks/benchmark.py (the entry point; run that, not this package).

harness: the emulator, a measured ansible-playbook run and its task profile, shared by every part;
overview: requests and time per task, scaling, import cost and memory; per_task: one task on many
hosts, CPU of the whole run; fleet: the maintenance window over many proxies, and fleet_report: its
section of docs/performance.md.
"""
