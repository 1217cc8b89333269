"""Source parsers, one module per page layout, registered by the name the manifest uses."""
from __future__ import annotations

from . import cchr_listing, civicus_listing, licadho_listing, licadho_report

PARSERS = {
    "licadho_listing": licadho_listing.parse,
    "cchr_listing": cchr_listing.parse,
    "civicus_listing": civicus_listing.parse,
    "licadho_report": licadho_report.parse,
}
