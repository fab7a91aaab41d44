#!/bin/sh
# The container's command: the web app on every interface, on $PORT (Cloud Run and most platforms set
# it; 8000 otherwise). Every other server setting comes from its CLUSTERLAB_* variable (the data
# folder, the access token or CLUSTERLAB_ACCESS_TOKEN_FILE, the job limits) or as arguments after the
# image's name: docker run ... clusterlab --workers 4.
set -eu
# exec: the server takes this shell's place, so the platform's SIGTERM reaches it directly.
exec clusterlab serve --host 0.0.0.0 --port "${PORT:-8000}" "$@"
