"""The offline change preview: what `pulumi up` would do to a deployed stack, from two plan JSON documents."""
