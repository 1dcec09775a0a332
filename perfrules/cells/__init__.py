"""The cell language: what people write in a table's cells, read into
typed values.

- :mod:`.chinese`: folding what varies without changing the meaning
  (full-width forms, traditional characters, pinyin glosses);
- :mod:`.quantity`: exact quantities with units (万元, %, 个月 …);
- :mod:`.values`: targets and actuals as frozen values;
- :mod:`.targets`: the Lark grammar's reader (``grammar/targets.lark``),
  :func:`~.targets.parse_target` and :func:`~.targets.parse_actual`.

The old names ``perfrules.quantity``, ``perfrules.values`` and
``perfrules.targets`` are the same modules.
"""
