"""The GraphQL schema's machinery: validation rules, the cost rule, extensions, error handling."""
