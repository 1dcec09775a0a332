"""Compatibility name: the cell language lives in :mod:`perfrules.cells`;
``perfrules.targets`` is the very module :mod:`perfrules.cells.targets`."""

import sys

from .cells import targets as _module

sys.modules[__name__] = _module
