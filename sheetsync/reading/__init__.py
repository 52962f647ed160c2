"""Reading workbooks and text grids back into forms."""
