"""Reading and checking what people wrote: the mapping format, safe YAML, seed documents."""
