"""Local knowledge about a shop's products, kept in the profile's cache folder.

- :mod:`ozonctl.catalog.index`: the catalogue index (offer id ↔ product id ↔ SKU).
- :mod:`ozonctl.catalog.sales`: units and revenue per SKU per day, from FBS and FBO postings.
- :mod:`ozonctl.catalog.stale`: the stale-product rule.
- :mod:`ozonctl.catalog.columns`: the column-wise TOML layout both files use.
"""
