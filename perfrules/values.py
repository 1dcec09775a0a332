"""Compatibility name: the cell language lives in :mod:`perfrules.cells`;
``perfrules.values`` is the very module :mod:`perfrules.cells.values`."""

import sys

from .cells import values as _module

sys.modules[__name__] = _module
