# The two commands of the README. Both set up what they need (.venv from requirements-dev.txt;
# `make test` also one venv per tested ansible-core under .venv-legs/, from requirements/legs/).
.PHONY: demo test

demo:
	bash hacking/demo.sh

test:
	bash hacking/test.sh

# The inner loop of development: one core (CORE, default the newest), one step.
#   make units | make sanity | make integration TARGET=apinizer_proxy_deploy [CORE=2.16]
CORE ?= 2.21
.PHONY: units sanity integration
units:
	LEGS=$(CORE) bash hacking/test.sh units
sanity:
	LEGS=$(CORE) bash hacking/test.sh sanity
integration:
	LEGS=$(CORE) TARGETS="$(TARGET)" bash hacking/test.sh integration

# Rewrites docs/modules/ from the modules' own documentation (`make test` checks it is current).
.PHONY: docs
docs:
	bash -c 'source hacking/venv.sh && python hacking/generate_module_docs.py'

# Measures and prints; not part of `make test`. BENCHMARK_ARGS=--quick for a smoke run,
# BENCHMARK_ARGS=--fleet for only the fleet part (maintenance window over 200 proxies, loop against
# one host per proxy, with emulator latency; 41 minutes on 2 cores).
.PHONY: benchmark
benchmark:
	bash -c 'source hacking/venv.sh && python tests/benchmarks/benchmark.py $(BENCHMARK_ARGS)'
