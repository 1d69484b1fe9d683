"""Renderers: each output format is a pure function from a result to text.

Nothing here prints or touches files; ``dealcheck.cli`` writes what these return.
"""
