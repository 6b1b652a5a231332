import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from flask_login import current_user
from werkzeug.security import check_password_hash

from app.models import User
from app.services.accounts import password_reset_token
from tests.conftest import PASSWORD
from tests.servers import SERVER_HANG, gunicorn


def reset_token(app, user):
    with app.app_context():
        return password_reset_token(user)


class TestSignup:
    def test_signing_up_creates_a_member_and_logs_them_in(self, client, database):
        response = client.post(
            "/auth/signup",
            data={
                "name": "  Олена   Коваль ",
                "email": "Olena@Example.org",
                "password": "sunflower-field",
                "locale": "en",
            },
        )
        assert response.status_code == 302 and response.location == "/me"
        [user] = database.all(User)
        assert (user.name, user.email, user.role, user.locale) == (
            "Олена Коваль",
            "olena@example.org",
            "member",
            "en",
        )
        assert user.password_hash != "sunflower-field"
        page = client.get("/me").get_data(as_text=True)
        assert "Welcome to the community!" in page  # the flash, in the chosen language

    def test_a_taken_email_is_refused_and_the_form_keeps_what_was_typed(
        self, client, make_user, database
    ):
        make_user(email="taras@example.org")
        response = client.post(
            "/auth/signup",
            data={"name": "Тарас Шевчук", "email": "TARAS@example.org", "password": "12345678"},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Обліковий запис із цією поштою вже існує" in page
        assert 'value="Тарас Шевчук"' in page and 'value="TARAS@example.org"' in page
        assert len(database.all(User)) == 1

    def test_a_short_password_and_a_bad_email_are_explained(self, client, database):
        page = client.post(
            "/auth/signup", data={"name": "Ірина", "email": "not-an-email", "password": "short"}
        ).get_data(as_text=True)
        assert "Використайте щонайменше 8 символів." in page
        # Each message is tied to its field, which says it is wrong (read out with it).
        assert '<input aria-describedby="email-error" aria-invalid="true"' in page
        assert 'id="email-error">Введіть адресу на зразок name@example.org.<' in page
        assert 'value="not-an-email"' in page
        assert database.all(User) == []

    def test_signup_returns_to_the_page_that_asked(self, client, database):
        response = client.post(
            "/auth/signup",
            data={
                "name": "Ірина",
                "email": "iryna@example.org",
                "password": "12345678",
                "next": "/members/",
            },
        )
        assert response.location == "/members/"


class TestLogin:
    def test_log_in_and_out(self, client, auth, make_user):
        user = make_user("Оксана Мельник")
        response = auth.login(user)
        assert response.status_code == 302 and response.location == "/"
        assert "Вітаємо, Оксана!" in client.get("/").get_data(as_text=True)

        assert client.get("/auth/logout").status_code == 405  # a link cannot log anyone out
        auth.logout()
        with client:
            client.get("/")
            assert not current_user.is_authenticated

    def test_a_wrong_password_says_so_and_keeps_the_email(self, client, auth, make_user):
        user = make_user()
        page = auth.login(user, "wrong-password").get_data(as_text=True)
        assert "Неправильна пошта або пароль." in page
        assert f'value="{user.email}"' in page

    @pytest.mark.parametrize(
        ("target", "expected"),
        [
            ("/members/?q=a", "/members/?q=a"),
            ("https://evil.example/", "/"),
            ("//evil.example", "/"),
        ],
    )
    def test_next_only_leads_to_this_site(self, client, make_user, target, expected):
        user = make_user()
        response = client.post(
            "/auth/login", data={"email": user.email, "password": PASSWORD, "next": target}
        )
        assert response.location == expected

    def test_members_pages_send_guests_to_log_in_and_back(self, client, make_user, database):
        user = make_user()
        response = client.get("/members/?city=Львів")
        assert response.status_code == 302
        assert response.location.startswith("/auth/login?next=")
        login_page = client.get(response.location).get_data(as_text=True)
        assert "Увійдіть, щоб побачити цю сторінку." in login_page
        next_value = re.search(r'name="next" type="hidden" value="([^"]*)"', login_page).group(1)
        back = client.post(
            "/auth/login",
            data={
                "email": user.email,
                "password": PASSWORD,
                "next": next_value.replace("&amp;", "&"),
            },
        )
        assert back.location == "/members/?city=%D0%9B%D1%8C%D0%B2%D1%96%D0%B2"

    def test_a_deleted_account_cannot_log_in(self, client, auth, make_user):
        user = make_user()
        email = user.email
        client.post("/auth/login", data={"email": email, "password": PASSWORD})
        client.post("/me/delete", data={"password": PASSWORD, "understood": "y"})
        assert "Неправильна пошта або пароль." in auth.login(email).get_data(as_text=True)


def login_from(client, email, password, address):
    client.environ_base["REMOTE_ADDR"] = address
    return client.post("/auth/login", data={"email": email, "password": password})


class TestRateLimit:
    def test_ten_wrong_passwords_for_one_account_stop_the_eleventh_try(self, client, make_user):
        user = make_user()
        codes = [login_from(client, user.email, "nope", "10.0.0.1").status_code for _ in range(11)]
        assert codes == [200] * 10 + [429]

    def test_the_limit_page_keeps_the_typed_email_and_says_to_wait(self, client, make_user):
        user = make_user()
        for _ in range(10):
            login_from(client, user.email, "nope", "10.0.0.1")
        page = login_from(client, user.email, "nope", "10.0.0.1")
        text = page.get_data(as_text=True)
        assert page.status_code == 429
        assert f'value="{user.email}"' in text
        assert "Забагато спроб" in text and 'name="password"' in text

    def test_a_good_password_after_the_limit_still_waits(self, client, make_user, database):
        user = make_user()
        for _ in range(10):
            login_from(client, user.email, "nope", "10.0.0.1")
        response = login_from(client, user.email, PASSWORD, "10.0.0.1")
        assert response.status_code == 429

    def test_fifty_members_on_one_wifi_all_get_in(self, app, make_user):
        people = [make_user() for _ in range(50)]
        answers = []
        for person in people:
            client = app.test_client()
            # Each mistypes once first: failures from one address are counted, generously.
            login_from(client, person.email, "typo", "192.0.2.7")
            answers.append(login_from(client, person.email, PASSWORD, "192.0.2.7"))
        assert [a.status_code for a in answers] == [302] * 50

    def test_one_address_guessing_many_accounts_is_stopped(self, client, make_user):
        make_user()
        client.post("/lang", data={"lang": "en"})
        codes = [
            login_from(client, f"guess{n}@example.org", "x", "10.0.0.9").status_code
            for n in range(61)
        ]
        assert codes == [200] * 60 + [429]
        assert "Too many attempts" in login_from(client, "x@example.org", "x", "10.0.0.9").text

    def test_one_account_guessed_from_many_addresses_is_stopped(self, app, make_user):
        user = make_user()
        codes = [
            login_from(
                app.test_client(), user.email, "nope", f"10.1.{n // 250}.{n % 250}"
            ).status_code
            for n in range(51)
        ]
        assert codes == [200] * 50 + [429]


def test_behind_a_proxy_each_client_is_limited_by_its_own_address(app, make_user, own_app):
    """Every request reaches the app from the proxy; X-Forwarded-For names the person."""
    proxied = own_app(TRUSTED_PROXIES=1)
    people = [make_user() for _ in range(50)]
    attacker = proxied.test_client()
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.66"
    guesses = [login_from(attacker, f"x{n}@example.org", "x", "127.0.0.1") for n in range(61)]
    assert guesses[-1].status_code == 429  # the guesser is stopped ...
    answers = []
    for n, person in enumerate(people):  # ... and fifty people behind the same proxy are not
        client = proxied.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n + 1}"
        answers.append(login_from(client, person.email, PASSWORD, "127.0.0.1"))
    assert [a.status_code for a in answers] == [302] * 50


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, make_user):
    make_user()
    for n in range(60):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n + 1}"
        login_from(client, f"x{n}@example.org", "x", "10.0.0.5")
    assert login_from(client, "y@example.org", "x", "10.0.0.5").status_code == 429


class TestPasswordReset:
    def request_link(self, client, deliver, email):
        sent = client.post("/auth/reset", data={"email": email})
        assert sent.location == "/auth/reset/sent"  # post/redirect/get
        page = client.get(sent.location).text
        assert "Перевірте пошту" in page and email in page
        sent = deliver()
        links = [
            re.search(r"http://spilno\.test(/auth/reset/\S+)", m.get_body(("plain",)).get_content())
            for m in sent
        ]
        return sent, [link.group(1) for link in links if link]

    def test_the_emailed_link_sets_a_new_password_once(
        self, client, auth, make_user, deliver, database
    ):
        user = make_user(locale="en")
        sent, [link] = self.request_link(client, deliver, user.email.upper())
        assert sent[0]["To"] == user.email
        assert sent[0]["Subject"] == "Reset your Spilno password"  # the member's language

        # The page speaks the language of the email that led to it.
        assert "Choose a new password" in client.get(link).get_data(as_text=True)
        response = client.post(
            link, data={"password": "new-password-1", "confirm": "new-password-1"}
        )
        assert response.location == "/auth/login"
        assert check_password_hash(database.get(User, user.id).password_hash, "new-password-1")

        again = client.post(link, data={"password": "another-pass", "confirm": "another-pass"})
        assert again.status_code == 400
        assert "has already been used" in again.get_data(as_text=True)
        assert check_password_hash(database.get(User, user.id).password_hash, "new-password-1")
        assert auth.login(user, "new-password-1").location == "/"

    def test_an_unknown_email_gets_the_same_answer_and_no_mail(self, client, deliver):
        sent, links = self.request_link(client, deliver, "nobody@example.org")
        assert sent == [] and links == []

    def test_an_expired_link_is_refused(self, app, client, make_user, monkeypatch):
        user = make_user()
        token = reset_token(app, user)
        import itsdangerous.timed

        real_time = itsdangerous.timed.time.time
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 3601)
        response = client.get(f"/auth/reset/{token}")
        assert response.status_code == 400
        assert "Термін дії посилання минув" in response.get_data(as_text=True)

    def test_a_link_still_works_just_before_the_hour_ends(
        self, app, client, make_user, monkeypatch
    ):
        user = make_user()
        token = reset_token(app, user)
        import itsdangerous.timed

        real_time = itsdangerous.timed.time.time
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 3500)
        assert client.get(f"/auth/reset/{token}").status_code == 200

    @pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ.forged.signature"])
    def test_a_forged_link_is_refused(self, client, make_user, token):
        make_user()
        response = client.post(
            f"/auth/reset/{token}", data={"password": "x" * 10, "confirm": "x" * 10}
        )
        assert response.status_code == 400

    def test_a_link_signed_with_another_key_is_refused(self, app, client, make_user):
        user = make_user()
        app.config["SECRET_KEY"] = "another-secret"
        token = reset_token(app, user)
        app.config["SECRET_KEY"] = "test-secret"
        assert client.get(f"/auth/reset/{token}").status_code == 400


def test_the_login_limit_holds_across_gunicorn_processes_through_redis(make_user, migrated):
    """Production keeps the counters in Redis: two server processes share one count."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    user = make_user()
    prefix = f"spilno-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "SPILNO_ENV": "development",
        "DATABASE_URL": migrated,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "shared-by-both-processes",
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    try:
        with gunicorn(env) as first, gunicorn(env) as second:
            servers = [first, second]
            codes = [login_over_http(servers[n % 2], user.email, "nope") for n in range(11)]
    finally:
        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
    assert codes == [200] * 10 + [429]


REDIS_URL = "redis://127.0.0.1:6379/0"


def login_over_http(base, email, password) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(base + "/auth/login", timeout=SERVER_HANG).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    try:
        return opener.open(base + "/auth/login", data=form.encode(), timeout=SERVER_HANG).status
    except urllib.error.HTTPError as error:
        return error.code
