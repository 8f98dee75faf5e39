import pytest

from appliance.device import Device, enrol
from appliance.errors import AuthError, LockedOutError, PermissionDenied, ValidationError
from appliance.paths import layout
from appliance.security.roles import Permission, Role, can
from appliance.session import Session


def test_every_enrolled_user_unlocks_the_same_database(device: Device) -> None:
    ids = set()
    for user, pin in [("paramedic", "111111"), ("clinician", "222222"), ("admin", "999999")]:
        session = device.login(user, pin)
        ids.add(session.db.scalar("SELECT value FROM meta WHERE key='device_id'"))
        session.close()
    assert ids == {device.info.device_id}


def test_wrong_pin_is_refused_then_backs_off(device: Device) -> None:
    for _ in range(device.config.security.failed_attempts_before_backoff):
        with pytest.raises(AuthError, match="Wrong PIN"):
            device.login("paramedic", "000000")
    with pytest.raises(LockedOutError) as info:
        device.login("paramedic", "111111")
    assert info.value.retry_after_s > 0
    # other users are not locked out by someone else's mistakes
    device.login("clinician", "222222").close()


def test_backoff_doubles_and_resets_after_success(device: Device) -> None:
    lock = device.lockout
    allowed = device.config.security.failed_attempts_before_backoff
    for _ in range(allowed + 2):
        lock.record_failure("paramedic", now=1000.0)
    base = device.config.security.backoff_base_seconds
    assert lock.wait_seconds("paramedic", now=1000.0) == pytest.approx(base * 4)
    lock.reset("paramedic")
    assert lock.wait_seconds("paramedic", now=1000.0) == 0


def test_removed_user_cannot_unlock(device: Device, admin: Session) -> None:
    admin.disable_user("paramedic")
    with pytest.raises(AuthError, match="No user 'paramedic'"):
        device.login("paramedic", "111111")
    rows = admin.list_users()
    assert [r["can_sign_in"] for r in rows if r["username"] == "paramedic"] == [False]


def test_a_copied_old_slot_does_not_bring_a_disabled_user_back(device: Device,
                                                               admin: Session) -> None:
    old = device.slots.load()["paramedic"]
    admin.disable_user("paramedic")
    device.slots.put(old)  # an attacker restores the slot file entry
    with pytest.raises(AuthError, match="disabled"):
        device.login("paramedic", "111111")


def test_roles_are_enforced_in_the_domain(paramedic: Session, admin: Session) -> None:
    with pytest.raises(PermissionDenied):
        paramedic.add_user("eve", "Eve", Role.IT_ADMIN, "135790")
    with pytest.raises(PermissionDenied):
        admin.write("note.added", None, {"encounter_id": "x", "written_at": "t", "text": "hi"})
    assert not can(Role.IT_ADMIN, Permission.READ_RECORDS)
    assert can(Role.CLINICIAN, Permission.AMEND_OTHERS)


def test_new_users_need_a_real_pin_and_a_fresh_name(admin: Session) -> None:
    with pytest.raises(ValidationError, match="at least 6"):
        admin.add_user("bob", "Bob", "paramedic", "123")
    with pytest.raises(ValidationError, match="too easy"):
        admin.add_user("bob", "Bob", "paramedic", "111111")
    with pytest.raises(ValidationError, match="already exists"):
        admin.add_user("clinician", "Again", "clinician", "246813")
    admin.add_user("bob", "Bob Li", "paramedic", "246813")
    assert "bob" in admin.device.usernames()


def test_admins_cannot_disable_themselves_so_one_always_remains(admin: Session) -> None:
    with pytest.raises(Exception, match="cannot disable yourself"):
        admin.disable_user("admin")


def test_enrolling_twice_is_refused(device: Device) -> None:
    with pytest.raises(Exception, match="already enrolled"):
        enrol("root2", "864213", lay=layout())


def test_not_enrolled_device_says_what_to_do(tmp_path) -> None:
    from appliance.errors import NotEnrolledError
    from appliance.paths import Layout

    with pytest.raises(NotEnrolledError, match="lifeboat init"):
        Device(Layout(tmp_path / "nothing"))
