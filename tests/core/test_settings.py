import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from core.settings import ListenAddress, Settings, load_settings
from tests.support.paths import ROOT

BOT_TOKEN = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
CONTRACT = [
    "BOT_TOKEN", "TELEGRAM_API_URL", "SMS_API_URL", "SMS_API_TOKEN", "ADMIN_IDS",
    "DATABASE_PATH", "POLL_INTERVAL", "BALANCE_THRESHOLD", "SMS_API_TIMEZONE", "LOG_LEVEL",
]  # fmt: skip
# Optional settings beyond the fixed contract; each is off when not set.
EXTRAS = [
    "SMS_API_RECORD_DIR", "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_SECRET", "HEALTH_LISTEN",
    "LOG_FORMAT", "BACKUP_DIR", "BACKUP_EVERY", "BACKUP_KEEP",
]  # fmt: skip
WEBHOOK_SECRET = "webhook-Secret_0123456789"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in CONTRACT + EXTRAS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_settings_have_the_contract_names_and_only_the_known_extras() -> None:
    assert list(Settings.model_fields) == CONTRACT + EXTRAS


def test_defaults_of_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    settings = load_settings()
    assert settings.TELEGRAM_API_URL == "https://api.telegram.org"
    assert settings.SMS_API_URL == "http://10.128.1.50:7890"
    assert settings.ADMIN_IDS == frozenset()
    assert settings.DATABASE_PATH == Path("data/bot.sqlite3")
    assert settings.POLL_INTERVAL == 60
    assert settings.BALANCE_THRESHOLD == Decimal(100)
    assert settings.timezone.key == "Europe/Moscow"
    assert settings.LOG_LEVEL == "INFO"
    assert settings.SMS_API_RECORD_DIR is None
    assert settings.WEBHOOK_URL == "" and settings.WEBHOOK_SECRET is None
    assert settings.WEBHOOK_LISTEN == ListenAddress("127.0.0.1", 8081)
    assert settings.HEALTH_LISTEN is None
    assert settings.LOG_FORMAT == "text"
    assert (settings.BACKUP_DIR, settings.BACKUP_EVERY, settings.BACKUP_KEEP) == (None, 24, 7)
    assert settings.secrets() == (BOT_TOKEN, "sms-token")


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_backup_folder_means_no_periodic_backups(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("BACKUP_DIR", value)
    assert load_settings().BACKUP_DIR is None


def test_backups_every_fraction_of_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("BACKUP_DIR", "backups")
    monkeypatch.setenv("BACKUP_EVERY", "0.5")
    monkeypatch.setenv("BACKUP_KEEP", "3")
    settings = load_settings()
    assert (settings.BACKUP_DIR, settings.BACKUP_EVERY, settings.BACKUP_KEEP) == (
        Path("backups"), 0.5, 3,
    )  # fmt: skip


def test_env_file_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"BOT_TOKEN={BOT_TOKEN}\nSMS_API_TOKEN=from-file\nADMIN_IDS=1, 2 ,3\nPOLL_INTERVAL=0.5\n"
    )
    monkeypatch.setenv("SMS_API_TOKEN", "from-env")
    settings = load_settings()
    assert settings.SMS_API_TOKEN.get_secret_value() == "from-env"
    assert settings.ADMIN_IDS == {1, 2, 3}
    assert settings.POLL_INTERVAL == 0.5


def test_tokens_are_secret_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-secret-value")
    text = repr(load_settings()) + str(load_settings().model_dump())
    assert BOT_TOKEN not in text and "sms-secret-value" not in text


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("BOT_TOKEN", None, "BOT_TOKEN is required"),
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN must look like"),
        ("SMS_API_TOKEN", None, "SMS_API_TOKEN is required"),
        ("ADMIN_IDS", "1,admin", "ADMIN_IDS must be comma-separated"),
        ("POLL_INTERVAL", "soon", "POLL_INTERVAL"),
        ("POLL_INTERVAL", "0", "POLL_INTERVAL"),
        ("BALANCE_THRESHOLD", "-5", "BALANCE_THRESHOLD"),
        ("SMS_API_TIMEZONE", "Mars/Olympus", "SMS_API_TIMEZONE must be an IANA time zone"),
        ("SMS_API_URL", "10.128.1.50:7890", "SMS_API_URL must be an http"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT"),
        ("HEALTH_LISTEN", "8080", "HEALTH_LISTEN must be host:port"),
        ("HEALTH_LISTEN", "127.0.0.1:70000", "HEALTH_LISTEN must name a port from 1 to 65535"),
        ("HEALTH_LISTEN", "127.0.0.1:0", "HEALTH_LISTEN must name a port"),
        ("WEBHOOK_LISTEN", "::1:8081", "WEBHOOK_LISTEN must be host:port"),
        ("WEBHOOK_URL", "bot.example.com/tg", "WEBHOOK_URL must be an https:// URL"),
        ("WEBHOOK_URL", "https://bot.example.com/tg?token=1", "WEBHOOK_URL must be an https://"),
        ("WEBHOOK_URL", "https://bot.example.com/tg", "WEBHOOK_SECRET is required"),
        ("WEBHOOK_SECRET", "short", "WEBHOOK_SECRET must be 16 to 256 characters"),
        ("WEBHOOK_SECRET", "has:a-colon-in-it-0123", "WEBHOOK_SECRET must be 16 to 256"),
        ("BACKUP_EVERY", "0", "BACKUP_EVERY"),
        ("BACKUP_EVERY", "-1", "BACKUP_EVERY"),
        ("BACKUP_EVERY", "daily", "BACKUP_EVERY"),
        ("BACKUP_KEEP", "0", "BACKUP_KEEP"),
        ("BACKUP_KEEP", "2.5", "BACKUP_KEEP"),
    ],
)
def test_bad_setting_stops_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str | None,
    said: str,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert said in lines[0]
    assert BOT_TOKEN not in lines[0]


def test_webhook_and_health_settings_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/telegram/updates")
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0:8443")
    monkeypatch.setenv("WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("HEALTH_LISTEN", "[::1]:9100")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    settings = load_settings()
    assert settings.webhook_path == "/telegram/updates"
    assert settings.WEBHOOK_LISTEN == ListenAddress("0.0.0.0", 8443)
    assert settings.HEALTH_LISTEN == ListenAddress("::1", 9100)
    assert str(settings.HEALTH_LISTEN) == "[::1]:9100"
    assert settings.LOG_FORMAT == "json"
    # The webhook's secret is masked like the tokens, and hidden in the settings' repr.
    assert settings.secrets() == (BOT_TOKEN, "sms-token", WEBHOOK_SECRET)
    assert WEBHOOK_SECRET not in repr(settings)


def test_an_empty_health_listen_or_secret_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("HEALTH_LISTEN", "")
    monkeypatch.setenv("WEBHOOK_SECRET", " ")
    settings = load_settings()
    assert settings.HEALTH_LISTEN is None and settings.WEBHOOK_SECRET is None


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        # api.telegram.org delivers to https only; a local Bot API server also to http.
        (
            {"WEBHOOK_URL": "http://bot.example.com/tg"},
            "WEBHOOK_URL must be https:// for api.telegram.org",
        ),
        (
            {"WEBHOOK_URL": "https://bot.example.com/tg", "HEALTH_LISTEN": "127.0.0.1:8081"},
            "HEALTH_LISTEN and WEBHOOK_LISTEN must differ",
        ),
    ],
)
def test_webhook_settings_that_cannot_work_together(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, str],
    said: str,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("WEBHOOK_SECRET", WEBHOOK_SECRET)
    for name, value in changes.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit):
        load_settings()
    assert capsys.readouterr().err.strip().splitlines() == [f"Configuration error: {said}"]


def test_a_plain_http_webhook_is_for_a_local_bot_api_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("WEBHOOK_URL", "http://127.0.0.1:8081/tg")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8088")
    assert load_settings().webhook_path == "/tg"


@pytest.mark.slow
def test_python_m_bot_without_settings_prints_one_line_no_traceback(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuration error: BOT_TOKEN is required; SMS_API_TOKEN is required"
    ]


def test_every_setting_is_in_the_readme_table_and_in_the_example_env() -> None:
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"| `{name}` |" in readme, name
        assert re.search(rf"^(# )?{name}=", example, re.MULTILINE), name
