# ClusterLab's web app. Build: docker build -t clusterlab .
# Run:   docker run -p 8000:8000 -v clusterlab-data:/data -e CLUSTERLAB_ACCESS_TOKEN=... clusterlab
# (README, "Run it in a container", for secrets and a managed platform.)

# Python as pyproject's requires-python (>=3.11), on Debian's slim image.
FROM python:3.11-slim-bookworm

# tini as PID 1 passes signals on to the server and reaps any orphaned process; the server itself
# stops its jobs on SIGTERM (what `docker stop` and Cloud Run send).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini=0.19.* \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir "./[web]"
COPY --chmod=755 docker/entrypoint.sh /usr/local/bin/clusterlab-entrypoint

# Runs, uploads and the cookie-signing key live in /data: mount a volume there to keep them.
RUN groupadd --system --gid 10001 clusterlab \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin clusterlab \
    && mkdir /data \
    && chown 10001:10001 /data
ENV CLUSTERLAB_DATA_DIR=/data \
    PORT=8000
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8000

# The image has no curl: Python asks /healthz (open without the access token).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

ENTRYPOINT ["tini", "--", "clusterlab-entrypoint"]
