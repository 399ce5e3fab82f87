"""Preparedness pages, one module per object (STYLE: no view module of thousands of lines)."""
