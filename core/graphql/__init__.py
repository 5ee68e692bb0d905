"""GraphQL pieces every app shares: output types, mutation helpers, keyset paging."""
