"""Second factor at sign-in (allauth TOTP, recovery codes, security keys), the
lockout counting it, the set-up rule for roles that need it, and admin resets."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.accounts.factories import (
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    make_admin,
    make_curator,
    make_supervisor,
    make_worker,
    totp_code,
    wrong_code,
)

LOGIN = "/login/"
SECOND_STEP = "/account/mfa/authenticate/"
SETUP = "/account/mfa/"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    # Used TOTP codes and rate limits live in the (database) cache.
    cache.clear()


def password_step(client, username, password=TEST_PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def code_step(client, code):
    return client.post(SECOND_STEP, {"code": code})


def failures(username):
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def test_supervisor_with_an_app_is_asked_for_a_code_after_the_password(client, supervisor):
    response = password_step(client, "supervisor")
    assert response.status_code == 302
    assert response["Location"] == SECOND_STEP
    assert "_auth_user_id" not in client.session  # not signed in yet
    page = client.get(SECOND_STEP)
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()


def test_right_code_signs_in_and_lands_on_home(client, supervisor):
    password_step(client, "supervisor")
    response = code_step(client, totp_code())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(supervisor.pk)
    assert client.get(reverse("workflow:dashboard")).status_code == 200


def test_sign_in_with_totp_is_one_page_load_per_step(client, supervisor):
    """Password page, code page, home: each step one request and one redirect."""
    steps = [client.get(LOGIN), password_step(client, "supervisor")]
    steps += [client.get(steps[-1]["Location"]), code_step(client, totp_code())]
    steps.append(client.get(steps[-1]["Location"]))
    assert [r.status_code for r in steps] == [200, 302, 200, 302, 200]


def test_wrong_code_is_a_clear_error_and_counts_towards_the_lockout(client, supervisor):
    password_step(client, "supervisor")
    response = code_step(client, wrong_code())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter your code" in html
    assert 'class="error-summary"' in html
    assert "That code is not right, or it has already been used" in html
    assert "_auth_user_id" not in client.session
    assert failures("supervisor") == 1


def test_a_code_already_used_is_refused(client, supervisor):
    code = totp_code()
    password_step(client, "supervisor")
    assert code_step(client, code).status_code == 302
    client.post("/logout/")
    password_step(client, "supervisor")
    response = code_step(client, code)
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert failures("supervisor") == 1


def test_recovery_code_works_once(client, supervisor):
    codes = RecoveryCodes.activate(supervisor).generate_codes()
    password_step(client, "supervisor")
    assert code_step(client, codes[0]).status_code == 302
    client.post("/logout/")
    password_step(client, "supervisor")
    response = code_step(client, codes[0])
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert failures("supervisor") == 1


def test_a_wrong_or_stale_security_key_answer_is_an_error_and_counted(client, supervisor):
    password_step(client, "supervisor")
    response = client.post(SECOND_STEP, {"credential": '{"id": "x", "response": {}}'})
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert failures("supervisor") == 1


def test_failed_codes_and_passwords_share_one_lockout(client, supervisor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, "supervisor", "not-the-password")
    password_step(client, "supervisor")
    response = code_step(client, wrong_code())
    assert response.status_code == 429
    assert "Sign-in is locked for now" in response.content.decode()
    # Locked: even the right code, or the right password from a new start, is refused.
    assert code_step(client, totp_code()).status_code == 429
    fresh = Client()
    assert password_step(fresh, "supervisor").status_code == 429
    assert "_auth_user_id" not in client.session
    assert "_auth_user_id" not in fresh.session


def test_while_locked_the_code_step_refuses_even_the_right_code(client, supervisor):
    password_step(client, "supervisor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        code_step(client, wrong_code())
    response = code_step(client, totp_code())
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_worker_without_a_second_factor_signs_in_with_the_password_alone(client, owner):
    response = password_step(client, "owner")
    assert response["Location"] == reverse("home")
    assert client.get(reverse("workflow:board")).status_code == 200


@pytest.mark.parametrize(
    "make",
    [
        lambda team: make_supervisor(team, username="newsup", totp=False),
        lambda team: make_curator(username="newsup", totp=False),
        lambda team: make_admin(username="newsup", totp=False),
    ],
    ids=["supervisor", "curator", "admin"],
)
def test_role_that_needs_mfa_is_sent_to_set_up_before_any_page(client, team_a, make):
    make(team_a)
    password_step(client, "newsup")  # password alone: there is no factor yet
    for url in ["/", reverse("workflow:dashboard"), "/people/", "/toolkit/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SETUP, url
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Set one up to continue" in page.content.decode()
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post("/logout/").status_code == 302


@pytest.mark.django_db(transaction=True)  # allauth announces the new factor on commit
def test_setting_up_an_app_opens_every_page(client, team_a):
    supervisor = make_supervisor(team_a, username="newsup", totp=False)
    password_step(client, "newsup")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=supervisor, type="totp").exists()
    assert client.get(reverse("workflow:dashboard")).status_code == 200


def test_the_set_up_page_shows_a_qr_code_and_the_key(client, team_a):
    make_curator(username="newcur", totp=False)
    password_step(client, "newcur")
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = client.session["mfa.totp.secret"]
    assert 'src="data:image/svg+xml;base64,' in html
    assert secret in html


@pytest.mark.parametrize(
    ("required", "worker_sent_to_setup"), [(["all"], True), (["none"], False), ([], False)]
)
def test_cp_mfa_required_decides_who_must_set_up(
    client, team_a, settings, required, worker_sent_to_setup
):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "MFA_REQUIRED": required}
    client.force_login(make_worker(team_a, username="w1"))
    response = client.get("/")
    assert (response.status_code == 302 and response["Location"] == SETUP) is worker_sent_to_setup


def test_by_default_supervisors_curators_and_admins_need_mfa_and_workers_do_not():
    assert settings.CONNECTING_PEOPLE["MFA_REQUIRED"] == ["supervisor", "curator", "admin"]


def test_the_last_factor_cannot_be_removed_by_someone_who_needs_one(client, supervisor):
    password_step(client, "supervisor")
    code_step(client, totp_code())
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "you cannot remove your last one" in response.content.decode()
    assert Authenticator.objects.filter(user=supervisor, type="totp").exists()


def test_a_worker_may_remove_their_app(client, owner):
    from accounts.demo import give_totp

    give_totp(owner, TEST_TOTP_SECRET)
    password_step(client, "owner")
    code_step(client, totp_code())
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=owner).exists()


def test_admin_resets_a_users_second_factor_and_the_reset_is_recorded(admin_user, supervisor):
    victim = Client()
    victim.force_login(supervisor)
    # A session started through the sign-in page is tracked and ended by the reset.
    tracked = Client()
    password_step(tracked, "supervisor")
    code_step(tracked, totp_code())
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [supervisor.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=supervisor).exists()
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEvent.Kind.MFA_RESET
    assert (event.user, event.actor, event.username) == (supervisor, admin_user, "supervisor")
    assert event.address == "127.0.0.1"
    assert tracked.get("/")["Location"].startswith(LOGIN)
    # Next sign-in: password alone, then straight to set-up.
    fresh = Client()
    assert password_step(fresh, "supervisor")["Location"] == reverse("home")
    assert fresh.get("/")["Location"] == SETUP


def test_admin_sees_the_reset_in_the_security_events_list(client, admin_user, supervisor):
    client.force_login(admin_user)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [supervisor.pk]},
    )
    html = client.get(reverse("admin:accounts_securityevent_changelist")).content.decode()
    assert "Second factor reset by an administrator" in html


def test_the_admins_own_sign_in_page_sends_to_ours(client, db):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    elsewhere = client.get("/admin/login/?next=https://evil.example/")
    assert elsewhere["Location"] == "/login/?next=%2Fadmin%2F"


def test_a_forged_session_id_is_refused(client, owner):
    client.cookies[settings.SESSION_COOKIE_NAME] = "forgedsessionid0123456789abcdefghijkl"
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_demo_accounts_that_need_mfa_get_the_demo_key(db):
    from io import StringIO

    from accounts import demo
    from accounts.models import User

    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())  # safe to repeat
    for username in ["supervisor.dev", "curator.erin", "admin.frank"]:
        user = User.objects.get(username=username)
        totp = Authenticator.objects.get(user=user, type="totp")
        assert totp.wrap().validate_code(totp_code(demo.DEMO_TOTP_KEY))
    assert not Authenticator.objects.filter(user__username="worker.amira").exists()


def test_changing_factors_long_after_signing_in_asks_for_the_password_again(client, owner):
    from accounts.signals import SESSION_STARTED_KEY

    password_step(client, "owner")
    session = client.session
    session[SESSION_STARTED_KEY] -= 10 * 60
    session.save()
    activate = reverse("mfa_activate_totp")
    response = client.get(activate)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/")
    confirm = response["Location"]
    wrong = client.post(confirm, {"password": "not-it"})
    assert "That password is not right" in wrong.content.decode()
    assert failures("owner") == 1
    right = client.post(confirm, {"password": TEST_PASSWORD})
    assert right.status_code == 302
    assert client.get(activate).status_code == 200


def test_an_unknown_role_in_cp_mfa_required_stops_the_app():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "connecting_people.settings",
            "DJANGO_DEBUG": "1",
            "CP_MFA_REQUIRED": "supervisor,managers",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "CP_MFA_REQUIRED: unknown role(s) managers" in result.stderr


def test_a_bad_passkey_answer_on_the_sign_in_page_is_a_clear_message(client, db):
    response = client.post("/account/mfa/webauthn/login/", {"credential": '{"id": "x"}'})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    page = client.get(LOGIN).content.decode()
    assert "That passkey could not be used" in page
    assert "_auth_user_id" not in client.session
