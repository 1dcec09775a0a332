"""The scoring language, one module per stage:

``parse`` (text → :mod:`.ast`, the only user of Lark) → ``check`` (extends
resolved; names and types from :mod:`.types`; rule order) → ``compile``
(closures over a row's :class:`~.runtime.Facts`) → ``runtime`` (results).
``format`` prints a tree back as canonical text.
:class:`perfrules.Ruleset` runs the stages in order.
"""
