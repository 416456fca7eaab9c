"""Settings for Kokemustori, read from environment variables.

The defaults are safe only for the embedded developer run (`make run`): SQLite, console
e-mail, DEBUG on. Production sets DEBUG=false and the variables listed in README.md.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kokemustori.accounts.secrets import development_key

BASE_DIR = Path(__file__).resolve().parent  # src/kokemustori
PROJECT_DIR = BASE_DIR.parent.parent  # repository root

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="insecure-development-key-only-for-make-run" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that it can patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Lowest layer first (docs/architecture.md): signal receivers run in this order.
    "kokemustori.organisations",
    "kokemustori.taxonomy",
    "kokemustori.core",
    "kokemustori.accounts",
    "kokemustori.audit",
    "kokemustori.outbox",
    "kokemustori.tasktypes",
    "kokemustori.experts",
    "kokemustori.orderers",
    "kokemustori.orders",
    "kokemustori.identity",
    "kokemustori.requirements",
    "kokemustori.offers",
    "kokemustori.matching",
    "kokemustori.agreements",
    "kokemustori.opencalls",
    "kokemustori.fees",
    "kokemustori.followup",
    "kokemustori.conversations",
    "kokemustori.commitments",
    "kokemustori.series",
    "kokemustori.notifications",
    "kokemustori.calendars",
    "kokemustori.privacy",
    "kokemustori.reports",
    "kokemustori.api",
    "kokemustori.housekeeping",
    "kokemustori.pages",
    "kokemustori.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Error pages: the database unreachable answers 503 (kokemustori.core.errors).
    "kokemustori.core.errors.ErrorPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kokemustori.accounts.middleware.SecondFactorRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the CSP middleware: adds the identity providers to form-action on the pages
    # with sign-in buttons (kokemustori.identity.middleware).
    "kokemustori.identity.middleware.ProviderFormActionMiddleware",
]

ROOT_URLCONF = "kokemustori.urls"
WSGI_APPLICATION = "kokemustori.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kokemustori.core.context_processors.roles",
                "kokemustori.notifications.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
}
# Production keeps each app server's connection open for a minute (a new PostgreSQL
# connection per request cost more than most pages) and checks it before reusing it, so a
# database restart costs one failed check, not an error. Behind pgbouncer in transaction
# mode, server-side cursors must be off (DISABLE_SERVER_SIDE_CURSORS=true).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault(
    "CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=not DEBUG)
)
if env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# PostgreSQL's JIT compiler spends hundreds of milliseconds compiling each of the reports'
# aggregate queries over a year of orders, more than it saves (measured: the reports page at
# 200k orders, 5.3 s of SQL with JIT, 3.6 s without). Off for our connections unless
# POSTGRES_JIT=true; behind pgbouncer, which drops this startup option, set it on the database
# instead (README, Deploying).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "POSTGRES_JIT", default=False
):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (allauth's rate limits) counts in this cache, so every app server and
# worker process must share it: production defaults to the database's cache table (made by
# `migrate`, kokemustori.accounts.apps) or uses Redis (CACHE_URL=redis://...), and refuses
# to start with a cache of one process.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default="locmemcache://" if DEBUG else "dbcache://kokemustori_cache"
    )
}
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if not DEBUG and CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL names a cache of one process; login throttling would count per process. "
        "Use dbcache://kokemustori_cache (the default) or redis://host:6379/1."
    )

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:dashboard"

# django-allauth: e-mail as the login, and a one-time code by e-mail for people who find
# passwords hard.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The outbox's subclass of accounts.adapter.AccountAdapter: account e-mails go to the outbox.
# identity's subclass adds the sign-in through identity providers (second factor, logout).
ACCOUNT_ADAPTER = "kokemustori.identity.adapter.AccountAdapter"
# Sign-in through the organisations' own identity providers (kokemustori.identity): OpenID
# Connect with PKCE, the providers kept by the administrator, the secrets in the environment.
SOCIALACCOUNT_ADAPTER = "kokemustori.identity.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "kokemustori.identity.oidc.provider.Provider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link an account by its e-mail address
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "kokemustori.accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kokemustori: "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    # The accessibility feedback form (kokemustori.pages), anyone may post it.
    "accessibility_feedback": "10/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kokemustori"
# Authenticator secrets are encrypted at rest (kokemustori.accounts.secrets): Fernet keys, the
# first encrypts, all decrypt (rotation: README). Required in production; a development run
# without them derives a key from SECRET_KEY.
MFA_ADAPTER = "kokemustori.accounts.mfa_adapter.MFAAdapter"
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
if not MFA_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set MFA_ENCRYPTION_KEYS (a Fernet key: python -c 'from cryptography.fernet "
            "import Fernet; print(Fernet.generate_key().decode())'); see README."
        )
    MFA_ENCRYPTION_KEYS = [development_key(SECRET_KEY)]
# Coordinators and administrators see special-category data: they must use a second factor
# (an authenticator app, TOTP). Enforced by kokemustori.accounts.middleware.
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=True)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
# Sessions are read from the shared cache and written through to the database: with Redis
# (CACHE_URL=redis://...) a logged-in page costs no database read for its session, and a
# cache that is emptied loses no one's login.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi", "en", "sv")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=PROJECT_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=PROJECT_DIR / "media")

# E-mail: the console in the embedded run; smtp://user:password@host:587/?tls=True in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kokemustori <noreply@localhost>")

# --- E-mail outbox (kokemustori.outbox) ---------------------------------------------------
# Every e-mail is a row; the worker (`manage.py outbox_worker`) sends it and retries.
# An SMTP call must end well within the lease, or a second worker may send the mail again.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=600)
OUTBOX_GIVE_UP_HOURS = env.int("OUTBOX_GIVE_UP_HOURS", default=48)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=90)
OUTBOX_MESSAGE_ID_DOMAIN = (
    env.str("OUTBOX_MESSAGE_ID_DOMAIN", default="")
    or (SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0])
)
# --- end of the e-mail outbox ---------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Behind a TLS-terminating proxy in production.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script or style anywhere; everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404) is one line without a traceback: kokemustori.accounts.logfilters.
    "filters": {
        "expected_refusals": {"()": "kokemustori.accounts.logfilters.ExpectedRefusalFilter"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint (core/documents.py) logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["expected_refusals"]},
    },
}

# How many catalogue results one page shows.
CATALOGUE_PAGE_SIZE = 20

# Retention of personal data (kokemustori.privacy.retention, run by `manage.py periodic`):
# refused applications are erased this many days after the decision; closed, cancelled and
# declined orders lose their personal details this many days after they ended.
RETENTION_DAYS_REFUSED_APPLICATIONS = env.int("RETENTION_DAYS_REFUSED_APPLICATIONS", default=365)
RETENTION_DAYS_CLOSED_ORDERS = env.int("RETENTION_DAYS_CLOSED_ORDERS", default=730)
