"""The Pulumi program: read and validate this stack's settings, compose the components, export outputs."""

from program import compose, settings

compose.export(compose.compose(settings.load()))
