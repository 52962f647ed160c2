"""Form specs, the indicator framework and example forms, shipped as package data."""
