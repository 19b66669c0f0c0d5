"""PySide6 layer: the only package that imports Qt. It calls the core's services only."""
