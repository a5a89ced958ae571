"""Settings shared by every environment.

Each environment module (dev, test, production) imports this and changes only what differs.
`DATABASE_URL` chooses the database everywhere; without it the embedded SQLite file is used.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf import global_settings
from django.utils.translation import gettext_lazy

from cms.env import env, env_list
from cms.timezones import known_zones

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env("HOMEWARD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "cms.countries",
    "cms.cases",
    "cms.publishing",
    "cms.tips",
    "cms.distribution",
    "cms.matching",
    "cms.demo",
    "cms.accounts",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may answer by itself (the language redirect), so all get it.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in the language of the user's account, refusals included.
    "cms.accounts.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.countries.scope.CountryScopeMiddleware",
    # Last: it turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'homeward.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (CMS, task worker) share the file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks every sign-in first: too many wrong passwords for one account from one
# address lock that pair out (the admin's "Locked sign-ins" unlocks it, or the time runs out).
# Locking the account alone would let anyone lock an investigator out; the address alone would
# lock a whole police station behind one NAT.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("HOMEWARD_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("HOMEWARD_SIGNIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "cms.accounts.lockout.locked_out_response"
AXES_ENABLE_ADMIN = False  # no Django admin here: cms.accounts adds the Wagtail screen
AXES_VERBOSE = False  # not a line at every start of every command

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. Every language Django knows may be a member country's language; each
# country chooses its own subset when it is provisioned (see countries.provisioning).
LANGUAGE_CODE = "en"
# Named in the reader's language (Django's catalogs translate every one): the page explorer
# and the language filters showed "Arabic" and "French" to an editor reading Arabic.
LANGUAGES = [(code, gettext_lazy(name)) for code, name in global_settings.LANGUAGES]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "translations"]
TIME_ZONE = "UTC"
# The zones an admin user may pick as their own (Wagtail offers every zone file by default,
# "localtime" included, which broke the account page): cms.timezones.
WAGTAIL_USER_TIME_ZONES = sorted(known_zones())
USE_I18N = True
USE_TZ = True

STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing directory
STATIC_URL = "/static/"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work: Django tasks stored in the database; `manage.py db_worker` runs them.
# At scale, HOMEWARD_TASK_BACKEND=rq puts them on Redis (REDIS_URL) for `manage.py rqworker`.
# "publishing" (site rebuilds: an editor is waiting) has a worker of its own; "default" holds
# Wagtail's housekeeping (search and reference indexes), "faces" the face matching.
TASK_QUEUES = ["publishing", "default", "faces", "alerts"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
RQ_QUEUES = {
    name: {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 600}
    for name in TASK_QUEUES
}
if env("HOMEWARD_TASK_BACKEND", "db") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}

WAGTAIL_SITE_NAME = "Homeward"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The admin's pages ask nothing of another host: no Gravatar avatars (each page would send a
# digest of the staff member's email address, with their address and working hours, to
# gravatar.com; staff upload an avatar if they want one) and no check for Wagtail's releases
# from every dashboard (the technical team upgrades through uv.lock).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The case editor's map of where the child was last seen: its tiles' address ({z}/{x}/{y}, as
# Leaflet takes it) and their attribution. An agency with its own tile server names it here;
# "none", the map asks no tile at all (a blank map: clicks and typed coordinates still work).
HOMEWARD_MAP_TILES = env("HOMEWARD_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
if HOMEWARD_MAP_TILES.lower() == "none":
    HOMEWARD_MAP_TILES = ""
HOMEWARD_MAP_ATTRIBUTION = env("HOMEWARD_MAP_ATTRIBUTION", "© OpenStreetMap contributors")

# Uploads: images only, and not huge. Wagtail rejects anything else with a form error.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "avif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Private material must never be reachable by guessing a URL: documents are served through
# Wagtail's permission-checking view, never straight from storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAIL_PASSWORD_RESET_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": "cms.log_filters.ClientErrorsInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors_in_one_line"]}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # One line per page saved or published drowns the demo loader's own report.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Django's default logging gives "django" a console handler of its own: without this,
        # every 403 or 400 was written twice (there, and again by the root's handler).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint's font subsetter narrates at INFO ("Attempting to fix
        # OTLOffsetOverflowError …") for each poster: not news for anyone.
        "fontTools": {"level": "WARNING"},
    },
}

# Publishing: the export's working copy of the snapshot, the generated sites, and the address
# they are served from (`make run` serves OUTPUT_DIR there).
HOMEWARD_CONTENT_DIR = Path(env("HOMEWARD_CONTENT_DIR", str(VAR_DIR / "content")))
HOMEWARD_OUTPUT_DIR = Path(env("HOMEWARD_OUTPUT_DIR", str(VAR_DIR / "output")))
HOMEWARD_PUBLIC_URL = env("HOMEWARD_PUBLIC_URL", "http://localhost:8001")
# Off only where publishing must not run by itself (the test suite turns it on where tested).
HOMEWARD_LIVE_PUBLISHING = True
# Every build also makes each case's PDF poster and share image (off in most tests: slow).
HOMEWARD_POSTERS = env("HOMEWARD_POSTERS", "1") != "0"
# Where every rebuild is deployed (sitegen.deploy): "s3://BUCKET[/PREFIX]", its CloudFront
# distribution to invalidate; empty: the sites are served from HOMEWARD_OUTPUT_DIR only.
HOMEWARD_DEPLOY_TARGET = env("HOMEWARD_DEPLOY_TARGET", "")
HOMEWARD_DEPLOY_CLOUDFRONT = env("HOMEWARD_DEPLOY_CLOUDFRONT", "") or None
# Hosted search (sitegen.search.algolia): each publish sends Algolia what changed in the
# public case summaries, a found child's deletion first. Off while the application id is empty
# (the sites' own Pagefind search needs no account). The key must be a write key (addObject,
# deleteObject, deleteIndex), from the environment only; the host replaces Algolia's (tests).
HOMEWARD_SEARCH_ALGOLIA_APP_ID = env("HOMEWARD_SEARCH_ALGOLIA_APP_ID", "")
HOMEWARD_SEARCH_ALGOLIA_API_KEY = env("HOMEWARD_SEARCH_ALGOLIA_API_KEY", "")
HOMEWARD_SEARCH_ALGOLIA_INDEX_PREFIX = env("HOMEWARD_SEARCH_ALGOLIA_INDEX_PREFIX", "homeward_")
HOMEWARD_SEARCH_ALGOLIA_HOST = env("HOMEWARD_SEARCH_ALGOLIA_HOST", "") or None

# Tips from the public (cms.tips): private photo storage that no URL serves, a per-address
# rate limit, and the country sites' origins allowed to post cross-site.
HOMEWARD_PRIVATE_MEDIA_ROOT = Path(env("HOMEWARD_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
HOMEWARD_TIP_RATE = env("HOMEWARD_TIP_RATE", "20/h")
# Where the static case pages' "report a sighting" form posts.
HOMEWARD_TIPS_URL = env("HOMEWARD_TIPS_URL", WAGTAILADMIN_BASE_URL.rstrip("/") + "/api/tips/")
CORS_URLS_REGEX = r"^/api/.*$"

# Alerts to subscribers (cms.distribution): sign-ups a client address may make, how many
# workers send one event's messages side by side, and the domain of their Message-IDs.
HOMEWARD_ALERTS = env("HOMEWARD_ALERTS", "1") != "0"
# Where the sites' alerts page posts its sign-ups.
HOMEWARD_ALERTS_URL = env("HOMEWARD_ALERTS_URL", WAGTAILADMIN_BASE_URL.rstrip("/") + "/api/alerts/")
HOMEWARD_ALERT_SIGNUP_RATE = env("HOMEWARD_ALERT_SIGNUP_RATE", "10/h")
HOMEWARD_ALERT_SENDERS = int(env("HOMEWARD_ALERT_SENDERS", "2"))
# Webhooks to loopback, private and link-local addresses are refused (server-side request
# forgery) unless this is on: for tests and networks whose receivers are all inside.
HOMEWARD_WEBHOOK_ALLOW_PRIVATE = env("HOMEWARD_WEBHOOK_ALLOW_PRIVATE", "0") == "1"
HOMEWARD_MAIL_DOMAIN = env(
    "HOMEWARD_MAIL_DOMAIN", urlsplit(WAGTAILADMIN_BASE_URL).hostname or "localhost"
)
# Reverse proxies in front of the CMS (load balancer, CDN) that append the address they received
# a request from to HOMEWARD_CLIENT_IP_HEADER: rate limits and sign-in lockouts count per client
# address, which only the proxies know (cms.client_address). 0: REMOTE_ADDR is the client.
HOMEWARD_TRUSTED_PROXIES = int(env("HOMEWARD_TRUSTED_PROXIES", "0"))
HOMEWARD_CLIENT_IP_HEADER = env("HOMEWARD_CLIENT_IP_HEADER", "X-Forwarded-For")
RATELIMIT_IP_META_KEY = "cms.client_address.client_address"
_public = urlsplit(HOMEWARD_PUBLIC_URL)
CORS_ALLOWED_ORIGINS = env_list("HOMEWARD_SITE_ORIGINS", f"{_public.scheme}://{_public.netloc}")
# The rate limit counts in the cache, which every process must share.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if env("REDIS_URL", ""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }

# What the CMS's public endpoints (the tips API, the redirects to the sites) may load: nothing,
# so whatever a sender smuggles into a page there cannot run. Left out: the admin (Wagtail's own
# scripts and styles) and documents (a browser's PDF viewer is itself blocked by such a policy).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/documents/"],
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "img-src": ["'self'"],  # staff opening one of the CMS's own images in a tab
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
}

# Face matching (cms.matching, match_worker): dlib's HOG detector by default, "cnn" to find
# turned and small faces at many times the cost.
# The password of the demo's fictional users (make run: `load_demo`, printed by `serve`).
HOMEWARD_DEMO_PASSWORD = env("HOMEWARD_DEMO_PASSWORD", "homeward-demo")

HOMEWARD_FACE_DETECTOR = env("HOMEWARD_FACE_DETECTOR", "hog")
# The gallery searched for each tip photo: exact search by default (fast enough to about 100,000
# faces), match_worker.gallery.FaissHNSWGallery at scale (docs/performance.md).
HOMEWARD_FACE_GALLERY = env("HOMEWARD_FACE_GALLERY", "match_worker.gallery.ExactGallery")
