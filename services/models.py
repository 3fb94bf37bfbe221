"""Models come with the issue that builds this app."""
