"""Lifeboat's high-contrast theme: readable in sunlight on a cheap laptop panel."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="lifeboat-high-contrast",
    primary="#FFD700",
    secondary="#00BFFF",
    accent="#FFD700",
    warning="#FFA500",
    error="#FF4040",
    success="#00E676",
    foreground="#FFFFFF",
    background="#000000",
    surface="#101010",
    panel="#1A1A1A",
    dark=True,
)

# Priority colours from the five-level scale (red, orange, yellow, green, blue).
PRIORITY_STYLES = {1: "bold white on #C00000", 2: "bold black on #FF8C00",
                   3: "bold black on #FFD700", 4: "bold black on #00C853",
                   5: "bold white on #1565C0"}
