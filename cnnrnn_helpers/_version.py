"""The pack's version, in a leaf module that every other module may import.

``pyproject.toml`` (``[project] version``) must name the same release; the
badges and install cells point at the tag ``v`` + this version.
"""

__version__ = "0.1.0"
