"""Production: every secret, host and address comes from the environment; HTTPS everywhere.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, the addresses (WAGTAILADMIN_BASE_URL,
HOMEWARD_PUBLIC_URL, HOMEWARD_SITE_ORIGINS, DEFAULT_FROM_EMAIL) and HOMEWARD_TRUSTED_PROXIES
(how many reverse proxies stand in front; 0 for none). Nothing falls back to localhost: a
missing one stops the start with its name. Optional: CSRF_TRUSTED_ORIGINS, HOMEWARD_TIPS_URL,
HOMEWARD_CLIENT_IP_HEADER, SMTP settings (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
EMAIL_HOST_PASSWORD).
"""

from cms.env import env_list, env_url

from .base import *

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
env("DATABASE_URL")  # required: base.py would otherwise fall back to a local SQLite file
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))

# Where the admin, the public sites and their tip forms live (base.py's localhost defaults are
# for `make run` only).
WAGTAILADMIN_BASE_URL = env_url("WAGTAILADMIN_BASE_URL")
HOMEWARD_PUBLIC_URL = env_url("HOMEWARD_PUBLIC_URL")
HOMEWARD_TIPS_URL = env("HOMEWARD_TIPS_URL", WAGTAILADMIN_BASE_URL.rstrip("/") + "/api/tips/")
HOMEWARD_ALERTS_URL = env("HOMEWARD_ALERTS_URL", WAGTAILADMIN_BASE_URL.rstrip("/") + "/api/alerts/")
CORS_ALLOWED_ORIGINS = env_list("HOMEWARD_SITE_ORIGINS")
HOMEWARD_TRUSTED_PROXIES = int(env("HOMEWARD_TRUSTED_PROXIES"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "true").lower() == "true"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
