"""The directory's models: vocabularies, profiles (organisations and projects) and the people
around them. Reads are QuerySet methods (querysets.py)."""

from directory.models.claims import Claim
from directory.models.claims import ClaimQuerySet
from directory.models.people import AboutAProfile
from directory.models.people import Invitation
from directory.models.people import JoinRequest
from directory.models.people import Membership
from directory.models.people import Report
from directory.models.profiles import Organisation
from directory.models.profiles import Profile
from directory.models.profiles import Project
from directory.models.profiles import ProjectOrganisation
from directory.models.profiles import coordinate_constraints
from directory.models.profiles import profile_indexes
from directory.models.querysets import CARD_DEFERRED
from directory.models.querysets import OrganisationQuerySet
from directory.models.querysets import ProfileQuerySet
from directory.models.querysets import ProjectQuerySet
from directory.models.roles import MANAGING_ROLES
from directory.models.roles import Role
from directory.models.text_index import OrganisationText
from directory.models.text_index import ProjectText
from directory.models.vocabularies import Country
from directory.models.vocabularies import DSIFocus
from directory.models.vocabularies import OrganisationSize
from directory.models.vocabularies import OrganisationType
from directory.models.vocabularies import SocialArea
from directory.models.vocabularies import Tag
from directory.models.vocabularies import Technology

__all__ = [
    "CARD_DEFERRED",
    "MANAGING_ROLES",
    "AboutAProfile",
    "Claim",
    "ClaimQuerySet",
    "Country",
    "DSIFocus",
    "Invitation",
    "JoinRequest",
    "Membership",
    "Organisation",
    "OrganisationText",
    "OrganisationQuerySet",
    "OrganisationSize",
    "OrganisationType",
    "Profile",
    "ProfileQuerySet",
    "Project",
    "ProjectText",
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
