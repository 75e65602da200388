"""The directory's content version: cached lists, pages, counts, feeds and downloads of the
directory are stamped with it, and every change to what the public sees moves it on.

Events, funding and stories follow it (their cached entries name organisations, projects and
vocabularies). After each move, directory.apps warms the unfiltered lists in the background.
"""

from core.versions import ContentVersion

DIRECTORY_VERSION_KEY = "directory:version"
DIRECTORY = ContentVersion(DIRECTORY_VERSION_KEY)
directory_version = DIRECTORY.current
directory_cached = DIRECTORY.cached
directory_cache = DIRECTORY.cache
# Published content changed: cached lists and counts are stale once this commits, and the
# unfiltered lists are counted again in the background.
directory_changed = DIRECTORY.changed

# The published links between organisations and projects: moves on when one is added or removed
# or a linked profile's status changes (directory.search.links_reindex, which every service that
# changes links, statuses or deletions calls), not when a profile's text is edited. The network
# (explore.network) keeps what it computes from the links under it.
LINKS = ContentVersion("directory:links")
