# The two commands: `make run` and `make test`. Both install missing Debian packages first.
PRESET ?= dev
BUILD := build/$(PRESET)
SANX := $(BUILD)/engine/sanx

.PHONY: deps configure build run test asan format format-check clean install-check bench fuzz

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

# Install into a scratch prefix and build samples/embed against it with find_package(sanx)
# (also a ctest, install_check).
install-check: build
	@bash tests/cli/install_check.sh $(BUILD) $(CURDIR) $(CURDIR)/build/install-check

# Release build with the benchmarks; runs every bench/*_bench executable it finds, then the
# screening workload of ../shared/bench against its C++ baseline (bench/workload/run.sh;
# BENCH_BIG=1 adds 1M entities; SANX_BENCH_DIR points elsewhere).
bench: deps
	@cmake --preset release -DSANX_BUILD_BENCH=ON >/dev/null
	@cmake --build --preset release
	@for b in build/release/bench/*_bench; do \
	    [ -x "$$b" ] || continue; echo "== $$b"; "$$b" || exit 1; done
	@bench/workload/run.sh

# libFuzzer over every parser (docs/fuzzing.md): assertions on (a Debug build at -O1, no
# NDEBUG, libstdc++ assertions), ASan and UBSan. FUZZ_TIME is the total budget in seconds,
# shared by the targets (FUZZ_TARGETS, default all); fails if any target finds a crash.
FUZZ_TIME ?= 330
FUZZ_TARGETS ?=
fuzz: deps
	@CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
	    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSANX_FUZZ=ON -DSANX_BUILD_TESTS=OFF -DSANX_INSTALL=OFF -DSANX_JEMALLOC=OFF \
	    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS" \
	    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
	@cmake --build build/fuzz --target sanx_fuzz
	@tests/fuzz/run.sh build/fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

clean:
	rm -rf build
