#!/bin/bash
# Set up, build and run the whole test suite; ends with ctest's summary.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
cd build && ctest --output-on-failure "$@"
