"""Built-in profiles (YAML package data); see ``scanner.profile_loader`` for the format."""
