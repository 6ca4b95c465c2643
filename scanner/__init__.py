"""appaudit: an audit scanner for UI dark patterns and unsafe personal-data handling."""

__version__ = "0.1.0"
