"""The home dashboard: one page that reads several apps (incidents, systems, organisations), so it lives
above them rather than in `core`, which no app of the domain may be imported by (see CONTRIBUTING, layers)."""
