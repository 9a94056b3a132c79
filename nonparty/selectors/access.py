"""Who may do what in the archive."""

from nonparty.models import ARCHIVE_ROLES, EDITOR_ROLES
from portal.models import Role, User

# Who is shown phone and ID numbers in full (each time audited): the office and administrators.
NUMBER_ROLES = EDITOR_ROLES
# Who records growth: the office, and a liaison cadre for their own people (``visible_to``).
RECORDER_ROLES = (*EDITOR_ROLES, Role.LIAISON)


def can_see_archive(user: User) -> bool:
    """Lists answer 403 to everyone else (objects 404, through ``visible_to``)."""
    return user.has_role(*ARCHIVE_ROLES)


def can_edit(user: User) -> bool:
    """People, education, posts, batches and liaison: the office's (leaders read only)."""
    return user.has_role(*EDITOR_ROLES)


def can_record_growth(user: User) -> bool:
    return user.has_role(*RECORDER_ROLES)


def can_see_numbers(user: User) -> bool:
    return user.has_role(*NUMBER_ROLES)
