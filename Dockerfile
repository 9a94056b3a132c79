# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings TONGXIN_VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN python manage.py compile_translations \
    && DJANGO_DEBUG=0 SECRET_KEY=build-only FIELD_ENCRYPTION_KEY=ZGV2LW9ubHktZmllbGQta2V5LXRvbmd4aW4tMzJieXQ= \
       python manage.py collectstatic --noinput \
    && useradd --system --home /app tongxin && mkdir -p /app/var && chown -R tongxin /app/var
USER tongxin
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
