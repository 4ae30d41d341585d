"""Capacity: GESI-sensitive organisational capacity assessment."""
from __future__ import annotations

import os

from flask import Flask

from capacity import config as config_module
from capacity import resources
from capacity.extensions import babel, csrf, db, login_manager
from capacity.migrating import MigrationCommands
from capacity.urls import RowIdConverter

# Where things are: capacity.resources answers for a checkout and an installed wheel alike.
PROJECT_ROOT = resources.CHECKOUT  # the repository's root; meaningful in a checkout only (babel.cfg, tests)
MIGRATIONS_DIR = resources.MIGRATIONS_DIR
TRANSLATIONS_DIR = resources.TRANSLATIONS_DIR


def create_app(test_config: dict | None = None, *, web: bool = True) -> Flask:
    """Build the application. Never touches the database (habit 1).

    ``web=False`` builds it without its pages (blueprints, error pages, response
    hooks) for commands and job processes that only use the database, templates and
    services: a tenth of a second less at every start, most of it Werkzeug compiling
    URL rules and importing the views' forms.
    """
    app = Flask(__name__, template_folder=str(resources.templates_dir()))
    app.config.from_object(config_module.Config)
    app.config.update(config_module.from_environment())
    if test_config:
        app.config.update(test_config)
    config_module.check_production(app.config)
    _check_catalogues()

    production = app.config.get("CAPACITY_ENV") == "production" and not app.config.get("TESTING")
    app.instance_path, chosen_by = resources.instance_path(production)
    try:
        os.makedirs(app.instance_path, exist_ok=True)
    except OSError as exc:
        raise config_module.ConfigError(
            f"Cannot create the instance folder {app.instance_path} ({chosen_by}): {exc.strerror}. "
            "Set CAPACITY_INSTANCE_PATH to a folder the user running Capacity may write "
            "(it keeps the SQLite database, the report cache and exports)."
        ) from exc
    if not app.config.get("SECRET_KEY"):
        # Development and tests without a key: a random one kept in the instance folder, so
        # sessions survive restarts and a cookie signed with a published key is refused.
        app.config["SECRET_KEY"] = config_module.instance_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "capacity.db")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))

    # Before the blueprints: their routes use it.
    app.url_map.converters["id"] = RowIdConverter
    _init_extensions(app)
    if web:
        _register_blueprints(app)
        if production:
            from capacity.warmup import warm_up

            warm_up(app)  # before the worker accepts its first request
    else:
        from capacity.templating import register_template_helpers

        register_template_helpers(app)  # reports and e-mails are rendered by commands and jobs too
    return app


def _check_catalogues() -> None:
    """An installed wheel without compiled translations would show every page untranslated: refuse, saying why."""
    if resources.from_checkout():
        return  # make run and make test compile them; a developer sees missing ones at once
    missing = resources.missing_catalogues(TRANSLATIONS_DIR, config_module.LANGUAGES)
    if missing:
        raise config_module.ConfigError(
            f"This Capacity installation has no compiled translations for {', '.join(missing)} "
            f"({TRANSLATIONS_DIR}/<language>/LC_MESSAGES/messages.mo): its wheel was built without "
            "`make translations`. Build it with `make wheel` and install that."
        )


def _init_extensions(app: Flask) -> None:
    # Imported here only for their side effect of registering every model on
    # the metadata before Alembic or create_all() look at it.
    from capacity import models  # noqa: F401
    from capacity.i18n.services import select_locale, select_timezone

    db.init_app(app)
    app.cli.add_command(MigrationCommands(app))  # Flask-Migrate (Alembic) loads when a `db` command runs
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    login_manager.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from capacity.auth.throttling import limiter

    # Failed logins are counted in Redis when there is one (shared by all web processes), else in memory.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("CAPACITY_REDIS_URL") or "memory://")
    limiter.init_app(app)

    from capacity.assessments.routes import bp as assessments_bp
    from capacity.auth.views import bp as auth_bp
    from capacity.caching import register_caching
    from capacity.compression import register_compression
    from capacity.errors import register_error_handlers
    from capacity.exports.views import bp as exports_bp
    from capacity.home.views import bp as home_bp
    from capacity.i18n.views import bp as i18n_bp
    from capacity.jobs.views import bp as jobs_bp
    from capacity.learning.views import bp as learning_bp
    from capacity.mentoring.views import bp as mentoring_bp
    from capacity.organisations.views import bp as organisations_bp
    from capacity.plans.routes import bp as plans_bp
    from capacity.profiles.views import bp as profiles_bp
    from capacity.reporting.views import bp as reports_bp
    from capacity.results.views import bp as results_bp
    from capacity.rounds.views import bp as rounds_bp
    from capacity.security import register_security_headers
    from capacity.submissions.views import bp as submissions_bp
    from capacity.templating import register_template_helpers
    from capacity.users.views import bp as users_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(submissions_bp)  # KoboToolbox/ODK: collection form and submissions import
    register_error_handlers(app)
    register_template_helpers(app)
    # Flask runs these hooks last-registered first: compression must see the final headers, so it goes first.
    register_compression(app)
    register_caching(app)
    register_security_headers(app)
