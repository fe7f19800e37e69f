"""The desktop app: Qt widgets and models only. `main` is the GUI's entry point, `shell` moves between the
unlock window and the `main_window` (one page per area), and `context` with `tasks` runs every service call
on the one DB worker thread and applies the `Changes` it returns. Pages call services through the Session;
they never import storage/, forms/ or exports/, and hold no rule of the product.
"""
