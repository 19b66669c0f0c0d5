"""IDI Inspector: risk-management inspections for residential latent defect insurance (IDI)."""

# Kept equal to pyproject.toml's version by tests/test_architecture.py; the build records it.
__version__ = "0.2.0"
