"""The record's tab strip: F-keys switch at once, late reports of an earlier switch ignored."""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane, Tabs
from textual.widgets._tabbed_content import ContentTabs


class RecordTabs(TabbedContent):
    """Tabs that ignore late reports of an earlier switch.

    A pane reports focus, and the tab strip its activation, a message later; after F4 F2
    typed together, the obs reports would arrive after F2 and switch back to obs, hiding the
    focused field.
    """

    def on_mount(self) -> None:
        # The sliding underline redraws the strip for 0.3 s after every F-key, a large share of
        # a switch's render time on 2 cores. Jump instead (Tabs has no public switch for it).
        strip = self.query_one(ContentTabs)
        highlight = strip._highlight_active
        strip._highlight_active = lambda animate=True: highlight(animate=False)  # type: ignore[method-assign]

    # Textual calls the handler of every class in the MRO unless prevent_default() is used.
    def _on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id != event.tabs.active:
            event.stop()
            event.prevent_default()

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors:
            event.stop()
            event.prevent_default()
