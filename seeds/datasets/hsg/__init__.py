"""The U.S. Office of the Historian's datasets: hsg-visits, hsg-travels, hsg-pocom (docs/datasets.md)."""
