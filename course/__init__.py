"""course: the helper package of the interactive course on parameter optimization.

Importing it has no side effects: no global matplotlib settings, no random seeding.
"""
__version__ = "0.1.0"
