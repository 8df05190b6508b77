"""The policy's own CSS and script on top of Plone's theme: WCAG 2.2 AA contrast, reflow at 375 px,
the toolbar's accessible names, and a skip link (#17)."""
