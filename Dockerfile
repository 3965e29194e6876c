# syntax=docker/dockerfile:1
# speech2image-bot image. GPU (default):
#   docker build -t speech2image-bot:gpu .
# CPU only (smaller, no CUDA):
#   docker build -t speech2image-bot:cpu --build-arg BASE_IMAGE=python:3.11-slim-bookworm \
#     --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu .
#
# The GPU base brings CUDA 12 (cuBLAS, cuDNN 9) for CTranslate2 (faster-whisper), which loads
# libcublas.so.12; torch from PyPI brings its own CUDA (13 for torch 2.13) libraries.
ARG BASE_IMAGE=nvidia/cuda:12.9.1-cudnn-runtime-ubuntu24.04
FROM ${BASE_IMAGE}

# Read by scripts/setup: the torch version, and the index to take it from (empty: PyPI).
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX_URL=""

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/app/.venv/bin:$PATH \
    HF_HOME=/models \
    XDG_CACHE_HOME=/models/cache

WORKDIR /app
RUN groupadd --gid 10001 bot \
    && useradd --no-log-init --create-home --uid 10001 --gid bot bot \
    && mkdir -p /models /app/data \
    && chown 10001:10001 /models /app/data

# The same installer as CI (.ci/run): ffmpeg with apt, .venv, torch pinned first, then the project.
# Only what it reads comes first (and the package markers, for the editable install), so a code
# change does not reinstall the dependencies.
COPY pyproject.toml README.md ./
COPY scripts/setup scripts/
COPY bot/__init__.py bot/
COPY cogs/__init__.py cogs/
RUN --mount=type=cache,target=/root/.cache/pip \
    scripts/setup \
    && rm -rf /var/lib/apt/lists/*

COPY bot/ bot/
COPY cogs/ cogs/
COPY config/bot.example.toml config/

# Downloaded models, and the SQLite job store (store.path defaults to data/jobs.sqlite3).
VOLUME ["/models", "/app/data"]
USER 10001:10001
# /healthz and metrics (metrics.port).
EXPOSE 9100
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('S2I_METRICS__PORT', '9100') + '/healthz', timeout=4)"]
# SIGINT: the same clean shutdown as Ctrl-C.
STOPSIGNAL SIGINT
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
