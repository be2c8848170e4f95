#!/bin/sh
# Recompute the committed snapshot (matrix/data/snapshot.json) from two local checkouts.
#
#   scripts/recompute.sh PYTHON_CHECKOUT GO_CHECKOUT [extra agno-docs compute flags...]
#
# PYTHON_CHECKOUT is agno-agi/agno (libs/agno/agno, cookbook/), GO_CHECKOUT is rexleimo/agno-Go
# (pkg/agno, cmd/examples/). Nothing is fetched. Commits are read from each checkout's .git; for
# exported trees (git archive) pass them: --python-commit SHA --go-commit SHA (or set
# AGNO_PYTHON_COMMIT / AGNO_GO_COMMIT). `since` comes from matrix/data/history (scripts/history.py).
set -eu
if [ $# -lt 2 ]; then
    echo "usage: scripts/recompute.sh PYTHON_CHECKOUT GO_CHECKOUT [--python-commit SHA --go-commit SHA]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
py=$1
go=$2
shift 2
if [ -x "$here/.venv/bin/agno-docs" ]; then
    agno_docs="$here/.venv/bin/agno-docs"
else
    agno_docs=agno-docs
fi
exec "$agno_docs" compute --python-root "$py" --go-root "$go" \
    --history "$here/matrix/data/history" --out "$here/matrix/data/snapshot.json" "$@"
