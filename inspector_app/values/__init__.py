"""Value types: frozen dataclasses the services hand out and the renderer and the window read.

The bottom layer beside the models: it imports nothing of the app but the standard library,
so ``reports/`` can render them without knowing where they came from."""
