"""Built-in profiles (YAML package data); see ``scanner.profile`` for the format."""
