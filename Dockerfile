FROM python:3.11-slim

# HEALTH_LISTEN: the health listener inside the container, for the healthcheck below;
# set 0.0.0.0:8080 and publish the port for a Prometheus outside the container.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HEALTH_LISTEN=127.0.0.1:8080
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY core ./core
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
# The data folder holds phone lists, texts and names: the bot's user's alone.
RUN pip install . && useradd --create-home --uid 10001 phoenix && mkdir -p /app/data \
    && chown phoenix /app/data && chmod 700 /app/data

USER phoenix
VOLUME ["/app/data"]
# /healthz answers while the bot's event loop runs (bot/health.py). Python, not curl:
# the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://' + os.environ['HEALTH_LISTEN'] + '/healthz', timeout=4)"]
CMD ["python", "-m", "bot"]
