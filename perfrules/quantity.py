"""Compatibility name: the cell language lives in :mod:`perfrules.cells`;
``perfrules.quantity`` is the very module :mod:`perfrules.cells.quantity`."""

import sys

from .cells import quantity as _module

sys.modules[__name__] = _module
