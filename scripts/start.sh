#!/usr/bin/env bash
# Installs whatever is missing and starts the portal: the frontend on
# http://localhost:3000 and the backend on http://localhost:7007, with the
# embedded SQLite database under data/ and the local dev sign-in.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
mkdir -p "$REPO_ROOT/data"
exec yarn start "$@"
