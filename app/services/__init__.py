"""The domain: plain async functions with keyword-only arguments and no web imports.

Every write commits and returns the events it caused; the caller publishes them after the commit.
"""
