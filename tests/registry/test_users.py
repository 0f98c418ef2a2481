"""Users and roles: an invitation e-mail whose link sets a password, role revocation."""

import re

import pytest
from django.core import mail

from blkportal.registry.models import RoleAssignment, User

pytestmark = pytest.mark.django_db


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/kata-sandi/atur/\S+/)", message.body).group(1)


def test_user_create_sends_a_link_that_sets_a_password(client_for, world, client):
    staff = client_for("directorate")
    response = staff.post(
        "/pengguna/baru/",
        {"username": "pengelola.baru", "full_name": "Siti Pengelola", "email": "siti@contoh.id", "send_reset": "on"},
    )
    user = User.objects.get(username="pengelola.baru")
    assert response.status_code == 302 and response.url == f"/pengguna/{user.pk}/"
    assert "tautan pembuatan kata sandi dikirim ke siti@contoh.id" in staff.get(response.url).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@contoh.id"]
    assert message.subject == "Atur kata sandi Portal BLK Komunitas"
    assert "pengelola.baru" in message.body and "Siti Pengelola" in message.body

    # The new user follows the link (logged out), sets a password, and can sign in with it.
    page = client.get(reset_link(message), follow=True)
    assert page.status_code == 200 and "Buat kata sandi baru" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "123", "new_password2": "123"})
    assert "errorlist" in weak.content.decode()  # validators refuse it, in Indonesian
    assert "terlalu pendek" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "Kopi-Tubruk-2026", "new_password2": "Kopi-Tubruk-2026"})
    assert done.status_code == 302 and done.url == "/kata-sandi/atur/selesai/"
    user.refresh_from_db()
    assert user.check_password("Kopi-Tubruk-2026")

    login = client.post("/masuk/", {"username": "pengelola.baru", "password": "Kopi-Tubruk-2026"})
    assert login.status_code == 302 and login.url == "/"
    # The link works once.
    client.post("/keluar/")
    used = client.get(reset_link(message), follow=True)
    assert "Tautan ini tidak berlaku lagi" in used.content.decode()


def test_user_create_without_invitation_sends_nothing(client_for, world):
    staff = client_for("directorate")
    response = staff.post("/pengguna/baru/", {"username": "diam", "full_name": "Tanpa Surat", "email": "d@contoh.id"})
    assert response.status_code == 302
    assert mail.outbox == []
    # The user can still ask for a link later through "Lupa kata sandi".
    staff.post("/keluar/")
    from django.test import Client

    Client().post("/kata-sandi/lupa/", {"email": "d@contoh.id"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["d@contoh.id"]


def test_role_revoke_post(client_for, world):
    assignment = world.manager_b.role_assignments.get()
    staff = client_for("directorate")
    response = staff.post(f"/peran/{assignment.pk}/cabut/")
    assert response.status_code == 302 and response.url == f"/pengguna/{world.manager_b.pk}/"
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert "Peran dicabut." in staff.get(response.url).content.decode()
    # Without the role the manager no longer sees the centre.
    assert client_for("manager_b").get(f"/blk/{world.centre_b.pk}/").status_code == 404
    # GET never revokes.
    other = world.manager_a.role_assignments.get()
    assert staff.get(f"/peran/{other.pk}/cabut/").status_code == 405
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


def test_role_revoke_of_an_administrator_by_directorate_is_refused(client_for, world):
    assignment = world.admin.role_assignments.get()
    staff = client_for("directorate")
    response = staff.post(f"/peran/{assignment.pk}/cabut/", follow=True)
    assert "Hanya administrator yang dapat mengubah akun administrator." in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_role_revoke_by_a_manager_is_404(client_for, world):
    assignment = world.manager_b.role_assignments.get()
    assert client_for("manager_a").post(f"/peran/{assignment.pk}/cabut/").status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_user_list_search_and_pages(client_for, world):
    staff = client_for("directorate")
    body = staff.get("/pengguna/?q=manager").content.decode()
    assert "manager_a" in body and "reviewer" not in body
    for q in ["page=abc", "page=999", "q=" + "%" * 300]:
        assert staff.get(f"/pengguna/?{q}").status_code == 200
