"""pydantic models of Seller API requests and responses, one module per area.

Response models are lenient (unknown fields kept, int64 as string or number); request
models are strict (unknown fields forbidden) and serialise exactly what the spec says.
"""
