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

# Install into a scratch prefix and build samples/embed against it with find_package(sanx).
install-check: build
	@rm -rf build/install-check && cmake --install $(BUILD) --prefix build/install-check/prefix >/dev/null
	@cmake -S samples/embed -B build/install-check/embed -DCMAKE_PREFIX_PATH=$(CURDIR)/build/install-check/prefix >/dev/null
	@cmake --build build/install-check/embed >/dev/null
	@build/install-check/embed/sanx_embed samples/kazakhstan/entities.yaml | grep -q "steppe-commercial-bank	high"
	@echo "install-check: find_package(sanx) consumer built and ran against the install tree"

clean:
	rm -rf build
