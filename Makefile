# The two commands of the README. Both set up what they need (.venv from requirements-dev.txt).
.PHONY: demo test

demo:
	bash hacking/demo.sh

test:
	bash hacking/test.sh
