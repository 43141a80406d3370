# The two commands of the README. Both set up what they need (.venv from requirements-dev.txt).
.PHONY: demo test

demo:
	bash hacking/demo.sh

test:
	bash hacking/test.sh

# Measures and prints; not part of `make test`. BENCHMARK_ARGS=--quick for a smoke run.
.PHONY: benchmark
benchmark:
	bash -c 'source hacking/venv.sh && python tests/benchmarks/benchmark.py $(BENCHMARK_ARGS)'
