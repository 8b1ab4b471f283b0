"""OWL reasoning over a build: consistency, inferred facts, inconsistencies explained."""

from kg.reason.engine import ReasoningOptions

__all__ = ["ReasoningOptions"]
