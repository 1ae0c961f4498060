"""The analyst's Dashboard page (filters, charts, records behind a figure)."""

from jsd_desk.ui.dashboard.page import DashboardPage

__all__ = ["DashboardPage"]
