# The two commands: `make run` and `make test`. Both install missing Debian packages first.
PRESET ?= dev
BUILD := build/$(PRESET)
SANX := $(BUILD)/engine/sanx

.PHONY: deps configure build run test asan format format-check clean install-check

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) -DSANX_WERROR=$(if $(CI),ON,OFF) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

run: build
	$(SANX) check --format text samples/kazakhstan/entities.yaml; test $$? -le 1

test: build
	ctest --preset $(PRESET)

asan:
	@$(MAKE) --no-print-directory test PRESET=asan

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	rm -rf build
