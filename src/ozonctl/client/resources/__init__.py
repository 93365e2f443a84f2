"""Typed resources, one module per area: account, products, promos, postings, finance."""
