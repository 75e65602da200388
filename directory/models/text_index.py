"""The narrow search tables of organisations and projects (core.text_index): their published
rows' ids, folded names and search vectors, kept in step by triggers (migration 0012)."""

from core.text_index_tables import TextIndexRow


class OrganisationText(TextIndexRow):
    class Meta(TextIndexRow.Meta):
        pass


class ProjectText(TextIndexRow):
    class Meta(TextIndexRow.Meta):
        pass
