"""Cross-app tests: flows that cross apps, a real Celery worker, the browser."""
