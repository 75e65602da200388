"""The directory's models: vocabularies, profiles (organisations and projects) and the people
around them. Reads are QuerySet methods (querysets.py)."""

from directory.models.people import AboutAProfile, Invitation, JoinRequest, Membership, Report
from directory.models.profiles import (
    Organisation,
    Profile,
    Project,
    ProjectOrganisation,
    coordinate_constraints,
    profile_indexes,
)
from directory.models.querysets import (
    CARD_DEFERRED,
    OrganisationQuerySet,
    ProfileQuerySet,
    ProjectQuerySet,
)
from directory.models.roles import MANAGING_ROLES, Role
from directory.models.vocabularies import (
    Country,
    DSIFocus,
    OrganisationSize,
    OrganisationType,
    SocialArea,
    Tag,
    Technology,
)

__all__ = [
    "CARD_DEFERRED",
    "MANAGING_ROLES",
    "AboutAProfile",
    "Country",
    "DSIFocus",
    "Invitation",
    "JoinRequest",
    "Membership",
    "Organisation",
    "OrganisationQuerySet",
    "OrganisationSize",
    "OrganisationType",
    "Profile",
    "ProfileQuerySet",
    "Project",
    "ProjectOrganisation",
    "ProjectQuerySet",
    "Report",
    "Role",
    "SocialArea",
    "Tag",
    "Technology",
    "coordinate_constraints",
    "profile_indexes",
]
