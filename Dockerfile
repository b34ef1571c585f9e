# MIDAS under gunicorn, with Tesseract for MRZ images. Build: docker build -t midas .
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng fonts-ocr-b \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 midas
WORKDIR /app
COPY pyproject.toml README.md ./
COPY statecodes ./statecodes
COPY scanners ./scanners
COPY watchlists ./watchlists
COPY chip ./chip
COPY bundles ./bundles
COPY paxlst ./paxlst
COPY midas ./midas
COPY wsgi.py gunicorn.conf.py ./
# The pages' translations are compiled from their catalogs before the package is built.
RUN pip install --no-cache-dir 'babel>=2.14,<3' \
 && pybabel compile -d midas/translations \
 && pip install --no-cache-dir . && mkdir -p /app/instance && chown midas /app/instance

USER midas
ENV MIDAS_ENV=production \
    GUNICORN_BIND=0.0.0.0:8000
EXPOSE 8000
# Healthy while /api/v1/health answers 200 (the database and schema usable, every active list
# screened); compose shows it. The start period covers indexing the lists before the workers
# start (a few minutes for a million persons).
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 \
  CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"]
# The schema is created or upgraded before the workers start; MIDAS_SECRET_KEY must be set.
CMD ["sh", "-c", "midas init-db && exec gunicorn -c gunicorn.conf.py wsgi:app"]
